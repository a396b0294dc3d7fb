#!/bin/bash
# t_nut_watch_events.sh — nutq --watch, the events the walk of
# t_nut_watch.sh does not reach: a dummy-ups UPS moving its input
# voltage, input frequency, temperature and ups.test.result through
# their ranges (every event in order, none missed, none doubled, none
# for the initial state), the suite's fake driver going stale (upsd
# then answers ERR DATA-STALE) and fresh again, and upsd's idle cut
# (60 s) never reached: a watch of a long interval still polls every
# 30 s over the same connection.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
. "$PK_TESTS/nut/watch.sh"
RANGE_START=("ups.status: OL" "input.voltage: 230" "input.voltage.nominal: 230"
	"input.frequency: 50" "input.frequency.nominal: 50" "ups.temperature: 30"
	"ups.test.result: No test initiated")
put range "${RANGE_START[@]}"
put idle "ups.status: OL"
nut_devbed_start "$B" || { not_ok "private upsd started"; exit 1; }
H=127.0.0.1:$DEVBED_PORT

# The idle watch runs beside the rest: two polls in 31 s, one connection.
watch idle --watch=3600 --for 31 -v "idle@$H"
idle=$WPID
idle_t0=$SECONDS

# --- every range, step by step ---------------------------------------------
# Each step changes one thing; dummy-ups plays them a second apart and
# the watch polls five times a second, so no step can be missed.
watch range --watch=0.2 --warning ups.temperature=40 "range@$H"
w=$WPID
sleep 1
put range "${RANGE_START[@]}" \
	"input.frequency: 51.5" "TIMER 1" \
	"input.frequency: 51.6" "TIMER 1" \
	"input.frequency: 50.1" "TIMER 1" \
	"input.frequency: 48.4" "TIMER 1" \
	"input.frequency: 50" "TIMER 1" \
	"input.voltage: 250" "TIMER 1" \
	"input.voltage: 230" "TIMER 1" \
	"input.voltage: 205" "TIMER 1" \
	"input.voltage: 230" "TIMER 1" \
	"ups.temperature: 45" "TIMER 1" \
	"ups.temperature: 46" "TIMER 1" \
	"ups.temperature: 30" "TIMER 1" \
	"ups.test.result: In progress" "TIMER 1" \
	"ups.test.result: Done and passed" "TIMER 1" \
	"ups.test.result: In progress" "TIMER 1" \
	"ups.test.result: Done and error" "TIMER 1"
want="INPUT_FREQ_ERROR
INPUT_FREQ_OK
INPUT_FREQ_ERROR
INPUT_FREQ_OK
INPUT_VOLTAGE_HIGH
INPUT_VOLTAGE_OK
INPUT_VOLTAGE_LOW
INPUT_VOLTAGE_OK
THRESHOLD_WARNING
TEMP_HIGH
THRESHOLD_OK
TEMP_OK
BATTERY_TEST_STARTED
BATTERY_TEST_PASSED
BATTERY_TEST_STARTED
BATTERY_TEST_FAILED"
pk_until_lines "$PK_TMP/range.out" 16 40
sleep 1  # nothing more may come
kill -TERM $w
pk_wait_end $w 2
check "SIGTERM: exit 0" test "$RC" = 0
OUT=$(cat "$PK_TMP/range.out") ERR=$(cat "$PK_TMP/range.err")
check "every range crossed: each event once, in order, none for the start" \
	test "$(pk_events "$PK_TMP/range.out")" = "$want"
check "nothing on stderr" test ! -s "$PK_TMP/range.err"
check "INPUT_FREQ_ERROR shows the frequency and its nominal" grep -q \
	" range@$H INPUT_FREQ_ERROR input.frequency=51.5 input.frequency.nominal=50$" "$PK_TMP/range.out"
check "... below the nominal too" grep -q \
	" INPUT_FREQ_ERROR input.frequency=48.4 input.frequency.nominal=50$" "$PK_TMP/range.out"
check "TEMP_HIGH shows the temperature" grep -q " TEMP_HIGH ups.temperature=45$" "$PK_TMP/range.out"
check "BATTERY_TEST_PASSED shows the result" grep -q \
	" BATTERY_TEST_PASSED ups.test.result=Done and passed$" "$PK_TMP/range.out"
check "BATTERY_TEST_FAILED shows the result" grep -q \
	" BATTERY_TEST_FAILED ups.test.result=Done and error$" "$PK_TMP/range.out"

run "$Q" --watch=0.2 -j --initial --for 0.5 --warning ups.temperature=40 "range@$H"
expect "-j --initial: the settled states" 0
check "... a failed test is a WARNING state, the rest OK" python3 -c '
import json, sys
evs = [json.loads(l) for l in sys.stdin]
st = {e["event"]: e["state"] for e in evs}
assert st["BATTERY_TEST_FAILED"] == "WARNING", st
assert st["INPUT_FREQ_OK"] == "OK" and st["TEMP_OK"] == "OK", st' <<<"$OUT"

# --- the driver goes stale and fresh again -----------------------------------
nut_testbed_start || { not_ok "the suite's upsd started"; exit 1; }
watch stale --watch=0.2 "fake@127.0.0.1:$NUT_PORT"
w=$WPID
sleep 1
kill -USR1 "$NUT_FAKE_PID"
pk_until_lines "$PK_TMP/stale.out" 1 5
sleep 0.6
kill -USR2 "$NUT_FAKE_PID"
pk_until_lines "$PK_TMP/stale.out" 2 5
sleep 0.6
kill -TERM $w
pk_wait_end $w 2
check "the driver stale, then fresh: DATA_STALE then DATA_OK, once each" \
	test "$(pk_events "$PK_TMP/stale.out")" = "DATA_STALE
DATA_OK"
check "DATA_STALE says what upsd said" grep -q " fake@127.0.0.1:$NUT_PORT DATA_STALE .*DATA-STALE" \
	"$PK_TMP/stale.out"
check "no COMMBAD: the server answered all along" test ! -s "$PK_TMP/stale.err"

# --- upsd's idle cut never reached ---------------------------------------------
pk_wait_end $idle $((idle_t0 + 40 - SECONDS))
check "--watch=3600 --for 31 ends by itself, exit 0" test "$RC" = 0
check "... without an event (no COMMBAD)" test ! -s "$PK_TMP/idle.out"
check "... having polled twice in 31 s (the keep-alive is 30 s)" \
	test "$(grep -c '> LIST VAR idle' "$PK_TMP/idle.err")" = 2
check "... over one connection" test "$(grep -c '> LOGOUT' "$PK_TMP/idle.err")" = 1
