lint --color=never --targets macos,linux --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= {}
