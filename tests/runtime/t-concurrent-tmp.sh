#!/bin/sh
# Many sandboxes at once in one /tmp (issue 13, section 5). Under
# :workspace, /tmp and :tmpdir are writable roots whose missing .git,
# .agents and .codex get empty mount points that several runs share. A run
# must never depend on another run's mount point: one that observed it when
# compiling and found it gone when starting used it as a bind source and
# failed (E0704 "Can't find source path /tmp/.git"), or failed to hold it
# (E0717). 24 workers start 6 sandboxes each, one after another, all at once,
# under :workspace and under a profile with a deny glob (whose walk widens
# the window) and a shared writable directory standing for /tmp; every one must
# run its command, none may create a protected name, and nothing is left.
# As root the test gets a /tmp of its own (a tmpfs in a mount namespace of
# its own), so that it neither disturbs nor is disturbed by anything else
# using the machine's /tmp; otherwise (or when the checkout or the build,
# which the private /tmp would hide, is under /tmp) it shares the machine's.
under_tmp() { # under_tmp FILE...: one of them is below /tmp
	for f in "$@"; do
		case "$(cd "$(dirname "$f")" && pwd -P)/" in /tmp/*) return 0 ;; esac
	done
	return 1
}
if [ "$(id -u)" = 0 ] && [ -z "${SBXC_PRIVATE_TMP:-}" ] && command -v unshare >/dev/null 2>&1 &&
	! under_tmp "$0" "$SBXC" "$SBXC_RUNTIME_LIB" &&
	unshare -m --propagation private true 2>/dev/null; then
	export SBXC_PRIVATE_TMP=1
	exec unshare -m --propagation private sh -c \
		'mount -t tmpfs -o mode=1777 none /tmp && exec sh "$0"' "$0"
fi
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree concurrent-tmp
N=24
ROUNDS=6
# the second half: a shared directory standing for /tmp, and a deny glob
# over a large tree, whose walk widens the time between a run's look at
# the shared mount points and its start
mkdir -p "$T/shared"
i=0
while [ $i -lt 40 ]; do
	j=0
	while [ $j -lt 40 ]; do
		mkdir -p "$T/big/d$i/e$j"
		j=$((j + 1))
	done
	i=$((i + 1))
done
cat >"$T/shared.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/shared" = "write"
"$T/big/**/*.env" = "deny"
TOML
left_before=$(ls -d /tmp/.git /tmp/.agents /tmp/.codex 2>/dev/null)
i=0
while [ $i -lt $N ]; do # N workers, each starting ROUNDS sandboxes one after another
	mkdir -p "$T/ws$i"
	(
		r=0
		while [ $r -lt $ROUNDS ]; do
			if [ $((r % 2)) = 0 ]; then set -- -P :workspace; else set -- -c "$T/shared.toml"; fi
			"$SBXC" run "$@" -C "$T/ws$i" -- sh -c "
				mkdir /tmp/.git/x $T/shared/.codex $T/shared/.git/x 2>/dev/null && echo created
				echo ran" >"$T/out.$i.$r" 2>"$T/err.$i.$r" </dev/null
			r=$((r + 1))
		done
	) &
	i=$((i + 1))
done
wait
bad=0
for f in "$T"/out.*; do
	e=$(printf '%s' "$f" | sed 's/out\./err./')
	if ! grep -q '^ran$' "$f" || grep -q created "$f"; then
		bad=$((bad + 1))
		[ $bad -le 3 ] && { echo "--- $f"; cat "$f" "$e"; }
	fi
done
if [ $bad -eq 0 ]; then ok "all $((N * ROUNDS)) sandboxes ran, none created a protected name"; else fail "$bad of $((N * ROUNDS)) sandboxes failed or created a protected name"; fi
left_after=$(ls -d /tmp/.git /tmp/.agents /tmp/.codex 2>/dev/null)
if [ -z "$left_before" ] && [ -n "$left_after" ]; then
	# another test may be running at the same time: wait for it briefly
	sleep 2
	left_after=$(ls -d /tmp/.git /tmp/.agents /tmp/.codex 2>/dev/null)
fi
left=$(ls -d "$T/shared/.git" "$T/shared/.agents" "$T/shared/.codex" "$TMPDIR/.git" 2>/dev/null)
if [ -z "$left" ]; then ok "no mount point is left in the shared directory"; else fail "left behind: $left"; fi
if [ -z "$left_before" ]; then
	if [ -z "$left_after" ]; then ok "no mount point is left behind"; else fail "left behind: $left_after"; fi
fi
pass
