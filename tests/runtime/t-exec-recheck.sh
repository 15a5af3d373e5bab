#!/bin/sh
# `sbxc exec` re-checks the facts compiled artifacts rely on: a symlink made
# after compile where a carve-out must hold -> 125 with E0708; another fact
# that changed -> 125 with E0709; a deny glob that matches new files -> E0709.
# Unchanged artifacts run. Artifacts the sandbox could rewrite (in a
# directory it can write, or files that are symlinks, FIFOs or hard links)
# are refused: E0719, E0710.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree exec-recheck
mkdir -p "$T/ws/.git" "$T/elsewhere" && echo x >"$T/ws/app.env"
compile() { # compile DIR ARGS...
	d=$1
	shift
	sbx "$T/out" "$T/err" compile --target linux -o "$d" -C "$T/ws" "$@"
	[ "$status" = 0 ] || { cat "$T/err"; fail "compile failed"; }
}
run_exec() { # run_exec DIR
	sbx "$T/out" "$T/err" exec -C "$T/ws" "$1" -- /bin/sh -c ": >$T/ws/marker"
}

compile "$T/art" -P :workspace
run_exec "$T/art"
expect_status 0 "unchanged artifacts run"
expect_exists "$T/ws/marker" "the command ran"
rm -f "$T/ws/marker"

# .codex did not exist at compile time; now it is a symlink out of the tree
ln -s "$T/elsewhere" "$T/ws/.codex"
run_exec "$T/art"
expect_status 125 "a symlink appeared at a carve-out"
expect_grep "error\[E0708\]: \`$T/ws/.codex\` is now a symlink to \`$T/elsewhere\`" "$T/err" "E0708 is reported"
expect_absent "$T/ws/marker" "the command did not run"
rm "$T/ws/.codex"

# .git is replaced by a symlink
compile "$T/art" -P :workspace
mv "$T/ws/.git" "$T/real-git" && ln -s "$T/real-git" "$T/ws/.git"
run_exec "$T/art"
expect_status 125 ".git became a symlink"
expect_grep "error\[E0708\]" "$T/err" "E0708 is reported"
expect_absent "$T/ws/marker" "the command did not run"
rm "$T/ws/.git" && mv "$T/real-git" "$T/ws/.git"

# a worktree: .git is a `gitdir:` file; its target stays read-only under
# the artifacts, so a pointer rewritten after compile (to a directory the
# sandbox can write) must not be run with: E0709, the command not run
mkdir -p "$T/wt" "$T/main.git/worktrees/wt" "$T/evil.git"
printf 'gitdir: %s/main.git/worktrees/wt\n' "$T" >"$T/wt/.git"
sbx "$T/out" "$T/err" compile --target linux -o "$T/artwt" -C "$T/wt" -P :workspace
expect_status 0 "compile a worktree"
expect_grep '"kind": "gitdir_pointer"' "$T/artwt/manifest.json" "the pointer is a recorded fact"
sbx "$T/out" "$T/err" exec -C "$T/wt" "$T/artwt" -- /bin/sh -c ": >$T/wt/marker"
expect_status 0 "the worktree's artifacts run while the pointer is unchanged"
expect_exists "$T/wt/marker" "the command ran"
rm -f "$T/wt/marker"
printf 'gitdir: %s/evil.git\n' "$T" >"$T/wt/.git"
sbx "$T/out" "$T/err" exec -C "$T/wt" "$T/artwt" -- /bin/sh -c ": >$T/wt/marker"
expect_status 125 "the .git pointer was rewritten"
expect_grep "error\[E0709\]: \`$T/wt/.git\` changed since the artifacts were compiled: it was a .git file pointing to \`$T/main.git/worktrees/wt\`, now it is one pointing to \`$T/evil.git\`" "$T/err" "E0709 names both targets"
expect_absent "$T/wt/marker" "the command did not run"

