lint --color=never ../../../examples/nested-carveouts.toml
