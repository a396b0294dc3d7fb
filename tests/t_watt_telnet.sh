#!/bin/bash
# wattctl over telnet against the WattBox simulator (tests/wattbox/wbsim.py).
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

# ---- usage: exit 2 and nothing sent -------------------------------------
run "$W" --help
expect "--help exits 0" 0
expect_out "--help shows the synopsis" '^usage: wattctl \[OPTIONS\] HOST\[:PORT\]\.\.\. info\|status\|power\|ups'
run "$W" -V
expect "-V prints the version" 0 "wattctl (powerkit) 0.1.0"

wb_start main --push-every 0.1 --push-prob 0.3 --split-banner --seed 7
H=127.0.0.1:$WB_PORT
run "$W"
expect "no arguments is a usage error" 2
run "$W" "$H" explode
expect "unknown action" 2
expect_err "unknown action named" "unknown action 'explode'"
run "$W" "$H" reset all
expect "reset all without --yes" 2
expect_err "reset all asks for --yes" 'reset all cycles every outlet: add --yes'
run "$W" "$H" reboot
expect "reboot without --yes" 2
check "reboot asks for --yes" test "$ERR" = \
	"wattctl: $H: reboot cycles every outlet: add --yes (or -n to see what would be sent)"
run "$W" "$H" off all
expect "off all without --yes: exit 2, nothing on stdout" 2 ""
expect_err "off all asks for --yes" '^wattctl: 127\.0\.0\.1:[0-9]+: off all switches off every outlet: add --yes'
run "$W" "$H" toggle 3,all
expect "toggle of a list with all in it without --yes" 2
expect_err "toggle asks for --yes" 'toggle 3,all toggles every outlet: add --yes'
run "$W" "$H" on 3 --delay 5
expect "--delay with on" 2
run "$W" "$H" reset 3 --delay 601
expect "--delay out of range" 2
run "$W" --format prom "$H" ping
expect "--format prom not with ping" 2
run "$W" "$H" autoreboot maybe
expect "autoreboot wants on|off" 2
run env -u WATTBOX_PASSWORD "$W" "$H" info
expect "no password and no terminal" 2
expect_err "no password says how to give one" 'no password: use --password-file'
run "$W" --proto carrier-pigeon "$H" info
expect "unknown --proto" 2
check "usage errors sent nothing" [ "$(wb_log_count .)" = 0 ]
run "$W" "$H" off 1-12
expect "off 1-12 of 12 outlets is every outlet: exit 2" 2 ""
expect_err "the message names the action as typed" 'off 1-12 switches off every outlet: add --yes'
run "$W" "$H" reset 1-11,'Unifi 24 Switch'
expect "numbers and a name that select every outlet: exit 2" 2
check "no !OutletSet for any spelling of every outlet" [ "$(wb_log_count '!OutletSet')" = 0 ]
: >"$WB_STATE/log"

# ---- queries --------------------------------------------------------------
run "$W" "$H" info
expect "info" 0 "model: WB-800-IPVM-12
firmware: 2.10.0.0
hostname: RackA
service_tag: ST191500681E8422
outlets: 12"
expect_closed "info"
check "info sent !Exit" [ "$(wb_log_count '< !Exit$')" = 1 ]
check "nothing written before the prompt" [ "$(wb_log_count early-bytes)" = 0 ]

STATUS=$(printf '%s\n' "1	on	10.00	0.08	118.78	Dish Hopper" "2	on	17.50	0.15	118.78	EA3" \
	"3	off	0.00	0.00	118.78	Denon Rcv" "4	on	32.50	0.27	118.78	Cheap LED Strip" \
	"5	on	40.00	0.34	118.78	Outlet 5" "6	on	47.50	0.40	118.78	Nvidia Shield" \
	"7	on	55.00	0.46	118.78	WTC UPS" "8	on	62.50	0.53	118.78	Dream Machine" \
	"9	on	70.00	0.59	118.78	Vivint Camera" "10	on	77.50	0.65	118.78	Hikvision NVR" \
	"11	on	85.00	0.72	118.78	PS5, Xbox" "12	on	92.50	0.78	118.78	Unifi 24 Switch")
