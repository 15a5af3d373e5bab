lint --color=never --tmpdir /sbxc-golden/tmp ../../../examples/workspace-dev.toml
