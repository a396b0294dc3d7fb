#!/bin/bash
# SNMPv3 settings per PDU in a --targets file: two snmpd agents with
# engine IDs of their own (one answers v3 only) read in one run with
# different users, levels and algorithms, each target discovering its
# agent's engine and localising its keys to it; values compared with
# snmpget -v3; a wrong password on one PDU fails that PDU (exit 4, the
# reason) while the other still reads; secrets only in a 0600 file; a
# line's values checked as the options' are, nothing sent on a bad one.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY PDU_AUTH_PASSWORD PDU_PRIV_PASSWORD

AGENT_ENGINE_ID=powerkit-agent-a pdu_agent cyberpower CP ||
	{ not_ok "CyberPower agent starts"; exit 1; }
AGENT_ENGINE_ID=powerkit-agent-b AGENT_V3_ONLY=1 pdu_agent apc APC ||
	{ not_ok "APC agent (SNMPv3 only) starts"; exit 1; }
cp=127.0.0.1:$CP
apc=127.0.0.1:$APC
engine=.1.3.6.1.6.3.10.2.1.1.0
cp_name5=.1.3.6.1.4.1.3808.1.1.3.3.3.1.1.2.5
apc_name8=.1.3.6.1.4.1.318.1.1.26.9.2.3.1.3.8

e1=$(snmpget -v3 -l noAuthNoPriv -u v3noauth -On -Oqv "$cp" "$engine" 2>&1 | tr -d " \n\"")
e2=$(snmpget -v3 -l noAuthNoPriv -u v3noauth -On -Oqv "$apc" "$engine" 2>&1 | tr -d " \n\"")
check "the two agents have engine IDs of their own ($e1 / $e2)" test -n "$e1" -a "$e1" != "$e2"
run snmpget -v2c -c public -t 0.3 -r 0 "$apc" "$engine"
check "the APC agent answers no community" test "$RC" != 0

# The prefixed lines a fleet run prints for one PDU alone.
prefixed() {  # prefixed TARGET OUTPUT
	printf '%s\n' "$2" | sed "s|^|$1: |"
}

# ---- two PDUs, two users, levels and algorithms, one run ------------------
T=$PK_TMP/v3.targets
cat >"$T" <<EOF
# two agents, SNMPv3 only
$cp snmp-version=3 user=v3sha256 level=authNoPriv auth-proto=SHA-256 auth-password=v3sha256-secret
$apc user=v3aes256 sec-level=authPriv auth-proto=MD5 auth-password=v3aes256-secret priv-proto=AES-256 priv-password=v3aes256-private context=
EOF
chmod 600 "$T"
one_cp=$("$P" -u v3sha256 -a SHA-256 -A v3sha256-secret "$cp" get 1-8)
one_apc=$("$P" -u v3aes256 -a MD5 -x AES-256 -A v3aes256-secret -X v3aes256-private "$apc" get 1-8)
run "$P" -v --targets "$T" get 1-8
expect "two v3 PDUs, each with its own user, level and algorithms, in one run" 1 \
	"$(prefixed "$cp" "$one_cp")
$(prefixed "$apc" "$one_apc")"
check "each PDU as it reads alone (outlet 6 is off: exit 1 as for get)" \
	grep -q '^6 off$' <<<"$one_apc"
check "each target discovered its own engine" \
	test "$(grep -c '^pductl: \* engine ID of ' <<<"$ERR")" = 2
expect_err "the first PDU's requests as its user at its level" 'GET v3 user=v3sha256 authNoPriv'
expect_err "the second PDU's as its own" 'GET v3 user=v3aes256 authPriv'
check "no password in the trace" bash -c '! grep -q "secret\|private" <<<"$1"' _ "$ERR"

run "$P" --targets "$T" status
expect "status of both" 0
want=$(snmpget -v3 -l authNoPriv -u v3sha256 -a SHA-256 -A v3sha256-secret -Oqv "$cp" "$cp_name5")
expect_out "the first PDU's outlet 5 name as snmpget -v3 reads it ($want)" \
	"^$cp: outlet\\.5\\.name: ${want//\"/}\$"
want=$(snmpget -v3 -l authPriv -u v3aes256 -a MD5 -A v3aes256-secret -x AES-256 \
	-X v3aes256-private -Oqv "$apc" "$apc_name8")
expect_out "the second PDU's outlet 8 name as snmpget -v3 reads it ($want)" \
	"^$apc: outlet\\.8\\.name: ${want//\"/}\$"

# The same user on both agents, from the options: one set of keys from
# the passwords, localised to each engine (a key localised to the
# first engine would fail on the second with a wrong digest).
printf '%s\n%s\n' "$cp" "$apc" >"$PK_TMP/plain.targets"
run "$P" -u v3aes -A v3aes-secret -X v3aes-private --targets "$PK_TMP/plain.targets" get 1
expect "one user from the options on both agents: keys localised per engine" 0 \
	"$cp: 1 on
$apc: 1 on"

# A line's settings over the options' and the environment's.
cat >"$T" <<EOF
$cp
$apc user=v3md5 auth-proto=MD5 auth-password=v3md5-secret
EOF
run env PDU_AUTH_PASSWORD=v3sha-secret "$P" -u v3sha --targets "$T" get 2
expect "a line's user and password over -u and PDU_AUTH_PASSWORD" 0 "$cp: 2 on
$apc: 2 on"

