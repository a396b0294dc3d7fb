#!/bin/bash
# pductl against daisy chains: units behind one address, simulated by
# tests/snmp/pdu_pass.py after each MIB's indexing (APC rPDU2 and
# CyberPower ePDU2 rows carrying their unit and outlet number, the APC
# rows interleaved; Eaton's strappingIndex.outlet; ServerTech Sentry4's
# link units, unit.inputCord.outlet; Raritan PX2's pduId.outletId).  UNIT:OUTLET
# addressing, every unit in status, unit labels in JSON and Prometheus;
# a single unit keeps its plain numbers.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# states UNITS [OFF...]: what `get all` prints for a chain of UNITS units
# of 8 outlets where outlet 6 of each unit is off, and the UNIT:OUTLET
# given are off too.
states() {
	local units=$1 u n state
	shift
	for u in $(seq "$units"); do
		for n in 1 2 3 4 5 6 7 8; do
			state=on
			[ "$n" = 6 ] && state=off
			case " $* " in *" $u:$n "*) state=off ;; esac
			echo "$u:$n $state"
		done
	done
}

# chain KIND UNITS SET_OID_OF_2:5 OFF_VALUE: the whole round of tests on
# one chained model.
chain() {
	local kind=$1 units=$2 cmd_oid=$3 off_value=$4 h bad=$(($2 + 1))
	pdu_agent "$kind" PORT || { not_ok "$kind agent starts"; return; }
	h=127.0.0.1:$PORT

	run "$P" "$h" status
	expect "$kind: status exits 0" 0
	expect_out "$kind: status counts the units" "^pdu\.units: $units$"
	expect_out "$kind: each unit's outlets" "^unit\.$units\.outlets: 8$"
	expect_out "$kind: unit 2's outlets as UNIT:OUTLET" '^outlet\.2:5\.name: u2-fw, core$'
	expect_out "$kind: the last unit's outlet 6 off" "^outlet\.$units:6\.state: off$"
	check "$kind: every unit's identity, its own serial each" test "$(printf '%s\n' "$OUT" |
		grep -E '^unit\.[0-9]+\.serial: .' | sort -u -t' ' -k2 | wc -l)" = "$units"
	expect_out "$kind: unit 2's name" "^unit\.2\.name: .+-(2|B)$"
	expect_out "$kind: unit 1's identity is the PDU's" "^unit\.1\.model: $(printf '%s\n' "$OUT" |
		sed -n 's/^pdu\.model: //p')$"
	check "$kind: every unit's two banks, as UNIT:N" test "$(printf '%s\n' "$OUT" |
		grep -cE '^bank\.[0-9]+:[12]\.load: normal$')" = "$((units * 2))"
	expect_out "$kind: the last unit's bank 2" "^bank\.$units:2\.current: [0-9.]+$"
	if printf '%s\n' "$OUT" | grep -Eq '^bank\.[0-9]+\.'; then
		not_ok "$kind: no bank without its unit"; pk_show
	else
		ok "$kind: no bank without its unit"
	fi
	run "$P" "$h" get all
	expect "$kind: get all lists every unit's outlets" 1 "$(states "$units")"

	run "$P" "$h" get 2:5
	expect "$kind: get 2:5" 0 "2:5 on"
	run "$P" -n "$h" off 2:5
	expect "$kind: -n off 2:5 names unit 2's row" 0 "$cmd_oid = INTEGER: $off_value"
	run "$P" "$h" off 2:5
	expect "$kind: off 2:5 confirmed" 0 "2:5 off"
	run "$P" "$h" get all
	expect "$kind: only unit 2 outlet 5 went off" 1 "$(states "$units" 2:5)"
	run "$P" "$h" on 2:5
	expect "$kind: on 2:5 confirmed" 0 "2:5 on"
	run "$P" "$h" reboot 2:5
	expect "$kind: reboot 2:5 confirmed" 0 "2:5 on"
	run "$P" "$h" get all
	expect "$kind: after on and reboot of 2:5 every outlet as it began" 1 "$(states "$units")"

	run "$P" "$h" get 2:1-8
	expect "$kind: get 2:1-8 (2:6 off: exit 1)" 1 "$(states "$units" | grep '^2:')"
	run "$P" "$h" off 2:1-4
	expect "$kind: off 2:1-4" 0 "2:1 off
