explain --color=never --network --format json --cwd /sbxc-golden/ws --home /sbxc-golden/home --proxy-env=http://x domains-deny.toml
