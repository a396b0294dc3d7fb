#!/bin/bash
# t_nutset.sh — nutset and nutcmd against a private upsd 2.8.0 with the
# fake driver: validation (nothing sent), TRACKING outcomes, read-back,
# credentials and their precedence, dry runs, FSD.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
nut_testbed_start || { not_ok "private upsd started"; exit 1; }
SET=$PK_BIN/nutset
CMD=$PK_BIN/nutcmd
Q=$PK_BIN/nutq
S=127.0.0.1:$NUT_PORT
export NUT_USER=admin NUT_PASSWORD=adminpass

# --- nutset ---------------------------------------------------------
run "$SET" fake@$S ups.id=rack-2
expect "set STRING var: confirmed by TRACKING" 0 "ups.id: SUCCESS"
check "set: stderr clean" test -z "$ERR"
run "$Q" fake@$S ups.id
expect "the new value is there" 0 "rack-2"
run "$SET" fake@$S input.sensitivity=high battery.charge.low=45
expect "two vars in one run" 0 "$(printf 'input.sensitivity: SUCCESS\nbattery.charge.low: SUCCESS')"
run "$SET" -t 5 fake@$S ups.beeper.status=disabled
expect "slow SET (2 s) waited for" 0 "ups.beeper.status: SUCCESS"
check "slow SET took the driver's time" test "$MS" -ge 1500

run "$SET" -v fake@$S input.sensitivity=bogus
expect "ENUM violation: exit 2" 2 ""
expect_err "ENUM violation names allowed values" "'bogus' is not allowed; allowed values: \"low\", \"normal\", \"high\""
check "ENUM violation: no SET sent" bash -c '! grep -q "SET VAR" <<<"$1"' _ "$ERR"
run "$SET" fake@$S battery.charge.low=35
expect "RANGE violation: exit 2" 2 ""
expect_err "RANGE violation names the ranges" '5-30, 40-50'
run "$SET" fake@$S ups.id=waytoolong
expect "STRING:8 violation: exit 2" 2 ""
expect_err "STRING:8 violation says the limit" '8 characters'
run "$SET" fake@$S ups.delay.shutdown=12x
expect "RANGE needs an integer: exit 2" 2 ""
run "$SET" fake@$S ups.id=ok1 input.sensitivity=bogus
expect "one bad value: nothing sent at all" 2 ""
run "$Q" fake@$S ups.id
expect "the good value was not sent either" 0 "rack-2"
run "$SET" fake@$S no.such.var=1
expect "unknown variable: exit 5" 5 ""
run "$SET" nosuch@$S ups.id=x
expect "unknown UPS: exit 5" 5 ""
run "$SET" fake@$S ups.load=5
expect "read-only variable: exit 1" 1 ""
expect_err "read-only: server's word" 'ERR READONLY'
run "$SET" fake@$S output.voltage.nominal=240
expect "driver fails the SET: exit 1" 1 ""
expect_err "driver failure named" 'output\.voltage\.nominal: the driver reported FAILED'
run "$SET" -j fake@$S output.voltage.nominal=240
expect_json "json: result FAILED with error object" 'd["results"]["output.voltage.nominal"]["result"] == "FAILED" and d["results"]["output.voltage.nominal"]["error"]["status"] == 1'
run "$SET" -j fake@$S ups.id=rack-3
expect_json "json: SUCCESS" 'd["results"]["ups.id"] == {"value": "rack-3", "result": "SUCCESS"}'
run "$SET" --no-wait dummy@$S ups.mfr=NoWait
expect "--no-wait returns after OK" 0 "ups.mfr: OK"
run "$SET" fake@$S "ups.id=$(printf 'caf\xc3\xa9')"
expect "non-ASCII value refused, nothing sent" 2 ""

# credentials
run "$SET" -u admin -p wrongpass fake@$S ups.id=x
expect "wrong password: exit 4" 4 ""
expect_err "wrong password: access denied" 'access denied'
run "$SET" -u viewer -p viewerpass fake@$S ups.id=x
expect "user without SET right: exit 4" 4 ""
run env -u NUT_USER "$SET" fake@$S ups.id=x
expect "no user: usage error before connecting" 2 ""
run env -u NUT_PASSWORD "$SET" fake@$S ups.id=x
expect "no password and no tty: exit 2, no prompt" 2 ""
expect_err "no password: says how to give one" 'password-file'
printf 'adminpass\n' >"$PK_TMP/pw"
chmod 600 "$PK_TMP/pw"  # others may not read it (issue 11)
run env -u NUT_PASSWORD "$SET" --password-file "$PK_TMP/pw" fake@$S ups.id=pwfile
expect "--password-file works" 0 "ups.id: SUCCESS"
run env NUT_PASSWORD=wrong "$SET" --password-file "$PK_TMP/pw" fake@$S ups.id=pwfile
expect "--password-file beats NUT_PASSWORD" 0 "ups.id: SUCCESS"
run "$SET" -v -p adminpass fake@$S ups.id=masked
expect "-p works" 0
check "-v never shows the password" bash -c '! grep -q adminpass <<<"$1$2"' _ "$ERR" "$OUT"
expect_err "-v shows the masked PASSWORD" '^nutset: > PASSWORD \*+$'

