explain --color=never --network --cwd /sbxc-golden/ws --home /sbxc-golden/home domains-deny.toml
