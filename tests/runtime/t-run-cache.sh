#!/bin/sh
# The cache of compiled runs (runtime/runcache.c, spec/runcache.md). A hit
# is known from the cache log (SBXC_CACHE_LOG=FD: `sbxc: cache hit`), never
# from timing. The cache is used only when nothing it was keyed on changed
# (the policy bytes, an option, the cwd, a path the compile looked at,
# bubblewrap's file), never when the sandbox could write it or when its
# entry is not sbxc's own (owner, mode, link count, symlink, content); a
# hit prints and exits exactly as the miss before it.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree run-cache
C="$XDG_CACHE_HOME/sbxc/run"
mkdir -p "$T/ws" "$T/ws2" "$T/pol" "$T/a" "$T/b" "$T/bin"
cat >"$T/pol/p.toml" <<TOML
default_permissions = "p"
[permissions.p]
extends = ":workspace"
bogus = "a warning (W0201) that the hit prints again"
TOML
cat >"$T/pol/s.toml" <<TOML
default_permissions = "s"
[permissions.s.filesystem]
":minimal" = "read"
":workspace_roots" = "write"
"$T/link" = "read"
TOML
ln -s "$T/a" "$T/link"
CMD='echo out; echo err >&2; ls -d .git 2>/dev/null; exit 3'

# run_c TAG ARGS...: `sbxc run ARGS` with its output in $T/out.TAG and
# $T/err.TAG and the cache log in $T/log.TAG
run_c() {
	tag=$1
	shift
	SBXC_CACHE_LOG=3 "$SBXC" run "$@" >"$T/out.$tag" 2>"$T/err.$tag" 3>"$T/log.$tag" </dev/null
	status=$?
}
expect_log() { # expect_log TAG PATTERN WHAT
	expect_grep "$2" "$T/log.$1" "$3"
}
# same_as TAG1 TAG2 WHAT: the same stdout, stderr and exit status
same_as() {
	if cmp -s "$T/out.$1" "$T/out.$2" && cmp -s "$T/err.$1" "$T/err.$2" &&
		[ "$(cat "$T/status.$1")" = "$(cat "$T/status.$2")" ]; then
		ok "$3: the same output and exit status"
	else
		fail "$3: the outputs differ"
		diff "$T/err.$1" "$T/err.$2" | sed 's/^/    /'
	fi
}
keep() { echo "$status" >"$T/status.$1"; }

# ---- a hit prints what the miss printed, for several profiles ----
abi=$(landlock_abi)
set -- "-P :workspace" "-P :read-only" "-c $T/pol/p.toml" "-P :read-only --linux-backend bwrap"
[ "$abi" -ge 6 ] && set -- "$@" "-P :read-only --linux-backend landlock"
n=0
for args in "$@"; do
	n=$((n + 1))
	# shellcheck disable=SC2086 # the options are words
	run_c miss$n $args -C "$T/ws" -- sh -c "$CMD"
	keep miss$n
	expect_status 3 "[$args] the miss runs the command"
	expect_log miss$n "cache stored" "[$args] the miss stores the run"
	# shellcheck disable=SC2086
	run_c hit$n $args -C "$T/ws" -- sh -c "$CMD"
	keep hit$n
	expect_log hit$n "cache hit" "[$args] the second run is a hit"
	same_as miss$n hit$n "[$args] hit and miss"
	# shellcheck disable=SC2086
	run_c nf$n $args -C "$T/ws" -- /nonexistent/cmd
	keep nf$n
	expect_status 127 "[$args] a missing command on a hit"
	expect_log nf$n "cache hit" "[$args] (a hit)"
	# shellcheck disable=SC2086
	SBXC_NO_CACHE=1 SBXC_CACHE_LOG=3 "$SBXC" run $args -C "$T/ws" -- sh -c "$CMD" \
		>"$T/out.off$n" 2>"$T/err.off$n" 3>"$T/log.off$n" </dev/null
	status=$?
	keep off$n
	expect_log off$n "cache off: SBXC_NO_CACHE=1" "[$args] SBXC_NO_CACHE=1 turns it off"
	same_as miss$n off$n "[$args] with and without the cache"
done
expect_grep "warning\[W0201\]" "$T/err.hit3" "the hit prints the compile's warning again"
run_c nocache -P :workspace -C "$T/ws" --no-cache -- true
expect_log nocache "cache off: --no-cache" "--no-cache turns it off"

