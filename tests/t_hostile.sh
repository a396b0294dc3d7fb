#!/bin/bash
# Hostile peers (issue 11): device strings are data, malformed data and
# write errors exit 3, credentials are checked before anything is sent,
# memory is bounded, sessions end politely.  The peers are scripted fakes
# (tests/peers/fakepeer.py with a script per case).
. "$(dirname "$0")/lib.sh"

Q=$PK_BIN/nutq
W=$PK_BIN/wattctl
export WATTBOX_PASSWORD=s3cret
PEERS=$PK_TESTS/peers

# peer_start SCRIPT [ARG]: starts fakepeer.py with tests/peers/SCRIPT.py;
# sets PEER_PORT and PEER_LOG (every line the peer received).
peer_start() {
	PEER_LOG=$PK_TMP/peer-$1-${2:-}.log
	pk_start_listener "peer-$1-${2:-}" python3 "$PEERS/fakepeer.py" "$PEERS/$1.py" "$PEER_LOG" "${2:-}"
	PEER_PORT=$LISTEN_PORT
	[ -n "$PEER_PORT" ]
}

# valid_prom: stdout is an exposition the Prometheus text parser takes
# (checked here with the rules node_exporter's parser enforces: UTF-8,
# one HELP/TYPE per family, families contiguous, series unique, names
# and escapes valid).
valid_prom() {
	printf '%s\n' "$OUT" | python3 -c '
import re, sys
data = sys.stdin.buffer.read()
text = data.decode("utf-8")            # raises on invalid UTF-8
name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
label = r"[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\n]|\\\\[\\\\\"n])*\""
sample = re.compile(r"^(" + name + r")(\{" + label + r"(," + label + r")*\})? [^ ]+$")
help_re = re.compile(r"^# HELP (" + name + r") (?:[^\\\\\n]|\\\\[\\\\n])*$")
type_re = re.compile(r"^# TYPE (" + name + r") (gauge|counter|untyped)$")
seen_fam, done_fam, series, cur = set(), set(), set(), None
for line in text.splitlines():
    m = help_re.match(line) or type_re.match(line)
    if line.startswith("# "):
        assert m, "bad header: %r" % line
        fam = m.group(1)
        key = (line[2:6], fam)
        assert key not in seen_fam, "repeated header: %r" % line
        seen_fam.add(key)
    else:
        m = sample.match(line)
        assert m, "bad sample: %r" % line
        fam = m.group(1)
        s = line.rsplit(" ", 1)[0]
        assert s not in series, "repeated series: %r" % s
        series.add(s)
    if fam != cur:
        assert fam not in done_fam, "family split: %r" % fam
        if cur is not None:
            done_fam.add(cur)
        cur = fam
' 2>"$PK_TMP/promerr"
}

expect_prom() {
	if valid_prom; then ok "$1"; else not_ok "$1"; pk_show; sed 's/^/#   /' "$PK_TMP/promerr"; fi
}

# expect_no_control DESC: stdout and stderr carry no control byte but
# newline (and TAB where allowed: $2 = tab).
expect_no_control() {
	local allow='\n'
	[ "${2:-}" = tab ] && allow='\n\t'
	if printf '%s%s' "$OUT" "$ERR" | LC_ALL=C tr -d "$allow" | LC_ALL=C grep -q '[[:cntrl:]]'; then
		not_ok "$1 (a control byte reached the terminal)"; pk_show
	else
		ok "$1"
	fi
}

# ---- defect 2: Prometheus output stays valid --------------------------------
peer_start nut_devdata
run "$Q" --format prom ups@127.0.0.1:$PEER_PORT
expect "prom from hostile device data: exit 0" 0
expect_prom "prom from hostile device data: valid exposition (UTF-8, one HELP, unique series)"
expect_out "prom: invalid UTF-8 in a label value becomes U+FFFD" 'mfr="caf'$'\xef\xbf\xbd''"'
expect_out "prom: the first of a repeated variable is kept" '^nut_battery_charge_ratio\{ups="ups"\} 0\.9$'
expect_err "prom: a repeated series is a warning" '^nutq: ups@127\.0\.0\.1:[0-9]+: the device repeated 1 series; the first of each is kept \(nut_battery_charge_ratio\{ups="ups"\}\)$'

