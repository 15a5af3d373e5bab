#!/bin/sh
# The sandbox may rename what it can write and leave a symlink in its place.
# sbxc, often root, must never follow such a symlink outside the sandbox:
# - the mount points it made for missing read-only paths are removed through
#   the directory they were made in, not by path (a swapped parent would make
#   it remove or chmod a file elsewhere);
# - a writable root whose path crosses a symlink in a writable directory is
#   refused (E0718): the bind mount would follow it, say to /etc;
# - a FIFO at a read-only path inside a writable root cannot be removed;
# - the bubblewrap probe cache is not written through a symlinked directory.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree symlink-swap
mkdir -p "$T/repo/sub" "$T/repo/proj" "$T/victim/.codex" "$T/target"
echo precious >"$T/victim/cfg"
chmod 0555 "$T/victim/.codex"

# a missing read-only file below a plain directory: sbxc makes its mount point
cat >"$T/file.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/repo" = "write"
"$T/repo/sub/cfg" = "read"
TOML
sbx "$T/out" "$T/err" run -c "$T/file.toml" -C "$T/repo" -- sh -c "
	mv $T/repo/sub $T/repo/sub2 && ln -s $T/victim $T/repo/sub && echo swapped"
expect_status 0 "the command ran"
expect_grep "^swapped$" "$T/out" "the command moved the directory and left a symlink"
expect_grep "^precious$" "$T/victim/cfg" "the file the symlink leads to is untouched"
expect_absent "$T/repo/sub2/cfg" "the mount point was removed where it was made"
rm "$T/repo/sub" && mv "$T/repo/sub2" "$T/repo/sub"

# a missing .codex of a nested writable root: sbxc makes its mount point
cat >"$T/dir.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/repo" = "write"
"$T/repo/proj" = "write"
TOML
sbx "$T/out" "$T/err" run -c "$T/dir.toml" -C "$T/repo" -- sh -c "
	mv $T/repo/proj $T/repo/proj2 && ln -s $T/victim $T/repo/proj && echo swapped"
expect_status 0 "the command ran"
expect_grep "^swapped$" "$T/out" "the command moved the directory and left a symlink"
expect_exists "$T/victim/.codex" "the directory the symlink leads to is not removed"
expect_absent "$T/repo/proj2/.codex" "the mount point was removed where it was made"

# the next run: the writable root is now a symlink in a writable directory
cat >"$T/swapped.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/repo" = "write"
"$T/repo/proj" = "write"
"$T/repo/proj/.git" = "write"
"$T/repo/proj/.agents" = "write"
"$T/repo/proj/.codex" = "write"
TOML
rm "$T/repo/proj" && ln -s "$T/target" "$T/repo/proj"
sbx "$T/out" "$T/err" run -c "$T/swapped.toml" -C "$T/repo" -- sh -c ": >$T/target/written"
expect_status 125 "a writable root that is a symlink in a writable directory"
expect_grep "error\[E0640\]: no linux backend can enforce profile \`p\` exactly" "$T/err" "no backend can enforce it"
expect_grep "note: \[E0718\] writable root \`$T/repo/proj\` is a symlink in \`$T/repo\`, which the sandbox can write" "$T/err" "E0718 is reported"
expect_absent "$T/target/written" "the command did not run"
# lint predicts it, with the same codes, before anything runs
sbx "$T/out" "$T/lint" lint --targets linux -C "$T/repo" "$T/swapped.toml"
expect_status 1 "lint refuses the swapped writable root"
expect_grep "note: \[E0718\] writable root \`$T/repo/proj\` is a symlink in \`$T/repo\`, which the sandbox can write" "$T/lint" "lint reports E0718"

# the bubblewrap probe cache is not written through a symlink (a sandbox that
# can write the home directory could aim it at /etc/sudoers.d)
mkdir -p "$XDG_CACHE_HOME" "$T/cachedir"
rm -rf "$XDG_CACHE_HOME/sbxc" && ln -s "$T/cachedir" "$XDG_CACHE_HOME/sbxc"
sbx "$T/out" "$T/err" run -P :read-only -C "$T/repo" --linux-backend bwrap -- true
expect_status 0 "the command ran"
expect_absent "$T/cachedir/bwrap-probe" "no cache file where the symlink leads"
rm "$XDG_CACHE_HOME/sbxc"

# a FIFO at a read-only path inside a writable root
mkfifo "$T/repo/fifo"
cat >"$T/fifo.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/repo" = "write"
"$T/repo/fifo" = "read"
TOML
sbx "$T/out" "$T/err" run -c "$T/fifo.toml" -C "$T/repo" -- sh -c "rm -f $T/repo/fifo; true"
expect_status 0 "the command ran"
if [ -p "$T/repo/fifo" ]; then ok "the read-only FIFO was not removed"; else fail "the read-only FIFO was removed"; fi
pass
