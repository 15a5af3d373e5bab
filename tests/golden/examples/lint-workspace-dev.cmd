lint --color=never ../../../examples/workspace-dev.toml
