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

# A Raritan unit whose tables do not answer (neither PDU2-MIB nor a PX1's
# PDU-MIB in the agent's view): Raritan has profiles, so --profile is
# suggested.
AGENT_SYSOID=.1.3.6.1.4.1.13742.4 AGENT_DESCR="Raritan Dominion PX" pdu_agent bare RB ||
	not_ok "the bare agent starts"
run "$P" -t 3 "127.0.0.1:$RB" status
expect "a Raritan unit without the PDU2 tables: exit 5" 5 ""
expect_err "names Raritan and suggests --profile" \
	'Raritan \(enterprise 13742\) unit without a known switched-outlet table .*sysDescr "Raritan Dominion PX".*try --profile'

# ---- ServerTech Sentry4: unit.cord.outlet indexes, switched and metered ------
pdu_agent sentry4 S4 || { not_ok "Sentry4 agent starts"; exit 1; }
s4=127.0.0.1:$S4
ST4=.1.3.6.1.4.1.1718.4.1
run "$P" -v "$s4" status
expect "Sentry4: status exits 0" 0
check "Sentry4: identity from the unit table and st4SystemFirmwareVersion" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: sentry4
pdu.model: C2WG36TE-DQME2M66/C
pdu.name: rack-d-pdu
pdu.firmware: 8.0q
pdu.serial: ABEF0001561
pdu.outlets: 36"
expect_out "Sentry4: the cord's branches are the banks, hundredths of A, status normal(0)" \
	$'bank.1.current: 10.5\nbank.1.load: normal\nbank.2.current: 25.8\nbank.2.load: normal\nbank.3.current: 40.2'
expect_out "Sentry4: outlet current in hundredths of A" \
	$'outlet.2.name: web\noutlet.2.state: on\noutlet.2.current: 0.5\noutlet.2.power: 115'
expect_out "Sentry4: an outlet reading -1 (not measured) shows no current" \
	$'outlet.33.name: AA33\noutlet.33.state: on\noutlet.34.name'
expect_err "Sentry4: the switched profile saw the control table in the detecting GET" \
	'\.1\.3\.6\.1\.4\.1\.1718\.4\.1\.8\.5\.1\.1\.1\.1\.1 = INTEGER: 11'
run "$P" -j "$s4" status
expect_json "Sentry4: status -j" \
	'd["profile"] == "sentry4" and len(d["outlets"]) == 36 and d["outlets"][5]["state"] == "off" and d["outlets"][1]["current_a"] == 0.5 and "current_a" not in d["outlets"][33] and len(d["banks"]) == 3'
run "$P" --format prom "$s4" status
expect_prom "Sentry4: status --format prom: promtool check metrics is silent"
expect_out "Sentry4: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'
run "$P" "$s4" get 5-7
expect "Sentry4: get 5-7" 1 $'5 on\n6 off\n7 on'
run "$P" -n "$s4" reboot 5
expect "Sentry4 dry run: st4OutletControlAction.1.1.5 = reboot(3)" 0 "$ST4.8.5.1.2.1.1.5 = INTEGER: 3"
run "$P" "$s4" on 6
expect "Sentry4: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$s4" "$ST4.8.3.1.1.1.1.6"
expect "Sentry4: st4OutletState reads on(1)" 0 "1"
run "$P" "$s4" off 6
expect "Sentry4: off 6 confirmed" 0 "6 off"
run "$P" "$s4" reboot 3
expect "Sentry4: reboot confirmed" 0 "3 on"
check "Sentry4: reboot waited st4OutletRebootDelay (0.5 s scaled)" test "$MS" -ge 400
run "$P" "$s4" name 10 backup
expect "Sentry4: rename confirmed" 0 "10 backup"
run "$P" "$s4" get backup
expect "Sentry4: get by the new name" 0 "10 on"

pdu_agent sentry4-metered S4M || { not_ok "Sentry4 metered agent starts"; exit 1; }
s4m=127.0.0.1:$S4M
run "$P" "$s4m" status
expect_out "Sentry4 Smart: detected as the metered profile (no control table)" '^pdu.profile: sentry4-metered$'
expect_out "Sentry4 Smart: reads states and currents" $'outlet.6.state: off\noutlet.6.current: 0.0'
run "$P" "$s4m" get 6
expect "Sentry4 Smart: get reads fine" 1 "6 off"
for act in on off reboot; do
	run "$P" "$s4m" "$act" 6
	expect "Sentry4 Smart: $act refused: exit 4, nothing on stdout" 4 ""
	expect_err "Sentry4 Smart: $act: the message names the family" \
		'ServerTech Sentry4 Smart \(metered\) PDU \(Sentry4-MIB\) only meters its outlets'
