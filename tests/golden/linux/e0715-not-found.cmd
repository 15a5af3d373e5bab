# E0715: the command is not found (Landlock: looked up by sbxc itself).
run --color=never -P :read-only -C fixtures --home /home/user --tmpdir= -- no-such-command-sbxc-golden
