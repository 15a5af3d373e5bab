#!/bin/sh
# link-graph.sh LIB...: the layers' static libraries, lowest first, call only
# down. Every sbx_ symbol a library uses must be defined in it or in a
# library named before it; prints each one that is not and exits 1.
set -u
[ $# -gt 0 ] || {
	echo "usage: link-graph.sh LIB..." >&2
	exit 2
}
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
: >"$t/below"
fail=0
n=0
for lib in "$@"; do
	name=${lib##*/}
	nm "$lib" | awk '$1 == "U" && $2 ~ /^sbx_/ { print $2 }' | sort -u >"$t/used"
	nm --defined-only "$lib" | awk 'NF == 3 && $2 ~ /^[A-TV-Z]$/ { print $3 }' |
		sort -u >"$t/defined"
	sort -u "$t/below" "$t/defined" >"$t/known"
	comm -23 "$t/used" "$t/known" >"$t/missing"
	if [ -s "$t/missing" ]; then
		echo "$name uses what no library below it defines:"
		sed 's/^/    /' "$t/missing"
		fail=1
	fi
	n=$((n + $(wc -l <"$t/used")))
	cat "$t/defined" >>"$t/below"
done
[ "$fail" = 0 ] && echo "$# libraries, $n uses of sbx_ symbols, each defined below or within"
exit "$fail"
