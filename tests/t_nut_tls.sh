#!/bin/bash
# t_nut_tls.sh — NUT over TLS (issue 11): --tls, --tls=try, --cafile and
# --insecure-tls of nutq, nutset and nutcmd against the private upsd with
# a certificate from a throwaway CA (NSS database, CERTPATH/CERTIDENT),
# and against scripted servers without TLS; the plain path never loads
# libssl.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
NUT_TB_TLS=1 nut_testbed_start || { not_ok "private upsd with a certificate started"; exit 1; }
Q=$PK_BIN/nutq
SET=$PK_BIN/nutset
CMD=$PK_BIN/nutcmd
S=127.0.0.1:$NUT_PORT
CA=$NUT_DIR/tls/ca.pem
OTHER_CA=$NUT_DIR/tls/other-ca.pem
PEERS=$PK_TESTS/peers
unset NUT_USER NUT_PASSWORD

# peer_start ARG: a NUT server without TLS (tests/peers/nut_notls.py);
# sets PEER_PORT and PEER_LOG (every line it received).
peer_start() {
	PEER_LOG=$PK_TMP/peer-notls-$1.log
	pk_start_listener "notls-$1" python3 "$PEERS/fakepeer.py" "$PEERS/nut_notls.py" "$PEER_LOG" "$1"
	PEER_PORT=$LISTEN_PORT
	[ -n "$PEER_PORT" ]
}

# --- a verified certificate ----------------------------------------------
run "$Q" dummy@$S ups.status battery.charge
PLAIN_VALUES=$OUT
run "$Q" --tls --cafile "$CA" dummy@$S ups.status battery.charge
expect "--tls --cafile: the values, as without TLS" 0 "$PLAIN_VALUES"
check "--tls --cafile: nothing on stderr" test -z "$ERR"

run "$Q" dummy@$S
PLAIN_LISTING=$OUT
run "$Q" --tls --cafile "$CA" dummy@$S
expect "--tls: the full listing byte for byte as in clear" 0 "$PLAIN_LISTING"

run "$Q" -v --tls --cafile "$CA" dummy@$S ups.status
expect "-v --tls: the value" 0 "$(printf '%s' "$PLAIN_VALUES" | head -n1)"
check "-v: STARTTLS is the first request, OK STARTTLS its reply" bash -c \
	'grep -E "^nutq: [<>] " <<<"$1" | head -2 | tr "\n" "|" | grep -qx "nutq: > STARTTLS|nutq: < OK STARTTLS|"' _ "$ERR"
expect_err "-v: the TLS version and cipher traced" '^nutq: \* TLS: TLSv1\.[23] '

run "$Q" -g ups.status dummy@$S cycle@$S @$S
PLAIN_MANY=$OUT
run "$Q" --tls --cafile "$CA" -g ups.status dummy@$S cycle@$S @$S
expect "--tls: many targets and @host over one TLS connection, as in clear" 0 "$PLAIN_MANY"
run "$Q" -v --tls --cafile "$CA" -g ups.status dummy@$S cycle@$S
check "--tls, many targets: one STARTTLS, first on the connection" bash -c \
	'test "$(grep -c "^nutq: > STARTTLS$" <<<"$1")" = 1 && grep "^nutq: > " <<<"$1" | head -1 | grep -qx "nutq: > STARTTLS"' _ "$ERR"

run "$Q" -l $S
PLAIN_NAMES=$OUT
run "$Q" --tls --cafile "$CA" -l $S
expect "--tls -l: the UPS names, as in clear" 0 "$PLAIN_NAMES"
run "$Q" --tls --cafile "$CA" --check dummy@$S
expect_out "--tls --check: a NUT status line" '^NUT (OK|WARNING|CRITICAL) - '

# --- certificates that must be refused --------------------------------------
run "$Q" --tls --cafile "$OTHER_CA" dummy@$S ups.status
expect "untrusted certificate (another CA): exit 3, nothing on stdout" 3 ""
expect_err "untrusted certificate: the reason" "^nutq: dummy@127\.0\.0\.1:$NUT_PORT: TLS handshake with 127\.0\.0\.1 port $NUT_PORT failed: certificate not accepted: "
run "$Q" --tls dummy@$S ups.status
expect "untrusted certificate (not in the system's store): exit 3" 3 ""
expect_err "system store: certificate not accepted" 'certificate not accepted'
run "$Q" --tls --cafile "$OTHER_CA" -g ups.status dummy@$S cycle@$S
expect "untrusted certificate, many targets: exit 3, nothing on stdout" 3 ""
check "untrusted certificate, many targets: each target says why" bash -c \
	'test "$(grep -c "certificate not accepted" <<<"$1")" = 2' _ "$ERR"

