#!/bin/sh
# The host's System V IPC objects are out of reach, on both backends: a
# read-only sandbox must not write into another process's shared memory.
# bubblewrap gives the sandbox its own IPC namespace; under Landlock, which
# shares the host's, the seccomp filter refuses the calls.
. "$SBXC_RUNTIME_LIB"
new_tree ipc
command -v ipcmk >/dev/null 2>&1 || skip "ipcmk (util-linux) is not installed"
mkdir -p "$T/ws"
backends=""
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / /bin/true 2>/dev/null; then
	backends="bwrap"
fi
[ "$(landlock_abi)" -ge 6 ] && backends="$backends landlock"
[ -n "$backends" ] || skip "neither bubblewrap nor Landlock ABI 6 is usable here"
id=$(ipcmk -M 4096 | sed -n 's/.*: *//p')
[ -n "$id" ] || skip "ipcmk could not make a shared memory segment"
trap 'ipcrm -m "$id" 2>/dev/null; chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
for b in $backends; do
	sbx "$T/out" "$T/err" run -P :read-only -C "$T/ws" --linux-backend "$b" -- \
		"$SBXC_PROBE" "$T" 0 0 "shmwrite:$id"
	expect_status 0 "$b: the probe ran"
	expect_grep "^shmwrite $id denied" "$T/out" "$b: the host's shared memory cannot be written"
done
pass
