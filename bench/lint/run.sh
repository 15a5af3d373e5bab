#!/bin/sh
# bench/lint/run.sh [SBXC] [FILES]: lints FILES (default 1,000) typical policy
# files in one `sbxc lint DIR` run, RUNS times (default 5), and prints the
# median wall time and files per second. The files are copies of the bundled
# examples (a handful of profiles each, with extends, deny globs, network
# tables), each under its own name; every run must exit 0. Goal: 1,000
# typical files in under 1 s. Not a ctest: speed is measured here.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
sbxc=${1:-$src/build/tools/sbxc}
n=${2:-1000}
runs=${RUNS:-5}
# outside /tmp: the examples let the sandbox write /tmp, and a policy file
# the sandbox could rewrite is refused (E0720), which is not a typical run
dir=$(mktemp -d /var/tmp/sbxc-bench-lint-XXXXXX) || exit 1
trap 'rm -rf "$dir" "$dir.err"' EXIT
i=0
while [ "$i" -lt "$n" ]; do
	for f in "$src"/examples/*.toml; do
		[ "$i" -lt "$n" ] || break
		sub=$dir/p$((i % 20))
		mkdir -p "$sub"
		cp "$f" "$sub/$i-$(basename "$f")"
		i=$((i + 1))
	done
done
times=""
r=0
while [ "$r" -lt "$runs" ]; do
	t0=$(date +%s%N)
	"$sbxc" lint -q --home /home/user --tmpdir /tmp --cwd /work "$dir" >/dev/null 2>"$dir.err"
	st=$?
	t1=$(date +%s%N)
	if [ "$st" -ne 0 ] || [ -s "$dir.err" ]; then
		echo "bench/lint: the run exited $st or printed diagnostics:" >&2
		head -n 20 "$dir.err" >&2
		rm -f "$dir.err"
		exit 1
	fi
	times="$times $(((t1 - t0) / 1000))"
	r=$((r + 1))
done
# shellcheck disable=SC2086 # a word list of numbers
med=$(printf '%s\n' $times | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
awk -v n="$n" -v us="$med" 'BEGIN {
	printf "| files | median wall time | files/s |\n|---|---|---|\n"
	printf "| %d | %.1f ms | %.0f |\n", n, us / 1000, n / (us / 1e6)
}'
