#!/bin/bash
# pductl and the SNMPv3 reports snmpd cannot be made to send on demand
# (tests/snmp/v3fake.py, a strict USM agent): an authenticated
# usmStatsNotInTimeWindows report resynchronises boots and time once and
# the request is sent again; a second one in a row ends the run, as does
# usmStatsDecryptionErrors (exit 4 with the reason).
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
OID=.1.3.6.1.2.1.1.2.0
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY PDU_AUTH_PASSWORD PDU_PRIV_PASSWORD

# v3_fake MODE VAR: starts v3fake.py MODE for the user v3sha; VAR gets the port.
v3_fake() {
	udp_fake v3fake.py "$1" "$2" v3sha v3sha-secret
}
# The fake's log of what it did with each request.
fake_log() {
	cat "$PK_TMP/fake.v3fake.$1.$2"
}

# ---- usmStatsNotInTimeWindows once: resynchronised, sent again ------------
v3_fake notintime-once port
run "$P" -t 2 -S 3 -l authNoPriv -u v3sha -a SHA -A v3sha-secret "127.0.0.1:$port" oid get "$OID"
expect "NotInTimeWindows once: the GET succeeds after the resynchronisation" 0 \
	"$OID = OID: .1.3.6.1.4.1.3808.1.1.3"
check "NotInTimeWindows once: nothing on stderr" test -z "$ERR"
check "the fake saw discovery, report, response" \
	test "$(fake_log notintime-once "$port" | tr '\n' ' ')" = \
	"ready discovery report usmStatsNotInTimeWindows response "

v3_fake notintime-once port
run "$P" -v -t 2 -S 3 -l authNoPriv -u v3sha -a SHA -A v3sha-secret "127.0.0.1:$port" oid get "$OID"
expect "-v: the same answer" 0 "$OID = OID: .1.3.6.1.4.1.3808.1.1.3"
check "-v: the trace shows the resynchronisation once, with the report's boots" \
	test "$(grep -c 'resynchronised: boots 6, time 4[2-4]$' <<<"$ERR")" = 1
expect_err "-v: the trace shows the authenticated report" \
	'REPORT usmStatsNotInTimeWindows \(authenticated\)'

# ---- usmStatsNotInTimeWindows twice in a row: exit 4 -----------------------
v3_fake notintime-always port
run "$P" -t 2 -S 3 -l authNoPriv -u v3sha -a SHA -A v3sha-secret "127.0.0.1:$port" oid get "$OID"
expect "NotInTimeWindows twice: exit 4, nothing on stdout" 4 ""
expect_err "NotInTimeWindows twice: the reason" \
	"^pductl: 127\.0\.0\.1:$port: SNMPv3 report usmStatsNotInTimeWindows: the request was outside the agent's time window$"
check "NotInTimeWindows twice: one line on stderr" test "$(wc -l <<<"$ERR")" = 1
expect_fast "NotInTimeWindows twice: done within -t + 1 s" 3000
check "the request was resent once, not more" \
	test "$(fake_log notintime-always "$port" | grep -c usmStatsNotInTimeWindows)" = 2

# ---- usmStatsDecryptionErrors: exit 4 --------------------------------------
v3_fake decrypt-error port
run "$P" -t 2 -S 3 -l authNoPriv -u v3sha -a SHA -A v3sha-secret "127.0.0.1:$port" oid get "$OID"
expect "decrypt-error fake, authNoPriv: answered (sanity)" 0 "$OID = OID: .1.3.6.1.4.1.3808.1.1.3"
run "$P" -t 2 -S 3 -l authPriv -u v3sha -a SHA -x AES -A v3sha-secret -X v3sha-private \
	"127.0.0.1:$port" oid get "$OID"
expect "DecryptionErrors: exit 4, nothing on stdout" 4 ""
expect_err "DecryptionErrors: the reason names the privacy password and protocol" \
	"^pductl: 127\.0\.0\.1:$port: SNMPv3 report usmStatsDecryptionErrors: the agent cannot decrypt the request: the privacy password \(-X, --priv-password-file, PDU_PRIV_PASSWORD\) or protocol \(-x AES\) is not the agent's$"
check "DecryptionErrors: one line on stderr" test "$(wc -l <<<"$ERR")" = 1
expect_fast "DecryptionErrors: done within -t + 1 s" 3000

# ---- the fake is strict: a wrong digest gets silence -----------------------
v3_fake notintime-once port
run "$P" -t 1 -S 3 -l authNoPriv -u v3sha -a SHA -A wrong-secret "127.0.0.1:$port" oid get "$OID"
expect "a wrong key: the fake drops the request, exit 3" 3 ""
check "the fake sent no report to a request it could not verify" \
	test "$(fake_log notintime-once "$port" | grep -c report)" = 0
