lint --format json --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir /sbxc-golden/tmp fmt-json.toml tokens-deny.toml
