#!/bin/bash
# demo_3watt.sh — the wattctl part of `make demo`: a simulated WattBox
# (tests/wattbox/wbsim.py) on a private port, and a few commands.
here=$(cd "$(dirname "$0")" && pwd)
bin=${PK_BIN:-$(dirname "$here")/build}
state=$(mktemp -d /tmp/pk-watt-demo.XXXXXX)
python3 "$here/wattbox/wbsim.py" --state "$state" --push-every 0.5 --poweron-delay 2 &
sim=$!
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 100); do [ -f "$state/port" ] && break; sleep 0.05; done
host=127.0.0.1:$(cat "$state/port")
export WATTBOX_PASSWORD=s3cret

echo "== wattctl: a simulated WB-800-IPVM-12 at $host (telnet)"
rc=0
export PATH="$bin:$PATH"
demo() {
	printf '$'
	printf ' %q' "$@"
	echo
	"$@" || rc=1
	echo
}
demo wattctl "$host" info
demo wattctl "$host" status
demo wattctl -n "$host" reset 'Denon Rcv'
demo wattctl "$host" reset 'Denon Rcv' --delay 1
demo wattctl -j "$host" power
exit $rc
