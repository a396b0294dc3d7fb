#!/bin/bash
# wattctl --proto http against the legacy WB-300/700 API of the simulator.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

NAMES='TV|Amp|Rack Fan|Outlet 4|Outlet 5|Outlet 6|Outlet 7|Outlet 8|Outlet 9|Outlet 10|Outlet 11|Outlet 12'
wb_start http --http --model WB-700-IPV-12 --names "$NAMES"
H=127.0.0.1:$WB_PORT
WH=("$W" --proto http)

# The simulator is as strict as the real thing: prove it, so that the
# passes below mean wattctl sent what it must.
code=$(python3 -c '
import sys, urllib.request, urllib.error
r = urllib.request.Request("http://127.0.0.1:%s/wattbox_info.xml" % sys.argv[1])
try: urllib.request.urlopen(r, timeout=3)
except urllib.error.HTTPError as e: print(e.code)' "$WB_PORT")
check "simulator: 400 without User-Agent: APP" [ "$code" = 400 ]

run "${WH[@]}" "$H" info
expect "info over http" 0 "model: WB-700-IPV-12
firmware: 
hostname: RackA
service_tag: ST19150068
outlets: 12"
check "User-Agent APP and Basic auth were sent" [ "$(wb_log_count 'ua=APP$')" -ge 1 ]
run "${WH[@]}" "$H" status
expect_out "status over http" '^3	off	-	-	-	Rack Fan$'
run "${WH[@]}" -j "$H" status
expect_json "status -j over http" 'not d["metered"] and len(d["outlets"]) == 12 and d["outlets"][0]["name"] == "TV"'
run "${WH[@]}" "$H" power
expect "power in tenths scaled" 0 "amps: 1.50
watts: 590.00
volts: 118.70
safe_voltage: 1"
run "${WH[@]}" "$H" ups
expect "no UPS attached" 0 "connected: no"
run "${WH[@]}" -j "$H" ups
expect_json "ups -j over http: booleans" 'd == {"supported": True, "connected": False}'
: >"$WB_STATE/log"
run "${WH[@]}" "$H" ping
expect_out "ping over http: one request timed" '^round_trip_ms: [0-9]+\.[0-9]{2}$'
expect "ping over http exits 0" 0
check "ping over http is one GET" [ "$(wb_log_count 'GET /wattbox_info.xml')" = 1 ]

: >"$WB_STATE/log"
run "${WH[@]}" "$H" off TV
expect "off by name, confirmed by re-reading" 0 "1	off	TV"
check "control.cgi with both parameters" [ "$(wb_log_count 'GET /control.cgi\?outlet=1&command=0 ')" = 1 ]
run "${WH[@]}" "$H" toggle 'Rack Fan'
expect "toggle is emulated by reading first" 0 "3	on	Rack Fan"
run "${WH[@]}" "$H" reset 2
expect "reset answered with no valid HTTP, confirmed by re-reading" 0 "2	on	Amp"
run "${WH[@]}" -n "$H" reset TV
expect "dry run of a reset of an outlet that is off" 0 "GET /control.cgi?outlet=1&command=3"
expect_err "over HTTP the warning says the reset does nothing" \
	'^wattctl: 127\.0\.0\.1:[0-9]+: warning: outlet 1 \(TV\) is off: the legacy HTTP API resets only outlets that are on$'
run "${WH[@]}" "$H" off all
expect "off all without --yes over HTTP: exit 2" 2 ""
run "${WH[@]}" -n "$H" on 1-2
expect "dry run prints the requests" 0 "GET /control.cgi?outlet=1&command=1
GET /control.cgi?outlet=2&command=1"
check "dry run sent no control" [ "$(wb_log_count 'outlet=(1|2)&command=1 ')" = 0 ]
run "${WH[@]}" "$H" autoreboot on
expect "autoreboot on" 0 "autoreboot: on"
run "${WH[@]}" "$H" reset 2 --delay 3
expect "no reset delay over http" 2
run "${WH[@]}" "$H" reboot --yes
expect "no reboot over http" 2

run "${WH[@]}" -p wrong "$H" info
expect "401 is exit 4" 4
expect_err "401 suggests telnet" 'HTTP 401 on /wattbox_info.xml: .*try --proto telnet'
expect_closed "http"

# An 800-series unit answers 401 even with good credentials.
wb_start http800 --http --http-401 --http-lie-length
run "${WH[@]}" "127.0.0.1:$WB_PORT" status
expect "800-series 401 is exit 4" 4
expect_err "and points to telnet" 'try --proto telnet'

# A body whose transport complains (Content-Length longer than the body).
wb_start httpshort --http --http-lie-length --names "$NAMES"
run "${WH[@]}" "127.0.0.1:$WB_PORT" info
expect_out "a body ending at </request> is accepted despite a short read" '^model: WB-800-IPVM-12$'
expect "exit 0 for the short read" 0

PORT=$(pk_free_port)
run "${WH[@]}" -t 1 "127.0.0.1:$PORT" info
expect "nothing listening is exit 3" 3
wb_silent_peer
run "${WH[@]}" -t 1 "127.0.0.1:$SILENT_PORT" info
expect "a silent server is exit 3" 3
expect_err "timeout named" 'timed out on /wattbox_info.xml'
expect_fast "within --timeout + 1 s" 2000

# A comma in a name (issue 11, defect 13): the legacy API cannot say which
# comma separates, so the outlets go by number, with a warning.
wb_start http-commas --http --model WB-700-IPV-12 --names 'TV|PS5, Xbox'
HC=127.0.0.1:$WB_PORT
run "${WH[@]}" "$HC" status
expect "http, a comma in a name: status still works" 0
expect_out "http, a comma in a name: outlets by number, no names" '^2	on	-	-	-	$'
expect_err "http, a comma in a name: a warning says why" \
	'^wattctl: 127\.0\.0\.1:[0-9]+: <outlet_name> does not list 12 names \(a name with a comma\?\): outlets are shown by number, without names$'
run "${WH[@]}" --yes "$HC" off 3
expect "http, a comma in a name: switching by number works" 0
check "http, a comma in a name: the outlet was switched" [ "$(wb_log_count 'outlet=3&command=0 ')" = 1 ]

# A stop request during a transfer ends the run at once, said as the signal.
wb_start http-slow --http --names "$NAMES" --slow /wattbox_info.xml=10
"${WH[@]}" -t 10 "127.0.0.1:$WB_PORT" status >"$PK_TMP/stop.out" 2>"$PK_TMP/stop.err" &
STOPPED=$!
for _ in $(seq 100); do
	[ "$(wb_log_count 'GET /wattbox_info.xml')" -ge 1 ] && break
	sleep 0.05
done
t0=$(date +%s%N)
kill -TERM "$STOPPED"
pk_wait_end "$STOPPED" 5 || { kill -KILL "$STOPPED"; RC=none; }
ms=$((($(date +%s%N) - t0) / 1000000))
check "http: SIGTERM mid-transfer ends by the signal (exit $RC)" [ "$RC" = 143 ]
check "http: SIGTERM mid-transfer: within 1 s ($ms ms)" [ "$ms" -lt 1000 ]
check "http: SIGTERM mid-transfer: nothing on stdout" [ ! -s "$PK_TMP/stop.out" ]
check "http: SIGTERM mid-transfer: says it was stopped" \
	grep -qx "wattctl: 127\.0\.0\.1:$WB_PORT: stopped by SIGTERM" "$PK_TMP/stop.err"
