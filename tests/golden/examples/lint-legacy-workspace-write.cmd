lint --color=never ../../../examples/legacy-workspace-write.toml
