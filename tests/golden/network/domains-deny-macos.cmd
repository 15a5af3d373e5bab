lint --color=never --targets macos --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= domains-deny.toml
