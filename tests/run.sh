#!/bin/sh
# run.sh BUILD_DIR... — runs every unit test binary (BUILD/unit/test_*) and
# every integration script (tests/t_*.sh) once per build directory, counts
# TAP "ok"/"not ok" lines and ends with "N passed, N failed".
# A sanitizer report anywhere fails the run.
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
passed=0
failed=0
san_dir=$(mktemp -d /tmp/pk-san.XXXXXX)
export ASAN_OPTIONS="log_path=$san_dir/asan:exitcode=86:detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="log_path=$san_dir/ubsan:halt_on_error=1:print_stacktrace=1"

count() {  # name logfile rc
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $1 exited $3 without reporting a failure"
		f=1
	fi
	grep '^not ok \|^#' "$2" | head -40
	passed=$((passed + p))
	failed=$((failed + f))
	printf '%-40s %4d passed %4d failed\n' "$1" "$p" "$f"
}

for build in "$@"; do
	case "$build" in /*) ;; *) build="$top/$build" ;; esac
	export PK_BIN="$build"
	echo "== suite on $build"
	for t in "$build"/unit/test_*; do
		[ -x "$t" ] || continue
		log=$(mktemp /tmp/pk-log.XXXXXX)
		timeout 120 "$t" >"$log" 2>&1
		count "$(basename "$build")/$(basename "$t")" "$log" $?
		rm -f "$log"
	done
	for t in "$here"/t_*.sh; do
		[ -f "$t" ] || continue
		log=$(mktemp /tmp/pk-log.XXXXXX)
		timeout 900 bash "$t" >"$log" 2>&1
		count "$(basename "$build")/$(basename "$t")" "$log" $?
		rm -f "$log"
	done
done

if ls "$san_dir"/* >/dev/null 2>&1; then
	echo "not ok - sanitizer reports:"
	head -60 "$san_dir"/*
	failed=$((failed + $(ls "$san_dir" | wc -l)))
fi
rm -rf "$san_dir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