# ---- anything it was keyed on changed: a miss ----
run_c k1 -c "$T/pol/p.toml" -C "$T/ws" -- true
expect_log k1 "cache hit" "the policy file's run is cached"
echo "# another byte" >>"$T/pol/p.toml"
run_c k2 -c "$T/pol/p.toml" -C "$T/ws" -- true
expect_log k2 "cache miss" "the policy bytes changed: a miss"
run_c k3 -P :workspace -C "$T/ws" --linux-backend bwrap -- true
expect_log k3 "cache miss" "another option (--linux-backend): a miss"
run_c k4 -P :workspace -C "$T/ws2" -- true
expect_log k4 "cache miss" "another cwd: a miss"
run_c k5 -P :workspace -C "$T/ws2" -- true
expect_log k5 "cache hit" "the same again: a hit"
mkdir "$T/ws2/.git"
run_c k6 -P :workspace -C "$T/ws2" -- sh -c 'ls -d .git; : >.git/x'
expect_log k6 "cache miss: .*ws2/.git" "a .git made in the workspace: a miss"
expect_absent "$T/ws2/.git/x" "and the new .git is read-only"
run_c k7 -P :workspace -C "$T/ws2" -- true
expect_log k7 "cache hit" "cached again with the .git"
rmdir "$T/ws2/.git"
run_c k8 -P :workspace -C "$T/ws2" -- true
expect_log k8 "cache miss" "the .git removed: a miss"
# another run's mount point (empty, mode 0555) at a missing protected name
# of the writable $TMPDIR comes and goes with that run: the same to the
# artifacts, so still a hit; a directory of the user's there is not
run_c t1 -P :workspace -C "$T/ws" -- true
mkdir -m 0555 "$TMPDIR/.agents"
run_c t2 -P :workspace -C "$T/ws" -- true
expect_log t2 "cache hit" "another run's mount point in \$TMPDIR: a hit"
rmdir "$TMPDIR/.agents"
mkdir -m 0755 "$TMPDIR/.agents"
run_c t3 -P :workspace -C "$T/ws" -- true
expect_log t3 "cache miss" "a directory of the user's there: a miss"
rmdir "$TMPDIR/.agents"
run_c k9 -c "$T/pol/s.toml" -C "$T/ws" -- true
run_c k10 -c "$T/pol/s.toml" -C "$T/ws" -- true
expect_log k10 "cache hit" "the policy with a symlink is cached"
rm "$T/link"
ln -s "$T/b" "$T/link"
run_c k11 -c "$T/pol/s.toml" -C "$T/ws" -- true
expect_log k11 "cache miss" "the symlink the compile followed swapped: a miss"

# bubblewrap's file: a copy found on PATH
cp "$(command -v bwrap)" "$T/bin/bwrap"
PATH="$T/bin:$PATH"
export PATH
run_c b1 -P :workspace -C "$T/ws" -- true
run_c b2 -P :workspace -C "$T/ws" -- true
expect_log b2 "cache hit" "the copy of bubblewrap on PATH: a hit"
touch -d '2001-01-01' "$T/bin/bwrap"
run_c b3 -P :workspace -C "$T/ws" -- true
expect_log b3 "cache miss" "bubblewrap touched: a miss"
run_c b4 -P :workspace -C "$T/ws" -- true
expect_log b4 "cache hit" "(cached again)"
cp "$T/bin/bwrap" "$T/bin/bwrap.new"
touch -d '2001-01-01' "$T/bin/bwrap.new"
mv "$T/bin/bwrap.new" "$T/bin/bwrap"
run_c b5 -P :workspace -C "$T/ws" -- true
expect_log b5 "cache miss" "bubblewrap replaced: a miss"

# ---- never an entry the sandbox could write ----
cat >"$T/pol/home.toml" <<TOML
default_permissions = "h"
[permissions.h]
extends = ":workspace"
[permissions.h.filesystem]
"$HOME" = "write"
TOML
run_c w0 -P :workspace -C "$T/ws" -- true
expect_exists "$C" "entries exist before"
run_c w1 -c "$T/pol/home.toml" -C "$T/ws" -- sh -c ": >$HOME/marker"
expect_status 0 "a profile that writes the home directory runs"
expect_log w1 "cache off: the sandbox could write" "its run does not use the cache under \$HOME"
expect_log w1 "cache purged" "and it empties the cache"
if [ -n "$(ls "$C")" ]; then fail "entries left: $(ls "$C")"; else ok "no entry left"; fi
run_c w2 -c "$T/pol/home.toml" -C "$T/ws" -- true
expect_no_grep "cache stored" "$T/log.w2" "nothing stored for it"
expect_no_grep "cache hit" "$T/log.w2" "never a hit for it"

