#!/bin/sh
# The fast path of the bubblewrap backend (runtime/launch.c): a run known to
# set up on this machine (forced here with the test-only
# SBXC_TEST_KNOWN_GOOD=1) starts bubblewrap without the inner stage, in a
# private mount namespace. What the inner stage guaranteed must hold for
# real, as root and as an ordinary user:
#   - the command has no_new_privs, no capability (none bounded either),
#     the seccomp filter, and so has bubblewrap's pid 1 in the sandbox;
#   - no descriptor of sbxc's reaches the command;
#   - its own status passes through (1 included) with --status-fd `started`;
#   - a bubblewrap that fails to set up the sandbox is 125 with E0781, never
#     the command's 1, and the command does not run;
#   - a command missing or not executable on the host is 127/126 (E0715,
#     E0714) before anything starts;
#   - a command the profile hides is 125 with E0781 (the diagnosing path
#     says 126/127 after looking inside), and it does not run.
# Private mounts: t-mount-propagation.sh (both paths).
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree fast-path
chmod 0755 "$T"
# a copy of sbxc the unprivileged user can run
cp "$SBXC" "$T/sbxc" && chmod 0755 "$T/sbxc"
mkdir -p "$T/ws" "$T/hidden" "$T/badbin"
echo TOPSECRET >"$T/ws/secret.txt" # a denied file: a --ro-bind-data descriptor
chmod 0777 "$T/ws" "$T/home" "$T/tmp"
printf 'not a program\n' >"$T/notexec" && chmod 0644 "$T/notexec"
printf '#!/bin/sh\necho hidden-ran\n' >"$T/hidden/tool"
chmod 0755 "$T/hidden" "$T/hidden/tool"
cat >"$T/p.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/hidden" = "deny"
TOML
cat >"$T/ws.toml" <<TOML
default_permissions = "w"
[permissions.w.filesystem]
":root" = "read"
"$T/ws" = "write"
"$T/ws/secret.txt" = "deny"
TOML
chmod 0644 "$T/p.toml" "$T/ws.toml"
# a bubblewrap that fails its setup (a source that does not exist); --help
# and --version go to the real one, for sbxc's probe
real_bwrap=$(command -v bwrap)
cat >"$T/badbin/bwrap" <<SH
#!/bin/sh
case "\$1" in --help | --version) exec "$real_bwrap" "\$@" ;; esac
exec "$real_bwrap" --bind "$T/no-such-source" /no-such-target "\$@"
SH
chmod 0755 "$T/badbin" "$T/badbin/bwrap"

users=root
[ "$(id -u)" = 0 ] || users=$(id -un)
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	if setpriv --reuid=65534 --regid=65534 --clear-groups "$real_bwrap" --unshare-user \
		--ro-bind / / /bin/true 2>/dev/null; then
		users="root nobody"
	else
		echo "note: the unprivileged user is refused a user namespace: checked as root only"
	fi
fi

