#!/bin/bash
# t_discover.sh — discovery on loopback only (127.0.0.0/28, never
# anything else): nutq --scan, pductl discover and wattctl discover
# against devices on their own 127.0.0.x addresses sharing one port per
# protocol: every device found once and nothing else, a silent black
# hole costing one probe timeout, the scan within its bound, the output
# read back by --targets, bad ranges and the size cap.
#   127.0.0.2, .3  upsd (alpha, beta)          .4, .5  PDU agents
#   127.0.0.6      the WattBox simulator       .7      the black hole
#   127.0.0.8      an SNMP agent that is no PDU
#   127.0.0.9      a PDU agent that speaks SNMPv3 only, on a port of its own
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
Q=$PK_BIN/nutq
RANGE=127.0.0.0/28

# One port per protocol, free on every address used.
NUTP=$(pk_free_port)
mkdir -p "$PK_TMP/a" "$PK_TMP/b"
cp "$PK_TESTS/nut/dummy.dev" "$PK_TMP/a/alpha.dev"
cp "$PK_TESTS/nut/dummy.dev" "$PK_TMP/b/beta.dev"
nut_devbed_start "$PK_TMP/a" 127.0.0.2 "$NUTP" || { not_ok "upsd on 127.0.0.2"; exit 1; }
nut_devbed_start "$PK_TMP/b" 127.0.0.3 "$NUTP" || { not_ok "upsd on 127.0.0.3"; exit 1; }
# SNMP: a v1-only CyberPower (community public), an APC (rack5), and
# an agent that is no PDU (net-snmp's own sysObjectID).
SNMPP=$(pk_free_port udp)
agent() {  # agent N DEVICE COMMUNITY [ENV...]
	local n=$1 dev=$2 comm=$3 d=$PK_TMP/agent$1
	shift 3
	mkdir -p "$d"
	env AGENT_ADDR=127.0.0.$n AGENT_COMMUNITY=$comm "$@" \
		sh "$PK_TESTS/snmp/agent.sh" start "$d" "$dev" "$SNMPP" || return 1
	pk_cleanup "sh '$PK_TESTS/snmp/agent.sh' stop '$d'"
}
agent 4 cyberpower public AGENT_V1_ONLY=1 || { not_ok "PDU agent on 127.0.0.4"; exit 1; }
agent 5 apc rack5 || { not_ok "PDU agent on 127.0.0.5"; exit 1; }
agent 8 bare public AGENT_SYSOID=.1.3.6.1.4.1.8072.3.2.10 AGENT_DESCR="Linux gw1" ||
	{ not_ok "plain agent on 127.0.0.8"; exit 1; }
# SNMPv3 only (no community at all), with an engine ID of its own, on
# its own port so that the scans above see only the agents they list.
SNMP3P=$(pk_free_port udp)
mkdir -p "$PK_TMP/agent9"
env AGENT_ADDR=127.0.0.9 AGENT_V3_ONLY=1 AGENT_ENGINE_ID=powerkit-disc9 \
	sh "$PK_TESTS/snmp/agent.sh" start "$PK_TMP/agent9" apc "$SNMP3P" ||
	{ not_ok "SNMPv3-only agent on 127.0.0.9"; exit 1; }
pk_cleanup "sh '$PK_TESTS/snmp/agent.sh' stop '$PK_TMP/agent9'"
# WattBoxes: the telnet simulator and a legacy HTTP one, both on .6.
WBP=$(pk_free_port)
WBHP=$(pk_free_port)
wbsim() {  # wbsim NAME PORT ARGS...: state in $PK_TMP/NAME
	local dir=$PK_TMP/$1 port=$2 i
	shift 2
	mkdir -p "$dir"
	python3 "$PK_TESTS/wattbox/wbsim.py" --state "$dir" --addr 127.0.0.6 --port "$port" "$@" \
		>"$dir/stderr" 2>&1 &
	pk_cleanup "pk_kill $!"
	for i in $(seq 100); do [ -f "$dir/port" ] && return 0; sleep 0.05; done
	return 1
}
wbsim wb "$WBP" --telnet || { not_ok "WattBox simulator on 127.0.0.6"; exit 1; }
wbsim wbhttp "$WBHP" --http || { not_ok "WattBox HTTP simulator on 127.0.0.6"; exit 1; }
HOLE_LOG=$PK_TMP/hole.log
: >"$HOLE_LOG"
pk_start_listener hole python3 "$PK_TESTS/peers/blackhole.py" 127.0.0.7 "$HOLE_LOG" \
	"$NUTP" "$SNMPP" "$WBP" "$WBHP" "$SNMP3P" || { not_ok "black hole on 127.0.0.7"; exit 1; }

