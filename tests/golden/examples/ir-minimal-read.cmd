ir --color=never ../../../examples/minimal-read.toml
