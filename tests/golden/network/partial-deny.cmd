lint --color=never --targets linux --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= {}
