compile --color=never --target linux --print tinyproxy.filter --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir= partial-ok.toml
