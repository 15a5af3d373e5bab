compile --color=never --target linux --offline --print landlock.json -C /work/project --home /home/user --tmpdir= -P :read-only
