explain --color=never -P :danger-full-access --cwd /sbxc-golden/ws /etc/shadow
