#!/bin/bash
# bench_discover.sh — the discovery part of `make bench`: a /24 on
# loopback (127.0.1.0/24, three simulated SNMP agents on it: two PDUs and
# a plain agent) scanned by `pductl discover`, by `nut-scanner -S` (the
# same range, SNMP) and by a sequential probe loop in the style of
# pywattbox's discover_wattbox_devices (tests/peers/seqprobe.py), each
# probe with a 1 s timeout.  nut-scanner scans port 161 only, so the
# agents listen there: this part needs root, and says so otherwise.
# Only 127.0.1.0/24 is ever scanned.
here=$(cd "$(dirname "$0")" && pwd)
bin=${PK_BIN:-$(dirname "$here")/build}
echo "== discovery of a /24 on loopback (127.0.1.0/24, 3 SNMP agents, 1 s probe timeout)"
if [ "$(id -u)" != 0 ]; then
	echo "(skipped: nut-scanner probes port 161 only, which needs root)"
	exit 0
fi
dir=$(mktemp -d /tmp/pk-bench-disc.XXXXXX)
stop() {
	for n in 10 20 30; do sh "$here/snmp/agent.sh" stop "$dir/a$n"; done
	rm -rf "$dir"
}
trap stop EXIT
start() {  # start N DEVICE [ENV...]
	local n=$1 dev=$2
	shift 2
	mkdir -p "$dir/a$n"
	env AGENT_ADDR=127.0.1.$n "$@" sh "$here/snmp/agent.sh" start "$dir/a$n" "$dev" 161
}
start 10 cyberpower || exit 1
start 20 apc || exit 1
start 30 bare AGENT_SYSOID=.1.3.6.1.4.1.8072.3.2.10 AGENT_DESCR="Linux gw" || exit 1

# What each finds, once.
found_pk=$("$bin/pductl" discover --port 161 127.0.1.0/24 | wc -l)
found_ns=$(nut-scanner -q -S -s 127.0.1.1 -e 127.0.1.254 -t 1 2>/dev/null | grep -c '^\[')
found_seq=$(python3 "$here/peers/seqprobe.py" 161 1 127.0.1.1 127.0.1.254 | wc -l)

json=$dir/bench.json
hyperfine -N -i --warmup 1 --runs 5 --export-json "$json" --style none \
	-n "pductl discover 127.0.1.0/24" "$bin/pductl discover --port 161 127.0.1.0/24" \
	-n "nut-scanner -S -t 1" "nut-scanner -q -S -s 127.0.1.1 -e 127.0.1.254 -t 1" >/dev/null || exit 1
# The sequential loop takes tens of seconds: three runs.
sjson=$dir/seq.json
hyperfine -N -i --runs 3 --export-json "$sjson" --style none \
	-n "sequential loop (pywattbox style)" \
	"python3 $here/peers/seqprobe.py 161 1 127.0.1.1 127.0.1.254" >/dev/null || exit 1
python3 - "$json" "$sjson" "$found_pk" "$found_ns" "$found_seq" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"] + json.load(open(sys.argv[2]))["results"]
found = sys.argv[3:6]
base = res[0]["median"]
print("| command | median s | ratio to pductl discover | found |")
print("| --- | ---: | ---: | ---: |")
for r, f in zip(res, found):
    print("| %s | %.3f | %.1fx | %s |" % (r["command"], r["median"], r["median"] / base, f))
print("pductl discover: %.3f s for the /24 (target: under 1.5 s)" % base)
print("(found: PDUs for pductl, ups.conf sections for nut-scanner, answering agents for the loop)")
PY
