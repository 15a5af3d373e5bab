ir --color=never -P dev
