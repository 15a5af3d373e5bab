ir --color=never --target macos --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= ../../../examples/nested-carveouts.toml
