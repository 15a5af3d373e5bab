#!/bin/sh
# Every named limit (compiler/base/sbx_limits.h) at its exact boundary and one
# past it, in `lint`, `compile` and `run`: at the boundary each command
# succeeds (no error, the command runs); one past it each reports the
# limit's own diagnostic and fails (lint 1, compile 1, run 125 with the
# command not run). A profile of exactly SBX_MAX_RESOLVED_RULES rules used
# to pass lint and make run exit 125 and compile 1 without a word.
# Deny-glob matches (E0712) are expanded by the semantic pass, so lint
# reports them too (as the reason no backend can enforce the profile). The
# words bubblewrap accepts (E0014, E0015) are checked in compile and run:
# which paths need a mount depends on what exists when they run. E0013 (artifact bytes) is tested
# in tests/unit/test_bwrap.c and tests/golden/limits/ (it takes a 256 MiB
# file), E0008 (diagnostics kept) also in tests/unit/test_diag.c.
. "$SBXC_RUNTIME_LIB"
new_tree limits
mkdir -p "$T/ws"
backend=""
if command -v bwrap >/dev/null 2>&1 && bwrap --unshare-user --ro-bind / / /bin/true 2>/dev/null; then
	backend=bwrap
elif [ "$(landlock_abi)" -ge 6 ]; then
	backend=landlock
fi
[ -n "$backend" ] || skip "neither bubblewrap nor Landlock ABI 6 is usable here"

head_policy() { printf 'default_permissions = "p"\n[permissions.p.filesystem]\n":root" = "read"\n'; }

# gen_LIMIT at|past: a policy on stdout
gen_E0002() { # SBX_MAX_INPUT_BYTES: a comment pads the file to the byte
	n=$((32 * 1024 * 1024))
	[ "$1" = past ] && n=$((n + 1))
	head_policy >"$T/head"
	h=$(wc -c <"$T/head")
	cat "$T/head"
	printf '#'
	head -c $((n - h - 2)) /dev/zero | tr '\0' x
	printf '\n'
}
gen_E0005() { # SBX_MAX_NESTING: arrays in one value at the top level
	d=128
	[ "$1" = past ] && d=129
	printf 'y = '
	seq "$d" | sed 's/.*/[/' | tr -d '\n'
	seq "$d" | sed 's/.*/]/' | tr -d '\n'
	printf '\n'
	head_policy
}
gen_E0006() { # SBX_MAX_VALUES: 5 keys of the policy, `x`, `y`, and elements
	n=$((2000000 - 7))
	[ "$1" = past ] && n=$((n + 1))
	head_policy
	printf '[x]\ny = ['
	yes '0,' | head -n $((n - 1)) | tr -d '\n'
	printf '0]\n'
}
gen_E0007() { # SBX_MAX_KEY_PARTS: parts of one dotted key
	n=128
	[ "$1" = past ] && n=129
	printf 'k'
	seq 2 "$n" | sed 's/.*/.k/' | tr -d '\n'
	printf ' = 1\n'
	head_policy
}
gen_E0009() { # SBX_MAX_PATH_BYTES: 40 components of 100 bytes and the rest
	n=4096
	[ "$1" = past ] && n=4097
	head_policy
	printf '"'
	c=$(printf '%099d' 0 | tr 0 a)
	seq 40 | sed "s/.*/\/$c/" | tr -d '\n'
	printf '/'
	head -c $((n - 4001)) /dev/zero | tr '\0' b
	printf '" = "deny"\n'
}
gen_E0010() { # SBX_MAX_EXTENDS_DEPTH: profiles in one extends chain
	n=64
	[ "$1" = past ] && n=65
	printf 'default_permissions = "p0"\n'
	i=0
	while [ "$i" -lt $((n - 1)) ]; do
		printf '[permissions.p%d]\nextends = "p%d"\n' "$i" $((i + 1))
		i=$((i + 1))
	done
	printf '[permissions.p%d.filesystem]\n":root" = "read"\n' "$i"
}
gen_E0011() { # SBX_MAX_WORKSPACE_ROOTS: the cwd and the profile's roots
	n=255
	[ "$1" = past ] && n=256
	printf 'default_permissions = "p"\n[permissions.p.workspace_roots]\n'
	seq -f '"/sbxc-none/r%g" = true' 1 "$n"
	printf '[permissions.p.filesystem]\n":root" = "read"\n'
}
gen_E0012() { # SBX_MAX_RESOLVED_RULES: 256 roots x 3,906 entries, `:root`, 63 more
	n=63
	[ "$1" = past ] && n=64
	printf 'default_permissions = "p"\n[permissions.p.workspace_roots]\n'
	seq -f '"/sbxc-none/r%g" = true' 1 255
	printf '[permissions.p.filesystem]\n":root" = "read"\n'
	seq -f '"/sbxc-none/e%g" = "read"' 1 "$n"
	printf '[permissions.p.filesystem.":workspace_roots"]\n'
	seq -f '"d%g" = "read"' 1 3906
}
mkdir -p "$T/globs"
i=0
while [ "$i" -lt 1025 ]; do
	: >"$T/globs/f$i.env"
	i=$((i + 1))
