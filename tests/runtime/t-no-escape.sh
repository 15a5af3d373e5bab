#!/bin/sh
# The sandboxed command cannot take the sandbox apart: it holds no
# capability (run as root, bubblewrap would keep them all inside its user
# namespace, and CAP_SYS_ADMIN could unmount the masks), an exec cannot get
# one back (no_new_privs), a nested user namespace cannot unmount the masks
# (they are locked), no descriptor of sbxc's is left in the sandbox, and
# bubblewrap's own pid 1 in the sandbox runs under the seccomp filter too
# (the command can open /proc/1/mem and run system calls from there). Run on
# both launch paths (the fast one: SBXC_TEST_KNOWN_GOOD=1, CMakeLists.txt).
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree no-escape
mkdir -p "$T/code/secrets" && echo topsecret >"$T/code/secrets/key"
cat >"$T/p.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/code" = "write"
"$T/code/secrets" = "deny"
TOML
# descriptors of sbxc: memfds, pipes, or the sbxc binary itself (matched by
# its real path, not by the word, which the tree's own path may contain)
sbxc_real=$(readlink -f "$SBXC")
sbx "$T/out" "$T/err" run -c "$T/p.toml" -C "$T/code" -- sh -c '
	grep -E "^Cap(Inh|Prm|Eff|Amb)" /proc/self/status
	grep NoNewPrivs /proc/self/status
	sed -n "s/^Seccomp:/pid1-seccomp:/p" /proc/1/status
	umount '"$T"'/code/secrets 2>/dev/null && echo UNMOUNTED
	cat '"$T"'/code/secrets/key 2>/dev/null
	command -v unshare >/dev/null && unshare -Um sh -c "umount '"$T"'/code/secrets" 2>/dev/null && echo NESTED-UNMOUNTED
	cat '"$T"'/code/secrets/key 2>/dev/null
	ls -l /proc/self/fd /proc/1/fd >fds.txt 2>/dev/null
	echo "sbxc-fds: $(grep -c -E "memfd:|pipe:| -> '"$sbxc_real"'\$" fds.txt)"
	true'
expect_status 0 "the command ran"
expect_grep "^CapEff:	0000000000000000$" "$T/out" "no effective capability"
expect_grep "^CapPrm:	0000000000000000$" "$T/out" "no permitted capability"
expect_grep "^CapAmb:	0000000000000000$" "$T/out" "no ambient capability"
expect_grep "^NoNewPrivs:	1$" "$T/out" "no_new_privs is set"
expect_grep "^pid1-seccomp:	2$" "$T/out" "bubblewrap's pid 1 runs under the filter too (the command can write its memory)"
expect_no_grep UNMOUNTED "$T/out" "the mask cannot be unmounted, not even from a nested user namespace"
expect_no_grep topsecret "$T/out" "the hidden file stays hidden"
if [ "$(launch_mode)" = fast ]; then
	# no pipe at all: bubblewrap's stderr is the real one
	expect_grep "^sbxc-fds: 0$" "$T/out" "fast path: no pipe, memfd or sbxc is left in the sandbox"
else
	expect_grep "^sbxc-fds: 1$" "$T/out" "only bubblewrap's own stderr pipe is left (pid 1's fd 2), no memfd or sbxc"
fi
pass