run "$W" "$H" status
expect "status with pushes between and during replies" 0 "$STATUS"
run "$W" -j "$H" status
expect_json "status -j" 'd["metered"] and len(d["outlets"]) == 12 and d["outlets"][10] == {"outlet": 11, "name": "PS5, Xbox", "state": "on", "watts": 85.0, "amps": 0.72, "volts": 118.78}'
run "$W" --format prom "$H" status
expect_prom "status --format prom: promtool check metrics is silent"
expect_out "status prom: outlet state" '^wattbox_outlet_on\{server="127.0.0.1:'"$WB_PORT"'",outlet="3",name="Denon Rcv"\} 0$'
expect_out "status prom: watts" '^wattbox_outlet_power_watts\{server="127.0.0.1:'"$WB_PORT"'",outlet="11",name="PS5, Xbox"\} 85$'
expect_out "status prom: up" '^wattbox_up\{server="127.0.0.1:'"$WB_PORT"'"\} 1$'
expect_prom "status prom passes promtool"
expect_out "status prom: identity in wattbox_info" '^wattbox_info\{server="127.0.0.1:'"$WB_PORT"'",model="WB-800-IPVM-12",firmware="2\.10\.0\.0",hostname="RackA",service_tag="ST191500681E8422"\} 1$'
expect_out "status prom: unit power" '^wattbox_power_watts\{server="127.0.0.1:'"$WB_PORT"'"\} 590$'
expect_out "status prom: UPS charge as a ratio" '^wattbox_ups_battery_charge_ratio\{server="127.0.0.1:'"$WB_PORT"'"\} 1$'
expect_out "status prom: UPS runtime in seconds" '^wattbox_ups_runtime_seconds\{server="127.0.0.1:'"$WB_PORT"'"\} 9600$'
expect_out "status prom: UPS power lost as 0" '^wattbox_ups_power_lost\{server="127.0.0.1:'"$WB_PORT"'"\} 0$'
check "status prom: one HELP per metric" [ "$(printf '%s\n' "$OUT" | grep '^# HELP' | sort | uniq -d | wc -l)" = 0 ]
run "$W" --format prom "$H" ups
expect_out "ups prom: the UPS series" '^wattbox_ups_load_ratio\{server="127.0.0.1:'"$WB_PORT"'"\} 0\.08$'
check "ups prom: no outlet series" [ "$(printf '%s\n' "$OUT" | grep -c '^wattbox_outlet')" = 0 ]
expect_prom "ups prom passes promtool"
run "$W" --format prom "$H" power
expect_out "power prom: the raw safe-voltage flag" '^wattbox_safe_voltage_status\{server="127.0.0.1:'"$WB_PORT"'"\} 0$'
expect_prom "power prom passes promtool"
run "$W" --format prom "$H" info
expect "info prom" 0
expect_prom "info prom passes promtool"
run "$W" "$H" power
expect "power" 0 "amps: 4.77
watts: 590.00
volts: 123.69
safe_voltage: 0"
run "$W" -j "$H" ups
expect_json "ups -j: flags are JSON booleans" 'd == {"supported": True, "connected": True, "battery_charge": 100, "battery_load": 8, "battery_health": "Good", "power_lost": False, "runtime_minutes": 160, "alarm_enabled": True, "alarm_muted": False}'
run "$W" "$H" ups
expect_out "ups text keeps the device's words" '^power_lost: False$'
: >"$WB_STATE/log"
run "$W" "$H" status 'Denon Rcv',11
expect "status OUTLETS: the selected outlets with their power" 0 "$(printf '%s\n' "$STATUS" | sed -n '3p;11p')"
check "status OUTLETS asks the power of those outlets only" \
	[ "$(wb_log_count '< \?OutletPowerStatus=')" = 2 ]
