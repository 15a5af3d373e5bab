# The manifest for examples/nested-carveouts.toml, offline: Landlock cannot
# enforce it (reasons listed), bubblewrap can; the facts are assumptions.
compile --color=never --target linux --offline --print manifest.json -C /work --home /home/user --tmpdir= ../../../examples/nested-carveouts.toml
