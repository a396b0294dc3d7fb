#!/bin/bash
# t_pdu_tripped.sh — a tripped breaker in --check, --watch and Prometheus,
# against the simulated Raritan PX1 (circuitBreakerState tripped(1)), the
# Sentry4 (st4BranchStatus breakerTripped(12)), the Sentry4 chain (bank
# UNIT:N), Eaton and its chain (groupBreakerStatus breakerOff(2)) and the
# Raritan PX2 and its chain (the over-current protector's trip sensor
# open(0)), tripped and reset while the agents run through the simulator's
# trip file: --check CRITICAL naming the bank, its perfdata as before but
# the tripped bank's current; BANK_TRIPPED, then the load state read after
# the reset, with --once --state and a live watch; state="tripped" in
# pductl_bank_load_state, which families without a tripped state do not
# print.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
export PDU_SIM_TRIP_FILE=$PK_TMP/trips
export PDU_SIM_BANK_STATE_FILE=$PK_TMP/alarms
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# trip [UNIT:]BANK... / trip: the breakers that read tripped from now on
# (none: every breaker reset).
trip() { printf '%s\n' "$@" >"$PDU_SIM_TRIP_FILE"; }
trip

pdu_agent raritan-px1 PX || { not_ok "PX1 agent starts"; exit 1; }
px=127.0.0.1:$PX
pdu_agent sentry4 S4 || { not_ok "Sentry4 agent starts"; exit 1; }
s4=127.0.0.1:$S4
pdu_agent sentry4-chain SC || { not_ok "Sentry4 chain agent starts"; exit 1; }
sc=127.0.0.1:$SC
pdu_agent eaton EA || { not_ok "Eaton agent starts"; exit 1; }
ea=127.0.0.1:$EA
pdu_agent eaton-chain EC || { not_ok "Eaton chain agent starts"; exit 1; }
ec=127.0.0.1:$EC
pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
cp=127.0.0.1:$CP
pdu_agent raritan RA || { not_ok "PX2 agent starts"; exit 1; }
ra=127.0.0.1:$RA
pdu_agent raritan-chain RC || { not_ok "PX2 chain agent starts"; exit 1; }
rc=127.0.0.1:$RC

# perfdata: the perfdata of the last run's --check line.
perfdata() { printf '%s\n' "${OUT#*| }"; }

# once NAME HOST: pductl --once --state against the states of NAME;
# EVENTS: the events it printed, without time and target.
once() {
	run "$P" --once --state "$PK_TMP/$1.state" "$2"
	EVENTS=$(printf '%s\n' "$OUT" | cut -d' ' -f3-)
}

# prom WHAT HOST: status --format prom of HOST: exit 0, and promtool
# accepts it.
prom() {
	run "$P" --format prom "$2" status
	expect "$1: --format prom" 0
	expect_prom "$1: promtool check metrics is silent"
}

# tripped_series DESC LABELS VALUE: the last run's stdout has
# pductl_bank_load_state{server=...,LABELS,state="tripped"} VALUE.
tripped_series() {
	expect_out "$1" "^pductl_bank_load_state\{server=\"[^\"]*\",$2,state=\"tripped\"\} $3\$"
}

# ---- Raritan PX1: --check ----------------------------------------------------
run "$P" --check "$px"
expect "PX1, no breaker tripped: --check OK" 0
expect_out "PX1 OK: the summary as before" '^PDU OK - 8 outlets, 7 on, 5\.1A \| '
check "PX1 OK: nothing on stderr" test -z "$ERR"
healthy=$(perfdata)
once px "$px"
expect "PX1 --once --state, first run: no event" 0 ""

trip 2
run "$P" --check "$px"
expect "PX1, breaker 2 tripped: --check CRITICAL" 2 \
	"PDU CRITICAL - bank 2 breaker tripped | ${healthy/\'bank.2.current\'=2.9A/\'bank.2.current\'=0A}"
check "PX1 CRITICAL: nothing on stderr" test -z "$ERR"
run "$P" "$px" status
expect_out "PX1 tripped: status prints the profile's name, as before" \
	$'bank.2.current: 0.0\nbank.2.load: tripped\n'
