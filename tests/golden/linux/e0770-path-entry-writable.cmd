# E0770: the first PATH entry lies in /tmp, which :workspace makes writable:
# a command run in the sandbox could put a `bwrap` there, and the next run
# would execute it outside any sandbox.
run --color=never -P :workspace -C fixtures --home /home/user --tmpdir= --dry-run -- true