# ---- defect 3: JSON is valid UTF-8, one key per name -------------------------
run "$Q" -j ups@127.0.0.1:$PEER_PORT
expect "json from hostile device data: exit 0" 0
expect_json "json: valid UTF-8, invalid bytes as U+FFFD" 'd["variables"]["device.mfr"] == "caf\ufffd"'
expect_json "json: one key per name, the first value" 'd["variables"]["battery.charge"] == 90'
expect_json "json: controls kept as data" 'd["variables"]["device.model"] == "PDU41008\x1b[2J"'
run "$Q" -j ups@127.0.0.1:$PEER_PORT battery.voltage
expect_json "json: an ERR with control bytes is carried as data" \
	'"ERR \x1b]0;pwned\x07\x1b[2J" in d["errors"]["battery.voltage"]["message"]'

# ---- defect 4: device strings never reach the terminal raw ------------------
run "$Q" ups@127.0.0.1:$PEER_PORT
expect "text listing of hostile data: exit 0" 0
expect_no_control "text listing: no control byte on stdout" tab
expect_out "text listing: ESC shown as \\e" '^device\.model: PDU41008\\e\[2J$'
expect_out "text listing: stray byte shown as \\xNN" '^device\.mfr: caf\\xe9$'
expect_out "text listing: BEL shown as \\a" '^ups\.id: a	b\\e\]0;title\\a$'
run "$Q" ups@127.0.0.1:$PEER_PORT battery.voltage
expect "ERR with control bytes: exit 1 (an error word the server chose)" 1 ""
expect_no_control "ERR with control bytes: stderr escaped"
expect_err "ERR word shown escaped" '\\e\]0;pwned\\a\\e\[2J'

peer_start wb_telnet names
run "$W" -t 5 127.0.0.1:$PEER_PORT status
expect "wattctl status with hostile names: exit 0" 0
expect_no_control "wattctl status: no control byte, TAB only between fields" tab
check "wattctl status: a TAB in a name adds no column" \
	bash -c 'printf "%s\n" "$1" | awk -F"\t" "NF != 6 { exit 1 }"' _ "$OUT"
expect_out "wattctl status: the TAB in a name shown as \\t" $'^1\ton\t12.50\t0.50\t120.00\tAmp\\\\tRack$'
run "$W" -t 5 127.0.0.1:$PEER_PORT info
expect_no_control "wattctl info: host name escaped"
expect_out "wattctl info: ESC shown as \\e" '^hostname: Rack\\e\[2J$'

# ---- defect 1: readings are finite decimals -----------------------------------
for bad in 1e300 -inf nan 0x10 inf 1.5e3 99999999999999999999999; do
	peer_start wb_telnet "reading=$bad"
	run "$W" -t 5 --format prom 127.0.0.1:$PEER_PORT status
	expect "wattctl: reading '$bad' is malformed: exit 3" 3
	expect_err "wattctl: reading '$bad' named as malformed" "malformed .*'1,$bad,"
	check "wattctl: reading '$bad': the exposition says only wattbox_up 0" \
		bash -c '[ "$(printf "%s\n" "$1" | grep -v "^#")" = "wattbox_up{server=\"127.0.0.1:$2\"} 0" ]' _ "$OUT" "$PEER_PORT"
done
peer_start wb_telnet "reading=1000000000000"
run "$W" -t 5 --format prom 127.0.0.1:$PEER_PORT status
expect "wattctl: a large finite reading is printed" 0
expect_out "wattctl: a large whole reading has no decimals" '^wattbox_outlet_power_watts\{.*outlet="1".*\} 1000000000000$'

