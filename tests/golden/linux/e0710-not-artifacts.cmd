# E0710: not an artifact directory.
exec --color=never fixtures/no-such-dir -- true
