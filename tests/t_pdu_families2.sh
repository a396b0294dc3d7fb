#!/bin/bash
# pductl against a real snmpd simulating the PDU families whose tables are
# not PowerNet's or CyberPower's (tests/snmp/pdu_pass.py, data from the
# vendor MIBs and published walks): detection, status, get, names,
# on/off/reboot confirmed by read-back (or refused where the family only
# meters), JSON and Prometheus.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# ---- Raritan PX2 (PDU2-MIB): pduId.outletId indexes, sensors with digits ----
pdu_agent raritan RX || { not_ok "Raritan agent starts"; exit 1; }
rx=127.0.0.1:$RX
PDU2=.1.3.6.1.4.1.13742.6

run "$P" -v "$rx" status
expect "Raritan: status exits 0" 0
check "Raritan: identity from the nameplate and unit tables" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: raritan-px2
pdu.model: PX2-5475
pdu.name: my PX
pdu.firmware: 2.4.3.5-40298
pdu.serial: QFC3950619
pdu.outlets: 24"
expect_out "Raritan: OCP 1 current in hundredths (2 digits): 10.5 A" $'bank.1.current: 10.5\nbank.1.load: normal'
expect_out "Raritan: OCP 2 is the sum of outlets 13-24" $'bank.2.current: 25.8\nbank.2.load: normal'
expect_out "Raritan: outlet 1 current in tenths (1 digit), power in W" \
	$'outlet.1.name: nas\noutlet.1.state: on\noutlet.1.current: 0.4\noutlet.1.power: 92'
expect_out "Raritan: outlet 6 off (outletSwitchingState off(8))" \
	$'outlet.6.name: spare\noutlet.6.state: off\noutlet.6.current: 0.0'
expect_out "Raritan: an unnamed outlet shows an empty name" '^outlet\.24\.name: $'
expect_err "Raritan: detected by outletCount.1" \
	'\.1\.3\.6\.1\.4\.1\.13742\.6\.3\.2\.2\.1\.4\.1 = INTEGER: 24'
expect_err "Raritan: the sensors are indexed pduId.outletId.sensorType" \
	'\.1\.3\.6\.1\.4\.1\.13742\.6\.5\.4\.3\.1\.4\.1\.8\.5 = Gauge32: 253'
run "$P" -j "$rx" status
expect_json "Raritan: status -j" \
	'd["profile"] == "raritan-px2" and len(d["outlets"]) == 24 and d["outlets"][5]["state"] == "off" and d["outlets"][0]["current_a"] == 0.4 and [b["current_a"] for b in d["banks"]] == [10.5, 25.8]'
run "$P" --format prom "$rx" status
expect_prom "Raritan: status --format prom: promtool check metrics is silent"
expect_out "Raritan: the profile in the info metric" 'profile="raritan-px2",model="PX2-5475"'
expect_out "Raritan: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'

run "$P" "$rx" get 1-8
expect "Raritan: get 1-8, outlet 6 off: exit 1" 1 $'1 on\n2 on\n3 on\n4 on\n5 on\n6 off\n7 on\n8 on'
run "$P" "$rx" get "db,lab"
expect "Raritan: get by names" 0 $'3 on\n8 on'
run "$P" "$rx" get 25
expect "Raritan: outlet 25 of 24 is a usage error" 2 ""
expect_err "Raritan: names the range" '1-24'

run "$P" -n "$rx" off 6
expect "Raritan dry run: switchingOperation off(0), pduId.outletId" 0 "$PDU2.4.1.2.1.2.1.6 = INTEGER: 0"
run "$P" -n "$rx" reboot 5
expect "Raritan dry run: cycle(2)" 0 "$PDU2.4.1.2.1.2.1.5 = INTEGER: 2"
run "$P" -n --delayed "$rx" reboot 5
expect "Raritan: no delayed commands: usage error" 2 ""
expect_err "Raritan: says so" 'raritan-px2 has no delayed commands'
run "$P" "$rx" on 6
expect "Raritan: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$rx" "$PDU2.4.1.2.1.3.1.6"
expect "Raritan: the agent's outletSwitchingState reads on(7)" 0 "7"
run "$P" "$rx" off 6
expect "Raritan: off 6 confirmed" 0 "6 off"
run snmpget -v2c -c public -Oqv "$rx" "$PDU2.4.1.2.1.3.1.6"
expect "Raritan: ...and off(8)" 0 "8"
run "$P" "$rx" reboot 2
expect "Raritan: cycle confirmed off-then-on" 0 "2 on"
check "Raritan: cycle waited the global power-off period (1 s scaled)" test "$MS" -ge 800
run "$P" "$rx" off all
expect "Raritan: off all without --yes: usage, nothing sent" 2 ""
run "$P" -n "$rx" name 9 backup
expect "Raritan dry run of a rename: outletName.1.9" 0 "$PDU2.3.5.3.1.3.1.9 = STRING: \"backup\""
run "$P" "$rx" name 9 backup
expect "Raritan: rename confirmed by read-back" 0 "9 backup"
run "$P" "$rx" get backup
expect "Raritan: the new name selects outlet 9" 0 "9 on"
run "$P" -P raritan-px2 "$rx" get 1
expect "Raritan: --profile raritan-px2 skips detection" 0 "1 on"

# A Raritan unit whose PDU2-MIB tables do not answer (a PX1, or a view
# without them): Raritan has a profile, so --profile is suggested.
AGENT_SYSOID=.1.3.6.1.4.1.13742.4 AGENT_DESCR="Raritan Dominion PX" pdu_agent bare RB ||
	not_ok "the bare agent starts"
run "$P" -t 3 "127.0.0.1:$RB" status
expect "a Raritan unit without the PDU2 tables: exit 5" 5 ""
expect_err "names Raritan and suggests --profile" \
	'Raritan \(enterprise 13742\) unit without a known switched-outlet table .*sysDescr "Raritan Dominion PX".*try --profile'
