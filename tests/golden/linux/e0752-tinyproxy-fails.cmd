# E0752: tinyproxy exits before it listens (five free ports tried).
run --color=never -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-userns --tinyproxy fixtures/fake-tinyproxy-exits -c ../network/domains-deny.toml -- true