# ---- defects 8 and 10: credentials checked before anything is sent ----------
peer_start wb_telnet names
WB=127.0.0.1:$PEER_PORT
# no_contact DESC: the peer never saw a connection.
no_contact() { check "$1: nothing reached the peer" test ! -s "$PEER_LOG"; }
run "$W" -p $'s3cret\n!OutletSet=6,OFF' "$WB" info
expect "wattctl: LF in -p: exit 2" 2 ""
expect_err "wattctl: LF in -p: says why" 'password holds a line break or NUL byte .*nothing was sent'
run "$W" -u $'wattbox\r!OutletSet=6,OFF' "$WB" info
expect "wattctl: CR in -u: exit 2" 2 ""
expect_err "wattctl: CR in -u: names the user name" 'user name holds a line break'
run env WATTBOX_USER=$'a\nb' "$W" "$WB" info
expect "wattctl: LF in WATTBOX_USER: exit 2" 2 ""
run env WATTBOX_PASSWORD=$'a\rb' "$W" "$WB" info
expect "wattctl: CR in WATTBOX_PASSWORD: exit 2" 2 ""
expect_err "wattctl: CR in WATTBOX_PASSWORD: names the variable" 'WATTBOX_PASSWORD holds a line break'
printf 'ab\0cd\n' >"$PK_TMP/nul.pw"; chmod 600 "$PK_TMP/nul.pw"
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/nul.pw" "$WB" info
expect "wattctl: NUL in a password file: exit 2" 2 ""
run "$W" -p "$(printf 'x%.0s' $(seq 256))" "$WB" info
expect "wattctl: a 256-byte password: exit 2, not cut" 2 ""
expect_err "wattctl: a 256-byte password: the limit stated" 'password is 256 bytes long; the limit is 255'
no_contact "wattctl credential checks"
run "$PK_BIN/nutcmd" -u admin -p $'x\nINSTCMD ups beeper.off' ups@"$WB" beeper.on
expect "nutcmd: LF in -p: exit 2" 2 ""
run "$PK_BIN/nutset" -u $'ad\nmin' -p x ups@"$WB" ups.id=1
expect "nutset: LF in -u: exit 2" 2 ""
run "$PK_BIN/nutcmd" -u admin -p "$(printf 'x%.0s' $(seq 512))" ups@"$WB" beeper.on
expect "nutcmd: a 512-byte password: exit 2" 2 ""
expect_err "nutcmd: a 512-byte password: the limit stated" 'password is 512 bytes long; the limit is 511'
no_contact "NUT credential checks"

# ---- defect 11: password files ----------------------------------------------
printf 's3cret\n' >"$PK_TMP/open.pw"; chmod 644 "$PK_TMP/open.pw"
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/open.pw" "$WB" info
expect "password file readable by others: exit 2" 2 ""
expect_err "password file readable by others: gives the chmod" "is accessible by others \\(mode 0644\\); run: chmod o-rw $PK_TMP/open.pw"
chmod 602 "$PK_TMP/open.pw"
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/open.pw" "$WB" info
expect "password file writable by others: exit 2" 2 ""
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP" "$WB" info
expect "password file that is a directory: exit 2" 2 ""
expect_err "password file that is a directory: says so" 'is a directory'
: >"$PK_TMP/empty.pw"; chmod 600 "$PK_TMP/empty.pw"
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/empty.pw" "$WB" info
expect "empty password file: exit 2" 2 ""
expect_err "empty password file: says so" 'is empty'
no_contact "refused password files"
chmod 640 "$PK_TMP/open.pw"
run env -u WATTBOX_PASSWORD "$W" --password-file "$PK_TMP/open.pw" "$WB" info
expect "password file with group read (0640): accepted" 0

# ---- defect 7: a signal at the password prompt leaves the terminal as it was --
# prompt_signal SIG CMD...: runs CMD on a new pseudo-terminal, waits for
# its password prompt, sends SIG (INT: a typed ^C); prints the echo flag
# of the terminal afterwards and how the program ended.
prompt_signal() {
	python3 - "$@" <<'PY'
import fcntl, os, signal, subprocess, sys, termios, time
sig = sys.argv[1]
master, slave = os.openpty()
def ctty():
    os.setsid()
    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
p = subprocess.Popen(sys.argv[2:], stdin=slave, stdout=slave, stderr=slave,
                     preexec_fn=ctty, env={k: v for k, v in os.environ.items()
                                           if k not in ("WATTBOX_PASSWORD", "NUT_PASSWORD")})
seen, end = b"", time.time() + 5
while b"assword" not in seen and time.time() < end:
    seen += os.read(master, 4096)
time.sleep(0.2)
echo_during = termios.tcgetattr(slave)[3] & termios.ECHO
if sig == "INT":
    os.write(master, b"\x03")
else:
    p.send_signal(getattr(signal, "SIG" + sig))
rc = p.wait(5)
echo_after = termios.tcgetattr(slave)[3] & termios.ECHO
print("during=%s after=%s rc=%s" % ("on" if echo_during else "off", "on" if echo_after else "off", rc))
PY
}
for sig in INT TERM HUP; do
	out=$(prompt_signal $sig "$W" "$WB" info)
	check "wattctl: SIG$sig at the prompt restores echo ($out)" test "${out% rc=*}" = "during=off after=on"