run "$P" --check --critical bank.current=2 "$px"
expect "PX1 tripped and bank 1 over --critical: CRITICAL" 2
expect_out "PX1: the trip and the threshold both said" \
	'^PDU CRITICAL - bank 2 breaker tripped, bank 1 current 2\.2A \(critical 2\) \| '
run "$P" --check --critical bank.tripped=1 "$px"
expect "a trip is a state, not a threshold variable: UNKNOWN" 3
expect_out "...saying so, with the known variables" \
	"^PDU UNKNOWN - pductl: no variable 'bank.tripped' to check \(known: bank\.current, "

# ---- PX1: --watch --once and Prometheus ------------------------------------
once px "$px"
expect "PX1 --once: the trip is an event" 0
check "PX1 --once: BANK_TRIPPED with the PDU, the bank and its current, alone" \
	test "$(printf '%s\n' "$OUT" | cut -d' ' -f2-)" = "$px BANK_TRIPPED bank=2 current=0A"
check "PX1 --once: nothing on stderr" test -z "$ERR"
once px "$px"
expect "PX1 --once again, still tripped: no event" 0 ""

prom "PX1 tripped" "$px"
check "PX1: every bank has its four load states and tripped, bank 2's tripped 1" \
	test "$(printf '%s\n' "$OUT" | sed -n 's/^pductl_bank_load_state{server="[^"]*",//p')" = \
	'bank="1",state="low"} 0
bank="1",state="normal"} 1
bank="1",state="nearOverload"} 0
bank="1",state="overload"} 0
bank="1",state="tripped"} 0
bank="2",state="low"} 0
bank="2",state="normal"} 0
bank="2",state="nearOverload"} 0
bank="2",state="overload"} 0
bank="2",state="tripped"} 1'
expect_out "PX1: the HELP line names the tripped state" \
	"^# HELP pductl_bank_load_state 1 for the bank's load state \(low, normal, nearOverload, overload; tripped where the banks report a tripped breaker\)$"

trip
run "$P" --once -j --state "$PK_TMP/px.state" "$px"
expect "PX1 --once -j after the reset" 0
expect_json "PX1 reset: the bank's load state again, OK, replacing BANK_TRIPPED" \
	'd["event"] == "BANK_LOAD_NORMAL" and d["state"] == "OK" and d["previous"] == "BANK_TRIPPED" and d["values"] == {"bank": 2, "current": "2.9A"}'
run "$P" --check "$px"
expect "PX1 reset: --check OK, the perfdata as at the start" 0 \
	"PDU OK - 8 outlets, 7 on, 5.1A | $healthy"
prom "PX1 reset" "$px"
tripped_series "PX1 reset: tripped 0 again" 'bank="2"' 0

# ---- a live watch: the trip and the reset, each within an interval -----------
pk_bg live "$P" --watch=1 -t 1 "$px"
sleep 1.5   # the first poll is the state at the start: no event
trip 1
pk_until_lines "$PK_TMP/live.out" 1 4
trip
pk_until_lines "$PK_TMP/live.out" 2 4
check "live watch: BANK_TRIPPED for breaker 1, then its load state back" \
	test "$(cut -d' ' -f3- "$PK_TMP/live.out")" = "BANK_TRIPPED bank=1 current=0A
BANK_LOAD_NORMAL bank=1 current=2.2A"
check "live watch: nothing on stderr" test ! -s "$PK_TMP/live.err"

# ---- Sentry4: breakerTripped(12) -----------------------------------------------
run "$P" --check "$s4"
expect "Sentry4, no branch tripped: --check OK" 0
healthy=$(perfdata)
once s4 "$s4"
expect "Sentry4 --once --state, first run: no event" 0 ""
trip 2
run "$P" "$s4" status
expect_out "Sentry4 tripped: status prints DeviceStatus's name, as before" \
	$'bank.2.current: 0.0\nbank.2.load: breakerTripped\n'
run "$P" --check "$s4"
expect "Sentry4, branch 2 breakerTripped: --check CRITICAL" 2 \
	"PDU CRITICAL - bank 2 breaker tripped | ${healthy/\'bank.2.current\'=25.8A/\'bank.2.current\'=0A}"
