ir --color=never --sandbox-mode workspace-write {}
