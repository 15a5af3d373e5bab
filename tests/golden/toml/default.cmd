# toml-decode of the case file, diagnostics without colour
toml-decode --color=never {}
