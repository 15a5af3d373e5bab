lint --color=never ../../../examples/readonly-net.toml
