#!/bin/sh
# tools/dev.sh: install, build and check sbxc on a Debian 12 machine.
#
#   sh tools/dev.sh demo    install packages, build, lint the bundled examples
#                           from the repository root, then lint one in a
#                           scratch project's .codex and print its IR
#   sh tools/dev.sh test    install packages, build twice (plain, and with
#                           AddressSanitizer + UndefinedBehaviorSanitizer) and
#                           run the whole test suite in both builds
#   sh tools/dev.sh build   build only (build/)
#
# These are the two commands of README.md; .ci/run runs `test`. Installing
# needs root (or sudo); set SBXC_SKIP_INSTALL=1 to use what is installed.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="build-essential cmake pkg-config flex bison libjansson-dev libxml2-dev
libcriterion-dev libseccomp-dev bubblewrap ca-certificates git
clang-format
tinyproxy-bin python3 nodejs python3-jsonschema libxml2-utils man-db file"
# npm installs the PowerShell grammar the Windows script checks parse with
# (tests/windows); Debian packages it apart from nodejs, NodeSource with it.
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
JOBS=$(nproc 2>/dev/null || echo 2)

install_deps() {
	[ "${SBXC_SKIP_INSTALL:-}" = 1 ] && return 0
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	sudo=""
	[ "$(id -u)" = 0 ] || sudo=sudo
	echo "dev.sh: installing$missing"
	$sudo apt-get update -qq
	# shellcheck disable=SC2086 # a word list of package names
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

build() { # build DIR [cmake options...]
	dir=$1
	shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
	cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
demo)
	install_deps
	build build
	# a project keeps its policy in .codex/config.toml, which the sandbox it
	# describes cannot rewrite (sbxc refuses a policy it could: E0720)
	sbxc=$(pwd)/build/tools/sbxc
	# the bundled examples, from the repository root: no error, no warning
	(set -x && "$sbxc" lint examples/)
	demo=$(mktemp -d /var/tmp/sbxc-demo-XXXXXX)
	mkdir "$demo/.codex"
	cp examples/workspace-dev.toml "$demo/.codex/config.toml"
	cd "$demo"
	set -x
	"$sbxc" lint .codex/config.toml
	"$sbxc" ir .codex/config.toml
	;;
test)
	install_deps
	build build
	ctest --test-dir build --output-on-failure -j "$JOBS"
	build build-asan -DSBXC_SANITIZE=ON
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir build-asan --output-on-failure -j "$JOBS"
	;;
build)
	build build
	;;
*)
	echo "usage: sh tools/dev.sh demo|test|build" >&2
	exit 2
	;;
esac