done
run "$P" -n "$s4m" off 6
expect "Sentry4 Smart: a dry run is refused the same way" 4 ""
run "$P" -P sentry4 -t 2 "$s4m" status
expect "Sentry4 Smart: --profile sentry4 reads it (the tables are the same)" 0
run "$P" -P sentry4 "$s4m" on 6
expect "...but on fails: the agent refuses the absent control column" 1 ""
expect_err "...saying so" "notWritable"

# ---- ServerTech Sentry3 --------------------------------------------------------
pdu_agent sentry3 S3 || { not_ok "Sentry3 agent starts"; exit 1; }
s3=127.0.0.1:$S3
ST3=.1.3.6.1.4.1.1718.3.2.3.1
run "$P" "$s3" status
check "Sentry3: identity from the tower table and systemVersion" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: sentry3
pdu.model: CW-24V2C458C1
pdu.name: TowerA
pdu.firmware: Sentry Switched CDU Version 7.1a
pdu.serial: ADLH0001862
pdu.outlets: 24"
expect_out "Sentry3: outletStatus off(0) and the load in hundredths" \
	$'outlet.6.name: spare\noutlet.6.state: off\noutlet.6.current: 0.0\noutlet.6.power: 0\noutlet.7.name: spare\noutlet.7.state: on\noutlet.7.current: 1.0'
run "$P" -j "$s3" status
expect_json "Sentry3: status -j" \
	'd["profile"] == "sentry3" and len(d["outlets"]) == 24 and d["banks"] == [] and d["outlets"][6]["current_a"] == 1.0'
run "$P" --format prom "$s3" status
expect_prom "Sentry3: status --format prom: promtool check metrics is silent"
run "$P" -n "$s3" on 6
expect "Sentry3 dry run: outletControlAction.1.1.6 = on(1)" 0 "$ST3.11.1.1.6 = INTEGER: 1"
run "$P" "$s3" on 6
expect "Sentry3: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$s3" "$ST3.5.1.1.6"
expect "Sentry3: outletStatus reads on(1)" 0 "1"
run "$P" "$s3" off 6
expect "Sentry3: off 6 confirmed" 0 "6 off"
run "$P" "$s3" reboot 1
expect "Sentry3: reboot confirmed" 0 "1 on"
run "$P" "$s3" get "db,lab"
expect "Sentry3: get by names" 0 $'3 on\n8 on'

pdu_agent sentry3-metered S3M || { not_ok "Sentry3 metered agent starts"; exit 1; }
s3m=127.0.0.1:$S3M
run "$P" "$s3m" get 1
expect "Sentry3 Smart: get reads fine" 0 "1 on"
run "$P" "$s3m" reboot 1
expect "Sentry3 Smart: reboot refused: exit 4" 4 ""
expect_err "Sentry3 Smart: the message names the family" \
	'ServerTech Sentry3 Smart \(metered\) CDU \(Sentry3-MIB\) only meters its outlets'

# ---- Eaton ePDU: strappingIndex 0, one command column per action --------------
pdu_agent eaton EA || { not_ok "Eaton agent starts"; exit 1; }
ea=127.0.0.1:$EA
EPDU=.1.3.6.1.4.1.534.6.6.7
run "$P" -v "$ea" status
check "Eaton: identity from the unit table (strappingIndex 0)" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: eaton-epdu
pdu.model: EMAB03
pdu.name: rack-e-pdu
pdu.firmware: 04.02.0002
pdu.serial: G104K45014
pdu.outlets: 24"
expect_out "Eaton: the outlet groups are the banks, milliamperes, status good(0)" \
	$'bank.1.current: 10.5\nbank.1.load: normal\nbank.2.current: 25.8\nbank.2.load: normal'
expect_out "Eaton: outlet current in milliamperes" \
	$'outlet.7.name: spare\noutlet.7.state: on\noutlet.7.current: 1.0\noutlet.7.power: 230'
expect_err "Eaton: outletControlOffCmd of outlet 1 asked when detecting" \
	'\.1\.3\.6\.1\.4\.1\.534\.6\.6\.7\.6\.6\.1\.3\.0\.1 = INTEGER: -1'
