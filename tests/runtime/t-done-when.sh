#!/bin/sh
# "Done when": in a git checkout, `sbxc run -P :workspace -- ...` creates a
# file in the working directory, cannot write /etc, and cannot change
# anything under .git (nor create .codex or .agents).
. "$SBXC_RUNTIME_LIB"
need_bwrap
command -v git >/dev/null 2>&1 || skip "git is not installed"
new_tree done-when
mkdir "$T/repo" && cd "$T/repo" || exit 1
git init -q . && echo hello >README && git add README &&
	git -c user.email=t@example.com -c user.name=t commit -qm init || exit 1
snapshot() { (cd .git && find . -exec ls -ld --time-style=+%s.%N {} + | sort && cat config HEAD); }
snapshot >"$T/before"

sbx "$T/out" "$T/err" run -P :workspace -- sh -c '
	touch ok && echo created-ok
	touch /etc/nope
	touch .git/x
	mkdir .git/newdir
	echo junk >>.git/config
	rm -f .git/HEAD
	mv .git/config .git/config.moved
	mkdir .codex
	mkdir .agents
	git rev-parse --verify -q HEAD >/dev/null && echo git-works
	true'
expect_status 0 "the command ran"
expect_exists ok "ok was created in the working directory"
expect_grep created-ok "$T/out" "touch ok succeeded"
if [ -e /etc/nope ]; then
	rm -f /etc/nope
	fail "/etc/nope was created"
else
	ok "/etc/nope was not created"
fi
expect_grep "/etc/nope.*Read-only file system" "$T/err" "touch /etc/nope failed read-only"
expect_grep ".git/x.*Read-only file system" "$T/err" "touch .git/x failed read-only"
snapshot >"$T/after"
if cmp -s "$T/before" "$T/after"; then ok ".git is unchanged"; else
	fail ".git changed:"
	diff "$T/before" "$T/after"
fi
expect_absent .codex ".codex was not created (and the mount point was removed)"
expect_absent .agents ".agents was not created (and the mount point was removed)"
expect_grep git-works "$T/out" "git still works inside the sandbox"
pass