# On a terminal (script(1) gives a pty) the password is prompted for.
if command -v script >/dev/null; then
	(sleep 1; printf 'adminpass\n') | env -u NUT_PASSWORD timeout 10 \
		script -qec "$SET fake@$S input.sensitivity=low" /dev/null >"$PK_TMP/tty" 2>&1
	RC=$?; OUT=$(tr -d '\r' <"$PK_TMP/tty"); ERR=; LAST_CMD="script ... nutset (tty)"
	expect "on a terminal: password prompted, set confirmed" 0 "$(printf 'Password for admin@127.0.0.1: \ninput.sensitivity: SUCCESS')"
else
	ok "on a terminal: password prompted # SKIP no script(1)"
fi
run env NUT_PASSWORD="$(printf 'sec\001ret')" "$SET" fake@$S ups.id=x
expect "unprintable password refused before sending" 2 ""
check "the refused password is not echoed" bash -c '! grep -q "sec.ret" <<<"$1"' _ "$ERR"

# dry run and --list
run env -u NUT_USER -u NUT_PASSWORD "$SET" -n fake@$S 'ups.id=a "b" #1'
expect "-n prints the escaped request, needs no credentials" 0 'SET VAR fake ups.id "a \"b\" \#1"'
run "$Q" fake@$S ups.id
expect "-n sent nothing" 0 "masked"
run env -u NUT_USER -u NUT_PASSWORD "$SET" -v -n fake@$S input.sensitivity=bogus
expect "-n validates like a real run: ENUM violation exits 2" 2 ""
expect_err "-n: ENUM violation names allowed values" "'bogus' is not allowed; allowed values: \"low\", \"normal\", \"high\""
expect_err "-n: the type was read from the server" '^nutset: > GET TYPE fake input\.sensitivity$'
run "$SET" -n fake@$S battery.charge.low=35
expect "-n: RANGE violation exits 2" 2 ""
expect_err "-n: RANGE violation names the ranges" '5-30, 40-50'
run "$SET" -n fake@$S no.such.var=1
expect "-n: unknown variable exits 5" 5 ""
run "$SET" -v -n fake@$S input.sensitivity=normal battery.charge.low=25
expect "-n: valid values print the SET lines" 0 "$(printf 'SET VAR fake input.sensitivity "normal"\nSET VAR fake battery.charge.low "25"')"
run "$SET" -n -j fake@$S input.sensitivity=normal 'ups.id=a "b" #1'
expect_json "-n -j: one document with the SET lines as strings" 'd == {"dry_run": True, "target": d["target"], "requests": ["SET VAR fake input.sensitivity \"normal\"", "SET VAR fake ups.id \"a \\\"b\\\" \\#1\""]}'
expect_json "-n -j: the target is the UPS" 'd["target"].startswith("fake@127.0.0.1:")'
check "-n -j exits 0" test "$RC" = 0
run "$SET" -n -j fake@$S no.such.var=1
expect_json "-n -j: an unknown variable is the error document" 'd["error"]["status"] == 5 and "requests" not in d'
check "-n -j: unknown variable still exits 5" test "$RC" = 5
check "-n: no SET, TRACKING or credentials sent" bash -c '! grep -Eq "^nutset: > (SET|USERNAME|PASSWORD|INSTCMD)" <<<"$1"' _ "$ERR"
run "$Q" fake@$S input.sensitivity battery.charge.low
expect "-n: the values are unchanged" 0 "$(printf 'low\n45')"
run "$SET" -n -t 2 fake@127.0.0.1:$(pk_free_port) ups.id=x
expect "-n: connects, so a dead server exits 3" 3 ""
run "$SET" --list fake@$S
upsrw fake@$S >"$PK_TMP/upsrw" 2>/dev/null
check "--list identical to upsrw" cmp -s "$PK_TMP/out" "$PK_TMP/upsrw"
# --list -j and nutq --rw -j are one document.
"$Q" -j --rw fake@$S >"$PK_TMP/rw.json" 2>/dev/null
run "$SET" -j --list fake@$S
expect "--list -j prints the nutq --rw -j document" 0 "$(cat "$PK_TMP/rw.json")"
check "--list -j: stderr clean" test -z "$ERR"
expect_json "--list -j: ups, server, typed rw entries" 'd["ups"] == "fake" and d["server"].startswith("127.0.0.1:") and d["rw"]["battery.charge.low"]["ranges"] == [[5, 30], [40, 50]] and isinstance(d["rw"]["battery.charge.low"]["value"], int) and d["rw"]["ups.id"]["maxlen"] == 8 and d["rw"]["input.sensitivity"]["enum"] == ["low", "normal", "high"]'
run "$SET" -j --list nosuch@$S
expect "--list -j for an unknown UPS exits 5" 5
expect_json "--list -j for an unknown UPS: the error document" 'd["error"]["kind"] == "UNKNOWN-UPS" and "rw" not in d'
run "$SET" fake@$S
expect "nothing to set: exit 2" 2
run "$SET" fake@$S novalue
expect "VAR without =: exit 2" 2