done
gen_E0712() { # SBX_MAX_GLOB_MATCHES: files one deny glob matches
	[ "$1" = past ] && : >"$T/globs/f1024.env" || rm -f "$T/globs/f1024.env"
	head_policy
	printf 'glob_scan_max_depth = 2\n'
	printf '"%s/**/*.env" = "deny"\n' "$T/globs"
}

check() { # check LIMIT COMMANDS: at and past the boundary in each command
	code=$1
	shift
	for where in at past; do
		"gen_$code" "$where" >"$T/p.toml"
		for cmd in "$@"; do
			case $cmd in
			lint) sbx "$T/out" "$T/err" lint --color=never -C "$T/ws" "$T/p.toml" ;;
			compile) sbx "$T/out" "$T/err" compile --color=never --target linux -C "$T/ws" \
				--print seccomp.json "$T/p.toml" ;;
			run) "$SBXC" run --color=never -C "$T/ws" --linux-backend "$backend" -c - \
				-- sh -c 'echo ran' <"$T/p.toml" >"$T/out" 2>"$T/err"
				status=$? ;;
			esac
			if [ "$where" = at ]; then
				expect_status 0 "$code at the boundary: $cmd"
				expect_no_grep "error\[" "$T/err" "$code at the boundary: $cmd reports no error"
				[ "$cmd" = run ] && expect_grep "^ran$" "$T/out" "$code at the boundary: the command ran"
			else
				want=1
				[ "$cmd" = run ] && want=125
				expect_status "$want" "$code past the boundary: $cmd"
				# E0712 is a backend's reason: a note under the error that no
				# backend can enforce the profile (E0640, E0707)
				pat="error\\[$code\\]"
				[ "$code" = E0712 ] && pat="note: \\[E0712\\] deny glob .* matches more than 1024 files"
				expect_grep "$pat" "$T/err" "$code past the boundary: $cmd says $code"
				[ "$cmd" = run ] && expect_no_grep "^ran$" "$T/out" "$code past the boundary: the command did not run"
			fi
		done
	done
}

for code in E0002 E0005 E0006 E0007 E0009 E0010 E0011 E0012; do
	check "$code" lint compile run
done
check E0712 lint compile run

# The network limits, only under bubblewrap (Landlock cannot enforce
# proxy-enforced network at all). Past them the profile is not an error of
# its own: no linux backend can enforce it (E0640 in `lint --targets linux`
# and compile, E0707 in run) and the limit is the reason under it.
net_policy() { # net_policy: a profile with the network on, its tables follow
	head_policy
	printf '[permissions.p.network]\nenabled = true\n'
}
gen_proxy_url() { # SBX_MAX_PROXY_URL_BYTES: a loopback proxy URL padded by its path
	n=2048
	[ "$1" = past ] && n=2049
	net_policy
	printf 'proxy_url = "http://localhost:8888/'
	head -c $((n - 22)) /dev/zero | tr '\0' a
	printf '"\n'
}
gen_E0694() { # SBX_MAX_FILTER_DOMAINS: domain rules of a filtering proxy
	n=4096
	[ "$1" = past ] && n=4097
	net_policy
	printf '[permissions.p.network.domains]\n'
	seq -f '"h%g.example.com" = "allow"' 1 "$n"
}
check_net() { # check_net GEN PATTERN: PATTERN is the reason past the limit
	for where in at past; do
		"gen_$1" "$where" >"$T/p.toml"
		sbx "$T/lout" "$T/lerr" lint --color=never --targets linux -C "$T/ws" "$T/p.toml"
		lstatus=$status
		sbx "$T/out" "$T/err" compile --color=never --target linux -C "$T/ws" \
			--print seccomp.json "$T/p.toml"
		cstatus=$status
		"$SBXC" run --color=never -C "$T/ws" --linux-backend bwrap -c - \
			-- sh -c 'echo ran' <"$T/p.toml" >"$T/rout" 2>"$T/rerr"
		rstatus=$?
		for cmd in lint compile run; do
			case $cmd in
			lint) status=$lstatus err=$T/lerr ;;
			compile) status=$cstatus err=$T/err ;;
			run) status=$rstatus err=$T/rerr ;;
			esac
			if [ "$where" = at ]; then
				expect_status 0 "$1 at the boundary: $cmd"
				expect_no_grep "error\[\|warning\[" "$err" "$1 at the boundary: $cmd reports no error or warning"
			else
				want=1
				[ "$cmd" = run ] && want=125
				expect_status "$want" "$1 past the boundary: $cmd"
				# shellcheck disable=SC2016 # the backticks of the message
				want='error\[E0640\]: no linux backend can enforce profile `p` exactly'
				# shellcheck disable=SC2016 # the backticks of the message
				[ "$cmd" = run ] && want='error\[E0707\]: the `bwrap` backend cannot enforce this profile exactly'
				expect_grep "$want" "$err" "$1 past the boundary: $cmd refuses the profile"
				expect_grep "$2" "$err" "$1 past the boundary: $cmd gives the limit as the reason"
			fi
		done
		if [ "$where" = at ]; then
			expect_grep "^ran$" "$T/rout" "$1 at the boundary: the command ran"
		else
			expect_no_grep "^ran$" "$T/rout" "$1 past the boundary: the command did not run"
		fi
	done
}
if [ "$backend" = bwrap ]; then
	# the URL is unusable (W0450, the reason in its note) and bubblewrap has
	# no proxy to route (E0691)
	check_net proxy_url 'aaa`: it is longer than SBX_MAX_PROXY_URL_BYTES$'
	# shellcheck disable=SC2016 # the backticks of the message
	check_net E0694 'note: \[E0694\] `linux-bwrap` cannot filter 4097 domain rules: more than SBX_MAX_FILTER_DOMAINS (4096)'
