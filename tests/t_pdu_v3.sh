#!/bin/bash
# pductl over SNMPv3 against a real snmpd (tests/snmp/agent.sh creates a
# user per level and algorithm net-snmp 5.9 has): every level for get,
# status and set, every authentication and privacy protocol, values
# compared with snmpget -v3 on the same agent, the reports that end a
# run (exit 4 with the reason), passwords from files and the
# environment, and the usage errors that send nothing.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY PDU_AUTH_PASSWORD PDU_PRIV_PASSWORD

pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
cp=127.0.0.1:$CP
name=.1.3.6.1.2.1.1.5.0
state4=.1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.4

# ---- every level: status, get, set --------------------------------------
v1_status=$("$P" "$cp" status)
run "$P" -u v3noauth "$cp" status
expect "noAuthNoPriv: status, the same as over v1" 0 "$v1_status"
expect_out "status reads the outlets" '^outlet.5.name: fw, core$'
check "noAuthNoPriv: nothing on stderr" test -z "$ERR"

run "$P" -S 3 -u v3md5 -l authNoPriv -a MD5 -A v3md5-secret "$cp" get 1-5
expect "authNoPriv (HMAC-MD5-96): get" 0 $'1 on\n2 on\n3 on\n4 on\n5 on'

run "$P" -u v3aes -l authPriv -a SHA -x AES -A v3aes-secret -X v3aes-private "$cp" status
expect "authPriv (SHA, AES-128): status" 0
expect_out "authPriv: the outlets are read" '^outlet.8.name: lab$'

for lvl in "v3noauth" "v3sha -A v3sha-secret" "v3des -x DES -A v3des-secret -X v3des-private"; do
	# shellcheck disable=SC2086
	run "$P" -u $lvl "$cp" off 4
	expect "set: off 4 as ${lvl%% *}" 0 "4 off"
	# shellcheck disable=SC2086
	run "$P" -u $lvl "$cp" on 4
	expect "set: on 4 again as ${lvl%% *}" 0 "4 on"
done
check "the backend got the six SETs" test "$(grep -cF "'set\n'" "$PK_TMP"/agent-cyberpower-*/backend.log)" = 6

