#!/bin/bash
# t_nut_watch.sh — nutq --watch against a private upsd: a dummy-ups UPS
# whose data file is rewritten with a TIMER sequence while the watch runs
# (dummy-ups processes a changed file once, step by step), so every event
# is known: in order, none missed, none doubled, none for the initial
# state; --initial, --count, --for, -j; the server stopped and started
# again (COMMBAD and COMMOK once each); --exec with hostile device
# strings; SIGTERM ends it at once with LOGOUT; bad input.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
. "$PK_TESTS/nut/watch.sh"
put walk "ups.status: OL" "battery.charge: 100" "ups.mfr: Walk"
put volt "ups.status: OL" "input.voltage: 230" "input.voltage.nominal: 230" \
	"battery.charge: 100" "battery.runtime: 900" "ups.temperature: 30"
put est "ups.status: OL" "battery.voltage: 13.1" "battery.voltage.low: 10.4" \
	"battery.voltage.high: 13"
put hostile "ups.status: OL" "ups.test.result: In progress"
nut_devbed_start "$B" || { not_ok "private upsd started"; exit 1; }
P=$DEVBED_PORT
H=127.0.0.1:$P

# --- the walk: OL -> OB -> OB LB -> OL CHRG -> OL -------------------------
watch walk --watch=0.2 "walk@$H"
w=$WPID
sleep 1
put walk "ups.status: OB DISCHRG" "battery.charge: 97" "TIMER 1" \
	"ups.status: OB LB" "battery.charge: 8" "TIMER 1" \
	"ups.status: OL CHRG" "battery.charge: 30" "TIMER 1" \
	"ups.status: OL" "battery.charge: 100" "TIMER 1"
pk_until_lines "$PK_TMP/walk.out" 6 20
sleep 1  # nothing more may come
kill -TERM $w
pk_wait_end $w 2
OUT=$(cat "$PK_TMP/walk.out") ERR=$(cat "$PK_TMP/walk.err")
check "SIGTERM ends the watch with status 0" test "$RC" = 0
want="ONBATT
NOTBATTFULL
LOWBATT
ONLINE
NOTLOWBATT
BATTFULL"
check "the walk gives every event once, in order, none for the start" \
	test "$(pk_events "$PK_TMP/walk.out")" = "$want"
check "nothing on stderr" test -z "$ERR"
check "a line is TIME TARGET EVENT VALUES" grep -Eq \
	"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z walk@$H ONBATT ups.status=OB DISCHRG battery.charge=97\$" \
	"$PK_TMP/walk.out"
check "LOWBATT shows the new status and charge" grep -q "LOWBATT ups.status=OB LB battery.charge=8$" \
	"$PK_TMP/walk.out"

# --- --initial, --count, -j ------------------------------------------------
run "$Q" --watch=0.2 --initial --count 3 "walk@$H"
expect "--initial --count 3 ends by itself" 0
check "--initial: the states at the start, COMMOK first" \
	test "$(printf '%s\n' "$OUT" | awk '{print $3}')" = "COMMOK
DATA_OK
ONLINE"
check "--count 3: three lines" test "$(printf '%s\n' "$OUT" | wc -l)" = 3
run "$Q" --watch=0.2 --initial --count 1 -j "walk@$H"
expect "-j --count 1" 0
expect_json "-j: one JSON object with the event's fields" \
	'd["event"] == "COMMOK" and d["target"] == "walk@'"$H"'" and d["previous"] is None and d["state"] == "OK" and d["values"]["battery.charge"] == 100 and d["values"]["ups.status"] == "OL" and d["time"].endswith("Z")'
run "$Q" --watch=0.2 --for 0.6 "walk@$H"
expect "--for 0.6: no change, no line, exit 0" 0 ""
expect_fast "--for 0.6 ends in time" 1600