2:2 off
2:3 off
2:4 off"
	run "$P" "$h" get 1:1-8,2:1-8
	expect "$kind: a list mixing units: only 2:1-4 went off" 1 \
		"$(states 2 2:1 2:2 2:3 2:4)"
	run "$P" "$h" on 2:1-4
	expect "$kind: on 2:1-4" 0 "2:1 on
2:2 on
2:3 on
2:4 on"
	run "$P" "$h" get 3
	expect "$kind: a plain number is the first unit's outlet" 0 "1:3 on"

	run "$P" "$h" off all
	expect "$kind: off all without --yes: usage error, nothing printed" 2 ""
	expect_err "$kind: off all asks for --yes" 'add --yes'
	run "$P" "$h" on "$bad:1"
	expect "$kind: on $bad:1 (no such unit): exit 2" 2 ""
	expect_err "$kind: the message names the units present" \
		"^pductl: $h: outlet '$bad:1': no unit $bad \(units: 1-$units\)$"
	run "$P" "$h" off 2:9
	expect "$kind: off 2:9 (no such outlet on unit 2): exit 2" 2 ""
	expect_err "$kind: the message names the unit and its range" \
		"^pductl: $h: unit 2: outlet '9': no such outlet \(valid: 1-8 or all\)$"
	run "$P" "$h" get all
	expect "$kind: nothing was switched by the refused commands" 1 "$(states "$units")"

	run "$P" -j "$h" get 2:5
	expect_json "$kind: -j get 2:5 carries the unit" \
		'len(d["outlets"]) == 1 and {k: v for k, v in d["outlets"][0].items() if k != "pending"} == {"unit": 2, "outlet": 5, "name": "u2-fw, core", "state": "on"}'
	run "$P" -j "$h" status
	expect_json "$kind: -j status: units and every outlet's unit" \
		"d['units'] == $units and d['outlet_count'] == $((units * 8)) and [o['unit'] for o in d['outlets']].count(2) == 8 and d['outlets'][13]['unit'] == 2 and d['outlets'][13]['outlet'] == 6 and d['outlets'][13]['state'] == 'off'"
	expect_json "$kind: -j status: every unit's identity in chain" \
		"[c['unit'] for c in d['chain']] == list(range(1, $units + 1)) and d['chain'][0]['serial'] == d['serial'] and len({c['serial'] for c in d['chain']}) == $units and all(c['outlet_count'] == 8 and c['model'] for c in d['chain'])"
	expect_json "$kind: -j status: every unit's banks, each with its unit" \
		"[(b['unit'], b['bank']) for b in d['banks']] == [(u, n) for u in range(1, $units + 1) for n in (1, 2)] and all(b['load_state'] == 'normal' for b in d['banks'])"
	run "$P" --format prom "$h" status
	expect_prom "$kind: status --format prom: promtool check metrics is silent"
	expect_out "$kind: the unit label" \
		'^pductl_outlet_on\{server="[^"]*",unit="2",outlet="6",name="u2-spare"\} 0$'
	expect_out "$kind: unit 1's outlets carry it too" \
		'^pductl_outlet_on\{server="[^"]*",unit="1",outlet="5",name="fw, core"\} 1$'
	check "$kind: pductl_info for every unit" test "$(printf '%s\n' "$OUT" |
		grep -cE '^pductl_info\{server="[^"]*",unit="[0-9]+",pdu="[^"]+",profile=')" = "$units"
	expect_out "$kind: unit 2's bank current carries its unit" \
		'^pductl_bank_current_amperes\{server="[^"]*",unit="2",bank="1"\} [0-9.]+$'
	expect_out "$kind: unit 2's bank load state too" \
		'^pductl_bank_load_state\{server="[^"]*",unit="2",bank="2",state="normal"\} 1$'

	# --watch: every unit has an outlet 5, so events name UNIT:N
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect "$kind: --once --state, first run: the states at the start, no line" 0 ""
	run "$P" "$h" off 2:5 --yes
	expect "$kind: off 2:5 between two watch runs" 0
	run "$P" --once --state "$PK_TMP/$kind.state" "$h"
	expect "$kind: --once --state: exactly unit 2's outlet 5 went off" 0
	check "$kind: the event names it 2:5" \
		test "$(printf '%s\n' "$OUT" | awk '{print $3, $4, $5}')" = "OUTLET_OFF outlet=2:5 name=u2-fw,"
	run "$P" "$h" on 2:5 --yes
	expect "$kind: on 2:5 again" 0
}

