#!/bin/bash
# pductl against real snmpd agents simulating a CyberPower ePDU and an APC
# rPDU2 (tests/snmp/): status, get, on/off/reboot with confirmation, names,
# communities, profiles, versions, raw OIDs compared with net-snmp's tools.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
pdu_agent apc APC || { not_ok "APC agent starts"; exit 1; }
cp=127.0.0.1:$CP
apc=127.0.0.1:$APC

# ---- status ------------------------------------------------------------
run "$P" "$cp" status
expect "status of the CyberPower ePDU" 0 "pdu.profile: cyberpower-epdu
pdu.model: PDU41008
pdu.name: rack-a-pdu
pdu.firmware: 1.3.4
pdu.serial: NJ12A3004567
pdu.outlets: 8
$PDU_SIM_TABLES"
check "status writes nothing on stderr" test -z "$ERR"

run "$P" "$apc" status
expect "status of the APC rPDU2" 0
expect_out "APC detected as rPDU2" '^pdu.profile: apc-rpdu2$'
expect_out "APC state 1 means off (inverted map)" 'outlet.6.state: off'
expect_out "APC bank rows mapped by bank number (row 1 is bank 2)" $'bank.1.current: 2.2\nbank.1.load: normal\nbank.2.current: 2.9'
expect_out "APC metered outlets show current and power" $'outlet.1.current: 0.4\noutlet.1.power: 92'

run "$P" -j "$apc" status
expect_json "status -j is one JSON document with numbers" \
	'd["profile"] == "apc-rpdu2" and d["outlet_count"] == 8 and d["outlets"][5]["state"] == "off" and d["outlets"][0]["current_a"] == 0.4 and d["banks"][1]["bank"] == 2'

# Options may come after the operands (they had to come first before).
run "$P" "$apc" status -j
expect_json "options after the operands: status -j" \
	'd["profile"] == "apc-rpdu2" and d["outlet_count"] == 8'
check "options after the operands: nothing on stderr" test -z "$ERR"
run "$P" "$cp" get 4 --no-such
expect "an unknown option after the operands is a usage error" 2 ""
expect_err "it is named" "^pductl: unknown option '--no-such' \(try 'pductl --help'\)$"

run "$P" --format prom "$cp" status
expect "status --format prom" 0
expect_prom "status --format prom: promtool check metrics is silent"
expect_out "prom: an up metric" '^pductl_up\{server="127.0.0.1:[0-9]+"\} 1$'
expect_out "prom: outlet 6 off" '^pductl_outlet_on\{server="127.0.0.1:[0-9]+",outlet="6",name="spare"\} 0$'
expect_out "prom: bank current" '^pductl_bank_current_amperes\{server="[^"]+",bank="2"\} 2.9$'
expect_out "prom: bank load state, one series per state" '^pductl_bank_load_state\{server="[^"]+",bank="2",state="normal"\} 1$'
expect_out "prom: other states are 0" '^pductl_bank_load_state\{server="[^"]+",bank="2",state="overload"\} 0$'
check "prom: no state in the current's labels" bash -c '! grep -q "load_state=" <<<"$1"' _ "$OUT"
check "prom output parses as exposition lines" bash -c 'printf "%s\n" "$1" | grep -v "^#" | grep -Evq "^[a-z_]+\{.*\} [0-9.]+$" && exit 1 || exit 0' _ "$OUT"

run "$P" --format prom "$apc" status
expect_prom "status --format prom (APC, metered): promtool check metrics is silent"
expect_out "prom: metered outlet power" '^pductl_outlet_power_watts\{server="[^"]+",outlet="1",name="nas"\} 92$'
expect_out "prom: metered outlet current" '^pductl_outlet_current_amperes\{server="[^"]+",outlet="6",name="spare"\} 0.0$'

