#!/bin/sh
# The policy file decides the next sandbox: `sbxc run -c FILE` refuses one the
# sandbox could rewrite (E0720) and the command does not run; one in the
# project's .codex directory (kept read-only) runs. A profile that may write
# the whole filesystem is the exception: sbxc itself is not out of its reach.
. "$SBXC_RUNTIME_LIB"
need_bwrap
new_tree policy-file
mkdir -p "$T/ws/.codex"
cat >"$T/ws/sbxc.toml" <<'TOML'
default_permissions = "w"
[permissions.w]
extends = ":workspace"
TOML
sbx "$T/out" "$T/err" run -c "$T/ws/sbxc.toml" -C "$T/ws" -- sh -c ": >$T/ws/marker"
expect_status 125 "a policy file in the writable workspace"
expect_grep "error\[E0720\]: the policy file \`$T/ws/sbxc.toml\` can be changed from inside the sandbox it describes" "$T/err" "E0720 is reported"
expect_absent "$T/ws/marker" "the command did not run"
# lint says so first, with the same code
sbx "$T/out" "$T/lint" lint --targets linux -C "$T/ws" "$T/ws/sbxc.toml"
expect_status 1 "lint of a policy file in the writable workspace"
expect_grep "error\[E0720\]: the policy file \`$T/ws/sbxc.toml\` can be changed from inside the sandbox it describes" "$T/lint" "lint reports E0720"
# a symlink the sandbox could re-point is as bad as the file itself
ln -s "$T/ws/.codex/sbxc.toml" "$T/ws/link.toml"
cp "$T/ws/sbxc.toml" "$T/ws/.codex/sbxc.toml"
sbx "$T/out" "$T/err" run -c "$T/ws/link.toml" -C "$T/ws" -- sh -c ": >$T/ws/marker"
expect_status 125 "a policy file reached through a symlink in the writable workspace"
expect_grep "error\[E0720\]: the policy file \`$T/ws/link.toml\`" "$T/err" "E0720 names the symlink"
expect_absent "$T/ws/marker" "the command did not run"

cp "$T/ws/sbxc.toml" "$T/ws/.codex/sbxc.toml"
sbx "$T/out" "$T/err" run -c "$T/ws/.codex/sbxc.toml" -C "$T/ws" -- sh -c ": >$T/ws/marker"
expect_status 0 "a policy file in the read-only .codex"
expect_exists "$T/ws/marker" "the command ran"
rm -f "$T/ws/marker"

sbx "$T/out" "$T/err" compile --target linux -o "$T/art" -C "$T/ws" "$T/ws/sbxc.toml"
expect_status 1 "compile -o from a policy file the sandbox could rewrite"
expect_grep "error\[E0720\]" "$T/err" "E0720 is reported"
expect_absent "$T/art/manifest.json" "nothing was written"

sbx "$T/out" "$T/err" compile --target linux -o "$T/ws/art" -C "$T/ws" "$T/ws/.codex/sbxc.toml"
expect_status 1 "compile -o into the writable workspace"
expect_grep "error\[E0719\]: the artifact directory \`$T/ws/art\`" "$T/err" "E0719 is reported"
sbx "$T/out" "$T/lint" lint --targets linux -C "$T/ws" "$T/ws/.codex/sbxc.toml"
expect_status 0 "lint of the policy file in the read-only .codex"

cat >"$T/full.toml" <<TOML
default_permissions = "f"
[permissions.f.filesystem]
":root" = "write"
"$T/ws/.codex" = "deny"
TOML
sbx "$T/out" "$T/err" run -c "$T/full.toml" -C "$T/ws" -- sh -c ": >$T/ws/marker"
expect_status 0 "full write: the policy file is not checked"
expect_exists "$T/ws/marker" "the command ran"
pass
