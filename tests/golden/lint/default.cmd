lint --color=never {}