# an upsd without TRACKING or GET TYPE: read back; no read-back value -> timeout
nut_hostile oldupsd
run "$SET" -t 1 min@127.0.0.1:$HOSTILE_PORT ups.id=min
expect "no TRACKING: confirmed by reading back" 0 "ups.id: CONFIRMED"
run "$SET" -t 1 min@127.0.0.1:$HOSTILE_PORT ups.id=other
expect "no TRACKING: value never arrives, exit 1" 1 ""
expect_fast "read-back bounded by --timeout" 2000

# minimal (ESPHome) server: PASSWORD checked at once, TYPE RO / RW STRING,
# every SET VAR answered ERR CMD-NOT-SUPPORTED.
nut_hostile minimal
MIN=min@127.0.0.1:$HOSTILE_PORT
run "$SET" -t 2 -p wrongpass "$MIN" ups.id=x
expect "minimal: wrong password refused on PASSWORD: exit 4" 4 ""
expect_err "minimal: wrong password: clear message" '^nutset: min@127\.0\.0\.1:[0-9]+: login refused: wrong user name or password \(server said ERR ACCESS-DENIED\)$'
run "$SET" -t 2 -v "$MIN" "ups.id=longer than any STRING:n limit"
expect "minimal: RW STRING has no length check, the server's refusal: exit 1" 1 ""
expect_err "minimal: the value was sent (no local TOO-LONG)" '^nutset: > SET VAR min ups\.id "longer than any STRING:n limit"$'
expect_err "minimal: SET VAR refusal says the server cannot set" 'ups\.id: the server does not support SET VAR \(server said ERR CMD-NOT-SUPPORTED\)$'
run "$SET" -t 2 -v "$MIN" battery.charge=abc
expect "minimal: RO variable left to the server (like upsrw): exit 1" 1 ""
expect_err "minimal: RO variable not refused locally as a non-number" '^nutset: > SET VAR min battery\.charge "abc"$'
run "$SET" -t 2 "$MIN" no.such.var=1
expect "minimal: unknown variable: exit 5" 5 ""
# ESPHome takes the rest of a USERNAME/PASSWORD line raw: plain words go bare.
run "$SET" -t 2 -v "$MIN" ups.id=x
expect_err "minimal: USERNAME sent bare, as upsclient does" '^nutset: > USERNAME admin$'
expect_err "minimal: the bare login is accepted (the SET is what fails)" 'ups\.id: the server does not support SET VAR'
check "minimal: no login refusal with bare words" bash -c '! grep -q "login refused" <<<"$1"' _ "$ERR"
run env NUT_PASSWORD='pass word' "$SET" -t 2 -v "$MIN" ups.id=x
expect "minimal: a password with a space must be quoted: refused there, exit 4" 4 ""
check "minimal: the quoted password is masked in the trace" bash -c 'grep -q "^nutset: > PASSWORD \*\*\*\*\*\*\*\*$" <<<"$1" && ! grep -q "pass word" <<<"$1"' _ "$ERR"

