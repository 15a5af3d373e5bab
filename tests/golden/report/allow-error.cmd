lint --color=never --allow E0306 {}
