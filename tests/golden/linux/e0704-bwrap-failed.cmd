# E0704: bubblewrap fails to set up the sandbox for another reason.
run --color=never -P :read-only --linux-backend bwrap -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-proc -- true
