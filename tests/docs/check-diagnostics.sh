#!/bin/sh
# Every diagnostic code has a golden example, and spec/diagnostics.md is the
# document tools/gen-diagnostics.sh makes from them (regenerate and commit
# when this fails).
set -u
src=$1
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
sh "$src/tools/gen-diagnostics.sh" "$tmp" || exit 1
if ! diff -u "$src/spec/diagnostics.md" "$tmp"; then
	echo "spec/diagnostics.md is out of date: run sh tools/gen-diagnostics.sh" >&2
	exit 1
fi
