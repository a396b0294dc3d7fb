#!/bin/bash
# t_nutq.sh — nutq against a private upsd 2.8.0 (dummy-ups + fake driver),
# golden comparisons with upsc/upsrw, exit codes, JSON, Prometheus, and
# hostile servers.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
nut_testbed_start || { not_ok "private upsd started"; exit 1; }
Q=$PK_BIN/nutq
S=127.0.0.1:$NUT_PORT
unset NUT_USER NUT_PASSWORD

# golden: DESC, then the two commands; stdout must be byte-identical.
golden() {
	local desc=$1 ours=$2 theirs=$3
	$ours >"$PK_TMP/ours" 2>"$PK_TMP/ours.err"; local rc=$?
	$theirs >"$PK_TMP/theirs" 2>/dev/null
	if [ $rc = 0 ] && [ -s "$PK_TMP/theirs" ] && cmp -s "$PK_TMP/ours" "$PK_TMP/theirs" &&
		[ ! -s "$PK_TMP/ours.err" ]; then
		ok "$desc"
	else
		not_ok "$desc (rc $rc)"
		diff "$PK_TMP/ours" "$PK_TMP/theirs" | head -10 | sed 's/^/#   /'
		head -3 "$PK_TMP/ours.err" | sed 's/^/#   stderr: /'
	fi
}

golden "full listing identical to upsc (dummy, escapes)" "$Q dummy@$S" "upsc dummy@$S"
golden "full listing identical to upsc (fake)" "$Q fake@$S" "upsc fake@$S"
golden "-l identical to upsc -l" "$Q -l $S" "upsc -l $S"
golden "-L identical to upsc -L" "$Q -L $S" "upsc -L $S"
golden "@host alone lists like upsc -l" "$Q @$S" "upsc -l $S"
golden "-L @host identical to upsc -L" "$Q -L @$S" "upsc -L $S"
golden "single var identical to upsc" "$Q dummy@$S ups.id" "upsc dummy@$S ups.id"
# A logged-in client for LIST CLIENT (held open until the script ends).
exec 5<>"/dev/tcp/127.0.0.1/$NUT_PORT"
printf 'USERNAME monuser\nPASSWORD monpass\nLOGIN dummy\n' >&5
for _ in 1 2 3; do read -r -t 2 _ <&5; done
golden "-c identical to upsc -c" "$Q -c dummy@$S" "upsc -c dummy@$S"
golden "--rw identical to upsrw" "$Q --rw fake@$S" "upsrw fake@$S"

run "$Q" dummy@$S ups.status battery.charge device.serial
expect "several vars: bare values in order" 0 "$(printf 'OL CHRG\n100\n024')"
check "several vars: stderr clean" test -z "$ERR"
run "$Q" dummy@$S battery.charge no.such.var ups.load
expect "missing var: others still print, exit 5" 5 "$(printf '100\n27')"
expect_err "missing var named on stderr" '^nutq: dummy@127\.0\.0\.1:[0-9]+: no\.such\.var: variable not supported by the UPS \(server said ERR VAR-NOT-SUPPORTED\)$'
run "$Q" nosuch@$S
expect "unknown UPS exits 5" 5 ""
expect_err "unknown UPS message" 'nosuch@127\.0\.0\.1:[0-9]+: unknown UPS \(server said ERR UNKNOWN-UPS\)'
run "$Q" nosuch@$S ups.status
expect "unknown UPS with a var exits 5" 5 ""

