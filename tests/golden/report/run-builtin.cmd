run --color=never -P workspace -- true
