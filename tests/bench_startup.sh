#!/bin/bash
# bench_startup.sh — the start-up part of `make bench`: what SNMPv3 (nettle,
# loaded only for an SNMPv3 user with a password) and NUT over TLS (libssl
# loaded only for --tls) cost a run that asks nothing of the network.  `pductl --version` and
# `nutq --version` of this build against the same binaries built from the
# last commit before SNMPv3 and TLS landed (the first parent of the
# oldest commit on main's first-parent line that added common/snmp/usm.c
# or common/core/tls.c), and an empty C program linked without and with
# nettle, as the README's measurement did (what linking it would cost
# every run).  hyperfine -N; the machine may
# be shared, so the fastest run is shown beside the median.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
bin=${PK_BIN:-$top/build}
runs=${STARTUP_BENCH_RUNS:-500}
dir=$(mktemp -d /tmp/pk-bench-startup.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cc=${CC:-cc}

# The empty program, alone and with nettle kept although unused (Debian's
# gcc links --as-needed, which would drop it).
printf 'int main(void) { return 0; }\n' >"$dir/empty.c"
"$cc" -O2 -o "$dir/empty" "$dir/empty.c" || exit 1
"$cc" -O2 -o "$dir/empty-nettle" "$dir/empty.c" -Wl,--no-as-needed \
	$(pkg-config --libs nettle 2>/dev/null || echo -lnettle) || exit 1

# The binaries from before SNMPv3 and TLS, when this is a git clone.
before=
if added=$(git -C "$top" log --first-parent --format=%H --diff-filter=A -- \
	common/snmp/usm.c common/core/tls.c 2>/dev/null | tail -n 1) && [ -n "$added" ]; then
	before=$(git -C "$top" rev-parse "$added^1")
	mkdir -p "$dir/src"
	if ! git -C "$top" archive "$before" | tar -x -C "$dir/src" ||
		! make -s -j2 -C "$dir/src" BUILD="$dir/old" all >"$dir/make.log" 2>&1; then
		echo "bench_startup: could not build $before; showing this build only" >&2
		before=
	fi
fi

cases=(-n "empty program" "$dir/empty" -n "empty program + nettle" "$dir/empty-nettle")
if [ -n "$before" ]; then
	cases+=(-n "pductl --version, before" "$dir/old/pductl --version")
fi
cases+=(-n "pductl --version" "$bin/pductl --version")
if [ -n "$before" ]; then
	cases+=(-n "nutq --version, before" "$dir/old/nutq --version")
fi
cases+=(-n "nutq --version" "$bin/nutq --version")
json=$dir/startup.json
hyperfine -N --warmup 20 --runs "$runs" --export-json "$json" --style none \
	--output null "${cases[@]}" >/dev/null || exit 1

echo "== start-up: no network (hyperfine -N, $runs runs each)"
[ -n "$before" ] && echo "before = $(git -C "$top" log -1 --format='%h %s' "$before" | cut -c1-90)"
python3 - "$json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda r, k: r[k] * 1000
print("| command | median ms | fastest ms |")
print("| --- | ---: | ---: |")
for name, r in res.items():
    print("| %s | %.2f | %.2f |" % (name, ms(r, "median"), ms(r, "min")))
pairs = [("empty program", "empty program + nettle", "nettle linked into an empty program"),
         ("pductl --version, before", "pductl --version", "pductl now against before"),
         ("nutq --version, before", "nutq --version", "nutq now against before")]
for a, b, what in pairs:
    if a in res and b in res:
        print("%s: %+.2f ms median, %+.2f ms fastest" %
              (what, ms(res[b], "median") - ms(res[a], "median"),
               ms(res[b], "min") - ms(res[a], "min")))
PY