# ---- get -----------------------------------------------------------------
run "$P" "$apc" get 1-8
expect "get 1-8 exits 1 when one is off" 1 "$PDU_SIM_GET8"
run "$P" "$apc" get 1-5
expect "get 1-5 exits 0 when all are on" 0 "1 on
2 on
3 on
4 on
5 on"
run "$P" "$cp" get nas,db
expect "get by names" 0 $'1 on\n3 on'
run "$P" "$cp" get "fw, core"
expect "a name with a comma" 0 "5 on"
run "$P" -j "$cp" get 6
expect_json "get -j" 'd["outlets"] == [{"outlet": 6, "name": "spare", "state": "off"}]'
check "get -j exit 1 for off" test "$RC" = 1

# ---- bad outlets: usage errors, nothing set --------------------------------
run "$P" -v "$cp" off 9
expect "outlet 9 of 8 is a usage error" 2 ""
expect_err "message names the valid range" "outlet '9': no such outlet \(valid: 1-8"
check "nothing was set for a bad outlet" bash -c '! grep -q "> SET" <<<"$1"' _ "$ERR"
run "$P" "$cp" reboot spare
expect "ambiguous name is a usage error" 2
expect_err "ambiguous message lists outlets" "name is ambiguous.*1=nas"
run "$P" "$cp" on NAS
expect "names match exactly" 2
run "$P" "$cp" get 0
expect "outlet 0 refused" 2

# ---- on / off / reboot ------------------------------------------------------
run "$P" "$cp" on 6
expect "on 6 confirmed" 0 "6 on"
run "$P" "$cp" get 6
expect "6 reads on afterwards" 0 "6 on"
run "$P" "$cp" off spare,6
expect_err "spare,6: spare is ambiguous" "ambiguous"
run "$P" "$cp" off 6
expect "off 6 confirmed" 0 "6 off"
run "$P" "$cp" reboot web
expect "reboot confirmed off-then-on" 0 "2 on"
check "reboot waited for the reboot duration (0.5 s scaled)" test "$MS" -ge 400
run "$P" -t 0.3 "$cp" reboot 2
expect "reboot not back on within -t: exit 1" 1 ""
expect_err "not confirmed message" "outlet 2 is off, not confirmed rebooted within the timeout"
expect_fast "the wait is bounded by -t" 1300
sleep 0.5
run "$P" "$apc" reboot 1,3
expect "APC reboot of two outlets" 0 $'1 on\n3 on'
run "$P" -j --no-wait "$cp" reboot 3
expect_json "--no-wait -j: one JSON document" 'd["outlets"] == [{"outlet": 3, "accepted": True}]'
sleep 0.7
run "$P" --no-wait "$cp" reboot 3
expect "--no-wait returns once accepted" 0 "3 accepted"
run "$P" "$cp" get 3
expect "right after --no-wait reboot the outlet is off" 1 "3 off"
sleep 0.7
run "$P" "$cp" get 3
expect "and on again after the reboot duration" 0 "3 on"
run "$P" "$apc" off 8
expect "APC genErr on a SET that worked: re-checked, success" 0 "8 off"
expect_err "genErr is reported as a warning" "outlet 8: the PDU answered genErr but the command took effect"
run "$P" "$apc" on lab
expect "on by name" 0 "8 on"
run "$P" --delayed "$cp" off 4
expect "--delayed off waits the outlet's power-off delay" 0 "4 off"
run "$P" "$cp" on 4
expect "on 4" 0 "4 on"

# ---- dry run ---------------------------------------------------------------
run "$P" -n -v "$apc" off 1-2
expect "dry run prints OIDs and values (APC off = 2)" 0 ".1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.1 = INTEGER: 2
.1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.2 = INTEGER: 2"
check "dry run sends no SET" bash -c '! grep -q "> SET" <<<"$1"' _ "$ERR"
run "$P" "$apc" get 1,2
expect "outlets untouched after the dry run" 0 $'1 on\n2 on'
run "$P" -n --delayed "$cp" reboot 5
expect "--delayed uses the delayed variant (CyberPower delayedReboot = 6)" 0 \
	".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.5 = INTEGER: 6"
