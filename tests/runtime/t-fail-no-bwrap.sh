#!/bin/sh
# Fail closed: no bubblewrap on PATH and a profile Landlock cannot enforce
# -> exit 125, E0701 naming the package, and the command does not run; a
# `bwrap` inside the working directory or in a relative PATH entry is never
# run. When Landlock can enforce the profile it stands in for bubblewrap.
. "$SBXC_RUNTIME_LIB"
new_tree no-bwrap
mkdir -p "$T/emptybin" "$T/code/secrets" "$T/ll/.git"
nested_policy
env PATH="$T/emptybin" "$SBXC" run -c "$T/nested.toml" -C "$T/code" -- \
	/bin/sh -c ": >$T/code/marker" >"$T/out" 2>"$T/err"
status=$?
expect_status 125 "no bubblewrap, Landlock cannot enforce"
expect_grep "error\[E0701\]: bubblewrap (\`bwrap\`) is not on PATH" "$T/err" "E0701 is reported"
expect_grep "apt-get install bubblewrap" "$T/err" "the package to install is named"
expect_grep "Landlock cannot enforce this profile exactly" "$T/err" "says why Landlock cannot stand in"
expect_absent "$T/code/marker" "the command did not run"

# a bwrap inside the working directory is never used
mkdir -p "$T/code/bin" && printf '#!/bin/sh\n: >%s/code/evil\n' "$T" >"$T/code/bin/bwrap"
chmod +x "$T/code/bin/bwrap"
env PATH="$T/code/bin" "$SBXC" run -c "$T/nested.toml" -C "$T/code" -- /bin/true \
	>"$T/out" 2>"$T/err"
status=$?
expect_status 125 "a bwrap inside the working directory"
expect_absent "$T/code/evil" "the bwrap inside the working directory was not run"

# nor one in a relative PATH entry (`bin`, `.`, an empty entry, `..`): they
# are relative to where sbxc starts, not to -C, and a sandbox may write there
mkdir -p "$T/start/bin"
for b in "$T/start/bin/bwrap" "$T/start/bwrap" "$T/bwrap"; do
	printf '#!/bin/sh\n: >%s/evil-rel\nexec /bin/true\n' "$T" >"$b"
	chmod +x "$b"
done
(cd "$T/start" && env PATH="bin:.::..:$T/emptybin" "$SBXC" run -c "$T/nested.toml" \
	-C "$T/code" -- /bin/true >"$T/out" 2>"$T/err")
status=$?
expect_status 125 "bwrap only in relative PATH entries"
expect_grep "error\[E0701\]" "$T/err" "E0701 is reported"
expect_absent "$T/evil-rel" "no bwrap of a relative PATH entry was run"

abi=$(landlock_abi)
if [ "$abi" -ge 6 ]; then
	env PATH="$T/emptybin" "$SBXC" run -P :read-only -C "$T/ll" -- \
		/bin/sh -c "echo ran; : >$T/ll/marker" >"$T/out" 2>"$T/err"
	status=$?
	expect_status 2 "Landlock stands in (the shell's own status for its refused write)"
	expect_grep "^ran$" "$T/out" "the command ran under Landlock"
	expect_absent "$T/ll/marker" "and could not write"
else
	echo "note: Landlock ABI $abi < 6, the fallback half is not tested here"
fi
pass