# --- thresholds, tolerances and hysteresis --------------------------------
# battery.runtime hovers around its limit 300 (+-1 %): with the default
# hysteresis (2 %) one event each way, with none every crossing.
watch hyst --watch=0.2 --warning battery.runtime=300: --warning ups.temperature=40 "volt@$H"
w1=$WPID
watch flap --watch=0.2 --hysteresis 0 --warning battery.runtime=300: "volt@$H"
w2=$WPID
sleep 1
put volt "input.voltage.nominal: 230" "battery.charge: 100" "ups.status: OL" \
	"input.voltage: 250" "battery.runtime: 280" "ups.temperature: 45" "TIMER 1" \
	"input.voltage: 243" "battery.runtime: 303" "TIMER 1" \
	"input.voltage: 244" "battery.runtime: 297" "TIMER 1" \
	"battery.runtime: 303" "TIMER 1" \
	"input.voltage: 205" "battery.runtime: 310" "TIMER 1" \
	"input.voltage: 230" "ups.temperature: 30" "TIMER 1"
pk_until_lines "$PK_TMP/hyst.out" 8 30
sleep 1
kill -TERM $w1 $w2
pk_wait_end $w1 2
pk_wait_end $w2 2
check "thresholds and the nominal voltage: each crossing once, with hysteresis" \
	test "$(pk_events "$PK_TMP/hyst.out")" = "INPUT_VOLTAGE_HIGH
THRESHOLD_WARNING
THRESHOLD_WARNING
TEMP_HIGH
INPUT_VOLTAGE_LOW
THRESHOLD_OK
INPUT_VOLTAGE_OK
THRESHOLD_OK
TEMP_OK"
check "THRESHOLD_WARNING names the value and the range" grep -q \
	"THRESHOLD_WARNING battery.runtime=280 (range 300:)$" "$PK_TMP/hyst.out"
check "INPUT_VOLTAGE_HIGH shows the voltage and its nominal" grep -q \
	"INPUT_VOLTAGE_HIGH input.voltage=250 input.voltage.nominal=230$" "$PK_TMP/hyst.out"
check "--hysteresis 0: a value hovering on the limit flaps" \
	test "$(grep -c THRESHOLD "$PK_TMP/flap.out")" = 4
check "no hysteresis: nothing on stderr" test ! -s "$PK_TMP/flap.err"

# --- the charge estimated from the battery voltage --------------------------
run "$Q" --watch=0.2 --initial --count 11 "est@$H"
expect "--initial of a UPS without battery.charge" 0
check "BATTFULL from the estimated charge" test "$(printf '%s\n' "$OUT" | tail -n1 | cut -d' ' -f3-)" = \
	"BATTFULL ups.status=OL battery.charge.estimated=100"

# --- SIGTERM within 1 s, with LOGOUT -------------------------------------
watch term --watch=1 -v "walk@$H"
w=$WPID
until grep -q "LIST VAR" "$PK_TMP/term.err" 2>/dev/null; do sleep 0.05; done
sleep 0.3
t0=$(date +%s%N)
kill -TERM $w
pk_wait_end $w 2
ms=$((($(date +%s%N) - t0) / 1000000))
check "SIGTERM mid-wait: exit 0" test "$RC" = 0
check "SIGTERM: ended within 1 s ($ms ms)" test "$ms" -le 1000
check "SIGTERM: the connection closed with LOGOUT" grep -q "LOGOUT" "$PK_TMP/term.err"
check "one connection for every poll (no second login, one LIST VAR a poll)" \
	test "$(grep -c "LOGOUT" "$PK_TMP/term.err")" = 1

# --- --exec with hostile device strings ---------------------------------
cd "$PK_TMP" || exit 1
watch exec --watch=0.2 --exec 'printf "%s|%s|%s\n" "$POWERKIT_EVENT" "$POWERKIT_TARGET" "$POWERKIT_DETAIL" >>exec.log; printf "%s\n" "$POWERKIT_JSON" >>exec.json; exit 3' \
	"hostile@$H"
w=$WPID
sleep 1
put hostile "ups.status: OL" 'ups.test.result: passed $(touch PWNED1) `touch PWNED2`; touch PWNED3 & touch PWNED4'
pk_until_lines "$PK_TMP/exec.out" 1 10
sleep 0.5
kill -TERM $w
pk_wait_end $w 2
OUT=$(cat "$PK_TMP/exec.out") ERR=$(cat "$PK_TMP/exec.err")
check "--exec: the event printed" grep -q "BATTERY_TEST_PASSED" "$PK_TMP/exec.out"
check "--exec: the command got the event in its environment" grep -qF \
	"BATTERY_TEST_PASSED|hostile@$H|ups.test.result=passed \$(touch PWNED1) \`touch PWNED2\`; touch PWNED3 & touch PWNED4" \
	"$PK_TMP/exec.log"
