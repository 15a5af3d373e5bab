toml-decode --color=never