once s4 "$s4"
check "Sentry4 --once: breakerTripped is BANK_TRIPPED" test "$EVENTS" = "BANK_TRIPPED bank=2 current=0A"
prom "Sentry4 tripped" "$s4"
tripped_series "Sentry4: breakerTripped is state=\"tripped\" 1" 'bank="2"' 1
tripped_series "Sentry4: the other branches' tripped 0" 'bank="3"' 0
trip
once s4 "$s4"
check "Sentry4 --once after the reset: BANK_LOAD_NORMAL" \
	test "$EVENTS" = "BANK_LOAD_NORMAL bank=2 current=25.8A"

# ---- a Sentry4 chain: the link unit's branch, bank 2:1 -------------------------
once sc "$sc"
expect "chain --once --state, first run: no event" 0 ""
trip 2:1
run "$P" --check "$sc"
expect "chain, unit 2's branch 1 tripped: --check CRITICAL" 2
expect_out "chain CRITICAL: the bank is UNIT:N" \
	"^PDU CRITICAL - bank 2:1 breaker tripped \| 'bank\.1:1\.current'=2\.2A;;;0 'bank\.1:2\.current'=2\.9A;;;0 'bank\.2:1\.current'=0A;;;0 'bank\.2:2\.current'=8\.7A;;;0 "
once sc "$sc"
check "chain --once: BANK_TRIPPED bank=2:1 alone" test "$EVENTS" = "BANK_TRIPPED bank=2:1 current=0A"
prom "chain tripped" "$sc"
tripped_series "chain: unit 2's bank 1 tripped 1" 'unit="2",bank="1"' 1
tripped_series "chain: unit 1's bank 1 tripped 0" 'unit="1",bank="1"' 0
trip

# ---- Eaton: groupBreakerStatus breakerOff(2), a column of its own ---------------
run "$P" --check "$ea"
expect "Eaton, every breaker on: --check OK" 0
healthy=$(perfdata)
once ea "$ea"
expect "Eaton --once --state, first run: no event" 0 ""
prom "Eaton" "$ea"
tripped_series "Eaton: a family whose breakers can be off has the tripped series, 0" \
	'bank="2"' 0
trip 2
run "$P" "$ea" status
expect_out "Eaton breaker off: status prints groupBreakerStatus's name" \
	$'bank.2.current: 0.0\nbank.2.load: breakerOff\n'
expect_out "Eaton breaker off: the other group as before" $'bank.1.load: normal\n'
run "$P" -j "$ea" status
expect_json "Eaton breaker off: JSON's load state is breakerOff too" \
	'[b["load_state"] for b in d["banks"]] == ["normal", "breakerOff"]'
run "$P" --check "$ea"
expect "Eaton, group 2's breaker off: --check CRITICAL, saying off" 2 \
	"PDU CRITICAL - bank 2 breaker off | $(printf '%s\n' "$healthy" | sed "s/'bank\.2\.current'=[0-9.]*A/'bank.2.current'=0A/")"
once ea "$ea"
check "Eaton --once: breakerOff is BANK_TRIPPED" test "$EVENTS" = "BANK_TRIPPED bank=2 current=0A"
prom "Eaton breaker off" "$ea"
tripped_series "Eaton: breakerOff is state=\"tripped\" 1" 'bank="2"' 1
tripped_series "Eaton: the other group's tripped 0" 'bank="1"' 0
# the group's current threshold says highCritical (4): the breaker still wins
printf '2=4\n' >"$PDU_SIM_BANK_STATE_FILE"
run "$P" "$ea" status
expect_out "Eaton: a breaker off wins over its group's highCritical" $'bank.2.load: breakerOff\n'
trip
run "$P" "$ea" status
expect_out "Eaton: ...which is the state once the breaker is on" $'bank.2.load: highCritical\n'
: >"$PDU_SIM_BANK_STATE_FILE"
run "$P" "$ea" status
expect_out "Eaton breaker on again: the threshold state is back" $'bank.2.load: normal\n'
once ea "$ea"
check "Eaton --once after the reset: BANK_LOAD_NORMAL" \
	test "${EVENTS%current=*}" = "BANK_LOAD_NORMAL bank=2 "

