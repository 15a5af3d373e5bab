explain --color=never --op read --format json --cwd /sbxc-golden/repo nested.toml /sbxc-golden/repo/a/b/x /sbxc-golden/repo/a/x
