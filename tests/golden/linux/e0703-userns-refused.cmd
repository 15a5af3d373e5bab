# E0703: bubblewrap is refused a user namespace; the command does not run.
run --color=never -P :read-only --linux-backend bwrap -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-userns -- true