run "$W" -j "$H" status 12
expect_json "status OUTLETS -j" 'd == {"metered": True, "outlets": [{"outlet": 12, "name": "Unifi 24 Switch", "state": "on", "watts": 92.5, "amps": 0.78, "volts": 118.78}]}'
run "$W" "$H" status 13
expect "status of an outlet the unit lacks: exit 2, nothing on stdout" 2 ""
expect_err "status 13 names the valid range" "outlet '13': no such outlet \(valid: 1-12"
run "$W" "$H" status 1 2
expect "status takes one OUTLETS argument" 2 ""
expect_err "the extra argument is named" "unexpected argument '2'"
: >"$WB_STATE/log"
run "$W" "$H" ping
expect_out "ping: the firmware" '^firmware: 2\.10\.0\.0$'
expect_out "ping: the round trip" '^round_trip_ms: [0-9]+\.[0-9]{2}$'
expect "ping exits 0" 0
check "ping is login, ?Firmware, !Exit" [ "$(grep -Ec '< (\?Firmware|!Exit)$' "$WB_STATE/log")" = 2 ]
run "$W" -j "$H" ping
expect_json "ping -j" 'd["firmware"] == "2.10.0.0" and isinstance(d["round_trip_ms"], (int, float)) and d["round_trip_ms"] >= 0'
run "$W" "$H" ping 3
expect "ping takes no argument" 2 ""
run "$W" -p wrong "$H" ping
expect "ping with a bad password: exit 4, nothing on stdout" 4 ""
expect_err "ping says the login failed" 'Invalid Login'

run "$W" "$H" autoreboot
expect "autoreboot query" 0 "autoreboot: off"
expect_closed "queries"

# ---- actions: read back, names, dry run ----------------------------------
# wb_status_names STATE: "N<TAB>STATE<TAB>NAME" for the 12 outlets.
wb_status_names() {
	printf '%s\n' "$STATUS" | awk -F '\t' -v s="$1" '{ print $1 "\t" s "\t" $6 }'
}
: >"$WB_STATE/log"
run "$W" "$H" off 2
expect "off 2 confirmed" 0 "2	off	EA3"
check "off 2 was sent once" [ "$(wb_log_count '< !OutletSet=2,OFF$')" = 1 ]
run "$W" "$H" on 'PS5, Xbox'
expect "a name with a comma and a space" 0 "11	on	PS5, Xbox"
run "$W" "$H" toggle 'Denon Rcv',2
expect "toggle by name and number" 0 "2	on	EA3
3	on	Denon Rcv"
run "$W" -j "$H" off 3
expect_json "off -j" 'd == {"action": "off", "confirmed": True, "outlets": [{"outlet": 3, "name": "Denon Rcv", "state": "off"}]}'
run "$W" "$H" on 13
expect "an outlet the device lacks is a usage error" 2
expect_err "it names the valid range" "outlet '13': no such outlet \(valid: 1-12"
check "nothing was switched for outlet 13" [ "$(wb_log_count '!OutletSet=13')" = 0 ]
run "$W" -n "$H" off 4-5
expect "dry run prints the protocol lines" 0 "!OutletSet=4,OFF
!OutletSet=5,OFF"
run "$W" -n "$H" reset all
expect "dry run of reset all needs no --yes" 0 "!OutletSet=0,RESET"
n_off=$(wb_log_count '< !OutletSet=[0-9]+,OFF$')
run "$W" -n "$H" off all
expect "dry run of off all needs no --yes and shows every line" 0 "$(for i in $(seq 12); do echo "!OutletSet=$i,OFF"; done)"
check "dry run of off all sent no !OutletSet" [ "$(wb_log_count '< !OutletSet=[0-9]+,OFF$')" = "$n_off" ]
run "$W" -n -j "$H" off 4-5
expect_json "-n -j: one document with the protocol lines" 'd == {"dry_run": True, "target": "'"$H"'", "requests": ["!OutletSet=4,OFF", "!OutletSet=5,OFF"]}'
check "-n -j exits 0" test "$RC" = 0
check "dry runs sent no !OutletSet" [ "$(wb_log_count '< !OutletSet=(4|5|0),')" = 0 ]
run "$W" -n "$H" reset 3
expect "dry run of a reset of an off outlet" 0 "!OutletSet=3,RESET"
check "the dry run warns that the reset turns it on" test "$ERR" = \
	"wattctl: $H: warning: outlet 3 (Denon Rcv) is off: a reset turns it on"
