#!/bin/sh
# install-api.sh SRC BUILD: installs sbxc with `cmake --install` into a
# temporary prefix, builds examples/api against it with pkg-config the way
# its Makefile says, once with the shared library and once statically, runs
# both and compares their whole output with examples/api/expected.out. The
# shared build must load the installed libsbxc.so.0; the static one must
# need no libsbxc at run time.
set -u
src=${1:?usage: install-api.sh SRC BUILD}
build=${2:?usage: install-api.sh SRC BUILD}
t=$(mktemp -d) || exit 1
trap 'rm -rf "$t"' EXIT
cmake --install "$build" --prefix "$t/prefix" >"$t/install.log" 2>&1 || {
	cat "$t/install.log"
	exit 1
}
pc=$(find "$t/prefix" -name sbxc.pc)
[ -n "$pc" ] || {
	echo "no sbxc.pc installed"
	exit 1
}
export PKG_CONFIG_PATH="${pc%/sbxc.pc}"
fail=0
for mode in shared static; do
	rm -rf "$t/ex"
	cp -R "$src/examples/api" "$t/ex"
	rm -f "$t/ex/api-example"
	flag=
	[ "$mode" = static ] && flag=STATIC=1
	if ! make -s -C "$t/ex" $flag >"$t/make.log" 2>&1; then
		echo "$mode: the example does not build:"
		cat "$t/make.log"
		fail=1
		continue
	fi
	needed=$(readelf -d "$t/ex/api-example" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	case "$mode" in
	shared)
		echo "$needed" | grep -qx 'libsbxc\.so\.0' || {
			echo "shared: the example does not need libsbxc.so.0 (needs: $needed)"
			fail=1
		}
		run="env LD_LIBRARY_PATH=${pc%/pkgconfig/sbxc.pc}" ;;
	static)
		[ -z "$needed" ] || {
			echo "static: the example needs shared libraries: $needed"
			fail=1
		}
		run= ;;
	esac
	(cd "$t/ex" && $run ./api-example policy.toml) >"$t/out" 2>&1
	rc=$?
	if [ "$rc" != 0 ] || ! diff -u "$src/examples/api/expected.out" "$t/out"; then
		echo "$mode: exit status $rc, or the output above differs from examples/api/expected.out"
		fail=1
	else
		echo "$mode: examples/api built with pkg-config and ran as expected"
	fi
done
exit "$fail"
