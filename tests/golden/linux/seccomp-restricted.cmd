# The seccomp filter description with the network restricted (x86_64).
compile --color=never --target linux --offline --print seccomp.json -P :workspace -C /work --home /home/user --tmpdir=
