#!/bin/bash
# t_nut_check.sh — nutq --check, the monitoring-plugins mode, against a
# private upsd whose dummy-ups UPSes are in every state worth judging:
# each status flag, thresholds (defaults and the user's, every range
# form), the input against its nominal values, the estimated battery
# charge, an unreachable server and a driver gone; stdout, stderr and
# the exit code checked apart; check_ups (monitoring-plugins) on the same
# UPSes where both map a state the same way.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
Q=$PK_BIN/nutq
unset NUT_USER NUT_PASSWORD

B=$PK_TMP/devbed
mkdir -p "$B"
# dev NAME LINE...: the .dev file of UPS NAME.
dev() {
	local name=$1
	shift
	printf '%s\n' "$@" >"$B/$name.dev"
}
dev ok "ups.status: OL CHRG" "battery.charge: 95" "battery.runtime: 2400" "ups.load: 12" \
	"input.voltage: 230.5" "input.voltage.nominal: 230" "input.frequency: 50.0" \
	"input.frequency.nominal: 50" "ups.temperature: 29.5" "device.serial: 024"
dev onbatt "ups.status: OB DISCHRG" "battery.charge: 80" "battery.runtime: 1200" \
	"input.voltage: 0" "input.voltage.nominal: 230"
dev lowbatt "ups.status: OB LB" "battery.charge: 8" "battery.runtime: 100"
dev ollb "ups.status: OL LB" "battery.charge: 50"
dev fsd "ups.status: FSD OB LB" "battery.charge: 5"
dev off "ups.status: OFF"
dev over "ups.status: OL OVER" "ups.load: 99"
dev rb "ups.status: OL RB"
dev bypass "ups.status: OL BYPASS"
dev alarm "ups.status: OL ALARM" "ups.alarm: Fan failure!"
dev charge "ups.status: OL" "battery.charge: 15"
dev load "ups.status: OL" "ups.load: 96"
dev volt "ups.status: OL" "input.voltage: 212" "input.voltage.nominal: 230" \
	"input.frequency: 51.5" "input.frequency.nominal: 50"
dev est "ups.status: OL" "battery.voltage: 12.5" "battery.voltage.low: 10.4" \
	"battery.voltage.high: 13"
dev estnom "ups.status: OB" "battery.voltage: 10.6" "battery.voltage.nominal: 12"
dev gone "ups.status: OL"
nut_devbed_start "$B" || { not_ok "private upsd with the check UPSes started"; exit 1; }
S=127.0.0.1:$DEVBED_PORT
DEAD=127.0.0.1:$(pk_free_port)

# One state per UPS: the status line (without perfdata) and the exit code.
state() {  # DESC UPS RC LINE [OPTIONS...]
	local desc=$1 ups=$2 rc=$3 line=$4
	shift 4
	run "$Q" --check "$@" "$ups@$S"
	OUT=${OUT%% | *}
	expect "$desc" "$rc" "$line"
}
state "OL CHRG: OK" ok 0 "NUT OK - online, charging, battery.charge 95%, battery.runtime 2400s, ups.load 12%, input.voltage 230.5V, input.frequency 50Hz"
check "OK: stderr clean" test -z "$ERR"
state "OB: WARNING (the input is not judged on battery)" onbatt 1 "NUT WARNING - on battery"
state "OB LB: CRITICAL" lowbatt 2 "NUT CRITICAL - low battery, battery.charge 8% (critical: 10:), battery.runtime 100s (critical: 120:)"
state "OL LB: CRITICAL" ollb 2 "NUT CRITICAL - low battery"
state "FSD: CRITICAL" fsd 2 "NUT CRITICAL - forced shutdown, low battery, battery.charge 5% (critical: 10:)"
state "OFF: CRITICAL" off 2 "NUT CRITICAL - output off"
state "OVER: CRITICAL" over 2 "NUT CRITICAL - overloaded, ups.load 99% (critical: 95)"
state "RB: CRITICAL" rb 2 "NUT CRITICAL - replace battery"
state "BYPASS: CRITICAL" bypass 2 "NUT CRITICAL - on bypass"
state "ALARM: WARNING with ups.alarm" alarm 1 "NUT WARNING - alarm: Fan failure!"
state "battery.charge 15 under the default 20: WARNING" charge 1 "NUT WARNING - battery.charge 15% (warning: 20:)"
state "ups.load 96 over the default 95: CRITICAL" load 2 "NUT CRITICAL - ups.load 96% (critical: 95)"
state "input 7.8% under its nominal, frequency 3% over: WARNING" volt 1 "NUT WARNING - input.voltage 212V, 7.8% below the nominal 230V (warning beyond 6%), input.frequency 51.5Hz, 3.0% above the nominal 50Hz (warning beyond 2%)"
state "--voltage-tolerance 10,20 --frequency-tolerance 5,8: OK" volt 0 "NUT OK - online, input.voltage 212V, input.frequency 51.5Hz" --voltage-tolerance 10,20 --frequency-tolerance 5,8
state "battery charge estimated from low/high" est 0 "NUT OK - online, battery.charge 81% (estimated)"
state "estimated from the nominal voltage, low: CRITICAL" estnom 2 "NUT CRITICAL - battery.charge 8% (estimated) (critical: 10:)"

