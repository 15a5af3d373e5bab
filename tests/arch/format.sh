#!/bin/sh
# format.sh SRC: every C source of the tree is formatted as the repo's
# .clang-format says. Lists each file that is not (with clang-format's
# first complaints) and exits 1; fix with `clang-format -i FILE`.
#
# The formatting is pinned to clang-format 14, Debian 12's (tools/dev.sh
# installs it): other releases break some lines differently, so with another
# one the check is skipped (exit 77) with the reason printed.
set -u
src=${1:?usage: format.sh SRC}
cd "$src" || exit 1
cf=${CLANG_FORMAT:-clang-format}
if ! command -v "$cf" >/dev/null 2>&1; then
	echo "format.sh: $cf not found (tools/dev.sh installs it)" >&2
	exit 1
fi
version=$("$cf" --version | sed -n 's/.*clang-format version \([0-9]*\)\..*/\1/p')
if [ "$version" != 14 ]; then
	echo "format.sh: skipped: the format is pinned to clang-format 14, this is '$("$cf" --version)'"
	exit 77
fi
# C sources: the layers, the tools, the tests (not their data: fixtures and
# the TOML suite), the benchmarks, the public header and the examples
files=$(find compiler grammar emitters runtime tools tests bench include examples \
	\( -name '*.c' -o -name '*.h' \) -not -path '*/fixtures/*' -not -path 'tests/toml/toml-test/*' \
	2>/dev/null | sort)
bad=0
n=0
for f in $files; do
	n=$((n + 1))
	if ! out=$("$cf" --dry-run --Werror "$f" 2>&1); then
		echo "$f: not formatted (clang-format -i $f):"
		echo "$out" | head -n 6
		bad=$((bad + 1))
	fi
done
if [ "$bad" -gt 0 ]; then
	echo "$bad of $n C sources are not formatted"
	exit 1
fi
echo "$n C sources formatted"
