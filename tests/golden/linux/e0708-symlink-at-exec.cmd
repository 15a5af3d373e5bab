# E0708: a file the artifacts rely on is a symlink at exec time (a fake
# bubblewrap answers the probe; nothing is started).
exec --color=never --dry-run --bwrap fixtures/fake-bwrap-userns fixtures/art-symlink -- true
