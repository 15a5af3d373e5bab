compile --color=never --target linux --print tinyproxy.conf --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= --proxy-env HTTP_PROXY=http://127.0.0.1:3128 partial-ok.toml
