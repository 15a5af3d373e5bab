# E0722: a profile that disables the sandbox has no seccomp filter to print.
compile --color=never --target linux --offline --print seccomp.bpf --sandbox-mode danger-full-access -C /work --home /home/user --tmpdir=
