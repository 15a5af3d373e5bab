#!/bin/sh
# A sandboxed command must not be able to choose the bubblewrap that sbxc
# runs, outside any sandbox, the next time (issue 13, section 1):
# - a run whose sandbox could write a PATH directory that bubblewrap
#   discovery consults (or rename one of its ancestors) is refused (E0770):
#   its command could plant a `bwrap` there that the next run executes;
# - a `bwrap` (found on PATH or given with --bwrap) that the sandbox could
#   change is never executed, not even for --dry-run's `--help` probe;
# - the probe cache is neither read nor written where the sandbox can write,
#   nor through a symlinked directory.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree bwrap-plant
sysbwrap=$(command -v bwrap)
mkdir -p "$T/x/proj" "$T/x/tools/bin" "$T/x/other"
sbxp() { # sbxp PATH OUT ERR ARGS...: sbx with that PATH
	p=$1
	shift
	o=$1 e=$2
	shift 2
	env PATH="$p" "$SBXC" "$@" >"$o" 2>"$e" </dev/null
	status=$?
}
plant() { # plant FILE: a bwrap that leaves a mark and then runs the real one
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\nid -u >%s/ESCAPED\nexec %s "$@"\n' "$T/x" "$sysbwrap" >"$1"
	chmod +x "$1"
}

# the reproduction: the first run's command plants a bwrap in a PATH entry
# the profile makes writable
sbxp "$T/x/tools/bin:$PATH" "$T/out" "$T/err" run -W "$T/x/tools" -C "$T/x/proj" \
	--linux-backend bwrap -- sh -c "printf '#!/bin/sh\nid -u >$T/x/ESCAPED\n' >$T/x/tools/bin/bwrap; chmod +x $T/x/tools/bin/bwrap; echo planted"
expect_status 125 "a run whose sandbox can write a PATH entry before bubblewrap"
expect_grep "error\[E0770\]: the sandbox could put a \`bwrap\` in \`$T/x/tools/bin\`, which bubblewrap discovery searches" "$T/err" "E0770 names the PATH entry"
expect_absent "$T/x/tools/bin/bwrap" "the command did not run (nothing was planted)"

# a bwrap left there earlier is not run either, on PATH or with --bwrap
plant "$T/x/tools/bin/bwrap"
sbxp "$T/x/tools/bin:$PATH" "$T/out" "$T/err" run -W "$T/x/tools" -C "$T/x/proj" \
	--linux-backend bwrap -- sh -c ": >$T/x/proj/ran"
expect_status 125 "a planted bwrap in a writable PATH entry"
expect_grep "error\[E0770\]: the sandbox could put a \`bwrap\` in \`$T/x/tools/bin\`" "$T/err" "E0770 is reported"
expect_absent "$T/x/ESCAPED" "the planted bwrap was not executed"
expect_absent "$T/x/proj/ran" "the command did not run"

sbxp "$T/x/tools/bin:$PATH" "$T/out" "$T/err" run -W "$T/x/tools" -C "$T/x/proj" \
	--linux-backend bwrap --dry-run -- true
expect_status 125 "--dry-run with a planted bwrap"
expect_absent "$T/x/ESCAPED" "--dry-run did not probe the planted bwrap"

sbx "$T/out" "$T/err" run -W "$T/x/tools" -C "$T/x/proj" --linux-backend bwrap \
	--bwrap "$T/x/tools/bin/bwrap" -- sh -c ": >$T/x/proj/ran"
expect_status 125 "--bwrap naming a bwrap the sandbox can change"
expect_grep "error\[E0771\]: bubblewrap \`$T/x/tools/bin/bwrap\` can be changed from inside the sandbox" "$T/err" "E0771 names the binary"
expect_absent "$T/x/ESCAPED" "the bwrap given with --bwrap was not executed"
expect_absent "$T/x/proj/ran" "the command did not run"

