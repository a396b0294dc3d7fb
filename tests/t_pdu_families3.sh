#!/bin/bash
# pductl against a real snmpd simulating Tripp Lite and Vertiv Geist
# PDUs (tests/snmp/pdu_pass.py, data from the vendor MIBs):
# detection, status, get, names, on/off/reboot confirmed by read-back (or
# refused where the unit only meters), JSON and Prometheus.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# ---- Tripp Lite (TRIPPLITE-PRODUCTS): device.outlet indexes, on 2 / off 1 ----
pdu_agent tripplite TL || { not_ok "Tripp Lite agent starts"; exit 1; }
tl=127.0.0.1:$TL
TLO=.1.3.6.1.4.1.850.1.1.3.2.3.3.1.1

run "$P" -v "$tl" status
expect "Tripp Lite: status exits 0" 0
check "Tripp Lite: identity from tlpDeviceTable and tlpDeviceIdentTable" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: tripplite
pdu.model: PDUMH15NET
pdu.name: rack-f-pdu
pdu.firmware: 15.5.4
pdu.serial: 2736CV0PD881100123
pdu.outlets: 14"
expect_out "Tripp Lite: the circuits are the banks, in hundredths of A, no load state" \
	$'bank.1.current: 4.0\nbank.1.load: unknown\nbank.2.current: 9.8\nbank.2.load: unknown'
expect_out "Tripp Lite: outlet 6 off (tlpPduOutletState off(1)), no current where not metered" \
	$'outlet.6.name: spare\noutlet.6.state: off\noutlet.7.name: spare'
expect_out "Tripp Lite: unnamed outlets keep the unit's names" $'outlet.14.name: Outlet 14\noutlet.14.state: on'
expect_err "Tripp Lite: the switched profile saw tlpPduOutletControllable.1.1 true(1) when detecting" \
	'\.1\.3\.6\.1\.4\.1\.850\.1\.1\.3\.2\.3\.3\.1\.1\.5\.1\.1 = INTEGER: 1'
expect_err "Tripp Lite: ...and tlpPduIdentNumOutlets.1 in the same GET" \
	'\.1\.3\.6\.1\.4\.1\.850\.1\.1\.3\.2\.1\.2\.1\.4\.1 = Gauge32: 14'
run "$P" -j "$tl" status
expect_json "Tripp Lite: status -j" \
	'd["profile"] == "tripplite" and len(d["outlets"]) == 14 and d["outlets"][5]["state"] == "off" and "current_a" not in d["outlets"][0] and [b["current_a"] for b in d["banks"]] == [4.0, 9.8]'
run "$P" --format prom "$tl" status
expect_prom "Tripp Lite: status --format prom: promtool check metrics is silent"
expect_out "Tripp Lite: the profile in the info metric" 'profile="tripplite",model="PDUMH15NET"'
expect_out "Tripp Lite: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'

run "$P" "$tl" get 5-7
expect "Tripp Lite: get 5-7, outlet 6 off: exit 1" 1 $'5 on\n6 off\n7 on'
run "$P" "$tl" get 15
expect "Tripp Lite: outlet 15 of 14 is a usage error" 2 ""
expect_err "Tripp Lite: names the range" '1-14'
run "$P" -n "$tl" on 6
expect "Tripp Lite dry run: turnOn is 2" 0 "$TLO.6.1.6 = INTEGER: 2"
run "$P" -n "$tl" off 6
expect "Tripp Lite dry run: turnOff is 1" 0 "$TLO.6.1.6 = INTEGER: 1"
run "$P" -n "$tl" reboot 6
expect "Tripp Lite dry run: cycle is 3" 0 "$TLO.6.1.6 = INTEGER: 3"
run "$P" -n --delayed "$tl" reboot 6
expect "Tripp Lite: no delayed commands: usage error" 2 ""
expect_err "Tripp Lite: says so" 'tripplite has no delayed commands'
run "$P" "$tl" on 6
expect "Tripp Lite: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$tl" "$TLO.4.1.6"
expect "Tripp Lite: the agent's tlpPduOutletState reads on(2)" 0 "2"
run "$P" "$tl" off 6
expect "Tripp Lite: off 6 confirmed" 0 "6 off"
run snmpget -v2c -c public -Oqv "$tl" "$TLO.4.1.6"
expect "Tripp Lite: ...and off(1)" 0 "1"
run "$P" "$tl" reboot 2
expect "Tripp Lite: cycle confirmed off-then-on" 0 "2 on"
run snmpset -v2c -c private "$tl" "$TLO.6.1.2" i 4
expect "Tripp Lite: the agent refuses a command value the MIB does not list" 2 ""
expect_err "...with wrongValue" 'wrongValue'
run snmpset -v2c -c private "$tl" "$TLO.6.1.2" s on
expect "Tripp Lite: ...and a string" 2 ""
expect_err "...with wrongType" 'wrongType'
run "$P" "$tl" name 9 backup
expect "Tripp Lite: rename confirmed by read-back" 0 "9 backup"
run "$P" "$tl" get backup,db
expect "Tripp Lite: get by names" 0 $'3 on\n9 on'
run "$P" -P tripplite "$tl" get 1
expect "Tripp Lite: --profile tripplite skips detection" 0 "1 on"

