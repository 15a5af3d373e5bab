lint --color=never --target windows tokens-deny-windows.toml
