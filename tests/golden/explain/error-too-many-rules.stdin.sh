# 256 workspace roots (the cwd and 255 more) times 3,907 `:workspace_roots`
# entries: 1,000,192 rules, one entry past SBX_MAX_RESOLVED_RULES.
printf 'default_permissions = "many"\n[permissions.many.workspace_roots]\n'
i=0
while [ "$i" -lt 255 ]; do
	printf '"/r%d" = true\n' "$i"
	i=$((i + 1))
done
printf '[permissions.many.filesystem]\n":root" = "read"\n'
printf '[permissions.many.filesystem.":workspace_roots"]\n'
seq -f '"d%g" = "write"' 0 3906
