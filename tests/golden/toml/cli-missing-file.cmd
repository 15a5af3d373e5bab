toml-decode --color=never no-such-file.toml
