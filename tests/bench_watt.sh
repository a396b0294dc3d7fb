#!/bin/bash
# bench_watt.sh — the wattctl part of `make bench`: time for `status` of a
# 12-outlet unit and the protocol round trips it takes, per transport,
# against the simulator (no pushes, no cut writes, so the numbers are the
# client's and the protocol's).
here=$(cd "$(dirname "$0")" && pwd)
bin=${PK_BIN:-$(dirname "$here")/build}
runs=${WATT_BENCH_RUNS:-20}
tmp=$(mktemp -d /tmp/pk-watt-bench.XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export WATTBOX_PASSWORD=s3cret

start() {  # NAME ARGS...: prints the port
	mkdir -p "$tmp/$1"
	python3 "$here/wattbox/wbsim.py" --state "$tmp/$1" --chop 0 "${@:2}" >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 100); do [ -f "$tmp/$1/port" ] && break; sleep 0.05; done
}

# bench NAME PROTO: median and mean wall time of `status`, and round trips.
bench() {
	local port ms=() i t0 t1 lines
	port=$(cat "$tmp/$1/port")
	: >"$tmp/$1/log"
	for ((i = 0; i < runs; i++)); do
		t0=$(date +%s%N)
		"$bin/wattctl" --proto "$2" "127.0.0.1:$port" status >/dev/null || return 1
		t1=$(date +%s%N)
		ms+=($(((t1 - t0) / 1000)))
	done
	# Requests the simulator received for one run (!Exit is not a round trip).
	if [ "$2" = http ]; then
		lines=$(grep -c '^http GET' "$tmp/$1/log")
	else
		lines=$(grep -c ' < ?' "$tmp/$1/log")
	fi
	rss=$(python3 "$here/maxrss.py" 3 "$bin/wattctl" --proto "$2" "127.0.0.1:$port" status) || return 1
	printf '%s\n' "${ms[@]}" | sort -n | awk -v p="$2" -v rt=$((lines / runs)) -v rss="$rss" '
		{ v[NR] = $1; s += $1 }
		END { printf "%-8s %10.1f %10.1f %10.1f %12d %13d\n", p, v[int((NR + 1) / 2)] / 1000, s / NR / 1000, v[NR] / 1000, rt, rss }'
}

start telnet
start http --http --names 'A|B|C|D|E|F|G|H|I|J|K|L'
echo "== wattctl status, 12-outlet unit, $runs runs each (simulator on loopback)"
printf '%-8s %10s %10s %10s %12s %13s\n' proto "median ms" "mean ms" "max ms" "round trips" "peak RSS KiB"
bench telnet telnet || exit 1
bench http http || exit 1
echo "telnet: ?OutletName + ?OutletStatus + one ?OutletPowerStatus=N per outlet (2 + 12);"
echo "http: one GET /wattbox_info.xml (no per-outlet metering in that API)."
echo "telnet time includes the simulator's deliberate 50 ms pause before its Username: prompt."
