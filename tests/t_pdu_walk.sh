#!/bin/bash
# pductl oid walk against net-snmp's snmpwalk on the same agent: the
# suite's snmpd for the end of the view and empty subtrees, a small fake
# agent (tests/snmp/walkfake.py) for an OID out of order, an agent that
# stops answering, a slow one, and GETBULK replies cut or refused.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
R=.1.3.6.1.4.1.99999.1
END_LINE="= No more variables left in this MIB View (It is past the end of the MIB tree)"

pdu_agent cyberpower port
cp=127.0.0.1:$port

# same_as_snmpwalk DESC RC HOST ROOT [SNMPWALK_OPTS [PDUCTL_OPTS]]: pductl's
# stdout equals snmpwalk's on the same agent and it exits RC.
same_as_snmpwalk() {
	local desc=$1 rc=$2 host=$3 root=$4 sw_opts=${5:-} pk_opts=${6:-}
	# shellcheck disable=SC2086
	WANT=$(snmpwalk -c public -On $sw_opts "$host" "$root" 2>/dev/null)
	# shellcheck disable=SC2086
	run "$P" $pk_opts "$host" oid walk "$root"
	expect "$desc" "$rc" "$WANT"
}

# ---- the end of the agent's view, empty subtrees (snmpd) --------------------
for v in 1 2c; do
	same_as_snmpwalk "v$v: a walk to the end of the view equals snmpwalk" 0 "$cp" \
		.1.3.6.1.6.3.16 "-v$v" "-S $v"
	check "v$v: stderr stays empty" test -z "$ERR"
	same_as_snmpwalk "v$v: a walk past everything equals snmpwalk" 0 "$cp" .1.3.6.1.9 "-v$v" "-S $v"
	same_as_snmpwalk "v$v: an empty subtree equals snmpwalk, exit 0" 0 "$cp" \
		.1.3.6.1.4.1.3808.7 "-v$v" "-S $v"
	check "v$v: empty subtree: stderr stays empty" test -z "$ERR"
done
run "$P" -S 2c "$cp" oid walk .1.3.6.1.6.3.16
check "v2c: the last line is the end-of-view line" \
	test "$(tail -1 <<<"$OUT" | sed 's/^[.0-9]* //')" = "$END_LINE"
check "v2c: the end-of-view line repeats the last OID" \
	test "$(tail -2 <<<"$OUT" | sed 's/ =.*//' | uniq | wc -l)" = 1
run "$P" -S 1 "$cp" oid walk .1.3.6.1.9
expect "v1: past everything, End of MIB as snmpwalk prints it" 0 "End of MIB"
run "$P" -S 2c "$cp" oid walk .1.3.6.1.4.1.3808.7
expect "v2c: empty subtree: the GET's exception line" 0 \
	".1.3.6.1.4.1.3808.7 = No Such Instance currently exists at this OID"

# ---- the whole tree: a one-arc root ------------------------------------------
# BER has no one-arc OID; ".1" goes out as 1.0, the first OID under it.  The
# agent's counters move between two walks, so the OIDs are compared.
WANT=$(snmpwalk -v2c -c public -On "$cp" .1 2>/dev/null)
run "$P" -S 2c "$cp" oid walk .1
check "walk .1: the whole tree, exit 0" test "$RC" = 0
check "walk .1: the first 40 OIDs are snmpwalk's" \
	test "$(head -40 <<<"$OUT" | sed 's/ =.*//')" = "$(head -40 <<<"$WANT" | sed 's/ =.*//')"
check "walk .1: it ends at the end of the view, as snmpwalk" \
	test "$(tail -2 <<<"$OUT")" = "$(tail -2 <<<"$WANT")"
check "walk .1: stderr stays empty" test -z "$ERR"
run "$P" -S 2c "$cp" oid walk 1
check "walk 1 (no dot) starts where .1 does" \
	test "$(head -1 <<<"$OUT" | sed 's/ =.*//')" = "$(head -1 <<<"$WANT" | sed 's/ =.*//')"
same_as_snmpwalk "walk .0: nothing under it, the GET's exception as snmpwalk" 0 "$cp" .0 -v2c "-S 2c"
run "$P" -S 2c "$cp" oid get .1
expect "get .1 asks for 1.0, the object BER sends" 5 ".1.0 = No Such Object available on this agent at this OID"
run "$P" -S 2c "$cp" oid walk .3
expect "walk .3: not an OID" 2 ""
expect_err "walk .3: says so" "'.3' is not a numeric OID"

# ---- an OID out of order ------------------------------------------------------
udp_fake walkfake.py disorder port
for v in 1 2c; do
	same_as_snmpwalk "v$v: out of order: what came before and the bad OID, then exit 3" 3 \
		"127.0.0.1:$port" "$R" "-v$v" "-t 1 -S $v"
	check "v$v: out of order: four lines printed" test "$(wc -l <<<"$OUT")" = 4
	expect_err "v$v: out of order: the error names both OIDs" \
		"non-increasing OID \($R\.2\.5 after $R\.3\)"
	same_as_snmpwalk "v$v: --no-check-increasing equals snmpwalk -Cc" 0 "127.0.0.1:$port" \
		"$R" "-v$v -Cc" "-t 1 -S $v --no-check-increasing"
	check "v$v: --no-check-increasing: five lines" test "$(wc -l <<<"$OUT")" = 5
