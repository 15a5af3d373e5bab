#!/bin/sh
# deb.sh BUILD_DIR [release|sanitized]: builds the .deb with CPack and
# checks it without changing the machine:
#  - its control fields: name, version, no maintainer scripts (the ldconfig
#    trigger instead), Depends on bubblewrap, Recommends tinyproxy;
#  - its contents (`dpkg-deb --contents`): binary, library, header,
#    pkg-config file, both man pages, completions, diagnostics.md;
#  - Depends against what its ELF files link: every library ldd resolves
#    comes from a package that Depends names, and every Depends package is
#    installed here (Debian 12) at a version the relation accepts;
#  - a real `dpkg -i` into a scratch root (--root, its own admin directory,
#    whose status lists the Depends packages as this machine has them, so
#    dpkg checks the relations itself: no --force-depends), then the
#    installed sbxc runs (--version, lint of the bundled examples from a
#    repository copy's root; its SARIF help links lead to the installed
#    diagnostics.md), `man -l` renders both installed pages, the
#    examples/api program builds against the installed libsbxc and prints
#    examples/api/expected.out, and `dpkg -r` removes every file.
set -u
build=$1
if [ "${2:-release}" = sanitized ]; then
	echo "SKIP: a sanitizer build links libasan and libubsan; the .deb is made and checked from the plain build"
	exit 77
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
for tool in dpkg-deb dpkg dpkg-query ldd; do
	command -v "$tool" >/dev/null || {
		echo "SKIP: $tool is not installed"
		exit 77
	}
done
out=$(mktemp -d /var/tmp/sbxc-deb-XXXXXX) || exit 1
trap 'rm -rf "$out"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
(cd "$build" && cpack -G DEB -B "$out" >"$out/log" 2>&1) || {
	cat "$out/log" >&2
	fail "cpack"
}
deb=$(find "$out" -maxdepth 1 -name '*.deb' | head -n 1)
[ -n "$deb" ] || fail "no .deb written"

# --- control fields
[ "$(dpkg-deb -f "$deb" Package)" = sbxc ] || fail "package name"
version=$(dpkg-deb -f "$deb" Version)
printf '%s\n' "$version" | grep -q '^0\.' || fail "version: $version"
depends=$(dpkg-deb -f "$deb" Depends)
printf '%s\n' "$depends" | grep -q '\bbubblewrap\b' || fail "no dependency on bubblewrap: $depends"
dpkg-deb -f "$deb" Recommends | grep -q '\btinyproxy\b' || fail "tinyproxy is not recommended"
mkdir "$out/control" || exit 1
dpkg-deb -e "$deb" "$out/control" || fail "dpkg-deb -e"
for s in preinst postinst prerm postrm; do
	[ ! -e "$out/control/$s" ] || fail "the package has a $s script"
done
grep -qx 'activate-noawait ldconfig' "$out/control/triggers" || fail "no ldconfig trigger"
grep -q '^libsbxc 0 sbxc' "$out/control/shlibs" || fail "no shlibs entry for libsbxc.so.0"

# --- contents
contents=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/sbxc ./usr/share/man/man1/sbxc.1 ./usr/share/man/man5/sbxc-permissions.5 \
	./usr/share/bash-completion/completions/sbxc ./usr/share/zsh/vendor-completions/_sbxc \
	./usr/share/doc/sbxc/diagnostics.md ./usr/include/sbxc.h ./usr/lib/pkgconfig/sbxc.pc \
	./usr/lib/libsbxc.so.0; do
	printf '%s\n' "$contents" | grep -q " $f\( -> .*\)\{0,1\}\$" || fail "$f is not in the package"
done

# --- Depends: every package exists here at an accepted version
mkdir -p "$out/root/var/lib/dpkg/info" "$out/root/var/lib/dpkg/updates" \
	"$out/root/var/lib/dpkg/triggers" && : >"$out/root/var/lib/dpkg/available" || exit 1
: >"$out/status"
deps=
for rel in $(printf '%s\n' "$depends" | tr -d ' ' | tr ',' ' '); do
	case "$rel" in *'|'*) fail "alternatives in Depends are not checked: $rel" ;; esac
	name=${rel%%(*}
	deps="$deps $name"
	have=$(dpkg-query -W -f '${db:Status-Abbrev}${Version}' "$name" 2>/dev/null) ||
		fail "Depends names $name, which is not a package on this machine"
	case "$have" in
	'ii '*) ;;
	*) fail "Depends names $name, not installed here ($have)" ;;
	esac
	have=${have#ii }
	if [ "$rel" != "$name" ]; then
		op=$(printf '%s\n' "$rel" | sed -n 's/.*(\([<>=]*\).*/\1/p')
		want=$(printf '%s\n' "$rel" | sed -n 's/.*([<>=]*\(.*\))/\1/p')
		case "$op" in
		'>=') dop=ge ;; '<=') dop=le ;; '>>') dop=gt ;; '<<') dop=lt ;; '=') dop=eq ;;
		*) fail "relation $rel" ;;
		esac
		dpkg --compare-versions "$have" "$dop" "$want" ||
			fail "$name $have here does not satisfy $rel"
	fi
	{ dpkg-query -s "$name" && echo; } >>"$out/status" || fail "dpkg-query -s $name"
