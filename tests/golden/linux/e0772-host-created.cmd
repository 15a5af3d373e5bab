# E0772: a path the artifacts list as missing where the sandbox would see
# the host's files (a denied path: bwrap.json host_watch) exists when the
# sandbox is about to start: created outside it after the compile, it would
# not be masked. A fake bubblewrap answers the probe; nothing is started.
exec --color=never --bwrap fixtures/fake-bwrap-userns fixtures/art-host-created -- true
