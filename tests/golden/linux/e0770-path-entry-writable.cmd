# E0770: the first PATH entry lies in /tmp, which the profile makes
# writable: a command run in the sandbox could put a `bwrap` there, and the
# next run would execute it outside any sandbox. Checked with --bwrap too
# (a later run may search PATH); the fake bubblewrap is never run.
run --color=never -c {} -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-old --dry-run -- true