chain apc-chain 2 .1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.10 2
chain cyberpower-chain 3 .1.3.6.1.4.1.3808.1.1.6.6.1.5.1.5.13 2
chain eaton-chain 3 .1.3.6.1.4.1.534.6.6.7.6.6.1.3.1.5 0
chain sentry4-chain 2 .1.3.6.1.4.1.1718.4.1.8.5.1.2.2.1.5 2
chain raritan-chain 2 .1.3.6.1.4.1.13742.6.4.1.2.1.2.2.5 0

# Raritan states each sensor's precision (...SensorDecimalDigits), and
# each chained unit its own: the simulated unit 2 reads one more digit
# than unit 1 (bank 3, outlet current 2), so its readings are ten times
# larger for the same current.  Both units draw the same.
pdu_agent raritan-chain RC || { not_ok "raritan-chain agent starts"; exit 1; }
run "$P" 127.0.0.1:$RC status
expect "raritan chain: status" 0
expect_out "raritan chain: unit 1's bank with its 2 digits" '^bank\.1:1\.current: 2\.2$'
expect_out "raritan chain: unit 2's bank with its own 3 digits" '^bank\.2:1\.current: 2\.2$'
expect_out "raritan chain: unit 1's outlet with its 1 digit" '^outlet\.1:2\.current: 0\.5$'
expect_out "raritan chain: unit 2's outlet with its own 2 digits" '^outlet\.2:2\.current: 0\.5$'