run "$Q" --tls --cafile "$CA" dummy@localhost:$NUT_PORT ups.status
expect "certificate for 127.0.0.1 asked as localhost: exit 3" 3 ""
expect_err "wrong host name: hostname mismatch" 'certificate not accepted: hostname mismatch'

# --- --insecure-tls ------------------------------------------------------------
run "$Q" --tls --insecure-tls dummy@localhost:$NUT_PORT ups.status
expect "--insecure-tls: works whatever the name" 0 "$(printf '%s' "$PLAIN_VALUES" | head -n1)"
expect_err "--insecure-tls: says the certificate is not checked" \
	"^nutq: --insecure-tls: the server's certificate is not checked"
check "--insecure-tls: said once" test "$(grep -c insecure-tls <<<"$ERR")" = 1
run "$Q" -q --tls --insecure-tls dummy@$S ups.status
expect "--insecure-tls -q: the value" 0 "$(printf '%s' "$PLAIN_VALUES" | head -n1)"
check "--insecure-tls -q: nothing on stderr" test -z "$ERR"

# --- nutset and nutcmd log in over TLS ------------------------------------------
handshakes() { grep -c 'SSL handshake done successfully' "$NUT_DIR/log/upsd.log"; }
before=$(handshakes)
run "$SET" -v --tls --cafile "$CA" -u admin -p adminpass dummy@$S ups.id=tls-set
expect "nutset --tls: the change went through" 0 "ups.id: SUCCESS"
check "nutset --tls: STARTTLS and the handshake before USERNAME and PASSWORD" bash -c \
	'grep -E "^nutset: (> |\* TLS:)" <<<"$1" | head -4 | tr "\n" "|" | grep -Eq "^nutset: > STARTTLS\|nutset: \* TLS: [^|]*\|nutset: > USERNAME admin\|nutset: > PASSWORD \*+\|$"' _ "$ERR"
check "nutset --tls: upsd saw a TLS handshake" test "$(handshakes)" -gt "$before"
run "$Q" dummy@$S ups.id
expect "nutset --tls: the value was set" 0 "tls-set"

before=$(handshakes)
run env NUT_USER=admin NUT_PASSWORD=adminpass "$CMD" -v --tls --cafile "$CA" fake@$S beeper.toggle
expect "nutcmd --tls: the command went through" 0 "beeper.toggle: SUCCESS"
check "nutcmd --tls: STARTTLS before USERNAME" bash -c \
	'grep "^nutcmd: > " <<<"$1" | head -2 | tr "\n" "|" | grep -qx "nutcmd: > STARTTLS|nutcmd: > USERNAME admin|"' _ "$ERR"
check "nutcmd --tls: upsd saw a TLS handshake" test "$(handshakes)" -gt "$before"
run "$CMD" --tls --cafile "$CA" -l dummy@$S
expect "nutcmd --tls -l: the commands" 0
expect_out "nutcmd --tls -l: lists commands" '^Instant commands supported on UPS \[dummy\]'

# --- servers without TLS -------------------------------------------------------
peer_start refuse || not_ok "fake server without TLS started"
P=127.0.0.1:$PEER_PORT
run "$Q" --tls ups@$P
expect "--tls, the server refuses STARTTLS: exit 3, nothing on stdout" 3 ""
expect_err "--tls refused: the reason" "^nutq: ups@$P: TLS required, but $P refused STARTTLS: feature not configured on the server \(server said ERR FEATURE-NOT-CONFIGURED\)$"
check "--tls refused: nothing but STARTTLS sent (and LOGOUT)" bash -c \
	'test "$(grep -Ev "^(<closed>|LOGOUT)$" "$1")" = STARTTLS' _ "$PEER_LOG"

: >"$PEER_LOG"
run "$SET" --tls -u admin -p s3cret-pw ups@$P ups.id=x
expect "nutset --tls, the server refuses STARTTLS: exit 3" 3 ""
expect_err "nutset --tls refused: the reason" 'TLS required, but .* refused STARTTLS'
check "nutset --tls refused: no USERNAME, no PASSWORD sent in clear" bash -c \
	'! grep -Eq "^(USERNAME|PASSWORD)|s3cret-pw" "$1"' _ "$PEER_LOG"
: >"$PEER_LOG"
run env NUT_USER=admin NUT_PASSWORD=s3cret-pw "$CMD" --tls ups@$P beeper.toggle
expect "nutcmd --tls, the server refuses STARTTLS: exit 3" 3 ""
check "nutcmd --tls refused: no PASSWORD sent in clear" bash -c \
	'! grep -Eq "^(USERNAME|PASSWORD)|s3cret-pw" "$1"' _ "$PEER_LOG"

run "$Q" --tls=try ups@$P
expect "--tls=try, the server refuses STARTTLS: the listing in clear" 0 \
	"$(printf 'battery.charge: 90\nups.status: OL')"