pdu_agent tripplite-metered TM || { not_ok "Tripp Lite metered agent starts"; exit 1; }
tm=127.0.0.1:$TM
run "$P" "$tm" status
expect_out "Tripp Lite metered: detected as the metered profile (controllable false(2))" \
	'^pdu.profile: tripplite-metered$'
expect_out "Tripp Lite metered: outlet current in hundredths and power" \
	$'outlet.2.name: web\noutlet.2.state: on\noutlet.2.current: 0.5\noutlet.2.power: 60'
run "$P" "$tm" get 6
expect "Tripp Lite metered: get reads fine" 1 "6 off"
for act in on off reboot; do
	run "$P" "$tm" "$act" 6
	expect "Tripp Lite metered: $act refused: exit 4, nothing on stdout" 4 ""
	expect_err "Tripp Lite metered: $act: the message names the family" \
		'Tripp Lite metered PDU \(TRIPPLITE-PRODUCTS tlpPdu tables\) only meters its outlets'
done
run "$P" -P tripplite "$tm" on 6
expect "Tripp Lite metered: --profile tripplite sends, and the agent refuses" 1 ""
expect_err "...saying so" "notWritable"

# ---- Vertiv Geist (VERTIV-V5-MIB): no outlet count, rows counted -------------
pdu_agent geist GE || { not_ok "Geist agent starts"; exit 1; }
ge=127.0.0.1:$GE
GSW=.1.3.6.1.4.1.21239.5.2.3.5.1
run "$P" -v "$ge" status
expect "Geist: status exits 0" 0
check "Geist: identity from the deviceInfo scalars" test "$(head -6 <<<"$OUT")" = \
"pdu.profile: geist
pdu.model: VP8859
pdu.name: rack-g-pdu
pdu.firmware: 5.11.4
pdu.serial: VG1935K0123
pdu.outlets: 24"
expect_out "Geist: the breakers are the banks, hundredths of A" \
	$'bank.1.current: 10.5\nbank.1.load: unknown\nbank.2.current: 25.8\nbank.2.load: unknown\noutlet.1.name'
expect_out "Geist: outlet current and power from pduOutletMeterTable" \
	$'outlet.2.name: web\noutlet.2.state: on\noutlet.2.current: 0.5\noutlet.2.power: 115'
expect_out "Geist: an outlet without a label shows an empty name" '^outlet\.20\.name: $'
expect_err "Geist: the outlets counted as the rows of pduOutletSwitchState, up to the first absent" \
	'\.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.5\.1\.4\.24 = INTEGER: 1'
# ...by detection itself (no version given: the unit's agent prefers
# v2c), in one GETBULK down the column from row 0, where it ends.
check "Geist: ...by one GETBULK over v2c from row 0" eval \
	'grep -A1 "^pductl: > GETBULK v2c .*(1 varbind)" <<<"$ERR" | grep -Fqx "pductl: >   .1.3.6.1.4.1.21239.5.2.3.5.1.4.0"'
expect_err "Geist: ...which ends the column: another column answered" '\.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.5\.1\.5\.1 = '
# Over v1, probed with GETNEXT of the row before: row 25 is asked as what
# follows row 24, and the answer (another column's row) says it is absent.
run "$P" -v -S1 "$ge" status
expect_out "Geist -S1: 24 outlets" '^pdu\.outlets: 24$'
expect_err "Geist -S1: ...row 25 probed (GETNEXT of row 24)" '^pductl: >   \.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.5\.1\.4\.24$'
expect_err "Geist -S1: ...and absent: another column answered" '\.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.5\.1\.5\.1 = '
check "Geist -S1: nothing over v2c" eval '! grep -q " v2c " <<<"$ERR"'
run "$P" -j "$ge" status
expect_json "Geist: status -j" \
	'd["profile"] == "geist" and d["outlet_count"] == 24 and d["outlets"][5]["state"] == "off" and d["outlets"][1]["current_a"] == 0.5 and [b["current_a"] for b in d["banks"]] == [10.5, 25.8]'
