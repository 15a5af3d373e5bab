printf 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "write"\n'
seq -f '"/sbxc-golden-none/f%g" = "read"' 1 2000
