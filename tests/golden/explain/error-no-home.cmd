explain --color=never --cwd /sbxc-golden/ws --home= home.toml /x
