# The bubblewrap argv (bwrap.json) for examples/nested-carveouts.toml,
# compiled offline so it does not depend on what exists on this machine.
compile --color=never --target linux --offline --print bwrap.json -C /work --home /home/user --tmpdir= ../../../examples/nested-carveouts.toml