done
cp "$out/status" "$out/root/var/lib/dpkg/status"

# --- Depends covers what the ELF files link
mkdir "$out/x" || exit 1
dpkg-deb -x "$deb" "$out/x" || fail "dpkg-deb -x"
find "$out/x" -type f | while read -r f; do
	head -c 4 "$f" | grep -q 'ELF' || continue
	case "$(file -b "$f" 2>/dev/null)" in
	*'statically linked'* | *'current ar archive'*) continue ;;
	esac
	ldd "$f" 2>/dev/null | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p' |
		while read -r lib; do
			owner=$(dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null) ||
				fail "${f#"$out"/x}: $lib belongs to no package"
			pkg=${owner%%:*}
			case " $deps " in
			*" $pkg "*) ;;
			*) fail "${f#"$out"/x} links $lib of $pkg, which Depends does not name" ;;
			esac
		done || exit 1
done || exit 1
file -b "$out/x/usr/bin/sbxc" | grep -q 'statically linked' &&
	echo "usr/bin/sbxc is static: Depends serves libsbxc.so and sbxc run"

# --- a real install into a scratch root
root=$out/root
dpkg --root="$root" --log=/dev/null --force-not-root -i "$deb" >"$out/dpkg.log" 2>&1 || {
	cat "$out/dpkg.log" >&2
	fail "dpkg -i into the scratch root"
}
st=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f '${db:Status-Abbrev}${Version}' sbxc)
[ "$st" = "ii $version" ] || fail "installed status: $st"
[ -x "$root/usr/bin/sbxc" ] || fail "no usr/bin/sbxc in the scratch root"
v=$("$root/usr/bin/sbxc" --version) || fail "the installed sbxc --version"
[ "$v" = "$("${SBXC:?}" --version)" ] || fail "installed version: $v"
mkdir -p "$out/repo" && cp -R "$src/examples" "$out/repo/examples" || exit 1
(cd "$out/repo" && "$root/usr/bin/sbxc" lint --werror examples/ >"$out/lint.out" 2>"$out/lint.err") ||
	fail "the installed sbxc lint examples/: $(cat "$out/lint.err")"
grep -E '(warning|error)\[' "$out/lint.err" >&2 && fail "the installed sbxc lint warned"
# the SARIF help links of the installed sbxc lead to the installed reference
(cd "$out/repo" && "$root/usr/bin/sbxc" lint --format sarif -o "$out/r.sarif" examples/) ||
	fail "the installed sbxc lint --format sarif"
uri=$(sed -n 's/.*"informationUri": "file:\/\/\([^"]*\)".*/\1/p' "$out/r.sarif" | head -n 1)
if [ "$uri" != "$root/usr/share/doc/sbxc/diagnostics.md" ] || [ ! -f "$uri" ]; then
	fail "SARIF informationUri of the installed sbxc: $uri"
fi
if command -v man >/dev/null; then
	for page in man1/sbxc.1 man5/sbxc-permissions.5; do
		text=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/$page" 2>"$out/man.err") ||
			fail "man -l $page: $(cat "$out/man.err")"
		[ -s "$out/man.err" ] && fail "man -l $page: $(cat "$out/man.err")"
		printf '%s\n' "$text" | grep -q '^NAME' || fail "$page renders no NAME section"
	done
else
	echo "note: man is not installed; the installed pages were not rendered"
fi
if command -v cc >/dev/null && command -v pkg-config >/dev/null && command -v make >/dev/null; then
	cp -R "$src/examples/api" "$out/api" && rm -f "$out/api/api-example"
	PKG_CONFIG_PATH="$root/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$root" \
		make -s -C "$out/api" >"$out/make.log" 2>&1 || fail "examples/api against the package: $(cat "$out/make.log")"
	(cd "$out/api" && LD_LIBRARY_PATH="$root/usr/lib" ./api-example policy.toml) >"$out/api.out" 2>&1
	diff -u "$src/examples/api/expected.out" "$out/api.out" >&2 ||
		fail "examples/api against the installed libsbxc differs from expected.out"
	readelf -d "$out/api/api-example" | grep -q 'NEEDED.*libsbxc\.so\.0' ||
		fail "examples/api does not link the installed libsbxc.so.0"
else
	echo "note: no cc, pkg-config or make: examples/api was not built against the package"
fi
dpkg --root="$root" --log=/dev/null --force-not-root -r sbxc >"$out/dpkg.log" 2>&1 || {
	cat "$out/dpkg.log" >&2
	fail "dpkg -r in the scratch root"
}
left=$(find "$root/usr" -type f -o -type l 2>/dev/null | head -n 3)
[ -z "$left" ] || fail "dpkg -r left: $left"
echo "$(basename "$deb"): $(printf '%s\n' "$contents" | wc -l) entries; Depends: $depends;" \
	"installed into a scratch root, run, rendered, linked against and removed"
