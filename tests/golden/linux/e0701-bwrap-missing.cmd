# E0701: the bubblewrap named with --bwrap does not exist.
run --color=never -P :read-only --linux-backend bwrap -C fixtures --home /home/user --tmpdir= --bwrap fixtures/no-such-bwrap --dry-run -- true
