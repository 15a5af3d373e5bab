#!/bin/sh
# check-scripts.sh: compiles every Windows golden case that compiles (with
# the --env options of its .cmd) twice, checks the two outputs are
# byte-identical, then checks every emitted script with the real
# PowerShell grammar against its plan.json (check-scripts.mjs).
set -u
: "${SBXC:?}" "${SBXC_SOURCE_DIR:?}" "${SBXC_NODE_MODULES:?}"
cases=$SBXC_SOURCE_DIR/tests/golden/windows
tmp=$(mktemp -d /tmp/sbxc-win.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
ctx='--target windows --cwd C:\ws --home C:\Users\me --tmpdir C:\Temp'
dirs=""
n=0
for t in "$cases"/*.toml; do
	stem=$(basename "$t" .toml)
	envs=""
	if [ -f "$cases/$stem.cmd" ]; then
		envs=$(awk '{ for (i = 1; i < NF; i++) if ($i == "--proxy-env") printf "--proxy-env %s ", $(i + 1) }' "$cases/$stem.cmd")
	fi
	# shellcheck disable=SC2086 # word lists by design
	env -i PATH="$PATH" "$SBXC" compile $ctx $envs -o "$tmp/$stem" "$t" 2>/dev/null || continue
	# shellcheck disable=SC2086
	env -i PATH="$PATH" "$SBXC" compile $ctx $envs -o "$tmp/$stem.again" "$t" 2>/dev/null
	if ! diff -r "$tmp/$stem" "$tmp/$stem.again" >/dev/null; then
		echo "FAIL $stem: two compiles differ"
		exit 1
	fi
	# a profile without a sandbox has a manifest and nothing else to check
	[ -f "$tmp/$stem/plan.json" ] || continue
	dirs="$dirs $tmp/$stem"
	n=$((n + 1))
done
echo "$n cases with a plan compiled, byte-identical twice"
[ "$n" -gt 0 ] || { echo "FAIL: nothing compiled"; exit 1; }
# shellcheck disable=SC2086
# --liftoff-only: V8 otherwise spends a minute of CPU optimizing the
# grammar's 1 MB of WebAssembly, for a few hundred parses
node --liftoff-only "$SBXC_SOURCE_DIR/tests/windows/check-scripts.mjs" $dirs
