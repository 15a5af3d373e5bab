explain --color=never --format json --cwd /sbxc-golden/repo nested.toml /sbxc-golden/repo/f /sbxc-golden/repo/a/f /sbxc-golden/repo/.git/config /sbxc-golden/other
