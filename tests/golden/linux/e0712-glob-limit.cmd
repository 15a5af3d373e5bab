run --color=never -c {} -C /work --home /home/user --tmpdir= --dry-run -- true
