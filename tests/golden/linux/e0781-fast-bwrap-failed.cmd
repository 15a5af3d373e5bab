# E0781: on the fast path (a run known to set up here; forced with the
# test-only SBXC_TEST_KNOWN_GOOD=1) bubblewrap fails before the command
# starts: its message goes straight to stderr, the status is 125, never the
# command's.
run --color=never -P :read-only --linux-backend bwrap -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-proc -- true
