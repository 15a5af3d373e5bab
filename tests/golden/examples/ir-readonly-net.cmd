ir --color=never ../../../examples/readonly-net.toml
