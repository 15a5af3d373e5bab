lint --color=never ../../../examples/minimal-read.toml
