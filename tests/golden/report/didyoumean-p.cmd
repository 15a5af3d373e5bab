lint --color=never -q -P qq {}