: >"$WB_STATE/log"
run "$W" "$H" reset 'Denon Rcv' --delay 1
expect "reset of an off outlet ends on" 0 "3	on	Denon Rcv"
check "a warning before doing it" test "$ERR" = \
	"wattctl: $H: warning: outlet 3 (Denon Rcv) is off: a reset turns it on"
check "the reset was sent once" [ "$(wb_log_count '< !OutletSet=3,RESET,1$')" = 1 ]
run "$W" -q "$H" off 3
expect "off 3 again" 0 "3	off	Denon Rcv"
run "$W" -q "$H" reset 3 --delay 1
check "-q silences the warning" test -z "$ERR"
run "$W" "$H" reset 4 --delay 1
expect "reset with delay is confirmed on" 0 "4	on	Cheap LED Strip"
check "no warning for a reset of an outlet that is on" test -z "$ERR"
check "reset waited for the delay (${MS} ms)" [ "$MS" -ge 1000 ]
check "reset sent the delay" [ "$(wb_log_count '< !OutletSet=4,RESET,1$')" = 1 ]
run "$W" "$H" reset all --yes
expect_out "reset all --yes confirms every outlet" '^12	on	Unifi 24 Switch$'
check "reset all is one command" [ "$(wb_log_count '< !OutletSet=0,RESET$')" = 1 ]
run "$W" --no-wait "$H" off 6
expect "--no-wait reports sent" 0 "6	sent	Nvidia Shield"
run "$W" "$H" on all
expect "on all needs no --yes (it cuts no power)" 0 "$(wb_status_names on)"
: >"$WB_STATE/log"
run "$W" "$H" off all --yes
expect "off all --yes switches every outlet off, confirmed" 0 "$(wb_status_names off)"
check "off all is one !OutletSet per outlet" [ "$(wb_log_count '< !OutletSet=[0-9]+,OFF$')" = 12 ]
run "$W" "$H" on all
expect "and on all brings them back" 0 "$(wb_status_names on)"
run "$W" --no-wait "$H" off 6
run "$W" "$H" autoreboot on
expect "autoreboot on read back" 0 "autoreboot: on"
expect_closed "actions"
run "$W" -n "$H" autoreboot off
expect "dry run of autoreboot" 0 "!AutoReboot=0"
run "$W" -n "$H" reboot
expect "dry run of reboot" 0 "!Reboot"
run "$W" -n -j "$H" reboot
expect_json "-n -j reboot: one document" 'd["dry_run"] is True and d["requests"] == ["!Reboot"]'
run "$W" -n -j "$H" autoreboot off
expect_json "-n -j autoreboot: one document" 'd["dry_run"] is True and d["requests"] == ["!AutoReboot=0"]'
check "dry runs sent no !AutoReboot=0 or !Reboot" [ "$(wb_log_count '< !(AutoReboot=0|Reboot)$')" = 0 ]
run "$W" "$H" reboot --yes
expect "reboot --yes" 0 "rebooting (every outlet comes back on)"
check "reboot sent once" [ "$(wb_log_count '< !Reboot$')" = 1 ]
run "$W" "$H" status
expect_out "after the reboot every outlet is on" '^6	on	'
expect_closed "reboot"

