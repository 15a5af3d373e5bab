explain --color=never --op write --cwd /sbxc-golden/repo nested.toml /sbxc-golden/repo/f a/b/x
