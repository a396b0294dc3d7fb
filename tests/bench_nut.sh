#!/bin/bash
# bench_nut.sh — the NUT part of `make bench`: on the private test server,
# times nutq against upsc (full listing) and nutq with three variables
# against three upsc calls and PyNUT's GetUPSVars in a whole python
# process; then a plain query against --tls on a upsd with a certificate.
# Runs are interleaved (each round runs every contender once,
# in turn) and the table shows medians and ratios.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
trap 'pk_on_exit >/dev/null' EXIT
ROUNDS=${NUT_BENCH_ROUNDS:-200}

nut_testbed_start || { echo "bench: could not start upsd" >&2; exit 1; }
T=dummy@127.0.0.1:$NUT_PORT
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import PyNUT' 2>/dev/null ||
	{ echo "bench: needs /usr/bin/python3 with python3-nut" >&2; exit 2; }
# The outputs must agree before their timings mean anything.
cmp -s <("$PK_BIN/nutq" "$T") <(upsc "$T" 2>/dev/null) ||
	{ echo "bench: nutq and upsc disagree" >&2; exit 1; }

python3 - "$ROUNDS" "$PK_BIN/nutq" "$T" "$NUT_PORT" "$PK_TESTS" <<'PY'
import os, statistics, subprocess, sys, time
rounds, nutq, target, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sys.path.insert(0, sys.argv[5])
from maxrss import peak_kib
V = ["ups.status", "battery.charge", "battery.runtime"]
pynut = ("import PyNUT; c = PyNUT.PyNUTClient(host='127.0.0.1', port=%s); "
         "v = c.GetUPSVars('dummy'); [v[k.encode()] for k in %r]" % (port, V))
cases = [  # (group, label, [argv, ...]) — several argv = run one after the other
    ("full listing", "nutq ups@host", [[nutq, target]]),
    ("full listing", "upsc ups@host", [["upsc", target]]),
    ("three variables", "nutq ups@host v1 v2 v3", [[nutq, target] + V]),
    ("three variables", "upsc ups@host v (x3)", [["upsc", target, v] for v in V]),
    ("three variables", "PyNUT GetUPSVars (python3)", [["/usr/bin/python3", "-c", pynut]]),
]
times = {c[1]: [] for c in cases}
devnull = os.open(os.devnull, os.O_WRONLY)
for _ in range(rounds):
    for _, label, argvs in cases:
        t0 = time.perf_counter()
        for argv in argvs:
            p = subprocess.run(argv, stdout=devnull, stderr=devnull)
            if p.returncode != 0:
                sys.exit("bench: %s failed (exit %d)" % (" ".join(argv), p.returncode))
        times[label].append((time.perf_counter() - t0) * 1000)
# Peak resident memory: the largest of the processes a case runs.
peak = {label: max(peak_kib(argv)[0] for argv in argvs) for _, label, argvs in cases}
print("NUT tools on loopback, %d interleaved rounds, median wall-clock ms per run;"
      " peak RSS of one run (GNU time)" % rounds)
print("| %-16s | %-28s | %9s | %7s | %13s |" % ("case", "command", "median ms", "vs nutq", "peak RSS KiB"))
print("|%s|%s|%s|%s|%s|" % ("-" * 18, "-" * 30, "-" * 11, "-" * 9, "-" * 15))
base = {}
for group, label, _ in cases:
    med = statistics.median(times[label])
    base.setdefault(group, med)
    ratio = "1.0x" if med == base[group] else "%.1fx" % (med / base[group])
    print("| %-16s | %-28s | %9.2f | %7s | %13d |" % (group, label, med, ratio, peak[label]))
full = statistics.median(times["upsc ups@host"]) / statistics.median(times["nutq ups@host"])
print("full listing: nutq is %.1fx faster than upsc (target: at least 20x)" % full)
PY

# TLS: the same binary's plain query (no libssl mapped) against --tls on
# a second upsd that has a certificate; the first table's upsc stays on a
# server without one, since upsc negotiates TLS whenever it is offered.
NUT_TB_TLS=1 nut_testbed_start || { echo "bench: could not start upsd with TLS" >&2; exit 1; }
python3 - "$ROUNDS" "$PK_BIN/nutq" "dummy@127.0.0.1:$NUT_PORT" "$NUT_DIR/tls/ca.pem" <<'PY'
import os, statistics, subprocess, sys, time
rounds, nutq, target, ca = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cases = [
    ("nutq ups@host ups.status", [nutq, target, "ups.status"]),
    ("nutq --tls --cafile ... (same)", [nutq, "--tls", "--cafile", ca, target, "ups.status"]),
]
times = {c[0]: [] for c in cases}
devnull = os.open(os.devnull, os.O_WRONLY)
for _ in range(rounds):
    for label, argv in cases:
        t0 = time.perf_counter()
        p = subprocess.run(argv, stdout=devnull, stderr=devnull)
        if p.returncode != 0:
            sys.exit("bench: %s failed (exit %d)" % (" ".join(argv), p.returncode))
        times[label].append((time.perf_counter() - t0) * 1000)
print()
print("NUT over TLS (upsd with a certificate), %d interleaved rounds, median ms" % rounds)
print("| %-30s | %9s | %7s |" % ("command", "median ms", "vs plain"))
print("|%s|%s|%s|" % ("-" * 32, "-" * 11, "-" * 9))
base = statistics.median(times[cases[0][0]])
for label, _ in cases:
    med = statistics.median(times[label])
    print("| %-30s | %9.2f | %7s |" % (label, med, "%.1fx" % (med / base)))
PY
