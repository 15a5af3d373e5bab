#!/bin/sh
# portable.sh SRC BUILD SBXC: the code a Mac needs builds as strict C11 +
# POSIX.1-2008 (no _GNU_SOURCE), includes no Linux-only header, and links
# without the Linux target; the program linked from it prints the same macOS
# artifacts as sbxc.
#
# The layers: compiler/base, grammar (with the parser and scanner bison and
# flex generated into BUILD/grammar), compiler, emitters. Left out, and only
# these: the Linux target's emitters (bwrap.c, landlock.c, linux.c, proxy.c,
# seccomp.c), which need Linux interfaces (memfd, landlock, libseccomp);
# table.c is built without SBXC_LINUX_TARGET, as on a Mac, so its Linux row
# has no emitters. The runtime and the driver are not part of the check.
set -u
src=$1
build=$2
sbxc=$3
cc=${CC:-cc}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
linux_only='emitters/bwrap.c emitters/landlock.c emitters/linux.c emitters/proxy.c emitters/seccomp.c'
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -U_GNU_SOURCE -Wall -Wextra -Werror"
inc="-I$src/compiler/base -I$src/grammar -I$build/grammar -I$src/compiler -I$src/emitters"
jansson=$(pkg-config --cflags jansson)
fail=0
objs=
n=0
for f in "$src"/compiler/base/*.c "$src"/grammar/*.c "$build"/grammar/*.c "$src"/compiler/*.c \
	"$src"/emitters/*.c; do
	rel=${f#"$src"/}
	case " $linux_only " in *" $rel "*) continue ;; esac
	# the headers a Mac does not have
	if grep -n -E '#[[:space:]]*include[[:space:]]*<(linux/|sys/(prctl|syscall|mount|capability|sysmacros|vfs|epoll|inotify|signalfd|eventfd)\.h|seccomp\.h|features\.h|endian\.h|malloc\.h)' "$f"; then
		echo "FAIL: $rel includes a Linux-only header"
		fail=1
	fi
	o="$tmp/$n.o"
	# generated scanner/parser: their own warning set is not ours
	case $f in "$build"/*) w="-w" ;; *) w= ;; esac
	if ! $cc $flags $w -DSBXC_VERSION='"portable"' $inc $jansson -c "$f" -o "$o" 2>"$tmp/err"; then
		echo "FAIL: $rel does not build as C11 + POSIX.1-2008:"
		head -5 "$tmp/err"
		fail=1
	fi
	objs="$objs $o"
	n=$((n + 1))
done
[ $fail = 0 ] || exit 1
if ! $cc $flags $inc $jansson -o "$tmp/portable" "$src/tests/macos/portable_main.c" \
	"$src/tests/macos/macos_pipeline.c" $objs \
	$(pkg-config --libs jansson) 2>"$tmp/err"; then
	echo "FAIL: the macOS pipeline does not link without the Linux target:"
	head -20 "$tmp/err"
	exit 1
fi
for policy in "$src"/examples/*.toml; do
	"$tmp/portable" "$policy" >"$tmp/a" 2>/dev/null
	env -i PATH="$PATH" "$sbxc" compile --target macos --print profile.sb,params.json,argv.json \
		--cwd /Users/dev/repo --home /Users/dev --tmpdir= "$policy" >"$tmp/b" 2>/dev/null
	if ! cmp -s "$tmp/a" "$tmp/b"; then
		echo "FAIL: the portable build and sbxc differ on $policy"
		exit 1
	fi
done
echo "$n sources build as C11 + POSIX.1-2008 without Linux headers; the macOS pipeline links without the Linux target and agrees with sbxc"
