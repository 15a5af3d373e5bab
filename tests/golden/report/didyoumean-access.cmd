lint --color=never -q {}