# JSON
run "$Q" -j dummy@$S
expect "json listing exits 0" 0
expect_json "json: quantities are numbers" 'd["variables"]["battery.charge"] == 100 and d["variables"]["input.voltage"] == 230.4'
expect_json "json: serial 024 and firmware 1.02a stay strings" 'd["variables"]["device.serial"] == "024" and d["variables"]["ups.firmware"] == "1.02a"'
expect_json "json: ups.status also as flags" 'd["variables"]["ups.status"] == "OL CHRG" and d["status"] == ["OL", "CHRG"]'
expect_json "json: escaped value decoded" 'd["variables"]["ups.notes"] == "path C:\\UPS\\log"'
run "$Q" -j fake@$S ups.firmware ups.serial battery.charge nope.var
expect "json vars with one missing exits 5" 5
expect_json "json vars: typed, error object per missing var" 'd["variables"] == {"ups.firmware": "1.02", "ups.serial": "0241", "battery.charge": 100} and d["errors"]["nope.var"]["status"] == 5 and d["errors"]["nope.var"]["kind"] == "VAR-NOT-SUPPORTED"'
run "$Q" -j nosuch@$S
expect "json error exits 5" 5
expect_json "json: stable error object" 'd["error"]["status"] == 5 and d["error"]["kind"] == "UNKNOWN-UPS" and "unknown UPS" in d["error"]["message"]'
run "$Q" -j -L $S
expect_json "json -L" 'd["ups_list"][0] == {"name": "dummy", "description": "Dummy UPS in rack \"A\""} and len(d["ups_list"]) == 3'
run "$Q" -j -c dummy@$S
expect_json "json -c" 'd["clients"] == ["127.0.0.1"]'
run "$Q" -j --rw fake@$S
expect_json "json --rw: enum, ranges, maxlen" 'd["rw"]["input.sensitivity"]["enum"] == ["low", "normal", "high"] and d["rw"]["battery.charge.low"]["ranges"] == [[5, 30], [40, 50]] and d["rw"]["ups.id"]["maxlen"] == 8'
run "$Q" -j --cmds fake@$S
expect_json "json --cmds" 'd["commands"]["load.off"] == "Turn off the load immediately" and len(d["commands"]) == 9'
run "$Q" -j --desc fake@$S ups.id
expect_json "json --desc" 'd["descriptions"] == {"ups.id": "UPS system identifier"}'
run "$Q" -j --server $S
expect_json "json --server" 'd["protocol"] == "1.3" and "upsd 2.8.0" in d["version"] and set(d["numlogins"]) == {"dummy", "cycle", "fake"}'

# Other modes, text
run "$Q" --cmds fake@$S
expect_out "--cmds lists commands with descriptions" '^test\.battery\.start: Start a battery test$'
run "$Q" --desc fake@$S ups.id battery.charge
expect "--desc: descriptions in order" 0 "$(printf 'UPS system identifier\nBattery charge (percent of full)')"
run "$Q" -v --server $S
expect_out "--server: version" '^version: Network UPS Tools upsd 2\.8\.0'
check "--server: upsd knows NUMLOGINS, no NUMATTACH or VERSION sent" bash -c '! grep -q "NUMATTACH\|> VERSION" <<<"$1"' _ "$ERR"
expect_out "--server: protocol" '^protocol: 1\.3$'
expect_out "--server: logins per UPS" '^numlogins\.fake: 0$'
expect_out "--server: HELP" '^help: Commands: HELP VER GET LIST SET INSTCMD'
expect_out "--server: the logged-in client counts" '^numlogins\.dummy: 1$'

