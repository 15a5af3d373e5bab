#!/bin/sh
# include-graph.sh SRC: checks the layering of the tree rooted at SRC.
#
# The layers, lowest first (a layer may include its own headers and the
# interface headers of the layers of a lower rank; two layers of one rank
# may not include each other):
#
#   rank 0  base      compiler/base/   every header is its interface
#   rank 1  toml      grammar/         (and the generated parser.h, lexer.h)
#   rank 2  compiler  compiler/
#   rank 3  emitters  emitters/
#   rank 4  libsbxc   tools/libsbxc/   (its public header is include/sbxc.h)
#   rank 4  runtime   runtime/
#   rank 5  driver    tools/sbxc/, tools/fuzz/, bench/*/
#
# A layer's interface is the list given to sbxc_interface() in its
# CMakeLists.txt. A directory of C sources that is in no layer is an error
# too (a new one must be placed in the table below). include/sbxc.h includes no project header at all. No
# header of the project may share its name with a C or POSIX header (nor
# with a header in /usr/include, where it would shadow an installed one).
#
# Prints one line per violation, "FILE:LINE: message", and exits 1 if there
# is any.
set -u
src=${1:?usage: include-graph.sh SRC}
cd "$src" || exit 2

# dir layer rank (the deepest directory that holds a file wins)
layers='compiler/base base 0
grammar toml 1
compiler compiler 2
emitters emitters 3
tools/libsbxc libsbxc 4
runtime runtime 4
tools/sbxc driver 5
tools/fuzz driver 5
bench/compile driver 5
bench/run driver 5'

# The C standard's and POSIX's headers that a project header could shadow.
std_headers='aio.h assert.h complex.h cpio.h ctype.h dirent.h dlfcn.h errno.h fcntl.h
fenv.h float.h fmtmsg.h fnmatch.h ftw.h glob.h grp.h iconv.h inttypes.h iso646.h
langinfo.h libgen.h limits.h locale.h math.h monetary.h mqueue.h ndbm.h netdb.h
nl_types.h poll.h pthread.h pwd.h regex.h sched.h search.h semaphore.h setjmp.h
signal.h spawn.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h stdio.h
stdlib.h stdnoreturn.h string.h strings.h stropts.h syslog.h tar.h termios.h tgmath.h
threads.h time.h trace.h uchar.h ulimit.h unistd.h utime.h utmpx.h wchar.h wctype.h
wordexp.h'

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# The project's headers: "name dir layer rank" (generated ones added by hand).
: >"$tmp/headers"
echo "$layers" | while read -r dir layer rank; do
	[ -d "$dir" ] || continue
	for h in "$dir"/*.h "$dir"/*.def; do
		[ -f "$h" ] && echo "${h##*/} $dir $layer $rank"
	done
done >"$tmp/headers"
printf 'parser.h grammar toml 1\nlexer.h grammar toml 1\n' >>"$tmp/headers"

# The interface headers: "layer name". base exports every header.
awk '$3 == "base" { print "base", $1 }' "$tmp/headers" >"$tmp/iface"
echo "$layers" | while read -r dir layer rank; do
	[ -f "$dir/CMakeLists.txt" ] || continue
	tr '\n' ' ' <"$dir/CMakeLists.txt" |
		sed -n 's/.*sbxc_interface([a-z_]*\([^)]*\)).*/\1/p' |
		awk -v layer="$layer" '{ for (i = 1; i <= NF; i++) print layer, $i }'
done >>"$tmp/iface"

# Every #include "..." of every layer's sources.
echo "$layers" | while read -r dir layer rank; do
	[ -d "$dir" ] || continue
	for f in "$dir"/*.c "$dir"/*.h "$dir"/*.y "$dir"/*.l; do
		[ -f "$f" ] || continue
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
			sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1 \2/' |
			while read -r line name; do
				echo "$f $line $name $dir $layer $rank"
			done
	done
done >"$tmp/includes"

awk -v tmp="$tmp" '
FILENAME == tmp "/headers" { owner[$1] = $3; orank[$1] = $4; odir[$1 " " $2] = 1; next }
FILENAME == tmp "/iface" { iface[$1 " " $2] = 1; next }
{
	f = $1; line = $2; name = $3; dir = $4; layer = $5; rank = $6
	where = f ":" line ": "
	if ((name " " dir) in odir)
		next # its own directory
	if (name == "sbxc.h") {
		if (layer != "libsbxc" && layer != "driver")
			print where "`sbxc.h` (the public API) is above layer " layer
		next
	}
	if (!(name in owner)) {
		print where "`" name "` is not a header of any layer"
		next
	}
	if (owner[name] == layer) {
		next
	}
	if (orank[name] >= rank) {
		print where "`" name "` belongs to layer " owner[name] \
		      ", which layer " layer " may not include (not below it)"
		next
	}
	if (!((owner[name] " " name) in iface))
		print where "`" name "` is internal to layer " owner[name] \
		      " (not in its sbxc_interface list)"
}' "$tmp/headers" "$tmp/iface" "$tmp/includes" >"$tmp/errors"

# Every directory of C sources (outside the tests) is in a layer.
find compiler grammar emitters runtime tools bench \( -name '*.c' -o -name '*.h' \) \
	2>/dev/null | sed 's|/[^/]*$||' | sort -u | while read -r d; do
	echo "$layers" | awk -v d="$d" '$1 == d { found = 1 } END { exit !found }' ||
		echo "$d/: C sources in no layer (add the directory to include-graph.sh)"
done >>"$tmp/errors"

# The public header includes system headers only.
if [ -f include/sbxc.h ]; then
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' include/sbxc.h |
		sed 's/^\([0-9]*\):.*/include\/sbxc.h:\1: the public header includes a project header/' \
			>>"$tmp/errors"
fi

# No project header named like a C, POSIX or installed header.
for h in $(find . -name '*.h' -not -path './build*' -not -path './.git/*' | sort); do
	name=${h##*/}
	for s in $std_headers; do
		[ "$name" = "$s" ] &&
			echo "${h#./}: named like the C/POSIX header <$s>, which it would shadow"
	done
	case " $(echo $std_headers) " in
	*" $name "*) ;;
	*) [ -f "/usr/include/$name" ] &&
		echo "${h#./}: named like the installed header </usr/include/$name>, which it would shadow" ;;
	esac
done >>"$tmp/errors"

if [ -s "$tmp/errors" ]; then
	cat "$tmp/errors"
	exit 1
fi
n=$(wc -l <"$tmp/includes")
echo "include graph: $n includes checked, layers respected"
exit 0
