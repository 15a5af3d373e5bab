#!/bin/sh
# bench/proxy/bench.sh: the start-up time proxy-only networking adds.
#
#   sh bench/proxy/bench.sh [SBXC] [RUNS]
#
# Times, in one round-robin run (bench/run/timeit.c), `sbxc run
# --linux-backend bwrap -- /bin/true` with a read-only profile and
#   none     the network off (the baseline)
#   bridge   the network on with HTTP_PROXY=http://127.0.0.1:PORT: proxy-only,
#            one listener in the sandbox's namespace and the bridge process
#   filter   domain rules: tinyproxy started for the run (and stopped) on top
#            of the bridge
# and prints the medians as a Markdown table. Nothing connects: the numbers
# are what starting the mode costs. Not a test: timings depend on the machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
SBXC=${1:-$here/../../build/tools/sbxc}
SBXC=$(cd "$(dirname "$SBXC")" && pwd)/$(basename "$SBXC")
RUNS=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/timeit" "$here/../run/timeit.c"
mkdir -p "$work/ws"
base='[permissions.p]
extends = ":read-only"'
printf 'default_permissions = "p"\n%s\n' "$base" >"$work/none.toml"
printf 'default_permissions = "p"\n%s\n[permissions.p.network]\nenabled = true\n' \
	"$base" >"$work/bridge.toml"
printf '%s\n[permissions.p.network.domains]\n"example.com" = "allow"\n' \
	"$(cat "$work/bridge.toml")" >"$work/filter.toml"
run() { # run NAME TOML [ENV...]
	name=$1 toml=$2
	shift 2
	printf ':: %s /usr/bin/env -u HTTP_PROXY -u http_proxy -u HTTPS_PROXY -u https_proxy -u ALL_PROXY -u all_proxy %s %s run -c %s -C %s --linux-backend bwrap -- /bin/true\n' \
		"$name" "$*" "$SBXC" "$toml" "$work/ws"
}
# shellcheck disable=SC2046 # word lists by design (no spaces in the paths)
"$work/timeit" "$RUNS" \
	$(run none "$work/none.toml") \
	$(run bridge "$work/bridge.toml" HTTP_PROXY=http://127.0.0.1:3128) \
	$(run filter "$work/filter.toml") \
	>"$work/times"
ms() { awk -v l="$1" '$1 == l { printf "%.2f", $2 / 1000 }' "$work/times"; }
col() { awk -v l="$1" -v c="$2" '$1 == l { printf "%.2f", $c / 1000 }' "$work/times"; }
diff_ms() { awk -v a="$(ms "$1")" -v b="$(ms "$2")" 'BEGIN { printf "%+.2f ms", a - b }'; }
echo "| \`sbxc run --linux-backend bwrap -- /bin/true\` ($RUNS runs each, round-robin) | median | p10 | p90 | added to no network |"
echo "|---|---|---|---|---|"
row() { echo "| $1 | $(ms "$2") ms | $(col "$2" 3) ms | $(col "$2" 4) ms | $3 |"; }
row "no network (\`:read-only\`)" none "-"
row "proxy-only, one bridged endpoint (\`HTTP_PROXY\`)" bridge "$(diff_ms bridge none)"
row "proxy-only with domain rules (tinyproxy started and stopped)" filter "$(diff_ms filter none)"
echo
echo "$(uname -sr), $(nproc) CPUs; $(bwrap --version); $(tinyproxy -v 2>&1 | head -n 1)"
