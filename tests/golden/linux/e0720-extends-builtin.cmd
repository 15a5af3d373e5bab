run --color=never -c {} -C . --home /home/user --tmpdir= --dry-run -- true
