#!/bin/bash
# pductl across a fleet: the one Prometheus label scheme (server="host:port"
# on every series, the PDU's own name on pductl_info), pductl_up 0 for a PDU
# that cannot be read, several PDUs in one run (one dead, one black-holed),
# --targets files, and --check.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
pdu_agent apc APC || { not_ok "APC agent starts"; exit 1; }
hostile_peer silent HOLE        # a black hole: takes datagrams, never answers
DEAD=$(pk_free_port udp)        # nothing listens: ICMP port unreachable
cp=127.0.0.1:$CP
apc=127.0.0.1:$APC
hole=127.0.0.1:$HOLE
dead=127.0.0.1:$DEAD

# ---- the label scheme ----------------------------------------------------
run "$P" --format prom "$cp" status
expect "prom status of one PDU" 0
expect_prom "prom status of one PDU: promtool check metrics is silent"
expect_out "prom: pductl_up carries server=host:port" "^pductl_up\\{server=\"$cp\"\\} 1\$"
expect_out "prom: the PDU's own name is the pdu label of pductl_info" \
	"^pductl_info\\{server=\"$cp\",pdu=\"rack-a-pdu\",profile=\"cyberpower-epdu\",model=\"PDU41008\",firmware=\"1.3.4\",serial=\"NJ12A3004567\"\\} 1\$"
check "prom: every sample carries server=\"$cp\"" \
	bash -c 'printf "%s\n" "$1" | grep -v "^#" | grep -vq "{server=\"$2\"" && exit 1 || exit 0' _ "$OUT" "$cp"
check "prom: no pdu label outside pductl_info" \
	bash -c 'printf "%s\n" "$1" | grep -v "^#" | grep -v "^pductl_info" | grep -q "pdu=" && exit 1 || exit 0' _ "$OUT"

