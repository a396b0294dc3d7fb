#!/bin/bash
# wattctl across a fleet: several units in one run (one dead, one
# black-holed), --targets files with per-unit settings, the Prometheus
# label scheme with wattbox_up 0 for a unit that cannot be read, --output.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

wb_start a
A=127.0.0.1:$WB_PORT
A_STATE=$WB_STATE
wb_start b --model WB-250-IPW-2 --firmware 2.9.0.2 --outlets 2 --names 'TV|Amp Rack Fan'
B=127.0.0.1:$WB_PORT
wb_start c --http --model WB-700-IPV-12 --names 'TV|Amp|Fan|4|5|6|7|8|9|10|11|12'
C=127.0.0.1:$WB_PORT
DEAD=127.0.0.1:$(pk_free_port)
wb_black_hole

# ---- one unit prints what it always printed ---------------------------------
run "$W" "$B" status
expect "one unit: no prefix" 0 "1	on	-	-	-	TV
2	on	-	-	-	Amp Rack Fan"

# ---- several units ----------------------------------------------------------
run "$W" "$A" "$B" info
expect "two units: every line prefixed host:port" 0 "$A: model: WB-800-IPVM-12
$A: firmware: 2.10.0.0
$A: hostname: RackA
$A: service_tag: ST191500681E8422
$A: outlets: 12
$B: model: WB-250-IPW-2
$B: firmware: 2.9.0.2
$B: hostname: RackA
$B: service_tag: ST191500681E8422
$B: outlets: 2"
run "$W" "$A" "$B" status 2
expect "status OUTLETS of two units" 0 "$A: 2	on	17.50	0.15	118.78	EA3
$B: 2	on	-	-	-	Amp Rack Fan"
run "$W" -t 1 "$A" "$DEAD" "$B" ups
expect_out "a dead unit does not hide the others" "^$B: ups: not supported by this model\$"
expect_out "the live one is reported" "^$A: battery_charge: 100\$"
check "a dead unit: exit 3" [ "$RC" = 3 ]
expect_err "the dead unit's error names it" "^wattctl: $DEAD: "
run "$W" -j "$A" "$B" power
expect_json "JSON: an array of per-unit documents" 'len(d) == 2 and d[0]["target"] == "'"$A"'" and d[0]["watts"] == 590 and d[1] == {"target": "'"$B"'", "supported": False}'
run "$W" -j -t 1 "$A" "$DEAD" ping
expect_json "JSON: a failed unit has its own error object" 'd[0]["target"] == "'"$A"'" and d[0]["firmware"] == "2.10.0.0" and d[1]["target"] == "'"$DEAD"'" and d[1]["error"]["status"] == 3'
check "JSON with a failed unit: exit 3" [ "$RC" = 3 ]
run "$W" -p wrong -t 1 "$DEAD" "$A" info
check "worst status: cannot talk (3) beats login refused (4)" [ "$RC" = 3 ]
run "$W" "$A" "$B" off 1
expect "an action takes one unit: exit 2, nothing on stdout" 2 ""
expect_err "and says so" 'off takes one HOST'
run "$W" "$A" "$B" explode
expect "unknown action with several units" 2

# ---- a black hole costs its own timeout -------------------------------------
run "$W" -t 2 "$HOLE" "$A" info
expect_out "black hole: the live unit still reported" "^$A: model: WB-800-IPVM-12\$"
check "black hole: exit 3" [ "$RC" = 3 ]
expect_err "black hole: the timeout named" "^wattctl: $HOLE: no login prompt.*timed out"

