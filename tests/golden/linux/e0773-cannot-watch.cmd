# E0773: an entry of bwrap.json host_watch cannot be watched for changes
# made outside the sandbox (here a name longer than the kernel accepts):
# the sandbox does not start. A fake bubblewrap answers the probe.
exec --color=never --bwrap fixtures/fake-bwrap-userns fixtures/art-host-unwatchable -- true
