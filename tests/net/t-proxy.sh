#!/bin/sh
# t-proxy.sh: end-to-end proxy-only networking on Linux (label `net`).
#
# A local server (server.py) listens on 127.0.0.1: HTTP, acting as the
# upstream proxy of the generated tinyproxy, and a UDP port. A profile with
# domain rules runs client.py under `sbxc run` with HTTP_PROXY pointing at
# the server: a request to the allowed domain reaches the server through
# the bridge, tinyproxy and its upstream; the denied domain gets tinyproxy's
# refusal; a direct TCP connection, UDP datagrams, a DNS lookup and an
# AF_UNIX socket fail; the proxy variables point at the bridged port. After
# the command, no tinyproxy and no bridge process is left. A non-loopback
# or unparseable proxy variable, and a missing tinyproxy, refuse the run
# (exit 125) before the command starts. Traffic only ever goes to loopback.
set -u
: "${SBXC:?}" "${SBXC_NET_DIR:?}"
PY=/usr/bin/python3
failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}
ok() { echo "ok: $*"; }
skip() {
	echo "SKIP: $*"
	exit 77
}

[ -x "$PY" ] || skip "/usr/bin/python3 is not installed (apt-get install python3)"
command -v bwrap >/dev/null 2>&1 || skip "bubblewrap is not installed"
command -v tinyproxy >/dev/null 2>&1 || skip "tinyproxy is not installed (apt-get install tinyproxy-bin)"
bwrap --unshare-user --unshare-net --ro-bind / / true 2>/dev/null ||
	skip "bubblewrap cannot create a user and network namespace here"

T=$(mktemp -d /var/tmp/sbxc-net-XXXXXX) || exit 1
SERVER=
cleanup() {
	[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$T/ws" "$T/tmp"
export TMPDIR="$T/tmp"
cp "$SBXC_NET_DIR/client.py" "$T/ws/client.py"

timeout 60 "$PY" "$SBXC_NET_DIR/server.py" "$T/ports" 60 &
SERVER=$!
i=0
while [ ! -f "$T/ports" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
[ -f "$T/ports" ] || {
	echo "FAIL: the local server did not start"
	exit 1
}
read -r TCP UDP <"$T/ports"

cat >"$T/domains.toml" <<'TOML'
default_permissions = "p"
[permissions.p]
extends = ":read-only"
[permissions.p.network]
enabled = true
[permissions.p.network.domains]
"allowed.test" = "allow"
"denied.test" = "deny"
TOML

# processes of this sbxc binary or of tinyproxy that outlive a run
leftovers() {
	sbxc_exe=$(readlink -f "$SBXC")
	for d in /proc/[0-9]*; do
		exe=$(readlink "$d/exe" 2>/dev/null) || continue
		case $exe in
		"$sbxc_exe" | */tinyproxy) echo "${d#/proc/} $exe" ;;
		esac
	done
}
[ -z "$(leftovers)" ] || skip "another sbxc or tinyproxy runs already: $(leftovers)"

out=$(cd "$T/ws" && env -u http_proxy -u https_proxy -u all_proxy -u ALL_PROXY \
	-u HTTPS_PROXY HTTP_PROXY="http://127.0.0.1:$TCP" \
	timeout 60 "$SBXC" run -c "$T/domains.toml" -- "$PY" client.py "$TCP" "$UDP" 2>&1)
status=$?
echo "$out" | sed 's/^/  | /'
[ "$status" = 0 ] || fail "sbxc run exited with $status"
has() { echo "$out" | grep -q "^$1"; }
has "allowed ok 200 upstream-ok allowed.test /a" && ok "allowed domain reaches the server" ||
	fail "the allowed domain did not reach the local server"
has "denied fail http 403" && ok "denied domain refused by tinyproxy (403)" ||
	fail "the denied domain was not refused by the proxy"
has "direct-tcp fail" && ok "direct TCP to 127.0.0.1:$TCP fails" ||
	fail "a direct TCP connection reached the host"
has "dns fail" && ok "DNS lookup fails" || fail "a DNS lookup succeeded"
has "udp-send fail" && ok "UDP socket refused" || fail "a UDP datagram was sent"
has "unix-socket fail" && ok "AF_UNIX socket refused" || fail "an AF_UNIX socket was created"
has "proxy-port ok" && ok "http_proxy points at the bridged port" ||
	fail "http_proxy does not point at a bridged port"
bridged=$(echo "$out" | sed -n 's/^env HTTP_PROXY http:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p')
[ -n "$bridged" ] && [ "$bridged" != "$TCP" ] && ok "HTTP_PROXY rewritten to port $bridged" ||
	fail "HTTP_PROXY was not rewritten to the bridged port"
sleep 0.3
if [ -f "$T/ports.udp" ]; then
	fail "the host received $(cat "$T/ports.udp") UDP datagrams from the sandbox"
else
	ok "no UDP datagram reached the host"
fi
left=$(leftovers)
[ -z "$left" ] && ok "no proxy or bridge process is left" || fail "left running: $left"

# --proxy-env: the command runs with exactly the variables given, bridged
got=$(cd "$T/ws" && HTTP_PROXY=http://10.9.9.9:1 timeout 30 "$SBXC" run -c "$T/domains.toml" \
	--proxy-env "http_proxy=http://127.0.0.1:$TCP" -- /bin/sh -c \
	'echo "${HTTP_PROXY:-unset} ${http_proxy:-unset}"' 2>&1)
case $got in
"http://127.0.0.1:"*" http://127.0.0.1:"*) ok "--proxy-env replaces the environment's proxy variables" ;;
*) fail "--proxy-env: got '$got'" ;;
esac

# a proxy the bridge cannot route: refused, the command never runs
cat >"$T/net.toml" <<'TOML'
default_permissions = "p"
[permissions.p]
extends = ":read-only"
[permissions.p.network]
enabled = true
TOML
for url in http://10.0.0.1:3128 'http://[::1' http://proxy.invalid:8080; do
	rm -f "$T/ws/ran"
	(cd "$T/ws" && HTTP_PROXY="$url" timeout 30 "$SBXC" run -c "$T/net.toml" -- \
		/bin/sh -c 'echo > ran' >"$T/err" 2>&1)
	st=$?
	if [ "$st" = 125 ] && [ ! -e "$T/ws/ran" ] && grep -q "E0691" "$T/err"; then
		ok "HTTP_PROXY=$url: refused (125), command not run"
	else
		fail "HTTP_PROXY=$url: exit $st$( [ -e "$T/ws/ran" ] && echo ', the command ran')"
		sed 's/^/  | /' "$T/err"
	fi
done

# no tinyproxy: refused before the command runs
mkdir -p "$T/empty"
rm -f "$T/ws/ran"
(cd "$T/ws" && timeout 30 env PATH="$T/empty" HTTP_PROXY="http://127.0.0.1:$TCP" "$SBXC" run \
	--bwrap "$(command -v bwrap)" -c "$T/domains.toml" -- /bin/sh -c 'echo > ran' \
	>"$T/err" 2>&1)
st=$?
if [ "$st" = 125 ] && [ ! -e "$T/ws/ran" ] && grep -q "E0750" "$T/err"; then
	ok "without tinyproxy: refused (125), command not run"
else
	fail "without tinyproxy: exit $st"
	sed 's/^/  | /' "$T/err"
fi

[ "$failures" = 0 ] || exit 1
echo "PASS"
