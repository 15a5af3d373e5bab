ir --color=never ../../../examples/workspace-dev.toml
