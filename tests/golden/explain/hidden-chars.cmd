explain --color=never --cwd /sbxc-golden/ws --home /sbxc-golden/home {} /sbxc-golden/ws/docs‮txt.exe/a /sbxc-golden/ws/x2J
