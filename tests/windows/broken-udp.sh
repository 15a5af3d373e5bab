#!/bin/sh
# broken-udp.sh: the checks must catch an emitter that drops the loopback UDP
# rule. SBXC_BROKEN is sbxc built with SBXC_TEST_BROKEN_WIN_UDP; the
# simulator run on the golden cases must fail, naming a UDP disagreement.
set -u
: "${SBXC_BROKEN:?}" "${SBXC_SOURCE_DIR:?}"
out=$(/usr/bin/python3 "$SBXC_SOURCE_DIR/tests/windows/simulate.py" "$SBXC_BROKEN" \
	"$SBXC_SOURCE_DIR/tests/golden/windows")
status=$?
echo "$out" | tail -5
if [ "$status" -eq 0 ]; then
	echo "FAIL: the simulator did not notice the missing UDP rule"
	exit 1
fi
if ! echo "$out" | grep -q "udp 127.0.0.1"; then
	echo "FAIL: the simulator failed, but not on loopback UDP"
	exit 1
fi
echo "caught: the broken emitter's plan lets loopback UDP through"
