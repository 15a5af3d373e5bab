# E0705: a forced Landlock run on a kernel without Landlock (test hook).
run --color=never -P :read-only -C fixtures --home /home/user --tmpdir= --linux-backend landlock --test-landlock-abi 0 --dry-run -- true
