lint --color=never --allow W0801 --allow W0802 --allow N0603 --cwd /sbxc-golden/ws --home /sbxc-golden/home --tmpdir /sbxc-golden/tmp {}
