#!/bin/bash
# The generated completions against real servers: bash (programmable
# completion, COMP_WORDS/COMP_LINE, no terminal), fish (complete -C) and
# zsh (compadd stubbed) offer UPS names, variables, commands, actions,
# outlet numbers and names for ups@127.0.0.1:PORT and 127.0.0.1:PORT
# targets; a silent or absent server offers nothing device-made, in time.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/complete_lib.sh"
. "$PK_TESTS/nut/testbed.sh"
. "$PK_TESTS/snmp/pdu_lib.sh"
. "$PK_TESTS/wattbox/wb.sh"
unset PDU_COMMUNITY PDU_WRITE_COMMUNITY

sorted() { sort -u | tr '\n' ' '; }
# Candidates one a line, sorted, '|'-joined (names may hold blanks); bash's
# are shell-quoted, so backslashes are dropped.
lines() { sed 's/\\//g' | sort -u | tr '\n' '|'; }

nut_testbed_start || { not_ok "private upsd started"; exit 1; }
S=127.0.0.1:$NUT_PORT
names=$(nutq -l "$S" | sorted)
check "the server lists UPSes" test -n "$names"
want_ups=$(nutq -l "$S" | sed "s/\$/@$S/" | sorted)
# bash replaces only the text after the last ':' of a word, so there a
# UPS name cannot be put before an '@HOST:PORT' already typed: nothing
# broken is offered, and a whole name is kept.
check "bash: no broken candidate for @HOST:PORT" test -z "$(bash_comp "nutq @$S")"
check "bash: ups@HOST:PORT typed whole stays whole" test "$(bash_comp "nutcmd fake@$S")" = "$NUT_PORT"
for sh in fish zsh; do
	check "$sh: @HOST:PORT completes to the server's UPS names" \
		test "$("${sh}_comp" "nutq @$S" | sorted)" = "$want_ups"
done
check "zsh: a typed name prefix narrows the UPS names" \
	test "$(zsh_comp "nutcmd fa@$S" | sorted)" = "$(echo "fake@$S" | sorted)"

vars=$(nutq "fake@$S" | cut -d: -f1 | sorted)
rw=$(nutset --list -j "fake@$S" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(k + "=" for k in (d if isinstance(d, dict) and "rw" not in d else d["rw"])))' 2>/dev/null | sorted)
cmds=$(nutq --cmds "fake@$S" | cut -d: -f1 | sorted)
for sh in bash fish zsh; do
	check "$sh: nutq completes the variables of ups@HOST:PORT" \
		test "$("${sh}_comp" "nutq fake@$S " | sorted)" = "$vars"
	check "$sh: nutcmd completes the commands of ups@HOST:PORT" \
		test "$("${sh}_comp" "nutcmd fake@$S " | sorted)" = "$cmds"
done
check "nutq: the variables are there to offer" test -n "$vars"
check "nutcmd: the commands are there to offer" test -n "$cmds"
got=$(fish_comp "nutset fake@$S ups." | sorted)
check "fish: nutset completes writable variables as NAME= ($got)" grep -q "ups.id= " <<<"$got"
got=$(bash_comp "nutset -t 9 fake@$S ups.i")
check "bash: nutset completes ups.id= (port kept, options before)" test "$got" = "ups.id="
check "bash: nutcmd after options and the target" \
	test "$(bash_comp "nutcmd -u admin fake@$S " | sorted)" = "$cmds"

# ---- pductl ---------------------------------------------------------------
pdu_agent cyberpower CP || { not_ok "CyberPower agent starts"; exit 1; }
cp=127.0.0.1:$CP
# Names with a comma cannot be written in an OUTLETS list: not offered.
want=$( (echo all; pductl "$cp" status | sed -n 's/^outlet\.\([0-9]*\)\.name: \(.*\)$/\1\n\2/p' | grep -v ',') | grep . | lines)
for sh in bash fish zsh; do
	check "$sh: pductl actions after HOST:PORT" \
		test "$("${sh}_comp" "pductl $cp " | sorted)" = "get name off oid on reboot status "
	got=$("${sh}_comp" "pductl $cp off " | lines)
	check "$sh: pductl off offers all, outlet numbers and names (got $got, want $want)" \
		test "$got" = "$want"
done
got=$(bash_comp "pductl $cp on 1,we" | lines)
check "bash: an outlet list completes its last item (got $got)" test "$got" = "1,web|"

# ---- wattctl ----------------------------------------------------------------
wb_start comp
H=127.0.0.1:$WB_PORT
want=$( (echo all; wattctl "$H" status | cut -f1,6 | tr '\t' '\n' | grep -v ',') | grep . | lines)
for sh in bash fish zsh; do
	got=$("${sh}_comp" "wattctl $H reset " | lines)
	check "$sh: wattctl reset offers all, outlet numbers and names (got $got, want $want)" \
		test "$got" = "$want"
done
got=$(bash_comp "wattctl $H on ")
check "bash: wattctl names with blanks are quoted" bash -c '! grep -q "^[^\\\\]* " <<<"$1"' _ "$got"

# ---- silent or absent servers ----------------------------------------------
wb_silent_peer
t0=$(date +%s%N)
got=$(bash_comp "nutq @127.0.0.1:$SILENT_PORT")
ms=$((($(date +%s%N) - t0) / 1000000))
check "a silent NUT server: nothing offered" test -z "$got"
check "within the completion deadline (${ms} ms)" test "$ms" -le 2500
t0=$(date +%s%N)
got=$(bash_comp "wattctl 127.0.0.1:$SILENT_PORT off " | sorted)
ms=$((($(date +%s%N) - t0) / 1000000))
check "a silent WattBox: only 'all'" test "$got" = "all "
check "within the completion deadline (${ms} ms)" test "$ms" -le 2500
port=$(pk_free_port udp)
t0=$(date +%s%N)
got=$(bash_comp "pductl 127.0.0.1:$port get " | sorted)
ms=$((($(date +%s%N) - t0) / 1000000))
check "an absent PDU: only 'all'" test "$got" = "all "
check "within the completion deadline (${ms} ms)" test "$ms" -le 2500
