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
