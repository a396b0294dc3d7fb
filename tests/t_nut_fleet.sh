#!/bin/bash
# t_nut_fleet.sh — nutq over many targets in one run: several operands,
# @host, --targets FILE (comments, stdin, the 0600 rule for secrets), -g,
# prefixed text, the JSON array, Prometheus with server and ups labels
# and nut_up 0 for a failed target, the exit status of the worst target,
# a dead and a black-holed server costing only their own timeout,
# --parallel, and --output written atomically.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
nut_testbed_start || { not_ok "private upsd started"; exit 1; }
Q=$PK_BIN/nutq
S=127.0.0.1:$NUT_PORT
unset NUT_USER NUT_PASSWORD
DEAD=127.0.0.1:$(pk_free_port)
nut_hostile silent
HOLE=127.0.0.1:$HOSTILE_PORT

# Several targets, text: each line prefixed with its target.
run "$Q" dummy@$S fake@$S
expect "two targets exit 0" 0
check "two targets: stderr clean" test -z "$ERR"
"$Q" dummy@$S >"$PK_TMP/dummy.txt"
"$Q" fake@$S >"$PK_TMP/fake.txt"
check "two targets: each listing as alone, prefixed 'ups@host:port: '" \
	test "$OUT" = "$( (sed "s/^/dummy@$S: /" "$PK_TMP/dummy.txt"; sed "s/^/fake@$S: /" "$PK_TMP/fake.txt"))"

run "$Q" -g ups.status -g battery.charge dummy@$S fake@$S
expect "-g over two targets: values in order, prefixed" 0 \
	"$(printf 'dummy@%s: OL CHRG\ndummy@%s: 100\nfake@%s: OL\nfake@%s: 100' "$S" "$S" "$S" "$S")"
run "$Q" -g ups.status dummy@$S
expect "-g with one target: bare value as upsc prints it" 0 "OL CHRG"
run "$Q" dummy@$S fake@$S ups.status
expect "a bare VAR after several targets is a usage error" 2 ""
expect_err "it points at -g" "^nutq: unexpected argument 'ups\.status': with several targets or -g, ask variables with -g VAR$"
run "$Q" -g ups.status dummy@$S battery.charge
expect "-g and VAR operands together: usage error" 2 ""
run "$Q" -c dummy@$S fake@$S
expect "-c with several targets: usage error" 2 ""

# @host: every UPS on that server (LIST UPS first).
run "$Q" -g device.mfr @$S
expect "@host with -g: every UPS, in LIST UPS order" 0 \
	"$(printf 'dummy@%s: Dummy\ncycle@%s: Cycle\nfake@%s: Fake' "$S" "$S" "$S")"
run "$Q" -g device.mfr dummy@$S @$S
expect "a target and @host of the same server: the target, then every UPS" 0 \
	"$(for u in dummy dummy cycle fake; do echo "$u@$S: $("$Q" $u@$S device.mfr)"; done)"
run "$Q" -g ups.status @$DEAD
expect "@host of a dead server: exit 3, nothing on stdout" 3 ""
expect_err "its error names host:port" "^nutq: $DEAD: cannot connect"

# A dead and a black-holed server cost their own timeout only.
run "$Q" -t 2 -g ups.status dummy@$S x@$DEAD y@$HOLE fake@$S
expect "dead and black-holed: the live ones still reported, exit 3" 3 \
	"$(printf 'dummy@%s: OL CHRG\nfake@%s: OL' "$S" "$S")"
expect_fast "dead and black-holed: ends within -t + 1 s" 3000
expect_err "the dead one: refused" "^nutq: x@$DEAD: .*Connection refused$"
expect_err "the black-holed one: timeout" "^nutq: y@$HOLE: timed out"
run "$Q" -t 1 --parallel 1 -g ups.status y@$HOLE dummy@$S
expect "--parallel 1: one connection at a time, still every target" 3 "dummy@$S: OL CHRG"
expect_fast "--parallel 1: the black hole's -t, then the next" 3000
run "$Q" --parallel 0 dummy@$S
expect "--parallel 0: usage error" 2 ""

# Exit status: the worst target's, 3 > 4 > 5 > 1.
run "$Q" -g ups.status dummy@$S nosuch@$S
expect "unknown UPS among good ones: exit 5" 5 "dummy@$S: OL CHRG"
expect_err "prefixed with the failed target" "^nutq: nosuch@$S: ups\.status: unknown UPS"
run "$Q" -g ups.status nosuch@$S x@$DEAD
expect "not found and cannot connect: exit 3" 3 ""

# JSON: an array of per-target documents.
run "$Q" -j dummy@$S x@$DEAD
expect "json, one dead: exit 3" 3
expect_json "json: an array, one document per target, in order" \
	'len(d) == 2 and d[0]["ups"] == "dummy" and d[0]["variables"]["battery.charge"] == 100 and d[1]["ups"] == "x"'
