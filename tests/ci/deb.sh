#!/bin/sh
# deb.sh BUILD_DIR: builds the .deb with CPack and inspects it: the package
# name and version, its dependency on bubblewrap, and that it holds the
# binary, both man pages and the completions.
set -u
build=$1
command -v dpkg-deb >/dev/null || {
	echo "SKIP: dpkg-deb is not installed"
	exit 77
}
out=$(mktemp -d) || exit 1
trap 'rm -rf "$out"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
(cd "$build" && cpack -G DEB -B "$out" >"$out/log" 2>&1) || {
	cat "$out/log" >&2
	fail "cpack"
}
deb=$(ls "$out"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || fail "no .deb written"
[ "$(dpkg-deb -f "$deb" Package)" = sbxc ] || fail "package name"
dpkg-deb -f "$deb" Version | grep -q '^0\.' || fail "version: $(dpkg-deb -f "$deb" Version)"
dpkg-deb -f "$deb" Depends | grep -q bubblewrap || fail "no dependency on bubblewrap"
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/sbxc ./usr/share/man/man1/sbxc.1 ./usr/share/man/man5/sbxc-permissions.5 \
	./usr/share/bash-completion/completions/sbxc ./usr/share/zsh/vendor-completions/_sbxc \
	./usr/share/doc/sbxc/diagnostics.md; do
	printf '%s\n' "$contents" | grep -q " $f\$" || fail "$f is not in the package"
done
# the packaged binary runs
mkdir "$out/x" && dpkg-deb -x "$deb" "$out/x" || fail "dpkg-deb -x"
"$out/x/usr/bin/sbxc" --version | grep -q '^sbxc ' || fail "packaged sbxc does not run"
echo "$(basename "$deb"): $(printf '%s\n' "$contents" | wc -l) entries"
