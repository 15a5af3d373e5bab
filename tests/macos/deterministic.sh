#!/bin/sh
# deterministic.sh SBXC SRC: `sbxc compile --target macos -o DIR` writes
# byte-identical artifacts on two runs and under LC_ALL=C and C.UTF-8, for
# every example and every golden policy of tests/golden/macos.
set -u
sbxc=$1
src=$2
# outside every writable root of the policies (E0719 otherwise)
tmp=$(mktemp -d /var/tmp/sbxc-macos-det.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
# the policies are copied there too: a checkout under /tmp would be one the
# sandboxes may write (E0720)
mkdir -p "$tmp/examples" "$tmp/golden" &&
	cp "$src"/examples/*.toml "$tmp/examples" && cp "$src"/tests/golden/macos/*.toml "$tmp/golden" ||
	exit 1
for policy in "$tmp"/examples/*.toml "$tmp"/golden/*.toml; do
	for run in 1 2 3; do
		case $run in 3) loc=C.UTF-8 ;; *) loc=C ;; esac
		rm -rf "$tmp/out"
		env -i PATH="$PATH" HOME=/home/user LC_ALL=$loc "$sbxc" compile --color=never \
			--target macos -o "$tmp/out" --cwd /Users/dev/repo --home /Users/dev \
			--tmpdir=/var/folders/xy/T "$policy" >/dev/null 2>"$tmp/err$run"
		echo $? >"$tmp/status$run"
		[ -d "$tmp/out" ] && mv "$tmp/out" "$tmp/out$run"
	done
	for run in 2 3; do
		if ! cmp -s "$tmp/status1" "$tmp/status$run" || ! cmp -s "$tmp/err1" "$tmp/err$run"; then
			echo "FAIL: $policy: run $run exits or reports differently"
			fail=1
		fi
	done
	[ "$(cat "$tmp/status1")" = 0 ] || { rm -rf "$tmp"/out*; continue; }
	for f in profile.sb params.json argv.json manifest.json; do
		[ -f "$tmp/out1/$f" ] || { echo "FAIL: $policy: no $f"; fail=1; continue; }
		for run in 2 3; do
			cmp -s "$tmp/out1/$f" "$tmp/out$run/$f" ||
				{ echo "FAIL: $policy: $f differs in run $run"; fail=1; }
		done
	done
	n=$((n + 1))
	rm -rf "$tmp"/out*
done
[ $n -ge 12 ] || { echo "FAIL: only $n policies compiled"; exit 1; }
[ $fail = 0 ] && echo "$n policies: byte-identical artifacts across runs and locales"
exit $fail
