# E0013: an artifact file one byte over SBX_MAX_ARTIFACT_BYTES is refused
# by exec (compile never writes one: the same constant bounds its output).
# The stdin generator makes the directory with a sparse manifest.json.
exec --color=never /tmp/sbxc-golden/e0013 -- true