done
out=$(prompt_signal INT "$PK_BIN/nutcmd" -u admin ups@"$WB" beeper.on)
check "nutcmd: ^C at the prompt restores echo ($out)" test "$out" = "during=off after=on rc=-2"
out=$(prompt_signal INT "$PK_BIN/nutset" -u admin ups@"$WB" ups.id=1)
check "nutset: ^C at the prompt restores echo ($out)" test "$out" = "during=off after=on rc=-2"

# ---- defect 9: a list reply has a line and byte budget ----------------------
# peak_run CMD...: like run, and PEAK gets the command's peak RSS in KiB.
peak_run() {
	local t0 t1
	t0=$(date +%s%N)
	PEAK=$(python3 -c '
import resource, subprocess, sys
with open(sys.argv[1], "wb") as out, open(sys.argv[2], "wb") as err:
    rc = subprocess.call(sys.argv[4:], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
open(sys.argv[3], "w").write(str(rc))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
		"$PK_TMP/out" "$PK_TMP/err" "$PK_TMP/rc" "$@")
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	RC=$(cat "$PK_TMP/rc")
	OUT=$(cat "$PK_TMP/out")
	ERR=$(cat "$PK_TMP/err")
	LAST_CMD="$*"
}
for pace in fast slow; do
	peer_start nut_endless $pace
	peak_run "$Q" -t 10 ups@127.0.0.1:$PEER_PORT
	expect "endless LIST VAR ($pace): exit 3" 3 ""
	expect_err "endless LIST VAR ($pace): the line budget named" \
		"^nutq: ups@127\.0\.0\.1:$PEER_PORT: 127\.0\.0\.1:$PEER_PORT sent a list longer than 50000 lines$"
	check "endless LIST VAR ($pace): peak RSS bounded (${PEAK} KiB < 64 MiB)" test "$PEAK" -lt 65536
	expect_fast "endless LIST VAR ($pace): ends within -t + 1 s" 11000
done
peer_start nut_endless slow
run "$Q" -t 10 ups@127.0.0.1:$PEER_PORT @127.0.0.1:$PEER_PORT
expect "endless lists for two targets on one connection: exit 3" 3 ""
check "endless lists, two targets: each fails with the budget, not with the rest of the first list" \
	test "$(printf '%s\n' "$ERR" | grep -c 'sent a list longer than 50000 lines$')" = 2
peer_start nut_endless wide
peak_run "$Q" -t 10 ups@127.0.0.1:$PEER_PORT
expect "endless list of long lines: exit 3" 3 ""
expect_err "endless list of long lines: the byte budget named" \
	"^nutq: ups@127\.0\.0\.1:$PEER_PORT: 127\.0\.0\.1:$PEER_PORT sent a list larger than 4194304 bytes$"
check "endless list of long lines: peak RSS bounded (${PEAK} KiB < 64 MiB)" test "$PEAK" -lt 65536
peer_start nut_endless fast
for mode in --rw --cmds; do
	run "$Q" -t 10 $mode ups@127.0.0.1:$PEER_PORT
	expect "endless list for nutq $mode: exit 3" 3 ""
	expect_err "endless list for nutq $mode: the budget named" 'sent a list longer than 50000 lines$'
done
run "$Q" -t 10 -l 127.0.0.1:$PEER_PORT
expect "endless LIST UPS: exit 3" 3 ""
expect_err "endless LIST UPS: the budget named" 'sent a list longer than 50000 lines$'
peer_start wb_telnet flood
peak_run "$W" -t 10 127.0.0.1:$PEER_PORT status
expect "wattctl: a device that floods unsolicited lines: exit 3" 3 ""
expect_err "wattctl: a flood: the session's byte budget named" \
	"^wattctl: 127\.0\.0\.1:$PEER_PORT: device sent more than 1048576 bytes in one session$"
check "wattctl: a flood: peak RSS bounded (${PEAK} KiB < 64 MiB)" test "$PEAK" -lt 65536

# ---- defect 12: SIGINT and SIGTERM end sessions politely -------------------
# stop_mid_session SIG AFTER_LINE CMD...: runs CMD, sends SIG once the peer
# has logged AFTER_LINE (the session is under way), waits for the end;
# prints "rc=RC ms=MS" (RC as Python reports it: -15 is killed by
# SIGTERM; MS from the signal to the end) and leaves stderr in $PK_TMP/err.
stop_mid_session() {
	python3 - "$PEER_LOG" "$@" <<'PY' 2>"$PK_TMP/err"
import os, signal, subprocess, sys, time
log, sig, after, argv = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4:]
p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
end = time.time() + 5
while time.time() < end and after not in open(log, "rb").read().split(b"\n"):
    time.sleep(0.05)
time.sleep(0.2)
t0 = time.time()
p.send_signal(getattr(signal, "SIG" + sig))
rc = p.wait(5)
print("rc=%d ms=%d" % (rc, (time.time() - t0) * 1000))
PY
}
# said_last LINE: the peer logged LINE, and nothing after it but the close
# (or a reset: the client may close before the peer's goodbye arrives).
said_last() {
	local i
	for i in $(seq 20); do grep -Eq '^<(closed|reset)>$' "$PEER_LOG" && break; sleep 0.05; done
	[ "$(grep -Ev '^<(closed|reset)>$' "$PEER_LOG" | tail -1)" = "$1" ]
}
for sig in TERM INT; do
	peer_start wb_telnet hang
	out=$(stop_mid_session $sig '?OutletName' "$W" -t 10 127.0.0.1:$PEER_PORT status)
	want=-15; [ $sig = INT ] && want=-2
	check "wattctl: SIG$sig mid-session: ends by the signal ($out)" test "${out%% *}" = "rc=$want"
	check "wattctl: SIG$sig mid-session: within 1 s ($out)" test "${out##*ms=}" -lt 1000
	check "wattctl: SIG$sig mid-session: !Exit sent before the close" said_last '!Exit'
	check "wattctl: SIG$sig mid-session: says it was stopped" \
		grep -qx "wattctl: 127\.0\.0\.1:$PEER_PORT: stopped by SIG$sig" "$PK_TMP/err"