# ---- nutq --scan ----------------------------------------------------
run "$Q" --scan --port "$NUTP" "$RANGE"
expect "nutq --scan: both servers' UPSes, once each, in address order" 0 \
	"$(printf 'alpha@127.0.0.2:%s  # Description unavailable; Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/; no login needed\nbeta@127.0.0.3:%s  # Description unavailable; Network UPS Tools upsd 2.8.0 - http://www.networkupstools.org/; no login needed' "$NUTP" "$NUTP")"
check "nutq --scan: stderr clean (not a terminal: no counter)" test -z "$ERR"
check "nutq --scan: the black hole was probed" grep -q "^tcp $NUTP$" "$HOLE_LOG"
check "nutq --scan: the black hole cost one probe timeout (1 s), no more" \
	test "$MS" -ge 900 -a "$MS" -le 2500
T1=$MS
run "$Q" --scan -t 0.3 --port "$NUTP" "$RANGE"
expect "nutq --scan -t 0.3: the same two" 0 "$(printf '%s\n' "$OUT" | head -2)"
check "nutq --scan -t 0.3: -t bounds each probe ($MS ms, was $T1 ms with 1 s)" \
	test "$MS" -lt 1400
run "$Q" --scan --rate 20 -t 0.3 --port "$NUTP" "$RANGE"
expect "--rate 20 over 14 addresses: exit 0" 0
check "--rate 20: still both UPSes" test "$(printf '%s\n' "$OUT" | grep -c '^[a-z]*@')" = 2
check "--rate 20: 14 starts take 0.65 s at least, done within 14/20 + -t + 1 s ($MS ms)" \
	test "$MS" -ge 640 -a "$MS" -le 2000

run "$Q" --scan -j --port "$NUTP" 127.0.0.2-3
expect "nutq --scan -j: exit 0" 0
expect_json "nutq --scan -j: an array of the two UPSes" \
	"[u['target'] for u in d] == ['alpha@127.0.0.2:$NUTP', 'beta@127.0.0.3:$NUTP'] and d[0]['ups'] == 'alpha' and d[0]['server'] == '127.0.0.2:$NUTP' and d[0]['login_needed'] is False and d[1]['version'].startswith('Network UPS Tools upsd')"

run "$Q" --scan --port "$NUTP" "$RANGE"
printf '%s\n' "$OUT" >"$PK_TMP/ups.list"
run "$Q" --targets "$PK_TMP/ups.list" -g ups.status
expect "the scan's output read back by --targets" 0 \
	"$(printf 'alpha@127.0.0.2:%s: OL CHRG\nbeta@127.0.0.3:%s: OL CHRG' "$NUTP" "$NUTP")"

run "$Q" --scan -t 0.3 --port "$NUTP" 127.0.0.9-14
expect "nutq --scan where nothing listens: exit 5, nothing on stdout" 5 ""
expect_err "it says none was found" "^nutq: no NUT server found in 6 addresses$"
run "$Q" --scan -j -t 0.3 --port "$NUTP" 127.0.0.9-14
expect "-j where none was found: exit 5" 5
expect_json "-j: the error document" "d['error']['status'] == 5"
run "$Q" --scan -t 0.3 --port "$NUTP" no-such-host.invalid
expect "nothing could be sent (no such host): exit 3" 3 ""
expect_err "it says nothing could be sent" "^nutq: nothing could be sent"

