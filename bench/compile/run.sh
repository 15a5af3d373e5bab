#!/bin/sh
# bench/compile/run.sh [BUILD_DIR]: times the whole compile (file -> TOML ->
# IR -> resolved policy, filesystem probes included) of generated profiles
# with 10, 1,000, 10,000 and 100,000 filesystem entries, each size in its own
# process (one compile per process, RUNS processes per size, default 7) and
# prints the medians as a Markdown table. It then checks that going from
# 10,000 to 100,000 entries costs at most 12x the time, and prints the same
# table for --dense profiles (one dense tree, informational). Builds a
# release copy of the libraries in BUILD_DIR (default build-bench).
# Not a ctest: speed is measured here, never in tests.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build-bench}
runs=${RUNS:-7}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSBXC_TESTS=OFF >/dev/null
cmake --build "$build" --target sbxc_compiler -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
cc -O2 -std=gnu11 -o "$build/gen_profile" "$src/bench/compile/gen_profile.c"
# shellcheck disable=SC2046 # pkg-config prints a word list
cc -O2 -std=gnu11 -D_GNU_SOURCE -I"$src/compiler/base" -I"$build/interface/sbxc_toml" \
	-I"$build/interface/sbxc_compiler" -o "$build/bench_compile" \
	"$src/bench/compile/bench_compile.c" "$build/compiler/libsbxc_compiler.a" \
	"$build/grammar/libsbxc_toml.a" "$build/compiler/base/libsbxc_base.a" \
	$(pkg-config --libs jansson)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# median, min and max of the numbers on stdin
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[1], v[NR] }'; }

table() { # table [--dense]: one row per size; sets t10000 and t100000
	printf '| entries | file | median | min | max | peak RSS |\n'
	printf '|---:|---:|---:|---:|---:|---:|\n'
	for n in 10 1000 10000 100000; do
		"$build/gen_profile" "$@" "$n" >"$out/p$n.toml"
		: >"$out/times"
		: >"$out/rss"
		i=0
		while [ "$i" -lt "$runs" ]; do
			line=$("$build/bench_compile" "$out/p$n.toml")
			echo "$line" | sed 's/.*roots, \([0-9.]*\) ms.*/\1/' >>"$out/times"
			echo "$line" | sed 's/.*peak RSS \([0-9]*\) KiB.*/\1/' >>"$out/rss"
			i=$((i + 1))
		done
		read -r med min max <<-EOF
			$(stats <"$out/times")
		EOF
		rss=$(sort -n "$out/rss" | tail -n 1)
		size=$(wc -c <"$out/p$n.toml")
		printf '| %s | %s KiB | %s ms | %s ms | %s ms | %s MiB |\n' "$n" "$((size / 1024))" \
			"$med" "$min" "$max" "$(((rss + 512) / 1024))"
		eval "t$n=$med"
	done
}

echo "profiles of 1,000-entry projects ($runs runs per size):"
echo
table
ratio=$(awk -v a="$t10000" -v b="$t100000" 'BEGIN { printf "%.1f", b / a }')
echo
echo "10,000 -> 100,000 entries: ${ratio}x the time (limit 12x)"
status=0
awk -v r="$ratio" 'BEGIN { exit !(r <= 12) }' || status=1
echo
echo "one dense tree (--dense, informational):"
echo
table --dense
ratio=$(awk -v a="$t10000" -v b="$t100000" 'BEGIN { printf "%.1f", b / a }')
echo
echo "10,000 -> 100,000 entries (dense): ${ratio}x the time"
exit $status