# ---- --targets ------------------------------------------------------------
cat >"$PK_TMP/fleet" <<EOF
# the rack
$A
$C proto=http    # the legacy unit
EOF
run "$W" --targets "$PK_TMP/fleet" info
expect_out "--targets: a telnet unit" "^$A: model: WB-800-IPVM-12\$"
expect_out "--targets: proto=http per unit" "^$C: model: WB-700-IPV-12\$"
expect "--targets: exit 0" 0
run bash -c '"$1" --targets - power <"$2"' _ "$W" "$PK_TMP/fleet"
expect_out "--targets - reads stdin" "^$C: volts: 118.70\$"
expect "--targets -: exit 0" 0
printf '%s user=wattbox password=s3cret\n' "$A" >"$PK_TMP/secret"
chmod 644 "$PK_TMP/secret"
run env -u WATTBOX_PASSWORD "$W" --targets "$PK_TMP/secret" info
expect "a password in a file readable by others is refused, nothing sent" 2 ""
expect_err "the refusal says how to fix it" 'chmod'
chmod 600 "$PK_TMP/secret"
run env -u WATTBOX_PASSWORD "$W" --targets "$PK_TMP/secret" ping
expect_out "password= from a 0600 file" '^firmware: 2\.10\.0\.0$'
printf '%s colour=blue\n' "$A" >"$PK_TMP/badkey"
run "$W" --targets "$PK_TMP/badkey" info
expect "an unknown setting is a usage error" 2 ""
expect_err "naming file and line" "badkey:1"
printf '%s proto=pigeon\n' "$A" >"$PK_TMP/badproto"
run "$W" --targets "$PK_TMP/badproto" info
expect "a bad proto= is a usage error" 2 ""

# ---- Prometheus --------------------------------------------------------------
run "$W" --format prom "$A" "$B" status
expect "prom of two units" 0
expect_prom "prom of two units: promtool check metrics is silent"
expect_out "prom: each unit's wattbox_up" "^wattbox_up\\{server=\"$B\"\\} 1\$"
check "prom: one HELP per metric over both units" \
	[ "$(printf '%s\n' "$OUT" | grep '^# HELP' | sort | uniq -d | wc -l)" = 0 ]
check "prom: every sample carries server" \
	bash -c 'printf "%s\n" "$1" | grep -v "^#" | grep -vq "{server=\"127" && exit 1 || exit 0' _ "$OUT"
