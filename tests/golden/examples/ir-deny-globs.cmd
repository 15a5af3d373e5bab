ir --color=never ../../../examples/deny-globs.toml
