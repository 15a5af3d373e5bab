ir --color=never -P dve {}