check "--exec: no device text was run by a shell" test ! -e PWNED1 -a ! -e PWNED2 -a ! -e PWNED3 -a ! -e PWNED4
check "--exec: POWERKIT_JSON is the event's JSON" python3 -c '
import json, sys
d = json.loads(open(sys.argv[1]).readline())
assert d["event"] == "BATTERY_TEST_PASSED" and d["values"]["ups.test.result"].startswith("passed $(")' "$PK_TMP/exec.json"
check "--exec: its exit status 3 reported on stderr, not fatal" \
	grep -q "^nutq: --exec for BATTERY_TEST_PASSED hostile@$H exited with status 3$" "$PK_TMP/exec.err"
check "--exec: the watch still ended with 0" test "$RC" = 0
cd - >/dev/null || exit 1

# --- the server stopped and started again --------------------------------
upsd_start() {
	NUT_CONFPATH=$B/etc NUT_STATEPATH=$B/run NUT_ALTPIDPATH=$B/run \
		"$NUT_SBIN/upsd" -F -u "$(nut_run_user)" >>"$B/log/upsd.log" 2>&1 &
	UPSD=$!
	pk_cleanup "pk_kill $UPSD"
}
watch comm --watch=0.2 "walk@$H" "volt@$H"
w=$WPID
sleep 1
pk_kill "$(cat "$B/run/db-upsd.pid")"
pk_until_lines "$PK_TMP/comm.out" 2 10
sleep 2.5  # several reconnects fail meanwhile: no more COMMBAD
upsd_start
pk_until_lines "$PK_TMP/comm.out" 4 20
sleep 0.5
kill -TERM $w
pk_wait_end $w 2
OUT=$(cat "$PK_TMP/comm.out") ERR=$(cat "$PK_TMP/comm.err")
check "server gone and back: COMMBAD then COMMOK, once each per UPS" \
	test "$(awk '{print $2, $3}' "$PK_TMP/comm.out" | sort)" = "$(printf '%s\n' \
	"volt@$H COMMBAD" "volt@$H COMMOK" "walk@$H COMMBAD" "walk@$H COMMOK" | sort)"
check "COMMBAD comes before COMMOK" test "$(pk_events "$PK_TMP/comm.out" | uniq)" = "COMMBAD
COMMOK"
check "COMMBAD says why" grep -Eq "COMMBAD .+" "$PK_TMP/comm.out"

# --- --values: chosen variables when they moved by more than --min-change ---
watch vals --watch=0.2 --values=0.2 -g battery.charge -g ups.load --min-change 5 "volt@$H"
w=$WPID
sleep 1
put volt "ups.status: OL" "input.voltage: 230" "input.voltage.nominal: 230" \
	"battery.charge: 97" "ups.load: 10" "TIMER 1" \
	"battery.charge: 94" "TIMER 1" \
	"battery.charge: 90" "TIMER 1"
pk_until_lines "$PK_TMP/vals.out" 1 20
sleep 3
kill -TERM $w
pk_wait_end $w 2
check "--values: only a move by more than 5 (100 97 94 90: 94), nothing for a first value" \
	test "$(grep ' VALUE ' "$PK_TMP/vals.out" | cut -d' ' -f3-)" = "VALUE battery.charge=94"
run "$Q" --watch --values "volt@$H"
expect "--values without -g: usage error" 2 ""
expect_err "... says so" "^nutq: --values needs the variables: -g VAR$"
run "$Q" --values -g ups.load "volt@$H"
expect "--values without --watch: usage error" 2 ""
run "$Q" --watch --values -g ups.load --min-change -1 "volt@$H"
expect "--min-change -1: usage error" 2 ""