run "$P" -n --delayed "$apc" on 5
expect "APC delayedOn = 5" 0 ".1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.5 = INTEGER: 5"
run "$P" -n "$cp" reboot 5 --delay 20
expect "--delay SECONDS is wattctl's; pductl's flag is --delayed: usage error" 2 ""
expect_err "the SECONDS is left over as an operand" "^pductl: 127.0.0.1:[0-9]+: expected status"
run "$P" -n "$cp" name 7 backup
expect "dry run of a rename" 0 '.1.3.6.1.4.1.3808.1.1.3.3.4.1.1.2.7 = STRING: "backup"'
run "$P" -n -j "$apc" off 1-2
expect_json "-n -j: one document with the OID lines as in text mode" 'd == {"dry_run": True, "target": "'"$apc"'", "requests": [".1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.1 = INTEGER: 2", ".1.3.6.1.4.1.318.1.1.26.9.2.4.1.5.2 = INTEGER: 2"]}'
check "-n -j exits 0" test "$RC" = 0
run "$P" -n -j "$cp" name 7 backup
expect_json "-n -j of a rename" 'd["dry_run"] is True and d["requests"] == [".1.3.6.1.4.1.3808.1.1.3.3.4.1.1.2.7 = STRING: \"backup\""]'
run "$P" -n -j "$apc" off 99
expect_json "-n -j: a bad outlet is the error document" 'd["error"]["status"] == 2 and "requests" not in d'
check "-n -j: a bad outlet still exits 2" test "$RC" = 2

# ---- names -----------------------------------------------------------------
run "$P" "$cp" name 7 backup
expect "rename confirmed by read-back" 0 "7 backup"
run "$P" "$cp" get backup
expect "the new name selects the outlet" 0 "7 on"
run "$P" -j "$cp" name backup backup
expect_json "name -j: one JSON document" 'd["outlets"] == [{"outlet": 7, "name": "backup"}]'
check "name -j exits 0" test "$RC" = 0
run "$P" -j "$cp" oid get .1.3.6.1.2.1.1.2.0
expect "oid with -j is a usage error (its lines are snmpget's)" 2 \
	'{"target":"'"$cp"'","error":{"status":2,"kind":"usage","message":"-j: oid prints snmpget -On lines, not JSON; leave out -j"}}'
run "$P" "$apc" name lab "a name far too long for the pdu to take"
expect "a name the PDU refuses (wrongLength) exits 1" 1
expect_err "the error names the status and OID" "wrongLength \(8\) at \.1\.3\.6\.1\.4\.1\.318\.1\.1\.26\.9\.2\.1\.1\.3\.8"
run "$P" "$cp" name 1-2 x
expect "name needs exactly one outlet" 2

# ---- communities -------------------------------------------------------------
run "$P" -t 1 -c wrong "$cp" status
expect "wrong community: exit 3" 3 ""
expect_err "the timeout message says a wrong community looks like this" "wrong community looks exactly like this"
expect_err "and names the read community's option and variable" "check the read community \(-c or PDU_COMMUNITY, default public\)"
expect_fast "wrong community ends within --timeout + 1 s" 2000
check "the community never appears in messages" bash -c '! grep -q wrong <<<"${1//wrong community/}"' _ "$ERR"
run env PDU_COMMUNITY=wrong "$P" -t 1 "$cp" get 1
expect "PDU_COMMUNITY is used" 3
run env PDU_COMMUNITY=wrong "$P" -c public "$cp" get 1
expect "-c beats PDU_COMMUNITY" 0 "1 on"
printf 'public\n' >"$PK_TMP/comm"
chmod 600 "$PK_TMP/comm"  # others may not read it (issue 11)
run env PDU_COMMUNITY=wrong "$P" --community-file "$PK_TMP/comm" "$cp" get 1
expect "--community-file beats the environment" 0 "1 on"
run "$P" -S 2c -C public "$apc" off 1
expect "SET with a read-only community (v2c noAccess): exit 4" 4
expect_err "noAccess named" "noAccess"
run "$P" "$apc" get 1
expect "outlet unchanged after the refused SET" 0 "1 on"
run env PDU_WRITE_COMMUNITY=public "$P" -S 2c "$apc" off 1
expect "PDU_WRITE_COMMUNITY is used for SETs" 4
run "$P" -S 1 -C public "$apc" off 1
expect "SET with a read-only community over v1 (noSuchName on a readable object): exit 4" 4
expect_err "the message names the write community option" "SET refused: noSuchName \(2\) at \.1\.3\.6\.1\.4\.1\.318\.1\.1\.26\.9\.2\.4\.1\.5\.1, which reads fine.*-C or PDU_WRITE_COMMUNITY"
run "$P" -S 1 -j -C public "$cp" off 1
expect_json "the same over v1 on CyberPower, -j: status 4" 'd["error"]["status"] == 4 and "write community" in d["error"]["message"]'
run "$P" "$cp" get 1
expect "outlet unchanged after the refused v1 SET" 0 "1 on"
run "$P" -S 1 "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.5.1.1.4.8 i 2
expect "v1 SET of a read-only object (the state column): exit 4" 4
expect_err "the message says the object may be read-only" "or the object is read-only"
run "$P" -S 1 "$cp" oid set .1.3.6.1.4.1.3808.9.0 i 2
expect "v1 SET of a missing object stays not found: exit 5" 5
expect_err "with the plain noSuchName message" "SET failed: noSuchName \(2\) at \.1\.3\.6\.1\.4\.1\.3808\.9\.0$"
run "$P" -t 1 -C wrong "$cp" off 1
expect "wrong write community: the SET gets no reply, exit 3" 3
expect_err "the message names the write community" "no reply to the SET although the agent answers reads; a wrong write community \(-C or PDU_WRITE_COMMUNITY"
check "the write community never appears in messages" bash -c '! grep -q wrong <<<"${1//wrong write community/}"' _ "$ERR"
run bash -c 'printf "private\n" | "$1" --community-file - "$2" off 6' _ "$P" "$cp"
expect "--community-file - reads stdin once, for reads and writes" 0 "6 off"
run "$P" -t 1 --community-file "$PK_TMP/missing" "$cp" get 1
expect "unreadable community file is a usage error" 2

