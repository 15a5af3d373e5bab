toml-decode --help
