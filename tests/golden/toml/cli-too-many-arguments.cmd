toml-decode a.toml b.toml
