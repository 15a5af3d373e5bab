#!/bin/sh
# bench/scale/run.sh [SBXC] [RUNS]: what a large profile costs each command.
# For generated profiles of 1,000, 10,000 and 100,000 filesystem entries
# (bench/compile/gen_profile.c), the wall time, CPU time (user + system)
# and peak RSS of:
#   lint      sbxc lint FILE
#   run-plan  sbxc run --dry-run: everything `run` does before it starts
#             bubblewrap (resolve, emit, the runtime's checks)
#   run       sbxc run -- /bin/true (a profile with more mounts than
#             bubblewrap takes ends in E0014, after the same planning)
#   compile   sbxc compile -o DIR
#   exec-plan sbxc exec --dry-run DIR (reads the artifacts compile wrote)
# Medians of RUNS (default 3) processes per cell, as a Markdown table; a
# command that refuses the profile shows its error code, and exec is then
# not measured. The workspace is an empty directory under /var/tmp.
# Not a test: timings depend on the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SBXC=${1:-$here/../../build/tools/sbxc}
RUNS=${2:-3}
work=$(mktemp -d /var/tmp/sbxc-bench-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
cc -O2 -std=gnu11 -o "$work/gen_profile" "$here/../compile/gen_profile.c"
mkdir -p "$work/ws"
# one measurement: prints "wall cpu rss" (s, s, MiB)
measure() {
	/usr/bin/time -f '%e %U %S %M' -o "$work/t" "$@" >/dev/null 2>&1 </dev/null || true
	tail -n 1 "$work/t" | awk '{ printf "%s %.2f %d\n", $1, $2 + $3, ($4 + 512) / 1024 }'
}
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
cell() { # cell NAME CMD...: the medians of RUNS measurements
	: >"$work/m"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		measure "$@" >>"$work/m"
		i=$((i + 1))
	done
	printf '%s s / %s s / %s MiB' "$(cut -d' ' -f1 "$work/m" | med)" \
		"$(cut -d' ' -f2 "$work/m" | med)" "$(cut -d' ' -f3 "$work/m" | med)"
}
printf '| entries | lint | run-plan | run | compile | exec-plan | manifest.json |\n'
printf '|---:|---|---|---|---|---|---:|\n'
for n in 1000 10000 100000; do
	"$work/gen_profile" "$n" >"$work/p$n.toml"
	p=$work/p$n.toml
	l=$(cell "$SBXC" lint -C "$work/ws" "$p")
	rp=$(cell sh -c "exec \"$SBXC\" run --dry-run -C \"$work/ws\" -c - -- /bin/true <\"$p\"")
	r=$(cell sh -c "exec \"$SBXC\" run -C \"$work/ws\" -c - -- /bin/true <\"$p\"")
	rm -rf "$work/art"
	c=$(cell sh -c "rm -rf \"$work/art\"; exec \"$SBXC\" compile --target linux -C \"$work/ws\" -o \"$work/art\" \"$p\"")
	code() { grep -o 'error\[E[0-9]*\]' "$1" | head -n 1; }
	"$SBXC" run -C "$work/ws" -c - -- /bin/true <"$p" >/dev/null 2>"$work/rerr" || r="$r, $(code "$work/rerr")"
	if [ -f "$work/art/manifest.json" ]; then
		e=$(cell "$SBXC" exec --dry-run -C "$work/ws" "$work/art" -- /bin/true)
		"$SBXC" exec --dry-run -C "$work/ws" "$work/art" -- /bin/true >/dev/null 2>"$work/eerr" ||
			{ echo "exec refused the artifacts compile wrote:" >&2; cat "$work/eerr" >&2; exit 1; }
		size="$(($(wc -c <"$work/art/manifest.json") / 1024)) KiB"
	else
		"$SBXC" compile --target linux -C "$work/ws" -o "$work/art" "$p" 2>"$work/cerr" || :
		c="$c, $(code "$work/cerr")"
		e="-"
		size="-"
	fi
	printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$l" "$rp" "$r" "$c" "$e" "$size"
done
echo
echo "each cell: wall / CPU (user + system) / peak RSS, medians of $RUNS runs"