# ---- pductl_up 0 ---------------------------------------------------------
run "$P" --format prom -t 1 "$hole" status
expect "prom, black-holed PDU: exit 3 as without prom" 3 "# HELP pductl_up 1 when the PDU answered
# TYPE pductl_up gauge
pductl_up{server=\"$hole\"} 0"
expect_prom "prom, black-holed PDU: promtool check metrics is silent"
expect_err "prom, black-holed PDU: the timeout on stderr" "^pductl: $hole: .*no SNMP reply"

run "$P" --format prom "$dead" status
expect "prom, dead PDU: pductl_up 0 and exit 3" 3 "# HELP pductl_up 1 when the PDU answered
# TYPE pductl_up gauge
pductl_up{server=\"$dead\"} 0"
expect_prom "prom, dead PDU: promtool check metrics is silent"
expect_err "prom, dead PDU: the reason on stderr" "^pductl: $dead: .*port unreachable"

run "$P" --format prom -c wrong -t 1 "$cp" status
expect "prom, wrong community: pductl_up 0 and exit 3" 3 "# HELP pductl_up 1 when the PDU answered
# TYPE pductl_up gauge
pductl_up{server=\"$cp\"} 0"

run "$P" --format prom "$cp" get 1
expect "prom, usage error: nothing on stdout, exit 2" 2 ""

# ---- several PDUs ----------------------------------------------------------
run "$P" "$cp" status
one_cp=$OUT
run "$P" "$apc" status
one_apc=$OUT
run "$P" "$cp" "$apc" status
expect "two PDUs: each line prefixed host:port, in the order given" 0 \
	"$(sed "s|^|$cp: |" <<<"$one_cp")
$(sed "s|^|$apc: |" <<<"$one_apc")"
check "two PDUs: nothing on stderr" test -z "$ERR"

run "$P" -j "$cp" "$apc" get 1,6
expect "two PDUs, get -j: exit 1 (outlet 6 is off on both)" 1
expect_json "two PDUs, get -j: an array of the per-PDU documents" \
	"len(d) == 2 and d[0]['target'] == '$cp' and d[1]['target'] == '$apc' and [o['state'] for o in d[0]['outlets']] == ['on', 'off']"

run "$P" -t 1 "$cp" "$hole" "$dead" "$apc" status
expect "live, black-holed, dead, live: exit 3 (the worst)" 3
expect_fast "a black-holed PDU costs its own timeout only (-t 1 + 1 s)" 2000
expect_out "the first live PDU is still reported" "^$cp: pdu.model: PDU41008\$"
expect_out "the second live PDU is still reported" "^$apc: pdu.profile: apc-rpdu2\$"
check "nothing on stdout for the failed PDUs" \
	bash -c '! grep -q -e "^$2: " -e "^$3: " <<<"$1"' _ "$OUT" "$hole" "$dead"
expect_err "the black-holed PDU's timeout on stderr" "^pductl: $hole: .*no SNMP reply"
expect_err "the dead PDU's reason on stderr" "^pductl: $dead: .*port unreachable"

run "$P" -j -t 1 "$cp" "$dead" status
expect "JSON with a dead PDU: exit 3" 3
expect_json "JSON with a dead PDU: its own error object in the array" \
	"len(d) == 2 and d[0]['profile'] == 'cyberpower-epdu' and d[1]['target'] == '$dead' and 'error' in d[1]"

run "$P" --format prom -t 1 "$cp" "$apc" "$hole" status
expect "prom of three PDUs, one black-holed: exit 3" 3
expect_prom "prom of three PDUs: promtool check metrics is silent"
expect_out "prom: the black-holed PDU is down" "^pductl_up\\{server=\"$hole\"\\} 0\$"
expect_out "prom: the live ones are up" "^pductl_up\\{server=\"$apc\"\\} 1\$"
check "prom: one HELP per family" bash -c '[ "$(grep -c "^# HELP pductl_outlet_on " <<<"$1")" = 1 ]' _ "$OUT"
check "prom: nothing but pductl_up for the black-holed PDU" \
	bash -c '[ "$(grep -c "server=\"$2\"" <<<"$1")" = 1 ]' _ "$OUT" "$hole"
expect_out "prom: samples of both live PDUs in one family" "pductl_outlet_on\\{server=\"$apc\",outlet=\"1\""

run "$P" "$cp" "$apc" off 3
expect "switching several PDUs is refused, nothing sent" 2 ""
expect_err "the refusal says why" "^pductl: off takes one PDU; several are for status and get\$"
run "$P" "$cp" get 1
expect "outlet 1 still on after the refused switch" 0 "1 on"

# ---- --targets ---------------------------------------------------------------
printf '# two PDUs\n%s community=public\n%s   # the second\n' "$cp" "$apc" >"$PK_TMP/pdus"
chmod 600 "$PK_TMP/pdus"
run "$P" -c wrong -t 1 --targets "$PK_TMP/pdus" status
expect "--targets: a per-PDU community over -c; the other uses -c (wrong): exit 3" 3
expect_out "--targets: the PDU with its own community answered" "^$cp: pdu.name: rack-a-pdu\$"
expect_err "--targets: the other timed out" "^pductl: $apc: .*no SNMP reply"
chmod 644 "$PK_TMP/pdus"
run "$P" --targets "$PK_TMP/pdus" status
expect "--targets: a community in a file readable by others is refused" 2 ""
expect_err "--targets: the refusal names the file" "pdus"
printf '%s colour=blue\n' "$cp" >"$PK_TMP/bad"
run "$P" --targets "$PK_TMP/bad" status
expect "--targets: an unknown setting is a usage error" 2 ""
expect_err "--targets: it names file:line" "bad:1"
printf '%s\n' "$cp" >"$PK_TMP/one"
run "$P" --targets "$PK_TMP/one" status
expect "--targets with one PDU: exactly the output of one PDU" 0 "$one_cp"

# ---- --output ------------------------------------------------------------------
run "$P" --format prom --output "$PK_TMP/pdu.prom" "$cp" "$apc" status
expect "--output: nothing on stdout" 0 ""
expect_prom "--output: the file passes promtool" "$PK_TMP/pdu.prom"
check "--output: mode 0644" bash -c '[ "$(stat -c %a "$1")" = 644 ]' _ "$PK_TMP/pdu.prom"
run "$P" --format prom --output "$PK_TMP/pdu.prom" -t 1 "$hole" status
expect "--output, failed PDU: exit 3, nothing on stdout" 3 ""
check "--output, failed PDU: the file says pductl_up 0" grep -q "^pductl_up{server=\"$hole\"} 0\$" "$PK_TMP/pdu.prom"
