#!/bin/bash
# demo_2pdu.sh — the pductl part of `make demo`: a simulated CyberPower PDU
# (Debian snmpd + tests/snmp/pdu_pass.py on a free loopback port), its
# status, a reboot of one outlet with confirmation, then it is stopped.
here=$(cd "$(dirname "$0")" && pwd)
bin=${PK_BIN:-$(dirname "$here")/build}
dir=$(mktemp -d /tmp/pk-demo-pdu.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'sh "$here/snmp/agent.sh" stop "$dir"; rm -rf "$dir"' EXIT
export PDU_SIM_SCALE=0.4   # reboot duration 5 s becomes 2 s

show() {
	echo "\$ $*"
	"$@"
	echo "(exit $?)"
	echo
}

echo "== pductl: a simulated CyberPower PDU41008 on 127.0.0.1:$port (snmpd)"
sh "$here/snmp/agent.sh" start "$dir" cyberpower "$port" || exit 1
export PATH="$bin:$PATH"
show pductl "127.0.0.1:$port" status
show pductl "127.0.0.1:$port" get 1-8
show pductl -n "127.0.0.1:$port" reboot web
show pductl "127.0.0.1:$port" reboot web
show pductl -j "127.0.0.1:$port" get web
echo "== pductl: stopping the simulated PDU"
