ir --color=never -P :danger-full-access