expect_json "json: the failed one has its own error object" \
	'd[1]["error"]["status"] == 3 and d[1]["server"] == "'"$DEAD"'" and "variables" not in d[1]'
run "$Q" -j -g ups.status -g nope.var dummy@$S fake@$S
expect "json -g: exit 5 for the missing variable" 5
expect_json "json -g: variables and errors per target" \
	'd[0]["variables"] == {"ups.status": "OL CHRG"} and d[1]["errors"]["nope.var"]["status"] == 5'

# Prometheus: server and ups labels, nut_up 0 for a failed target.
run "$Q" --format prom dummy@$S fake@$S x@$DEAD
expect "prom, one dead: exit 3 as without prom" 3
expect_out "prom: nut_up 1 with server and ups" "^nut_up\\{server=\"$S\",ups=\"dummy\"\\} 1\$"
expect_out "prom: nut_up 0 for the dead one" "^nut_up\\{server=\"$DEAD\",ups=\"x\"\\} 0\$"
expect_out "prom: every UPS under one metric" "^nut_ups_load_ratio\\{server=\"$S\",ups=\"fake\"\\} 0\\.23\$"
check "prom: no series of the dead one but nut_up" \
	test "$(grep -c "ups=\"x\"" "$PK_TMP/out")" = 1
check "prom: one TYPE per metric name" \
	test -z "$(grep '^# TYPE' "$PK_TMP/out" | sort | uniq -d)"
