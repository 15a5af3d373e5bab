ir --color=never -P :read-only
