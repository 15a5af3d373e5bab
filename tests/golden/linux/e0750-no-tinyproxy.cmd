# E0750: domain rules need tinyproxy, and the one given cannot be executed.
run --color=never -C fixtures --home /home/user --tmpdir= --bwrap fixtures/fake-bwrap-userns --tinyproxy fixtures/not-executable.txt -c ../network/domains-deny.toml -- true
