run --color=never {} -- true
