explain --color=never --target linux --cwd /sbxc-golden/ws windows.toml /sbxc-golden/ws/x
