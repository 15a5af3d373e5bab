#!/bin/sh
# Exit status: the command's own (including 126 and 127 of its own), 128+N
# for a signal, and 126/127 with a diagnostic when the command cannot be
# executed or found -- inside the sandbox too, told apart through the inner
# stage's side channel. Both backends.
. "$SBXC_RUNTIME_LIB"
new_tree exit-status
mkdir -p "$T/ws" && printf 'not a program\n' >"$T/ws/notexec" && chmod 644 "$T/ws/notexec"
backends=""
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / /bin/true 2>/dev/null; then
	backends="bwrap"
fi
[ "$(landlock_abi)" -ge 6 ] && backends="$backends landlock"
[ -n "$backends" ] || skip "neither bubblewrap nor Landlock ABI 6 is usable here"
for b in $backends; do
	r() { sbx "$T/out" "$T/err" run -P :read-only -C "$T/ws" --linux-backend "$b" -- "$@"; }
	r sh -c 'exit 7'
	expect_status 7 "$b: the command's own status"
	r sh -c 'exit 127'
	expect_status 127 "$b: the command's own 127"
	expect_no_grep "E0715" "$T/err" "$b: its own 127 is not reported as not found"
	r sh -c 'exit 126'
	expect_status 126 "$b: the command's own 126"
	expect_no_grep "E0714" "$T/err" "$b: its own 126 is not reported as not executable"
	r sh -c 'kill -TERM $$'
	expect_status 143 "$b: killed by SIGTERM"
	r no-such-command-sbxc
	expect_status 127 "$b: a command that is not found"
	expect_grep "error\[E0715\]: command \`no-such-command-sbxc\` not found" "$T/err" "$b: E0715"
	r "$T/ws/notexec"
	expect_status 126 "$b: a file that cannot be executed"
	expect_grep "error\[E0714\]: cannot execute \`$T/ws/notexec\`: Permission denied" "$T/err" "$b: E0714"
done
pass
