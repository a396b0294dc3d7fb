# wb.sh — helpers for the wattctl scripts; source after tests/lib.sh.
WB_SIM="$PK_TESTS/wattbox/wbsim.py"
W="$PK_BIN/wattctl"
export WATTBOX_PASSWORD=s3cret
unset WATTBOX_USER

# wb_start NAME ARGS...: starts the simulator (state in $PK_TMP/NAME) and
# waits for its port; sets WB_PORT, WB_STATE, WB_PID.
wb_start() {
	local dir=$PK_TMP/$1
	shift
	mkdir -p "$dir"
	python3 "$WB_SIM" --state "$dir" "$@" >"$dir/stderr" 2>&1 &
	WB_PID=$!
	pk_cleanup "pk_kill $WB_PID"
	WB_PORT=$(wb_wait_file "$dir/port")
	WB_STATE=$dir
}

# wb_build_sshd: builds the test SSH server (tests/wattbox/wbsshd.c, on
# libssh's server API) as $WB_SSHD; returns 1, the compiler's words on
# stderr, when it does not build.
wb_build_sshd() {
	WB_SSHD=$PK_TMP/wbsshd
	# shellcheck disable=SC2046
	cc -O1 -Wno-deprecated-declarations -o "$WB_SSHD" "$PK_TESTS/wattbox/wbsshd.c" \
		$(pkg-config --cflags --libs libssh)
}

# wb_ssh_start NAME KEY SIM-ARGS...: a unit over SSH: the simulator
# (--ssh-backend, state in $PK_TMP/NAME) behind that server with host key
# KEY (its own options, such as -d SECONDS, in WB_SSHD_OPTS), user
# wattbox, password s3cret; sets WB_STATE, WB_PORT and SSH_PORT.  The
# server relays each connection to the one simulator started first, so
# no connection waits for an interpreter to start.
wb_ssh_start() {
	local key=$2
	wb_start "$1" --ssh-backend "${@:3}"
	# shellcheck disable=SC2086
	"$WB_SSHD" -c "$WB_PORT" ${WB_SSHD_OPTS:-} "$WB_STATE" "$key" wattbox s3cret \
		>"$WB_STATE/sshd.stderr" 2>&1 &
	pk_cleanup "pk_kill $!"
	SSH_PORT=$(wb_wait_file "$WB_STATE/sshport")
}

# wb_wait_file FILE: waits up to 5 s for FILE and prints its contents.
wb_wait_file() {
	local i
	for i in $(seq 100); do
		[ -f "$1" ] && break
		sleep 0.05
	done
	cat "$1"
}

# wb_silent_peer: a TCP server that accepts and never says a word; sets
# SILENT_PORT.
wb_silent_peer() {
	SILENT_PORT=$(pk_free_port)
	python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(5)
c, _ = s.accept(); time.sleep(10)' "$SILENT_PORT" &
	pk_cleanup "pk_kill $!"
	pk_wait_tcp 127.0.0.1 "$SILENT_PORT" 5 >/dev/null
	sleep 0.2
}

# wb_black_hole: a TCP server whose kernel accepts connections (from the
# backlog) and that never says a word, for as long as the script runs;
# sets HOLE (127.0.0.1:PORT).
wb_black_hole() {
	local port
	port=$(pk_free_port)
	python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
time.sleep(300)' "$port" &
	pk_cleanup "pk_kill $!"
	pk_wait_tcp 127.0.0.1 "$port" 5 >/dev/null
	HOLE=127.0.0.1:$port
}

# wb_sessions: sessions open on the simulator of WB_STATE right now.
wb_sessions() {
	find "$WB_STATE" -maxdepth 1 -name 'open.*' | wc -l
}

# expect_closed DESC: within 1 s no session is left open.
expect_closed() {
	local i n
	for i in $(seq 20); do
		n=$(wb_sessions)
		[ "$n" -eq 0 ] && break
		sleep 0.05
	done
	if [ "$n" -eq 0 ]; then ok "$1: no session left open"; else not_ok "$1: $n session(s) left open"; fi
}

# wb_log_count REGEX: lines of the simulator log matching REGEX.
wb_log_count() {
	if [ -f "$WB_STATE/log" ]; then grep -Ec -- "$1" "$WB_STATE/log"; else echo 0; fi
}
