#!/bin/bash
# t_nut_watch_login.sh — nutq --watch --login against the suite's upsd
# (tests/nut/testbed.sh: monuser is an upsmon secondary, admin a
# primary with FSD, viewer has no rights): upsd counts the watcher in
# GET NUMLOGINS of each UPS; an FSD set on one UPS makes the watcher
# print it, run --exec, log out of that UPS at once and say so, while
# it keeps watching the UPSes without LOGIN; the server restarted: the
# watcher logs in again; bad credentials end the watch (exit 4) without
# a retry; usage errors.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
Q=$PK_BIN/nutq
unset NUT_USER NUT_PASSWORD
nut_testbed_start || { not_ok "private upsd started"; exit 1; }
H=127.0.0.1:$NUT_PORT
PF=$PK_TMP/monpass
printf 'monpass\n' >"$PF"
chmod 600 "$PF"

# numlogins UPS: upsd's GET NUMLOGINS for UPS, asked over a raw socket.
numlogins() {
	(exec 3<>"/dev/tcp/127.0.0.1/$NUT_PORT" &&
		printf 'GET NUMLOGINS %s\nLOGOUT\n' "$1" >&3 &&
		timeout 2 head -n1 <&3) 2>/dev/null | awk '$1 == "NUMLOGINS" {print $3}'
}

# until_logins UPS N SECONDS: waits until NUMLOGINS of UPS is N.
until_logins() {
	local end=$((SECONDS + $3))
	until [ "$(numlogins "$1")" = "$2" ]; do
		((SECONDS > end)) && return 1
		sleep 0.1
	done
}

# until_grep REGEX FILE SECONDS: waits until FILE has a line matching REGEX.
until_grep() {
	local end=$((SECONDS + $3))
	until grep -Eq -- "$1" "$2" 2>/dev/null; do
		((SECONDS > end)) && return 1
		sleep 0.1
	done
}

# --- the watcher counted, then FSD: LOGOUT at once --------------------------
check "before the watch, nobody is logged in to dummy" test "$(numlogins dummy)" = 0
cd "$PK_TMP" || exit 1
"$Q" --watch=0.2 --login -u monuser --password-file "$PF" \
	--exec 'printf "%s %s\n" "$POWERKIT_EVENT" "$POWERKIT_TARGET" >>exec.log' \
	"dummy@$H" "fake@$H" >"$PK_TMP/w.out" 2>"$PK_TMP/w.err" </dev/null &
w=$!
pk_cleanup "pk_kill $w"
check "GET NUMLOGINS counts the watcher on dummy" until_logins dummy 1 5
check "... and on fake (a LOGIN per UPS, each on its own connection)" until_logins fake 1 5
run "$PK_BIN/nutq" -c "dummy@$H"
check "LIST CLIENT of dummy shows the watcher" test "$OUT" = 127.0.0.1
run "$PK_BIN/nutcmd" -u admin -p adminpass "dummy@$H" --fsd
expect "FSD set on dummy by a primary" 0
check "the FSD event printed" until_grep " dummy@$H FSD " "$PK_TMP/w.out" 5
check "the watcher logged out of dummy at once" until_logins dummy 0 2
check "... and said so on stderr, in one line" test "$(cat "$PK_TMP/w.err")" = \
	"nutq: dummy@$H: FSD: LOGOUT sent so that the primary can shut down; watching on without LOGIN"
check "--exec ran for the FSD event" until_grep "^FSD dummy@$H$" exec.log 5
check "fake keeps its LOGIN" test "$(numlogins fake)" = 1
sleep 1  # five more polls
check "the watcher watches on without logging in to dummy again" test "$(numlogins dummy)" = 0
check "... and is still running" kill -0 $w
check "one FSD event, nothing else for dummy" \
	test "$(awk '{print $2, $3}' "$PK_TMP/w.out")" = "dummy@$H FSD"
kill -TERM $w
pk_wait_end $w 2
check "SIGTERM ends the watch, exit 0" test "$RC" = 0
check "fake's LOGIN went with it" until_logins fake 0 2
cd - >/dev/null || exit 1

# --- the server restarted: COMMBAD, COMMOK, logged in again ------------------
"$Q" --watch=0.2 --login -u monuser --password-file "$PF" "fake@$H" \
	>"$PK_TMP/r.out" 2>"$PK_TMP/r.err" </dev/null &
w=$!
pk_cleanup "pk_kill $w"
check "the watcher logged in to fake" until_logins fake 1 5
pk_kill "$NUT_UPSD_PID"
check "upsd stopped: COMMBAD" until_grep " fake@$H COMMBAD " "$PK_TMP/r.out" 5
NUT_CONFPATH=$NUT_DIR/etc NUT_STATEPATH=$NUT_DIR/run NUT_ALTPIDPATH=$NUT_DIR/run \
	"$NUT_SBIN/upsd" -F -u "$(nut_run_user)" >>"$NUT_DIR/log/upsd.log" 2>&1 &
NUT_UPSD_PID=$!
pk_cleanup "pk_kill $NUT_UPSD_PID"
check "upsd back: COMMOK" until_grep " fake@$H COMMOK" "$PK_TMP/r.out" 15
check "... and the watcher logged in again" until_logins fake 1 5
kill -TERM $w
pk_wait_end $w 2
check "SIGTERM: exit 0" test "$RC" = 0
check "COMMBAD and COMMOK once each" test "$(awk '{print $3}' "$PK_TMP/r.out")" = "COMMBAD
COMMOK"

# --- bad credentials: exit 4 at once, no retry -------------------------------
run "$Q" --watch=0.2 --login -u monuser -p wrong "fake@$H"
expect "a wrong password: exit 4, nothing on stdout" 4 ""
expect_err "... the LOGIN refusal named" \
	"^nutq: fake@$H: LOGIN fake refused: wrong user name or password, or no LOGIN right .*ERR ACCESS-DENIED"
check "... in one line" test "$(printf '%s\n' "$ERR" | wc -l)" = 1
expect_fast "... at once, no retry loop" 3000
run "$Q" --watch=0.2 --login -u viewer -p viewerpass "fake@$H"
expect "a user without the LOGIN right: exit 4" 4 ""
check "nobody stayed logged in" test "$(numlogins fake)" = 0

# --- usage ----------------------------------------------------------------------
run "$Q" --watch --login "fake@$H"
expect "--login without a user: usage error" 2 ""
expect_err "... says what it needs" "^nutq: .*--login needs a user: give -u USER or set NUT_USER$"
run "$Q" --login -u monuser -p monpass "fake@$H"
expect "--login without --watch: usage error" 2 ""
expect_err "... says so" "^nutq: --login holds a LOGIN while --watch runs: it goes with --watch$"
run "$Q" --once --login -u monuser -p monpass "fake@$H"
expect "--login with --once: usage error" 2 ""
run "$Q" --watch --login -u monuser -p monpass "@$H"
expect "--login with @HOST: usage error" 2 ""
expect_err "... asks for UPS names" "^nutq: @$H: --login holds one LOGIN per UPS: name each UPS"
