#!/bin/bash
# pductl against a real snmpd simulating a Raritan Dominion PX of the
# first generation (PX1: PDU-MIB under enterprises.13742.4, modelled in
# tests/snmp/pdu_pass.py from the MIB and the librenms walk): detection,
# status, get, names, on/off/reboot confirmed by reading every outlet
# back, JSON, Prometheus, the agent's refusals and the round trips.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

pdu_agent raritan-px1 PX || { not_ok "PX1 agent starts"; exit 1; }
px=127.0.0.1:$PX
OT=.1.3.6.1.4.1.13742.4.1.2.2.1    # outletEntry

# states: outletOperationalState of every outlet as the agent answers
# snmpwalk, one value a line, outlets 1-8 (read apart from pductl).
states() {
	snmpwalk -v2c -c public -Oqv "$px" "$OT.3"
}

# ---- detection and reading ---------------------------------------------
run "$P" -v "$px" status
expect "PX1: status exits 0" 0
check "PX1: identity: no readable model in PDU-MIB, the name from sysName.0, firmware and serial from the info group" \
	test "$(head -6 <<<"$OUT")" = "pdu.profile: raritan-px1
pdu.model: 
pdu.name: sim-raritan-px1
pdu.firmware: 1.5.7.11172
pdu.serial: RAR1234567
pdu.outlets: 8"
expect_err "PX1: detected by its sysObjectID, 13742.4 itself" \
	'^pductl: <   \.1\.3\.6\.1\.2\.1\.1\.2\.0 = OID: \.1\.3\.6\.1\.4\.1\.13742\.4$'
expect_err "PX1: ...and outletCount.0 present" \
	'^pductl: <   \.1\.3\.6\.1\.4\.1\.13742\.4\.1\.2\.1\.0 = INTEGER: 8$'
expect_out "PX1: the circuit breakers are the banks, mA read as A, ok(0) shown as normal" \
	$'bank.1.current: 2.2\nbank.1.load: normal\nbank.2.current: 2.9\nbank.2.load: normal\noutlet.1.name'
expect_out "PX1: outlet current in mA read as A, active power in W" \
	$'outlet.2.name: web\noutlet.2.state: on\noutlet.2.current: 0.5\noutlet.2.power: 60'
expect_out "PX1: outlet 6 off(0), its reading 0" \
	$'outlet.6.name: spare\noutlet.6.state: off\noutlet.6.current: 0.0\noutlet.6.power: 0'

run "$P" -j "$px" status
expect_json "PX1: status -j" \
	'd["profile"] == "raritan-px1" and d["model"] == "" and d["name"] == "sim-raritan-px1" and d["outlet_count"] == 8 and [o["state"] for o in d["outlets"]] == ["on"] * 5 + ["off", "on", "on"] and d["outlets"][7]["current_a"] == 1.1 and d["outlets"][7]["power_w"] == 132 and [(b["current_a"], b["load_state"]) for b in d["banks"]] == [(2.2, "normal"), (2.9, "normal")]'
run "$P" --format prom "$px" status
expect_prom "PX1: status --format prom: promtool check metrics is silent"
expect_out "PX1: the profile and the empty model in the info metric" \
	'^pductl_info\{server="[^"]*",pdu="sim-raritan-px1",profile="raritan-px1",model="",firmware="1\.5\.7\.11172",serial="RAR1234567"\} 1$'
expect_out "PX1: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'
expect_out "PX1: outlet 8's current" '^pductl_outlet_current_amperes\{server="[^"]*",outlet="8",name="lab"\} 1\.1$'

run "$P" "$px" get 1-8
expect "PX1: get 1-8, outlet 6 off: exit 1" 1 "$PDU_SIM_GET8"
run "$P" "$px" get lab,db
expect "PX1: get by names" 0 $'3 on\n8 on'
run "$P" "$px" get 9
expect "PX1: outlet 9 of 8 is a usage error, nothing on stdout" 2 ""
expect_err "PX1: ...naming the valid range" "^pductl: $px: outlet '9': no such outlet \(valid: 1-8 or all\)$"
run "$P" "$px" get nosuch
expect "PX1: an unknown outlet name is a usage error" 2 ""
expect_err "PX1: ...naming it" "nosuch"