# fr USER ARGS...: sbxc run ARGS on the fast path, as USER
fr() {
	u=$1
	shift
	as=""
	[ "$u" = nobody ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	# a PATH the user may search: execvp, and so sbxc, says EACCES (126)
	# rather than ENOENT when an entry cannot be searched
	SBXC_TEST_KNOWN_GOOD=1 PATH=/usr/local/bin:/usr/bin:/bin $as "$T/sbxc" "$@" >"$T/out" 2>"$T/err" </dev/null
	status=$?
}

for u in $users; do
	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap --dry-run -- true
	expect_grep "^launch: fast path" "$T/out" "$u: the fast path is taken"
	expect_grep "--json-status-fd 5 --cap-drop ALL" "$T/out" "$u: bubblewrap reports its setup and drops every capability"
	expect_no_grep "--inner-stage" "$T/out" "$u: no inner stage"

	# shellcheck disable=SC2016 # expanded by the shell in the sandbox
	fr "$u" run -c "$T/ws.toml" -C "$T/ws" --linux-backend bwrap -- sh -c '
		grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status
		sed -n "s/^Seccomp:/pid1-seccomp:/p" /proc/1/status
		ls -l /proc/self/fd /proc/1/fd >fds.txt 2>/dev/null
		echo "pipes-memfds: $(grep -c -E "memfd:|pipe:" fds.txt)"
		echo "devnull-fds: $(grep -c -E " ([3-9]|[1-9][0-9]+) -> /dev/null" fds.txt)"
		cat secret.txt 2>/dev/null
		id -u'
	expect_status 0 "$u: the command ran"
	for cap in Inh Prm Eff Bnd Amb; do
		expect_grep "^Cap$cap:	0000000000000000$" "$T/out" "$u: Cap$cap is empty"
	done
	expect_grep "^NoNewPrivs:	1$" "$T/out" "$u: no_new_privs is set"
	expect_grep "^Seccomp:	2$" "$T/out" "$u: the seccomp filter is installed"
	expect_grep "^pid1-seccomp:	2$" "$T/out" "$u: bubblewrap's pid 1 runs under the filter too"
	expect_grep "^pipes-memfds: 0$" "$T/out" "$u: no pipe or memfd of sbxc's in the sandbox"
	expect_grep "^devnull-fds: 0$" "$T/out" "$u: bubblewrap consumed the data descriptors"
	expect_no_grep TOPSECRET "$T/out" "$u: the denied file is masked"
	[ "$u" = nobody ] && expect_grep "^65534$" "$T/out" "$u: the command runs as the user"

	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap --status-fd 3 -- sh -c 'exit 1' 3>"$T/st"
	expect_status 1 "$u: the command's own 1"
	expect_no_grep "error\[" "$T/err" "$u: no diagnostic for the command's 1"
	expect_grep "^sbxc: started$" "$T/st" "$u: --status-fd says the command started"

	# shellcheck disable=SC2016 # expanded by the shell in the sandbox
	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap --bwrap "$T/badbin/bwrap" \
		--status-fd 3 -- sh -c ': >"$0"; exit 1' "$T/ws/ran" 3>"$T/st"
	expect_status 125 "$u: bubblewrap failing its setup is sbxc's 125, not the command's 1"
	expect_grep "error\[E0781\]: bubblewrap \`$T/badbin/bwrap\` stopped before the command started" "$T/err" "$u: E0781"
	expect_grep "Can't find source path" "$T/err" "$u: bubblewrap's own message reaches stderr"
	expect_grep "^sbxc: refused 125 E0781$" "$T/st" "$u: --status-fd says refused"
	expect_absent "$T/ws/ran" "$u: the command did not run"

	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap -- no-such-command-sbxc
	expect_status 127 "$u: a command that is not found"
	expect_grep "error\[E0715\]: command \`no-such-command-sbxc\` not found" "$T/err" "$u: E0715"
	expect_no_grep "bwrap:" "$T/err" "$u: found missing before bubblewrap started"
	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap -- "$T/notexec"
	expect_status 126 "$u: a file that cannot be executed"
	expect_grep "error\[E0714\]: cannot execute \`$T/notexec\`: Permission denied" "$T/err" "$u: E0714"
	fr "$u" run -P :read-only -C "$T/ws" --linux-backend bwrap -- ./no-such-file
	expect_status 127 "$u: a relative name is looked up in the sandbox's working directory"

	fr "$u" run -c "$T/p.toml" -C "$T/ws" --linux-backend bwrap -- "$T/hidden/tool"
	expect_status 125 "$u: a command the profile hides"
	expect_grep "error\[E0781\]" "$T/err" "$u: E0781 for a hidden command"
	expect_no_grep "hidden-ran" "$T/out" "$u: the hidden command did not run"
done

# the lookup before the sandbox says what execvp says inside it: the same
# status on both paths (as root, and as nobody where an entry of PATH cannot
# be searched: EACCES wins over ENOENT)
mkdir -p "$T/locked" "$T/ws/sub"
chmod 0700 "$T/locked"
printf '#!/bin/sh\necho tool-ran\n' >"$T/ws/tool" && chmod 0755 "$T/ws/tool"
printf 'data\n' >"$T/ws/plain" && chmod 0644 "$T/ws/plain"
both() { # both USER PATHVALUE CMD: the status on the fast and the diagnosing path
	as=""
	[ "$1" = nobody ] && as="setpriv --reuid=65534 --regid=65534 --clear-groups"
	SBXC_TEST_KNOWN_GOOD=1 PATH=$2 $as "$T/sbxc" run -c "$T/ws.toml" -C "$T/ws" --linux-backend bwrap -- "$3" \
		>/dev/null 2>&1 </dev/null
	fast=$?
	PATH=$2 $as "$T/sbxc" run -c "$T/ws.toml" -C "$T/ws" --linux-backend bwrap -- "$3" >/dev/null 2>&1 </dev/null
	inner=$?
	if [ "$fast" = "$inner" ] && [ "$fast" = "$4" ]; then ok "$1: \`$3\` with PATH=$2: $fast on both paths"; else
		fail "$1: \`$3\` with PATH=$2: fast $fast, diagnosing $inner, expected $4"
	fi
}
for u in $users; do
	both "$u" /usr/bin:/bin no-such-command-sbxc 127
	both "$u" "/usr/bin:/bin" sub 127
	both "$u" /usr/bin:/bin ./sub 126
	both "$u" /usr/bin:/bin ./plain 126
	both "$u" /usr/bin:/bin ./tool 0
	both "$u" ":/usr/bin:/bin" tool 0
	both "$u" "/usr/bin:/bin:." tool 0
	both "$u" /usr/bin:/bin tool 127
done
for u in $users; do
	[ "$u" = nobody ] && both nobody "$T/locked:/usr/bin:/bin" no-such-command-sbxc 126
done

# the diagnosing path says what the fast path cannot
sbx "$T/out" "$T/err" run -c "$T/p.toml" -C "$T/ws" --linux-backend bwrap -- "$T/hidden/tool"
if [ "$status" = 126 ] || [ "$status" = 127 ]; then ok "diagnosing path: exit $status"; else
	fail "diagnosing path: exit $status for a hidden command, expected 126 or 127"
fi
expect_grep "error\[E071[45]\]" "$T/err" "diagnosing path: E0714 or E0715 for a hidden command"

# the hook takes only "1"; without it the inner stage runs
SBXC_TEST_KNOWN_GOOD=yes "$SBXC" run -P :read-only -C "$T/ws" --linux-backend bwrap --dry-run -- true >"$T/out" 2>&1
expect_grep "--inner-stage" "$T/out" "without the hook: the inner stage"
pass
