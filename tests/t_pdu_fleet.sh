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
