# E0702: a bubblewrap whose --help does not mention --perms.
run --color=never -P :workspace -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-old --dry-run -- true
