#!/bin/sh
# A change made outside the sandbox while it runs (issue 13, section 3).
# Masks and read-only binds sit on the entries present when the sandbox
# starts; an editor's atomic save (write a temporary file, rename it over
# the old one) leaves the mount on the old entry, and the new one shows
# with the access of the directory around it. sbxc watches those entries
# from outside and stops the sandbox (E0772, exit 125) when one changes,
# before the sandbox is told to look. Cases: a denied file and a read-only
# file in a writable root, a denied file in a read-only area, a directory
# above a denied file replaced, and a denied path created during the run.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree host-replace
mkdir -p "$T/repo" "$T/ro/sub"
echo TOPSECRET >"$T/repo/secret.txt"
echo "db: prod" >"$T/repo/conf.yaml"
echo ROSECRET >"$T/ro/secret2"
echo SUBSECRET >"$T/ro/sub/key"
cat >"$T/p.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/repo" = "write"
"$T/repo/conf.yaml" = "read"
"$T/repo/secret.txt" = "deny"
"$T/ro/secret2" = "deny"
"$T/ro/sub/key" = "deny"
"$T/ro/new-secret" = "deny"
TOML

# during CHANGE WHAT: starts a sandbox that waits for $T/go, makes the
# change on the host, then creates $T/go; the sandbox then reads the denied
# files and writes the read-only one, and says what it could do.
during() {
	rm -f "$T/go" "$T/ready"
	"$SBXC" run -c "$T/p.toml" -C "$T/repo" --linux-backend bwrap -- sh -c "
		: >$T/repo/ready
		while [ ! -e $T/go ]; do sleep 0.05; done
		cat $T/repo/secret.txt $T/ro/secret2 $T/ro/sub/key $T/ro/new-secret 2>/dev/null
		echo 'db: attacker' >$T/repo/conf.yaml 2>/dev/null && echo wrote-conf
		echo finished" >"$T/out" 2>"$T/err" </dev/null &
	pid=$!
	i=0
	while [ ! -e "$T/repo/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	sh -c "$1"
	sleep 0.5
	: >"$T/go"
	wait $pid
	status=$?
	expect_status 125 "$2: the sandbox was stopped"
	expect_grep "error\[E0772\]: \`$3\` was $4 outside the sandbox" "$T/err" "$2: E0772 names the change"
	expect_no_grep "NEW" "$T/out" "$2: the sandbox did not read the new file"
	expect_no_grep "wrote-conf" "$T/out" "$2: the sandbox did not write the read-only file"
	expect_no_grep "finished" "$T/out" "$2: the command did not go on"
	rm -f "$T/repo/ready"
}

during "echo NEWSECRET >$T/repo/.tmp && mv $T/repo/.tmp $T/repo/secret.txt" \
	"a denied file replaced" "$T/repo/secret.txt" "created or replaced"
during "echo 'db: new' >$T/repo/.tmp && mv $T/repo/.tmp $T/repo/conf.yaml" \
	"a read-only file replaced" "$T/repo/conf.yaml" "created or replaced"
expect_grep "^db: new$" "$T/repo/conf.yaml" "the host's new read-only file was not written by the sandbox"
during "echo NEWROSECRET >$T/ro/.tmp && mv $T/ro/.tmp $T/ro/secret2" \
	"a denied file in a read-only area replaced" "$T/ro/secret2" "created or replaced"
during "mv $T/ro/sub $T/ro/sub.old && mkdir $T/ro/sub && echo NEWSUBSECRET >$T/ro/sub/key" \
	"the directory above a denied file replaced" "$T/ro/sub" "moved away"
during "echo NEWCREATED >$T/ro/new-secret" \
	"a denied path created" "$T/ro/new-secret" "created or replaced"
rm -f "$T/ro/new-secret"

# unrelated changes next to the watched entries do not stop the sandbox
rm -f "$T/go"
"$SBXC" run -c "$T/p.toml" -C "$T/repo" --linux-backend bwrap -- sh -c "
	: >$T/repo/ready
	while [ ! -e $T/go ]; do sleep 0.05; done
	echo inside >$T/repo/other.txt && echo finished" >"$T/out" 2>"$T/err" </dev/null &
pid=$!
i=0
while [ ! -e "$T/repo/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
echo x >"$T/repo/.tmp" && mv "$T/repo/.tmp" "$T/repo/unrelated.txt" && echo y >"$T/ro/other"
: >"$T/go"
wait $pid
status=$?
expect_status 0 "changes to other entries: the command ran to its end"
expect_grep "^finished$" "$T/out" "the command finished"

# a change while bubblewrap is still setting the sandbox up: the run ends
# (stopped, or not stopped when the change came before the watch and the
# mount was made on the new file), and nothing of the sandbox is left
# running (its pid 1, caught in its set-up, once outlived bubblewrap and
# kept sbxc waiting forever)
cp "$T/p.toml" "$T/setup.toml"
echo "\"$T/repo/made-by-sbxc\" = \"read\"" >>"$T/setup.toml"
n=0
hung=0
while [ $n -lt 12 ]; do
	"$SBXC" run -c "$T/setup.toml" -C "$T/repo" --linux-backend bwrap -- sleep 1 \
		>"$T/out" 2>"$T/err" </dev/null &
	pid=$!
	# the launcher makes this mount point right before it watches and
	# starts bubblewrap
	i=0
	while [ ! -e "$T/repo/made-by-sbxc" ] && [ $i -lt 100000 ]; do i=$((i + 1)); done
	[ $n -gt 0 ] && sleep "0.00$((n % 10))"
	echo NEW >"$T/repo/.tmp" && mv "$T/repo/.tmp" "$T/repo/secret.txt"
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	if kill -0 $pid 2>/dev/null; then
		hung=$((hung + 1))
		kill -9 $pid
	fi
	wait $pid
	n=$((n + 1))
done
if [ $hung = 0 ]; then ok "every run ended"; else fail "$hung of 12 runs did not end"; fi
sleep 0.2
leftover() { ps -eo pid=,comm=,args= | awk '$2 == "bwrap"' | grep -F -- "$T/repo" | awk '{print $1}'; }
left=$(leftover)
if [ -z "$left" ]; then ok "no bubblewrap process is left"; else
	fail "bubblewrap process(es) left: $left"
	kill -9 $left
fi

# a denied path that appears between the compile and the start: its
# creation could not have been seen, so the run is refused (for `exec` the
# fact re-check says so first, E0709; `run` checks again once it watches)
mkdir -p "$T/art"
sbx "$T/out" "$T/err" compile --target linux -o "$T/art" -C "$T/repo" "$T/p.toml"
expect_status 0 "compile"
echo LATE >"$T/ro/new-secret"
sbx "$T/out" "$T/err" exec "$T/art" -- sh -c "cat $T/ro/new-secret; echo ran"
expect_status 125 "a denied path created after the compile"
expect_grep "error\[E0709\]: \`$T/ro/new-secret\` changed since the artifacts were compiled" "$T/err" "E0709 names it"
expect_no_grep "ran" "$T/out" "the command did not run"
pass
