explain --color=never --cwd relative/dir nested.toml /x