# ---- bad ranges and the cap (nothing is sent: no port needed) ----------
for r in 127.0.0.0/33 127.0.0.9-3 127.0.0.1-300 "127.0.0.1 x" 127.0.0.1-::1 ""; do
	run "$Q" --scan "$r"
	expect "bad range '$r': exit 2, nothing on stdout" 2 ""
	expect_err "bad range '$r': the message names it" "^nutq: bad range '$r': "
done
run "$Q" --scan 10.0.0.0/8
expect "a /8 without --max-hosts: refused, exit 2" 2 ""
expect_err "it names --max-hosts" "^nutq: range '10.0.0.0/8' brings the scan to 16777214 addresses, more than 4096 \(--max-hosts N allows more\)$"
run "$Q" --scan 127.0.0.0/28 127.0.0.0/20
expect "ranges over 4096 together: refused" 2 ""
run "$Q" --scan --max-hosts 10 "$RANGE"
expect "--max-hosts 10 with a /28 (14): refused" 2 ""
run "$Q" --scan --max-hosts 0 "$RANGE"
expect "--max-hosts 0: bad value" 2 ""
run "$Q" --scan --rate 0 "$RANGE"
expect "--rate 0: bad value" 2 ""
run "$Q" --scan --port 70000 "$RANGE"
expect "--port 70000: bad value" 2 ""
run "$Q" --scan
expect "--scan without a RANGE: usage error" 2 ""
expect_err "it asks for a RANGE" "^nutq: a RANGE to scan is needed"
run "$Q" --scan --format prom "$RANGE"
expect "--scan --format prom: not offered" 2 ""
run "$Q" --port "$NUTP" alpha@127.0.0.2:$NUTP
expect "--port without --scan: usage error" 2 ""
run "$Q" --scan -c "$RANGE"
expect "--scan with -c: usage error" 2 ""

# ---- pductl discover -------------------------------------------------
P=$PK_BIN/pductl
PDU4="127.0.0.4:$SNMPP profile=cyberpower-epdu snmp-version=1  # cyberpower-epdu, 8 outlets; sysName sim-cyberpower; powerkit simulated cyberpower PDU; community public"
PDU5="127.0.0.5:$SNMPP profile=apc-rpdu2 snmp-version=2c community=rack5  # apc-rpdu2, 8 outlets; sysName sim-apc; powerkit simulated apc PDU"
run "$P" discover -c public -c rack5 --port "$SNMPP" "$RANGE"
expect "pductl discover: both PDUs once, v1 and v2c as they answer, nothing else" 0 \
	"$(printf '%s\n%s' "$PDU4" "$PDU5")"
check "pductl discover: stderr clean" test -z "$ERR"
check "pductl discover: the black hole was probed over UDP" grep -q "^udp $SNMPP$" "$HOLE_LOG"
check "pductl discover: the black hole cost one probe timeout for all four tries ($MS ms)" \
	test "$MS" -ge 900 -a "$MS" -le 2500

run "$P" discover --all -c public -c rack5 --port "$SNMPP" "$RANGE"
expect "--all: the agent that is no PDU too, commented out" 0 \
	"$(printf '%s\n%s\n# 127.0.0.8:%s snmp-version=2c  # not a PDU pductl knows (.1.3.6.1.4.1.8072.3.2.10): Linux gw1' "$PDU4" "$PDU5" "$SNMPP")"

run "$P" discover -c public --port "$SNMPP" "$RANGE"
expect "one community: the PDU that answers it only" 0 "$PDU4"

run "$P" discover -j --all -c public -c rack5 --port "$SNMPP" 127.0.0.4-8
expect "pductl discover -j: exit 0" 0
expect_json "-j: an array, PDUs and the plain agent marked" \
	"[x['target'] for x in d] == ['127.0.0.4:$SNMPP', '127.0.0.5:$SNMPP', '127.0.0.8:$SNMPP'] and d[0]['profile'] == 'cyberpower-epdu' and d[0]['outlets'] == 8 and d[0]['snmp-version'] == '1' and d[1]['community'] == 'rack5' and d[2]['pdu'] is False and 'profile' not in d[2] and d[2]['sys_descr'] == 'Linux gw1'"

