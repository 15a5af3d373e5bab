#!/bin/sh
# validate.sh: runs every golden `sbxc lint` case again with --format sarif
# and --format junit and validates each report: SARIF against the SARIF
# 2.1.0 JSON schema (python3-jsonschema), JUnit against junit.xsd (xmllint).
# The schemas are the copies in tests/ci/schemas/. Skips (77) with the
# reason when a validator is not installed.
set -u
: "${SBXC:?SBXC must name the sbxc binary}"
here=$(cd "$(dirname "$0")" && pwd)
golden=$here/../golden
py=/usr/bin/python3 # Debian's python, where python3-jsonschema lives
if ! "$py" -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: python3-jsonschema is not installed (apt-get install python3-jsonschema)"
	exit 77
fi
if ! command -v xmllint >/dev/null; then
	echo "SKIP: xmllint is not installed (apt-get install libxml2-utils)"
	exit 77
fi
# the copies are the upstream bytes their README names (and, where the
# project's shared schemas/ directory sits next to the tree, equal to it)
for f in sarif-schema-2.1.0.json junit.xsd; do
	want=$(sed -n "/\`$f\`/,/sha256/s/.*sha256 \`\([0-9a-f]*\)\`.*/\1/p" "$here/schemas/README.md")
	got=$(sha256sum "$here/schemas/$f" | cut -d' ' -f1)
	if [ -z "$want" ] || [ "$got" != "$want" ]; then
		echo "FAIL: tests/ci/schemas/$f has sha256 $got, its README says ${want:-nothing}" >&2
		exit 1
	fi
	shared=$here/../../../shared/schemas/$f
	if [ -f "$shared" ] && ! cmp -s "$shared" "$here/schemas/$f"; then
		echo "FAIL: tests/ci/schemas/$f differs from $shared" >&2
		exit 1
	fi
done
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
n=0
for cmdfile in "$golden"/*/*.cmd "$golden"/*/*.toml; do
	dir=$(dirname "$cmdfile")
	stem=$(basename "$cmdfile")
	stem=${stem%.*}
	[ "$stem" = default ] && continue
	[ -f "$work/seen-$(basename "$dir")-$stem" ] && continue
	: >"$work/seen-$(basename "$dir")-$stem"
	if [ -f "$dir/$stem.cmd" ]; then c=$dir/$stem.cmd; else c=$dir/default.cmd; fi
	[ -f "$c" ] || continue
	args=$(sed -e '/^#/d' "$c" | head -n 1 | sed -e "s|{}|$stem.toml|g" -e "s|{dir}|$dir|g")
	case $args in lint\ *) ;; *) continue ;; esac
	# the case's own format and colour options give way to the report's
	args=$(printf '%s\n' "$args" | sed -e 's/--format [a-z]*//; s/--color[=a-z]*//')
	input=/dev/null
	if [ -f "$dir/$stem.stdin.sh" ]; then
		input=$work/stdin
		(cd "$dir" && sh "$stem.stdin.sh") >"$input" || exit 1
	fi
	n=$((n + 1))
	for fmt in sarif junit; do
		# shellcheck disable=SC2086 # args is a word list by design
		(cd "$dir" && env -i PATH="$PATH" HOME=/home/user TMPDIR=/tmp/sbxc-golden \
			LC_ALL=C SOURCE_DATE_EPOCH=0 "$SBXC" lint --format $fmt -o "$work/$n.$fmt" \
			${args#lint } <"$input" >/dev/null 2>"$work/$n.err")
		st=$?
		if [ $st -gt 1 ] && ! grep -q "^Try 'sbxc" "$work/$n.err"; then
			echo "FAIL: $dir/$stem: sbxc $args --format $fmt exited $st" >&2
			cat "$work/$n.err" >&2
			exit 1
		fi
		[ -s "$work/$n.$fmt" ] || rm -f "$work/$n.$fmt" # a usage error writes no report
	done
	echo "$dir/$stem" >"$work/$n.name"
done
echo "validating the reports of $n lint cases"
set -- "$work"/*.sarif
"$py" - "$here/schemas/sarif-schema-2.1.0.json" "$@" <<'PY' || exit 1
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft7Validator(schema)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path))
    errs = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    name = open(path.rsplit('.', 1)[0] + '.name').read().strip()
    for e in errs[:3]:
        print("FAIL: %s: SARIF: %s at %s" % (name, e.message, list(e.path)))
    bad += bool(errs)
    if doc["version"] != "2.1.0" or len(doc["runs"]) != 1:
        print("FAIL: %s: not one SARIF 2.1.0 run" % name); bad += 1
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    for r in doc["runs"][0]["results"]:
        if rules[r["ruleIndex"]]["id"] != r["ruleId"]:
            print("FAIL: %s: ruleIndex does not point at %s" % (name, r["ruleId"])); bad += 1
        if "artifactLocation" not in r["locations"][0]["physicalLocation"]:
            print("FAIL: %s: a result without its file" % name); bad += 1
print("%d SARIF reports valid" % (len(sys.argv) - 2 - bad))
sys.exit(1 if bad else 0)
PY
set -- "$work"/*.junit
out=$(xmllint --noout --schema "$here/schemas/junit.xsd" "$@" 2>&1)
st=$?
if [ $st -ne 0 ]; then
	printf '%s\n' "$out" | grep -v ' validates$' >&2
	exit 1
fi
echo "$# JUnit reports valid"
