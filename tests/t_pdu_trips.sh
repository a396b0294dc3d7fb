#!/bin/bash
# pductl's round trips, counted in its -v trace against real snmpd
# simulating each family: `get 1-8` is detection in one request
# (sysObjectID.0 with the families' outlet counts) and the read; with
# --profile there is no detection and the outlet count rides with the
# read.  The output is the same as without -v, and as before.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

EIGHT=$PDU_SIM_GET8

# requests: how many SNMP requests the last run's trace shows.
requests() {
	printf '%s\n' "$ERR" | grep -cE '^pductl: > (GET|GETNEXT|GETBULK|SET) '
}

# trips DESC WANT: the last run sent WANT requests.
trips() {
	local n
	n=$(requests)
	if [ "$n" = "$2" ]; then ok "$1 ($n requests)"; else not_ok "$1 ($n requests, want $2)"; pk_show; fi
}

# Detection and the read: the first request holds sysObjectID and
# the common outlet counts; Eaton and ServerTech are settled by the
# second (the object telling switched from metered), which carries the
# states of the outlets asked as well.
for dev in cyberpower:cyberpower-epdu:2 apc:apc-rpdu2:2 raritan:raritan-px2:2 sentry4:sentry4:2 \
	eaton:eaton-epdu:2; do
	kind=${dev%%:*} prof=${dev#*:} trips=${dev##*:}
	prof=${prof%:*}
	pdu_agent "$kind" PORT || { not_ok "$kind agent starts"; continue; }
	h=127.0.0.1:$PORT
	run "$P" "$h" get 1-8
	expect "$kind: get 1-8 (outlet 6 off: exit 1)" 1 "$EIGHT"
	plain=$OUT
	run "$P" -v "$h" get 1-8
	expect "$kind: get 1-8 -v prints the same" 1 "$plain"
	trips "$kind: get 1-8: detection and the read" "$trips"
	expect_err "$kind: the first request holds sysObjectID.0 and the outlet counts" \
		'^pductl: > GETNEXT v1 community=\*\*\* id=[0-9]+ \(10 varbinds\)'
	run "$P" -v --profile "$prof" "$h" get 1-8
	expect "$kind: --profile $prof get 1-8" 1 "$EIGHT"
	trips "$kind: --profile: one request, the outlet count with the states" 1
	run "$P" -v --profile "$prof" "$h" get 2,4
	expect "$kind: --profile $prof get 2,4 (all on: exit 0)" 0 "2 on
4 on"
	trips "$kind: --profile get 2,4: one request" 1
done

# Every other family the simulator has, over v1 (the default) and v2c:
# the families whose outlet count the first request leaves out, or that
# need an object telling switched from metered, are settled by the
# second, which carries the states of the vendor's first family that
# may fit.  APC's sPDU shares the vendor and sysObjectID with rPDU, whose
# states are carried, so over v1 it reads them in a third, where over v2c
# the second request is a GETBULK carrying both families' states (below);
# Vertiv Geist's MIB
# has no outlet count, so over v1 its rows are counted: every tenth row,
# then the rows of the last ten (two more), where over v2c the second
# request is a GETBULK down the state column, which tells the family,
# counts the rows and carries the states at once.  A chain is laid out before its
# read: one request for every unit's outlet count (Eaton, Raritan,
# Sentry4, whose states carried at the first unit are then its own), or
# every row's unit and number, ten objects a request over v1 (APC rPDU2
# and CyberPower ePDU2, whose rows may be any unit's).  Over v2c those
# rows come down their two columns by GETBULK (the simulated chains'
# 16 rows in two, the first sized for a frame, the second from the
# first's size).
# KIND:PROFILE:TRIPS:TRIPS_WITH_PROFILE[:OVER_V2C:WITH_PROFILE_OVER_V2C]
for dev in apc-rpdu:apc-rpdu:2:1 apc-spdu:apc-spdu:3:1:2:1 raritan-px1:raritan-px1:2:1 \
	sentry4-metered:sentry4-metered:2:1 sentry3:sentry3:2:1 sentry3-metered:sentry3-metered:2:1 \
	eaton-metered:eaton-epdu-metered:2:1 cyberpower-ats:cyberpower-ats:2:1 \
	tripplite:tripplite:2:1 tripplite-metered:tripplite-metered:2:1 geist:geist:4:3:2:2 \
	eaton-chain:eaton-epdu:3:3 raritan-chain:raritan-px2:3:3 sentry4-chain:sentry4:3:3 \
	apc-chain:apc-rpdu2:6:6:4:4 cyberpower-chain:cyberpower-epdu2:7:7:4:4; do
	IFS=: read -r kind prof trips1 ptrips1 trips2 ptrips2 <<<"$dev"
	want=$EIGHT
	case $kind in *-chain) want=$(sed 's/^/1:/' <<<"$EIGHT") ;; esac   # the first unit's
	pdu_agent "$kind" PORT || { not_ok "$kind agent starts"; continue; }
	h=127.0.0.1:$PORT
	for v in -S1 -S2c; do
		trips=$trips1 ptrips=$ptrips1
		[ "$v" = -S2c ] && trips=${trips2:-$trips1} ptrips=${ptrips2:-$ptrips1}
		run "$P" -v "$v" "$h" get 1-8
		expect "$kind $v: get 1-8" 1 "$want"
		trips "$kind $v: get 1-8: detection and the read" "$trips"
		run "$P" -v "$v" --profile "$prof" "$h" get 1-8
		expect "$kind $v: --profile $prof get 1-8" 1 "$want"
		trips "$kind $v: --profile $prof get 1-8" "$ptrips"
	done
