# Entries times workspace roots past SBX_MAX_RESOLVED_RULES: an error, before
# the semantic pass takes gigabytes for them.
explain --color=never --cwd /sbxc-golden/ws --home /sbxc-golden/home - /sbxc-golden/ws/x
