#!/bin/bash
# t_watt_watch.sh — wattctl --watch against the WattBox simulator: no
# events for the initial states (unless --initial); an outlet switched by
# another client shows up from the unit's push (the watch polls power and
# UPS only, every 600 s here); power lost / restored and the UPS on
# battery through the simulator's control file; the simulator killed
# (COMMBAD once) and started again (COMMOK once); bad credentials said
# once and never retried, a lockout waited out; SIGTERM ends it with
# !Exit; --exec with a hostile outlet name; -j as JSON Lines; --once
# --state; bad input.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

# watch NAME ARGS...: starts wattctl ARGS in the background (pk_bg),
# output in $PK_TMP/NAME.out and .err; WPID is its pid.
watch() {
	local name=$1
	shift
	pk_bg "$name" "$W" "$@"
	WPID=$BGPID
}

# until_log REGEX SECONDS: waits until the simulator's log has a line
# matching REGEX.
until_log() {
	local end=$((SECONDS + $2))
	while [ "$(wb_log_count "$1")" = 0 ]; do
		((SECONDS > end)) && return 1
		sleep 0.05
	done
}


# --- the initial states: no events, or with --initial one each --------------
wb_start init --chop 0
H=127.0.0.1:$WB_PORT
run "$W" --watch=600 --for 1.5 "$H"
expect "the initial states give no events" 0 ""
check "... and nothing on stderr" test -z "$ERR"
run "$W" --watch=600 --initial --count 15 "$H"
expect "--initial --count 15 ends by itself" 0
want="COMMOK
$(printf 'OUTLET_ON\n%.0s' 1 2)
OUTLET_OFF
$(printf 'OUTLET_ON\n%.0s' 4 5 6 7 8 9 10 11 12)
POWER_RESTORED
UPS_ONLINE"
check "--initial: COMMOK, the 12 outlets, power and UPS, in order" \
	test "$(printf '%s\n' "$OUT" | awk '{print $3}')" = "$want"
expect_out "a line is TIME TARGET EVENT VALUES" \
	"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z $H OUTLET_OFF outlet=3 name=Denon Rcv"
expect_out "the UPS event has its charge and runtime (seconds)" \
	"UPS_ONLINE ups.charge=100 ups.runtime=9600$"
run "$W" --watch=600 --initial --count 3 -j "$H"
expect "-j --count 3" 0
check "-j: JSON Lines, one object per event" python3 -c '
import json, sys
ls = sys.stdin.read().splitlines()
d = [json.loads(l) for l in ls]
assert len(d) == 3, d
assert [e["event"] for e in d] == ["COMMOK", "OUTLET_ON", "OUTLET_ON"], d
assert d[1]["values"] == {"outlet": 1, "name": "Dish Hopper"}, d[1]
assert d[0]["previous"] is None and d[0]["state"] == "OK" and d[0]["target"] == sys.argv[1]
assert d[0]["time"].endswith("Z")' "$H" <"$PK_TMP/out"

# --- an outlet switched by another client: from the push ---------------------
wb_start push --chop 0.3 --ack push
H=127.0.0.1:$WB_PORT
watch push --watch=600 "$H"
w=$WPID
until_log '^1 < \?UPSStatus' 5
t0=$(date +%s%N)
run "$W" "$H" off 5
expect "another client switches outlet 5 off" 0
pk_until_lines "$PK_TMP/push.out" 1 5
t1=$(date +%s%N)
check "OUTLET_OFF from the push, within 2 s (the poll interval is 600 s)" \
	test $(((t1 - t0) / 1000000)) -le 2000
check "the event names the outlet" grep -Eq "Z $H OUTLET_OFF outlet=5 name=Outlet 5$" \
	"$PK_TMP/push.out"
run "$W" "$H" on 5
pk_until_lines "$PK_TMP/push.out" 2 5
check "... and OUTLET_ON when it is switched back" \
	test "$(pk_events "$PK_TMP/push.out")" = "OUTLET_OFF
OUTLET_ON"
check "the watch asked the outlet states once, at its login" \
	test "$(wb_log_count '^1 < \?OutletStatus$')" = 1
check "one session for the watch, the other client's closed" test "$(wb_sessions)" = 1
kill -TERM $w
t0=$(date +%s%N)
pk_wait_end $w 2
t1=$(date +%s%N)
check "SIGTERM: exit 0" test "$RC" = 0
check "SIGTERM: ended within 1 s" test $(((t1 - t0) / 1000000)) -le 1000
check "SIGTERM: !Exit seen by the unit" test "$(wb_log_count '^1 exit$')" = 1
check "SIGTERM: nothing on stderr" test ! -s "$PK_TMP/push.err"
expect_closed "SIGTERM"