done

# Counting Geist's rows takes two probes whatever the count: the tens,
# then the rows of the last ten; GETNEXT, so v1 answers absent rows
# without failing the request.
pdu_agent geist G || { not_ok "geist agent starts"; exit 1; }
run "$P" -v -S1 --profile geist 127.0.0.1:$G get all
expect "geist: get all with --profile (24 outlets)" 1 "$EIGHT
$(seq 9 24 | sed 's/$/ on/')"
expect_err "geist: the tens probed first (rows 10..90 and 96)" \
	'^pductl: >   \.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.5\.1\.4\.95$'
trips "geist: get all: tens, the last ten, the 24 states ten at a time" 5

# The count at the edges of the tens: whatever the count, the tens, then
# the rows of the last ten (none past the last possible row, 96), then
# the states ten at a time.
for n in 1 9 10 11 89 90 91 95 96; do
	PDU_SIM_GEIST_OUTLETS=$n pdu_agent geist GN || { not_ok "geist agent of $n outlets starts"; continue; }
	run "$P" -v -S1 --profile geist 127.0.0.1:$GN get all
	check "geist of $n outlets: get all lists $n" \
		test "$(printf '%s\n' "$OUT" | grep -cE '^[0-9]+ (on|off)$')" = "$n"
	expect_out "geist of $n outlets: the last is outlet $n" "^$n (on|off)\$"
	want=$((n < 96 ? 2 : 1)) reads=$(((n + 9) / 10))
	trips "geist of $n outlets: $want probes counting, $reads reading" $((want + reads))
	sh "$PK_TESTS/snmp/agent.sh" stop "$PK_TMP/agent-geist-$GN"
done

