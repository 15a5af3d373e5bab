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
# Set SBXC_UPDATE_GOLDEN=1 to rewrite STEM.out from the current output.
set -u
dir=$1
stem=$2
: "${SBXC:?SBXC must name the sbxc binary}"
cd "$dir" || exit 1
if [ -f "$stem.cmd" ]; then cmdfile=$stem.cmd; else cmdfile=default.cmd; fi
args=$(sed -e '/^#/d' "$cmdfile" | head -n 1 | sed -e "s|{}|$stem.toml|g" -e "s|{dir}|$dir|g")
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
got=$(mktemp) || exit 1
trap 'rm -f "$out" "$err" "$got"' EXIT
input=/dev/null
if [ -f "$stem.stdin.sh" ]; then
	input=$(mktemp) || exit 1
	sh "$stem.stdin.sh" >"$input" || exit 1
fi
# shellcheck disable=SC2086 # args is a word list by design
env -i PATH="$PATH" HOME=/home/user TMPDIR=/tmp/sbxc-golden LC_ALL=C \
	SBXC_SOURCE_DIR="${SBXC_SOURCE_DIR:-}" "$SBXC" $args >"$out" 2>"$err" <"$input"
status=$?
[ "$input" = /dev/null ] || rm -f "$input"
{
	printf '$ sbxc %s\n' "$args"
	printf -- '--- stdout\n'
	cat "$out"
	printf -- '--- stderr\n'
	cat "$err"
	printf -- '--- exit %d\n' "$status"
} | sed -e "s|$dir|\$DIR|g" >"$got"
if [ "${SBXC_UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$got" "$stem.out"
	echo "updated $dir/$stem.out"
	exit 0
fi
if [ ! -f "$stem.out" ]; then
	echo "missing $dir/$stem.out; output was:" >&2
	cat "$got" >&2
	exit 1
fi
diff -u "$stem.out" "$got"
