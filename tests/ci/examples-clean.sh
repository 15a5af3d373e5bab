#!/bin/sh
# examples-clean.sh: every bundled example lints with no error and no
# warning (--werror), from a working directory outside the source tree and
# from a copy of the examples outside /tmp (a workspace or a /tmp that
# contains the policy files is refused, E0720, as `run` would refuse it).
set -u
: "${SBXC:?SBXC must name the sbxc binary}"
src=$(cd "$(dirname "$0")/../.." && pwd)
S=$(mktemp -d /var/tmp/sbxc-ci-XXXXXX) || exit 1
trap 'rm -rf "$S"' EXIT
mkdir -p "$S/ws" "$S/home" "$S/tmp" && cp -R "$src/examples" "$S/examples" || exit 1
if ! "$SBXC" lint --werror -q --cwd "$S/ws" --home "$S/home" --tmpdir "$S/tmp" \
	"$S/examples" >"$S/out" 2>"$S/err"; then
	echo "FAIL: the examples do not lint clean:" >&2
	cat "$S/err" >&2
	exit 1
fi
if [ -s "$S/err" ]; then
	echo "FAIL: lint -q printed diagnostics for the examples:" >&2
	cat "$S/err" >&2
	exit 1
fi
echo "every example lints with no warning"