# ---- switching: the values written, then every outlet read back ------------
run "$P" -n "$px" on 6
expect "PX1 dry run: on writes on(1) to outletOperationalState" 0 "$OT.3.6 = INTEGER: 1"
run "$P" -n "$px" off 6
expect "PX1 dry run: off writes off(0)" 0 "$OT.3.6 = INTEGER: 0"
run "$P" -n "$px" reboot 6
expect "PX1 dry run: reboot writes cycling(2)" 0 "$OT.3.6 = INTEGER: 2"
run "$P" -n "$px" on 9
expect "PX1: switching outlet 9 of 8 is a usage error, nothing sent" 2 ""
expect_err "PX1: ...naming the valid range" "^pductl: $px: outlet '9': no such outlet \(valid: 1-8 or all\)$"
run "$P" -n --delayed "$px" off 6
expect "PX1: no delayed commands: usage error" 2 ""
expect_err "PX1: ...saying so" 'raritan-px1 has no delayed commands'

run "$P" "$px" on 6
expect "PX1: on 6 confirmed" 0 "6 on"
run states
expect "PX1: every outlet on now, as the agent reads them" 0 "$(printf '1\n%.0s' 1 2 3 4 5 6 7 8)"
run "$P" "$px" off 3
expect "PX1: off 3 confirmed" 0 "3 off"
run states
expect "PX1: outlet 3 off(0), the others unchanged" 0 $'1\n1\n0\n1\n1\n1\n1\n1'
run "$P" "$px" reboot 2
expect "PX1: reboot confirmed: cycling(2) read as pending, then on" 0 "2 on"
check "PX1: the cycle kept the outlet off for its period (0.5 s scaled)" test "$MS" -ge 400
run states
expect "PX1: outlet 2 back on, the others unchanged" 0 $'1\n1\n0\n1\n1\n1\n1\n1'
run "$P" "$px" on 3
expect "PX1: on 3 confirmed" 0 "3 on"
run "$P" "$px" get 1-8
expect "PX1: all on again: exit 0" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8 | head -c -1)"

# ---- names -----------------------------------------------------------------
run "$P" -n "$px" name 7 backup
expect "PX1 dry run of a rename: outletLabel.7" 0 "$OT.2.7 = STRING: \"backup\""
run "$P" "$px" name 7 backup
expect "PX1: rename confirmed by read-back" 0 "7 backup"
run snmpget -v2c -c public -Oqv "$px" "$OT.2.7"
expect "PX1: the agent's outletLabel.7 reads it" 0 '"backup"'
run "$P" "$px" get backup
expect "PX1: the new name selects outlet 7" 0 "7 on"

# ---- the agent is as strict as the MIB ---------------------------------------
run snmpset -v2c -c private "$px" "$OT.3.2" i -1
expect "PX1 agent: error(-1) is a state, not a command" 2 ""
expect_err "...wrongValue" 'wrongValue'
run snmpset -v2c -c private "$px" "$OT.3.2" i 3
expect "PX1 agent: a value outside the enumeration" 2 ""
expect_err "...wrongValue" 'wrongValue'
run snmpset -v2c -c private "$px" "$OT.3.2" s on
expect "PX1 agent: a string for outletOperationalState" 2 ""
expect_err "...wrongType" 'wrongType'
run snmpset -v2c -c private "$px" "$OT.3.9" i 1
expect "PX1 agent: an outlet it does not have" 2 ""
expect_err "...notWritable" 'notWritable'
run snmpset -v2c -c private "$px" "$OT.2.7" s "$(printf 'x%.0s' $(seq 256))"
expect "PX1 agent: a label past DisplayString's 255 bytes" 2 ""
expect_err "...wrongLength" 'wrongLength'
run "$P" "$px" get 1-8
expect "PX1: nothing refused changed any outlet" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8 | head -c -1)"

