#!/bin/sh
# include-graph-selftest.sh SRC: include-graph.sh finds each kind of
# violation: a lower layer including a higher one, another layer's internal
# header, a layer of the same rank, an unknown header, sources in a
# directory of no layer, a project header in the public header, and a
# header named like a libc one. Builds a small tree
# with exactly those and compares the whole report.
set -u
src=${1:?usage: include-graph-selftest.sh SRC}
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/compiler/base" "$t/emitters/macos" "$t/runtime" "$t/tools/libsbxc" "$t/include"
: >"$t/emitters/macos/seatbelt.c"
printf '#include "strbuf.h"\n#include "resolve.h"\n' >"$t/compiler/base/ctx.h"
: >"$t/compiler/base/strbuf.h"
: >"$t/compiler/base/limits.h"
printf 'sbxc_interface(sbxc_compiler\n  resolve.h)\n' >"$t/compiler/CMakeLists.txt"
printf '#include "ctx.h"\n#include "resolve_int.h"\n' >"$t/compiler/resolve.h"
printf '#include "resolve.h"\n' >"$t/compiler/resolve_int.h"
printf '#include "resolve.h"\n#include "resolve_int.h"\n#include "nowhere.h"\n' >"$t/emitters/e.c"
: >"$t/tools/libsbxc/api_int.h"
printf '#include "sbxc.h"\n#include "api_int.h"\n' >"$t/runtime/r.c"
printf '#include <stddef.h>\n#include "ctx.h"\n' >"$t/include/sbxc.h"
got=$(sh "$src/tests/arch/include-graph.sh" "$t" 2>&1)
rc=$?
want="compiler/base/ctx.h:2: \`resolve.h\` belongs to layer compiler, which layer base may not include (not below it)
emitters/e.c:2: \`resolve_int.h\` is internal to layer compiler (not in its sbxc_interface list)
emitters/e.c:3: \`nowhere.h\` is not a header of any layer
runtime/r.c:1: \`sbxc.h\` (the public API) is above layer runtime
runtime/r.c:2: \`api_int.h\` belongs to layer libsbxc, which layer runtime may not include (not below it)
emitters/macos/: C sources in no layer (add the directory to include-graph.sh)
include/sbxc.h:2: the public header includes a project header
compiler/base/limits.h: named like the C/POSIX header <limits.h>, which it would shadow"
if [ "$rc" != 1 ] || [ "$got" != "$want" ]; then
	echo "exit status $rc (want 1); report:"
	echo "$got"
	echo "--- want:"
	echo "$want"
	exit 1
fi
echo "include-graph.sh reports all eight violations"