# v1 and v3 in one file; v3 options on the command line serve the v3 line.
cat >"$T" <<EOF
$cp snmp-version=1
$apc snmp-version=3 user=v3sha
EOF
run "$P" -A v3sha-secret --targets "$T" get 3
expect "a v1 PDU and a v3 one in one run; -A without -S 3 serves the v3 line" 0 \
	"$cp: 3 on
$apc: 3 on"

# ---- a wrong password on one PDU -----------------------------------------
cat >"$T" <<EOF
$cp user=v3sha auth-password=wrong-secret
$apc user=v3sha auth-password=v3sha-secret
EOF
run "$P" --targets "$T" get 1
expect "a wrong password on one PDU: exit 4, the other still reads" 4 "$apc: 1 on"
expect_err "the reason, for that PDU" \
	"^pductl: $cp: SNMPv3 report usmStatsWrongDigests: wrong digest: the authentication password"
check "the other PDU has no error" bash -c '! grep -q "$1" <<<"$2"' _ "$apc" "$ERR"
run "$P" --targets "$T" -j get 1
expect "-j: exit 4 too" 4
expect_json "-j: the error in the first PDU's document, the outlets in the second's" \
	"d[0]['error']['status'] == 4 and 'usmStatsWrongDigests' in d[0]['error']['message'] and d[1]['target'] == '$apc'"

# ---- secrets only in a private file ----------------------------------------
chmod 644 "$T"
run "$P" --targets "$T" get 1
expect "a 0644 file with auth-password= is refused, nothing read" 2 ""
expect_err "the message says which chmod" \
	"^pductl: targets file $T holds a secret \\(line 1\\) but its mode is 0644: run 'chmod 600 $T' first$"
printf '%s priv-password=v3aes-private user=v3aes\n' "$apc" >"$T"
chmod 640 "$T"
run "$P" -A v3aes-secret --targets "$T" get 1
expect "priv-password= in a 0640 file is refused too" 2 ""
expect_err "it names the line" "holds a secret \\(line 1\\)"
chmod 600 "$T"
run "$P" -A v3aes-secret --targets "$T" get 1
expect "the same file at 0600: read (one PDU prints as alone)" 0 "1 on"
printf '%s user=v3sha auth-proto=SHA context=\n' "$apc" >"$T"
chmod 644 "$T"
run env PDU_AUTH_PASSWORD=v3sha-secret "$P" --targets "$T" get 1
expect "a file with user= and protocols but no secret needs no chmod" 0 "1 on"

# ---- a line's values checked as the options' (exit 2, nothing sent) -------
SILENT=$(pk_free_port udp)
HOLE_LOG=$PK_TMP/hole.log
: >"$HOLE_LOG"
pk_start_listener hole python3 "$PK_TESTS/peers/blackhole.py" 127.0.0.1 "$HOLE_LOG" "$SILENT" ||
	not_ok "a black hole to count datagrams"
bad() {  # bad DESC SETTINGS STDERR-REGEX: a line with SETTINGS is a usage error
	printf '127.0.0.1:%s %s\n' "$SILENT" "$2" >"$T"
	chmod 600 "$T"
	run "$P" --targets "$T" get 1
	expect "$1: exit 2" 2 ""
	expect_err "$1: the message" "$3"
}
bad "level=paranoid" "user=v3sha level=paranoid" \
	"^pductl: 127\\.0\\.0\\.1:$SILENT: $T:1: --sec-level paranoid: expected noAuthNoPriv, authNoPriv or authPriv$"
bad "auth-proto=SHA-1024" "user=v3sha auth-proto=SHA-1024" \
	"$T:1: --auth-proto SHA-1024: expected MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512$"
bad "priv-proto=3DES" "user=v3sha priv-proto=3DES" "$T:1: --priv-proto 3DES: expected DES"
bad "a short auth-password" "user=v3sha auth-password=short" \
	"$T:1: the SNMPv3 authentication password is shorter than 8 characters"
bad "authPriv without a privacy password" "user=v3aes level=authPriv auth-password=v3aes-secret" \
	"$T:1: -l authPriv needs a privacy password"
bad "snmp-version=3 without a user" "snmp-version=3" \
	"^pductl: 127\\.0\\.0\\.1:$SILENT: $T:1: SNMP v3 needs a user name \\(-u USER\\)$"
bad "v3 settings with snmp-version=2c" "snmp-version=2c user=v3sha" \
	"$T:1: user=, sec-level=, auth-proto=, auth-password=, priv-proto=, priv-password= and context= are for snmp-version=3$"
bad "snmp-version=4" "snmp-version=4" "$T:1: snmp-version=4: expected 1, 2c or 3$"
bad "a user name over 32 characters" "user=$(printf 'u%.0s' $(seq 33))" \
	"$T:1: SNMPv3 user and context names have at most 32 characters"
bad "a setting the options do not have" "auth-password-file=/etc/passwd" \
	"$T:1: unknown setting 'auth-password-file'"
check "no datagram was sent for any of them" test ! -s "$HOLE_LOG"
run "$P" -S 2c -u v3sha --targets "$PK_TMP/plain.targets" get 1
expect "v3 options with -S 2c and no v3 line: still a usage error" 2 ""
expect_err "it says they are for v3" 'are for SNMP v3 \(-S 3\)$'
