lint --strict --color=never {}
