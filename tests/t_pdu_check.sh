#!/bin/bash
# pductl --check: the monitoring-plugins mode against the simulated PDUs:
# expected outlet states, bank current thresholds, the device's own bank
# load state (in the unit test: the simulator's banks stay normal),
# unreachable PDUs, several PDUs in one line, and bad input.
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

# ---- one PDU -------------------------------------------------------------
run "$P" --check "$cp"
expect "healthy PDU: OK, bank currents as perfdata in A" 0 \
	"PDU OK - 8 outlets, 7 on, 5.1A | 'bank.1.current'=2.2A;;;0 'bank.2.current'=2.9A;;;0"
check "healthy PDU: nothing on stderr" test -z "$ERR"

run "$P" --check "$cp" status
expect "the status word is allowed" 0 \
	"PDU OK - 8 outlets, 7 on, 5.1A | 'bank.1.current'=2.2A;;;0 'bank.2.current'=2.9A;;;0"

run "$P" --check "$apc"
expect "metered PDU: OK" 0
expect_out "metered PDU: outlet current and power with units" \
	"'outlet\\.1\\.current'=0\\.4A;;;0 'outlet\\.1\\.power'=92W;;;0"

run "$P" --check --expect-on 1-5,8 --expect-off 6,7 "$cp"
expect "--expect-off with outlet 7 on: CRITICAL" 2 \
	"PDU CRITICAL - outlet 7 (spare) is on, expected off | 'bank.1.current'=2.2A;;;0 'bank.2.current'=2.9A;;;0"
check "CRITICAL: nothing on stderr" test -z "$ERR"

run "$P" --check --expect-off spare "$cp"
expect "--expect-off by an ambiguous name: UNKNOWN" 3
expect_out "the name is said ambiguous" "^PDU UNKNOWN - --expect-off: outlet 'spare': name is ambiguous"

run "$P" --check --expect-on nas,web,lab "$cp"
expect "--expect-on by names, all on: OK" 0

run "$P" --check --expect-on 1-5,7,8 --expect-off 6 "$cp"
expect "outlets as expected: OK" 0

run "$P" --check --expect-on all "$apc"
expect "--expect-on all with outlet 6 off: CRITICAL" 2
expect_out "the outlet is named" "^PDU CRITICAL - outlet 6 \\(spare\\) is off, expected on \\|"

run "$P" --check --expect-on 9 "$cp"
expect "--expect-on an outlet the PDU lacks: UNKNOWN" 3
expect_out "the valid range is given" "^PDU UNKNOWN - --expect-on: .*valid: 1-8"

# ---- thresholds, and a load that changes -----------------------------------
run "$P" --check --warning bank.current=3.5 --critical bank.current=4.5 "$cp"
expect "bank currents under the thresholds: OK" 0 \
	"PDU OK - 8 outlets, 7 on, 5.1A | 'bank.1.current'=2.2A;3.5;4.5;0 'bank.2.current'=2.9A;3.5;4.5;0"

run "$P" --yes "$cp" on 6
expect "outlet 6 switched on (0.9 A more on bank 2)" 0

run "$P" --check --warning bank.current=3.5 --critical bank.current=4.5 "$cp"
expect "bank 2 over its warning: WARNING" 1 \
	"PDU WARNING - bank 2 current 3.8A (warning 3.5) | 'bank.1.current'=2.2A;3.5;4.5;0 'bank.2.current'=3.8A;3.5;4.5;0"

run "$P" --check --warning bank.current=3 --critical bank.current=3.5 "$cp"
expect "bank 2 over its critical: CRITICAL" 2
expect_out "the critical range is named" "^PDU CRITICAL - bank 2 current 3\\.8A \\(critical 3\\.5\\) \\|"

run "$P" --check --critical 'bank.current=@3:4' "$cp"
expect "an @ range alerts inside it" 2
expect_out "only bank 2 is inside" "^PDU CRITICAL - bank 2 current 3\\.8A \\(critical @3:4\\) \\|"

run "$P" --yes "$cp" off 6
expect "outlet 6 switched off again" 0

run "$P" --check --warning bank.current=3.5 "$cp"
expect "load back down: OK" 0

run "$P" --check --warning phase.current=16 "$cp"
expect "phase.current is not reported: UNKNOWN" 3
expect_out "saying so" "^PDU UNKNOWN - phase\\.current: not reported by this PDU"

run "$P" --check --warning outlet.power=500 "$cp"
expect "outlet.power on a PDU that does not meter outlets: UNKNOWN" 3
expect_out "saying so" "^PDU UNKNOWN - outlet\\.power: not reported by this PDU"