# ---- profiles and versions ---------------------------------------------------
run "$P" --profile cyberpower-epdu2 "$cp" status
expect "--profile cyberpower-epdu2 on the same agent" 0
expect_out "ePDU2 tables read" '^pdu.firmware: 2.0.1$'
expect_out "ePDU2 bank load indexed by bank" '^bank.2.current: 2.9$'
run "$P" -P cyberpower-epdu2 "$cp" reboot 1
expect "reboot through the ePDU2 control column" 0 "1 on"
run "$P" -P apc-rpdu2 -t 2 "$cp" get 1
expect "a profile whose tables are missing: exit 5" 5
expect_err "message suggests --profile" "outlet table is missing"
run "$P" -v "$apc" get 1
expect "APC default version" 0 "1 on"
expect_err "APC switches to v2c after detection" "> GET v2c"
run "$P" -v "$cp" get 1
expect_err "CyberPower stays on v1" "> GET v1 community=\*\*\* id="
check "the trace masks the community" bash -c '! grep -q public <<<"$1"' _ "$ERR"
expect_err "one varbind is not 'varbinds'" "> GET v1 community=\*\*\* id=[0-9]+ \(1 varbind\)$"
run "$P" -v -C private "$cp" on 1
expect "on 1 with -v" 0 "1 on"
expect_err "the trace says the SET goes out with the write community" "\* SET with the write community \(-C; reads use -c\)"
check "the trace masks the write community" bash -c '! grep -q private <<<"$1"' _ "$ERR"
AGENT_V1_ONLY=1 pdu_agent apc APC1 || not_ok "v1-only APC agent starts"
run "$P" -v -t 2 "127.0.0.1:$APC1" get 1
expect "APC answering v1 only: v2c gets no answer, v1 is used" 0 "1 on"
expect_err "the fallback is traced" "no answer over v2c; using v1"
run "$P" -t 2 -S 2c "127.0.0.1:$APC1" get 1
expect "with -S 2c there is no fallback" 3
run "$P" -t 2 "127.0.0.1:$APC1" oid get .1.3.6.1.2.1.1.2.0
expect "oid get falls back to v1 as well" 0 ".1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.318.1.3.4.6"
for v in 1 2c; do
	run "$P" -S "$v" "$apc" status
	expect "APC status over v$v" 0
	run "$P" -S "$v" "$cp" get 1-5
	expect "CyberPower get over v$v" 0
