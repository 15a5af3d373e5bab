lint --color=never --target windows --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir=/tmp {}