# Thresholds of the user's, every range form.
state "--warning ups.load=10 replaces the defaults of ups.load" ok 1 "NUT WARNING - ups.load 12% (warning: 10)" --warning ups.load=10
state "--critical ups.load=@10:20 (inside alerts)" ok 2 "NUT CRITICAL - ups.load 12% (critical: @10:20)" --critical ups.load=@10:20
state "--warning ups.temperature=~:25" ok 1 "NUT WARNING - ups.temperature 29.5C (warning: ~:25)" --warning ups.temperature=~:25
state "--critical battery.runtime=3000:" ok 2 "NUT CRITICAL - battery.runtime 2400s (critical: 3000:)" --critical battery.runtime=3000:
state "--warning input.voltage=225:235 replaces the tolerance" volt 1 "NUT WARNING - input.voltage 212V (warning: 225:235), input.frequency 51.5Hz, 3.0% above the nominal 50Hz (warning beyond 2%)" --warning input.voltage=225:235
state "a threshold on a variable the UPS lacks: UNKNOWN, said" rb 2 "NUT CRITICAL - replace battery" --warning ups.temperature=40
run "$Q" --check --warning ups.temperature=40 off@$S -v
expect_out "... and named in the long output" '^off@127\.0\.0\.1:[0-9]+: UNKNOWN: ups\.temperature not reported by the UPS$'
state "... alone it decides: UNKNOWN" charge 3 "NUT UNKNOWN - ups.temperature not reported by the UPS" --warning ups.temperature=40 --warning battery.charge=10:
state "--status-map OB=critical" onbatt 2 "NUT CRITICAL - on battery" --status-map OB=critical
state "--status-map RB=ok" rb 0 "NUT OK - online, replace battery" --status-map RB=ok

# Perfdata: units, ranges, min/max for percentages.
run "$Q" --check ok@$S
expect "perfdata after ' | '" 0
check "perfdata with units and ranges" test "${OUT#* | }" = "'battery.charge'=95%;20:;10:;0;100 'battery.runtime'=2400s;300:;120: 'ups.load'=12%;80;95;0;100 'input.voltage'=230.5V;216.2:243.8;207:253 'input.frequency'=50Hz;49:51;48:52 'ups.temperature'=29.5C"
run "$Q" --check est@$S
check "perfdata: battery.charge.estimated" test "${OUT#* | }" = "'battery.charge.estimated'=81%;20:;10:;0;100 'battery.voltage'=12.5V"

# -v: long output on stdout, one line per target and per problem; -vv
# adds the protocol trace on stderr.
run "$Q" --check -v lowbatt@$S
expect "-v: long output" 2 "NUT CRITICAL - low battery, battery.charge 8% (critical: 10:), battery.runtime 100s (critical: 120:) | 'battery.charge'=8%;20:;10:;0;100 'battery.runtime'=100s;300:;120:
lowbatt@$S: CRITICAL - low battery, battery.charge 8% (critical: 10:), battery.runtime 100s (critical: 120:)
lowbatt@$S: WARNING: on battery
lowbatt@$S: CRITICAL: low battery
lowbatt@$S: CRITICAL: battery.charge 8% (critical: 10:)
lowbatt@$S: CRITICAL: battery.runtime 100s (critical: 120:)"
check "-v: no trace on stderr" test -z "$ERR"
run "$Q" --check -vv ok@$S
expect "-vv: the same exit code" 0
expect_err "-vv: the protocol trace on stderr" '^nutq: > LIST VAR ok$'

