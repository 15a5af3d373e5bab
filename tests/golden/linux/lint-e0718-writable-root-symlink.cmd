# lint predicts what `run` and `compile` refuse (the same codes): see e0718-writable-root-symlink.out
lint --color=never --targets linux -C /work --home /home/user --tmpdir= e0718-writable-root-symlink.toml
