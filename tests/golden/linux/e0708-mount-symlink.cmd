# E0708: a mount of the artifacts crosses a symlink in a directory the
# sandbox can write (bwrap.args binds /proc writable; /proc/mounts is a
# symlink): checked right before bubblewrap starts (a fake bubblewrap
# answers the probe; nothing is started).
exec --color=never --bwrap fixtures/fake-bwrap-userns fixtures/art-mount-symlink -- true
