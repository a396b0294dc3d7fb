# lib.sh — helpers for the integration scripts (bash).  A script sources
# this, runs the built binaries from $PK_BIN as a user would, and prints
# TAP lines.  Servers it starts are registered with pk_cleanup and stopped
# by PID when the script exits.
set -u
PK_TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PK_TOP=$(dirname "$PK_TESTS")
: "${PK_BIN:=$PK_TOP/build}"
PK_N=0
PK_FAILED=0
PK_CLEANUP=()
PK_TMP=$(mktemp -d /tmp/pk.XXXXXX)

pk_on_exit() {
	local i
	for ((i = ${#PK_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${PK_CLEANUP[$i]}" >/dev/null 2>&1
	done
	rm -rf "$PK_TMP"
	echo "1..$PK_N"
}
trap pk_on_exit EXIT
trap 'exit 130' INT TERM

pk_cleanup() { PK_CLEANUP+=("$*"); }

# pk_wait_end PID SECONDS: 0 when PID (a child of the script) ended
# within SECONDS; RC is then its exit status.
pk_wait_end() {
	local end=$((SECONDS + $2))
	while kill -0 "$1" 2>/dev/null; do
		((SECONDS > end)) && return 1
		sleep 0.05
	done
	wait "$1"
	RC=$?
}

# pk_bg NAME CMD...: starts CMD in the background (stdin /dev/null), its
# output in $PK_TMP/NAME.out and .err, stopped at exit; BGPID is its pid.
pk_bg() {
	local name=$1
	shift
	"$@" >"$PK_TMP/$name.out" 2>"$PK_TMP/$name.err" </dev/null &
	BGPID=$!
	pk_cleanup "pk_kill $BGPID"
}

# pk_until_lines FILE N SECONDS: waits until FILE has N lines.
pk_until_lines() {
	local end=$((SECONDS + $3))
	while (($(wc -l <"$1") < $2)); do
		((SECONDS > end)) && return 1
		sleep 0.05
	done
}

# pk_events FILE: the event names of a --watch text file, one a line.
pk_events() { awk '{print $3}' "$1"; }

# pk_kill PID: TERM, wait up to 3 s, then KILL.
pk_kill() {
	local pid=$1 i
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
}

# pk_start_listener NAME CMD...: starts CMD in the background (stopped at
# exit), a server that prints its port as the first line on stdout; sets
# LISTEN_PORT (empty when none came within 5 s).
pk_start_listener() {
	local f="$PK_TMP/listener-$1.port"
	shift
	"$@" >"$f" 2>/dev/null &
	pk_cleanup "pk_kill $!"
	LISTEN_PORT=
	for _ in $(seq 50); do
		LISTEN_PORT=$(head -n1 "$f" 2>/dev/null)
		[ -n "$LISTEN_PORT" ] && return 0
		sleep 0.1
	done
	return 1
}

# pk_free_port [tcp|udp]: a port nobody listens on right now.
pk_free_port() {
	python3 - "${1:-tcp}" <<'PY'
import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, kind)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
PY
}

# pk_wait_tcp HOST PORT SECONDS: waits until something accepts.
pk_wait_tcp() {
	local end=$((SECONDS + $3))
	while ((SECONDS <= end)); do
		(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

ok() {
	PK_N=$((PK_N + 1))
	echo "ok $PK_N - $*"
}

not_ok() {
	PK_N=$((PK_N + 1))
	PK_FAILED=$((PK_FAILED + 1))
	echo "not ok $PK_N - $*"
}

# check DESC COMMAND...: ok when COMMAND succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; pk_show; fi
}

# run CMD...: runs a command with stdin from /dev/null; sets OUT, ERR, RC
# and MS (wall-clock milliseconds).
run() {
	local t0 t1
	t0=$(date +%s%N)
	"$@" >"$PK_TMP/out" 2>"$PK_TMP/err" </dev/null
	RC=$?
	t1=$(date +%s%N)
	MS=$(((t1 - t0) / 1000000))
	OUT=$(cat "$PK_TMP/out")
	ERR=$(cat "$PK_TMP/err")
	LAST_CMD="$*"
}

# Prints what the last run did, as TAP comments.
pk_show() {
	{
		echo "cmd: ${LAST_CMD:-}"
		echo "rc: ${RC:-} ms: ${MS:-}"
		echo "stdout:"; printf '%s\n' "${OUT:-}" | head -20
		echo "stderr:"; printf '%s\n' "${ERR:-}" | head -20
	} | sed 's/^/#   /'
}

# expect DESC RC [STDOUT]: checks the last run's exit code and, when
# given, its exact stdout.
expect() {
	local desc=$1 want_rc=$2
	if [ "$RC" != "$want_rc" ]; then
		not_ok "$desc (exit $RC, want $want_rc)"; pk_show; return 1
	fi
	if [ $# -ge 3 ] && [ "$OUT" != "$3" ]; then
		not_ok "$desc (stdout differs)"; pk_show
		echo "#   want stdout:"; printf '%s\n' "$3" | head -20 | sed 's/^/#   /'
		return 1
	fi
	ok "$desc"
}

# expect_err DESC REGEX: the last run's stderr matches an extended regex.
expect_err() {
	if printf '%s' "$ERR" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1 (stderr !~ /$2/)"; pk_show; fi
}

# expect_out DESC REGEX: the last run's stdout matches an extended regex.
expect_out() {
	if printf '%s' "$OUT" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1 (stdout !~ /$2/)"; pk_show; fi
}

# expect_fast DESC LIMIT_MS: the last run ended within LIMIT_MS (a bound
# on hangs, not a benchmark).
expect_fast() {
	if [ "$MS" -le "$2" ]; then ok "$1 (${MS} ms)"; else not_ok "$1 (took ${MS} ms > $2)"; pk_show; fi
}

# expect_json DESC JQ_FILTER: stdout is one valid JSON document for which
# the python expression (with d = the document) is true.
expect_json() {
	if printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" 2>"$PK_TMP/jsonerr"; then
		ok "$1"
	else
		not_ok "$1 (json check: $2)"; pk_show; sed 's/^/#   /' "$PK_TMP/jsonerr"
	fi
}

# pk_promtool: prints the path of promtool (PATH first, then the copy that
# tests/deps.sh unpacked from Debian's prometheus package).
pk_promtool() {
	local cached=${PK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/powerkit}/prometheus/usr/bin/promtool
	command -v promtool && return 0
	[ -x "$cached" ] && echo "$cached"
}

# expect_prom DESC [FILE|-]: `promtool check metrics` accepts FILE (default:
# the last run's stdout; - reads stdin, given with a redirection, as in
# `expect_prom DESC - <FILE`: a pipe would run it in a subshell, whose count
# is lost) and prints nothing at all: a lint message fails the test as an
# error does.
expect_prom() {
	local desc=$1 file=${2:-$PK_TMP/out} tool said rc
	if ! tool=$(pk_promtool); then
		not_ok "$desc (no promtool: run sh tests/deps.sh check)"; return 1
	fi
	if [ "$file" = - ]; then
		said=$("$tool" check metrics 2>&1); rc=$?
	else
		said=$("$tool" check metrics <"$file" 2>&1); rc=$?
	fi
	if [ "$rc" = 0 ] && [ -z "$said" ]; then ok "$desc"; return 0; fi
	not_ok "$desc (promtool check metrics exit $rc)"
	printf '%s\n' "$said" | head -20 | sed 's/^/#   promtool: /'
	[ "$file" = - ] || head -20 "$file" | sed 's/^/#   input: /'
	return 1
}
