# The bubblewrap argv and host_watch of a profile with stricter paths deep
# in a writable root and a nested writable root, compiled offline so it does
# not depend on this machine.
compile --color=never --target linux --offline --print bwrap.json -C /work --home /home/user --tmpdir= {}
