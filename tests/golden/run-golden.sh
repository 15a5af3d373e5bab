#!/bin/sh
# run-golden.sh DIR STEM: runs one golden case of sbxc and compares its whole
# output (stdout, stderr, exit status) with DIR/STEM.out.
#
# The command is DIR/STEM.cmd if present, else DIR/default.cmd: one line of
# sbxc arguments in which {} stands for STEM.toml (and {dir} for DIR, as an
# absolute path for options that need one). It runs in DIR, so
# diagnostics name the file as `STEM.toml`, with a fixed environment:
# HOME=/home/user, TMPDIR=/tmp/sbxc-golden, LC_ALL=C, no colour unless asked.
# Standard input is empty, or the output of DIR/STEM.stdin.sh when that
# exists (for inputs too large to keep in the tree).
# DIR/STEM.env, when present, holds extra NAME=VALUE lines for that
# environment (PATH for a case about bubblewrap discovery).
# Set SBXC_UPDATE_GOLDEN=1 to rewrite STEM.out from the current output.
set -u
# The cases run in a copy of tests/golden and examples outside /tmp, with
# the layout the cases refer to (../../../examples, ../<area>): golden
# profiles let the sandbox write /tmp (:slash_tmp), and sbxc refuses a
# policy file the sandbox could rewrite (E0720), so a checkout under /tmp
# would change their output. `run-golden.sh --mirror SRC MIRROR` makes the
# copy (a ctest fixture, once per run, named by SBXC_GOLDEN_MIRROR);
# without one, each case makes its own.
make_mirror() { # make_mirror SRC MIRROR
	rm -rf "$2" && mkdir -p "$2/tests" && cp -R "$1/tests/golden" "$2/tests/golden" &&
		cp -R "$1/examples" "$2/examples"
}
if [ "${1:-}" = --mirror ]; then
	make_mirror "$2" "$3"
	exit
fi
case_dir=$1
stem=$2
: "${SBXC:?SBXC must name the sbxc binary}"
own_mirror=
mirror=${SBXC_GOLDEN_MIRROR:-}
if [ -z "$mirror" ] || [ ! -d "$mirror/tests/golden" ]; then
	mirror=$(mktemp -d /var/tmp/sbxc-golden-XXXXXX) || exit 1
	own_mirror=$mirror
	make_mirror "$(cd "$case_dir/../../.." && pwd)" "$mirror" || exit 1
fi
dir=$mirror/tests/golden/$(basename "$case_dir")
cd "$dir" || exit 1
if [ -f "$stem.cmd" ]; then cmdfile=$stem.cmd; else cmdfile=default.cmd; fi
args=$(sed -e '/^#/d' "$cmdfile" | head -n 1 | sed -e "s|{}|$stem.toml|g" -e "s|{dir}|$dir|g")
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
got=$(mktemp) || exit 1
trap 'rm -rf "$out" "$err" "$got" $own_mirror' EXIT
input=/dev/null
if [ -f "$stem.stdin.sh" ]; then
	input=$(mktemp) || exit 1
	sh "$stem.stdin.sh" >"$input" || exit 1
fi
extra=
[ -f "$stem.env" ] && extra=$(sed -e '/^#/d' "$stem.env")
# shellcheck disable=SC2086 # args and extra are word lists by design
env -i PATH="$PATH" HOME=/home/user TMPDIR=/tmp/sbxc-golden LC_ALL=C \
	SBXC_SOURCE_DIR="${SBXC_SOURCE_DIR:-}" $extra "$SBXC" $args >"$out" 2>"$err" <"$input"
status=$?
[ "$input" = /dev/null ] || rm -f "$input"
{
	printf '$ sbxc %s\n' "$args"
	printf -- '--- stdout\n'
	cat "$out"
	printf -- '--- stderr\n'
	cat "$err"
	printf -- '--- exit %d\n' "$status"
} | sed -e "s|$dir|\$DIR|g" -e "s|$mirror|\$SRC|g" >"$got"
if [ "${SBXC_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$got" "$case_dir/$stem.out"
	echo "updated $case_dir/$stem.out"
	exit 0
fi
if [ ! -f "$stem.out" ]; then
	echo "missing $case_dir/$stem.out; output was:" >&2
	cat "$got" >&2
	exit 1
fi
diff -u "$stem.out" "$got"
