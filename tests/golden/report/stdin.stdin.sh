printf "default_permissions = \":workspace\"\n[permissions.x.filesystem]\n\":root\" = \"raed\"\n"
