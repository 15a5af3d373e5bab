#!/bin/sh
# compile-all.sh: `sbxc compile --target all -o DIR` for every bundled
# example, once reading this machine's filesystem, then twice offline (the
# second time under another locale) into the same path, and the two trees
# must be byte for byte the same (an example offline refuses, one with a
# deny glob, is compared reading the filesystem); a profile the
# table refuses leaves no directory (and no temporary one) behind, and an
# earlier tree survives a failed compile unchanged.
set -u
: "${SBXC:?SBXC must name the sbxc binary}"
src=$(cd "$(dirname "$0")/../.." && pwd)
S=$(mktemp -d /var/tmp/sbxc-ci-XXXXXX) || exit 1
trap 'rm -rf "$S"' EXIT
mkdir -p "$S/ws" "$S/home" "$S/tmp" "$S/out"
ctx="--cwd $S/ws --home $S/home --tmpdir $S/tmp"
# The byte-for-byte comparisons compile offline: a compile that reads this
# machine's filesystem sees /tmp, which the examples write, and a sandbox
# that any other process runs meanwhile puts the mount points of /tmp/.git,
# .agents and .codex there for its lifetime, so two such compiles can have
# different inputs. Each example is compiled once reading the filesystem too.
off="$ctx --offline"
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
n=0
refused=0
probed=0
# pair NAME OUT FILE ARGS: compiles twice (C, then C.UTF-8) into OUT/tree;
# the first tree is kept as OUT/first; fails when they differ (returns 1)
pair() {
	pn=$1 po=$2 pf=$3
	shift 3
	rm -rf "$po/first" "$po/tree"
	LC_ALL=C "$SBXC" compile --target all "$@" -o "$po/tree" "$pf" >/dev/null 2>"$S/err" ||
		fail "$pn: compile: $(cat "$S/err")"
	[ -f "$po/tree/manifest.json" ] || fail "$pn: no top-level manifest.json"
	[ -f "$po/tree/linux/manifest.json" ] || fail "$pn: no linux/manifest.json"
	mv "$po/tree" "$po/first"
	LC_ALL=C.UTF-8 LANG=C.UTF-8 "$SBXC" compile --target all "$@" -o "$po/tree" "$pf" \
		>/dev/null 2>"$S/err" || fail "$pn: second compile: $(cat "$S/err")"
	diff -r "$po/first" "$po/tree" >"$S/diff"
}
for f in "$src"/examples/*.toml "$src"/examples/*/*.toml; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .toml)
	out=$S/out/$name
	# shellcheck disable=SC2086 # ctx is a word list
	LC_ALL=C "$SBXC" compile --target all $ctx -o "$out/probed" "$f" >/dev/null 2>"$S/err"
	st=$?
	[ $st -eq 0 ] || [ $st -eq 1 ] || fail "$name: probing compile: exit $st: $(cat "$S/err")"
	if [ $st -ne 0 ]; then
		[ ! -e "$out/probed" ] || fail "$name: refused, but $out/probed exists"
		[ -z "$(ls -A "$out" 2>/dev/null)" ] || fail "$name: left $(ls -A "$out")"
		refused=$((refused + 1))
		continue
	fi
	rm -rf "$out/probed"
	# shellcheck disable=SC2086 # off is a word list
	if "$SBXC" compile --target all $off -o "$out/check" "$f" >/dev/null 2>&1; then
		rm -rf "$out/check"
		# shellcheck disable=SC2086
		pair "$name" "$out" "$f" $off || fail "$name: trees differ: $(cat "$S/diff")"
		args=$off
	else
		# offline refuses it (a deny glob is expanded on the filesystem):
		# compare compiles that read it; a difference that a fresh pair
		# does not repeat is /tmp changing under another process's sandbox
		probed=$((probed + 1))
		tries=0
		# shellcheck disable=SC2086
		until pair "$name" "$out" "$f" $ctx; do
			tries=$((tries + 1))
			[ $tries -lt 3 ] || fail "$name: trees differ in 3 pairs: $(cat "$S/diff")"
		done
		args=$ctx
	fi
	# compiling over an earlier tree replaces it
	# shellcheck disable=SC2086
	"$SBXC" compile --target all $args -o "$out/tree" "$f" >/dev/null 2>&1 ||
		fail "$name: compiling over the earlier tree"
	[ -f "$out/tree/manifest.json" ] || fail "$name: the replaced tree has no manifest.json"
	if [ "$args" = "$off" ]; then
		diff -r "$out/first" "$out/tree" >/dev/null || fail "$name: the replaced tree differs"
	fi
	[ "$(ls "$out")" = "first
tree" ] || fail "$name: left $(ls "$out")"
	n=$((n + 1))
done
[ $n -ge 3 ] || fail "only $n examples compiled"
# a refused profile: nothing new, and the earlier tree untouched
cat >"$S/refused.toml" <<'TOML'
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"/**/*.pem" = "deny"
TOML
# it is the second target that fails: macOS (first in the table) compiles
# it on its own, Linux refuses it, so --target all fails after writing macos/
# shellcheck disable=SC2086
"$SBXC" compile --target macos $ctx -o "$S/macos-only" "$S/refused.toml" >/dev/null 2>&1 ||
	fail "the refused profile does not compile for macOS alone"
[ -f "$S/macos-only/profile.sb" ] || fail "no profile.sb for macOS alone"
# shellcheck disable=SC2086
"$SBXC" compile --target all $ctx -o "$S/out/all" "$S/refused.toml" >/dev/null 2>"$S/err" &&
	fail "the refused profile compiled for all targets"
grep -q 'error\[E0640\]: no linux backend' "$S/err" || fail "not refused for linux: $(cat "$S/err")"
[ ! -e "$S/out/all" ] || fail "a compile whose second target failed left $S/out/all"
left=$(find "$S/out" -mindepth 1 -maxdepth 1 -name '.*')
[ -z "$left" ] || fail "a compile whose second target failed left $left"
cp -r "$S/out/minimal-read/tree" "$S/keep"
# shellcheck disable=SC2086
"$SBXC" compile --target all $ctx -o "$S/out/new/deep" "$S/refused.toml" >/dev/null 2>&1 &&
	fail "the refused profile compiled"
[ ! -e "$S/out/new" ] || fail "a refused compile left $S/out/new"
# shellcheck disable=SC2086
"$SBXC" compile --target all $ctx -o "$S/out/minimal-read/tree" "$S/refused.toml" \
	>/dev/null 2>&1 && fail "the refused profile compiled over a tree"
diff -r "$S/keep" "$S/out/minimal-read/tree" >/dev/null || fail "a failed compile changed the earlier tree"
[ "$(ls "$S/out/minimal-read")" = "first
tree" ] || fail "a failed compile left $(ls "$S/out/minimal-read")"
echo "compile --target all: $n examples byte-identical across runs and locales" \
	"($probed compared reading the filesystem), $refused refused with nothing left"