# The output read back: a file with community= must be 0600.
(umask 077 && "$P" discover -c public -c rack5 --port "$SNMPP" "$RANGE" >"$PK_TMP/pdus.txt")
run "$P" --targets "$PK_TMP/pdus.txt" -j status
expect "pductl --targets on the discovered file: exit 0" 0
expect_json "both PDUs read with the settings found" \
	"len(d) == 2 and d[0]['profile'] == 'cyberpower-epdu' and d[1]['profile'] == 'apc-rpdu2' and len(d[1]['outlets']) == 8"
"$P" discover --port "$SNMPP" 127.0.0.4 >"$PK_TMP/pdu4.txt"
run "$P" --targets "$PK_TMP/pdu4.txt" get 1
expect "a public-only file needs no chmod: read back with get" 0
check "the public community is no setting (the file holds no secret)" \
	sh -c "! grep -q 'community=' '$PK_TMP/pdu4.txt'"

run "$P" discover -c nosuch -t 0.3 --port "$SNMPP" "$RANGE"
expect "no agent answers that community: exit 5, nothing on stdout" 5 ""
expect_err "it says none was found" "^pductl: no PDU found in 14 addresses$"
run "$P" discover 127.0.0.0/33
expect "pductl discover: a bad range exits 2" 2 ""
expect_err "it names the range" "^pductl: bad range '127\.0\.0\.0/33': "
run "$P" discover 10.0.0.0/8
expect "pductl discover: a /8 refused without --max-hosts" 2 ""
run "$P" discover
expect "pductl discover without a RANGE: usage error" 2 ""
run "$P" discover -S 1 "$RANGE"
expect "pductl discover -S 1: usage error (it tries both)" 2 ""
run "$P" --all 127.0.0.4:$SNMPP status
expect "--all without discover: usage error" 2 ""

# ---- pductl discover over SNMPv3 --------------------------------------
unset PDU_AUTH_PASSWORD PDU_PRIV_PASSWORD
E9=0x$(snmpget -v3 -l noAuthNoPriv -u v3noauth -Oqv 127.0.0.9:"$SNMP3P" .1.3.6.1.6.3.10.2.1.1.0 |
	tr -d ' "\n' | tr 'A-F' 'a-f')
PDU9="127.0.0.9:$SNMP3P profile=apc-rpdu2 snmp-version=3 user=v3aes sec-level=authPriv auth-proto=SHA priv-proto=AES  # apc-rpdu2, 8 outlets; sysName sim-apc; powerkit simulated apc PDU; SNMPv3 user v3aes"
: >"$HOLE_LOG"
run "$P" discover -u v3aes -A v3aes-secret -X v3aes-private --port "$SNMP3P" "$RANGE"
expect "discover -u: the v3-only PDU, engine discovery then the GET as the user" 0 "$PDU9"
check "discover -u: stderr clean" test -z "$ERR"
check "discover -u: the black hole was probed" grep -q "^udp $SNMP3P$" "$HOLE_LOG"
check "discover -u: the black hole cost one probe timeout ($MS ms)" \
	test "$MS" -ge 900 -a "$MS" -le 2500
check "discover -u: no password in the output" \
	bash -c '! grep -q "secret\|private" <<<"$1"' _ "$OUT"
printf '%s\n' "$OUT" >"$PK_TMP/v3pdus.txt"
run env PDU_AUTH_PASSWORD=v3aes-secret PDU_PRIV_PASSWORD=v3aes-private \
	"$P" --targets "$PK_TMP/v3pdus.txt" get 1
expect "the v3 lines read back by --targets, the passwords from the environment" 0 "1 on"

run "$P" discover -v -u v3aes -A v3aes-secret -X v3aes-private --port "$SNMP3P" 127.0.0.9
expect "discover -u -v: the same PDU" 0 "$PDU9"
expect_err "the trace: the engine discovery first" '^pductl: > engine discovery v3 msgID=[0-9]+$'
expect_err "the trace: then the GET as the user" 'GET v3 user=v3aes authPriv'
check "the trace: no password" bash -c '! grep -q "v3aes-secret\|v3aes-private" <<<"$1"' _ "$ERR"