done
hostile_peer ok port
run "$P" -t 1 -S 2c --no-check-increasing "127.0.0.1:$port" oid walk .1.3.6.1.2.1.1
expect "--no-check-increasing: an agent answering the same OID again still ends, exit 3" 3 \
	".1.3.6.1.2.1.1 = INTEGER: 7"
expect_err "--no-check-increasing: says why" "the same OID again would never end the walk"
expect_fast "--no-check-increasing: no loop" 2000

# ---- an agent that stops answering mid-walk ----------------------------------
udp_fake walkfake.py stall port
for v in 1 2c; do
	same_as_snmpwalk "v$v: cut by a timeout: everything before the cut, then exit 3" 3 \
		"127.0.0.1:$port" "$R" "-v$v -t 1 -r 0" "-t 2 -S $v"
	check "v$v: cut by a timeout: eight lines" test "$(wc -l <<<"$OUT")" = 8
	expect_err "v$v: cut by a timeout: says the agent answered before" \
		"no SNMP reply in the time left \(the agent answered"
	expect_fast "v$v: -t 2 bounds the whole walk" 3000
done
run "$P" -S 2c "127.0.0.1:$port" oid walk "$R"
expect "without -t: cut after 5 s of silence, exit 3" 3 "$WANT"
check "without -t: the silence lasted the default 5 s" test "$MS" -ge 4900 -a "$MS" -le 7000

# ---- a slow agent: the default deadline bounds silence, not the walk -----------
udp_fake walkfake.py slow port
"$P" -S 1 "127.0.0.1:$port" oid walk "$R" >"$PK_TMP/slow.out" 2>"$PK_TMP/slow.err" &
slow_pid=$!
pk_cleanup "pk_kill $slow_pid"
sleep 2
check "streaming: lines are out while the walk goes on" \
	test "$(wc -l <"$PK_TMP/slow.out")" -ge 3 -a "$(wc -l <"$PK_TMP/slow.out")" -lt 20
t0=$(date +%s%N)
wait "$slow_pid"
RC=$?
MS=$((($(date +%s%N) - t0) / 1000000 + 2000))
OUT=$(cat "$PK_TMP/slow.out") ERR=$(cat "$PK_TMP/slow.err")
expect "a 6 s walk of a slow agent ends without -t, exit 0" 0 \
	"$(for i in $(seq 20); do echo "$R.$i = INTEGER: $i"; done; echo "End of MIB")"
check "a 6 s walk: stderr stays empty" test -z "$ERR"
check "a 6 s walk: it did take longer than the default 5 s" test "$MS" -ge 5500
run "$P" -t 3 -S 1 "127.0.0.1:$port" oid walk "$R"
expect "an explicit -t 3 bounds the whole walk: exit 3" 3
check "-t 3: what came before the cut is printed" \
	test "$(wc -l <<<"$OUT")" -ge 5 -a "$(wc -l <<<"$OUT")" -lt 20 -a \
	"$(head -1 <<<"$OUT")" = "$R.1 = INTEGER: 1"
expect_fast "-t 3: ends in time" 4000

# ---- GETBULK max-repetitions adapts ---------------------------------------------
# reps_after LOG: the max-repetitions of every GETBULK after the first.
reps_after() { sed -n '2,$s/^reps //p' "$1" | sort -n | uniq; }
log="$PK_TMP/reps.toobig"
udp_fake walkfake.py toobig port "$log"
same_as_snmpwalk "tooBig: the walk goes on with fewer repetitions" 0 "127.0.0.1:$port" "$R" \
	-v2c "-t 2 -S 2c"
check "tooBig: 10 repetitions first" test "$(head -1 "$log")" = "reps 10"
check "tooBig: never more than 5 again" test "$(reps_after "$log" | tail -1)" -le 5
log="$PK_TMP/reps.shorten"
udp_fake walkfake.py shorten port "$log"
same_as_snmpwalk "an agent that shortens its replies: the walk is whole" 0 "127.0.0.1:$port" \
	"$R" -v2c "-t 2 -S 2c"
check "shortened replies: then never more than the agent sent" \
	test "$(reps_after "$log" | tail -1)" -le 3
log="$PK_TMP/reps.many"
udp_fake walkfake.py many port "$log"
same_as_snmpwalk "300 objects: the walk equals snmpwalk" 0 "127.0.0.1:$port" "$R" -v2c \
	"-t 2 -S 2c"
check "small replies: more repetitions than snmpbulkwalk's 10" \
	test "$(reps_after "$log" | tail -1)" -gt 10
check "small replies: never more than snmpd's cap of 100" \
	test "$(reps_after "$log" | tail -1)" -le 100

# ---- bad input ----------------------------------------------------------------
run "$P" "$cp" oid walk 1.3.x
expect "a walk root that is no OID: usage, exit 2" 2 ""
expect_err "says which word" "'1.3.x' is not a numeric OID"
