#!/bin/bash
# The libFuzzer harnesses of tests/fuzz/ (make fuzz), three tests each:
# it builds with clang (FUZZ=1, into build-fuzz/ or $PK_FUZZ_BUILD), it
# replays its seed corpus tests/fuzz/corpus/NAME/ without a finding (the
# seeds and the crash inputs kept as regression files), and a short run
# from that corpus ($PK_FUZZ_SECONDS, default 2 s) finds nothing.  Needs
# clang with libFuzzer (Debian clang, tests/packages): without it every
# harness fails here, never skips.  A crash's input is left in
# build-fuzz/crash-NAME-*; make fuzz FUZZ_SECONDS=600 is the long hunt.
. "$(dirname "$0")/lib.sh"

cd "$PK_TOP" || exit 1
fuzz_build=${PK_FUZZ_BUILD:-$PK_TOP/build-fuzz}
seconds=${PK_FUZZ_SECONDS:-2}
fuzz_cc=${FUZZ_CC:-clang}

# clang and its libFuzzer runtime (libclang_rt.fuzzer): a harness links.
libfuzzer=0
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return (int)(d[0] * n); }' \
	>"$PK_TMP/probe.c"
if "$fuzz_cc" -fsanitize=fuzzer -o "$PK_TMP/probe" "$PK_TMP/probe.c" >"$PK_TMP/probe.log" 2>&1; then
	libfuzzer=1
else
	echo "# $fuzz_cc with libFuzzer is missing (install Debian clang, see tests/packages):"
	sed 's/^/#   /' "$PK_TMP/probe.log" | head -5
fi

# Shows the end of a log as TAP comments.
show_log() { [ -f "$1" ] && tail -n "${2:-25}" "$1" | sed 's/^/#   /'; }

for src in tests/fuzz/fuzz_*.c; do
	harness=$(basename "$src" .c)
	name=${harness#fuzz_}
	bin=$fuzz_build/fuzz/$harness
	seeds=tests/fuzz/corpus/$name
	log=$PK_TMP/$name.log
	if [ "$libfuzzer" = 1 ] &&
		MAKEFLAGS= make -s -j2 FUZZ=1 WERROR=1 CC="$fuzz_cc" BUILD="$fuzz_build" "$bin" >"$log" 2>&1 &&
		[ -x "$bin" ]; then
		ok "$harness: built with $fuzz_cc's libFuzzer"
	else
		not_ok "$harness: built with $fuzz_cc's libFuzzer"
		show_log "$log"
		not_ok "$harness: replays tests/fuzz/corpus/$name (not built)"
		not_ok "$harness: a ${seconds} s run finds nothing (not built)"
		continue
	fi
	if [ -n "$(ls "$seeds" 2>/dev/null)" ] && "$bin" -runs=0 "$seeds" >"$log" 2>&1; then
		ok "$harness: replays its $(ls "$seeds" | wc -l) seeds in tests/fuzz/corpus/$name"
	else
		not_ok "$harness: replays tests/fuzz/corpus/$name (it must hold seeds)"
		show_log "$log"
	fi
	# New inputs go to a scratch copy: the tree keeps only chosen seeds.
	work=$PK_TMP/corpus-$name
	mkdir -p "$work"
	if nice "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$fuzz_build/crash-$name-" "$work" "$seeds" >"$log" 2>&1; then
		ok "$harness: a ${seconds} s run finds nothing ($(grep -o 'Done [0-9]* runs' "$log" | head -1))"
	else
		not_ok "$harness: a ${seconds} s run finds nothing (input in $fuzz_build/crash-$name-*)"
		show_log "$log" 40
	fi
done