done

# ---- raw OIDs, compared with net-snmp --------------------------------------
for v in 1 2c; do
	for agent in "$cp:.1.3.6.1.4.1.3808" "$apc:.1.3.6.1.4.1.318"; do
		host=${agent%:*} root=${agent##*:}
		run "$P" -S "$v" "$host" oid walk "$root"
		mine=$OUT
		want=$(snmpwalk -v"$v" -c public -On "$host" "$root" 2>&1)
		check "oid walk $root v$v equals snmpwalk -On ($(wc -l <<<"$mine") lines)" test "$mine" = "$want"
	done
done
run "$P" "$cp" oid walk .1.3.6.1.2.1.1
check "oid walk of the system group equals snmpwalk -On (strings, OIDs, TimeTicks)" \
	test "$(grep -v sysUpTime <<<"$OUT" | grep -v '^.1.3.6.1.2.1.1.3.0')" = \
	"$(snmpwalk -v2c -c public -On "$cp" .1.3.6.1.2.1.1 | grep -v '^.1.3.6.1.2.1.1.3.0')"
run "$P" "$cp" oid walk .1.3.6.1.2.1.1.5.0
expect "oid walk of a leaf prints it, like snmpwalk" 0 "$(snmpwalk -v2c -c public -On "$cp" .1.3.6.1.2.1.1.5.0)"
run "$P" "$cp" oid walk .1.3.6.1.4.1.3808.7
expect "oid walk of an empty subtree: exit 0 and snmpwalk's line, as snmpwalk" 0 \
	"$(snmpwalk -v2c -c public -On "$cp" .1.3.6.1.4.1.3808.7)"
check "oid walk of an empty subtree: nothing on stderr" test -z "$ERR"
oids=".1.3.6.1.2.1.1.2.0 .1.3.6.1.4.1.318.1.1.26.9.2.1.1.6.2 .1.3.6.1.4.1.318.1.1.26.9.4.3.1.7.3"
run "$P" "$apc" oid get $oids
expect "oid get equals snmpget -On (negative INTEGER, Gauge32)" 0 "$(snmpget -v2c -c public -On "$apc" $oids)"
run "$P" "$apc" oid get .1.3.6.1.2.1.1.2.0 .1.3.6.1.4.1.318.9
expect "oid get of a missing object: exit 5" 5
expect_out "missing object printed like snmpget" '^.1.3.6.1.4.1.318.9 = No Such Instance currently exists at this OID$'
run "$P" -S 1 "$cp" oid get .1.3.6.1.4.1.3808.9
expect "v1 noSuchName: exit 5" 5
run "$P" -S 1 "$cp" oid get .1.3.6.1.2.1.1.5.0 .1.3.6.1.4.1.3808.9
expect "v1 noSuchName: exit 5, stdout as snmpget's (the found objects only)" 5 \
	"$(snmpget -v1 -c public -On "$cp" .1.3.6.1.2.1.1.5.0 .1.3.6.1.4.1.3808.9 2>/dev/null)"
expect_err "v1 noSuchName: the error says what was not found" "1 of 2 objects not found"
run "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i 2
expect "oid set prints like snmpset" 0 ".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 = INTEGER: 2"
run "$P" "$cp" get 8
expect "the raw SET switched outlet 8 off" 1 "8 off"
run "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i 1
run "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i 99
expect "oid set of a bad value: exit 1" 1
expect_err "error-status by name and varbind" "wrongValue \(10\) at .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8"
run "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i -1
expect "a value starting with '-' without '--' is an unknown option" 2 ""
expect_err "named as such" "^pductl: unknown option '-1' "
run "$P" "$cp" oid set -- .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i -1
expect "after '--' it is the value: sent, refused by the agent" 1 ""
expect_err "the agent's answer" "wrongValue \(10\) at .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8"
run "$P" -n "$cp" oid set -- .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i -1
expect "-n with '--': the negative value printed, nothing sent" 0 \
	".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 = INTEGER: -1"
run "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i one
expect "unparsable value: usage error" 2
run "$P" "$cp" oid get 1.3.x
expect "bad OID: usage error" 2
run "$P" "$cp" oid walk
expect "oid walk without OID: usage error" 2

# ---- every outlet needs --yes ---------------------------------------------------
# The simulator's backend logs every command snmpd hands it, as a Python
# repr: a SET is the line 'set\n'.
sets() { grep -cF "'set\n'" "$PK_TMP/agent-$1/backend.log"; }
cp_sets=$(sets "cyberpower-$CP")
run "$P" -v "$cp" off all
expect "off all without --yes: exit 2, nothing on stdout" 2 ""
check "the message asks for --yes" test "$ERR" = \
	"pductl: $cp: off all switches off every outlet: add --yes (or -n to see what would be sent)"
check "off all without --yes: the PDU saw no SET" test "$(sets "cyberpower-$CP")" = "$cp_sets"
run "$P" "$cp" reboot 1-8
expect "reboot 1-8 of 8 outlets is every outlet: exit 2" 2 ""
expect_err "the message names the action as typed" "reboot 1-8 cycles every outlet: add --yes"
run "$P" "$cp" off 1-7,lab
expect "numbers and a name that select every outlet: exit 2" 2 ""
check "no SET for any spelling of every outlet" test "$(sets "cyberpower-$CP")" = "$cp_sets"
run "$P" -n "$cp" off all
expect "-n off all needs no --yes and shows the SETs" 0 "$(for i in 1 2 3 4 5 6 7 8; do
	echo ".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.$i = INTEGER: 2"; done)"
