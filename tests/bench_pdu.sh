#!/bin/bash
# bench_pdu.sh — the pductl part of `make bench`: reading a simulated PDU
# (snmpd + pass_persist on loopback) with pductl and with net-snmp's
# snmpget on the same 8 outlet-state OIDs (one process, and 8 processes).
# Prints medians (hyperfine) and ratios against `pductl get 1-8`.
here=$(cd "$(dirname "$0")" && pwd)
bin=${PK_BIN:-$(dirname "$here")/build}
dir=$(mktemp -d /tmp/pk-bench-pdu.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'sh "$here/snmp/agent.sh" stop "$dir"; rm -rf "$dir"' EXIT
sh "$here/snmp/agent.sh" start "$dir" cyberpower "$port" || exit 1
host=127.0.0.1:$port
state=.1.3.6.1.4.1.3808.1.1.3.3.5.1.1.4
oids=$(for n in 1 2 3 4 5 6 7 8; do printf '%s.%d ' "$state" "$n"; done)
eight=$(for n in 1 2 3 4 5 6 7 8; do printf 'snmpget -v1 -c public -On %s %s.%d >/dev/null; ' "$host" "$state" "$n"; done)

# Outlet 6 starts off; switch it on so `get 1-8` exits 0 on every run.
"$bin/pductl" "$host" on 6 >/dev/null || exit 1

# Same answers first: the benchmark compares equal work.
mine=$("$bin/pductl" "$host" get 1-8 | awk '{print $2}' | tr '\n' ' ')
theirs=$(snmpget -v1 -c public -On "$host" $oids | awk '{print ($NF == 1 ? "on" : "off")}' | tr '\n' ' ')
if [ "$mine" != "$theirs" ]; then
	echo "bench_pdu: pductl and snmpget disagree: '$mine' vs '$theirs'" >&2
	exit 1
fi

# medians JSON [LINE NUM DEN]...: hyperfine's medians as a table, then
# each LINE with the ratio of result NUM's median to result DEN's.
medians() {
	python3 - "$@" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
print("| command | median ms |")
print("| --- | ---: |")
for r in res:
    print("| %s | %.2f |" % (r["command"], r["median"] * 1000))
args = sys.argv[2:]
for k in range(0, len(args), 3):
    print(args[k] % (res[int(args[k + 1])]["median"] / res[int(args[k + 2])]["median"]))
PY
}

json=$dir/bench.json
hyperfine -N --warmup 5 --runs 40 --export-json "$json" --style none \
	-n "pductl HOST get 1-8" "$bin/pductl $host get 1-8" \
	-n "pductl HOST status" "$bin/pductl $host status" \
	-n "snmpget, 1 process, 8 OIDs" "snmpget -v1 -c public -On $host $oids" \
	-n "snmpget, 8 processes" "sh -c '$eight'" >/dev/null || exit 1

# Peak resident memory of one run of each, in the same order.
rss=$(for cmd in "$bin/pductl $host get 1-8" "$bin/pductl $host status" \
	"snmpget -v1 -c public -On $host $oids" "sh -c '$eight'"; do
	eval "python3 '$here/maxrss.py' 5 $cmd" || exit 1
done | tr '\n' ' ')

echo "== pductl vs snmpget: 8 outlet states of a simulated CyberPower PDU (loopback snmpd, SNMP v1)"
python3 - "$json" $rss <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
rss = sys.argv[2:]
base = res[0]["median"]
print("| command | median ms | ratio to pductl get 1-8 | peak RSS KiB |")
print("| --- | ---: | ---: | ---: |")
for r, kib in zip(res, rss):
    print("| %s | %.2f | %.1fx | %s |" % (r["command"], r["median"] * 1000, r["median"] / base, kib))
print("simulator (pass_persist backend, one call per object): pductl get 1-8 is %.1fx faster than one snmpget of the same 8 OIDs" %
      (res[2]["median"] / base))
PY

# The raw walk: the PDU's whole enterprise subtree (SNMP v2c, GETBULK on
# both sides), after checking both print the same lines.  Twice: from the
# simulator, whose pass_persist backend (python behind a pipe, one call
# per object) makes the agent the slow side whatever the client does, and
# from a second snmpd serving a snapshot of that same subtree as
# `override` lines, answered by snmpd itself: there the clients differ.
# Each override is a registration of its own, which would make snmpd's
# registration table, next after the subtree, cost the agent more than
# the walk (tests/snmp/agent.sh leaves that table out).
ent=.1.3.6.1.4.1.3808
walk=$dir/walk.txt
snmpbulkwalk -v2c -c public -On "$host" "$ent" >"$walk" || exit 1
if ! "$bin/pductl" -S 2c "$host" oid walk "$ent" | cmp -s - "$walk"; then
	echo "bench_pdu: pductl oid walk and snmpbulkwalk disagree" >&2
	exit 1
fi
lines=$(wc -l <"$walk")
# snmpwalk -On lines to snmpd.conf `override OID TYPE VALUE` (the types the
# simulator serves; a gauge is `uinteger` there).
awk '{ oid = $1; type = $3; sub(/:$/, "", type); val = $0; sub(/^[^:]*: /, "", val)
	t = type == "INTEGER" ? "integer" : type == "Gauge32" ? "uinteger" : type == "STRING" ? "octet_str" : ""
	if (t == "") { print "bench_pdu: no override type for " type > "/dev/stderr"; exit 1 }
	print "override " oid " " t " " val }' "$walk" >"$dir/snapshot.conf" || exit 1
