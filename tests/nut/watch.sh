# watch.sh — what the nutq --watch scripts share (bash; source after
# lib.sh and testbed.sh): Q the nutq binary, B the directory for
# nut_devbed_start (created empty), no credentials from the environment.
Q=$PK_BIN/nutq
B=$PK_TMP/bed
mkdir -p "$B"
unset NUT_USER NUT_PASSWORD

# put NAME LINE...: the data file of UPS NAME (rewritten in place while
# upsd runs: dummy-ups reads it again when its time stamp changes, and
# plays a TIMER sequence in it once, step by step).
put() {
	local name=$1 f
	shift
	f=$B/$name.dev
	[ -d "$B/etc" ] && f=$B/etc/$name.dev
	printf '%s\n' "$@" >"$f.new" && mv "$f.new" "$f"
}

# watch NAME ARGS...: starts nutq ARGS in the background, output in
# $PK_TMP/NAME.out and .err; WPID is its pid.
watch() {
	local name=$1
	shift
	"$Q" "$@" >"$PK_TMP/$name.out" 2>"$PK_TMP/$name.err" </dev/null &
	WPID=$!
	pk_cleanup "pk_kill $WPID"
}

# until_lines FILE N SECONDS: waits until FILE has N lines.
until_lines() {
	local end=$((SECONDS + $3))
	while (($(wc -l <"$1") < $2)); do
		((SECONDS > end)) && return 1
		sleep 0.1
	done
}

# events FILE: the event names of a text event file, one a line.
events() { awk '{print $3}' "$1"; }