# --- nutcmd ---------------------------------------------------------
run "$CMD" fake@$S beeper.toggle
expect "command SUCCESS: exit 0" 0 "beeper.toggle: SUCCESS"
run "$CMD" fake@$S test.battery.start
expect "command after 2 s PENDING: SUCCESS" 0 "test.battery.start: SUCCESS"
run "$Q" fake@$S ups.status
expect "the command took effect" 0 "OL CAL"
run "$CMD" fake@$S load.off
expect "FAILED: exit 1" 1 ""
expect_err "FAILED named" 'load\.off: the driver reported FAILED'
run "$CMD" fake@$S shutdown.return
expect "UNKNOWN: exit 1" 1 ""
expect_err "UNKNOWN named" 'reported UNKNOWN'
run "$CMD" fake@$S calibrate.start
expect "INVALID-ARGUMENT: exit 1" 1 ""
expect_err "INVALID-ARGUMENT named" 'reported INVALID-ARGUMENT'
run "$CMD" -t 1 fake@$S fake.pending
expect "PENDING forever: exit 1 at the timeout" 1 ""
expect_fast "PENDING bounded by --timeout + 1 s" 2000
expect_err "PENDING says so" 'still PENDING'
run "$CMD" fake@$S no.such.cmd
expect "unknown command: exit 5" 5 ""
run "$CMD" fake@$S fake.echo "two words"
expect "value with a space sent quoted" 0 "fake.echo: SUCCESS"
run "$Q" fake@$S fake.lastparam
expect "the driver got the whole value" 0 "two words"
# ...but upsd 2.8 forwards it unquoted, so NUT's drivers may reject it: the
# man page must say so.
check "nutcmd(1) warns that upsd forwards a value with spaces unquoted" bash -c \
	'mandoc -Tascii "$1" | sed "s/.\x08//g" | tr -s " \n" "  " | grep -q "escaped but unquoted, so a value containing spaces reaches the driver as several words"' \
	_ "$PK_TOP/man/nutcmd.1"