# ---- an entry that is not sbxc's own is not used ----
entry() { find "$C" -type f | head -n 1; }
fresh() { # one stored entry of `run -P :workspace -C $T/ws -- true`
	rm -rf "$C"
	run_c f -P :workspace -C "$T/ws" -- true
	E=$(entry)
}
fresh
chmod 0644 "$E"
run_c p1 -P :workspace -C "$T/ws" -- true
expect_log p1 "cache miss: the entry is wrong owner or mode" "an entry of mode 0644 is not used"
fresh
ln "$E" "$T/hardlink"
run_c p2 -P :workspace -C "$T/ws" -- true
expect_log p2 "cache miss: the entry is more than one link" "an entry with another link is not used"
rm -f "$T/hardlink"
fresh
cp "$E" "$T/copy"
rm "$E"
ln -s "$T/copy" "$E"
run_c p3 -P :workspace -C "$T/ws" -- true
expect_log p3 "cache miss: the entry is a symlink" "a symlink for an entry is not followed"
fresh
mv "$C" "$C.real"
ln -s "$C.real" "$C"
run_c p4 -P :workspace -C "$T/ws" -- true
expect_log p4 "cache miss: no cache directory" "a symlinked cache directory is not followed"
rm "$C"
mv "$C.real" "$C"
chmod 0755 "$C"
run_c p5 -P :workspace -C "$T/ws" -- true
expect_log p5 "cache miss: no cache directory" "a cache directory others can read is not used"
chmod 0700 "$C"
if [ "$(id -u)" = 0 ]; then
	fresh
	chown 65534 "$E"
	run_c p6 -P :workspace -C "$T/ws" -- true
	expect_log p6 "cache miss: the entry is wrong owner or mode" "another user's entry is not used"
fi

# an entry a sandbox forged: a Landlock run ends in an exec (nothing removes
# what its processes write afterwards), and a sandbox can write files of the
# right owner and mode where it may write; without the key in the kernel
# keyring (seccomp refuses keyctl) it cannot make one that checks
if [ "$abi" -ge 6 ]; then
	fresh
	cp "$E" "$T/genuine"
	printf 'X' | dd of="$T/genuine" bs=1 seek=300 conv=notrunc 2>/dev/null
	printf 'default_permissions = "f"\n[permissions.f.filesystem]\n":root" = "write"\n' \
		>"$T/pol/full.toml"
	run_c g1 -c "$T/pol/full.toml" -C "$T/ws" --linux-backend landlock -- \
		sh -c "install -m 600 $T/genuine $E"
	expect_status 0 "a Landlock run that may write everything plants an entry"
	expect_log g1 "cache off: the sandbox could write" "(it does not use the cache)"
	expect_exists "$E" "(the planted entry is there after it)"
	run_c g2 -P :workspace -C "$T/ws" -- true
	expect_log g2 "cache miss: the entry is corrupt" "the planted entry fails its MAC"
fi

# ---- a corrupt entry is a miss, never a crash ----
fresh
cp "$E" "$T/good"
size=$(wc -c <"$T/good")
i=0
for off in 0 10 40 200 $((size / 2)) $((size - 40)) $((size - 1)); do
	i=$((i + 1))
	cp "$T/good" "$E"
	printf '\377' | dd of="$E" bs=1 seek="$off" conv=notrunc 2>/dev/null
	run_c c$i -P :workspace -C "$T/ws" -- sh -c "$CMD"
	keep c$i
	expect_status 3 "a byte changed at $off: the command runs as on a miss"
	expect_log c$i "cache miss" "a byte changed at $off: a miss"
done
cp "$T/good" "$E"
head -c $((size / 3)) "$T/good" >"$E"
run_c c9 -P :workspace -C "$T/ws" -- true
expect_status 0 "a truncated entry: the command runs"
expect_log c9 "cache miss: the entry is corrupt" "a truncated entry: a miss"
# ---- a known-good run refused without its sandbox set up is forgotten ----
# (E0781 says "the next run explains it": the next run must diagnose)
mkdir -p "$T/hidden"
printf '#!/bin/sh\necho ran\n' >"$T/hidden/tool"
chmod 0755 "$T/hidden/tool"
cat >"$T/pol/h.toml" <<TOML
default_permissions = "h"
[permissions.h.filesystem]
":root" = "read"
"$T/hidden" = "deny"
TOML
run_c f1 -c "$T/pol/h.toml" -C "$T/ws" --linux-backend bwrap -- true
expect_log f1 "cache stored" "the hiding profile's run is stored"
run_c f2 -c "$T/pol/h.toml" -C "$T/ws" --linux-backend bwrap -- "$T/hidden/tool"
expect_status 125 "a command the profile hides, on a hit: 125"
expect_log f2 "cache hit" "(a hit)"
expect_grep "error\[E0781\]" "$T/err.f2" "(E0781)"
expect_no_grep "^ran" "$T/out.f2" "the hidden command did not run"
expect_log f2 "cache forgot: the sandbox was not set up" "the refused hit is forgotten"
run_c f3 -c "$T/pol/h.toml" -C "$T/ws" --linux-backend bwrap -- "$T/hidden/tool"
expect_log f3 "cache miss: no entry" "the next run is a miss: the diagnosing path"
expect_status 126 "the diagnosing path says what execvp says inside"
expect_no_grep "^ran" "$T/out.f3" "the hidden command did not run there either"
run_c f4 -c "$T/pol/h.toml" -C "$T/ws" --linux-backend bwrap -- "$T/hidden/tool"
expect_status 126 "and so does the run after it"
expect_log f4 "cache miss: no entry" "a run whose command could not be executed inside is not stored"
pass
