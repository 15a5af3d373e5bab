#!/bin/sh
# bench/run/bench.sh: how much sbxc adds to starting a sandboxed command.
#
#   sh bench/run/bench.sh [SBXC] [RUNS]        (as root; RUNS defaults to 300)
#
# Times, in ONE round-robin run (bench/run/timeit.c), as root and as an
# unprivileged user (uid BENCH_UID, default 65534, switched to by timeit in
# the child, so both users share every slow moment of the machine), the
# whole process (fork, exec, the sandbox, wait) of:
#   bare        /bin/true
#   landlock    sbxc run -P :read-only -- /bin/true   (auto: Landlock)
#   raw         bubblewrap with the argument file `sbxc compile` emits for
#               :read-only and the argv the fast path adds: --seccomp (the
#               same filter), --json-status-fd, --cap-drop ALL, --chdir
#   run-hit     sbxc run -P :read-only --linux-backend bwrap -- /bin/true,
#               the compiled run cached (the warm-up runs fill the cache):
#               the fast launch path, no compile. Without the run cache
#               (sbxc run has no --no-cache) this row is `run-fast`: the
#               fast path forced with the test-only SBXC_TEST_KNOWN_GOOD=1,
#               compiling every time
#   run-miss    the same with the cache off (SBXC_NO_CACHE=1): compile and
#               the diagnosing path (the inner stage)
#   exec-fast   sbxc exec --linux-backend bwrap on artifacts compiled for :read-only, on the fast
#               path (SBXC_TEST_KNOWN_GOOD=1, as a cached run would be)
#   exec        the same on the diagnosing path
#   start       sbxc version: sbxc's own exec (root only)
#   floor-*     bench/run/floor.c, built static as sbxc is: what any front
#               end pays without doing sbxc's work. floor-true: a static
#               glibc program's start (root only); floor-exec: it execs raw
#               bubblewrap in place; floor-wait: its vfork child enters a
#               private mount namespace (a user namespace first when not
#               root) and execs raw bubblewrap, and it waits: the least the
#               fast path does; floor-fork and floor-ns: each half of
#               that alone (root only). floor-nolibc (x86-64 only): the same exec
#               in place without any libc start-up (nolibc_exec.c). Also
#               the cost of one CPUID instruction
# and prints the medians (p10, p90) and the ratios as Markdown tables.
# Goals (issue 14): run-hit and exec-fast <= 1.10x raw, run-miss <= 1.25x,
# landlock <= bare + 1.5 ms. Not a test: timings depend on the machine; on a
# shared machine run it at a quiet moment, and run it twice.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SBXC=${1:-$here/../../build/tools/sbxc}
SBXC=$(cd "$(dirname "$SBXC")" && pwd)/$(basename "$SBXC")
RUNS=${2:-300}
U=${BENCH_UID:-65534}
BWRAP=$(command -v bwrap)
[ "$(id -u)" = 0 ] || {
	echo "bench/run: run it as root (it times root and uid $U in one run)" >&2
	exit 2
}
work=$(mktemp -d /var/tmp/sbxc-bench-XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work"' EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT && echo "work: $work"
cc -O2 -o "$work/timeit" "$here/timeit.c"
cc -O2 -static -o "$work/floor" "$here/floor.c"
nolibc=false
if [ "$(uname -m)" = x86_64 ]; then
	cc -O2 -static -nostdlib -fno-stack-protector -o "$work/nolibc_exec" "$here/nolibc_exec.c" && nolibc=true
fi
# a copy both users can execute (the build tree may be under /root)
cp "$SBXC" "$work/sbxc"
chmod 0755 "$work/sbxc"
S=$work/sbxc

ws=$work/ws
mkdir -p "$ws/.git" "$ws/.agents" "$ws/.codex" "$work/home-0" "$work/home-$U"
touch "$ws/.git/HEAD" "$ws/.agents/a" "$ws/.codex/c"
chown "$U:$U" "$work/home-$U"
chmod 0700 "$work/home-0" "$work/home-$U"

cache=false
"$S" run --help 2>/dev/null | grep -q -- '--no-cache' && cache=true

as() { # as UID CMD...: CMD as that user, in its own home
	u=$1
	shift
	if [ "$u" = 0 ]; then
		HOME=$work/home-0 XDG_CACHE_HOME=$work/home-0/.cache "$@"
	else
		HOME=$work/home-$u XDG_CACHE_HOME=$work/home-$u/.cache \
			setpriv --reuid="$u" --regid="$u" --clear-groups "$@"
	fi
}

set --
for u in 0 "$U"; do
	h=$work/home-$u
	envw="HOME=$h XDG_CACHE_HOME=$h/.cache"
	as "$u" "$S" compile --target linux -P :read-only -C "$ws" --print bwrap.args >"$work/args-$u"
	as "$u" "$S" compile --target linux -P :read-only -C "$ws" --print seccomp.bpf >"$work/bpf-$u"
	chmod 0644 "$work/args-$u" "$work/bpf-$u"
	as "$u" "$S" compile --target linux -P :read-only -C "$ws" -o "$h/art" >/dev/null
	run="$S run -P :read-only -C $ws --linux-backend bwrap -- /bin/true"
	if $cache; then
		hit_label=run-hit hit_env="" miss_env="SBXC_NO_CACHE=1"
	else
		hit_label=run-fast hit_env="SBXC_TEST_KNOWN_GOOD=1" miss_env=""
	fi
	# shellcheck disable=SC2086 # word lists on purpose
	set -- "$@" \
		:: "bare@$u" /bin/true \
		:: "landlock@$u" $envw "$S" run -P :read-only -C "$ws" -- /bin/true \
		:: "raw@$u=$work/args-$u,$work/bpf-$u,/dev/null" "$BWRAP" --args 3 --seccomp 4 \
		--json-status-fd 5 --cap-drop ALL --chdir "$ws" -- /bin/true \
		:: "floor-exec@$u=$work/args-$u,$work/bpf-$u,/dev/null" "$work/floor" exec "$BWRAP" --args 3 \
		--seccomp 4 --json-status-fd 5 --cap-drop ALL --chdir "$ws" -- /bin/true \
		:: "floor-wait@$u=$work/args-$u,$work/bpf-$u,/dev/null" "$work/floor" wait "$BWRAP" --args 3 \
		--seccomp 4 --json-status-fd 5 --cap-drop ALL --chdir "$ws" -- /bin/true \
		:: "$hit_label@$u" $envw $hit_env $run \
		:: "run-miss@$u" $envw $miss_env $run \
		:: "exec-fast@$u" $envw SBXC_TEST_KNOWN_GOOD=1 "$S" exec --linux-backend bwrap -C "$ws" "$h/art" -- /bin/true \
		:: "exec@$u" $envw "$S" exec --linux-backend bwrap -C "$ws" "$h/art" -- /bin/true
done
# the fast path really is taken where the rows say so
SBXC_TEST_KNOWN_GOOD=1 "$S" run -P :read-only -C "$ws" --linux-backend bwrap --dry-run -- /bin/true |
	grep -q '^launch: fast path' || {
	echo "bench/run: the fast path is not taken on this machine" >&2
	exit 1
}
raw0="$BWRAP --args 3 --seccomp 4 --json-status-fd 5 --cap-drop ALL --chdir $ws -- /bin/true"
fds0="$work/args-0,$work/bpf-0,/dev/null"
# shellcheck disable=SC2086 # word lists on purpose
set -- "$@" :: "floor-fork@0=$fds0" "$work/floor" fork $raw0 :: "floor-ns@0=$fds0" "$work/floor" ns $raw0
# shellcheck disable=SC2086
$nolibc && set -- "$@" :: "floor-nolibc@0=$fds0" "$work/nolibc_exec" $raw0
"$work/timeit" "$RUNS" "$@" :: start "$S" version :: floor-true "$work/floor" true >"$work/times"

ms() { awk -v l="$1" '$1 == l { printf "%.2f", $2 / 1000 }' "$work/times"; }
col() { awk -v l="$1" -v c="$2" '$1 == l { printf "%.2f", $c / 1000 }' "$work/times"; }
ratio() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%.2fx", a / b }'; }
diff_ms() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%+.2f ms", a - b }'; }
row() { echo "| $1 | $(ms "$2") ms | $(col "$2" 3) ms | $(col "$2" 4) ms | $3 |"; }
for u in 0 "$U"; do
	who="root"
	[ "$u" = 0 ] || who="uid $u"
	echo "| $who (\`/bin/true\`, $RUNS runs each, one round-robin run) | median | p10 | p90 | compared with |"
	echo "|---|---|---|---|---|"
	row "bare exec" "bare@$u" "-"
	row "\`sbxc run\`, Landlock (\`:read-only\`)" "landlock@$u" "bare: $(diff_ms "landlock@$u" "bare@$u")"
	row "bubblewrap, raw (\`:read-only\` argv + \`--seccomp\`)" "raw@$u" "-"
	if [ "$u" = 0 ] && $nolibc; then
		row "floor: a program without libc execs raw bubblewrap" "floor-nolibc@0" "raw: $(ratio "floor-nolibc@0" "raw@0")"
	fi
	row "floor: a static glibc program execs raw bubblewrap" "floor-exec@$u" "raw: $(ratio "floor-exec@$u" "raw@$u")"
	if [ "$u" = 0 ]; then
		row "floor: ... execs it in a vfork child and waits" "floor-fork@0" "raw: $(ratio "floor-fork@0" "raw@0")"
		row "floor: ... enters a private mount namespace, execs it in place" "floor-ns@0" "raw: $(ratio "floor-ns@0" "raw@0")"
	fi
	row "floor: ... in a private mount namespace, and waits" "floor-wait@$u" "raw: $(ratio "floor-wait@$u" "raw@$u")"
	if $cache; then
		row "\`sbxc run\`, cached (fast path)" "run-hit@$u" "raw: $(ratio "run-hit@$u" "raw@$u")"
	else
		row "\`sbxc run\`, fast path, compiling (no run cache in this build)" "run-fast@$u" \
			"raw: $(ratio "run-fast@$u" "raw@$u")"
	fi
	row "\`sbxc run\`, a miss (compile, inner stage)" "run-miss@$u" "raw: $(ratio "run-miss@$u" "raw@$u")"
	row "\`sbxc exec\`, fast path" "exec-fast@$u" "raw: $(ratio "exec-fast@$u" "raw@$u")"
	row "\`sbxc exec\`, inner stage" "exec@$u" "raw: $(ratio "exec@$u" "raw@$u")"
	if [ "$u" = 0 ]; then
		row "where it goes: \`sbxc version\` (sbxc's own exec)" start "bare: $(diff_ms start "bare@0")"
		row "where it goes: a static glibc program that returns" floor-true "bare: $(diff_ms floor-true "bare@0")"
	fi
	echo
done
insns=$(($(wc -c <"$work/bpf-0") / 8))
echo "seccomp filter: $insns BPF instructions; $(uname -sr), $(nproc) CPUs; $("$BWRAP" --version)"
cpuid=$("$work/floor" cpuid 2>/dev/null) && echo "one CPUID instruction: $cpuid us"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
