# E0708: the directory of a synthetic mount target crosses a symlink
# (/proc/self): sbxc does not make the mount point where it leads (a fake
# bubblewrap answers the probe; nothing is started).
exec --color=never --bwrap fixtures/fake-bwrap-userns fixtures/art-synth-symlink -- true
