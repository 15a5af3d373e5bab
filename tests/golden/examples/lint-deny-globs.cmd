lint --color=never ../../../examples/deny-globs.toml