# a symlink to the real bwrap in a writable directory is as unsafe: the
# sandbox can replace the link
rm "$T/x/tools/bin/bwrap" && ln -s "$sysbwrap" "$T/x/tools/bin/bwrap"
sbx "$T/out" "$T/err" run -W "$T/x/tools" -C "$T/x/proj" --linux-backend bwrap \
	--bwrap "$T/x/tools/bin/bwrap" -- true
expect_status 125 "--bwrap naming a symlink the sandbox can replace"
expect_grep "error\[E0771\]" "$T/err" "E0771 is reported for the symlink"
rm "$T/x/tools/bin/bwrap"

# "~" = "write" and ~/.local/bin on PATH (missing: the sandbox can make it)
cat >"$T/home-write.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"~" = "write"
TOML
sbxp "$HOME/.local/bin:$PATH" "$T/out" "$T/err" run -c "$T/home-write.toml" \
	-C "$T/x/proj" --linux-backend bwrap -- sh -c ": >$T/home/ran"
expect_status 125 "a missing ~/.local/bin on PATH under a writable home"
expect_grep "error\[E0770\]: the sandbox could put a \`bwrap\` in \`$HOME/.local/bin\`" "$T/err" "E0770 names ~/.local/bin"
expect_absent "$T/home/ran" "the command did not run"

# a PATH entry after the bwrap that is used is not consulted: no refusal
sbxp "/usr/bin:/bin:$T/x/tools/bin" "$T/out" "$T/err" run -W "$T/x/tools" \
	-C "$T/x/proj" --linux-backend bwrap -- sh -c "echo ran"
expect_status 0 "a writable PATH entry after the bubblewrap that is used"
expect_grep "^ran$" "$T/out" "the command ran"

# the probe cache: under a writable home it is neither read nor written. A
# poisoned entry for the real bwrap (claiming it lacks --perms) shows
# whether it is read.
key=$(stat -L -c '%d %i %s %.9Y %.9Z' "$sysbwrap") || skip "stat lacks %.9Y"
realbwrap=$(readlink -f "$sysbwrap")
key=$(stat -c '%d %i %s %.9Y %.9Z' "$realbwrap")
mkdir -p "$XDG_CACHE_HOME/sbxc"
printf -- '-- v1 %s %s\n' "$key" "$realbwrap" >"$XDG_CACHE_HOME/sbxc/bwrap-probe"
sbxp /usr/bin:/bin "$T/out" "$T/err" run -P :read-only -C "$T/x/proj" \
	--linux-backend bwrap -- true
expect_status 125 "the poisoned cache is read where the sandbox cannot write it"
expect_grep "error\[E0702\]" "$T/err" "(so the poisoned entry has the right key)"
sbxp /usr/bin:/bin "$T/out" "$T/err" run -c "$T/home-write.toml" -C "$T/x/proj" \
	--linux-backend bwrap -- sh -c "echo ran"
expect_status 0 "a cache the sandbox can write is not read"
expect_grep "^ran$" "$T/out" "the command ran"
rm -rf "$XDG_CACHE_HOME/sbxc"
sbxp /usr/bin:/bin "$T/out" "$T/err" run -c "$T/home-write.toml" -C "$T/x/proj" \
	--linux-backend bwrap -- true
expect_status 0 "the command ran"
expect_absent "$XDG_CACHE_HOME/sbxc/bwrap-probe" "nor is it written"

# the cache is not written through a symlinked ~/.cache (nor ~/.cache/sbxc)
rm -rf "$HOME/.cache" && mkdir -p "$T/elsewhere" && ln -s "$T/elsewhere" "$HOME/.cache"
unset XDG_CACHE_HOME
sbxp /usr/bin:/bin "$T/out" "$T/err" run -P :read-only -C "$T/x/proj" --linux-backend bwrap -- true
expect_status 0 "the command ran"
expect_absent "$T/elsewhere/sbxc" "nothing was written where ~/.cache leads"
pass
