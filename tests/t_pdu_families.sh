#!/bin/bash
# pductl against a real snmpd simulating each further PDU family
# (tests/snmp/pdu_pass.py, data from the vendor MIB and published walks):
# detection, status, get, names, on/off/reboot confirmed by read-back,
# JSON and Prometheus.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# ---- APC MasterSwitch / sPDU: an AP7900 without the rPDU tables ------------
pdu_agent apc-spdu SP || { not_ok "APC sPDU agent starts"; exit 1; }
sp=127.0.0.1:$SP
SPDU=.1.3.6.1.4.1.318.1.1.4

run "$P" -v "$sp" status
expect "sPDU: status from the MasterSwitch tables" 0 "pdu.profile: apc-spdu
pdu.model: AP7900
pdu.name: RackPDU
pdu.firmware: v3.7.3
pdu.serial: 5A1234E00874
pdu.outlets: 8
outlet.1.name: Testing Name
outlet.1.state: on
outlet.2.name: Testing 2
outlet.2.state: on
outlet.3.name: Outlet 3
outlet.3.state: on
outlet.4.name: Outlet 4
outlet.4.state: on
outlet.5.name: Outlet 5
outlet.5.state: on
outlet.6.name: Outlet 6
outlet.6.state: off
outlet.7.name: Outlet 7
outlet.7.state: on
outlet.8.name: Outlet 8
outlet.8.state: on"
expect_err "sPDU: the rPDU tables were asked first (rPDU2OutletSwitchedTableSize probed)" \
	'^pductl: >   \.1\.3\.6\.1\.4\.1\.318\.1\.1\.26\.9\.1$'
expect_err "sPDU: ... and are absent (another object follows rPDU2's count)" \
	'^pductl: >   \.1\.3\.6\.1\.4\.1\.318\.1\.1\.12\.3\.1\.3$'
if printf '%s\n' "$ERR" | grep -Eq '^pductl: <   \.1\.3\.6\.1\.4\.1\.318\.1\.1\.(26\.9\.1|12\.3\.1\.3)\.0 '; then
	not_ok "sPDU: no rPDU outlet count answered"; pk_show
else
	ok "sPDU: no rPDU outlet count answered"
fi
expect_err "sPDU: then sPDUOutletControlTableSize answers" \
	'\.1\.3\.6\.1\.4\.1\.318\.1\.1\.4\.4\.1\.0 = INTEGER: 8'
run "$P" -j "$sp" status
expect_json "sPDU: status -j, no banks, no metering" \
	'd["profile"] == "apc-spdu" and d["banks"] == [] and d["outlets"][5]["state"] == "off" and d["outlets"][0]["name"] == "Testing Name" and "current_a" not in d["outlets"][0]'
run "$P" --format prom "$sp" status
expect_prom "sPDU: status --format prom: promtool check metrics is silent"
expect_out "sPDU: the profile in the info metric" 'profile="apc-spdu",model="AP7900"'
expect_out "sPDU: outlet 6 off" '^pductl_outlet_on\{server="[^"]*",outlet="6",name="Outlet 6"\} 0$'
for v in 1 2c; do
	run "$P" -S "$v" "$sp" get 1-8
	expect "sPDU: get 1-8 over v$v, outlet 6 off: exit 1" 1 "$PDU_SIM_GET8"
done
run "$P" "$sp" get "Testing 2,Outlet 3"
expect "sPDU: get by names" 0 $'2 on\n3 on'
run "$P" "$sp" get 9
expect "sPDU: outlet 9 of 8 is a usage error" 2 ""
run "$P" -P apc-rpdu -t 2 "$sp" get 1
expect "sPDU: the rPDU profile on it finds no table: exit 5" 5 ""
expect_err "sPDU: says which profile's table is missing" "apc-rpdu outlet table is missing"
run "$P" -P apc-spdu "$sp" get 1
expect "sPDU: --profile apc-spdu skips detection" 0 "1 on"

