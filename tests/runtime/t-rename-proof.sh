#!/bin/sh
# Read-only, denied and protected paths below a writable root keep the
# access `explain` gives them although the sandbox may write around them
# (issue 13, section 2): renaming, removing or replacing any directory above
# them inside the writable root fails (each is a mount point of its own in
# the sandbox: EBUSY), so the masks cannot be carried away. A writable root
# nested in another keeps its protected names the same way.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree rename-proof

# the reproduction: a parent of a read-only and a denied file
mkdir -p "$T/r/repo/a" "$T/r/repo/x/y"
echo TOPSECRET >"$T/r/repo/a/secret.txt"
echo "db: prod" >"$T/r/repo/a/conf.yaml"
echo DEEPSECRET >"$T/r/repo/x/y/key"
cat >"$T/r/p.toml" <<TOML
default_permissions = "p"
[permissions.p.filesystem]
":root" = "read"
"$T/r/repo" = "write"
"$T/r/repo/a/conf.yaml" = "read"
"$T/r/repo/a/secret.txt" = "deny"
"$T/r/repo/x/y/key" = "deny"
"$T/r/repo/m/n/missing.txt" = "deny"
TOML
sbx "$T/out" "$T/err" run -c "$T/r/p.toml" -C "$T/r/repo" -- sh -c '
	mv a b && echo moved-a
	mkdir -p a && echo "db: attacker" >a/conf.yaml && echo wrote-conf
	mv x z && echo moved-x
	mv x/y x/w && echo moved-y
	mkdir q && mv -T q x/y 2>/dev/null && echo replaced-y
	rmdir m/n 2>/dev/null && echo removed-n
	mv m mm && echo moved-m
	cat b/secret.txt z/y/key x/w/key 2>/dev/null
	echo done'
expect_status 0 "the command ran"
expect_grep "^done$" "$T/out" "the command finished"
for what in moved-a wrote-conf moved-x moved-y replaced-y removed-n moved-m TOPSECRET DEEPSECRET; do
	expect_no_grep "$what" "$T/out" "inside: not $what"
done
expect_grep "^db: prod$" "$T/r/repo/a/conf.yaml" "the read-only file is unchanged on the host"
expect_exists "$T/r/repo/a/secret.txt" "the denied file is where it was"
expect_absent "$T/r/repo/b" "no directory b was left"
sbx "$T/out" "$T/err" run -c "$T/r/p.toml" -C "$T/r/repo" -- sh -c 'cat a/secret.txt x/y/key b/secret.txt z/y/key; echo done'
expect_grep "^done$" "$T/out" "the next run"
expect_no_grep "SECRET" "$T/out" "the next run cannot read the denied files either"

# a writable root nested in the workspace (-W repo/pkg with cwd repo): its
# .git stays read-only
mkdir -p "$T/n/repo/pkg/.git"
printf '[core]\n\tbare = false\n' >"$T/n/repo/pkg/.git/config"
cp "$T/n/repo/pkg/.git/config" "$T/config.orig"
sbx "$T/out" "$T/err" run -C "$T/n/repo" -W "$T/n/repo/pkg" -- sh -c '
	mv pkg pkg.old && echo moved-pkg
	mkdir -p pkg && cp -r pkg.old/.git pkg/ 2>/dev/null
	printf "\tfsmonitor = touch PWNED\n" >>pkg/.git/config 2>/dev/null && echo wrote-config
	echo done'
expect_grep "^done$" "$T/out" "the command finished"
expect_no_grep moved-pkg "$T/out" "the nested writable root cannot be renamed"
expect_no_grep wrote-config "$T/out" "its .git/config cannot be written"
if cmp -s "$T/config.orig" "$T/n/repo/pkg/.git/config"; then ok ".git/config is unchanged on the host"; else fail ".git/config changed on the host"; fi
expect_absent "$T/n/repo/pkg.old" "no pkg.old was left"

# the working directory below :tmpdir under :workspace (a writable root
# nested in another one)
mkdir -p "$TMPDIR/ws/.git"
cp "$T/config.orig" "$TMPDIR/ws/.git/config"
sbx "$T/out" "$T/err" run -C "$TMPDIR/ws" -- sh -c '
	cd .. && mv ws ws.old && echo moved-ws
	mkdir -p ws && cp -r ws.old/.git ws/ 2>/dev/null
	printf "\tfsmonitor = touch PWNED\n" >>ws/.git/config 2>/dev/null && echo wrote-config
	echo done'
expect_grep "^done$" "$T/out" "the command finished"
expect_no_grep moved-ws "$T/out" "the working directory below :tmpdir cannot be renamed"
expect_no_grep wrote-config "$T/out" "its .git/config cannot be written"
if cmp -s "$T/config.orig" "$TMPDIR/ws/.git/config"; then ok ".git/config is unchanged on the host"; else fail ".git/config changed on the host"; fi
pass
