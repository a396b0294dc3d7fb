#!/bin/sh
# demo.sh BUILD_DIR — the tour: each tool's part is tests/demo_<part>.sh,
# run in name order; each starts its own simulated peer and stops it.
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$(dirname "$here")/$build" ;; esac
export PK_BIN="$build"
rc=0
for part in "$here"/demo_*.sh; do
	[ -f "$part" ] || continue
	bash "$part" || rc=1
done
exit $rc
