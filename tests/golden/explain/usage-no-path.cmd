explain --color=never -P :read-only