run "$P" discover -j -u v3aes -A v3aes-secret -X v3aes-private --port "$SNMP3P" 127.0.0.9
expect "discover -u -j: exit 0" 0
expect_json "-j: the v3 facts, the engine ID as snmpget reads it, no community, no password" \
	"d[0]['snmp-version'] == '3' and d[0]['user'] == 'v3aes' and d[0]['sec-level'] == 'authPriv' and d[0]['auth-proto'] == 'SHA' and d[0]['priv-proto'] == 'AES' and d[0]['engine_id'] == '$E9' and d[0]['profile'] == 'apc-rpdu2' and 'community' not in d[0] and 'secret' not in str(d)"

# The agents of the first scans have the same users and answer v3 too.
run "$P" discover -u v3sha -A v3sha-secret --port "$SNMPP" 127.0.0.4-5
expect "discover -u over agents that speak every version: both PDUs over v3" 0 \
	"127.0.0.4:$SNMPP profile=cyberpower-epdu snmp-version=3 user=v3sha sec-level=authNoPriv auth-proto=SHA  # cyberpower-epdu, 8 outlets; sysName sim-cyberpower; powerkit simulated cyberpower PDU; SNMPv3 user v3sha
127.0.0.5:$SNMPP profile=apc-rpdu2 snmp-version=3 user=v3sha sec-level=authNoPriv auth-proto=SHA  # apc-rpdu2, 8 outlets; sysName sim-apc; powerkit simulated apc PDU; SNMPv3 user v3sha"
run "$P" discover -u nobody -c rack5 --port "$SNMPP" 127.0.0.4-5
expect "-u with -c: a refused user, then the communities" 0 "$PDU5"

# An agent that answers the discovery but refuses the user.
run "$P" discover -u nobody --port "$SNMP3P" 127.0.0.9
expect "an unknown user: no PDU found, exit 5" 5 ""
expect_err "it says none was found" "^pductl: no PDU found in 1 addresses$"
run "$P" discover --all -u nobody --port "$SNMP3P" 127.0.0.9
expect "--all: the agent refusing the user, commented out, with its engine ID and the report" 0 \
	"# 127.0.0.9:$SNMP3P snmp-version=3 user=nobody sec-level=noAuthNoPriv  # SNMPv3 agent (engine ID $E9) refuses user nobody: SNMPv3 report usmStatsUnknownUserNames: the agent has no user nobody (-u)"
run "$P" discover --all -u v3sha -A wrong-secret --port "$SNMP3P" 127.0.0.9
expect "--all: a wrong authentication password is a refusal too (exit 0 with --all)" 0
expect_out "it names the wrong digest" \
	"^# 127\\.0\\.0\\.9:$SNMP3P snmp-version=3 user=v3sha sec-level=authNoPriv auth-proto=SHA  # SNMPv3 agent \\(engine ID $E9\\) refuses user v3sha: SNMPv3 report usmStatsWrongDigests: "
check "the wrong password is not in the output" bash -c '! grep -q wrong-secret <<<"$1"' _ "$OUT"
run "$P" discover -j --all -u v3aes -A v3aes-secret -X wrong-private --port "$SNMP3P" 127.0.0.9
expect "--all -j: a wrong privacy password (silence after the discovery)" 0
expect_json "-j: refused, with the reason that names the privacy password" \
	"d[0]['pdu'] is False and d[0]['engine_id'] == '$E9' and 'wrong privacy password' in d[0]['refused'] and 'private' not in str(d)"

# Without a user: with --all, the engine discovery ends the tries.
run "$P" discover --all --port "$SNMP3P" "$RANGE"
expect "--all without -u: the v3-only agent by its engine ID" 0 \
	"# 127.0.0.9:$SNMP3P snmp-version=3  # SNMPv3 only (engine ID $E9): -u USER and its passwords detect it"
