# E0014: 2,000 read-only paths that do not exist under a writable root:
# each is mounted as an empty read-only file (5 words), 10,000 and more
# words in all, past SBX_MAX_BWRAP_ARGS_FILE.
compile --color=never --target linux --print bwrap.args --cwd /sbxc-golden/ws --home /sbxc-golden/home -
