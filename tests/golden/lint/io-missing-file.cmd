lint --color=never does-not-exist.toml
