explain --color=never --op write --cwd /sbxc-golden/repo nested.toml /sbxc-golden/repo/f /sbxc-golden/repo/a/x /sbxc-golden/repo/.git/HEAD