sport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'sh "$here/snmp/agent.sh" stop "$dir"; sh "$here/snmp/agent.sh" stop "$dir/snap"; rm -rf "$dir"' EXIT
AGENT_SYSOID=.1.3.6.1.4.1.3808.1.1.3 AGENT_CONF_EXTRA=$dir/snapshot.conf \
	sh "$here/snmp/agent.sh" start "$dir/snap" bare "$sport" || exit 1
shost=127.0.0.1:$sport
if ! "$bin/pductl" -S 2c "$shost" oid walk "$ent" | cmp -s - "$walk"; then
	echo "bench_pdu: the snapshot agent does not serve the simulator's subtree" >&2
	exit 1
fi
wjson=$dir/walk.json
hyperfine -N --warmup 3 --runs 30 --export-json "$wjson" --style none \
	-n "pductl HOST oid walk $ent (simulator)" "$bin/pductl -S 2c $host oid walk $ent" \
	-n "snmpbulkwalk -v2c $ent (simulator)" "snmpbulkwalk -v2c -c public -On $host $ent" \
	-n "pductl HOST oid walk $ent (snapshot)" "$bin/pductl -S 2c $shost oid walk $ent" \
	-n "snmpbulkwalk -v2c $ent (snapshot)" "snmpbulkwalk -v2c -c public -On $shost $ent" >/dev/null || exit 1
echo
echo "== the enterprise subtree of the simulated PDU ($lines objects), pductl oid walk vs snmpbulkwalk"
medians "$wjson" \
	"simulator (pass_persist backend, one call per object): pductl oid walk is %.1fx faster than snmpbulkwalk" 1 0 \
	"snapshot (snmpd's own override objects): pductl oid walk is %.1fx faster than snmpbulkwalk (target: at least 1.5x)" 3 2

# The same 8 states from the snapshot agent, where the agent answers each
# object itself (as a PDU's does) instead of calling the simulator's
# backend: there the two clients' own costs differ.  pductl detects the
# family (two requests: GETNEXT probes, then the read); snmpget is told
# the OIDs.
gjson=$dir/get.json
hyperfine -N --warmup 5 --runs 40 --export-json "$gjson" --style none \
	-n "pductl HOST get 1-8 (snapshot)" "$bin/pductl $shost get 1-8" \
	-n "snmpget, 1 process, 8 OIDs (snapshot)" "snmpget -v1 -c public -On $shost $oids" >/dev/null || exit 1
echo
echo "== 8 outlet states from the snapshot agent, pductl get 1-8 vs snmpget"
medians "$gjson" \
	"snapshot (snmpd's own override objects): pductl get 1-8 is %.1fx faster than one snmpget of the same 8 OIDs (target: at least 5x)" 1 0