# --- power lost and restored, the UPS on battery ----------------------------
CTL=$PK_TMP/control
# ctl LINE...: the simulator's control file, replaced in one step (it is
# read at every query).
ctl() { printf '%s\n' "$@" >"$CTL.new" && mv "$CTL.new" "$CTL"; }
ctl ""
wb_start power --chop 0 --control "$CTL"
H=127.0.0.1:$WB_PORT
watch power --watch=0.2 "$H"
w=$WPID
until_log '^1 < \?UPSStatus' 5
sleep 0.3
ctl volts=0.00 ups-status=97,8,Good,True,150,True,False
pk_until_lines "$PK_TMP/power.out" 2 5
sleep 0.5
# hovering just over the limit: not restored yet (hysteresis 2 %)
ctl volts=91.00 ups-status=97,8,Good,True,150,True,False
sleep 0.6
ctl volts=121.50 ups-status=95,8,Good,False,148,True,False
pk_until_lines "$PK_TMP/power.out" 4 5
sleep 0.5
kill -TERM $w
pk_wait_end $w 2
OUT=$(cat "$PK_TMP/power.out") ERR=$(cat "$PK_TMP/power.err")
# A change of the control file may fall between the two queries of a
# poll: each pair is in order, the two pairs in either order.
check "power lost, UPS on battery, then both back, once each" \
	test "$(pk_events "$PK_TMP/power.out" | grep POWER) $(pk_events "$PK_TMP/power.out" | grep UPS)" \
	= "POWER_LOST
POWER_RESTORED UPS_ON_BATTERY
UPS_ONLINE"
check "... and nothing else" test "$(wc -l <"$PK_TMP/power.out")" = 4
check "POWER_LOST shows the voltage" grep -q " POWER_LOST voltage=0$" "$PK_TMP/power.out"
check "UPS_ON_BATTERY shows charge and runtime" \
	grep -q " UPS_ON_BATTERY ups.charge=97 ups.runtime=9000$" "$PK_TMP/power.out"
check "POWER_RESTORED at 121.5 V (91 V is within the hysteresis)" \
	grep -q " POWER_RESTORED voltage=121.5$" "$PK_TMP/power.out"

# --- the unit goes away and comes back ---------------------------------------
P=$(pk_free_port)
wb_start gone --chop 0 --port "$P"
H=127.0.0.1:$P
watch gone --watch=0.2 "$H"
w=$WPID
until_log '^1 < \?UPSStatus' 5
pk_kill "$WB_PID"
pk_until_lines "$PK_TMP/gone.out" 1 5
sleep 1.5
rm -f "$WB_STATE/port"
wb_start gone --chop 0 --port "$P"
pk_until_lines "$PK_TMP/gone.out" 2 10
sleep 0.5
kill -TERM $w
pk_wait_end $w 2
check "simulator killed, started again: COMMBAD once, COMMOK once" \
	test "$(pk_events "$PK_TMP/gone.out")" = "COMMBAD
COMMOK"
check "COMMBAD says why" grep -Eq " COMMBAD .*closed" "$PK_TMP/gone.out"
check "the watch logged in again" test "$(wb_log_count ' login wattbox$')" -ge 1

# --- bad credentials: said, never retried -----------------------------------
wb_start bad --chop 0
H=127.0.0.1:$WB_PORT
run env WATTBOX_PASSWORD=wrong "$W" --watch=0.2 --for 5 "$H"
expect "bad password: exit 4, nothing on stdout" 4 ""
expect_err "bad password: the device's words" "^wattctl: $H: Invalid Login for user 'wattbox'"
expect_fast "bad password: ends at once, not at --for" 2000
check "bad password: one login attempt, no retry" test "$(wb_log_count ' login ')" = 1

# A lockout (someone else's failures): said once, waited out, then one login.
wb_start locked --chop 0 --lockout-after 1 --lock-seconds 2
H=127.0.0.1:$WB_PORT
run env WATTBOX_PASSWORD=wrong "$W" "$H" status
expect "one bad login locks the API" 4
run "$W" --watch=0.2 --initial --count 2 "$H"
expect "--watch on a locked unit: waits, then logs in" 0
check "... COMMBAD while locked, COMMOK after" \
	test "$(printf '%s\n' "$OUT" | awk '{print $3}')" = "COMMBAD
COMMOK"
check "... the lockout said once on stderr" \
	test "$(printf '%s\n' "$ERR" | grep -c 'API locked after failed logins: next login in 0 min [23] s')" = 1
check "... one try while locked, then one login" \
	test "$(wb_log_count ' locked$') $(wb_log_count ' login wattbox$')" = "1 2"

# --- --exec with a hostile outlet name --------------------------------------
wb_start exec --chop 0 --names 'A|B|C|D|$(touch PWNED1) `touch PWNED2`; touch PWNED3 & x'
H=127.0.0.1:$WB_PORT
cd "$PK_TMP" || exit 1
watch exec --watch=600 --exec 'printf "%s|%s|%s\n" "$POWERKIT_EVENT" "$POWERKIT_TARGET" "$POWERKIT_DETAIL" >>exec.log; printf "%s\n" "$POWERKIT_JSON" >>exec.json; exit 3' "$H"
w=$WPID
until_log '^1 < \?UPSStatus' 5
run "$W" "$H" off 5
pk_until_lines "$PK_TMP/exec.out" 1 5
for i in $(seq 40); do grep -q "exited with status 3" "$PK_TMP/exec.err" && break; sleep 0.05; done
kill -TERM $w
pk_wait_end $w 2
check "--exec: the command got the event in its environment, name as it is" grep -qF \
	"OUTLET_OFF|$H|outlet=5 name=\$(touch PWNED1) \`touch PWNED2\`; touch PWNED3 & x" exec.log