# ---- a tripped circuit breaker ---------------------------------------------------
PDU_SIM_PX1_TRIPPED=2 pdu_agent raritan-px1 PT || { not_ok "PX1 agent with a tripped breaker starts"; exit 1; }
pt=127.0.0.1:$PT
run "$P" "$pt" status
expect "PX1, breaker 2 tripped: status exits 0" 0
expect_out "PX1: circuitBreakerState tripped(1) shows as tripped, with no current" \
	$'bank.1.current: 2.2\nbank.1.load: normal\nbank.2.current: 0.0\nbank.2.load: tripped\noutlet.1.name'
run "$P" -j "$pt" status
expect_json "PX1: ...and in JSON" \
	'[(b["bank"], b["current_a"], b["load_state"]) for b in d["banks"]] == [(1, 2.2, "normal"), (2, 0.0, "tripped")]'

# ---- round trips ----------------------------------------------------------------
# requests: how many SNMP requests the last run's trace shows.
requests() {
	printf '%s\n' "$ERR" | grep -cE '^pductl: > (GET|GETNEXT|GETBULK|SET) '
}
run "$P" -v -P raritan-px1 "$px" get 1-8
expect "PX1: --profile raritan-px1 get 1-8" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8 | head -c -1)"
check "PX1: --profile: one request, the outlet count with the states ($(requests))" \
	test "$(requests)" = 1
run "$P" -v "$px" get 1-8
# The first probe is full with the families listed before this one
# (sysObjectID.0 and ten objects a request), so PX1's outlet count is
# asked in a second probe, with the sysObjectID's vendor first and the
# states of the outlets asked.
check "PX1: get 1-8: two probes, the second with the states ($(requests))" test "$(requests)" = 2

# ---- a PX1 that cannot switch: outletSwitching reads "disabled" ----------------
pdu_agent raritan-px1-metered PM || { not_ok "metered PX1 agent starts"; exit 1; }
pm=127.0.0.1:$PM
run "$P" "$pm" status
expect "metered PX1: status exits 0" 0
expect_out "metered PX1: detected as the profile without switching (outletSwitching disabled)" \
	'^pdu\.profile: raritan-px1-metered$'
expect_out "metered PX1: outlets, currents and banks read as on a switched one" \
	$'^pdu\\.outlets: 8$'
expect_out "...outlet 8's current in milliamperes" $'^outlet\\.8\\.current: 1\\.1$'
expect_out "...the breakers" $'^bank\\.2\\.current: 2\\.9$'
run "$P" "$pm" get 6
expect "metered PX1: get reads the state (outlet 6 off: exit 1)" 1 "6 off"
for act in on off reboot; do
	run "$P" --yes "$pm" "$act" 3
	expect "metered PX1: $act refused: exit 4, nothing on stdout" 4 ""
	expect_err "metered PX1: $act: the message names the family" \
		'Raritan Dominion PX1 without outlet switching \(PDU-MIB\) only meters its outlets'
done
run "$P" -j "$pm" status
expect_json "metered PX1: JSON names the profile" 'd["profile"] == "raritan-px1-metered"'
run "$P" -v "$pm" get 1-8
check "metered PX1: get 1-8 in two requests, as the switched one ($(requests))" \
	test "$(requests)" = 2
run "$P" --yes -P raritan-px1 "$pm" off 3
expect "metered PX1: --profile raritan-px1 sends, and the agent refuses: exit 1" 1 ""
expect_err "...with the agent's error" 'notWritable'
run "$P" "$pm" get 3
expect "metered PX1: outlet 3 still on" 0 "3 on"
run "$P" -P raritan-px1-metered "$px" status
expect "the switched PX1 read with --profile raritan-px1-metered: exit 0" 0
expect_out "...as that profile" '^pdu\.profile: raritan-px1-metered$'