# The Sentry4 chain's link unit B draws three times the current: its
# banks, and only its banks, reach the thresholds; the findings and
# perfdata labels name the bank as UNIT:N.
pdu_agent sentry4-chain ST || { not_ok "sentry4-chain agent starts"; exit 1; }
st=127.0.0.1:$ST
run "$P" "$st" status
expect "sentry4 chain: status" 0
expect_out "sentry4 chain: unit 1's banks" '^bank\.1:2\.current: 2\.9$'
expect_out "sentry4 chain: the link unit's banks, read from its own rows" '^bank\.2:2\.current: 8\.7$'
expect_out "sentry4 chain: the link unit's identity" '^unit\.2\.serial: ABEF0001563$'
BANKS="'bank.1:1.current'=2.2A;W;C;0 'bank.1:2.current'=2.9A;W;C;0 'bank.2:1.current'=6.6A;W;C;0 'bank.2:2.current'=8.7A;W;C;0"
# banks W C: the bank perfdata with those thresholds
banks() { local b=${BANKS//;W;/;$1;}; printf '%s' "${b//;C;/;$2;}"; }
run "$P" --check --warning bank.current=9 --critical bank.current=10 "$st"
expect "sentry4 chain --check: every bank below: OK" 0
expect_out "sentry4 chain --check OK: every unit's banks as perfdata" \
	"^PDU OK - 16 outlets, 14 on, 20\.4A \| $(banks 9 10) 'outlet\.1:1\.current'=0\.4A;;;0 "
check "sentry4 chain --check OK: nothing on stderr" test -z "$ERR"
run "$P" --check --warning bank.current=8 --critical bank.current=10 "$st"
expect "sentry4 chain --check: unit 2's bank 2 over the warning: WARNING" 1
expect_out "sentry4 chain --check WARNING: unit 2's bank 2 alone is named" \
	"^PDU WARNING - bank 2:2 current 8\.7A \(warning 8\) \| $(banks 8 10) "
check "sentry4 chain --check WARNING: nothing on stderr" test -z "$ERR"
run "$P" --check --warning bank.current=6 --critical bank.current=8 "$st"
expect "sentry4 chain --check: unit 2's bank 2 over the critical: CRITICAL" 2
expect_out "sentry4 chain --check CRITICAL: unit 2's bank 2 named" \
	"^PDU CRITICAL - bank 2:2 current 8\.7A \(critical 8\) \| $(banks 6 8) "
check "sentry4 chain --check CRITICAL: nothing on stderr" test -z "$ERR"
run "$P" --watch=1 --initial --count 6 "$st" 2:5
expect "sentry4 chain --watch --initial on 2:5 ends by itself" 0
check "sentry4 chain --watch --initial: the outlet, then every unit's banks as UNIT:N" \
	test "$(printf '%s\n' "$OUT" | sed -E 's/^[^ ]+ [^ ]+ //')" = "COMMOK
OUTLET_ON outlet=2:5 name=u2-fw, core
BANK_LOAD_NORMAL bank=1:1 current=2.2A
BANK_LOAD_NORMAL bank=1:2 current=2.9A
BANK_LOAD_NORMAL bank=2:1 current=6.6A
BANK_LOAD_NORMAL bank=2:2 current=8.7A"
check "sentry4 chain --watch: nothing on stderr" test -z "$ERR"
run "$P" --check --expect-off 2:5 "$st"
expect "sentry4 chain --check --expect-off 2:5: CRITICAL naming 2:5" 2
expect_out "sentry4 chain --check: the outlet is UNIT:N" '^PDU CRITICAL - outlet 2:5 \(u2-fw, core\) is on, expected off \|'
run "$P" --check --warning bank.current=x "$st"
expect "sentry4 chain --check with a bad threshold: UNKNOWN" 3
expect_out "sentry4 chain --check: the bad threshold is said" '^PDU UNKNOWN - '

# A single unit: today's plain numbers everywhere; UNIT:OUTLET works for
# unit 1 and names the one unit otherwise.
pdu_agent apc ONE || { not_ok "apc agent starts"; exit 1; }
one=127.0.0.1:$ONE
run "$P" "$one" status
expect "single unit: status as before" 0
if printf '%s\n' "$OUT" | grep -Eq '^(pdu\.units|unit\.)|^outlet\.[0-9]+:'; then
	not_ok "single unit: no unit lines, plain outlet numbers"; pk_show
else
	ok "single unit: no unit lines, plain outlet numbers"
fi
run "$P" "$one" get 1-8
expect "single unit: get 1-8 prints plain numbers" 1 "$PDU_SIM_GET8"
run "$P" "$one" get 1:5
expect "single unit: 1:5 is outlet 5" 0 "5 on"
run "$P" "$one" off 2:5
expect "single unit: off 2:5 is a usage error" 2 ""
expect_err "single unit: the message says there is one unit" \
	"^pductl: $one: outlet '2:5': no unit 2 \(this PDU is one unit, 1\)$"
run "$P" -j "$one" get 5
expect_json "single unit: no unit in JSON" \
	'd["outlets"] == [{"outlet": 5, "name": "fw, core", "state": "on"}]'
run "$P" --format prom "$one" status
expect_out "single unit: no unit label" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'
expect_out "single unit: pductl_info without a unit" '^pductl_info\{server="[^"]*",pdu="rack-b-pdu",profile='
expect_out "single unit: banks without a unit" '^pductl_bank_current_amperes\{server="[^"]*",bank="1"\} 2\.2$'
run "$P" -j "$one" status
expect_json "single unit: no chain and no bank unit in JSON" \
	"'chain' not in d and 'units' not in d and all('unit' not in b for b in d['banks'])"
run "$P" --check "$one"
expect "single unit --check: OK" 0
expect_out "single unit --check: plain bank and outlet labels" \
	"\| 'bank\.1\.current'=2\.2A;;;0 'bank\.2\.current'=2\.9A;;;0 'outlet\.1\.current'=0\.4A;;;0 "
