explain --color=never --network --cwd /sbxc-golden/ws --home /sbxc-golden/home --proxy-env HTTP_PROXY=http://127.0.0.1:3128 domains-off.toml
