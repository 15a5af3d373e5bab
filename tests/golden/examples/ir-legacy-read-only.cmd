ir --color=never --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir /sbxc-golden/tmp ../../../examples/legacy-read-only.toml
