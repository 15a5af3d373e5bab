# lint predicts what `run` and `compile` refuse (the same codes): see e0713-glob-root.out
lint --color=never --targets linux -C /work --home /home/user --tmpdir= e0713-glob-root.toml
