explain --color=never --op maybe nested.toml /x
