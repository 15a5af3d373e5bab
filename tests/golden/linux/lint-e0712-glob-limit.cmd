# lint predicts what `run` and `compile` refuse (the same codes): see e0712-glob-limit.out
lint --color=never --targets linux -C /work --home /home/user --tmpdir= e0712-glob-limit.toml
