#!/bin/bash
# t_pdu_watch.sh — pductl --watch against the suite's snmpd simulator: no
# event for the state at the start (one per state with --initial); an
# outlet switched off by another pductl shows up as OUTLET_OFF with its
# name within one interval; --count and -j; the agent stopped and started
# again (COMMBAD then COMMOK, once each); --once --state across runs;
# SIGTERM ends it at once with status 0; bad input.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
cp=127.0.0.1:$CP
agent_dir=$PK_TMP/agent-cyberpower-$CP

# until_event FILE EVENT N SECONDS: waits until FILE holds N lines of EVENT.
until_event() {
	local end=$((SECONDS + $4))
	while (($(awk -v e="$2" '$3 == e' "$1" | wc -l) < $3)); do
		((SECONDS > end)) && return 1
		sleep 0.1
	done
}


# --- --initial, --count, -j -------------------------------------------------
run "$P" --watch=1 --initial --count 4 "$cp" 3
expect "--initial --count 4 on outlet 3 ends by itself" 0
check "--initial: comm, the outlet followed, then the banks" \
	test "$(printf '%s\n' "$OUT" | sed -E 's/^[^ ]+ [^ ]+ //')" = "COMMOK
OUTLET_ON outlet=3 name=db
BANK_LOAD_NORMAL bank=1 current=2.2A
BANK_LOAD_NORMAL bank=2 current=2.9A"
check "a line is TIME TARGET EVENT VALUES" grep -Eq \
	"^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z $cp OUTLET_ON outlet=3 name=db\$" \
	<<<"$OUT"
check "--initial: nothing on stderr" test -z "$ERR"

run "$P" --watch=1 --initial --count 1 "$cp"
expect "--count 1 ends after one event" 0
check "--count 1: one line, COMMOK" test "$(printf '%s\n' "$OUT" | awk '{print $3}')" = COMMOK

run "$P" --watch=1 --initial --count 3 -j "$cp"
expect "-j --count 3 ends by itself" 0
check "-j: every line parses as a JSON object of the event" python3 -c '
import json, sys
lines = sys.argv[1].splitlines()
docs = [json.loads(l) for l in lines]
assert len(docs) == 3, docs
assert [d["event"] for d in docs] == ["COMMOK", "OUTLET_ON", "OUTLET_ON"], docs
assert all(d["target"] == sys.argv[2] and d["previous"] is None for d in docs), docs
assert docs[1]["values"] == {"outlet": 1, "name": "nas"}, docs
' "$OUT" "$cp"

# --- an outlet switched by another client ---------------------------------
pk_bg sw "$P" --watch=1 -t 1 "$cp"
w=$BGPID
sleep 1.5   # the first poll is the initial state: no event
check "no event for the state at the start" test ! -s "$PK_TMP/sw.out"
run "$P" "$cp" off 3 --yes
expect "another pductl switches outlet 3 off" 0
until_event "$PK_TMP/sw.out" OUTLET_OFF 1 3
check "OUTLET_OFF with the outlet's number and name within one interval" grep -Eq \
	"^[0-9TZ:-]+ $cp OUTLET_OFF outlet=3 name=db\$" "$PK_TMP/sw.out"
run "$P" "$cp" on 3 --yes
expect "and on again" 0
until_event "$PK_TMP/sw.out" OUTLET_ON 1 3
check "OUTLET_ON follows, nothing else" test "$(pk_events "$PK_TMP/sw.out")" = "OUTLET_OFF
OUTLET_ON"

# --- the agent stopped and started again --------------------------------
sh "$PK_TESTS/snmp/agent.sh" stop "$agent_dir"
until_event "$PK_TMP/sw.out" COMMBAD 1 4
check "the agent stopped: COMMBAD with the reason" grep -q "COMMBAD .*unreachable" "$PK_TMP/sw.out"
sleep 2     # polls in backoff: COMMBAD is not said again
sh "$PK_TESTS/snmp/agent.sh" start "$agent_dir" cyberpower "$CP" ||
	not_ok "the agent starts again"
until_event "$PK_TMP/sw.out" COMMOK 1 12
check "the agent back: COMMBAD then COMMOK, once each" \
	test "$(pk_events "$PK_TMP/sw.out" | grep COMM)" = "COMMBAD
COMMOK"
kill -TERM $w
pk_wait_end $w 1
check "SIGTERM ends the watch within 1 s" test "$?" = 0
check "SIGTERM: exit status 0" test "$RC" = 0
check "the watch said nothing on stderr" test ! -s "$PK_TMP/sw.err"

# --- --once --state: cron-like runs ---------------------------------------
st=$PK_TMP/pdu.state
run "$P" --once --state "$st" "$cp"
expect "--once, no state file yet: exit 0, the states at the start print nothing" 0 ""
check "--once: the state file is created mode 0600" test "$(stat -c %a "$st")" = 600
run "$P" --once --state "$st" "$cp"
expect "--once again, nothing changed: no line" 0 ""
run "$P" "$cp" off 3 --yes
expect "outlet 3 off between two runs" 0
run "$P" --once --state "$st" "$cp"
expect "--once after a change: exactly that change" 0
check "--once: one OUTLET_OFF line for outlet 3" \
	test "$(printf '%s\n' "$OUT" | awk '{print $3, $4}')" = "OUTLET_OFF outlet=3"
run "$P" "$cp" on 3 --yes

# --- bad input ----------------------------------------------------------
run "$P" --watch "$cp" status
expect "--watch with an action: usage error" 2 ""
expect_err "--watch with an action: said so" "no action \\('status'\\)"
run "$P" --watch=soon "$cp"
expect "--watch=soon: usage error" 2 ""
expect_err "--watch=soon: named" "--watch"
run "$P" --watch --hysteresis 5 "$cp"
expect "--hysteresis with pductl: usage error" 2 ""
expect_err "--hysteresis: why" "no threshold"
run "$P" --initial "$cp" status
expect "--initial without --watch: usage error" 2 ""
expect_err "--initial without --watch: said so" "--initial goes with --watch"
run "$P" --watch --check "$cp"
expect "--watch with --check: UNKNOWN, as every --check usage error" 3
expect_out "--watch with --check: said so" "^PDU UNKNOWN - .*no --check"
run "$P" --watch --yes "$cp" 3
expect "--watch with --yes: usage error" 2 ""
run "$P" --watch
expect "--watch without a PDU: usage error" 2 ""
