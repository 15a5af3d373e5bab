ir --color=never ../../../examples/nested-carveouts.toml
