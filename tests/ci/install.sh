#!/bin/sh
# install.sh BUILD_DIR: `cmake --install` into a temporary prefix, then checks
# what a user gets: the binary runs, the man pages render with `man -l`, the
# completions are where bash-completion and zsh look, and the library, header
# and pkg-config file are there when the project builds them.
set -u
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$(mktemp -d) || exit 1
trap 'rm -rf "$prefix"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || {
	cat "$prefix.log" >&2
	rm -f "$prefix.log"
	fail "cmake --install"
}
rm -f "$prefix.log"
[ -x "$prefix/bin/sbxc" ] || fail "no bin/sbxc"
v=$("$prefix/bin/sbxc" --version) || fail "sbxc --version"
[ "$v" = "$("${SBXC:?}" --version)" ] || fail "installed version: $v"
"$prefix/bin/sbxc" lint -q "$src/examples/minimal-read.toml" || fail "installed sbxc lint"
"$prefix/bin/sbxc" explain-code E0306 | grep -q '^## E0306' || fail "explain-code"
# the exit statuses, in --help as in sbxc(1) and the README
"$prefix/bin/sbxc" --help | grep -q '^Exit status: 0 success' || fail "sbxc --help has no exit status"
"$prefix/bin/sbxc" lint --help | grep -q '^Exit status:' || fail "sbxc lint --help has no exit status"
for page in man1/sbxc.1 man5/sbxc-permissions.5; do
	f=$prefix/share/man/$page
	[ -f "$f" ] || fail "no $page"
	if command -v man >/dev/null; then
		out=$(MANWIDTH=80 man --warnings -l "$f" 2>"$prefix/man.err") ||
			fail "man -l $page: $(cat "$prefix/man.err")"
		printf '%s\n' "$out" | grep -q '^NAME' || fail "$page renders no NAME section"
		[ -s "$prefix/man.err" ] && fail "$page: $(cat "$prefix/man.err")"
	else
		echo "SKIP: man is not installed (apt-get install man-db)"
		exit 77
	fi
done
man -l "$prefix/share/man/man1/sbxc.1" 2>/dev/null | grep -q 'EXIT STATUS' || fail "sbxc(1) has no EXIT STATUS"
[ -f "$prefix/share/bash-completion/completions/sbxc" ] || fail "no bash completion"
bash -n "$prefix/share/bash-completion/completions/sbxc" || fail "bash completion syntax"
out=$(bash -c ". '$prefix/share/bash-completion/completions/sbxc'; COMP_WORDS=(sbxc lint --for); COMP_CWORD=2; _sbxc; echo \"\${COMPREPLY[*]}\"")
[ "$out" = "--format" ] || fail "bash completion of 'sbxc lint --for': '$out'"
[ -f "$prefix/share/zsh/vendor-completions/_sbxc" ] || fail "no zsh completion"
head -n 1 "$prefix/share/zsh/vendor-completions/_sbxc" | grep -q '^#compdef sbxc' || fail "zsh completion header"
[ -f "$prefix/share/doc/sbxc/diagnostics.md" ] || fail "no diagnostics.md"
# the public library, when the project has one (include/sbxc.h)
if [ -f "$src/include/sbxc.h" ]; then
	[ -f "$prefix/include/sbxc.h" ] || fail "no include/sbxc.h"
	ls "$prefix"/lib*/libsbxc.* >/dev/null 2>&1 || ls "$prefix"/lib/*/libsbxc.* >/dev/null 2>&1 ||
		fail "no libsbxc"
	find "$prefix" -name sbxc.pc | grep -q . || fail "no sbxc.pc"
fi
echo "installed and checked under a temporary prefix"
