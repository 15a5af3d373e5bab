compile --color=never --target linux --offline --print bwrap.json -C /work --home /home/user --tmpdir= {}
