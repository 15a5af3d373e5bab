#!/bin/sh
# --status-fd tells a refusal from the command's own 125/126/127 (the exit
# status alone cannot): the last line on the descriptor is `sbxc: started`
# when the status is the command's and `sbxc: refused STATUS CODE` when it
# is sbxc's; the command never gets the descriptor. Both backends, run and
# exec.
. "$SBXC_RUNTIME_LIB"
new_tree status-fd
mkdir -p "$T/ws" "$T/art"
backends=""
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / /bin/true 2>/dev/null; then
	backends="bwrap"
fi
[ "$(landlock_abi)" -ge 6 ] && backends="$backends landlock"
[ -n "$backends" ] || skip "neither bubblewrap nor Landlock ABI 6 is usable here"
last() { tail -n 1 "$T/st"; }
expect_last() { # expect_last LINE WHAT
	if [ "$(last)" = "$1" ]; then ok "$2"; else fail "$2: status line '$(last)', wanted '$1'"; fi
}
for b in $backends; do
	r() { sbx "$T/out" "$T/err" run -P :read-only -C "$T/ws" --linux-backend "$b" --status-fd 3 -- "$@" 3>"$T/st"; }
	r sh -c 'exit 125'
	expect_status 125 "$b: the command's own 125"
	expect_last "sbxc: started" "$b: its own 125 is reported as the command's"
	expect_no_grep "error\[" "$T/err" "$b: no diagnostic for its own 125"
	r sh -c 'exit 127'
	expect_status 127 "$b: the command's own 127"
	expect_last "sbxc: started" "$b: its own 127 is the command's"
	r no-such-command-sbxc
	expect_status 127 "$b: a command that is not found"
	expect_last "sbxc: refused 127 E0715" "$b: not found is sbxc's 127"
	r sh -c 'ls -l /proc/self/fd/; echo ran'
	expect_status 0 "$b: a command runs with --status-fd"
	expect_no_grep "$T/st" "$T/out" "$b: the command does not get the status descriptor"
	expect_grep "^ran" "$T/out" "$b: the command ran"
	# a refusal: a forced Landlock ABI too old for the profile (E0706)
	sbx "$T/out" "$T/err" run -C "$T/ws" --linux-backend landlock --test-landlock-abi 1 \
		--status-fd 3 -P :read-only -- sh -c 'echo ran >"$0"; exit 125' "$T/ws/ran" 3>"$T/st"
	expect_status 125 "$b: a refusal"
	expect_last "sbxc: refused 125 E0706" "$b: the refusal is sbxc's, with its code"
	expect_absent "$T/ws/ran" "$b: the refused command did not run"
done
# exec: a stale artifact directory is refused; unchanged ones run the command
sbx "$T/out" "$T/err" compile --target linux -P :read-only -C "$T/ws" -o "$T/art"
expect_status 0 "compile"
sbx "$T/out" "$T/err" exec --status-fd 3 -C "$T/ws" "$T/art" -- sh -c 'exit 125' 3>"$T/st"
expect_status 125 "exec: the command's own 125"
expect_last "sbxc: started" "exec: its own 125 is the command's"
printf 'x' >>"$T/art/manifest.json"
sbx "$T/out" "$T/err" exec --status-fd 3 -C "$T/ws" "$T/art" -- sh -c 'exit 125' 3>"$T/st"
expect_status 125 "exec: invalid artifacts"
expect_last "sbxc: refused 125 E0710" "exec: the refusal is sbxc's"
# no line at all: a usage error, before sbxc decided anything
sbx "$T/out" "$T/err" run --status-fd 3 --no-such-option -- true 3>"$T/st"
expect_status 2 "a usage error"
if [ -s "$T/st" ]; then fail "a usage error writes no status line"; else ok "no status line for a usage error"; fi
pass
