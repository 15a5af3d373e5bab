#!/bin/sh
# examples-clean.sh: every bundled example lints with no error and no
# warning, checked three ways:
#  1. exactly `sbxc lint examples/` from the root of a copy of the
#     repository, with and without --werror: exit 0, and no warning or error
#     on stderr; and again from a copy under /tmp, which several examples
#     make writable (their `"examples" = "read"` is more specific);
#  2. the same files from a working directory outside the tree, --werror -q;
#  3. the guard is what keeps them clean: without their `"examples" = "read"`
#     entry the examples that make the workspace writable are refused from
#     the root (E0720, as `run` refuses them), and where the sandbox runs
#     here, a command under one of them cannot rewrite the file.
set -u
: "${SBXC:?SBXC must name the sbxc binary}"
src=$(cd "$(dirname "$0")/../.." && pwd)
S=$(mktemp -d /var/tmp/sbxc-ci-XXXXXX) || exit 1
trap 'rm -rf "$S"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
mkdir -p "$S/repo" "$S/ws" "$S/home" "$S/tmp" && cp -R "$src/examples" "$S/repo/examples" ||
	exit 1
# The repository's other top-level entries, as empty stand-ins: the layout
# the examples see from the root, without copying the whole tree.
for e in "$src"/* "$src"/.git "$src"/.codex; do
	[ -e "$e" ] || continue
	n=$(basename "$e")
	[ -e "$S/repo/$n" ] || mkdir "$S/repo/$n"
done

# 1. from the root, exactly as a user types it
for werror in "" --werror; do
	# shellcheck disable=SC2086 # werror is empty or one word
	(cd "$S/repo" && "$SBXC" lint $werror examples/ >"$S/out" 2>"$S/err")
	st=$?
	[ $st -eq 0 ] || fail "\`sbxc lint $werror examples/\` from the root exits $st: $(cat "$S/err")"
	if grep -E '(warning|error)\[' "$S/err" >&2; then
		fail "\`sbxc lint $werror examples/\` from the root printed the warnings above"
	fi
	grep -q '^total: .* 0 errors, 0 warnings' "$S/out" ||
		fail "no clean total: $(cat "$S/out")"
done
n=$(grep -c ': [0-9]* profiles\{0,1\} checked' "$S/out")
[ "$n" -ge 6 ] || fail "only $n example files linted from the root"
T=$(mktemp -d /tmp/sbxc-ci-XXXXXX) || exit 1
cp -R "$src/examples" "$T/examples" || exit 1
(cd "$T" && "$SBXC" lint --werror examples/ >/dev/null 2>"$S/err")
st=$?
rm -rf "$T"
[ $st -eq 0 ] || fail "\`sbxc lint examples/\` from a root under /tmp exits $st: $(cat "$S/err")"

# 2. from elsewhere
"$SBXC" lint --werror -q --cwd "$S/ws" --home "$S/home" --tmpdir "$S/tmp" \
	"$S/repo/examples" >"$S/out" 2>"$S/err" ||
	fail "the examples do not lint clean from outside the tree: $(cat "$S/err")"
[ -s "$S/err" ] && fail "lint -q printed diagnostics for the examples: $(cat "$S/err")"

# 3. the carve-out is what makes them clean
cp -R "$S/repo/examples" "$S/bare"
guarded=0
for f in "$S"/bare/*.toml "$S"/bare/*/*.toml; do
	grep -q '^"examples" = "read"$' "$f" || continue
	guarded=$((guarded + 1))
	rel=${f#"$S"/bare/}
	sed '/^"examples" = "read"$/d' "$f" >"$S/repo/examples/$rel"
	(cd "$S/repo" && "$SBXC" lint "examples/$rel" >/dev/null 2>"$S/err")
	st=$?
	if [ $st -ne 1 ] || ! grep -q "error\[E0720\]: the policy file .*examples/$rel" "$S/err"; then
		fail "examples/$rel without its carve-out: exit $st, and no E0720: $(cat "$S/err")"
	fi
	cp "$f" "$S/repo/examples/$rel"
done
[ $guarded -ge 3 ] || fail "only $guarded examples carry the carve-out"
cd "$S/repo" || exit 1
if "$SBXC" run -c examples/minimal-read.toml -- true >/dev/null 2>&1; then
	cp examples/minimal-read.toml "$S/before"
	"$SBXC" run -c examples/minimal-read.toml -- sh -c \
		'echo "\":root\" = \"write\"" >>examples/minimal-read.toml' 2>/dev/null &&
		fail "a command under examples/minimal-read.toml rewrote it"
	"$SBXC" run -c examples/minimal-read.toml -- mv examples examples.moved 2>/dev/null &&
		fail "a command under examples/minimal-read.toml renamed examples/"
	cmp -s "$S/before" examples/minimal-read.toml || fail "examples/minimal-read.toml changed"
	"$SBXC" run -c examples/minimal-read.toml -- touch written ||
		fail "the workspace is not writable under examples/minimal-read.toml"
	echo "under examples/minimal-read.toml the root is writable and examples/ is not"
else
	echo "note: no sandbox on this machine; the rewrite of examples/ was not tried"
fi
echo "every example lints with no warning, from the root ($n files) and from elsewhere;" \
	"$guarded are refused without their carve-out"