# -j: the findings as one JSON document, the exit code unchanged.
run "$Q" --check -j est@$S
expect "-j: exit code of the check" 0
expect_json "-j: state, summary, findings and perfdata" 'd["service"] == "NUT" and d["state"] == "OK" and d["code"] == 0 and d["targets"][0]["target"].startswith("est@") and {"state": "OK", "text": "battery.charge 81% (estimated)"} in d["targets"][0]["findings"] and d["targets"][0]["perfdata"][0] == {"label": "battery.charge.estimated", "value": 81, "uom": "%", "warn": "20:", "crit": "10:", "min": 0, "max": 100}'
run "$Q" --check -j lowbatt@$S
expect_json "-j: CRITICAL" 'd["state"] == "CRITICAL" and d["code"] == 2 and d["targets"][0]["reason"].startswith("low battery")'

# Cannot read the UPS.
run "$Q" --check -t 2 x@$DEAD
expect "cannot connect: UNKNOWN" 3
expect_out "... with the reason" "^NUT UNKNOWN - .*Connection refused$"
check "... nothing on stderr" test -z "$ERR"
run "$Q" --check --unreachable=critical -t 2 x@$DEAD
expect "--unreachable=critical: CRITICAL" 2
run "$Q" --check --unreachable critical -t 2 x@$DEAD
expect "--unreachable critical (separate value)" 2
nut_hostile silent
run "$Q" --check -t 1 x@127.0.0.1:$HOSTILE_PORT
expect "a silent server: UNKNOWN at -t" 3
expect_out "... timed out" "^NUT UNKNOWN - .*timed out"
expect_fast "... within -t + 1 s" 2000
nut_hostile garbage
run "$Q" --check -t 2 x@127.0.0.1:$HOSTILE_PORT
expect "a malformed reply: UNKNOWN" 3
run "$Q" --check nosuch@$S
expect "unknown UPS: UNKNOWN" 3 "NUT UNKNOWN - unknown UPS (server said ERR UNKNOWN-UPS)"
pk_kill "$(cat "$B/run/db-gone.pid")"
nut_wait_rc 2 "$Q" --check gone@$S
expect "driver gone: CRITICAL" 2
expect_out "... says why" '^NUT CRITICAL - (driver not connected|data stale)'

# Usage errors, the plugin way: on stdout, exit 3.
run "$Q" --check --warning ups.load=abc ok@$S
expect "bad range: UNKNOWN on stdout" 3 "NUT UNKNOWN - nutq: --warning: ups.load: bad range 'abc': not a number (forms: 10, 10:, ~:10, 10:20, @10:20)"
check "... nothing on stderr" test -z "$ERR"
run "$Q" --check --critical battery.charge ok@$S
expect "threshold without '=': UNKNOWN" 3 "NUT UNKNOWN - nutq: --critical: 'battery.charge' is not VAR=RANGE (e.g. battery.charge=20:)"
run "$Q" --check --unreachable=maybe ok@$S
expect "bad --unreachable: UNKNOWN" 3 "NUT UNKNOWN - nutq: --unreachable maybe: expected unknown or critical"
run "$Q" --check --status-map OB=bad ok@$S
expect "bad --status-map: UNKNOWN" 3 "NUT UNKNOWN - nutq: OB: bad state 'bad' (ok, warning, critical or unknown)"
run "$Q" --check --voltage-tolerance 10,5 ok@$S
expect "bad tolerance: UNKNOWN" 3 "NUT UNKNOWN - nutq: '10,5': the warning tolerance is wider than the critical one"
run "$Q" --check ok@$S ups.load
expect "--check with a VAR: UNKNOWN" 3 "NUT UNKNOWN - nutq: --check reads every variable: no VAR and no -g"
run "$Q" --check -g ups.load ok@$S
expect "--check with -g: UNKNOWN" 3 "NUT UNKNOWN - nutq: --check reads every variable: no VAR and no -g"
run "$Q" --check -l $S
expect "--check with -l: UNKNOWN" 3
run "$Q" --check --format prom ok@$S
expect "--check with --format prom: UNKNOWN" 3 "NUT UNKNOWN - nutq: --check and --format prom exclude each other"
run "$Q" --warning ups.load=10 ok@$S
expect "--warning without --check: usage error (exit 2)" 2 ""
expect_err "... on stderr" "^nutq: --warning, --critical and --unreachable go with --check$"
run "$Q" --status-map OB=ok ok@$S
expect "--status-map without --check: usage error" 2 ""
run "$Q" ok@$S ups.status
expect "without --check nothing changes" 0 "OL CHRG"

