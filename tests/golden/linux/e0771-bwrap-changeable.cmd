# E0771: the bubblewrap named with --bwrap lies in the workspace the profile
# makes writable: a command run in the sandbox could replace it, and sbxc
# runs it outside any sandbox. It is not run, not even for its --help.
run --color=never -P :workspace -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-old --dry-run -- true
