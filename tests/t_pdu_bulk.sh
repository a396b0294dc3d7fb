#!/bin/bash
# pductl's reads of many outlet rows over v2c go down the table's
# columns with GETBULK (more than ten objects from consecutive rows);
# over v1 they are GETs of ten objects.  Against the simulator behind
# real snmpd, every family reads the same over both: status (text and
# JSON), get all, and the Prometheus format, byte for byte, with the
# same exit code; over v2c the trace shows the GETBULKs.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
P="$PK_BIN/pductl"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

# A chain of unit-indexed tables reads unit by unit: no slice of one
# table, so no GETBULK there (eaton-chain, raritan-chain, sentry4-chain
# are left to t_pdu_chain.sh); a row-indexed chain's layout is one.
for kind in cyberpower apc apc-rpdu apc-spdu raritan raritan-px1 raritan-px1-metered \
	sentry4 sentry4-metered \
	sentry3 sentry3-metered eaton eaton-metered cyberpower-ats tripplite tripplite-metered \
	geist geist-metered apc-chain cyberpower-chain; do
	pdu_agent "$kind" PORT || { not_ok "$kind agent starts"; continue; }
	h=127.0.0.1:$PORT
	for cmd in "status" "-j status" "--format prom status" "get all"; do
		# shellcheck disable=SC2086  # cmd is words
		run "$P" -S1 $h $cmd
		v1_out=$OUT v1_rc=$RC
		# shellcheck disable=SC2086
		run "$P" -S2c $h $cmd
		expect "$kind: $cmd over v2c as over v1" "$v1_rc" "$v1_out"
	done
	run "$P" -v -S2c "$h" status
	expect_err "$kind: v2c status goes down the columns by GETBULK" '^pductl: > GETBULK v2c '
	if [ "$kind" = raritan ]; then
		# PDU2-MIB's outlet readings are sensor rows, indexed by the sensor
		# type after the outlet, so not a column's rows: the names and
		# states go down their columns by GETBULK, the 24 outlets' current
		# and power (48 objects) are asked by GET once they are through.
		check "$kind: v2c status: the outlets' readings by GET, ten at a time" test \
			"$(grep -A1 -E '^pductl: > GET v2c .*\((10|8) varbinds\)$' <<<"$ERR" |
				grep -cE '^pductl: >   \.1\.3\.6\.1\.4\.1\.13742\.6\.5\.4\.3\.1\.4\.1\.[0-9]+\.(1|5)$')" = 5
		check "$kind: v2c status: 3 requests fewer than over v1" \
			test "$(grep -cE '^pductl: > (GET|GETNEXT|GETBULK) ' <<<"$ERR")" = 10
	fi
	run "$P" -v -S1 "$h" status
	check "$kind: v1 status sends no GETBULK" \
		test "$(printf '%s\n' "$ERR" | grep -c '^pductl: > GETBULK')" = 0
	sh "$PK_TESTS/snmp/agent.sh" stop "$PK_TMP/agent-$kind-$PORT"
done

# An APC chain whose rows are grouped by unit, as a Network Port Sharing
# group numbers them (the host's outlets, then each guest's): the same
# output as the simulator's interleaved rows, over v1 and v2c; over v2c
# the outlets of status come down the columns (the rows are in order).
pdu_agent apc-chain IL || { not_ok "interleaved APC chain agent starts"; exit 1; }
PDU_SIM_APC_NPS_ROWS=1 pdu_agent apc-chain NPS || { not_ok "grouped APC chain agent starts"; exit 1; }
for cmd in "status" "-j status" "--format prom status" "get all" "get 2:1-8"; do
	for v in -S1 -S2c; do
		# shellcheck disable=SC2086  # cmd is words
		run "$P" $v 127.0.0.1:$IL $cmd
		il_out=$OUT il_rc=$RC
		# shellcheck disable=SC2086
		run "$P" $v 127.0.0.1:$NPS $cmd
		expect "APC chain, rows grouped by unit: $cmd $v as interleaved" "$il_rc" \
			"$(printf '%s\n' "$il_out" | sed "s/127\.0\.0\.1:$IL/127.0.0.1:$NPS/g")"
	done
done
run "$P" -v -S2c 127.0.0.1:$NPS status
check "APC chain, rows grouped by unit: v2c status reads the outlets by GETBULK (layout and outlets)" \
	test "$(printf '%s\n' "$ERR" | grep -c '^pductl: > GETBULK v2c ')" -ge 2
