# E0706: a forced Landlock run on a kernel with Landlock ABI 1 (test hook).
run --color=never -P :read-only -C fixtures --home /home/user --tmpdir= --linux-backend landlock --test-landlock-abi 1 --dry-run -- true
