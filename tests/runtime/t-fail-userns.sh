#!/bin/sh
# Fail closed: a bubblewrap that is refused a user namespace (a fake bwrap
# that fails the way a real one does in a container or under AppArmor's
# userns restriction) -> exit 125, E0703 naming the fix, command not run; a
# bwrap without --perms (E0702) or one that does not install the seccomp
# filter it is given (E0716) is refused too.
. "$SBXC_RUNTIME_LIB"
new_tree userns
mkdir -p "$T/fakebin" "$T/code/secrets"
cat >"$T/fakebin/bwrap" <<'SH'
#!/bin/sh
if [ "$1" = --help ]; then
	echo "usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]"
	echo "    --perms OCTAL                Set permissions of next argument"
	exit 0
fi
echo "bwrap: setting up uid map: Permission denied" >&2
exit 1
SH
chmod +x "$T/fakebin/bwrap"
nested_policy
env PATH="$T/fakebin:$PATH" "$SBXC" run -c "$T/nested.toml" -C "$T/code" -- \
	/bin/sh -c ": >$T/code/marker" >"$T/out" 2>"$T/err"
status=$?
expect_status 125 "user namespaces refused"
expect_grep "error\[E0703\]: bubblewrap cannot create a user namespace on this machine" "$T/err" "E0703 is reported"
expect_grep "bubblewrap said: bwrap: setting up uid map: Permission denied" "$T/err" "bubblewrap's own message is shown"
expect_grep "kernel.unprivileged_userns_clone=1" "$T/err" "the fix is named"
expect_absent "$T/code/marker" "the command did not run"

# a bwrap without --perms is refused before anything runs
cat >"$T/fakebin/bwrap" <<'SH'
#!/bin/sh
[ "$1" = --help ] && echo "usage: bwrap [OPTIONS...] [--] COMMAND [ARGS...]" && exit 0
exec "$@"
SH
env PATH="$T/fakebin:$PATH" "$SBXC" run -c "$T/nested.toml" -C "$T/code" -- \
	/bin/sh -c ": >$T/code/marker" >"$T/out" 2>"$T/err"
status=$?
expect_status 125 "bubblewrap without --perms"
expect_grep "error\[E0702\]" "$T/err" "E0702 is reported"
expect_absent "$T/code/marker" "the command did not run"

# a bwrap that starts the inner stage without installing the seccomp filter
# it was given (`--seccomp`): the inner stage refuses to run the command
cat >"$T/fakebin/bwrap" <<'SH'
#!/bin/sh
if [ "$1" = --help ]; then
	echo "    --perms OCTAL                Set permissions of next argument"
	exit 0
fi
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
shift
exec "$@"
SH
env PATH="$T/fakebin:$PATH" "$SBXC" run -c "$T/nested.toml" -C "$T/code" -- \
	/bin/sh -c ": >$T/code/marker" >"$T/out" 2>"$T/err"
status=$?
expect_status 125 "bubblewrap did not install the filter"
expect_grep "error\[E0716\]: the sandboxed process could not find the seccomp filter bubblewrap was to install" "$T/err" "E0716 is reported"
expect_absent "$T/code/marker" "the command did not run"
pass