# ---- an Eaton chain: the third unit's (strappingIndex 2) group 1, bank 3:1 --------
trip 3:1
run "$P" --check "$ec"
expect "Eaton chain, unit 3's group 1 off: --check CRITICAL" 2
expect_out "Eaton chain CRITICAL: the bank is UNIT:N" "^PDU CRITICAL - bank 3:1 breaker off \| "
prom "Eaton chain breaker off" "$ec"
tripped_series "Eaton chain: unit 3's bank 1 tripped 1" 'unit="3",bank="1"' 1
tripped_series "Eaton chain: unit 1's bank 1 tripped 0" 'unit="1",bank="1"' 0
trip

# ---- Raritan PX2: the over-current protector's trip sensor open(0) ----------------
run "$P" --check "$ra"
expect "PX2, every protector closed: --check OK" 0
expect_out "PX2 OK: the summary as before" '^PDU OK - 24 outlets, 23 on, 36\.3A \| '
healthy=$(perfdata)
once ra "$ra"
expect "PX2 --once --state, first run: no event" 0 ""
prom "PX2" "$ra"
tripped_series "PX2: a family whose protectors can open has the tripped series, 0" \
	'bank="1"' 0
trip 2
run "$P" "$ra" status
expect_out "PX2 protector open: status prints the sensor state's name" \
	$'bank.2.current: 0.0\nbank.2.load: open\n'
expect_out "PX2 protector open: the other protector as before" $'bank.1.load: normal\n'
run "$P" -j "$ra" status
expect_json "PX2 protector open: JSON's load state is open too" \
	'[b["load_state"] for b in d["banks"]] == ["normal", "open"]'
run "$P" --check "$ra"
expect "PX2, protector 2 open: --check CRITICAL, saying open" 2 \
	"PDU CRITICAL - bank 2 breaker open | ${healthy/\'bank.2.current\'=25.8A/\'bank.2.current\'=0A}"
check "PX2 CRITICAL: nothing on stderr" test -z "$ERR"
once ra "$ra"
check "PX2 --once: open is BANK_TRIPPED" test "$EVENTS" = "BANK_TRIPPED bank=2 current=0A"
prom "PX2 protector open" "$ra"
tripped_series "PX2: open is state=\"tripped\" 1" 'bank="2"' 1
tripped_series "PX2: the other protector's tripped 0" 'bank="1"' 0
# the current sensor says aboveUpperCritical (6): the open protector still wins
printf '2=6\n' >"$PDU_SIM_BANK_STATE_FILE"
run "$P" "$ra" status
expect_out "PX2: an open protector wins over its current's aboveUpperCritical" \
	$'bank.2.load: open\n'
trip
run "$P" "$ra" status
expect_out "PX2: ...which is the state once it is closed" $'bank.2.load: aboveUpperCritical\n'
: >"$PDU_SIM_BANK_STATE_FILE"
once ra "$ra"
check "PX2 --once after the reset: BANK_LOAD_NORMAL" \
	test "$EVENTS" = "BANK_LOAD_NORMAL bank=2 current=25.8A"
run "$P" --check "$ra"
expect "PX2 reset: --check OK, the perfdata as at the start" 0 \
	"PDU OK - 24 outlets, 23 on, 36.3A | $healthy"

# ---- a PX2 chain: the second unit's (pduId 2) protector 1, bank 2:1 -------------
trip 2:1
run "$P" --check "$rc"
expect "PX2 chain, unit 2's protector 1 open: --check CRITICAL" 2
expect_out "PX2 chain CRITICAL: the bank is UNIT:N" "^PDU CRITICAL - bank 2:1 breaker open \| "
prom "PX2 chain protector open" "$rc"
tripped_series "PX2 chain: unit 2's bank 1 tripped 1" 'unit="2",bank="1"' 1
tripped_series "PX2 chain: unit 1's bank 1 tripped 0" 'unit="1",bank="1"' 0
trip

# ---- a family without a tripped state ------------------------------------------
prom "CyberPower" "$cp"
check "CyberPower: the four load states a bank, no tripped series" \
	test "$(printf '%s\n' "$OUT" | grep -c '^pductl_bank_load_state{')" = 8
check "CyberPower: ...in their order" \
	test "$(printf '%s\n' "$OUT" | sed -n 's/^pductl_bank_load_state{.*bank="1",state="\([^"]*\)"}.*/\1/p' | tr '\n' ' ')" = \
	"low normal nearOverload overload "