# --- --once --state: three cron-like runs -----------------------------------
S=$PK_TMP/state/ups.state
mkdir -p "$PK_TMP/state"
put walk "ups.status: OL" "battery.charge: 100"
put volt "ups.status: OL" "input.voltage: 230" "input.voltage.nominal: 230" "battery.charge: 100"
sleep 2.5  # the drivers' next poll: the files are read again
run "$Q" --once --state "$S" "walk@$H"
expect "--once, no state file yet: nothing printed" 0 ""
check "... nothing on stderr" test -z "$ERR"
check "the state file is created mode 0600" test "$(stat -c %a "$S")" = 600
run "$Q" --once --state "$S" "walk@$H"
expect "--once again, nothing changed: nothing printed" 0 ""
put walk "ups.status: OB DISCHRG" "battery.charge: 90"
sleep 2.5
run "$Q" --once --state "$S" "walk@$H" "volt@$H"
expect "--once after a change: the change, and the target added" 0
check "... ONBATT for walk, TARGET_ADDED for volt" \
	test "$(printf '%s\n' "$OUT" | awk '{print $2, $3}')" = "walk@$H ONBATT
walk@$H NOTBATTFULL
volt@$H TARGET_ADDED"
run "$Q" --once --state "$S" "volt@$H"
expect "--once without walk: walk is gone, once" 0
check "... TARGET_GONE for walk" test "$(printf '%s\n' "$OUT" | awk '{print $2, $3}')" = "walk@$H TARGET_GONE"
run "$Q" --once --state "$S" "volt@$H"
expect "--once again: nothing more" 0 ""
check "the state file is still 0600" test "$(stat -c %a "$S")" = 600
printf 'powerkit watch state 99\nT\tx\n' >"$S"
run "$Q" --once --state "$S" "volt@$H"
expect "a state file of another version: nothing printed" 0 ""
expect_err "... said on stderr, the run starts afresh" "^nutq: --state $S: not a state file of this version: starting afresh$"
run "$Q" --once --state "$S" "volt@$H"
expect "... and the file written is read by the next run" 0 ""
check "... quietly" test -z "$ERR"
run "$Q" --once --state "$PK_TMP/state" "volt@$H"
expect "--state naming a directory: usage error" 2 ""
run "$Q" --state "$S" "volt@$H"
expect "--state without --once: usage error" 2 ""
expect_err "... says so" "^nutq: --state goes with --once$"
put walk "ups.status: OL" "battery.charge: 100"

# --- bad input -------------------------------------------------------------
run "$Q" --watch=0 "walk@$H"
expect "--watch=0: usage error, nothing on stdout" 2 ""
expect_err "... the message names --watch" "^nutq: .*--watch"
run "$Q" --watch=abc "walk@$H"
expect "--watch=abc: usage error" 2 ""
run "$Q" --count 3 "walk@$H"
expect "--count without --watch: usage error" 2 ""
expect_err "... says it goes with --watch" "^nutq: --count goes with --watch$"
run "$Q" --watch --count 0 "walk@$H"
expect "--count 0: usage error" 2 ""
run "$Q" --watch --hysteresis 60 "walk@$H"
expect "--hysteresis 60: usage error" 2 ""
expect_err "... names the option" "^nutq: --hysteresis: '60'"
run "$Q" --watch --exec '' "walk@$H"
expect "--exec '': usage error" 2 ""
run "$Q" --watch --check "walk@$H"
expect "--watch with --check: a usage error the plugin way" 3 \
	"NUT UNKNOWN - nutq: --watch prints events as they come: no --check or --output"
run "$Q" --watch -g ups.status "walk@$H"
expect "--watch with -g: usage error" 2 ""
expect_err "... says that -g goes with --values" "^nutq: .*--watch reads every variable: -g VAR goes with --values$"
run "$Q" --watch "walk@$H" ups.status
expect "--watch with a VAR: usage error" 2 ""
expect_err "... says why" "^nutq: .*--watch reads every variable: no VAR and no -g$"
run "$Q" --watch --format prom "walk@$H"
expect "--watch with --format prom: usage error" 2 ""
run "$Q" --watch -l "$H"
expect "--watch with -l: usage error" 2 ""
run "$Q" --watch
expect "--watch without a target: usage error" 2 ""
