# lib.sh: helpers of the runtime suite's scripts (sourced).
#
# Each script gets SBXC (the binary), SBXC_RUNTIME_WORK (a scratch
# directory) and SBXC_PROBE; it makes its own tree with new_tree, checks
# outcomes with the expect_* helpers, and ends with `pass`. A missing
# machine feature ends it with `skip REASON` (exit 77).
set -u
: "${SBXC:?}" "${SBXC_RUNTIME_WORK:?}"
failures=0
T=

new_tree() { # new_tree NAME: a fresh directory in $T, removed at exit
	mkdir -p "$SBXC_RUNTIME_WORK"
	T=$(mktemp -d "$SBXC_RUNTIME_WORK/$1-XXXXXX") || exit 1
	mkdir -p "$T/home" "$T/tmp"
	export HOME="$T/home" TMPDIR="$T/tmp" XDG_CACHE_HOME="$T/home/.cache"
	trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
}

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

ok() { echo "ok: $*"; }

nested_policy() { # $T/nested.toml: $T/code writable, $T/code/secrets denied,
	# which Landlock cannot enforce (a deny under a grant)
	mkdir -p "$T/code/secrets"
	cat >"$T/nested.toml" <<TOML
default_permissions = "nested"
[permissions.nested.filesystem]
":root" = "read"
"$T/code" = "write"
"$T/code/secrets" = "deny"
TOML
}

need_bwrap() {
	command -v bwrap >/dev/null 2>&1 || skip "bubblewrap is not installed (apt-get install bubblewrap)"
	out=$(bwrap --unshare-user --ro-bind / / /bin/true 2>&1) ||
		skip "user namespaces are refused on this machine: $out"
}

launch_mode() { # "fast" when sbxc starts bubblewrap on the fast path (no inner
	# stage: SBXC_TEST_KNOWN_GOOD=1, or a cached run), "inner" otherwise
	if "$SBXC" run -P :read-only --linux-backend bwrap --dry-run -- /bin/true 2>/dev/null |
		grep -q '^launch: fast path'; then echo fast; else echo inner; fi
}

landlock_abi() { # the kernel's Landlock ABI, 0 when none
	"$SBXC" run -P :read-only --linux-backend landlock --dry-run -- /bin/true 2>/dev/null |
		sed -n 's/^landlock: .*kernel ABI \([0-9]*\).*/\1/p' | grep . || echo 0
}

need_landlock() { # need_landlock ABI
	abi=$(landlock_abi)
	[ "$abi" -ge "$1" ] || skip "the kernel's Landlock ABI is $abi, this test needs $1"
}

# sbx OUT ERR ARGS...: runs sbxc, stdout to OUT, stderr to ERR; sets $status
sbx() {
	o=$1 e=$2
	shift 2
	"$SBXC" "$@" >"$o" 2>"$e" </dev/null
	status=$?
}

expect_status() { # expect_status N WHAT
	if [ "$status" = "$1" ]; then ok "$2: exit $1"; else fail "$2: exit $status, expected $1"; fi
}

expect_grep() { # expect_grep PATTERN FILE WHAT
	if grep -q -- "$1" "$2"; then ok "$3"; else
		fail "$3: \`$1\` not in $2:"
		sed 's/^/    /' "$2"
	fi
}

expect_no_grep() {
	if grep -q -- "$1" "$2"; then
		fail "$3: \`$1\` found in $2:"
		sed 's/^/    /' "$2"
	else ok "$3"; fi
}

expect_exists() { if [ -e "$1" ] || [ -L "$1" ]; then ok "$2"; else fail "$2: $1 missing"; fi; }
expect_absent() { if [ -e "$1" ] || [ -L "$1" ]; then fail "$2: $1 exists"; else ok "$2"; fi; }

pass() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures failure(s)"
		exit 1
	fi
	echo "all passed"
	exit 0
}
