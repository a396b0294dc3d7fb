#!/bin/bash
# t_nutq_login.sh — nutq reads behind a login (-u, -p, --password-file,
# NUT_USER/NUT_PASSWORD) against an ESPHome-like server that refuses
# reads without one and against upsd, and nutq -c @host (the clients of
# every UPS on the server).
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
nut_testbed_start || { not_ok "private upsd started"; exit 1; }
Q=$PK_BIN/nutq
S=127.0.0.1:$NUT_PORT
unset NUT_USER NUT_PASSWORD

nut_hostile loginread
H=127.0.0.1:$HOSTILE_PORT
LISTING=$(printf 'battery.charge: 90\nups.status: OL')

run "$Q" -t 2 min@$H
expect "reads behind a login, no credentials: exit 4, nothing printed" 4 ""
expect_err "no credentials: the server's refusal said" '^nutq: min@127\.0\.0\.1:[0-9]+: .*USERNAME-REQUIRED'
run "$Q" -t 2 -v min@$H
check "no user given: no USERNAME sent" sh -c '! grep -q "^nutq: > USERNAME" "$1"' _ "$PK_TMP/err"

run "$Q" -t 2 -v -u admin -p adminpass min@$H
expect "-u/-p: the listing" 0 "$LISTING"
expect_err "-u: USERNAME sent bare, first" '^nutq: > USERNAME admin$'
check "-p: the password never in the trace" sh -c '! grep -q "adminpass" "$1"' _ "$PK_TMP/err"
check "-u: USERNAME and PASSWORD before LIST VAR" sh -c \
	'grep "^nutq: > " "$1" | head -3 | tr "\n" "|" | grep -Eq "^nutq: > USERNAME admin\|nutq: > PASSWORD .*\|nutq: > LIST VAR min\|$"' _ "$PK_TMP/err"

run "$Q" -t 2 -u admin -p adminpass min@$H ups.status battery.charge
expect "-u/-p: chosen variables" 0 "$(printf 'OL\n90')"

run env NUT_USER=admin NUT_PASSWORD=adminpass "$Q" -t 2 min@$H
expect "NUT_USER/NUT_PASSWORD: the listing" 0 "$LISTING"

printf 'adminpass\n' >"$PK_TMP/pw"
chmod 600 "$PK_TMP/pw"
run "$Q" -t 2 -u admin --password-file "$PK_TMP/pw" min@$H
expect "--password-file (0600): the listing" 0 "$LISTING"
run "$Q" -t 2 -j -u admin --password-file "$PK_TMP/pw" min@$H
expect_json "--password-file: JSON listing" 'd["variables"] == {"battery.charge": 90, "ups.status": "OL"}'

chmod 644 "$PK_TMP/pw"
run "$Q" -t 2 -u admin --password-file "$PK_TMP/pw" min@$H
expect "--password-file readable by others: usage error, exit 2" 2 ""
expect_err "--password-file 0644: says chmod" 'chmod'

run "$Q" -t 2 -u admin -p wrong min@$H
expect "wrong password: exit 4, nothing printed" 4 ""
expect_err "wrong password: login refused" 'login refused: wrong user name or password \(server said ERR ACCESS-DENIED\)'

run "$Q" -t 2 -u admin min@$H
expect "-u and no password, no terminal: usage error, exit 2" 2 ""
expect_err "-u and no password: says where a password comes from" 'a password is needed'

run "$Q" -t 2 -p adminpass min@$H
expect "-p without a user: usage error, exit 2" 2 ""
expect_err "-p without a user: says a user is needed" 'need a user'

run env NUT_PASSWORD=adminpass "$Q" -t 2 min@$H
expect "NUT_PASSWORD alone: no login, the server's refusal (exit 4)" 4 ""

# Several targets: the login first on the connection, once.
run "$Q" -t 2 -v -u admin -p adminpass @$H min@$H
expect "@host and a UPS behind a login: every line prefixed" 0 \
	"$(printf '%s\n' "$LISTING" | sed "s/^/min@$H: /"; printf '%s\n' "$LISTING" | sed "s/^/min@$H: /")"
check "several targets: one login on the connection" sh -c \
	'test "$(grep -c "^nutq: > USERNAME admin$" "$1")" = 1' _ "$PK_TMP/err"
run "$Q" -t 2 -u admin -p wrong @$H min@$H
expect "several targets, wrong password: exit 4, no data" 4 ""
expect_err "several targets, wrong password: each target says login refused" \
	"^nutq: min@127\.0\.0\.1:$HOSTILE_PORT: login refused"
run "$Q" -t 2 -j -u admin -p wrong -g ups.status @$H min@$H
expect_json "several targets, wrong password: JSON errors with status 4" \
	'len(d) == 2 and all(t["error"]["status"] == 4 for t in d)'
run "$Q" -t 2 --check -u admin -p adminpass min@$H
expect_out "--check behind a login reads the UPS" '^NUT (OK|WARNING|CRITICAL)'

# The other modes log in first on their one connection.
run "$Q" -t 2 -c min@$H
expect "-c without a login: exit 4" 4 ""
run "$Q" -t 2 -u admin -p adminpass -c min@$H
expect "-c with a login: LIST CLIENTS read" 0 "$(printf '192.0.2.7\n127.0.0.1')"
run "$Q" -t 2 -u admin -p adminpass -c @$H
expect "-c @host with a login: each line prefixed" 0 \
	"$(printf 'min@%s: 192.0.2.7\nmin@%s: 127.0.0.1' "$H" "$H")"

# upsd: a login changes nothing in what is read.
"$Q" dummy@$S >"$PK_TMP/anon" 2>"$PK_TMP/anon.err"
run "$Q" -u viewer -p viewerpass dummy@$S
expect "upsd: logged in as viewer, the same listing as without" 0 "$(cat "$PK_TMP/anon")"
check "upsd: the anonymous run was clean" test ! -s "$PK_TMP/anon.err"
run "$Q" -u viewer -p viewerpass dummy@$S fake@$S
expect_out "upsd: logged in, several targets read" "^fake@$S: ups.status: "
# (upsd checks a password only at LOGIN or a change: a wrong one does
# not stop reads there.)
run "$Q" -j -u viewer -p viewerpass dummy@$S fake@$S
expect_json "upsd: logged in, JSON array of both" '[x["ups"] for x in d] == ["dummy", "fake"]'

# nutq -c @host on upsd: LIST UPS, then LIST CLIENT of each.
exec 5<>"/dev/tcp/127.0.0.1/$NUT_PORT"
printf 'USERNAME monuser\nPASSWORD monpass\nLOGIN dummy\n' >&5
for _ in 1 2 3; do read -r -t 2 _ <&5; done
want=$(for u in $NUT_TB_UPS; do upsc -c "$u@$S" 2>/dev/null | sed "s/^/$u@$S: /"; done)
run "$Q" -c @$S
expect "-c @host: every UPS's clients, prefixed as upsc -c would list them" 0 "$want"
check "-c @host: a logged-in client listed" test -n "$OUT"
run "$Q" -j -c @$S
expect_json "-c @host -j: an array, one document per UPS" \
	'[x["ups"] for x in d] == "'"$NUT_TB_UPS"'".split() and d[0]["clients"] == ["127.0.0.1"] and all(x["server"] == "'"$S"'" for x in d)'
run "$Q" -c @127.0.0.1:$(pk_free_port)
expect "-c @host, nothing listening: exit 3" 3 ""
run "$Q" -c @$S extra
expect "-c @host with an operand: usage error" 2 ""
exec 5>&-
