# One domain rule more than SBX_MAX_FILTER_DOMAINS (4096).
printf 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "read"\n'
printf '[permissions.p.network]\nenabled = true\n[permissions.p.network.domains]\n'
seq -f '"h%g.example.com" = "allow"' 0 4096
