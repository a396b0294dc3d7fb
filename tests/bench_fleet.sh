#!/bin/bash
# bench_fleet.sh — the fleet part of `make bench`: 100 UPSes over 4 local
# upsd instances (dummy-ups), 16 simulated PDUs (snmpd) and 8 simulated
# WattBoxes (over telnet, and over SSH through the suite's libssh server),
# read at once by one process against one device, a shell loop of upsc,
# a loop of check_ups, and the same fleet with one black-holed server.
# Runs are interleaved; the table shows medians, ratios and peak memory.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
. "$PK_TESTS/nut/fleet.sh"
. "$PK_TESTS/wattbox/wb.sh"
trap 'pk_on_exit >/dev/null' EXIT
ROUNDS=${FLEET_BENCH_ROUNDS:-15}
CHECK_UPS=/usr/lib/nagios/plugins/check_ups
[ -x "$CHECK_UPS" ] || CHECK_UPS=${PK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/powerkit}/monitoring-plugins-basic$CHECK_UPS
bin=$PK_BIN

nut_fleet_start 4 25 || { echo "bench_fleet: the UPS fleet did not start" >&2; exit 1; }
[ -x "$CHECK_UPS" ] || { echo "bench_fleet: needs $CHECK_UPS (monitoring-plugins-standard)" >&2; exit 2; }

# A server that accepts connections and never answers (black hole).
nut_hostile silent || { echo "bench_fleet: the silent server did not start" >&2; exit 1; }
hole_port=$HOSTILE_PORT
holed=$PK_TMP/holed
{ head -n 99 "$NUT_FLEET"; echo "ups1@127.0.0.1:$hole_port"; } >"$holed"

# 16 simulated PDUs, one snmpd each.
pdus=
for i in $(seq 16); do
	port=$(pk_free_port udp)
	sh "$PK_TESTS/snmp/agent.sh" start "$PK_TMP/pdu$i" cyberpower "$port" || exit 1
	pk_cleanup "sh '$PK_TESTS/snmp/agent.sh' stop '$PK_TMP/pdu$i'"
	pdus="$pdus 127.0.0.1:$port"
