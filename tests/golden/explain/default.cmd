explain --color=never --cwd /sbxc-golden/ws --home /sbxc-golden/home {} /sbxc-golden/home/.ssh/config /sbxc-golden/home/x