# Over v2c the rows are counted down the column by GETBULK, which ends
# where the column does: the first request asks 34 rows (what the frame
# budget allows at an estimated size), the next as many as the first
# reply's size allows (44); the states of every outlet come down the
# column the same way (more than one GET's ten).  Requests for get all:
# the count's, then the read's.
for nt in 1:2 11:2 33:2 34:3 35:4 96:6; do
	n=${nt%%:*} t=${nt#*:}
	PDU_SIM_GEIST_OUTLETS=$n pdu_agent geist GN || { not_ok "geist agent of $n outlets starts"; continue; }
	run "$P" -v -S2c --profile geist 127.0.0.1:$GN get all
	check "geist of $n outlets, v2c: get all lists $n" \
		test "$(printf '%s\n' "$OUT" | grep -cE '^[0-9]+ (on|off)$')" = "$n"
	expect_out "geist of $n outlets, v2c: the last is outlet $n" "^$n (on|off)\$"
	gets=$((n > 10 ? 0 : 1))   # ten states or fewer: one GET
	check "geist of $n outlets, v2c: GETBULK, and $gets GET" \
		test "$(printf '%s\n' "$ERR" | grep -cE '^pductl: > (GET|GETNEXT) ')" = "$gets"
	trips "geist of $n outlets, v2c: counted and read down the column" "$t"
	sh "$PK_TESTS/snmp/agent.sh" stop "$PK_TMP/agent-geist-$GN"
done
run "$P" -S2c --profile geist 127.0.0.1:$G get all
expect "geist v2c: get all as over v1 (24 outlets)" 1 "$EIGHT
$(seq 9 24 | sed 's/$/ on/')"

# Without a version given (the default), Geist's detection goes over v2c
# as the unit's agent prefers: the GETBULK down the state column is the
# second request, and get 1-8 needs no other.  Its rows come down as in
# the v2c count above: 34 in the first request, 44 in each after it.
for nt in 1:2 8:2 24:2 34:3 42:3 96:4; do
	n=${nt%%:*} t=${nt#*:}
	PDU_SIM_GEIST_OUTLETS=$n pdu_agent geist GN || { not_ok "geist agent of $n outlets starts"; continue; }
	want=$(head -"$n" <<<"$EIGHT")
	run "$P" -v 127.0.0.1:$GN get 1-$((n < 8 ? n : 8))
	expect "geist of $n outlets, no -S: get 1-$((n < 8 ? n : 8))" $((n < 6 ? 0 : 1)) "$want"
	trips "geist of $n outlets, no -S: the probe, then down the column" "$t"
	check "geist of $n outlets, no -S: the probe over v1, the rest over v2c" eval \
		'test "$(grep -E "^pductl: > (GET|GETNEXT|GETBULK) " <<<"$ERR" | cut -d" " -f3,4 | uniq -c | sed "s/^ *//")" = "1 GETNEXT v1
$((t - 1)) GETBULK v2c"'
	sh "$PK_TESTS/snmp/agent.sh" stop "$PK_TMP/agent-geist-$GN"
done
run "$P" -v 127.0.0.1:$G status
expect_out "geist, no -S: status counts its 24 outlets by the same GETBULK" '^pdu\.outlets: 24$'
check "geist, no -S: no other v2c check after detection" \
	test "$(grep -c "^pductl: > GETBULK v2c .* (1 varbind)$" <<<"$ERR")" = 1

# A metered Geist has no state column: that GETBULK finds it empty, and
# the next goes down the meter table's label column.
pdu_agent geist-metered GM || { not_ok "geist-metered agent starts"; exit 1; }
run "$P" -v 127.0.0.1:$GM status
expect_out "geist-metered, no -S: detected" '^pdu\.profile: geist-metered$'
expect_out "geist-metered, no -S: its 24 outlets counted" '^pdu\.outlets: 24$'
check "geist-metered, no -S: two GETBULKs to detect it, after the first probe" \
	test "$(grep -E "^pductl: > (GET|GETNEXT|GETBULK) " <<<"$ERR" | head -3 | cut -d" " -f3,4 | tr '\n' ,)" = \
	"GETNEXT v1,GETBULK v2c,GETBULK v2c,"

# A Geist agent that drops v2c: the GETBULK gets no answer within half
# of -t, and detection goes on over v1 as with -S1, never over v2c again.
AGENT_V1_ONLY=1 pdu_agent geist GV || { not_ok "v1-only geist agent starts"; exit 1; }
run "$P" -v -t 2 127.0.0.1:$GV get 1-8
expect "v1-only geist: get 1-8 falls back to v1" 1 "$EIGHT"
expect_err "v1-only geist: v2c got no answer, v1 was used" '\* no answer over v2c; using v1'
expect_fast "v1-only geist: within -t + 1 s" 3000
check "v1-only geist: after it, v1 only" eval \
	'! sed -n "/no answer over v2c/,\$p" <<<"$ERR" | grep -q "^pductl: > [A-Z]* v2c "'
run "$P" -v -t 2 127.0.0.1:$GV status
expect_out "v1-only geist: status" '^pdu\.outlets: 24$'
check "v1-only geist: status tries v2c once" \
	test "$(grep -c "no answer over v2c" <<<"$ERR")" = 1
expect_fast "v1-only geist: status within -t + 1 s" 3000

# APC's rPDU and sPDU share a sysObjectID and keep their states in
# different columns.  Without a version given (APC prefers v2c), the
# second request is a GETBULK: the probes as its non-repeaters, then down
# both state columns to the last outlet asked, so get 1-8 needs no third
# request whichever the unit is.  The column the unit lacks comes back as
# whatever follows it, and is not taken for states.
spdu_col=.1.3.6.1.4.1.318.1.1.4.4.2.1.3
rpdu_col=.1.3.6.1.4.1.318.1.1.12.3.5.1.1.4
for kind in apc-spdu apc-rpdu; do
	pdu_agent "$kind" AB || { not_ok "$kind agent starts"; continue; }
	run "$P" -v 127.0.0.1:$AB get 1-8
	expect "$kind, no -S: get 1-8" 1 "$EIGHT"
	trips "$kind, no -S: the first probes, then one GETBULK" 2
	check "$kind, no -S: the GETBULK over v2c, 8 probes and 2 columns, 8 repetitions" \
		test "$(grep -cE '^pductl: > GETBULK v2c .* non-repeaters=8 max-repetitions=8 \(10 varbinds\)$' <<<"$ERR")" = 1
	check "$kind, no -S: down both state columns from row 0" eval \
		'grep -Fqx "pductl: >   $spdu_col.0" <<<"$ERR" && grep -Fqx "pductl: >   $rpdu_col.0" <<<"$ERR"'
	run "$P" -v 127.0.0.1:$AB get 2,4
	expect "$kind, no -S: get 2,4 (both on: exit 0)" 0 "2 on
4 on"
	check "$kind, no -S: get 2,4: the columns down to row 4" \
		test "$(grep -cE '^pductl: > GETBULK v2c .* max-repetitions=4 ' <<<"$ERR")" = 1
	sh "$PK_TESTS/snmp/agent.sh" stop "$PK_TMP/agent-$kind-$AB"
done
pdu_agent apc-spdu AS || { not_ok "apc-spdu agent starts"; exit 1; }
run "$P" -v 127.0.0.1:$AS status
expect_out "apc-spdu, no -S: status detects the sPDU" '^pdu\.profile: apc-spdu$'
check "apc-spdu, no -S: status carries no states: no GETBULK in detection" \
	test "$(grep -E '^pductl: > (GET|GETNEXT|GETBULK) ' <<<"$ERR" | head -2 | cut -d' ' -f3 | tr '\n' ,)" = GETNEXT,GETNEXT,

# An sPDU agent that drops v2c: the GETBULK gets no answer within half of
# -t, then detection goes on over v1 as with -S1, and stays there.
AGENT_V1_ONLY=1 pdu_agent apc-spdu AV || { not_ok "v1-only apc-spdu agent starts"; exit 1; }
run "$P" -v -t 2 127.0.0.1:$AV get 1-8
expect "v1-only apc-spdu: get 1-8 falls back to v1" 1 "$EIGHT"
expect_err "v1-only apc-spdu: v2c got no answer, v1 was used" '\* no answer over v2c; using v1'
expect_fast "v1-only apc-spdu: within -t + 1 s" 3000
check "v1-only apc-spdu: after it, v1 only: the probes again, then the read" eval \
	'test "$(sed -n "/no answer over v2c/,\$p" <<<"$ERR" | grep -E "^pductl: > [A-Z]+ v" | cut -d" " -f3,4 | tr "\n" ,)" = "GETNEXT v1,GET v1,"'

# Geist publishes no breaker count: rows 1-6 of pduBreakerTable are asked
# and the absent ones skipped.  Over v1 a GET of an absent row would fail
# the request (asked again without it, a round trip an absent row), so
# the rows are probed, the simulated unit's two breakers and four absent
# rows in one request.
run "$P" -v -S1 --profile geist 127.0.0.1:$G status
expect "geist status over v1" 0
expect_out "geist over v1: its two breakers" $'bank.1.current: [0-9.]+\nbank.2.current: [0-9.]+\noutlet'
check "geist over v1: the breaker rows asked in one request" test "$(printf '%s\n' "$ERR" | awk '
	/^pductl: > (GET|GETNEXT|GETBULK) / { req++ }
	/^pductl: >   \.1\.3\.6\.1\.4\.1\.21239\.5\.2\.3\.3\.1\.4\./ { asked[req] = 1 }
	END { print length(asked) }')" = 1

# An outlet the PDU does not have, with --profile: the count that came
# with the read says so; a usage error naming the range, as without it.
pdu_agent cyberpower CP || { not_ok "cyberpower agent starts"; exit 1; }
cp=127.0.0.1:$CP
run "$P" -v --profile cyberpower-epdu "$cp" get 7-9
expect "--profile get 7-9 of 8 outlets: usage error, nothing on stdout" 2 ""
expect_err "--profile get 7-9: the valid range named" \
	"^pductl: $cp: outlet '7-9': no such outlet \(valid: 1-8 or all\)$"
run "$P" "$cp" get 7-9
expect "get 7-9 without --profile: the same exit" 2 ""
expect_err "get 7-9 without --profile: the same message" \
	"^pductl: $cp: outlet '7-9': no such outlet \(valid: 1-8 or all\)$"
run "$P" --profile cyberpower-epdu "$cp" get all
expect "--profile get all: count first, then every state" 1 "$EIGHT"

# A profile that prefers v2c on an agent that drops v2c: the read over
# v2c gets no answer, then runs over v1 (as the separate check did).
AGENT_V1_ONLY=1 pdu_agent apc V1 || { not_ok "v1-only APC agent starts"; exit 1; }
v1=127.0.0.1:$V1
run "$P" -v -t 2 "$v1" get 1-8
expect "v1-only APC: get 1-8 falls back to v1" 1 "$EIGHT"
expect_err "v1-only APC: v2c got no answer, v1 was used" '\* no answer over v2c; using v1'
expect_fast "v1-only APC: within -t + 1 s" 3000
# ...and a SET is never sent over the unproven v2c: it is proven first.
run "$P" -v -t 2 "$v1" on 6
expect "v1-only APC: on 6 after v1 detection" 0 "6 on"
expect_err "v1-only APC: the SET went over v1" '^pductl: > SET v1 '
if printf '%s\n' "$ERR" | grep -q '^pductl: > SET v2c '; then
	not_ok "v1-only APC: no SET over v2c"; pk_show
else
	ok "v1-only APC: no SET over v2c"
fi
run "$P" -v -t 2 "$v1" off 6
expect "v1-only APC: off 6" 0 "6 off"

# oid get without -S: the GET itself goes over v2c (a read may be asked
# twice, so it needs no probe of sysObjectID first), and on no answer
# once more over v1.
ident=".1.3.6.1.2.1.1.5.0 .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.2"
# shellcheck disable=SC2086
run "$P" -v "$cp" oid get $ident
# shellcheck disable=SC2086
expect "oid get: as snmpget -v2c prints it" 0 "$(snmpget -v2c -c public -On "$cp" $ident)"
trips "oid get: one GET over v2c" 1
expect_err "oid get: ...of the objects asked" '^pductl: > GET v2c .*\(2 varbinds\)$'
# shellcheck disable=SC2086
run "$P" -v -t 2 "$v1" oid get .1.3.6.1.2.1.1.5.0
expect "oid get of a v1-only agent: as snmpget -v1 prints it" 0 \
	"$(snmpget -v1 -c public -On "$v1" .1.3.6.1.2.1.1.5.0)"
trips "oid get of a v1-only agent: the GET over v2c, sent again (no answer), then over v1" 3
if printf '%s\n' "$ERR" | grep -q '^pductl: >   \.1\.3\.6\.1\.2\.1\.1\.2\.0$'; then
	not_ok "oid get of a v1-only agent: no sysObjectID probe"; pk_show
else
	ok "oid get of a v1-only agent: no sysObjectID probe"
fi
expect_err "oid get of a v1-only agent: v2c got no answer, v1 was used" '\* no answer over v2c; using v1'
expect_fast "oid get of a v1-only agent: within -t + 1 s" 3000

# oid walk without -S, likewise: its first GETBULK goes over v2c, with no
# sysObjectID probe before it, and on no answer the walk starts over v1.
run "$P" -v "$cp" oid walk .1.3.6.1.2.1.1.5
expect "oid walk: as snmpwalk -v2c prints it" 0 "$(snmpwalk -v2c -c public -On "$cp" .1.3.6.1.2.1.1.5)"
trips "oid walk: one GETBULK over v2c" 1
expect_err "oid walk: ...the walk's own" '^pductl: > GETBULK v2c '
run "$P" -v -t 2 "$v1" oid walk .1.3.6.1.2.1.1.5
expect "oid walk of a v1-only agent: as snmpwalk -v1 prints it" 0 \
	"$(snmpwalk -v1 -c public -On "$v1" .1.3.6.1.2.1.1.5)"
if printf '%s\n' "$ERR" | grep -q '^pductl: >   \.1\.3\.6\.1\.2\.1\.1\.2\.0$'; then
	not_ok "oid walk of a v1-only agent: no sysObjectID probe"; pk_show
else
	ok "oid walk of a v1-only agent: no sysObjectID probe"
fi
expect_err "oid walk of a v1-only agent: v2c got no answer, v1 was used" \
	'\* no answer over v2c; using v1'
expect_err "oid walk of a v1-only agent: the walk over v1 is GETNEXTs" '^pductl: > GETNEXT v1 '
expect_fast "oid walk of a v1-only agent: within -t + 1 s" 3000

# status over v1 of a CyberPower that does not meter its outlets: the
# identity's request asks outlet 1's current as well (whether there is
# outlet metering); probed, so its absence does not fail the request and
# cost a second one.  Detection, identity, banks, then the 8 outlets'
# name, state and command-pending columns, ten objects a request.
run "$P" -v -S1 "$cp" status
expect "cyberpower status over v1" 0
expect_out "cyberpower over v1: ends with outlet 8's state, no current (not metered)" $'outlet.8.state: on\n$'
trips "cyberpower status over v1: detection, identity, banks, 24 outlet objects" 6