run "$P" --check --warning outlet.power=200 "$apc"
expect "outlet.power over its warning on a metered PDU: WARNING" 1
expect_out "both outlets are named" \
	"^PDU WARNING - outlet 7 power 230W \\(warning 200\\), outlet 8 power 253W \\(warning 200\\) \\|"

# ---- unreachable -----------------------------------------------------------
run "$P" --check -t 1 "$dead"
expect "dead PDU: UNKNOWN" 3
expect_out "the reason" "^PDU UNKNOWN - .*port unreachable"
check "dead PDU: nothing on stderr" test -z "$ERR"

run "$P" --check --unreachable=critical -t 1 "$hole"
expect "black-holed PDU with --unreachable=critical: CRITICAL" 2
expect_out "the reason" "^PDU CRITICAL - .*no SNMP reply"

run "$P" --check -c wrong -t 1 "$cp"
expect "wrong community (no answer from v1 agents): UNKNOWN" 3

# ---- several PDUs ----------------------------------------------------------
run "$P" --check -t 1 "$cp" "$apc" "$dead" "$hole"
expect "fleet with one dead and one black-holed: UNKNOWN" 3
expect_out "one line summarises the fleet" \
	"^PDU UNKNOWN - 2 OK, 2 UNKNOWN \\($dead: .*port unreachable.*; $hole: .*\\) \\|"
expect_out "perfdata labels carry the PDU" "'$cp/bank\\.1\\.current'=2\\.2A;;;0 .*'$apc/outlet\\.8\\.power'=253W"
expect_fast "the fleet ends within -t + 1 s" 2000

run "$P" --check --expect-on 6 "$cp" "$apc"
expect "fleet, outlet 6 off on both: CRITICAL" 2
expect_out "both PDUs named" "^PDU CRITICAL - 2 CRITICAL \\($cp: outlet 6 \\(spare\\) is off, expected on; $apc: outlet 6"

printf '%s\n' "# the rack" "$cp profile=cyberpower-epdu" "$apc" >"$PK_TMP/pdus"
run "$P" --check --targets "$PK_TMP/pdus"
expect "--targets: every PDU OK" 0
expect_out "summary of two" "^PDU OK - 2 OK \\|"

run "$P" --check -v --warning bank.current=2.5 "$cp" "$apc"
expect "-v: WARNING" 1
check "-v: long output, one line per PDU and per problem, no trace" \
	test "$(printf '%s\n' "$OUT" | sed 1d)" = "$cp: WARNING - bank 2 current 2.9A (warning 2.5)
$cp: WARNING: bank 2 current 2.9A (warning 2.5)
$apc: WARNING - bank 2 current 2.9A (warning 2.5)
$apc: WARNING: bank 2 current 2.9A (warning 2.5)"
check "-v with --check: nothing on stderr" test -z "$ERR"

run "$P" --check -j --expect-off 1 "$cp"
expect "-j: CRITICAL" 2
expect_json "-j: one JSON report" \
	'd["service"] == "PDU" and d["code"] == 2 and d["targets"][0]["perfdata"][0]["uom"] == "A"'

# ---- bad input -------------------------------------------------------------
run "$P" --check --warning amps=3 "$cp"
expect "unknown variable: UNKNOWN, the plugin way" 3
expect_out "the variable and the known ones" \
	"^PDU UNKNOWN - pductl: no variable 'amps' to check \\(known: bank\\.current, phase\\.current, outlet\\.current, outlet\\.power\\)\$"
check "unknown variable: nothing on stderr" test -z "$ERR"

run "$P" --check --warning bank.current=abc "$cp"
expect "bad range: UNKNOWN" 3
expect_out "says the range is bad" "^PDU UNKNOWN - pductl: --warning.*range"

run "$P" --check --unreachable=loud "$cp"
expect "bad --unreachable: UNKNOWN" 3

run "$P" --check "$cp" on 1
expect "--check with a switching action: UNKNOWN, nothing switched" 3 \
	"PDU UNKNOWN - pductl: --check reads status: expected HOST[:PORT]... [status]"

run "$P" --check --format prom "$cp"
expect "--check with --format prom: UNKNOWN" 3

run "$P" --check
expect "--check without a PDU: UNKNOWN" 3

run "$P" --warning bank.current=3 "$cp" status
expect "--warning without --check: usage error, nothing on stdout" 2 ""
expect_err "the message names --check" "^pductl: --warning, --critical and --unreachable go with --check\$"

run "$P" --expect-on 1 "$cp" status
expect "--expect-on without --check: usage error, nothing on stdout" 2 ""
expect_err "the message names --check" "^pductl: --expect-on and --expect-off go with --check\$"

run "$P" "$cp" status
expect "status without --check is unchanged" 0
expect_out "status text" "^bank\\.1\\.current: 2\\.2\$"
