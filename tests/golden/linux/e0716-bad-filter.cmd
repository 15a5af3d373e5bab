# E0716: the process cannot install its seccomp filter (a broken program).
exec --color=never fixtures/art-badbpf -- true
