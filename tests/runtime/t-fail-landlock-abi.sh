#!/bin/sh
# Fail closed: a kernel whose Landlock ABI is too old (simulated with the
# SBXC_TEST_LANDLOCK_ABI hook, which can only lower the ABI) -> a forced
# Landlock run exits 125 with E0706 (E0705 without Landlock) and does not
# run; `auto` falls back to bubblewrap. sbxc needs ABI 6 (scopes): with it,
# the command cannot signal a process outside the sandbox.
. "$SBXC_RUNTIME_LIB"
new_tree landlock-abi
need_landlock 6
mkdir -p "$T/ws"
run_ll() { # run_ll ABI BACKEND: a read-only profile Landlock enforces
	env SBXC_TEST_LANDLOCK_ABI="$1" "$SBXC" run -P :read-only -C "$T/ws" \
		--linux-backend "$2" -- /bin/sh -c "echo ran" >"$T/out" 2>"$T/err"
	status=$?
}
run_ll 1 landlock
expect_status 125 "forced Landlock, ABI 1"
expect_grep "error\[E0706\]: Landlock ABI 6 is needed for this profile, but this kernel has ABI 1" "$T/err" "E0706 is reported"
expect_no_grep "^ran$" "$T/out" "the command did not run"

# ABI 5 has truncate and device ioctls but no scopes: the command could
# signal any process of its user outside the sandbox
run_ll 5 landlock
expect_status 125 "forced Landlock, ABI 5"
expect_grep "error\[E0706\]: Landlock ABI 6 is needed for this profile, but this kernel has ABI 5" "$T/err" "E0706 is reported"
expect_no_grep "^ran$" "$T/out" "the command did not run"

run_ll 0 landlock
expect_status 125 "forced Landlock, no Landlock"
expect_grep "error\[E0705\]: this kernel does not offer Landlock" "$T/err" "E0705 is reported"
expect_no_grep "^ran$" "$T/out" "the command did not run"

env SBXC_TEST_LANDLOCK_ABI=99 "$SBXC" run -P :read-only -C "$T/ws" --dry-run -- /bin/true >"$T/out" 2>"$T/err"
status=$?
expect_status 0 "the hook set above the kernel's ABI"
expect_grep "kernel ABI $(landlock_abi)" "$T/out" "the hook cannot raise the ABI"
expect_no_grep "kernel ABI 99" "$T/out" "the hook cannot raise the ABI"

# with scopes, no signal leaves the sandbox (a process outside, of this user)
sleep 30 &
outside=$!
"$SBXC" run -P :read-only -C "$T/ws" --linux-backend landlock -- /bin/sh -c "
	kill -0 $outside 2>/dev/null && echo SIGNALLED; echo ran" >"$T/out" 2>"$T/err"
status=$?
expect_status 0 "Landlock run"
expect_grep "^ran$" "$T/out" "the command ran"
expect_no_grep SIGNALLED "$T/out" "it could not signal a process outside the sandbox"
kill "$outside" 2>/dev/null

if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / /bin/true 2>/dev/null; then
	env SBXC_TEST_LANDLOCK_ABI=1 "$SBXC" run -P :read-only -C "$T/ws" --dry-run -- /bin/true >"$T/out" 2>"$T/err"
	expect_grep "^backend: linux-bwrap" "$T/out" "auto falls back to bubblewrap"
	env SBXC_TEST_LANDLOCK_ABI=5 "$SBXC" run -P :read-only -C "$T/ws" --dry-run -- /bin/true >"$T/out" 2>"$T/err"
	expect_grep "^backend: linux-bwrap" "$T/out" "auto falls back to bubblewrap below ABI 6 too"
	run_ll 1 auto
	expect_status 0 "auto with ABI 1 runs under bubblewrap"
	expect_grep "^ran$" "$T/out" "the command ran"
else
	echo "note: no usable bubblewrap, the fallback half is not tested here"
fi
pass
