explain --color=never --cwd /sbxc-golden/ws --home home/rel --tmpdir tmp/rel home.toml /x
