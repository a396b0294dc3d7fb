#!/bin/bash
# pductl against a real snmpd simulating a first-generation APC Switched
# Rack PDU (rPDU, AP79xx, masterSwitchrPDU, PowerNet-MIB under
# .1.3.6.1.4.1.318.1.1.12): detection, status, get, on/off/reboot with
# confirmation, delayed commands, names, versions.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

pdu_agent apc-rpdu RP || { not_ok "APC rPDU agent starts"; exit 1; }
rp=127.0.0.1:$RP

run snmpget -v1 -c public -On "$rp" .1.3.6.1.2.1.1.2.0
expect "the agent reports masterSwitchrPDU's sysObjectID" 0 \
	".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.318.1.3.4.5"

# ---- detection and status ----------------------------------------------
run "$P" -v "$rp" status
expect "status of the rPDU" 0 "pdu.profile: apc-rpdu
pdu.model: AP7900
pdu.name: rack-c-pdu
pdu.firmware: v3.7.3
pdu.serial: ZA0828012345
pdu.outlets: 8
$PDU_SIM_TABLES"
expect_err "the rPDU2 probe is answered noSuchName over v1, the rPDU one is used" \
	'\.1\.3\.6\.1\.4\.1\.318\.1\.1\.12\.3\.1\.3\.0 = INTEGER: 8'
expect_err "APC: v2c after detection" "> GET v2c"
expect_err "the phase row (BankNumber 0) is read but not shown as a bank" \
	'\.1\.3\.6\.1\.4\.1\.318\.1\.1\.12\.2\.3\.1\.1\.5\.1 = INTEGER: 0'
run "$P" -j "$rp" status
expect_json "status -j: profile, banks by number, no metering" \
	'd["profile"] == "apc-rpdu" and [b["bank"] for b in d["banks"]] == [1, 2] and d["banks"][1]["current_a"] == 2.9 and d["outlets"][5]["state"] == "off" and "current_a" not in d["outlets"][0]'
run "$P" --format prom "$rp" status
expect_prom "status --format prom (rPDU): promtool check metrics is silent"
expect_out "prom: the profile in the info metric" '^pductl_info\{server="127.0.0.1:[0-9]+",pdu="[^"]*",profile="apc-rpdu",model="AP7900",'
check "prom: no outlet metering on a switched-only rPDU" bash -c '! grep -q outlet_current <<<"$1"' _ "$OUT"
for v in 1 2c; do
	run "$P" -S "$v" "$rp" status
	expect "rPDU status over v$v" 0
	expect_out "rPDU detected over v$v" '^pdu.profile: apc-rpdu$'
done
run "$P" -P apc-rpdu2 -t 2 "$rp" get 1
expect "the rPDU2 profile on an rPDU: its table is missing, exit 5" 5
expect_err "message suggests --profile" "outlet table is missing"

# ---- get -----------------------------------------------------------------
run "$P" "$rp" get 1-8
expect "get 1-8: state 2 is off, exit 1" 1 "$PDU_SIM_GET8"
run "$P" "$rp" get nas,db
expect "get by names" 0 $'1 on\n3 on'
run "$P" "$rp" get 9
expect "outlet 9 of 8 is a usage error" 2 ""
run "$P" "$rp" get nosuch
expect "an unknown name is a usage error" 2 ""
expect_err "it lists the outlets" "outlets: 1=nas, 2=web"

# ---- on / off / reboot ------------------------------------------------------
run "$P" -n "$rp" on 6
expect "dry run: immediateOn = 1 on the rPDU control column" 0 \
	".1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.6 = INTEGER: 1"
run "$P" -n "$rp" off 6
expect "dry run: immediateOff = 2" 0 ".1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.6 = INTEGER: 2"
run "$P" -n --delayed "$rp" reboot 5
expect "dry run: delayedReboot = 6" 0 ".1.3.6.1.4.1.318.1.1.12.3.3.1.1.4.5 = INTEGER: 6"
run "$P" "$rp" on spare
expect "an ambiguous name switches nothing" 2
run "$P" "$rp" on 6
expect "on 6 confirmed" 0 "6 on"
run snmpget -v1 -c public -Oqv "$rp" .1.3.6.1.4.1.318.1.1.12.3.5.1.1.4.6
expect "the agent's status column says on (1)" 0 "1"
run "$P" "$rp" off 6
expect "off 6 confirmed" 0 "6 off"
run snmpget -v1 -c public -Oqv "$rp" .1.3.6.1.4.1.318.1.1.12.3.5.1.1.4.6
expect "the agent's status column says off (2)" 0 "2"
run "$P" "$rp" reboot web
expect "reboot confirmed off-then-on" 0 "2 on"
check "reboot waited for the reboot duration (0.5 s scaled)" test "$MS" -ge 400
run "$P" -t 0.3 "$rp" reboot 3
expect "reboot not back on within -t: exit 1" 1 ""
expect_err "not confirmed message" "outlet 3 is off, not confirmed rebooted"
sleep 0.6
run "$P" --no-wait "$rp" reboot 3
expect "--no-wait returns once accepted" 0 "3 accepted"
run "$P" "$rp" get 3
expect "right after it the outlet is off" 1 "3 off"
sleep 0.7
run "$P" "$rp" get 3
expect "and on again after the reboot duration" 0 "3 on"
run "$P" --delayed "$rp" off 4
expect "--delayed off waits the outlet's power-off delay" 0 "4 off"
run "$P" "$rp" on switch
expect "on by name" 0 "4 on"
run "$P" -S 1 "$rp" reboot 1
expect "reboot over v1" 0 "1 on"

# ---- names -----------------------------------------------------------------
run "$P" -n "$rp" name 7 backup
expect "dry run of a rename: the config name column" 0 \
	'.1.3.6.1.4.1.318.1.1.12.3.4.1.1.2.7 = STRING: "backup"'
run "$P" "$rp" name 7 backup
expect "rename confirmed by read-back" 0 "7 backup"
run "$P" "$rp" get backup
expect "the new name selects the outlet" 0 "7 on"
run "$P" "$rp" name lab "a name far too long for the pdu to take"
expect "a name the PDU refuses exits 1" 1
expect_err "the error names the status" "wrongLength"
