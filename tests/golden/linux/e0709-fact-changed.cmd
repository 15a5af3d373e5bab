# E0709: a fact the artifacts rely on changed since they were compiled (a
# fake bubblewrap answers the probe; nothing is started).
exec --color=never --dry-run --bwrap fixtures/fake-bwrap-userns fixtures/art-changed -- true
