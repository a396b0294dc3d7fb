#!/bin/bash
# pductl against hostile or broken SNMP peers (tests/snmp/hostile.py):
# every case ends with its documented exit code within --timeout + 1 s.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
OID=.1.3.6.1.2.1.1.2.0

# case MODE RC STDERR_REGEX [pductl args...]
case_() {
	local mode=$1 rc=$2 re=$3 port
	shift 3
	hostile_peer "$mode" port
	run "$P" -t 1 -S 2c "$@" "127.0.0.1:$port" oid get "$OID"
	expect "$mode: exit $rc" "$rc"
	expect_err "$mode: message" "$re"
	expect_fast "$mode: done within --timeout + 1 s" 2000
}

hostile_peer ok port
run "$P" -t 1 -S 2c "127.0.0.1:$port" oid get "$OID"
expect "the responder's correct reply is accepted (sanity)" 0 "$OID = INTEGER: 7"

case_ wrong-id 3 "no matching SNMP reply \(2 replies with a wrong request-id"
case_ wrong-type 3 "no matching SNMP reply"
case_ truncated 3 "malformed SNMP reply"
case_ overlong 3 "malformed SNMP reply \(bad varbind value length\)"
case_ indefinite 3 "malformed SNMP reply"
case_ error-5 1 "GET failed: genErr \(5\) at \.1\.3\.6\.1\.2\.1\.1\.2\.0"
case_ error-16 4 "authorizationError \(16\)"
case_ error-6 4 "noAccess \(6\)"
case_ stranger 3 "no SNMP reply"

# Without -S raw access tries v2c first: an agent answering it with an
# error-status did answer, so the GET is not sent again (as if unanswered).
hostile_peer error-5 port
run "$P" -v -t 1 "127.0.0.1:$port" oid get "$OID"
expect "error-5 without -S: exit 1" 1
expect_err "error-5 without -S: the error" "GET failed: genErr \(5\)"
check "error-5 without -S: one GET over v2c, not sent again" \
	test "$(grep -cE '^pductl: > GET v2c ' <<<"$ERR")" = 1
check "error-5 without -S: nothing over v1" bash -c '! grep -q "^pductl: > GET v1 " <<<"$1"' _ "$ERR"
case_ silent 3 "wrong community looks exactly like this"
case_ silent 3 "no SNMP reply" -r 3

for v in 1 2c; do
	hostile_peer ok port
	run "$P" -t 1 -S "$v" "127.0.0.1:$port" oid walk .1.3.6.1.2.1.1
	expect "walk v$v: an agent answering a non-increasing OID: exit 3" 3
	expect_err "walk v$v: says so" "non-increasing OID"
	expect_fast "walk v$v: no loop" 2000
done

# tooBig splits the request; at most 10 varbinds go in one request.
many=$(for i in $(seq 13); do printf '.1.3.6.1.2.1.1.%d.0 ' "$i"; done)
want=$(for i in $(seq 13); do printf '.1.3.6.1.2.1.1.%d.0 = INTEGER: 7\n' "$i"; done)
hostile_peer toobig port
run "$P" -t 1 -S 2c "127.0.0.1:$port" oid get $many
expect "tooBig: the GET is split until it fits" 0 "$want"
hostile_peer max10 port
run "$P" -t 1 -S 2c "127.0.0.1:$port" oid get $many
expect "13 OIDs go out in requests of at most 10 varbinds" 0 "$want"

# Retransmission: the silent peer must see the same request-id each try.
cat >"$PK_TMP/retry.py" <<'PY'
import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
p = subprocess.Popen([sys.argv[1], "-t", "1", "-r", "2", "-S", "2c",
                      "127.0.0.1:%d" % s.getsockname()[1], "oid", "get", ".1.3.6.1.2.1.1.2.0"],
                     stderr=subprocess.DEVNULL)
s.settimeout(2)
ids = []
try:
    while len(ids) < 3:
        data, _ = s.recvfrom(65535)
        ids.append(data[16:22].hex())   # request-id bytes after "public" and the PDU header
except socket.timeout:
    pass
p.wait()
print(len(ids), len(set(ids)), p.returncode)
PY
run timeout 5 python3 "$PK_TMP/retry.py" "$P"
expect "-r 2: three tries with one request-id, then exit 3" 0 "3 1 3"

# A SET goes out once unless -r is given (a state change is never repeated
# behind the user's back).
cat >"$PK_TMP/sets.py" <<'PY'
import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(1.5)
port = s.getsockname()[1]
for extra in ([], ["-r", "2"]):
    p = subprocess.Popen([sys.argv[1], "-t", "1", "-S", "1"] + extra +
                         ["127.0.0.1:%d" % port, "oid", "set", ".1.3.6.1.4.1.3808.1", "i", "1"],
                         stderr=subprocess.DEVNULL)
    n = 0
    try:
        while True:
            s.recvfrom(65535)
            n += 1
    except socket.timeout:
        pass
    p.wait()
    print(n, p.returncode)
PY
run timeout 8 python3 "$PK_TMP/sets.py" "$P"
expect "a SET is sent once by default, three times with -r 2" 0 $'1 3\n3 3'

# Hostile peers during a whole command, not only raw GETs.
hostile_peer truncated port
run "$P" -t 1 "127.0.0.1:$port" status
expect "status against a truncating peer: exit 3" 3
hostile_peer error-5 port
run "$P" -t 1 -P cyberpower-epdu "127.0.0.1:$port" off 1
expect "off against a genErr-only peer: exit 1 (SET error re-checked, not taken)" 1
expect_fast "and fast" 2000