# .agents appears as a directory (a fact that changed, no symlink)
compile "$T/art" -P :workspace
mkdir "$T/ws/.agents"
run_exec "$T/art"
expect_status 125 "a missing carve-out appeared"
expect_grep "error\[E0709\]: \`$T/ws/.agents\` changed since the artifacts were compiled: it was missing, now it is dir" "$T/err" "E0709 is reported"
expect_absent "$T/ws/marker" "the command did not run"
rmdir "$T/ws/.agents"

# deny globs are a snapshot: new matches make exec refuse
cat >"$T/globs.toml" <<'TOML'
default_permissions = "g"
[permissions.g]
extends = ":workspace"
[permissions.g.filesystem.":workspace_roots"]
"**/*.env" = "deny"
TOML
compile "$T/art2" "$T/globs.toml"
run_exec "$T/art2"
expect_status 0 "glob artifacts run while the matches are the same"
rm -f "$T/ws/marker"
echo y >"$T/ws/new.env"
run_exec "$T/art2"
expect_status 125 "a new file matches a deny glob"
expect_grep "error\[E0709\]: deny glob \`$T/ws/\*\*/\*.env\` matches other files" "$T/err" "E0709 names the glob"
expect_absent "$T/ws/marker" "the command did not run"

# a broken artifact directory
sbx "$T/out" "$T/err" exec "$T/nonexistent" -- /bin/true
expect_status 125 "no artifact directory"
expect_grep "error\[E0710\]" "$T/err" "E0710 is reported"

# artifacts the sandbox could rewrite: compile refuses to write them there,
# and exec refuses to run them from there (a command could rewrite bwrap.args)
sbx "$T/out" "$T/err" compile --target linux -o "$T/ws/art" -C "$T/ws" -P :workspace
expect_status 1 "compile into the writable workspace"
expect_grep "error\[E0719\]: the artifact directory \`$T/ws/art\` can be changed from inside the sandbox it describes" "$T/err" "E0719 is reported"
expect_absent "$T/ws/art" "nothing was written"
compile "$T/art" -P :workspace
cp -r "$T/art" "$T/ws/art"
sbx "$T/out" "$T/err" compile --target linux -o "$T/ws/art" -C "$T/ws" -P :workspace
expect_status 1 "compile over artifacts in the writable workspace"
expect_absent "$T/ws/art/manifest.json" "a failed compile leaves no stale artifacts behind"
cp -r "$T/art/." "$T/ws/art/"
run_exec "$T/ws/art"
expect_status 125 "exec from inside the writable workspace"
expect_grep "error\[E0719\]" "$T/err" "E0719 is reported"
expect_absent "$T/ws/marker" "the command did not run"
rm -rf "$T/ws/art"

# artifact files must be what compile wrote: no symlink, FIFO or hard link
compile "$T/art" -P :workspace
mv "$T/art/bwrap.args" "$T/elsewhere/bwrap.args" && ln -s "$T/elsewhere/bwrap.args" "$T/art/bwrap.args"
run_exec "$T/art"
expect_status 125 "a symlinked artifact file"
expect_grep "error\[E0710\]: \`$T/art\` is not an artifact directory: \`bwrap.args\` is a symlink" "$T/err" "E0710 names the symlink"
expect_absent "$T/ws/marker" "the command did not run"
compile "$T/art" -P :workspace
ln "$T/art/bwrap.args" "$T/elsewhere/args-link"
run_exec "$T/art"
expect_status 125 "a hard-linked artifact file"
expect_grep "\`bwrap.args\` has 2 hard links" "$T/err" "E0710 names the hard link"
expect_absent "$T/ws/marker" "the command did not run"
compile "$T/art" -P :workspace
rm "$T/art/manifest.json" && mkfifo "$T/art/manifest.json"
timeout 10 "$SBXC" exec -C "$T/ws" "$T/art" -- /bin/sh -c ": >$T/ws/marker" >"$T/out" 2>"$T/err" </dev/null
status=$?
expect_status 125 "a FIFO as manifest.json (and no wait on it)"
expect_grep "\`manifest.json\` is not a regular file" "$T/err" "E0710 names the FIFO"
expect_absent "$T/ws/marker" "the command did not run"
pass