run "$P" -j "$ea" status
expect_json "Eaton: status -j" \
	'd["profile"] == "eaton-epdu" and len(d["outlets"]) == 24 and d["outlets"][5]["state"] == "off" and d["outlets"][6]["current_a"] == 1.0'
run "$P" --format prom "$ea" status
expect_prom "Eaton: status --format prom: promtool check metrics is silent"
run "$P" -n "$ea" on 6
expect "Eaton dry run: on is outletControlOnCmd.0.6 = 0 (no delay)" 0 "$EPDU.6.6.1.4.0.6 = INTEGER: 0"
run "$P" -n "$ea" off 6
expect "Eaton dry run: off is outletControlOffCmd.0.6 = 0" 0 "$EPDU.6.6.1.3.0.6 = INTEGER: 0"
run "$P" -n "$ea" reboot 6
expect "Eaton dry run: reboot is outletControlRebootCmd.0.6 = 0" 0 "$EPDU.6.6.1.5.0.6 = INTEGER: 0"
run "$P" "$ea" on 6
expect "Eaton: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$ea" "$EPDU.6.6.1.2.0.6"
expect "Eaton: outletControlStatus reads on(1)" 0 "1"
run "$P" "$ea" off 6
expect "Eaton: off 6 confirmed" 0 "6 off"
run "$P" "$ea" reboot 2
expect "Eaton: reboot confirmed through pendingOn(3)" 0 "2 on"
run "$P" "$ea" name 9 backup
expect "Eaton: rename confirmed" 0 "9 backup"
run "$P" "$ea" get backup,6
expect "Eaton: get by name" 1 $'6 off\n9 on'

pdu_agent eaton-metered EM || { not_ok "Eaton metered agent starts"; exit 1; }
run "$P" "127.0.0.1:$EM" status
expect_out "Eaton metered: the metered profile" '^pdu.profile: eaton-epdu-metered$'
run "$P" "127.0.0.1:$EM" off 1
expect "Eaton metered: off refused: exit 4" 4 ""
expect_err "Eaton metered: the message names the family" \
	'Eaton ePDU G2/G3/G4 metered \(EATON-EPDU-MIB\) only meters its outlets'

# ---- CyberPower ATS with switched outlets: commands shifted by one -----------
pdu_agent cyberpower-ats AT || { not_ok "CyberPower ATS agent starts"; exit 1; }
at=127.0.0.1:$AT
ATS=.1.3.6.1.4.1.3808.1.1.5
run "$P" "$at" status
check "CyberPower ATS: identity (atsIdent as CPS-MIB numbers it) and outlets from the ats tables" \
	test "$(head -8 <<<"$OUT")" = \
"pdu.profile: cyberpower-ats
pdu.model: PDU15SWHVIEC8ATNET
pdu.name: rack-c-pdu
pdu.firmware: 1.0.3
pdu.serial: NLKQY2000123
pdu.outlets: 8
outlet.1.name: nas
outlet.1.state: on"
run "$P" -j "$at" status
expect_json "CyberPower ATS: status -j" \
	'd["profile"] == "cyberpower-ats" and d["outlets"][5]["state"] == "off" and d["banks"] == []'
run "$P" --format prom "$at" status
expect_prom "CyberPower ATS: status --format prom: promtool check metrics is silent"
run "$P" -n "$at" on 6
expect "CyberPower ATS dry run: immediateOn is 2, not the ePDU's 1" 0 "$ATS.6.5.1.3.6 = INTEGER: 2"
run "$P" -n "$at" off 6
expect "CyberPower ATS dry run: immediateOff is 3" 0 "$ATS.6.5.1.3.6 = INTEGER: 3"
run "$P" -n "$at" reboot 6
expect "CyberPower ATS dry run: immediateReboot is 4" 0 "$ATS.6.5.1.3.6 = INTEGER: 4"
run "$P" "$at" on 6
expect "CyberPower ATS: on 6 confirmed" 0 "6 on"
run "$P" "$at" off 6
expect "CyberPower ATS: off 6 confirmed" 0 "6 off"
run "$P" "$at" reboot 2
expect "CyberPower ATS: reboot confirmed" 0 "2 on"
run "$P" "$at" get lab,6
expect "CyberPower ATS: get by name" 1 $'6 off\n8 on'
run "$P" "$at" name 3 x
expect "CyberPower ATS: renaming is a usage error, nothing sent" 2 ""
expect_err "CyberPower ATS: says why" 'outlet names cannot be set over SNMP'
