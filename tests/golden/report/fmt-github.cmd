lint --format github --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir /sbxc-golden/tmp fmt-github.toml werror.toml
