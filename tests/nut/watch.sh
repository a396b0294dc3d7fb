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

# watch NAME ARGS...: starts nutq ARGS in the background (pk_bg), output
# in $PK_TMP/NAME.out and .err; WPID is its pid.
watch() {
	local name=$1
	shift
	pk_bg "$name" "$Q" "$@"
	WPID=$BGPID
}
