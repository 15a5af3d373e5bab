#!/bin/sh
# A filesystem mounted on the host while a bubblewrap sandbox runs (removable
# media, an automount) must not appear inside it: bubblewrap leaves its
# mounts slaves of the host's, and the new mount would come in writable,
# even below a read-only bind. The inner stage makes every mount private; on
# the fast path (no inner stage) bubblewrap starts in a private mount
# namespace of the launcher's. Needs root (to mount a shared tmpfs, in a
# mount namespace of the test's own); checked as root and as an ordinary
# user, on both launch paths.
. "$SBXC_RUNTIME_LIB"
need_bwrap
[ "$(id -u)" = 0 ] || skip "mounting the shared test filesystem needs root"
command -v unshare >/dev/null 2>&1 || skip "unshare (util-linux) is not installed"
new_tree mount-propagation
chmod 0755 "$T"
# a copy of sbxc the unprivileged user can run (the build tree may be in a
# directory it cannot enter, such as /root)
cp "$SBXC" "$T/sbxc" && chmod 0755 "$T/sbxc"
mkdir -p "$T/shared" "$T/ws"
chmod 0777 "$T/ws" "$T/home" "$T/tmp"
unshare -m --propagation private true 2>/dev/null || skip "cannot make a mount namespace here"

# run_as USER MODE: one sandbox (read-only profile) that writes into a
# filesystem mounted after it started; MODE fast forces the fast path
run_as() {
	user=$1
	rm -f "$T/go"
	kg=""
	[ "$2" = fast ] && kg=1
	SBXC_TEST_KNOWN_GOOD=$kg unshare -m --propagation private sh -c '
		T=$1 SBXC=$2 user=$3
		mount -t tmpfs -o mode=0777 none "$T/shared" || exit 90
		mount --make-shared "$T/shared" || exit 91
		mkdir -m 0777 "$T/shared/late"
		as=""
		[ "$user" = root ] || as="setpriv --reuid=65534 --regid=65534 --clear-groups"
		$as "$SBXC" run -P :read-only -C "$T/ws" --linux-backend bwrap -- sh -c "
			while [ ! -e $T/go ]; do sleep 0.05; done
			grep -c master: /proc/self/mountinfo
			(: >$T/shared/late/written) 2>/dev/null && echo WROTE; echo done" >"$T/out" 2>"$T/err" &
		pid=$!
		sleep 0.3
		mount -t tmpfs -o mode=0777 none "$T/shared/late" || exit 92
		: >"$T/go"
		wait $pid
		status=$?
		ls "$T/shared/late" >"$T/late.ls"
		exit $status' sh "$T" "$T/sbxc" "$user"
	status=$?
}
for mode in inner fast; do
	for user in root nobody; do
		run_as $user $mode
		[ "$status" -ge 90 ] && [ "$status" -le 92 ] && skip "cannot mount the test filesystems here"
		u="$user ($mode)"
		expect_status 0 "$u: the sandbox ran"
		expect_grep "^done$" "$T/out" "$u: the command ran"
		expect_grep "^0$" "$T/out" "$u: no mount in the sandbox is a slave of the host's"
		expect_no_grep WROTE "$T/out" "$u: the late mount is not writable from the sandbox"
		expect_no_grep written "$T/late.ls" "$u: nothing was written to it"
	done
done
# the fast path was really taken (it is not when sbxc runs under a seccomp
# filter of its own: then the inner stage checks what bubblewrap dropped)
if SBXC_TEST_KNOWN_GOOD=1 "$SBXC" run -P :read-only -C "$T/ws" --linux-backend bwrap --dry-run -- true |
	grep -q '^launch: fast path'; then ok "the fast path was taken"; else fail "the fast path was not taken"; fi
pass
