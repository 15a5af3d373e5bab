compile --color=never --target linux --print bwrap.json -C /work --home /home/user --tmpdir= {}
