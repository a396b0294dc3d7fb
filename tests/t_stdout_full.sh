#!/bin/bash
# t_stdout_full.sh — every mode of every tool with stdout on /dev/full:
# exit 3 and "TOOL: cannot write to stdout: REASON" on stderr, against
# the suite's servers (upsd, snmpd, the WattBox simulator).  Each mode is
# first run with a normal stdout, to show it prints something to fail on.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
. "$PK_TESTS/wattbox/wb.sh"
export PDU_SIM_SCALE=0.1
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY
export NUT_USER=admin NUT_PASSWORD=adminpass

# full DESC WANT_OK_RC CMD...: CMD with a normal stdout exits WANT_OK_RC
# and prints something; with stdout on /dev/full it exits 3, prints the
# one message for it (once), and nothing else about the write.
full() {
	local desc=$1 want=$2 tool msg n
	shift 2
	tool=$(basename "$1")
	run "$@"
	if [ "$RC" != "$want" ] || [ -z "$OUT" ]; then
		not_ok "$desc: prints with a normal stdout (exit $RC, want $want)"; pk_show
	else
		ok "$desc: prints with a normal stdout"
	fi
	"$@" >/dev/full 2>"$PK_TMP/err" </dev/null
	RC=$?
	OUT=
	ERR=$(cat "$PK_TMP/err")
	LAST_CMD="$* >/dev/full"
	msg="$tool: cannot write to stdout: No space left on device"
	expect "$desc >/dev/full: exit 3" 3
	n=$(grep -cxF -- "$msg" <<<"$ERR")
	check "$desc >/dev/full: says '$msg' once" test "$n" = 1
}

nut_testbed_start || { not_ok "private upsd started"; exit 1; }
N=127.0.0.1:$NUT_PORT
Q=$PK_BIN/nutq
full "nutq VAR" 0 "$Q" fake@$N ups.status
full "nutq (all)" 0 "$Q" fake@$N
full "nutq -j" 0 "$Q" -j fake@$N
full "nutq --format prom" 0 "$Q" --format prom fake@$N
full "nutq two targets" 0 "$Q" fake@$N dummy@$N
full "nutq -g" 0 "$Q" -g ups.status fake@$N dummy@$N
full "nutq --desc" 0 "$Q" --desc fake@$N ups.status
full "nutq -l" 0 "$Q" -l $N
full "nutq -L" 0 "$Q" -L $N
full "nutq -c -j" 0 "$Q" -c -j fake@$N
full "nutq --rw" 0 "$Q" --rw fake@$N
full "nutq --cmds" 0 "$Q" --cmds fake@$N
full "nutq --server" 0 "$Q" --server $N
full "nutq --check" 0 "$Q" --check fake@$N
full "nutq -V" 0 "$Q" -V
full "nutq -h" 0 "$Q" -h
full "nutq --complete" 0 "$Q" --complete --js
full "nutset VAR=VALUE" 0 "$PK_BIN/nutset" fake@$N ups.id=full1
full "nutset -j VAR=VALUE" 0 "$PK_BIN/nutset" -j fake@$N ups.id=full2
full "nutset --list" 0 "$PK_BIN/nutset" --list fake@$N
full "nutset -n" 0 "$PK_BIN/nutset" -n fake@$N ups.id=full3
full "nutset -V" 0 "$PK_BIN/nutset" -V
full "nutcmd COMMAND" 0 "$PK_BIN/nutcmd" fake@$N beeper.toggle
full "nutcmd -l" 0 "$PK_BIN/nutcmd" -l fake@$N
full "nutcmd -n" 0 "$PK_BIN/nutcmd" -n fake@$N beeper.toggle
full "nutcmd --fsd -n" 0 "$PK_BIN/nutcmd" --fsd -n fake@$N
full "nutcmd -h" 0 "$PK_BIN/nutcmd" -h

pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
cp=127.0.0.1:$CP
P=$PK_BIN/pductl
full "pductl status" 0 "$P" "$cp" status
full "pductl status -j" 0 "$P" -j "$cp" status
full "pductl status prom" 0 "$P" --format prom "$cp" status
full "pductl two PDUs" 0 "$P" "$cp" "$cp" status
full "pductl get" 0 "$P" "$cp" get 1,2
full "pductl on" 0 "$P" "$cp" on 3
full "pductl off -n" 0 "$P" -n "$cp" off 3
full "pductl name" 0 "$P" "$cp" name 2 fullname
full "pductl oid get" 0 "$P" "$cp" oid get .1.3.6.1.2.1.1.5.0
full "pductl oid walk" 0 "$P" "$cp" oid walk .1.3.6.1.2.1.1
full "pductl oid set" 0 "$P" "$cp" oid set .1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.8 i 2
full "pductl -V" 0 "$P" -V

wb_start full
H=127.0.0.1:$WB_PORT
for verb in info status power ups ping; do
	full "wattctl $verb" 0 "$W" "$H" $verb
done
full "wattctl status -j" 0 "$W" -j "$H" status
full "wattctl status prom" 0 "$W" --format prom "$H" status
full "wattctl status OUTLETS" 0 "$W" "$H" status 1,2
full "wattctl two units" 0 "$W" "$H" "$H" status
full "wattctl on" 0 "$W" "$H" on 3
full "wattctl off" 0 "$W" "$H" off 3
full "wattctl toggle" 0 "$W" "$H" toggle 3
full "wattctl reset" 0 "$W" "$H" reset 3 --delay 1
full "wattctl autoreboot" 0 "$W" "$H" autoreboot
full "wattctl autoreboot on" 0 "$W" "$H" autoreboot on
full "wattctl reboot -n" 0 "$W" -n "$H" reboot --yes
full "wattctl on -n" 0 "$W" -n "$H" on 3
full "wattctl --check" 0 "$W" --check "$H"
full "wattctl -h" 0 "$W" -h

# --quiet keeps the exit status, not the message.
"$Q" -q fake@$N ups.status >/dev/full 2>"$PK_TMP/err"
RC=$? ERR=$(cat "$PK_TMP/err")
expect "nutq -q >/dev/full: still exit 3" 3
check "nutq -q >/dev/full: stderr empty" test -z "$ERR"
# --output FILE does not write stdout: a full stdout does not matter.
run "$Q" --output "$PK_TMP/o.prom" --format prom fake@$N
expect "nutq --output: exit 0, stdout empty" 0 ""
