#!/bin/sh
# bench.sh BUILD_DIR — benchmarks side by side with the tools replaced;
# each tool's part is tests/bench_<part>.sh and prints its own table.
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$(dirname "$here")/$build" ;; esac
export PK_BIN="$build"
rc=0
for part in "$here"/bench_*.sh; do
	[ -f "$part" ] || continue
	bash "$part" || rc=1
done
exit $rc