check "--exec: no outlet name was run by a shell" \
	test ! -e PWNED1 -a ! -e PWNED2 -a ! -e PWNED3
check "--exec: POWERKIT_JSON is the event's JSON" python3 -c '
import json
d = json.loads(open("exec.json").read().splitlines()[0])
assert d["event"] == "OUTLET_OFF" and d["values"]["name"].startswith("$(touch")'
check "--exec: its exit status 3 reported on stderr, not fatal" \
	grep -q "^wattctl: --exec for OUTLET_OFF $H exited with status 3$" "$PK_TMP/exec.err"
check "--exec: the watch still ended with 0" test "$RC" = 0
cd - >/dev/null || exit 1

# --- --once --state: three cron-like runs -----------------------------------
wb_start once --chop 0
H=127.0.0.1:$WB_PORT
ST=$PK_TMP/wb.state
run "$W" --once --state "$ST" "$H"
expect "--once, first run: no state yet, nothing printed" 0 ""
check "--once: the state file is mode 0600" test "$(stat -c %a "$ST")" = 600
run "$W" "$H" off 2
run "$W" --once --state "$ST" "$H"
expect "--once, second run: what changed since" 0
expect_out "... outlet 2 went off" "Z $H OUTLET_OFF outlet=2 name=EA3$"
check "... only that" test "$(printf '%s\n' "$OUT" | wc -l)" = 1
run "$W" --once --state "$ST" "$H"
expect "--once, third run: nothing changed" 0 ""
expect_closed "--once"

# --- over SSH: the same session machine -------------------------------------
# The test SSH server relays each connection to a simulator of its own
# (--stdio), whose random pushes repeat the states: no events.
SSHD=$PK_TMP/wbsshd
# shellcheck disable=SC2046
if cc -O1 -Wno-deprecated-declarations -o "$SSHD" "$PK_TESTS/wattbox/wbsshd.c" \
	$(pkg-config --cflags --libs libssh) 2>"$PK_TMP/cc.err"; then
	ssh-keygen -q -t ed25519 -N '' -f "$PK_TMP/sshkey"
	SD=$PK_TMP/ssh
	mkdir -p "$SD"
	"$SSHD" "$SD" "$PK_TMP/sshkey" wattbox s3cret python3 "$WB_SIM" --stdio --state "$SD" \
		--push-every 0.1 --push-prob 1 >"$SD/stderr" 2>&1 &
	pk_cleanup "pk_kill $!"
	SSH_PORT=$(wb_wait_file "$SD/sshport")
	WB_STATE=$SD
	# -t 15: each connection starts an interpreter, slow on a loaded machine
	watch ssh --proto ssh --insecure-hostkey -q -t 15 --watch=0.3 --initial "127.0.0.1:$SSH_PORT"
	w=$WPID
	pk_until_lines "$PK_TMP/ssh.out" 15 30
	sleep 1
	kill -TERM $w
	pk_wait_end $w 2
	OUT=$(cat "$PK_TMP/ssh.out") ERR=$(cat "$PK_TMP/ssh.err")
	check "over SSH: --initial gives COMMOK, 12 outlets, power and UPS, then nothing" \
		test "$(pk_events "$PK_TMP/ssh.out" | LC_ALL=C sort | uniq -c | awk '{print $1 $2}' | tr '\n' ' ')" \
		= "1COMMOK 1OUTLET_OFF 11OUTLET_ON 1POWER_RESTORED 1UPS_ONLINE "
	check "over SSH: polled again, its pushes (the same states) made no event" \
		test "$(wb_log_count '^1 < \?UPSStatus')" -ge 2
	check "over SSH: SIGTERM ends it with 0 and !Exit" \
		test "$RC $(wb_log_count '^1 exit$')" = "0 1"
else
	not_ok "building the test SSH server"; sed 's/^/#   /' "$PK_TMP/cc.err"
fi

# --- bad input ----------------------------------------------------------------
run "$W" --watch 127.0.0.1:1 status
expect "--watch with an action: usage error" 2 ""
expect_err "... says so" "--watch takes HOSTs only"
run "$W" --watch --proto http 127.0.0.1:1
expect "--watch over the legacy HTTP API: usage error" 2 ""
expect_err "... says why" "no pushes"
run "$W" --initial 127.0.0.1:1 status
expect "--initial without --watch: usage error" 2 ""
run "$W" --watch=0 127.0.0.1:1
expect "--watch=0: usage error" 2 ""
run "$W" --watch --format prom 127.0.0.1:1
expect "--watch --format prom: usage error" 2 ""
run "$W" --watch --check 127.0.0.1:1
expect "--watch --check: a plugin's usage error, UNKNOWN" 3 \
	"WATTBOX UNKNOWN - wattctl: --watch prints events as they come: no --check or --output"