fi

# SBX_MAX_DIAGNOSTICS (E0008): diagnostics kept, warnings (W0201, unknown
# keys) here. Past it the rest are counted and a note says how many; nothing
# fails. lint keeps its two notes (N0603, N0601) too, so its boundary is
# 198 warnings (at 199 the last note is the one left out); compile prints
# warnings only, 200. run keeps 200 warnings and says it dropped the rest.
gen_E0008() { # gen_E0008 N: N unknown keys in the profile
	printf 'default_permissions = "p"\n[permissions.p]\n'
	seq -f 'u%g = 1' 1 "$1"
	printf '[permissions.p.filesystem]\n":root" = "read"\n'
}
e0008='note\[E0008\]: 1 more diagnostics were not shown (SBX_MAX_DIAGNOSTICS is 200)$'
for k in 198 199; do
	gen_E0008 "$k" >"$T/p.toml"
	sbx "$T/out" "$T/err" lint --color=never --targets linux -C "$T/ws" "$T/p.toml"
	expect_status 0 "E0008 with $k warnings: lint"
	expect_grep "1 profile checked, 0 errors, $k warnings$" "$T/out" "E0008 with $k warnings: lint counts them all"
	[ "$(grep -c 'warning\[W0201\]' "$T/err")" = "$k" ] &&
		ok "E0008 with $k warnings: lint shows them all" || fail "E0008 with $k warnings: lint shows $(grep -c 'warning\[' "$T/err")"
	if [ "$k" = 198 ]; then
		expect_no_grep "E0008" "$T/err" "E0008 at the boundary: lint"
	else
		expect_grep "$e0008" "$T/err" "E0008 past the boundary: lint"
	fi
done
for k in 200 201; do
	gen_E0008 "$k" >"$T/p.toml"
	sbx "$T/out" "$T/err" compile --color=never --target linux -C "$T/ws" --print seccomp.json "$T/p.toml"
	expect_status 0 "E0008 with $k warnings: compile"
	[ "$(grep -c 'warning\[W0201\]' "$T/err")" = 200 ] &&
		ok "E0008 with $k warnings: compile shows 200" || fail "E0008 with $k warnings: compile shows $(grep -c 'warning\[' "$T/err")"
	if [ "$k" = 200 ]; then
		expect_no_grep "E0008" "$T/err" "E0008 at the boundary: compile"
	else
		expect_grep "$e0008" "$T/err" "E0008 past the boundary: compile"
	fi
	"$SBXC" run --color=never -C "$T/ws" --linux-backend "$backend" -c - \
		-- sh -c 'echo ran' <"$T/p.toml" >"$T/out" 2>"$T/err"
	status=$?
	expect_status 0 "E0008 with $k warnings: run"
	expect_grep "^ran$" "$T/out" "E0008 with $k warnings: the command ran"
	[ "$(grep -c 'warning\[W0201\]' "$T/err")" = 200 ] &&
		ok "E0008 with $k warnings: run shows 200" || fail "E0008 with $k warnings: run shows $(grep -c 'warning\[' "$T/err")"
	if [ "$k" = 200 ]; then
		expect_no_grep "E0008" "$T/err" "E0008 at the boundary: run"
	else
		expect_grep "$e0008" "$T/err" "E0008 past the boundary: run"
	fi
