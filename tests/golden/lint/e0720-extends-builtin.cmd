lint --color=never -q --home /home/user --tmpdir= {}
