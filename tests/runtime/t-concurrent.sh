#!/bin/sh
# Two sandboxes in one workspace at once: the mount points made for the
# missing .codex and .agents are shared under flock, so the run that ends
# first does not remove them from under the other (removing a mount point
# from another namespace detaches that mount), and the last run removes
# them, so nothing is left behind.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree concurrent
mkdir -p "$T/ws"
"$SBXC" run -P :workspace -C "$T/ws" -- sh -c '
	while [ ! -e go ]; do sleep 0.05; done
	mkdir .codex 2>/dev/null && echo A-created-codex
	touch .codex/x 2>/dev/null && echo A-wrote-codex
	touch .agents 2>/dev/null && echo A-created-agents
	echo A-done' >"$T/a.out" 2>"$T/a.err" &
a=$!
i=0
while [ ! -d "$T/ws/.codex" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
sbx "$T/out" "$T/err" run -P :workspace -C "$T/ws" -- sh -c 'echo B-done'
expect_status 0 "the second run"
expect_exists "$T/ws/.codex" "the first run's mount point survives the second run"
: >"$T/ws/go"
wait $a
status=$?
expect_status 0 "the first run"
expect_grep A-done "$T/a.out" "the first run finished its command"
expect_no_grep A-created "$T/a.out" "the first run still could not create the protected names"
expect_no_grep A-wrote "$T/a.out" "nor write into them"
expect_absent "$T/ws/.codex" "no .codex is left behind"
expect_absent "$T/ws/.agents" "no .agents is left behind"
pass
