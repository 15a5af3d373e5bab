#!/bin/sh
# A Landlock ruleset that cannot be applied stops sbxc: exit 125, the
# diagnostic, and the command does not run (it would otherwise run with no
# filesystem restriction at all). Two ways in: landlock.json corrupted after
# compile (an unknown right in a rule, in the handled rights, an unknown
# scope), and the kernel refusing each Landlock call, made to happen by the
# fault hook of the test build sbxc-faults (SBXC_TEST_FAULT=CALL; the sbxc
# binary has no such hook, which the last check shows).
. "$SBXC_RUNTIME_LIB"
need_landlock 6
[ -x "${SBXC_FAULTS:-}" ] || skip "SBXC_FAULTS does not name the sbxc-faults test build"
new_tree landlock-apply
mkdir -p "$T/ws"

sbx "$T/out" "$T/err" compile --target linux -P :read-only -C "$T/ws" -o "$T/art"
expect_status 0 "compile :read-only"
cp "$T/art/landlock.json" "$T/landlock.orig"
run_exec() { sbx "$T/out" "$T/err" exec --linux-backend landlock -C "$T/ws" "$T/art" -- echo ran; }
run_exec
expect_status 0 "the artifacts run under Landlock"
expect_grep "^ran$" "$T/out" "the command ran"

corrupt() { # corrupt SED-EXPRESSION WHAT EXPECTED-MESSAGE
	sed -e "$1" "$T/landlock.orig" >"$T/landlock.new"
	cmp -s "$T/landlock.new" "$T/landlock.orig" && fail "$2: the edit changed nothing"
	cat "$T/landlock.new" >"$T/art/landlock.json" # same file: one link
	run_exec
	expect_status 125 "$2"
	expect_grep "error\[E0710\]: invalid artifact file \`landlock.json\`: $3" "$T/err" "$2: E0710"
	expect_no_grep "^ran$" "$T/out" "$2: the command did not run"
}
# a right of the first rule (indented 8), a handled right (4), a scope
corrupt '0,/^        "read_file"/s//        "read_everything"/' \
	"an unknown right in a rule" "bad rule 0"
corrupt '0,/^    "write_file"/s//    "write_anything"/' \
	"an unknown handled right" "unknown access right"
corrupt 's/"signal"/"signals"/' "an unknown scope" "unknown scope"
cat "$T/landlock.orig" >"$T/art/landlock.json"

for call in landlock_create_ruleset landlock_add_rule landlock_restrict_self; do
	SBXC_TEST_FAULT=$call "$SBXC_FAULTS" run -P :read-only -C "$T/ws" \
		--linux-backend landlock -- echo ran >"$T/out" 2>"$T/err"
	status=$?
	expect_status 125 "$call fails"
	expect_grep "error\[E0716\]: cannot apply the Landlock ruleset: .*Operation not permitted" "$T/err" "$call fails: E0716"
	expect_no_grep "^ran$" "$T/out" "$call fails: the command did not run"
done
SBXC_TEST_FAULT=landlock_restrict_self "$SBXC_FAULTS" run -P :read-only -C "$T/ws" \
	--linux-backend landlock -- echo ran >"$T/out" 2>"$T/err"
grep -q "landlock_restrict_self: Operation not permitted" "$T/err" ||
	fail "the E0716 of a failed landlock_restrict_self names the call"
SBXC_TEST_FAULT=landlock_restrict_self "$SBXC" run -P :read-only -C "$T/ws" \
	--linux-backend landlock -- echo ran >"$T/out" 2>"$T/err"
status=$?
expect_status 0 "sbxc itself has no fault hook"
expect_grep "^ran$" "$T/out" "sbxc itself ignores SBXC_TEST_FAULT"
pass