run "$CMD" -u limited -p limitedpass fake@$S load.off
expect "command not granted: exit 4" 4 ""
run "$CMD" -u limited -p limitedpass fake@$S test.battery.stop
expect "only granted commands run" 4 ""
run "$CMD" -j fake@$S load.off
expect_json "json command result" 'd["results"]["load.off"]["result"] == "FAILED" and d["results"]["load.off"]["error"]["kind"] == "FAILED"'
run "$CMD" -n fake@$S fake.echo 'a "q" #x'
expect "-n prints the quoted command" 0 'INSTCMD fake fake.echo "a \"q\" \#x"'
run "$CMD" -n -j fake@$S fake.echo 'a "q" #x'
expect_json "nutcmd -n -j: one document, the INSTCMD line as in text mode" 'd["dry_run"] is True and d["target"].startswith("fake@") and d["requests"] == ["INSTCMD fake fake.echo \"a \\\"q\\\" \\#x\""]'
check "nutcmd -n -j exits 0" test "$RC" = 0
run env -u NUT_USER -u NUT_PASSWORD "$CMD" -v -n fake@$S load.off
expect "-n: a listed command prints, needs no credentials" 0 "INSTCMD fake load.off"
expect_err "-n: LIST CMD was read" '^nutcmd: > LIST CMD fake$'
check "-n: no INSTCMD or credentials sent" bash -c '! grep -Eq "^nutcmd: > (INSTCMD|USERNAME|PASSWORD|SET)" <<<"$1"' _ "$ERR"
run "$CMD" -n fake@$S no.such.cmd
expect "-n: a command not in LIST CMD exits 5, prints nothing" 5 ""
expect_err "-n: says it is not in LIST CMD" '^nutcmd: fake@127\.0\.0\.1:[0-9]+: no\.such\.cmd: instant command not supported by the UPS \(not in LIST CMD\)$'
run "$CMD" -l fake@$S
upscmd -l fake@$S >"$PK_TMP/upscmd" 2>/dev/null
check "-l identical to upscmd -l" cmp -s "$PK_TMP/out" "$PK_TMP/upscmd"
# -l -j and nutq --cmds -j are one document.
"$Q" -j --cmds fake@$S >"$PK_TMP/cmds.json" 2>/dev/null
run "$CMD" -j -l fake@$S
expect "-l -j prints the nutq --cmds -j document" 0 "$(cat "$PK_TMP/cmds.json")"
check "-l -j: stderr clean" test -z "$ERR"
expect_json "-l -j: ups, server, commands with descriptions" 'd["ups"] == "fake" and d["server"].startswith("127.0.0.1:") and d["commands"]["load.off"] == "Turn off the load immediately" and len(d["commands"]) == 9'
run "$CMD" -j -l nosuch@$S
expect "-l -j for an unknown UPS exits 5" 5
expect_json "-l -j for an unknown UPS: the error document" 'd["error"]["kind"] == "UNKNOWN-UPS" and "commands" not in d'
run "$CMD" fake@$S
expect "no command: exit 2" 2
run "$CMD" -t 2 "$MIN" beeper.toggle
expect "no TRACKING: exit 0 after OK" 0 "beeper.toggle: OK"
expect_err "no TRACKING: said on stderr" '^nutcmd: min@127\.0\.0\.1:[0-9]+: the server has no TRACKING: OK only means the request was accepted$'
run "$CMD" -t 2 -v "$MIN" beeper.toggle
expect "minimal: nutcmd logs in with bare words (ESPHome reads them raw)" 0 "beeper.toggle: OK"
expect_err "minimal: nutcmd: USERNAME sent bare" '^nutcmd: > USERNAME admin$'
run env NUT_USER=nobody "$CMD" -t 2 "$MIN" beeper.toggle
expect "minimal: nutcmd with a user the server lacks: exit 4" 4 ""
run "$CMD" -t 2 "$MIN" load.off
expect "minimal: command it lacks: exit 5" 5 ""
expect_err "minimal: command it lacks: named" '^nutcmd: min@127\.0\.0\.1:[0-9]+: load\.off: instant command not supported by the UPS \(server said ERR CMD-NOT-SUPPORTED\)$'
check "minimal: refused command: no TRACKING note" bash -c '! grep -q "no TRACKING" <<<"$1"' _ "$ERR"
run "$CMD" -t 2 -l "$MIN"
expect "minimal: -l without CMDDESC: like upscmd, description unavailable" 0 "$(printf 'Instant commands supported on UPS [min]:\n\nbeeper.disable - Description unavailable\nbeeper.enable - Description unavailable\nbeeper.toggle - Description unavailable')"
run "$CMD" -t 2 -l -j "$MIN"
expect_json "minimal: -l -j: a description the server does not give is null" 'd["commands"] == {"beeper.disable": None, "beeper.enable": None, "beeper.toggle": None}'
run "$Q" -t 2 --cmds -j "$MIN"
expect_json "minimal: nutq --cmds -j: the same null descriptions" 'd["commands"] == {"beeper.disable": None, "beeper.enable": None, "beeper.toggle": None}'
run "$CMD" -t 2 -n "$MIN" beeper.toggle
expect "minimal: -n checks its LIST CMD" 0 "INSTCMD min beeper.toggle"
run "$CMD" -t 2 -n "$MIN" load.off
expect "minimal: -n refuses a command it lacks" 5 ""
run "$SET" -t 2 -n "$MIN" ups.id=anything-long-is-fine
expect "minimal: nutset -n with RW STRING prints the SET" 0 'SET VAR min ups.id "anything-long-is-fine"'
run "$CMD" -t 2 -p wrongpass "$MIN" beeper.toggle
expect "minimal: nutcmd with a wrong password: exit 4" 4 ""
expect_err "minimal: nutcmd wrong password message" 'login refused: wrong user name or password'

# DATA-STALE through a command, visible to everyone
run "$CMD" fake@$S fake.datastale 3
expect "fake.datastale accepted" 0
nut_wait_rc 1 "$Q" fake@$S ups.status
expect "stale data: nutq exits 1" 1 ""
run "$SET" fake@$S ups.id=stale
expect "stale data: nutset exits 1" 1 ""
expect_err "stale data: own message" 'data stale'
sleep 3

# FSD last: it latches until upsd restarts
run "$CMD" -u monuser -p monpass --fsd cycle@$S
expect "FSD without the right: exit 4" 4 ""
run "$CMD" --fsd cycle@$S
expect "FSD: LOGIN, PRIMARY, FSD" 0 "FSD: FSD-SET"
run "$Q" cycle@$S ups.status
expect_out "FSD shows in ups.status" '^FSD '
run "$CMD" -j --fsd cycle@$S
expect_json "FSD in JSON" 'd["ups"] == "cycle" and d["results"]["FSD"]["result"] == "FSD-SET"'
run env -u NUT_USER -u NUT_PASSWORD "$CMD" -n --fsd cycle@$S
expect "FSD dry run prints the requests" 0 "$(printf 'LOGIN cycle\nPRIMARY cycle\nFSD cycle')"
run env -u NUT_USER -u NUT_PASSWORD "$CMD" -n -j --fsd cycle@$S
expect_json "FSD dry run with -j: one document" 'd == {"dry_run": True, "target": d["target"], "requests": ["LOGIN cycle", "PRIMARY cycle", "FSD cycle"]} and d["target"].startswith("cycle@")'