# Prometheus
run "$Q" --format prom fake@$S
expect "prom exits 0" 0
expect_prom "prom (fake): promtool check metrics is silent"
expect_out "prom: battery.charge as a 0-1 ratio" '^nut_battery_charge_ratio\{ups="fake"\} 1$'
expect_out "prom: battery.charge.* too" '^nut_battery_charge_low_ratio\{ups="fake"\} 0\.2$'
expect_out "prom: ups.load as a ratio" '^nut_ups_load_ratio\{ups="fake"\} 0\.23$'
expect_out "prom: a ratio's HELP says so" '^# HELP nut_ups_load_ratio NUT variable ups\.load \(percent / 100\)$'
expect_out "prom: voltage in volts" '^nut_input_voltage_volts\{ups="fake"\} 230\.5$'
expect_out "prom: a component anywhere (output.voltage.nominal)" '^nut_output_voltage_nominal_volts\{ups="fake"\} 230$'
expect_out "prom: runtime in seconds" '^nut_battery_runtime_seconds\{ups="fake"\} 1800$'
expect_out "prom: delay in seconds" '^nut_ups_delay_shutdown_seconds\{ups="fake"\} 20$'
expect_out "prom: unmatched keeps the unit-less name" '^nut_input_transfer_low\{ups="fake"\} 100$'
expect_out "prom: status flag series" '^nut_ups_status\{ups="fake",flag="OL"\} 1$'
expect_out "prom: nut_up unchanged" '^nut_up\{ups="fake"\} 1$'
check "prom: no unit-less name for a renamed quantity" bash -c '! grep -Eq "^nut_(battery_charge|ups_load|input_voltage|battery_runtime)\{" "$1"' _ "$PK_TMP/out"
check "prom: no identifier as metric" bash -c '! grep -q "^nut_ups_serial\|^nut_ups_firmware" "$1"' _ "$PK_TMP/out"
prom_parses() {
	python3 -c '
import re, sys
seen = set()
name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
for l in open(sys.argv[1]):
    m = re.match(r"^# (HELP|TYPE) (" + name + r") .*\n$", l)
    if m:
        assert m.group(1) != "TYPE" or m.group(2) not in seen, "TYPE twice: " + l
        seen.add(m.group(2)) if m.group(1) == "TYPE" else None
        continue
    m = re.match(r"^(" + name + r")(\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\n]|\\.)*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\n]|\\.)*\")*\})? (\S+)\n$", l)
    assert m, "not an exposition line: " + repr(l)
    assert m.group(1) in seen, "sample before its TYPE: " + l
    float(m.group(m.lastindex))' "$1"
}
check "prom: every line is exposition format (HELP/TYPE, then samples)" prom_parses "$PK_TMP/out"
run "$Q" --format prom dummy@$S
expect "prom (dummy) exits 0" 0
expect_prom "prom (dummy): promtool check metrics is silent"
expect_out "prom: current in amperes" '^nut_input_current_amperes\{ups="dummy"\} 1\.2$'
expect_out "prom: frequency in hertz" '^nut_input_frequency_hertz\{ups="dummy"\} 50\.0$'
expect_out "prom: realpower in watts" '^nut_ups_realpower_nominal_watts\{ups="dummy"\} 900$'
expect_out "prom: power (apparent) in voltamperes" '^nut_ups_power_nominal_voltamperes\{ups="dummy"\} 1500$'
expect_out "prom: temperature in celsius" '^nut_ups_temperature_celsius\{ups="dummy"\} 31\.5$'
expect_out "prom: timer in seconds" '^nut_ups_timer_shutdown_seconds\{ups="dummy"\} -1$'
expect_out "prom: battery.voltage in volts" '^nut_battery_voltage_volts\{ups="dummy"\} 13\.60$'
expect_out "prom: 27 % load is 0.27" '^nut_ups_load_ratio\{ups="dummy"\} 0\.27$'
expect_out "prom: device info unchanged" '^nut_device_info\{ups="dummy",mfr="Dummy",model="Dummy 1500",serial="024"\} 1$'
check "prom (dummy): exposition format" prom_parses "$PK_TMP/out"
run "$Q" --format prom -l $S
expect "prom refused outside the full listing" 2

# Usage
run "$Q"
expect "no target: usage error" 2 ""
expect_err "usage error says what" 'target'
run "$Q" -h
expect "-h exits 0" 0
expect_out "-h shows usage" '^Usage: nutq'
run "$Q" -V
expect_out "-V prints the version" '^nutq \(powerkit\) [0-9]'
run "$Q" --bogus dummy@$S
expect "unknown option: exit 2" 2
run "$Q" 'dummy@host:99999'
expect "bad port: exit 2" 2
run "$Q" -l -c dummy@$S
expect "conflicting modes: exit 2" 2
run "$Q" dummy@$S "$(printf 'ups.st\001atus')"
expect "unprintable var name refused, nothing sent" 2

# Trace
run "$Q" -v dummy@$S ups.status
expect_err "-v traces the request" '^nutq: > GET VAR dummy ups\.status$'
expect_err "-v traces the reply" '^nutq: < VAR dummy ups\.status "OL CHRG"$'

# IPv6
if [ "$NUT_V6" = 1 ]; then
	run "$Q" "dummy@[::1]:$NUT_PORT" ups.status
	expect "IPv6 [::1] literal" 0 "OL CHRG"
else
	ok "IPv6 [::1] literal # SKIP no IPv6 on this machine"
fi

run "$Q" "dummy@localhost:$NUT_PORT" ups.status
expect "host name resolved (localhost, every address tried)" 0 "OL CHRG"

# cycle UPS: the status moves through OL / OB / OB LB / OL CHRG
seen=
for _ in $(seq 50); do  # one cycle is ~16 s
	seen="$seen|$("$Q" cycle@$S ups.status)"
	case "$seen" in *"|OB LB"*) case "$seen" in *"|OL"*) break ;; esac ;; esac
	sleep 0.5
done
check "cycle UPS goes through OL and OB LB" bash -c 'case "$1" in *"|OB LB"*) case "$1" in *"|OL"*) exit 0;; esac;; esac; exit 1' _ "$seen"