done
peer_start nut_hang silent
out=$(stop_mid_session TERM 'GET VAR ups ups.status' "$Q" -t 10 ups@127.0.0.1:$PEER_PORT ups.status)
check "nutq: SIGTERM mid-request: ends by the signal within 1 s ($out)" \
	bash -c '[ "${1%% *}" = rc=-15 ] && [ "${1##*ms=}" -lt 1000 ]' _ "$out"
check "nutq: SIGTERM mid-request: LOGOUT sent before the close" said_last LOGOUT
check "nutq: SIGTERM mid-request: says it was stopped" \
	grep -qx "nutq: ups@127\.0\.0\.1:$PEER_PORT: stopped by SIGTERM" "$PK_TMP/err"
peer_start nut_hang pending
out=$(stop_mid_session INT 'GET TRACKING 1bd31808-cb49-4aec-9d75-d056e6f018d2' \
	env NUT_PASSWORD=x "$PK_BIN/nutcmd" -t 10 -u admin ups@127.0.0.1:$PEER_PORT beeper.on)
check "nutcmd: ^C while the result is PENDING: ends by the signal within 1 s ($out)" \
	bash -c '[ "${1%% *}" = rc=-2 ] && [ "${1##*ms=}" -lt 1000 ]' _ "$out"
check "nutcmd: ^C while PENDING: LOGOUT sent before the close" said_last LOGOUT

# ---- defect 13: --proto http never writes to a peer that speaks first ------
peer_start wb_telnet names
run "$W" --proto http -t 5 127.0.0.1:$PEER_PORT status
expect "wattctl --proto http at a telnet port: exit 3" 3 ""
expect_err "wattctl --proto http at a telnet port: says so" \
	"^wattctl: 127\.0\.0\.1:$PEER_PORT: the device spoke first \('Please Login to Continue\\\\nUsername: '\): this looks like the telnet port, not the HTTP API; nothing was sent$"
check "wattctl --proto http at a telnet port: not one byte reached it" \
	bash -c '! grep -qv "^<closed>$\|^<reset>$" "$1"' _ "$PEER_LOG"
