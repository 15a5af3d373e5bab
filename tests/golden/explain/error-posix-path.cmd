explain --color=never --target windows --cwd C:\ws nested.toml C:\ws\x