run "$P" --format prom "$ge" status
expect_prom "Geist: status --format prom: promtool check metrics is silent"
expect_out "Geist: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="spare"\} 0$'
run "$P" "$ge" get 5-7
expect "Geist: get 5-7" 1 $'5 on\n6 off\n7 on'
run "$P" "$ge" get 25
expect "Geist: outlet 25 of 24 is a usage error" 2 ""
run "$P" -n "$ge" on 6
expect "Geist dry run: on is 2" 0 "$GSW.6.6 = INTEGER: 2"
run "$P" -n "$ge" off 6
expect "Geist dry run: off is 4" 0 "$GSW.6.6 = INTEGER: 4"
run "$P" -n "$ge" reboot 6
expect "Geist dry run: reboot is 6" 0 "$GSW.6.6 = INTEGER: 6"
run "$P" -n --delayed "$ge" off 6
expect "Geist dry run: offAfterDelay is 5" 0 "$GSW.6.6 = INTEGER: 5"
run "$P" "$ge" on 6
expect "Geist: on 6 confirmed" 0 "6 on"
run snmpget -v2c -c public -Oqv "$ge" "$GSW.4.6"
expect "Geist: pduOutletSwitchState reads on(1)" 0 "1"
run "$P" "$ge" off 6
expect "Geist: off 6 confirmed" 0 "6 off"
run snmpget -v2c -c public -Oqv "$ge" "$GSW.4.6"
expect "Geist: ...and off(2)" 0 "2"
run "$P" "$ge" reboot 2
expect "Geist: reboot confirmed through rebootOff(6)" 0 "2 on"
check "Geist: reboot waited pduOutletSwitchRebootHoldDelay (0.5 s scaled)" test "$MS" -ge 400
run "$P" --delayed "$ge" off 3
expect "Geist: delayed off confirmed through on2off(3)" 0 "3 off"
check "Geist: ...after the outlet's off delay (0.2 s scaled)" test "$MS" -ge 150
run "$P" "$ge" off 24
expect "Geist: an outlet not in manual mode: the agent refuses, exit 1" 1 ""
expect_err "Geist: ...with inconsistentValue" 'inconsistentValue'
run "$P" "$ge" name 9 backup
expect "Geist: rename writes the label, confirmed" 0 "9 backup"
run "$P" "$ge" name 9 abcdefghijklmnopqrstuvwxyz
expect "Geist: a label over 25 bytes: the agent refuses" 1 ""
expect_err "Geist: ...with wrongLength" 'wrongLength'
run "$P" "$ge" get backup,db
expect "Geist: get by names, outlet 3 off: exit 1" 1 $'3 off\n9 on'

pdu_agent geist-metered GM || { not_ok "Geist metered agent starts"; exit 1; }
gm=127.0.0.1:$GM
run "$P" "$gm" status
expect "Geist metered: status exits 0" 0
expect_out "Geist metered: detected by pduOutletMeterTable alone" '^pdu.profile: geist-metered$'
expect_out "Geist metered: 24 outlets counted" '^pdu.outlets: 24$'
expect_out "Geist metered: names and currents, no state to read" \
	$'outlet.1.name: nas\noutlet.1.state: unknown\noutlet.1.current: 0.4\noutlet.1.power: 92'
run "$P" "$gm" get 1
expect "Geist metered: get has no state to show: exit 5" 5 ""
expect_err "Geist metered: says so" 'outlet 1 has no state'
for act in on off reboot; do
	run "$P" "$gm" "$act" 1
	expect "Geist metered: $act refused: exit 4" 4 ""
	expect_err "Geist metered: $act: the message names the family" \
		'Vertiv Geist metered rPDU \(VERTIV-V5-MIB / GEIST-V5-MIB\) only meters its outlets'
done
run "$P" "$gm" name 3 rack
expect "Geist metered: rename writes pduOutletMeterLabel" 0 "3 rack"
