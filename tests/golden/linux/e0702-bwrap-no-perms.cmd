# E0702: a bubblewrap whose --help does not mention --perms.
run --color=never -P :read-only --linux-backend bwrap -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-old --dry-run -- true
