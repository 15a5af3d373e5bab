#!/bin/sh
# exports.sh LIB HEADER: the shared library exports exactly the functions
# that HEADER (include/sbxc.h) declares with SBX_API, all sbx_-prefixed:
# nothing of the layers below leaks (-fvisibility=hidden), nothing declared
# is missing. Its soname is libsbxc.so.MAJOR, the header's major version.
set -u
lib=${1:?usage: exports.sh LIB HEADER}
header=${2:?usage: exports.sh LIB HEADER}
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
nm -D --defined-only "$lib" | awk '{ print $NF }' | sort >"$t/exported"
# SBX_API declarations may break after the return type: join them first
tr '\n' ' ' <"$header" | tr ';' '\n' | sed -n 's/.*SBX_API[^(]*[ *]\(sbx_[a-z0-9_]*\)(.*/\1/p' |
	sort >"$t/declared"
fail=0
if grep -v '^sbx_' "$t/exported" >"$t/bad"; then
	echo "exported without the sbx_ prefix:"
	cat "$t/bad"
	fail=1
fi
if ! diff -u "$t/declared" "$t/exported" >"$t/diff"; then
	echo "exports differ from the SBX_API declarations of $header (- declared, + exported):"
	cat "$t/diff"
	fail=1
fi
major=$(sed -n 's/^#define SBXC_VERSION_MAJOR \([0-9]*\)$/\1/p' "$header")
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libsbxc.so.$major" ]; then
	echo "soname '$soname', expected 'libsbxc.so.$major'"
	fail=1
fi
[ "$fail" = 0 ] && echo "$(wc -l <"$t/exported") functions exported, each declared SBX_API; soname $soname"
exit "$fail"
