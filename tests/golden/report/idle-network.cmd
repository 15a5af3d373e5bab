lint --color=never -q --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir=/tmp {}
