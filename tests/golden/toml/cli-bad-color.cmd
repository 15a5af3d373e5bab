toml-decode --color=sometimes x.toml