done
first_pdu=${pdus%% 127*}; first_pdu=${first_pdu# }

# 8 simulated WattBoxes over telnet and 8 over SSH (no pushes, no cut
# writes: the numbers are the client's and the protocol's); the SSH host
# keys are recorded first, in a HOME of the bench's own.
wb_build_sshd 2>"$PK_TMP/cc.err" || { cat "$PK_TMP/cc.err" >&2; exit 1; }
ssh-keygen -q -t ed25519 -N '' -f "$PK_TMP/hostkey"
export HOME=$PK_TMP/home
mkdir -p "$HOME"
wb_units= wb_ssh_units=
for i in $(seq 8); do
	wb_start "wb$i" --chop 0
	wb_units="$wb_units 127.0.0.1:$WB_PORT"
	wb_ssh_start "wbssh$i" "$PK_TMP/hostkey" --chop 0
	wb_ssh_units="$wb_ssh_units 127.0.0.1:$SSH_PORT"
done
# shellcheck disable=SC2086
"$W" --proto ssh --accept-new-hostkey $wb_ssh_units status >/dev/null ||
	{ echo "bench_fleet: the SSH WattBoxes did not answer" >&2; exit 1; }

one=$(head -n1 "$NUT_FLEET")
# Same answers first: the fleet run reads what upsc reads.
[ "$("$bin/nutq" "$one" ups.status)" = "$(upsc "$one" ups.status 2>/dev/null)" ] ||
	{ echo "bench_fleet: nutq and upsc disagree" >&2; exit 1; }
"$bin/nutq" --check --targets "$NUT_FLEET" >/dev/null ||
	{ echo "bench_fleet: nutq --check of the fleet is not OK" >&2; exit 1; }

upsc_loop="for t in \$(cat $NUT_FLEET); do upsc \$t >/dev/null 2>&1; done"
check_loop="while IFS=@ read -r u hp; do $CHECK_UPS -H \${hp%:*} -p \${hp#*:} -u \$u >/dev/null; done <$NUT_FLEET"
python3 - "$ROUNDS" "$PK_TESTS" <<PY
import os, statistics, subprocess, sys, time
rounds = int(sys.argv[1]); sys.path.insert(0, sys.argv[2])
from maxrss import peak_kib
bin, fleet, holed, one = "$bin", "$NUT_FLEET", "$holed", "$one"
pdus = "$pdus".split()
wbs, wb_sshs = "$wb_units".split(), "$wb_ssh_units".split()
cases = [  # (label, argv, expected exit codes)
    ("nutq --check, 1 UPS", [bin + "/nutq", "--check", one], (0,)),
    ("nutq --check, 100 UPSes (4 servers)", [bin + "/nutq", "--check", "--targets", fleet], (0,)),
    ("nutq, 100 UPSes, full listings", [bin + "/nutq", "--targets", fleet], (0,)),
    ("upsc loop, 100 UPSes", ["bash", "-c", """$upsc_loop"""], (0,)),
    ("check_ups loop, 100 UPSes", ["bash", "-c", """$check_loop"""], (0,)),
    ("nutq --check, 99 UPSes + 1 black hole, -t 2", [bin + "/nutq", "--check", "-t", "2", "--targets", holed], (3,)),
    ("pductl status, 1 PDU", [bin + "/pductl", pdus[0], "status"], (0,)),
    ("pductl status, 16 PDUs", [bin + "/pductl"] + pdus + ["status"], (0,)),
    ("wattctl status, 1 unit", [bin + "/wattctl", wbs[0], "status"], (0,)),
    ("wattctl status, 8 units", [bin + "/wattctl"] + wbs + ["status"], (0,)),
    ("wattctl --proto ssh status, 1 unit", [bin + "/wattctl", "--proto", "ssh", wb_sshs[0], "status"], (0,)),
    ("wattctl --proto ssh status, 8 units", [bin + "/wattctl", "--proto", "ssh"] + wb_sshs + ["status"], (0,)),
]
times = {c[0]: [] for c in cases}
null = os.open(os.devnull, os.O_WRONLY)
for r in range(rounds):
    for label, argv, codes in cases:
        if r > 2 and "black hole" in label:
            continue  # three runs are enough for a case that waits -t
        t0 = time.perf_counter()
        rc = subprocess.call(argv, stdout=null, stderr=null)
        times[label].append((time.perf_counter() - t0) * 1000)
        if rc not in codes:
            sys.exit("bench_fleet: %s exited %d" % (label, rc))
peak = {label: peak_kib(argv)[0] for label, argv, _ in cases if argv[0] != "bash"}
med = {k: statistics.median(v) for k, v in times.items()}
print("== the fleet: 100 UPSes over 4 upsd (dummy-ups), 16 PDUs (snmpd) and 8 WattBoxes"
      " (simulated; telnet, and SSH through the suite's libssh server), loopback;"
      " %d interleaved rounds, median wall-clock ms, peak RSS of one run" % rounds)
print("| case | median ms | peak RSS KiB |")
print("| --- | ---: | ---: |")
for label, _, _ in cases:
    print("| %s | %.1f | %s |" % (label, med[label], peak.get(label, "-")))
c1, c100 = med["nutq --check, 1 UPS"], med["nutq --check, 100 UPSes (4 servers)"]
print("100 UPSes take %.1fx the time of one (target: within 3x)" % (c100 / c1))
print("nutq --check of 100 is %.0fx faster than the upsc loop (target: at least 50x)"
      % (med["upsc loop, 100 UPSes"] / c100))
print("nutq --check of 100 is %.0fx faster than the check_ups loop" % (med["check_ups loop, 100 UPSes"] / c100))
print("one black-holed server: the run takes %.0f ms with -t 2 (target: -t, not N x -t)"
      % med["nutq --check, 99 UPSes + 1 black hole, -t 2"])
print("pductl status of 16 PDUs takes %.1fx the time of one"
      % (med["pductl status, 16 PDUs"] / med["pductl status, 1 PDU"]))
print("wattctl status of 8 units takes %.1fx the time of one (telnet)"
      % (med["wattctl status, 8 units"] / med["wattctl status, 1 unit"]))
print("wattctl status of 8 units takes %.1fx the time of one (SSH)"
      % (med["wattctl --proto ssh status, 8 units"] / med["wattctl --proto ssh status, 1 unit"]))
m1 = peak["nutq --check, 1 UPS"]; m100 = peak["nutq --check, 100 UPSes (4 servers)"]
print("memory: %.1f KiB more per UPS (%d KiB for 1, %d KiB for 100)" % ((m100 - m1) / 99.0, m1, m100))
PY