check "-n off all sent no SET" test "$(sets "cyberpower-$CP")" = "$cp_sets"
run "$P" -j "$cp" off all
expect_json "-j: the refusal is the error document" 'd["error"]["status"] == 2 and "add --yes" in d["error"]["message"]'
run "$P" "$cp" on all
expect "on all needs no --yes (it cuts no power)" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8)"
run "$P" --yes "$cp" off all
expect "off all --yes switches every outlet off, confirmed" 0 "$(printf '%s off\n' 1 2 3 4 5 6 7 8)"
check "on all, then off all --yes: one SET per outlet each" test "$(sets "cyberpower-$CP")" = "$((cp_sets + 16))"
run "$P" "$cp" on all
expect "and on all brings them back" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8)"
run "$P" --yes "$apc" reboot all
expect "reboot all --yes on the APC, confirmed" 0 "$(printf '%s on\n' 1 2 3 4 5 6 7 8)"
run "$P" "$cp" off 1-7
expect "seven of eight outlets is not every outlet: no --yes needed" 0 "$(printf '%s off\n' 1 2 3 4 5 6 7)"
run "$P" "$cp" on 1-5,7
expect "on again" 0 "$(printf '%s on\n' 1 2 3 4 5 7)"

# ---- usage -------------------------------------------------------------------
run "$P"
expect "no arguments: exit 2" 2
run "$P" "$cp" toggle 1
expect "unknown action: exit 2" 2
run "$P" -S 3 "$cp" status
expect "--snmp-version 3: exit 2" 2
run "$P" --profile bogus "$cp" status
expect_err "--profile lists the profiles" "expected cyberpower-epdu, cyberpower-epdu2, apc-rpdu2, apc-rpdu, apc-spdu(, [a-z0-9-]+)* or [a-z0-9-]+$"
run "$P" -r 11 "$cp" status
expect "--retries above 10: exit 2" 2
run "$P" --format prom "$cp" get 1
expect "--format prom is for status only" 2
run "$P" "[::1" status
expect "bad target: exit 2" 2
run "$P" --help
expect "--help exits 0" 0
expect_out "--help shows the synopsis" 'pductl \[OPTIONS\] HOST\[:PORT\] on\|off\|reboot OUTLETS'
run "$P" -V
expect_out "-V prints the version" '^pductl \(powerkit\) '
run "$P" -t 1 127.0.0.1:$(pk_free_port udp) status
expect "nobody listening: exit 3" 3
expect_fast "port unreachable ends fast" 1500
run "$P" -j -t 1 -c wrong "$cp" status
expect_json "-j error document" 'd["error"]["status"] == 3 and d["error"]["kind"] == "timeout"'
