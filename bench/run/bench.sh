#!/bin/sh
# bench/run/bench.sh: how much sbxc adds to starting a sandboxed command.
#
#   sh bench/run/bench.sh [SBXC] [RUNS]
#
# Times, in one round-robin run (bench/run/timeit.c), the whole process of:
#   bare            /bin/true
#   landlock        sbxc run -P :read-only -- /bin/true   (auto: Landlock)
#   bwrap-raw       bwrap with the argv `sbxc compile` emits for :read-only,
#                   then /bin/true
#   bwrap-sbxc      sbxc run -P :read-only --linux-backend bwrap -- /bin/true
#   ws-raw/ws-sbxc  the same for a workspace profile (a writable root with
#                   read-only .git, .agents and .codex: more mounts)
#   start, plan, inner  where the time goes: sbxc's own start, its start
#                   plus compiling and planning (--dry-run), and the cost of
#                   starting sbxc inside bubblewrap (the inner stage)
# and prints the medians and the ratios as a Markdown table. Goals: the
# bubblewrap path within 1.10x of raw bubblewrap; the Landlock path within
# 2 ms of bare exec. Not a test: timings depend on the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SBXC=${1:-$here/../../build/tools/sbxc}
SBXC=$(cd "$(dirname "$SBXC")" && pwd)/$(basename "$SBXC")
RUNS=${2:-300}
BWRAP=$(command -v bwrap)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "${BENCH_KEEP:-}" ] && trap - EXIT && echo "work: $work"
cc -O2 -o "$work/timeit" "$here/timeit.c"

# a workspace with real (non-empty) .git, .agents and .codex, so that no
# mount point has to be created and raw bubblewrap leaves nothing behind
ws=$work/ws
mkdir -p "$ws/.git" "$ws/.agents" "$ws/.codex"
touch "$ws/.git/HEAD" "$ws/.agents/a" "$ws/.codex/c"
cat >"$work/ws.toml" <<TOML
default_permissions = "ws"
[permissions.ws.filesystem]
":root" = "read"
":workspace_roots" = "write"
TOML

# raw bubblewrap runs the same argument file, with the same --chdir
argv_of() { # argv_of FILE: the bwrap.args of a compile, one word per line
	tr '\0' '\n' <"$1"
}
"$SBXC" compile --target linux -P :read-only -C "$ws" --print bwrap.args >"$work/ro.args"
"$SBXC" compile --target linux -C "$ws" --print bwrap.args "$work/ws.toml" >"$work/ws.args"
"$work/timeit" "$RUNS" \
	:: bare /bin/true \
	:: landlock "$SBXC" run -P :read-only -C "$ws" -- /bin/true \
	:: "bwrap-raw=$work/ro.args" "$BWRAP" --args 3 --chdir "$ws" -- /bin/true \
	:: bwrap-sbxc "$SBXC" run -P :read-only -C "$ws" --linux-backend bwrap -- /bin/true \
	:: "ws-raw=$work/ws.args" "$BWRAP" --args 3 --chdir "$ws" -- /bin/true \
	:: ws-sbxc "$SBXC" run -c "$work/ws.toml" -C "$ws" --linux-backend bwrap -- /bin/true \
	:: start "$SBXC" version \
	:: plan "$SBXC" run -P :read-only -C "$ws" --linux-backend bwrap --dry-run -- /bin/true \
	:: "inner=$work/ro.args" "$BWRAP" --args 3 --chdir "$ws" -- "$SBXC" version \
	>"$work/times"
ms() { awk -v l="$1" '$1 == l { printf "%.2f", $2 / 1000 }' "$work/times"; }
col() { awk -v l="$1" -v c="$2" '$1 == l { printf "%.2f", $c / 1000 }' "$work/times"; }
ratio() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%.2fx", a / b }'; }
diff_ms() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%+.2f ms", a - b }'; }
insns=$("$SBXC" compile --target linux -P :read-only -C "$ws" --print seccomp.json |
	sed -n 's/.*"instructions": \([0-9]*\).*/\1/p')
echo "| what (\`/bin/true\`, $RUNS runs each, round-robin) | median | p10 | p90 | compared with |"
echo "|---|---|---|---|---|"
row() { echo "| $1 | $(ms "$2") ms | $(col "$2" 3) ms | $(col "$2" 4) ms | $3 |"; }
row "bare exec" bare "-"
row "\`sbxc run\`, Landlock (\`:read-only\`)" landlock "bare: $(diff_ms landlock bare)"
row "bubblewrap, raw (the \`:read-only\` argv)" bwrap-raw "-"
row "\`sbxc run\`, bubblewrap (\`:read-only\`)" bwrap-sbxc "raw: $(ratio bwrap-sbxc bwrap-raw)"
row "bubblewrap, raw (workspace argv)" ws-raw "-"
row "\`sbxc run\`, bubblewrap (workspace)" ws-sbxc "raw: $(ratio ws-sbxc ws-raw)"
row "where it goes: \`sbxc version\` (sbxc's own exec)" start "bare: $(diff_ms start bare)"
row "where it goes: \`sbxc run --dry-run\` (exec + compile + plan)" plan "bare: $(diff_ms plan bare)"
row "where it goes: raw bubblewrap running \`sbxc version\`" inner "raw: $(diff_ms inner bwrap-raw)"
echo
echo "seccomp filter: $insns BPF instructions; $(uname -sr), $(nproc) CPUs; $("$BWRAP" --version)"
