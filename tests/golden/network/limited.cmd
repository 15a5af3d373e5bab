lint --color=never --targets macos,windows --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= {}
