lint --color=never /dev/zero