# ---- every algorithm, compared with snmpget -v3 ---------------------------
for spec in v3md5:MD5 v3sha:SHA v3sha224:SHA-224 v3sha256:SHA-256 v3sha384:SHA-384 \
	v3sha512:SHA-512; do
	u=${spec%%:*} a=${spec#*:}
	want=$(snmpget -v3 -l authNoPriv -u "$u" -a "$a" -A "$u-secret" -On "$cp" "$name" "$state4" 2>&1)
	run "$P" -u "$u" -a "$a" -A "$u-secret" "$cp" oid get "$name" "$state4"
	expect "authNoPriv $a: oid get as snmpget -v3 prints it" 0 "$want"
done
for spec in v3des:SHA:DES v3aes:SHA:AES v3aes192:SHA:AES-192 v3aes256:MD5:AES-256 \
	v3sha512aes:SHA-512:AES; do
	u=${spec%%:*} rest=${spec#*:}
	a=${rest%%:*} x=${rest#*:}
	want=$(snmpget -v3 -l authPriv -u "$u" -a "$a" -A "$u-secret" -x "$x" -X "$u-private" \
		-On "$cp" "$name" "$state4" 2>&1)
	run "$P" -u "$u" -a "$a" -x "$x" -A "$u-secret" -X "$u-private" "$cp" oid get "$name" "$state4"
	expect "authPriv $a/$x: oid get as snmpget -v3 prints it" 0 "$want"
done
want=$(snmpwalk -v3 -l authPriv -u v3des -a SHA -A v3des-secret -x DES -X v3des-private -On \
	"$cp" .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.2 2>&1)
run "$P" -u v3des -x DES -A v3des-secret -X v3des-private "$cp" oid walk .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.2
expect "authPriv DES: oid walk (GETBULK) as snmpwalk -v3 prints it" 0 "$want"

# ---- passwords from files and the environment ----------------------------
printf 'v3aes-secret\n' >"$PK_TMP/auth.pw"
printf 'v3aes-private\n' >"$PK_TMP/priv.pw"
chmod 600 "$PK_TMP/auth.pw" "$PK_TMP/priv.pw"
run "$P" -u v3aes --auth-password-file "$PK_TMP/auth.pw" --priv-password-file "$PK_TMP/priv.pw" \
	"$cp" get 2
expect "passwords from --auth-password-file and --priv-password-file; the level follows" 0 "2 on"
run env PDU_AUTH_PASSWORD=v3aes-secret PDU_PRIV_PASSWORD=v3aes-private "$P" -u v3aes "$cp" get 2
expect "passwords from PDU_AUTH_PASSWORD and PDU_PRIV_PASSWORD" 0 "2 on"

# ---- reports: exit 4 with the reason --------------------------------------
run "$P" -u v3sha -A wrong-secret "$cp" get 2
expect "a wrong authentication password is exit 4" 4 ""
expect_err "it says usmStatsWrongDigests and where the password comes from" \
	'^pductl: 127\.0\.0\.1:[0-9]+: SNMPv3 report usmStatsWrongDigests: wrong digest: the authentication password \(-A, --auth-password-file, PDU_AUTH_PASSWORD\) or protocol \(-a SHA\) is not the agent.s$'
run "$P" -u v3sha -a MD5 -A v3sha-secret "$cp" get 2
expect "a wrong authentication protocol is exit 4" 4 ""
expect_err "it names the protocol" 'usmStatsWrongDigests.*\(-a MD5\)'
run "$P" -u nobody "$cp" get 2
expect "an unknown user is exit 4" 4 ""
expect_err "it says usmStatsUnknownUserNames and the user" 'usmStatsUnknownUserNames: the agent has no user nobody \(-u\)$'
run "$P" -u v3noauth -l authNoPriv -A v3noauth-secret "$cp" get 2
expect "a level the user does not have is exit 4" 4 ""
expect_err "it says usmStatsUnsupportedSecLevels" 'usmStatsUnsupportedSecLevels'
run "$P" -u v3ro -A v3ro-secret -X v3ro-private "$cp" off 4
expect "a SET by a read-only v3 user is exit 4" 4 ""
expect_err "it names the refusal" 'noAccess'
run "$P" -t 1 -u v3aes -A v3aes-secret -X wrong-private "$cp" get 2
expect "a wrong privacy password gets silence: exit 3" 3 ""
expect_err "the message names the privacy password" 'wrong privacy password \(-X, --priv-password-file, PDU_PRIV_PASSWORD\) or protocol \(-x AES\)'

# ---- the trace: discovery first, no secret ---------------------------------
run "$P" -v -u v3aes -A v3aes-secret -X v3aes-private "$cp" get 2
expect "-v over v3" 0 "2 on"
expect_err "engine discovery comes first" '^pductl: > engine discovery v3 msgID=[0-9]+$'
expect_err "the discovery report teaches the engine ID" '^pductl: \* engine ID of [0-9]+ bytes, boots [0-9]+, time [0-9]+$'
expect_err "requests name the user and level" 'GET v3 user=v3aes authPriv msgID='
check "no password in the trace" bash -c '! grep -q "v3aes-secret\|v3aes-private" <<<"$1"' _ "$ERR"

# ---- usage errors: nothing sent --------------------------------------------
run "$P" -S 3 "$cp" get 2
expect "-S 3 without a user is a usage error" 2 ""
expect_err "it asks for -u" 'SNMP v3 needs a user name \(-u USER\)'
run "$P" -u v3sha -l authNoPriv "$cp" get 2
expect "authNoPriv without a password is a usage error" 2 ""
expect_err "it says where the password comes from" '-l authNoPriv needs an authentication password \(-A, --auth-password-file or PDU_AUTH_PASSWORD\)'
run "$P" -u v3aes -l authPriv -A v3aes-secret "$cp" get 2
expect "authPriv without a privacy password is a usage error" 2 ""
run "$P" -u v3sha -A short "$cp" get 2
expect "a password under 8 characters is a usage error" 2 ""
expect_err "it says why" 'shorter than 8 characters'
run "$P" -u v3sha -a SHA-1024 -A v3sha-secret "$cp" get 2
expect "an unknown -a is a usage error" 2 ""
expect_err "it lists the protocols" '--auth-proto SHA-1024: expected MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512'
run "$P" -u v3aes -x 3DES "$cp" get 2
expect "an unknown -x is a usage error" 2 ""
run "$P" -u v3aes -l paranoid "$cp" get 2
expect "an unknown -l is a usage error" 2 ""
run "$P" -S 2c -u v3sha "$cp" get 2
expect "v3 options with -S 2c are a usage error" 2 ""
expect_err "it says they are for v3" 'are for SNMP v3 \(-S 3\)'
run "$P" -S 4 "$cp" get 2
expect "-S 4 is a usage error" 2 ""
expect_err "it lists 3" 'expected 1, 2c or 3'

# -A and -X are blanked on the command line, as the communities are.
hostile_peer silent SILENT
"$P" -t 3 -u v3sha -A v3sha-blank-me -X v3sha-blank-me-too 127.0.0.1:"$SILENT" get 1 >/dev/null 2>&1 &
pid=$!
sleep 0.3
check "-A and -X do not show in ps" bash -c '! tr "\0" " " </proc/$1/cmdline | grep -q blank-me' _ "$pid"
wait "$pid"
check "silence over v3 is exit 3" test $? = 3

# ---- nettle is loaded only when a key or a MAC is needed -------------------------
run env LD_DEBUG=libs "$P" "$cp" get 1
expect "LD_DEBUG: a v1 get works" 0 "1 on"
check "a v1 get never loads libnettle" bash -c '! grep -q "libnettle" <<<"$1"' _ "$ERR"
run env LD_DEBUG=libs "$P" -u v3noauth "$cp" get 1
expect "LD_DEBUG: a noAuthNoPriv get works" 0 "1 on"
check "noAuthNoPriv has nothing to hash: no libnettle" bash -c '! grep -q "libnettle" <<<"$1"' _ "$ERR"
run env LD_DEBUG=libs "$P" -u v3sha -A v3sha-secret "$cp" get 1
expect "LD_DEBUG: an authNoPriv get works" 0 "1 on"
check "authNoPriv loads libnettle.so.8 (the checks above can fail)" grep -q 'libnettle\.so\.8' <<<"$ERR"
check "pductl links no cryptography" bash -c \
	'! readelf -d "$1" | grep NEEDED | grep -Eq "libnettle|libcrypto|libgnutls"' _ "$P"
# A libnettle.so.8 without nettle's functions, found first: the library
# is named, nothing is sent, exit 3 (as nutq --tls without libssl).
printf 'int powerkit_not_nettle;\n' >"$PK_TMP/fake.c"
mkdir -p "$PK_TMP/fakelib"
if cc -shared -fPIC -o "$PK_TMP/fakelib/libnettle.so.8" "$PK_TMP/fake.c" 2>/dev/null; then
	run env LD_LIBRARY_PATH="$PK_TMP/fakelib" "$P" -u v3sha -A v3sha-secret "$cp" get 1
	expect "a libnettle.so.8 that is not nettle: exit 3, nothing printed" 3 ""
	expect_err "...naming the library and what it lacks" \
		'^pductl: 127\.0\.0\.1:[0-9]*: libnettle\.so\.8 has no nettle_md5$'
	run env LD_LIBRARY_PATH="$PK_TMP/fakelib" "$P" -u v3noauth "$cp" get 1
	expect "...while noAuthNoPriv still works without it" 0 "1 on"
else
	not_ok "cc builds a stand-in libnettle.so.8"
fi