check "prom: every sample has server and ups" \
	test -z "$(grep -v '^#' "$PK_TMP/out" | grep -v '{server="[^"]*",ups="')"
expect_prom "prom, several targets, one dead: promtool check metrics is silent"
run "$Q" --format prom x@$DEAD
expect "prom, one target down: exit 3" 3 \
	"$(printf '# HELP nut_up 1 when the UPS answered\n# TYPE nut_up gauge\nnut_up{ups="x"} 0')"
expect_err "prom, one target down: the error on stderr" "^nutq: x@$DEAD: .*Connection refused"
expect_prom "prom, one target down: promtool check metrics is silent"
run "$Q" --format prom @$S
expect "prom of @host: exit 0" 0
expect_prom "prom of @host: promtool check metrics is silent"

# --targets FILE
cat >"$PK_TMP/fleet" <<EOF
# the rack
dummy@$S

   fake@$S   # a comment after the target
EOF
run "$Q" -g ups.status --targets "$PK_TMP/fleet"
expect "--targets: comments and blank lines skipped" 0 \
	"$(printf 'dummy@%s: OL CHRG\nfake@%s: OL' "$S" "$S")"
run bash -c '"$0" -g ups.status --targets - <"$1"' "$Q" "$PK_TMP/fleet"
expect "--targets -: read from stdin" 0 \
	"$(printf 'dummy@%s: OL CHRG\nfake@%s: OL' "$S" "$S")"
run "$Q" -g device.mfr cycle@$S --targets "$PK_TMP/fleet"
expect "--targets after operands: the operands first" 0 \
	"$(printf 'cycle@%s: Cycle\ndummy@%s: Dummy\nfake@%s: Fake' "$S" "$S" "$S")"
printf 'dummy@%s\nfake@%s colour=red\n' "$S" "$S" >"$PK_TMP/fleet2"
run "$Q" --targets "$PK_TMP/fleet2"
expect "--targets: an unknown setting is a usage error, nothing sent" 2 ""
expect_err "it names file:line and the key" "^nutq: $PK_TMP/fleet2:2: unknown setting 'colour'\$"
printf 'dummy@%s\nbad@@x\n' "$S" >"$PK_TMP/fleet3"
run "$Q" --targets "$PK_TMP/fleet3"
expect "--targets: a bad target is a usage error" 2 ""
expect_err "it names file:line" "^nutq: $PK_TMP/fleet3:2: "
printf 'dummy@%s password=s3cr3tvalue\n' "$S" >"$PK_TMP/fleet4"
chmod 644 "$PK_TMP/fleet4"
run "$Q" --targets "$PK_TMP/fleet4"
expect "--targets: a secret in a 0644 file is refused" 2 ""
expect_err "the message says the chmod" "chmod 600 $PK_TMP/fleet4"
check "the message does not show the secret" bash -c '! grep -q s3cr3t <<<"$1"' _ "$ERR"
chmod 600 "$PK_TMP/fleet4"
run "$Q" --targets "$PK_TMP/fleet4"
expect "--targets: mode 0600 passes the check (password= is no nutq setting)" 2 ""
expect_err "then the setting is named" "fleet4:1: unknown setting 'password'"
run "$Q" --targets "$PK_TMP/no-such-file"
expect "--targets: a missing file is a usage error" 2 ""
: >"$PK_TMP/empty"
run "$Q" --targets "$PK_TMP/empty"
expect "--targets: no target at all is a usage error" 2 ""

# --output: written atomically, also on failure.
OUTF=$PK_TMP/prom/ups.prom
mkdir -p "$PK_TMP/prom"
run "$Q" --format prom --output "$OUTF" dummy@$S fake@$S
expect "--output: nothing on stdout" 0 ""
check "--output: the file holds the exposition" grep -q "^nut_up{server=\"$S\",ups=\"fake\"} 1\$" "$OUTF"
check "--output: mode 0644" test "$(stat -c %a "$OUTF")" = 644
expect_prom "--output: the file passes promtool check metrics" "$OUTF"
check "--output: no temporary file left" test "$(ls -A "$PK_TMP/prom")" = ups.prom
run "$Q" --format prom --output "$OUTF" fake@$DEAD
expect "--output, server gone: exit 3, nothing on stdout" 3 ""
check "--output, server gone: the file now says nut_up 0" grep -q '^nut_up{ups="fake"} 0$' "$OUTF"
check "--output, server gone: no nut_up 1 left" bash -c '! grep -q " 1$" "$1"' _ "$OUTF"
check "--output, server gone: no temporary file left" test "$(ls -A "$PK_TMP/prom")" = ups.prom
expect_prom "--output, server gone: the file passes promtool check metrics" "$OUTF"
run "$Q" --output "$PK_TMP/no/such/dir/x" dummy@$S
expect "--output into a missing directory: exit 3" 3 ""
expect_err "it says what failed" "^nutq: output $PK_TMP/no/such/dir/x: cannot create"
run "$Q" --output "" dummy@$S
expect "--output '': usage error" 2 ""

# Atomicity: a reader polling the file during repeated runs never sees
# a partial or empty file.
"$Q" --format prom --output "$OUTF" dummy@$S fake@$S
python3 - "$OUTF" "$Q" "$S" <<'PY' >"$PK_TMP/atomic" 2>&1
import subprocess, sys, threading
path, q, server = sys.argv[1:]
stop = False
bad = []
reads = 0
def reader():
    global reads
    while not stop:
        try:
            with open(path) as f:
                text = f.read()
        except FileNotFoundError:
            bad.append("missing")
            continue
        reads += 1
        lines = text.split("\n")
        if not text.endswith("\n") or not text.startswith("# HELP nut_up") or "nut_ups_status" not in text:
            bad.append(repr(text[-80:]))
t = threading.Thread(target=reader)
t.start()
for i in range(40):
    subprocess.run([q, "--format", "prom", "--output", path, "dummy@" + server, "fake@" + server])
stop = True
t.join()
print("reads", reads, "bad", len(bad), bad[:3])
PY
check "--output: a polling reader never saw a partial or empty file ($(cat "$PK_TMP/atomic"))" \
	grep -q "^reads [1-9][0-9]* bad 0 " "$PK_TMP/atomic"

# Memory: each more target costs kilobytes, not megabytes (99 listings
# over one connection against one).
if [ -x /usr/bin/time ]; then
	many=; for _ in $(seq 33); do many="$many dummy@$S cycle@$S fake@$S"; done
	/usr/bin/time -q -f %M -o "$PK_TMP/rss1" "$Q" dummy@$S >/dev/null
	/usr/bin/time -q -f %M -o "$PK_TMP/rss99" "$Q" $many >/dev/null
	per=$(( ($(tail -n1 "$PK_TMP/rss99") - $(tail -n1 "$PK_TMP/rss1")) / 98 ))
	check "memory: $per KiB more per target (at most 64)" test "$per" -le 64
else
	ok "memory: # SKIP no /usr/bin/time (Debian package time)"
fi

# Hostile servers: two targets sharing one bad connection each fail with
# the reason, nothing hangs, the good server is still reported.
nut_hostile midlist
run "$Q" -t 2 a@127.0.0.1:$HOSTILE_PORT b@127.0.0.1:$HOSTILE_PORT -g ups.status dummy@$S
expect "close mid-list, two targets: exit 3, the good one printed" 3 "dummy@$S: OL CHRG"
expect_err "close mid-list: the first target says why" "^nutq: a@127\\.0\\.0\\.1:$HOSTILE_PORT: "
expect_err "close mid-list: the second too" "^nutq: b@127\\.0\\.0\\.1:$HOSTILE_PORT: "
expect_fast "close mid-list: ends within -t + 1 s" 3000
nut_hostile garbage
run "$Q" -t 2 a@127.0.0.1:$HOSTILE_PORT b@127.0.0.1:$HOSTILE_PORT
expect "garbage, two targets: exit 3, nothing on stdout" 3 ""
expect_err "garbage: each target says malformed" "^nutq: b@127\\.0\\.0\\.1:$HOSTILE_PORT: .*malformed"
