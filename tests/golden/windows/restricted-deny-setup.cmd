compile --color=never --target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp --print setup.ps1 restricted-deny.toml
