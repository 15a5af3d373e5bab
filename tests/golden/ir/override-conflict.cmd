ir --color=never -P dev --sandbox-mode read-only {}