check "--all without -u: the black hole cost one probe timeout ($MS ms)" \
	test "$MS" -ge 900 -a "$MS" -le 2500
run "$P" discover -t 0.5 --port "$SNMP3P" 127.0.0.9
expect "without --all the v3-only agent is left out: exit 5" 5 ""

# Usage errors: nothing sent.
run "$P" discover -S 3 --port "$SNMP3P" 127.0.0.9
expect "discover -S 3 without a user: usage error" 2 ""
expect_err "it asks for -u" 'SNMP v3 needs a user name \(-u USER\)$'
run "$P" discover -A v3sha-secret --port "$SNMP3P" 127.0.0.9
expect "discover -A without -u: usage error" 2 ""
expect_err "it says they are for v3" 'are for SNMP v3 \(-S 3\)$'
run "$P" discover -u v3sha -l authNoPriv --port "$SNMP3P" 127.0.0.9
expect "discover -l authNoPriv without a password: usage error" 2 ""
run "$P" discover -S 2c "$RANGE"
expect "discover -S 2c: usage error (it tries both)" 2 ""

# ---- wattctl discover ------------------------------------------------
W=$PK_BIN/wattctl
unset WATTBOX_USER WATTBOX_PASSWORD
: >"$HOLE_LOG"
run "$W" discover --port "$WBP" "$RANGE"
expect "wattctl discover: the WattBox once, nothing else" 0 \
	"127.0.0.6:$WBP proto=telnet  # WattBox Integration Protocol login prompt; no login attempted"
check "wattctl discover: stderr clean" test -z "$ERR"
check "wattctl discover: the black hole was probed" grep -q "^tcp $WBP$" "$HOLE_LOG"
check "wattctl discover: the black hole cost one probe timeout ($MS ms)" \
	test "$MS" -ge 900 -a "$MS" -le 2500
sleep 0.2  # the simulator logs the session's end
check "the simulator saw the probe leave at the prompt, no byte received" \
	grep -q "gone at the prompt, 0 bytes received" "$PK_TMP/wb/log"
check "no login attempt, nothing written before the prompt" \
	sh -c "! grep -Eq 'login|early-bytes|<' '$PK_TMP/wb/log'"

run "$W" discover -j --port "$WBP" 127.0.0.5-7
expect "wattctl discover -j: exit 0" 0
expect_json "-j: the unit, proto telnet, not locked" \
	"d == [{'target': '127.0.0.6:$WBP', 'proto': 'telnet', 'locked': False}]"

"$W" discover --port "$WBP" "$RANGE" >"$PK_TMP/wb.txt"
run env WATTBOX_PASSWORD=s3cret "$W" --targets "$PK_TMP/wb.txt" ping
expect "wattctl --targets on the discovered file: ping works" 0

: >"$PK_TMP/wbhttp/log"
run "$W" discover --http --port "$WBHP" "$RANGE"
expect "wattctl discover --http: the legacy unit by its 401 realm" 0 \
	"127.0.0.6:$WBHP proto=http  # WattBox, legacy HTTP API; no login attempted"
check "--http: one GET, no credentials" \
	test "$(grep -c 'GET /wattbox_info.xml' "$PK_TMP/wbhttp/log")" = 1
run "$W" discover -t 0.3 --port "$WBHP" 127.0.0.6
expect "telnet probe of an HTTP server: not a WattBox, exit 5" 5 ""
run "$W" discover -t 0.3 --port "$NUTP" 127.0.0.2-3
expect "wattctl discover of NUT servers: not WattBoxes, exit 5" 5 ""
expect_err "it says none was found" "^wattctl: no WattBox found in 2 addresses$"
run "$W" discover 127.0.0.1-0
expect "wattctl discover: a bad range exits 2" 2 ""
run "$W" discover -p x "$RANGE"
expect "wattctl discover with a password: usage error (it never logs in)" 2 ""
run "$W" --http 127.0.0.6:$WBP ping
expect "--http without discover: usage error" 2 ""
