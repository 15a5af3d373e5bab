# E0707: Landlock forced on the nested carve-outs, which it cannot enforce.
run --color=never -c ../../../examples/nested-carveouts.toml -C /work --home /home/user --tmpdir= --linux-backend landlock --dry-run -- true
