#!/bin/bash
# pductl against a real snmpd simulating Tripp Lite, Vertiv Geist and
# Raritan PX1 PDUs (tests/snmp/pdu_pass.py, data from the vendor MIBs):
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
