ir --color=never -P :workspace