# DATA-STALE from the fake driver (SIGUSR1), then fresh again (SIGUSR2)
kill -USR1 "$NUT_FAKE_PID"
nut_wait_rc 1 "$Q" fake@$S ups.status
expect "DATA-STALE exits 1" 1 ""
expect_err "DATA-STALE has its own message" 'data stale.*ERR DATA-STALE'
run "$Q" -j fake@$S
expect_json "DATA-STALE json error kind" 'd["error"]["kind"] == "DATA-STALE" and d["error"]["status"] == 1'
kill -USR2 "$NUT_FAKE_PID"

# Hostile peers
nut_hostile silent
run "$Q" -t 1 dummy@127.0.0.1:$HOSTILE_PORT
expect "silent server: exit 3" 3 ""
expect_fast "silent server: ends within timeout + 1 s" 2000
expect_err "silent server: says timeout" 'timed out'
nut_hostile garbage
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT
expect "garbage: exit 3" 3 ""
expect_err "garbage: says malformed" 'expected BEGIN LIST|malformed'
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT ups.status
expect "garbage for GET VAR: exit 3" 3 ""
nut_hostile bigline
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT ups.status
expect "100 kB line: exit 3" 3 ""
expect_err "100 kB line: says too long" 'longer than'
nut_hostile midlist
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT
expect "close mid-list: exit 3, no partial output" 3 ""
expect_err "close mid-list: says closed" 'closed the connection'
run "$Q" -j -t 2 dummy@127.0.0.1:$HOSTILE_PORT
expect_json "close mid-list: json is the error document only" 'list(d) == ["target", "error"] and d["error"]["kind"] == "closed"'
nut_hostile badquote
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT ups.status
expect "unterminated quote: exit 3" 3 ""
nut_hostile wrongecho
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT ups.status
expect "reply for another variable: exit 3, nothing printed" 3 ""
expect_err "reply for another variable: says so" 'does not answer GET VAR ups\.status'
nut_hostile minimal
run "$Q" -t 2 dummy@127.0.0.1:$HOSTILE_PORT
expect "minimal server: listing works" 0 "$(printf 'battery.charge: 90\nups.status: OL')"
# ESPHome answers VER with 'VERSION "2.8.0"', has NETVER, HELP, NUMLOGINS.
run "$Q" -t 2 --server 127.0.0.1:$HOSTILE_PORT
expect "minimal (ESPHome) server: --server shows the version in VERSION \"x\"" 0 "$(printf 'version: 2.8.0\nprotocol: 1.3\nhelp: Commands: HELP VERSION NETVER STARTTLS USERNAME PASSWORD LOGIN LOGOUT LIST GET SET INSTCMD FSD UPSDVER\nnumlogins.min: 0')"
check "minimal server: --server stderr clean" test -z "$ERR"
run "$Q" -t 2 -j --server 127.0.0.1:$HOSTILE_PORT
expect_json "minimal server: --server json" 'd["version"] == "2.8.0" and d["protocol"] == "1.3" and d["numlogins"] == {"min": 0}'
run "$Q" -t 2 -v -c min@127.0.0.1:$HOSTILE_PORT
expect "minimal (ESPHome) server: -c falls back to LIST CLIENTS and reads its form" 0 "$(printf '192.0.2.7\n127.0.0.1')"
expect_err "minimal server: LIST CLIENTS sent after LIST CLIENT is refused" '^nutq: > LIST CLIENTS$'
run "$Q" -t 2 -j -c min@127.0.0.1:$HOSTILE_PORT
expect_json "minimal server: -c -j from LIST CLIENTS" 'd["clients"] == ["192.0.2.7", "127.0.0.1"]'
run "$Q" -t 2 --rw min@127.0.0.1:$HOSTILE_PORT
expect "minimal server: --rw with an empty LIST RW" 0 ""
# Names from the server that cannot be sent back (a byte not ASCII) are
# the server's malformed data (exit 3), not a usage error (exit 2).
nut_hostile badnames
BADMSG='the server sent a CMD name that cannot be sent back to it \(only printable ASCII can\): "beeper\.on\\xe9"$'
run "$Q" -t 2 --cmds min@127.0.0.1:$HOSTILE_PORT
expect "bad CMD name in LIST CMD: --cmds exits 3, prints nothing" 3 ""
expect_err "bad CMD name: the server sent it, shown escaped" "^nutq: min@127\.0\.0\.1:[0-9]+: $BADMSG"
check "bad CMD name: no usage-error wording, no raw byte" bash -c '! LC_ALL=C grep -q -e "only printable ASCII can be sent" -e $'"'"'\xe9'"'"' <<<"$1"' _ "$ERR"
run "$Q" -t 2 -j --cmds min@127.0.0.1:$HOSTILE_PORT
expect_json "bad CMD name: -j error document, status 3, kind malformed" 'd["error"]["status"] == 3 and d["error"]["kind"] == "malformed" and "beeper.on\\xe9" in d["error"]["message"]'
run "$PK_BIN/nutcmd" -t 2 -l min@127.0.0.1:$HOSTILE_PORT
expect "bad CMD name: nutcmd -l exits 3" 3 ""
expect_err "bad CMD name: nutcmd -l says the server sent it" "^nutcmd: min@127\.0\.0\.1:[0-9]+: $BADMSG"
run "$Q" -t 2 --rw min@127.0.0.1:$HOSTILE_PORT
expect "bad RW name: --rw exits 3" 3 ""
expect_err "bad RW name: shown escaped" 'sent a RW name that cannot be sent back to it .*"ups\.id\\xe9"$'
run "$PK_BIN/nutset" -t 2 -l min@127.0.0.1:$HOSTILE_PORT
expect "bad RW name: nutset -l exits 3" 3 ""
run "$Q" -t 2 --server 127.0.0.1:$HOSTILE_PORT
expect "bad UPS name: --server (NUMLOGINS per UPS) exits 3" 3 ""
expect_err "bad UPS name: --server says so" 'sent a UPS name that cannot be sent back to it .*"bad\\xe9"$'
run "$Q" -t 2 -g ups.status @127.0.0.1:$HOSTILE_PORT
expect "bad UPS name: -g over @host exits 3" 3
expect_err "bad UPS name: -g over @host says so" 'sent a UPS name that cannot be sent back'
run "$Q" -t 2 -l 127.0.0.1:$HOSTILE_PORT
expect "bad UPS name: -l only lists it (nothing sent back), escaped" 0 "$(printf 'min\nbad\\xe9')"
# A server that knows neither VER nor VERSION, and NUMATTACH, not NUMLOGINS.
nut_hostile numattach
run "$Q" -t 2 -v --server 127.0.0.1:$HOSTILE_PORT
expect "NUMATTACH server: --server falls back to UPSDVER and NUMATTACH" 0 "$(printf 'version: upsd 2.0.5\nprotocol: unknown\nhelp: unknown\nnumlogins.min: 2')"
expect_err "NUMATTACH server: VERSION tried after VER" '^nutq: > VERSION$'
expect_err "NUMATTACH server: GET NUMATTACH after the unknown NUMLOGINS" '^nutq: > GET NUMATTACH min$'
run "$Q" -t 2 -j --server 127.0.0.1:$HOSTILE_PORT
expect_json "NUMATTACH server: json count is a number" 'd["numlogins"] == {"min": 2} and d["version"] == "upsd 2.0.5"'
run "$Q" -t 2 -c min@127.0.0.1:$HOSTILE_PORT
expect "a server with neither LIST CLIENT nor LIST CLIENTS: -c exits 1, prints nothing" 1 ""
expect_err "-c names both missing lists" '^nutq: min@127\.0\.0\.1:[0-9]+: the server offers neither LIST CLIENT nor LIST CLIENTS \(server said ERR UNKNOWN-COMMAND\)$'

# Connection failures
port=$(pk_free_port)
run "$Q" dummy@127.0.0.1:$port
expect "connection refused: exit 3" 3 ""
expect_err "connection refused: says so" 'Connection refused'
run "$Q" -t 3 dummy@no-such-host.invalid
expect "unresolvable host: exit 3" 3 ""
expect_err "unresolvable host: says resolve" 'cannot resolve'
run "$Q" -j dummy@127.0.0.1:$port
expect_json "connection refused: json error" 'd["error"]["status"] == 3'

# Driver gone: DRIVER-NOT-CONNECTED (last: it stops the fake driver)
pk_kill "$NUT_FAKE_PID"
nut_wait_rc 1 "$Q" fake@$S ups.status
expect "driver gone: exit 1" 1 ""
expect_err "driver gone: own message" 'driver not connected.*ERR DRIVER-NOT-CONNECTED'
