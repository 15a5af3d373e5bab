#!/bin/sh
# A filesystem mounted on the host while a bubblewrap sandbox runs (removable
# media, an automount) must not appear inside it: bubblewrap leaves its
# mounts slaves of the host's, and the new mount would come in writable,
# even below a read-only bind. The inner stage makes every mount private.
# Needs root (to mount a shared tmpfs, in a mount namespace of the test's
# own); checked as root and as an ordinary user.
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

# run_as USER: one sandbox (read-only profile) that writes into a filesystem
# mounted after it started
run_as() {
	user=$1
	rm -f "$T/go"
	unshare -m --propagation private sh -c '
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
for user in root nobody; do
	run_as $user
	[ "$status" -ge 90 ] && [ "$status" -le 92 ] && skip "cannot mount the test filesystems here"
	expect_status 0 "$user: the sandbox ran"
	expect_grep "^done$" "$T/out" "$user: the command ran"
	expect_grep "^0$" "$T/out" "$user: no mount in the sandbox is a slave of the host's"
	expect_no_grep WROTE "$T/out" "$user: the late mount is not writable from the sandbox"
	expect_no_grep written "$T/late.ls" "$user: nothing was written to it"
done
pass