# ---- credentials: file, user from the environment, masked trace -----------
printf 's3cret\nsecond line ignored\n' >"$PK_TMP/pw"
chmod 600 "$PK_TMP/pw"  # others may not read it (issue 11)
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/pw" "$H" power
expect "--password-file (first line)" 0
run env -u WATTBOX_PASSWORD "$W" --password-file - "$H" power
expect "--password-file - with stdin not a terminal and empty: refused, nothing sent (issue 11)" 2 ""
expect_err "--password-file - empty: says so" "password file - is empty"
run "$W" -v "$H" autoreboot
expect_err "-v traces the protocol" '^wattctl: > \?AutoReboot$'
check "-v masks the password" [ "$(printf '%s' "$ERR" | grep -c s3cret)" = 0 ]
expect_err "-v shows the mask" '^wattctl: > \*\*\*\*\*\*\*\*$'

# ---- acknowledgement variants ---------------------------------------------
for mode in ok push; do
	wb_start "ack$mode" --ack "$mode" --push-every 0.05
	run "$W" "127.0.0.1:$WB_PORT" off 1,2
	expect "acknowledged by $mode" 0 "1	off	Dish Hopper
2	off	EA3"
	run "$W" "127.0.0.1:$WB_PORT" off 1
	expect "already off, acknowledged by $mode" 0 "1	off	Dish Hopper"
	expect_fast "already off, acknowledged by $mode, no wait for a push" 2500
	expect_closed "ack $mode"
done

# ---- refusals --------------------------------------------------------------
wb_start refuse --disabled 5 --stuck 7
H=127.0.0.1:$WB_PORT
run "$W" "$H" off 5
expect "#Error to !OutletSet is exit 1" 1
expect_err "refusal is explained" 'device refused !OutletSet=5,OFF'
run "$W" -t 2 "$H" off 7
expect "a state that never comes is exit 1" 1 "7	on	WTC UPS"
expect_err "says what the outlet is" 'outlet 7 \(WTC UPS\) is on, wanted off'
expect_fast "unconfirmed within --timeout + 1 s" 3000
expect_closed "refusals"

# ---- WB-250: no metering, no UPS -----------------------------------------
wb_start wb250 --model WB-250-IPW-2 --firmware 2.9.0.2 --outlets 2 --names 'TV|Amp Rack Fan'
H=127.0.0.1:$WB_PORT
run "$W" "$H" status
expect "WB-250 status without metering" 0 "1	on	-	-	-	TV
2	on	-	-	-	Amp Rack Fan"
run "$W" "$H" power
expect "WB-250 power is not supported, not a failure" 0 "power: not supported by this model"
run "$W" -j "$H" ups
expect "WB-250 ups -j" 0 '{"supported":false}'
expect_closed "WB-250"

# ---- the slow reply must not become the next answer ----------------------
wb_start slow --slow '?Hostname=2.5'
run "$W" -t 6 "127.0.0.1:$WB_PORT" info
expect "late ?Hostname is exit 3" 3 "model: WB-800-IPVM-12
firmware: 2.10.0.0
hostname: 
service_tag: ST191500681E8422
outlets: 12"
expect_err "names the query without a reply" 'no reply in time to \?Hostname'
expect_fast "within --timeout + 1 s" 7000
expect_closed "slow reply"

# ---- line endings, echo, telnet negotiation -------------------------------
wb_start crlf --crlf --echo --iac --outlets 2 --names 'A, B|C'
run "$W" "127.0.0.1:$WB_PORT" status
expect "CRLF, echo and stray IAC" 0 "1	on	10.00	0.08	118.78	A, B
2	on	17.50	0.15	118.78	C"
expect_closed "crlf"

