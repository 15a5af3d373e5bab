# E0770 from lint: the semantic pass decides it (compiler/guard_bwrap.c), so
# lint says what run refuses (e0770-path-entry-writable).
lint --color=never --targets linux --cwd /sbxc-golden/ws --home /home/user --tmpdir= {}
