# E0717: the output directory cannot be created.
compile --color=never --target linux -o /proc/sbxc-golden/out -P :read-only -C /work --home /home/user --tmpdir=