# ---- login: bad password, poison, lockout ---------------------------------
wb_start login --lockout-after 3
H=127.0.0.1:$WB_PORT
run "$W" -p wrong "$H" info
expect "bad password is exit 4" 4
expect_err "Invalid Login reported, no retry" 'Invalid Login for user .wattbox. \(not retried'
check "one attempt only" [ "$(wb_log_count ' login ')" = 1 ]
expect_closed "bad password"
# A client that writes before the prompt poisons the user name.
python3 - "$WB_PORT" >"$PK_TMP/early" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"wattbox\n")
time.sleep(0.3)
s.sendall(b"s3cret\n")
time.sleep(0.3)
print(s.recv(4096).decode())
PY
check "the simulator punishes early bytes" grep -q 'Invalid Login' "$PK_TMP/early"
python3 - "$WB_PORT" >"$PK_TMP/poison" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
out = b""
for line in (b"wattbox\n", b"nope\n", b"wattbox\n", b"s3cret\n"):
    time.sleep(0.3)
    out += s.recv(4096)
    s.sendall(line)
time.sleep(0.3)
out += s.recv(4096)
print(out.decode())
PY
check "a failed login poisons the session (the right password fails after it)" \
	[ "$(grep -c 'Invalid Login' "$PK_TMP/poison")" = 2 ]
# Four failures so far: the API is locked now (after 3).
run "$W" "$H" info
expect "locked API is exit 4" 4
expect_err "lockout shows the remaining time" 'API locked after failed logins; try again in 4 min [0-9]+ s'
expect_fast "lockout is immediate" 1500
expect_closed "lockout"

# ---- session cap ------------------------------------------------------------
wb_start cap --cap 2
# Two sessions held open: each counts once the simulator has sent its
# prompt; they are let go when the test touches cap.done (or after 30 s).
python3 - "$WB_PORT" "$PK_TMP/cap" <<'PY' &
import os, socket, sys, time
socks = []
for _ in range(2):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.settimeout(20)
    got = b""
    while b"Username" not in got:
        more = s.recv(4096)
        if not more:
            break
        got += more
    socks.append(s)
open(sys.argv[2] + ".ready", "w").close()
end = time.monotonic() + 30
while not os.path.exists(sys.argv[2] + ".done") and time.monotonic() < end:
    time.sleep(0.05)
PY
HOLD=$!
pk_cleanup "pk_kill $HOLD"
for _ in $(seq 200); do [ -e "$PK_TMP/cap.ready" ] && break; sleep 0.05; done
run "$W" -t 2 "127.0.0.1:$WB_PORT" info
expect "session cap reached is exit 3" 3
expect_err "the cap is suggested" 'before the login prompt.*10 sessions'
expect_fast "cap within --timeout + 1 s" 3000
touch "$PK_TMP/cap.done"
wait "$HOLD"
run "$W" "127.0.0.1:$WB_PORT" info
expect "works again once sessions are freed" 0
expect_closed "cap"

# ---- hostile or absent peers ----------------------------------------------
PORT=$(pk_free_port)
run "$W" -t 2 "127.0.0.1:$PORT" info
expect "connection refused is exit 3" 3
expect_fast "refused is fast" 3000
wb_silent_peer
run "$W" -t 1 "127.0.0.1:$SILENT_PORT" info
expect "a silent peer is exit 3" 3
expect_err "timeout named" 'no login prompt.*timed out'
expect_fast "silent peer within --timeout + 1 s" 2000
PORT2=$(pk_free_port)
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
open(sys.argv[2], "w").close()
c, _ = s.accept()
try:
    while True: c.sendall(b"x" * 65536)
except OSError: pass
time.sleep(5)' "$PORT2" "$PK_TMP/flood.ready" &
pk_cleanup "pk_kill $!"
for _ in $(seq 200); do [ -e "$PK_TMP/flood.ready" ] && break; sleep 0.05; done
run "$W" -t 3 "127.0.0.1:$PORT2" info
expect "endless bytes without a prompt is exit 3" 3
expect_err "not a WattBox" 'no login prompt in [0-9]+ bytes|reply too large'
expect_fast "flood within --timeout + 1 s" 4000