done

# The words bubblewrap accepts (its MAX_ARGS), only under bubblewrap:
# exactly SBX_MAX_BWRAP_ARGS_FILE words in bwrap.args (read-only paths
# under a writable root: 5 words for a missing one, 3 for a directory), and
# exactly SBX_MAX_BWRAP_WORDS with the command line; the runs at the
# boundary start the real bubblewrap, which checks the constant too.
if [ "$backend" = bwrap ]; then
	mkdir -p "$T/w"
	i=0
	while [ "$i" -lt 5 ]; do
		mkdir -p "$T/w/d$i"
		i=$((i + 1))
	done
	words_policy() { # words_policy MISSING DIRS
		head_policy
		printf '"%s/w" = "write"\n' "$T"
		[ "$1" -gt 0 ] && seq -f "\"$T/w/m/f%g\" = \"read\"" 1 "$1"
		[ "$2" -gt 0 ] && seq -f "\"$T/w/d%g\" = \"read\"" 0 $(($2 - 1))
		:
	}
	args_words() { "$SBXC" compile --target linux -C "$T/ws" --print bwrap.args - <"$T/p.toml" | tr -cd '\0' | wc -c; }
	# the base: everything but the 5 words of each missing path (one of them
	# is there so the pin of their parent directory counts in the base)
	words_policy 1 0 >"$T/p.toml"
	base=$(($(args_words) - 5))
	for want in 8000 8001; do
		b=0
		while [ $(((want - base - 3 * b) % 5)) -ne 0 ]; do b=$((b + 1)); done
		words_policy $(((want - base - 3 * b) / 5)) "$b" >"$T/p.toml"
		got=$(args_words)
		[ "$got" = "$want" ] || [ "$want" = 8001 ] || fail "bwrap.args has $got words, wanted $want"
		sbx "$T/out" "$T/err" compile --color=never --target linux -C "$T/ws" --print bwrap.args "$T/p.toml"
		"$SBXC" run --color=never -C "$T/ws" --linux-backend bwrap -c - -- sh -c 'echo ran' \
			<"$T/p.toml" >"$T/rout" 2>"$T/rerr"
		rstatus=$?
		if [ "$want" = 8000 ]; then
			expect_status 0 "E0014 at the boundary (8000 words): compile"
			[ "$rstatus" = 0 ] && ok "E0014 at the boundary: run" || fail "E0014 at the boundary: run exit $rstatus: $(cat "$T/rerr")"
			expect_grep "^ran$" "$T/rout" "E0014 at the boundary: bubblewrap started the command"
		else
			expect_status 1 "E0014 past the boundary: compile"
			expect_grep "error\[E0014\]: the bubblewrap argument file would have 8001 words" "$T/err" "E0014 past the boundary: compile says E0014"
			[ "$rstatus" = 125 ] && ok "E0014 past the boundary: run exit 125" || fail "E0014 past the boundary: run exit $rstatus"
			expect_grep "error\[E0014\]" "$T/rerr" "E0014 past the boundary: run says E0014"
			expect_no_grep "^ran$" "$T/rout" "E0014 past the boundary: the command did not run"
		fi
	done
	expect_absent "$T/w/m" "the placeholders of the runs are gone"
	# SBX_MAX_BWRAP_WORDS: bwrap.args of :read-only, the launcher's words
	# (from --dry-run) and the command's arguments
	"$SBXC" compile --target linux -P :read-only -C "$T/ws" --print bwrap.args | tr -cd '\0' | wc -c >"$T/n"
	fw=$(cat "$T/n")
	lw=$("$SBXC" run -P :read-only -C "$T/ws" --linux-backend bwrap --dry-run -- echo ran | sed -n 's/^argv: //p' | wc -w)
	n=$((9000 - fw - (lw - 1))) # bubblewrap does not count its own argv[0]
	for extra in 0 1; do
		# shellcheck disable=SC2046 # one word per number
		"$SBXC" run --color=never -P :read-only -C "$T/ws" --linux-backend bwrap -- \
			echo ran $(seq 1 $((n + extra))) >"$T/out" 2>"$T/err"
		status=$?
		if [ "$extra" = 0 ]; then
			expect_status 0 "E0015 at the boundary (9000 words): run"
			expect_grep "^ran 1 2" "$T/out" "E0015 at the boundary: bubblewrap started the command"
		else
			expect_status 125 "E0015 past the boundary: run"
			expect_grep "error\[E0015\]: bubblewrap would get 9001 arguments" "$T/err" "E0015 past the boundary: E0015"
			expect_no_grep "^ran" "$T/out" "E0015 past the boundary: the command did not run"
		fi
	done
fi
pass