# Several targets: one line for the fleet, perfdata labels prefixed with
# the target, the worst state decides.
run "$Q" --check ok@$S onbatt@$S
expect "two targets: the worst decides" 1
check "... one status line for the fleet" test "${OUT%% | *}" = "NUT WARNING - 1 OK, 1 WARNING (onbatt@$S: on battery)"
expect_out "... perfdata prefixed with the target" " \| 'ok@$S/battery\.charge'=95%;20:;10:;0;100 .* 'onbatt@$S/battery\.charge'=80%;20:;10:;0;100"
run "$Q" --check -v ok@$S onbatt@$S lowbatt@$S
expect "three targets, -v: CRITICAL" 2
check "... a line per target and per problem" test "$(printf '%s\n' "$OUT" | tail -n +2 | cut -d' ' -f1-3)" = "$(printf '%s\n' "ok@$S: OK -" "onbatt@$S: WARNING -" "onbatt@$S: WARNING: on" "lowbatt@$S: CRITICAL -" "lowbatt@$S: WARNING: on" "lowbatt@$S: CRITICAL: low" "lowbatt@$S: CRITICAL: battery.charge" "lowbatt@$S: CRITICAL: battery.runtime")"
nut_hostile silent
HOLE=127.0.0.1:$HOSTILE_PORT
run "$Q" --check -t 2 ok@$S x@$DEAD y@$HOLE alarm@$S
expect "a dead and a black-holed server: the live ones judged, WARNING outranks UNKNOWN" 1
check "... the fleet line" test "${OUT%% | *}" = "NUT WARNING - 1 OK, 1 WARNING (alarm@$S: alarm: Fan failure!), 2 UNKNOWN (x@$DEAD: cannot connect to 127.0.0.1 port ${DEAD#*:}: Connection refused; y@$HOLE: $("$Q" -t 2 y@$HOLE 2>&1 >/dev/null | sed "s/^nutq: y@$HOLE: //"))"
expect_fast "... within -t + 1 s" 3000
check "... stderr clean" test -z "$ERR"
run "$Q" --check --unreachable=critical -t 1 ok@$S x@$DEAD
expect "--unreachable=critical over several: CRITICAL" 2
check "... the fleet line" test "${OUT%% | *}" = "NUT CRITICAL - 1 OK, 1 CRITICAL (x@$DEAD: cannot connect to 127.0.0.1 port ${DEAD#*:}: Connection refused)"
run "$Q" --check @$S
expect "@host: every UPS judged" 2
expect_out "... each one counted" "^NUT CRITICAL - 2 OK, [0-9]+ WARNING \(.*\), [0-9]+ CRITICAL \(.*; [0-9]+ more\)"
printf '# the rack\nok@%s\nest@%s  # estimated\n' "$S" "$S" >"$PK_TMP/targets"
run "$Q" --check --targets "$PK_TMP/targets"
expect "--targets FILE" 0 "NUT OK - 2 OK | 'ok@$S/battery.charge'=95%;20:;10:;0;100 'ok@$S/battery.runtime'=2400s;300:;120: 'ok@$S/ups.load'=12%;80;95;0;100 'ok@$S/input.voltage'=230.5V;216.2:243.8;207:253 'ok@$S/input.frequency'=50Hz;49:51;48:52 'ok@$S/ups.temperature'=29.5C 'est@$S/battery.charge.estimated'=81%;20:;10:;0;100 'est@$S/battery.voltage'=12.5V"
run "$Q" --check -j ok@$S x@$DEAD
expect "-j over several: the check's code" 3
expect_json "... one document, a target each" 'd["state"] == "UNKNOWN" and [t["state"] for t in d["targets"]] == ["OK", "UNKNOWN"] and "Connection refused" in d["targets"][1]["reason"]'
run "$Q" --check --output "$PK_TMP/check.out" ok@$S onbatt@$S
expect "--output: nothing on stdout, the state as exit code" 1 ""
check "... the file holds the plugin output" grep -q "^NUT WARNING - 1 OK, 1 WARNING (onbatt@$S: on battery) | " "$PK_TMP/check.out"

# check_ups (monitoring-plugins) on the same UPSes, where both map the
# state the same way by design (nutq(1) lists where they differ).
CU=/usr/lib/nagios/plugins/check_ups
[ -x "$CU" ] || CU=${PK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/powerkit}/monitoring-plugins-basic/usr/lib/nagios/plugins/check_ups
if [ -x "$CU" ]; then
	for ups in ok onbatt lowbatt off; do
		"$CU" -H 127.0.0.1 -p "$DEVBED_PORT" -u "$ups" >"$PK_TMP/cu" 2>&1
		theirs=$?
		run "$Q" --check "$ups@$S"
		check "same state as check_ups for $ups ($(head -c 60 "$PK_TMP/cu"))" test "$RC" = "$theirs"
	done
else
	not_ok "check_ups found (tests/packages: monitoring-plugins-basic)"
fi

