lint --color=never ../../../examples/legacy-read-only.toml