run "$P" -n "$sp" off 6
expect "sPDU dry run: outletOff = 2 on sPDUOutletCtl" 0 "$SPDU.4.2.1.3.6 = INTEGER: 2"
run "$P" -n --delayed "$sp" reboot 5
expect "sPDU dry run: rebootWithDelay = 7" 0 "$SPDU.4.2.1.3.5 = INTEGER: 7"
run "$P" "$sp" on 6
expect "sPDU: on 6 confirmed" 0 "6 on"
run snmpget -v1 -c public -Oqv "$sp" "$SPDU.4.2.1.3.6"
expect "sPDU: the agent's sPDUOutletCtl reads outletOn (1)" 0 "1"
run "$P" "$sp" off 6
expect "sPDU: off 6 confirmed" 0 "6 off"
run snmpget -v1 -c public -Oqv "$sp" "$SPDU.2.2.0"
expect "sPDU: sPDUMasterState shows outlet 6 off" 0 '"On  On  On  On  On  Off On  On  "'
run "$P" "$sp" reboot 2
expect "sPDU: reboot confirmed off-then-on" 0 "2 on"
check "sPDU: reboot waited for the reboot duration (0.5 s scaled)" test "$MS" -ge 400
run "$P" --delayed "$sp" off 4
expect "sPDU: --delayed off (offWithDelay)" 0 "4 off"
run "$P" -S 1 "$sp" on 4
expect "sPDU: on over v1" 0 "4 on"
run "$P" "$sp" off all
expect "sPDU: off all without --yes: usage, nothing sent" 2 ""

run "$P" -n "$sp" name 7 backup
expect "sPDU dry run of a rename: sPDUOutletName in the config table" 0 \
	"$SPDU.5.2.1.3.7 = STRING: \"backup\""
run "$P" "$sp" name 7 backup
expect "sPDU: rename confirmed by read-back from the control table" 0 "7 backup"
run snmpget -v1 -c public -Oqv "$sp" "$SPDU.4.2.1.4.7"
expect "sPDU: sPDUOutletCtlName reads the new name" 0 '"backup"'

# ---- a PDU no profile reads ----------------------------------------------------
AGENT_SYSOID=.1.3.6.1.4.1.674.10903.200.2.200.1 AGENT_DESCR="Dell Rack PDU" pdu_agent bare RX ||
	not_ok "the bare agent starts"
run "$P" -t 3 "127.0.0.1:$RX" status
expect "a Dell unit: exit 5, nothing on stdout" 5 ""
expect_err "the message names the vendor from the enterprise number, and sysDescr" \
	'no profile for Dell \(enterprise 674\) PDUs \(sysObjectID \.1\.3\.6\.1\.4\.1\.674\.10903\.200\.2\.200\.1, sysDescr "Dell Rack PDU"\)'
check "no --profile advice where no profile could read it" bash -c '! grep -q -- --profile <<<"$1"' _ "$ERR"
AGENT_SYSOID=.1.3.6.1.4.1.99999.3 AGENT_DESCR="Acme PDU" pdu_agent bare RU ||
	not_ok "the bare agent starts"
run "$P" -t 3 "127.0.0.1:$RU" get 1
expect "an unknown vendor: exit 5" 5 ""
expect_err "the enterprise number, sysDescr, no advice" \
	'^pductl: [^ ]+: no profile for enterprise 99999 PDUs \(sysObjectID \.1\.3\.6\.1\.4\.1\.99999\.3, sysDescr "Acme PDU"\)$'
AGENT_SYSOID=.1.3.6.1.4.1.318.1.3.4.6 AGENT_DESCR="APC Web/SNMP Management Card" pdu_agent bare RA ||
	not_ok "the bare agent starts"
run "$P" -t 3 "127.0.0.1:$RA" status
expect "an APC unit none of the APC tables answer on: exit 5" 5 ""
expect_err "names APC and suggests --profile, since an APC profile may fit" \
	'APC \(enterprise 318\) unit without a known switched-outlet table .*sysDescr "APC Web/SNMP Management Card".*try --profile'
