# An artifact directory whose manifest.json is SBX_MAX_ARTIFACT_BYTES + 1
# bytes (sparse: it takes no disk space).
d=/tmp/sbxc-golden/e0013
rm -rf "$d"
mkdir -p "$d"
truncate -s $((256 * 1024 * 1024 + 1)) "$d/manifest.json"