run "$W" --format prom -t 1 "$DEAD" status
expect "prom of a dead unit: wattbox_up 0 alone, exit 3" 3 "# HELP wattbox_up 1 when the WattBox answered everything asked
# TYPE wattbox_up gauge
wattbox_up{server=\"$DEAD\"} 0"
expect_prom "prom of a dead unit: promtool check metrics is silent"
run "$W" --format prom -t 1 "$A" "$HOLE" status
check "prom with a black-holed unit: exit 3" [ "$RC" = 3 ]
expect_out "prom: the black hole is down" "^wattbox_up\\{server=\"$HOLE\"\\} 0\$"
check "prom: nothing else for the black hole" [ "$(printf '%s\n' "$OUT" | grep -c "server=\"$HOLE\"")" = 1 ]
expect_prom "prom with a black-holed unit: promtool check metrics is silent"
run "$W" -p wrong --format prom "$A" status
expect "prom with a refused login: exit 4 as without prom" 4
expect_out "prom with a refused login: wattbox_up 0" "^wattbox_up\\{server=\"$A\"\\} 0\$"
run "$W" --format prom "$A" on 1
expect "prom with an action: usage error, nothing printed" 2 ""

# ---- --output ---------------------------------------------------------------
run "$W" --format prom --output "$PK_TMP/wb.prom" "$A" status
expect "--output: nothing on stdout" 0 ""
check "--output: the file holds the exposition" grep -q "^wattbox_up{server=\"$A\"} 1\$" "$PK_TMP/wb.prom"
check "--output: mode 0644" [ "$(stat -c %a "$PK_TMP/wb.prom")" = 644 ]
expect_prom "--output file passes promtool" "$PK_TMP/wb.prom"
run "$W" --format prom --output "$PK_TMP/wb.prom" -t 1 "$DEAD" status
check "--output after a failure: wattbox_up 0 replaces the last good file" \
	grep -q "^wattbox_up{server=\"$DEAD\"} 0\$" "$PK_TMP/wb.prom"
check "--output after a failure: exit 3" [ "$RC" = 3 ]
check "--output: no temporary file left" [ "$(ls "$PK_TMP" | grep -c 'wb\.prom.')" = 0 ]
# A reader polling the file never sees it partial or empty.
run "$W" --format prom --output "$PK_TMP/poll.prom" "$A" status
( for _ in $(seq 5); do "$W" --format prom --output "$PK_TMP/poll.prom" "$A" status; done ) &
WRITER=$!
bad=0
while kill -0 "$WRITER" 2>/dev/null; do
	tail -n 1 "$PK_TMP/poll.prom" | grep -q '^wattbox_ups_alarm_muted' || bad=$((bad + 1))
done
wait "$WRITER"
check "--output: a polling reader always saw a whole file ($bad partial)" [ "$bad" = 0 ]
WB_STATE=$A_STATE
expect_closed "fleet"

# ---- --check -----------------------------------------------------------------
wb_start onbatt --ups-status '45,30,Good,True,12,True,False'
OB=127.0.0.1:$WB_PORT
wb_start lowbatt --ups-status '8,30,Bad,True,2,True,False'
LB=127.0.0.1:$WB_PORT
PERF="'power'=590W 'current'=4.77A 'voltage'=123.69V 'ups.charge'=100%;20:;10:;0;100 'ups.load'=8%;;;0;100 'ups.runtime'=9600s"
run "$W" --check "$A"
expect "check: a healthy unit is OK with perfdata" 0 "WATTBOX OK - 12 outlets, 11 on, 590W, UPS 100% | $PERF"
check "check: nothing on stderr" test -z "$ERR"
run "$W" --check "$OB"
expect_out "check: UPS on battery is WARNING" '^WATTBOX WARNING - UPS on battery \(45%, 12 min left\) \|'
check "check: on battery exits 1" [ "$RC" = 1 ]
run "$W" --check "$LB"
expect_out "check: on battery with a low charge is CRITICAL" '^WATTBOX CRITICAL - UPS on battery, low battery \(8%\)'
check "check: low battery exits 2" [ "$RC" = 2 ]
run "$W" --check -v "$LB"
expect_out "check -v: the bad battery in the long output" "^$LB: WARNING: UPS battery health Bad\$"
run "$W" --check --expect-on 1-2 --expect-off 3 "$A"
expect "check: outlets as expected are OK" 0
run "$W" --check --expect-on 3 "$A"
expect_out "check: an outlet off that should be on is CRITICAL" '^WATTBOX CRITICAL - outlet 3 \(Denon Rcv\) is off, expected on \|'
check "check: exit 2" [ "$RC" = 2 ]
run "$W" --check --expect-off 'Dish Hopper' "$A"
expect_out "check: by name" '^WATTBOX CRITICAL - outlet 1 \(Dish Hopper\) is on, expected off'
run "$W" --check --expect-on 13 "$A"
expect_out "check: an outlet the unit lacks is UNKNOWN" "^WATTBOX UNKNOWN - --expect-on: outlet '13': no such outlet"
check "check: exit 3" [ "$RC" = 3 ]
run "$W" --check --warning power=500 --critical power=1000 "$A"
expect_out "check: power over its warning range" "^WATTBOX WARNING - power 590W \\(warning 500\\) \\| 'power'=590W;500;1000 "
check "check: exit 1" [ "$RC" = 1 ]
run "$W" --check --critical voltage=118:122 "$A"
expect_out "check: voltage outside its range is CRITICAL" '^WATTBOX CRITICAL - voltage 123.69V \(critical 118:122\)'
run "$W" --check --warning 'current=@4:5' "$A"
expect_out "check: an @ range alerts inside" '^WATTBOX WARNING - current 4.77A \(warning @4:5\)'
run "$W" --check --critical power=1000 "$B"
expect_out "check: a threshold on a value the unit does not report is UNKNOWN" '^WATTBOX UNKNOWN - power: not reported by this unit'
run "$W" --check "$B"
expect "check: a unit without metering or UPS, no thresholds: OK" 0 "WATTBOX OK - 2 outlets, 2 on"
run "$W" --check --warning bogus=3 "$A"
expect "check: an unknown variable is UNKNOWN, on stdout" 3 "WATTBOX UNKNOWN - wattctl: no variable 'bogus' to check (known: power, current, voltage, ups.charge, ups.load, ups.runtime)"
run "$W" --check --warning power=abc "$A"
expect "check: a bad range is UNKNOWN" 3
expect_out "check: the bad range named" '^WATTBOX UNKNOWN - wattctl: --warning: .*abc'
run "$W" --check --unreachable maybe "$A"
expect "check: a bad --unreachable is UNKNOWN" 3 "WATTBOX UNKNOWN - wattctl: --unreachable maybe: expected unknown or critical"
run "$W" --expect-on 3 "$A" status
expect "--expect-on without --check is a usage error" 2 ""
run "$W" --check -t 1 "$DEAD"
expect_out "check: an unreachable unit is UNKNOWN with the reason" "^WATTBOX UNKNOWN - cannot connect to 127.0.0.1 port"
check "check: unreachable exits 3" [ "$RC" = 3 ]
run "$W" --check --unreachable=critical -t 1 "$DEAD"
check "check: --unreachable=critical exits 2" [ "$RC" = 2 ]
expect_out "check: and says CRITICAL" '^WATTBOX CRITICAL - cannot connect'
run "$W" --check -t 2 "$A" "$OB" "$DEAD" "$HOLE"
expect_out "check: several units in one line" "^WATTBOX WARNING - 1 OK, 1 WARNING \\($OB: UPS on battery \\(45%, 12 min left\\)\\), 2 UNKNOWN \\($DEAD: .*\\) \\| '$A/power'=590W "
check "check: the worst known state decides (WARNING)" [ "$RC" = 1 ]
run "$W" --check -j "$OB"
expect_json "check -j: the report as JSON" 'd["service"] == "WATTBOX" and d["state"] == "WARNING" and d["targets"][0]["target"] == "'"$OB"'"'
check "check -j: exit 1" [ "$RC" = 1 ]

# ---- units are read at once ---------------------------------------------------
# Five units whose ?Model takes 1.2 s each: one after the other they would
# need 6 s; at once the run fits in -t 3 (+ 1 s).
SLOW=()
for i in 1 2 3 4 5; do
	wb_start "slow$i" --slow '?Model=1.2'
	SLOW+=("127.0.0.1:$WB_PORT")
done
run "$W" -t 3 "${SLOW[@]}" info
expect_out "at once: the first slow unit read" "^${SLOW[0]}: model: WB-800-IPVM-12\$"
expect_out "at once: the last slow unit read" "^${SLOW[4]}: model: WB-800-IPVM-12\$"
check "at once: every slow unit read ($(printf '%s\n' "$OUT" | grep -c ': model: '))" \
	[ "$(printf '%s\n' "$OUT" | grep -c ': model: ')" = 5 ]
check "at once: exit 0" [ "$RC" = 0 ]
check "at once: nothing on stderr" test -z "$ERR"
check "at once: five 1.2 s units end within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
run "$W" -t 3 --parallel 1 "${SLOW[0]}" "${SLOW[1]}" "${SLOW[2]}" info
expect_out "--parallel 1: the units still read" "^${SLOW[2]}: outlets: 12\$"
check "--parallel 1: exit 0" [ "$RC" = 0 ]
check "--parallel 1: one unit at a time (${MS} ms for three 1.2 s units)" [ "$MS" -ge 3000 ]
run "$W" -t 2 "$HOLE" "${SLOW[0]}" "${SLOW[1]}" "$DEAD" info
expect_out "a black hole beside slow units: they are read" "^${SLOW[1]}: model: WB-800-IPVM-12\$"
expect_err "a black hole beside slow units: it timed out" "^wattctl: $HOLE: no login prompt.*timed out"
expect_err "a dead unit beside them: named" "^wattctl: $DEAD: cannot connect"
check "a black hole beside slow units: exit 3" [ "$RC" = 3 ]
check "a black hole beside slow units: within -t + 1 s (${MS} ms)" [ "$MS" -lt 3000 ]
run "$W" -j -t 3 "${SLOW[@]}" ping
expect_json "at once, JSON: the documents in the order given" \
	'[x["target"] for x in d] == '"$(printf '"%s",' "${SLOW[@]}" | sed 's/^/[/; s/,$/]/')"
run "$W" --check -t 3 "${SLOW[@]}"
expect_out "at once, --check: one line for the five" "^WATTBOX OK - 5 OK \\|"
check "at once, --check: within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
for i in 1 2 3 4 5; do
	WB_STATE=$PK_TMP/slow$i
	expect_closed "slow unit $i"
done

# ---- legacy HTTP units are read at once too ----------------------------------
# Five units whose /wattbox_info.xml takes 1.2 s each: one after the other
# they would need 6 s; at once the run fits in -t 3 (+ 1 s).
HSLOW=()
for i in 1 2 3 4 5; do
	wb_start "hslow$i" --http --model WB-700-IPV-12 --names "TV|Amp|Fan" \
		--slow /wattbox_info.xml=1.2
	HSLOW+=("127.0.0.1:$WB_PORT")
done
run "$W" --proto http -t 3 "${HSLOW[@]}" info
expect_out "http at once: the first slow unit read" "^${HSLOW[0]}: model: WB-700-IPV-12\$"
expect_out "http at once: the last slow unit read" "^${HSLOW[4]}: model: WB-700-IPV-12\$"
check "http at once: every slow unit read ($(printf '%s\n' "$OUT" | grep -c ': model: '))" \
	[ "$(printf '%s\n' "$OUT" | grep -c ': model: ')" = 5 ]
check "http at once: exit 0" [ "$RC" = 0 ]
check "http at once: nothing on stderr" test -z "$ERR"
check "http at once: five 1.2 s units end within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
WB_STATE=$PK_TMP/hslow1
check "http at once: a read is one GET" [ "$(wb_log_count 'GET /wattbox_info.xml')" = 1 ]
run "$W" --proto http -t 3 --parallel 1 "${HSLOW[0]}" "${HSLOW[1]}" "${HSLOW[2]}" info
expect_out "http --parallel 1: the units still read" "^${HSLOW[2]}: outlets: 12\$"
check "http --parallel 1: exit 0" [ "$RC" = 0 ]
check "http --parallel 1: one unit at a time (${MS} ms for three 1.2 s units)" [ "$MS" -ge 3000 ]
run "$W" --proto http -t 2 "$HOLE" "${HSLOW[0]}" "${HSLOW[1]}" "$DEAD" info
expect_out "http, a black hole beside slow units: they are read" \
	"^${HSLOW[1]}: model: WB-700-IPV-12\$"
expect_err "http, a black hole beside slow units: it timed out" \
	"^wattctl: $HOLE: timed out on /wattbox_info.xml\$"
expect_err "http, a dead unit beside them: named" "^wattctl: $DEAD: cannot connect"
check "http, a black hole beside slow units: exit 3" [ "$RC" = 3 ]
check "http, a black hole beside slow units: within -t + 1 s (${MS} ms)" [ "$MS" -lt 3000 ]
run "$W" --proto http -t 3 "$A" "${HSLOW[0]}" status
expect_err "http: a telnet port among the units is left alone" \
	"^wattctl: $A: the device spoke first \\('.+'\\): this looks like the telnet port, not the HTTP API; nothing was sent\$"
expect_out "http: the unit beside it is read" "^${HSLOW[0]}: 1	on	-	-	-	TV\$"
check "http: a telnet port among them: exit 3" [ "$RC" = 3 ]
cat >"$PK_TMP/mixed" <<EOM
${SLOW[0]}
${HSLOW[0]} proto=http
${SLOW[1]}
${HSLOW[1]} proto=http
EOM
run "$W" -t 3 --targets "$PK_TMP/mixed" info
check "slow telnet and HTTP units at once: every one read" \
	[ "$(printf '%s\n' "$OUT" | grep -c ': model: ')" = 4 ]
check "slow telnet and HTTP units at once: exit 0" [ "$RC" = 0 ]
check "slow telnet and HTTP units at once: within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
run "$W" --check --proto http -t 3 "${HSLOW[@]}"
expect_out "http at once, --check: one line for the five" "^WATTBOX OK - 5 OK \\|"
check "http at once, --check: within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
for i in 1 2 3 4 5; do
	WB_STATE=$PK_TMP/hslow$i
	expect_closed "slow HTTP unit $i"
done
