#!/bin/bash
# t_pdu_loads.sh — a bank's load alarm in every family's own words:
# Raritan PX2's overCurrentProtectorSensorState (aboveUpperWarning 5,
# aboveUpperCritical 6, belowLowerWarning 3), Eaton's groupCurrentThStatus
# (highWarning 3, highCritical 4, lowWarning 1) and Sentry4's
# st4BranchCurrentStatus (highWarning 16, highAlarm 17, lowAlarm 14),
# set while the agents run through the simulator's bank-state file.
# status prints the family's name; --check, --watch and Prometheus take
# it as the common one (nearOverload WARNING, overload CRITICAL, low OK),
# as they take CyberPower's and APC's.  On Sentry4 a tripped breaker
# (st4BranchStatus) wins over the current's alarm.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
export PDU_SIM_BANK_STATE_FILE=$PK_TMP/bank-states
export PDU_SIM_TRIP_FILE=$PK_TMP/trips
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# bank_state [[UNIT:]BANK=VALUE]...: the banks' threshold states from now
# on (none: every bank normal).
bank_state() { printf '%s\n' "$@" >"$PDU_SIM_BANK_STATE_FILE"; }
bank_state
: >"$PDU_SIM_TRIP_FILE"

# load_series DESC HOST STATE: status --format prom of HOST has bank 2's
# pductl_bank_load_state 1 for STATE and 0 for every other state, and
# promtool accepts it.
load_series() {
	local got
	run "$P" --format prom "$2" status
	expect "$1: --format prom" 0
	expect_prom "$1: promtool check metrics is silent"
	got=$(printf '%s\n' "$OUT" | sed -n 's/^pductl_bank_load_state{server="[^"]*",bank="2",state="\([a-zA-Z]*\)"} 1$/\1/p')
	check "$1: bank 2's series is 1 for $3 alone" test "$got" = "$3"
}

# KIND:WARNING:CRITICAL:LOW, each VALUE=NAME as the family's MIB has it
for dev in "raritan 5=aboveUpperWarning 6=aboveUpperCritical 3=belowLowerWarning" \
	"eaton 3=highWarning 4=highCritical 1=lowWarning" \
	"sentry4 16=highWarning 17=highAlarm 14=lowAlarm"; do
	read -r kind warn crit low <<<"$dev"
	pdu_agent "$kind" PORT || { not_ok "$kind agent starts"; continue; }
	h=127.0.0.1:$PORT
	bank_state
	run "$P" --check "$h"
	expect_out "$kind normal: --check OK" '^PDU OK - '
	healthy_perf=${OUT#*|}
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect "$kind normal: --once: the first poll, no event" 0 ""

	bank_state "2=${warn%%=*}"
	run "$P" "$h" status
	expect_out "$kind ${warn#*=}: status prints the family's name" "^bank\.2\.load: ${warn#*=}\$"
	run "$P" --check "$h"
	expect "$kind ${warn#*=}: --check WARNING" 1
	expect_out "$kind ${warn#*=}: the bank near overload, its current" \
		'^PDU WARNING - bank 2 near overload \([0-9.]+A\) \|'
	check "$kind ${warn#*=}: the perfdata as when normal" test "${OUT#*|}" = "$healthy_perf"
	load_series "$kind ${warn#*=}" "$h" nearOverload
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect_out "$kind ${warn#*=}: --once: BANK_LOAD_NEAR_OVERLOAD for bank 2" \
		"^[^ ]+ $h BANK_LOAD_NEAR_OVERLOAD bank=2 current=[0-9.]+A\$"

	bank_state "2=${crit%%=*}"
	run "$P" "$h" status
	expect_out "$kind ${crit#*=}: status prints the family's name" "^bank\.2\.load: ${crit#*=}\$"
	run "$P" --check "$h"
	expect "$kind ${crit#*=}: --check CRITICAL" 2
	expect_out "$kind ${crit#*=}: the bank overloaded, its current" \
		'^PDU CRITICAL - bank 2 overload \([0-9.]+A\) \|'
	load_series "$kind ${crit#*=}" "$h" overload
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect_out "$kind ${crit#*=}: --once: BANK_LOAD_OVERLOAD for bank 2" \
		"^[^ ]+ $h BANK_LOAD_OVERLOAD bank=2 current=[0-9.]+A\$"
	run "$P" -j "$h" status
	expect_json "$kind ${crit#*=}: JSON keeps the family's name" \
		"[b['load_state'] for b in d['banks'] if b['bank'] == 2] == ['${crit#*=}']"

	bank_state "2=${low%%=*}"
	run "$P" "$h" status
	expect_out "$kind ${low#*=}: status prints the family's name" "^bank\.2\.load: ${low#*=}\$"
	run "$P" --check "$h"
	expect_out "$kind ${low#*=}: a low current: --check OK" '^PDU OK - '
	load_series "$kind ${low#*=}" "$h" low
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect_out "$kind ${low#*=}: --once: BANK_LOAD_LOW for bank 2" \
		"^[^ ]+ $h BANK_LOAD_LOW bank=2 current=[0-9.]+A\$"

	bank_state
	run "$P" --check "$h"
	expect "$kind normal again: --check OK, the perfdata as at the start" 0
	check "$kind normal again: the same perfdata" test "${OUT#*|}" = "$healthy_perf"
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect_out "$kind normal again: --once: BANK_LOAD_NORMAL for bank 2" \
		"^[^ ]+ $h BANK_LOAD_NORMAL bank=2 current=[0-9.]+A\$"
	[ "$kind" = sentry4 ] && s4=$h
done

# Sentry4: the branch's breaker tripped while its current was in alarm:
# the trip is what status, --check and Prometheus say.
bank_state "2=17"
printf '2\n' >"$PDU_SIM_TRIP_FILE"
run "$P" "$s4" status
expect_out "sentry4 tripped in alarm: status says breakerTripped" '^bank\.2\.load: breakerTripped$'
run "$P" --check "$s4"
expect "sentry4 tripped in alarm: --check CRITICAL" 2
expect_out "sentry4 tripped in alarm: the breaker, not the overload" \
	'^PDU CRITICAL - bank 2 breaker tripped \|'
load_series "sentry4 tripped in alarm" "$s4" tripped
: >"$PDU_SIM_TRIP_FILE"
bank_state
