#!/bin/sh
# agree.sh SRC GEN: `sbxc lint --targets linux` predicts `sbxc run --dry-run`.
#
# For every profile of the examples and of the golden cases, the cases the
# semantic pass learnt to refuse before anything runs (a deny glob anchored
# at `/`, one matching more than SBX_MAX_GLOB_MATCHES files, a mounted path
# crossing a symlink the sandbox could have made, a policy file the sandbox
# could rewrite) and random profiles from GEN (gen_profiles.c, fixed seed),
# both commands resolve against the same fixed --cwd, --home and --tmpdir
# inside a scratch tree, and:
#   - lint accepts (exit 0) exactly when run --dry-run does (exit 0), and
#   - on a refusal both print the same error codes: those of the errors and
#     of the reasons listed under them (`note: [E0713] ...`).
# Refusals that depend only on this machine at run time (bubblewrap missing
# or unusable, the kernel's Landlock: E0701-E0706) are what lint cannot
# know; a profile refused only for those is counted apart, not compared.
# Fails when fewer than MIN profiles were compared.
set -u
src=${1:?usage: agree.sh SRC GEN}
gen=${2:?usage: agree.sh SRC GEN}
: "${SBXC:?SBXC must name the sbxc binary}"
MIN=500
RANDOM_PROFILES=${SBXC_AGREE_RANDOM:-380}
# the target: linux (default) or macos (SBXC_AGREE_TARGET), both from here
TARGET=${SBXC_AGREE_TARGET:-linux}
SEED=${SBXC_AGREE_SEED:-20261202}

if [ "$TARGET" = linux ] && ! command -v bwrap >/dev/null 2>&1; then
	echo "agree.sh: skipped: bubblewrap is not installed, so run --dry-run would refuse every profile bwrap enforces (E0701)"
	exit 77
fi

# the scratch tree: in /var/tmp, outside every writable directory a profile
# can name by token (:slash_tmp is /tmp)
S=$(mktemp -d /var/tmp/sbxc-agree-XXXXXX) || exit 1
trap 'rm -rf "$S"' EXIT
mkdir -p "$S/ws/src/deep" "$S/ws/docs" "$S/ws/.git" "$S/home/notes" "$S/tmp" \
	"$S/policies" "$S/outside/data" "$S/cases"
: >"$S/ws/a.env"
: >"$S/ws/src/b.env"
: >"$S/ws/src/secret.env"
: >"$S/outside/k.key"
ln -s ../outside "$S/ws/link"   # a symlink inside the workspace
ln -s /etc "$S/home/link"
mkdir -p "$S/outside/inner"

# the three cases of the issue, and the policy file inside the workspace
cat >"$S/cases/glob-root.toml" <<'TOML'
default_permissions = "g"
[permissions.g.filesystem]
":root" = "read"
"/**/*.pem" = "deny"
TOML
cat >"$S/cases/glob-limit.toml" <<'TOML'
default_permissions = "g"
[permissions.g.filesystem]
":root" = "read"
"/usr/**/*.py" = "deny"
TOML
cat >"$S/cases/swappable.toml" <<TOML
default_permissions = "s"
[permissions.s.filesystem]
":root" = "read"
":workspace_roots" = "write"
"$S/ws/link/inner" = "write"
TOML
cat >"$S/ws/inside.toml" <<'TOML'
default_permissions = "w"
[permissions.w]
extends = ":workspace"
TOML

"$gen" "$S/policies" "$S" "$RANDOM_PROFILES" "$SEED" || exit 1

# The codes of the errors in a stderr, and of the reasons noted under them,
# sorted, one line.
codes() {
	awk '
	/(error|warning|note)\[[EWN][0-9][0-9][0-9][0-9]\]/ {
		cur = $0 ~ /error\[/ ? "error" : "other"
		if (cur == "error") { match($0, /error\[E[0-9]+\]/); print substr($0, RSTART + 6, 5) }
		next
	}
	cur == "error" && /note: \[E[0-9][0-9][0-9][0-9]\]/ {
		match($0, /note: \[E[0-9]+\]/); print substr($0, RSTART + 7, 5)
	}' "$1" | sort -u | tr '\n' ' '
}

sbxc() {
	env -i PATH="$PATH" HOME="$S/home" TMPDIR="$S/tmp" LC_ALL=C "$SBXC" "$@" </dev/null
}

compared=0 accepted=0 refused=0 hostonly=0 bad=0
check() { # check FILE [NAME]
	f=$1
	sel=
	[ $# -gt 1 ] && sel="-P $2"
	# shellcheck disable=SC2086 # sel is empty or two words
	sbxc lint --color=never --targets "$TARGET" -C "$S/ws" --home "$S/home" --tmpdir "$S/tmp" \
		$sel "$f" >"$S/lint.out" 2>"$S/lint.err"
	ls=$?
	# shellcheck disable=SC2086
	sbxc run --color=never --target "$TARGET" -c "$f" $sel -C "$S/ws" --home "$S/home" --tmpdir "$S/tmp" \
		--dry-run -- true >"$S/run.out" 2>"$S/run.err"
	rs=$?
	lc=$(codes "$S/lint.err")
	rc=$(codes "$S/run.err")
	if [ "$rs" != 0 ] && echo "$rc" | grep -q 'E070[1-6]'; then
		hostonly=$((hostonly + 1))
		return
	fi
	compared=$((compared + 1))
	la=no ra=no
	[ "$ls" = 0 ] && la=yes
	[ "$rs" = 0 ] && ra=yes
	if [ "$la" = "$ra" ] && { [ "$la" = yes ] || [ "$lc" = "$rc" ]; }; then
		if [ "$la" = yes ]; then accepted=$((accepted + 1)); else
			refused=$((refused + 1))
			echo "$rc" | tr ' ' '\n' >>"$S/refusals"
		fi
		return
	fi
	bad=$((bad + 1))
	if [ "$bad" -le 20 ]; then
		echo "DISAGREE: $f ${2:-}: lint exit $ls [$lc], run exit $rs [$rc]"
		sed -e 's/^/    lint: /' "$S/lint.err" | head -n 30
		sed -e 's/^/    run:  /' "$S/run.err" | head -n 30
	fi
}

# the profiles a file defines (bare names), or nothing: the selection
names() {
	sed -n 's/^\[permissions\.\([A-Za-z0-9_-][A-Za-z0-9_-]*\)[].].*/\1/p' "$1" | sort -u
}

for f in "$src"/examples/*.toml "$src"/tests/golden/*/*.toml; do
	cp "$f" "$S/policies/$(basename "$(dirname "$f")")-$(basename "$f")"
	g="$S/policies/$(basename "$(dirname "$f")")-$(basename "$f")"
	list=$(names "$g")
	if [ -z "$list" ]; then
		check "$g"
	else
		for n in $list; do check "$g" "$n"; done
	fi
done
for f in "$S"/cases/*.toml "$S/ws/inside.toml" "$S"/policies/r*.toml; do
	check "$f"
done

echo "agree: $compared profiles compared: $accepted accepted by both, $refused refused by both with the same codes, $bad disagreements; $hostonly refused only for this machine's runtime (E0701-E0706)"
echo "agree: refusals by code (profiles):" $(grep . "$S/refusals" 2>/dev/null | sort | uniq -c |
	awk '{printf "%s=%s ", $2, $1}')
[ "$bad" = 0 ] || exit 1
if [ "$compared" -lt "$MIN" ]; then
	echo "agree: fewer than $MIN profiles compared"
	exit 1
fi
exit 0