expect_err "--tls=try: a note says it goes on in clear" \
	"^nutq: (ups@)?$P: no TLS: the server refused STARTTLS: feature not configured on the server \(server said ERR FEATURE-NOT-CONFIGURED\); going on in clear$"
run "$Q" --tls=try ups@$P ups.status
expect "--tls=try: GET VAR in clear" 0 "OL"
run "$Q" -q --tls=try ups@$P ups.status
check "--tls=try -q: no note" test -z "$ERR"
run "$Q" --tls=try --cafile "$CA" -g ups.status ups@$P dummy@$S
expect "--tls=try, many targets: TLS where offered, clear where not" 0 \
	"$(printf 'ups@%s: OL\ndummy@%s: %s' "$P" "$S" "$(printf '%s' "$PLAIN_VALUES" | head -n1)")"
expect_err "--tls=try, many targets: the note names the server" "^nutq: $P: no TLS: the server refused STARTTLS"
run "$Q" --tls --cafile "$CA" -g ups.status ups@$P dummy@$S
expect "--tls, many targets, one without TLS: exit 3, the other answers" 3 \
	"dummy@$S: $(printf '%s' "$PLAIN_VALUES" | head -n1)"
expect_err "--tls, many targets: the server without TLS said" "^nutq: ups@$P: TLS required"

peer_start inject || not_ok "fake server that injects a line started"
run "$Q" --tls --insecure-tls ups@127.0.0.1:$PEER_PORT ups.status
expect "bytes in clear after OK STARTTLS: exit 3, nothing on stdout" 3 ""
expect_err "injection: refused, said why" 'sent [0-9]+ bytes in clear before the TLS handshake'

peer_start silent || not_ok "fake server that never answers the handshake started"
run "$Q" -t 1 --tls ups@127.0.0.1:$PEER_PORT ups.status
expect "handshake never answered: exit 3" 3 ""
expect_fast "handshake never answered: within -t + 1 s" 2000
expect_err "handshake never answered: timed out in the handshake" 'timed out in the TLS handshake with 127\.0\.0\.1'
run "$Q" -t 1 --tls -g ups.status ups@127.0.0.1:$PEER_PORT dummy@$S
expect "handshake never answered, many targets: exit 3" 3
expect_fast "handshake never answered, many targets: within -t + 1 s" 2000

# --- bad options: usage errors, nothing sent ------------------------------------
run "$Q" --tls=yes dummy@$S
expect "--tls=yes: usage error, exit 2, nothing on stdout" 2 ""
expect_err "--tls=yes: says what it takes" "^nutq: --tls=yes: the only value --tls takes is 'try'"
run "$Q" --cafile "$CA" dummy@$S
expect "--cafile without --tls: exit 2" 2 ""
expect_err "--cafile without --tls: says so" '^nutq: --cafile needs --tls or --tls=try$'
run "$SET" --insecure-tls dummy@$S ups.id=x
expect "nutset --insecure-tls without --tls: exit 2" 2 ""
run "$Q" --tls --cafile "$PK_TMP/no-such.pem" dummy@$S
expect "--cafile missing file: exit 2" 2 ""
expect_err "--cafile missing file: names it" 'no-such\.pem: No such file or directory'
run "$CMD" --tls --cafile "$CA" --insecure-tls dummy@$S beeper.toggle
expect "--cafile with --insecure-tls: exit 2" 2 ""
expect_err "--cafile with --insecure-tls: says they exclude each other" 'exclude each other'
printf 'not a certificate\n' >"$PK_TMP/bad.pem"
run "$Q" --tls --cafile "$PK_TMP/bad.pem" dummy@$S ups.status
expect "--cafile with no certificate in it: exit 3" 3 ""
expect_err "--cafile with no certificate: says it" "cannot load CA certificates from $PK_TMP/bad\.pem"

# --- the plain path does not load libssl ------------------------------------------
run env LD_DEBUG=libs "$Q" dummy@$S ups.status
expect "LD_DEBUG: the plain query works" 0 "$(printf '%s' "$PLAIN_VALUES" | head -n1)"
check "a plain query never loads libssl" bash -c '! grep -q "libssl\.so" <<<"$1"' _ "$ERR"
run env LD_DEBUG=libs "$Q" --tls --cafile "$CA" dummy@$S ups.status
check "--tls loads libssl.so.3 (the check above can fail)" grep -q 'libssl\.so\.3' <<<"$ERR"
for bin in "$Q" "$SET" "$CMD"; do
	check "$(basename "$bin") links no TLS library" bash -c \
		'! readelf -d "$1" | grep NEEDED | grep -Eq "libssl|libcrypto|libnss|libgnutls"' _ "$bin"
done


