#!/bin/bash
# wattctl --proto ssh against a real SSH server: a small server built here
# with libssh's server API (tests/wattbox/wbsshd.c; OpenSSH's sshd would
# need a system account with a password), relaying to the simulator in
# --stdio mode.  Host keys: unknown refused, accepted and recorded with
# --accept-new-hostkey, changed refused.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

SSHD=$PK_TMP/wbsshd
# shellcheck disable=SC2046
if ! cc -O1 -Wno-deprecated-declarations -o "$SSHD" "$PK_TESTS/wattbox/wbsshd.c" \
	$(pkg-config --cflags --libs libssh) 2>"$PK_TMP/cc.err"; then
	not_ok "building the test SSH server"; sed 's/^/#   /' "$PK_TMP/cc.err"; exit 1
fi
ssh-keygen -q -t ed25519 -N '' -C keyA -f "$PK_TMP/keyA"
ssh-keygen -q -t ed25519 -N '' -C keyB -f "$PK_TMP/keyB"
export HOME=$PK_TMP/home
mkdir -p "$HOME"
KH=$HOME/.ssh/known_hosts

# ssh_start NAME KEY SIM-ARGS...: sets WB_STATE and SSH_PORT.
ssh_start() {
	local dir=$PK_TMP/$1 key=$2
	shift 2
	mkdir -p "$dir"
	"$SSHD" "$dir" "$key" wattbox s3cret python3 "$WB_SIM" --stdio --state "$dir" "$@" \
		>"$dir/stderr" 2>&1 &
	pk_cleanup "pk_kill $!"
	SSH_PORT=$(wb_wait_file "$dir/sshport")
	WB_STATE=$dir
}

ssh_start a "$PK_TMP/keyA" --push-every 0.1 --push-prob 0.3
H=127.0.0.1:$SSH_PORT
WS=("$W" --proto ssh)
FP=$(ssh-keygen -lf "$PK_TMP/keyA.pub" | awk '{print $2}')
# The base64 fingerprint may hold '+' and '/': escape it for the regexes.
FP=$(printf '%s' "$FP" | sed 's/[][\.*^$+?(){}|]/\\&/g')

run "${WS[@]}" "$H" info
expect "unknown host key is refused (exit 3)" 3
expect_err "the fingerprint is shown" "unknown host key ssh-ed25519 $FP; .*--accept-new-hostkey"
check "no password was offered to an unknown host" [ "$(wb_log_count 'sshd auth')" = 0 ]
check "nothing recorded without the flag" [ ! -s "$KH" ]

run "${WS[@]}" --accept-new-hostkey "$H" info
expect "--accept-new-hostkey logs in" 0 "model: WB-800-IPVM-12
firmware: 2.10.0.0
hostname: RackA
service_tag: ST191500681E8422
outlets: 12"
check "the key was recorded" grep -q "^\[127.0.0.1\]:$SSH_PORT ssh-ed25519 " "$KH"
check "a shell without a PTY" [ "$(wb_log_count 'pty requested')" = 0 ]
expect_closed "ssh info"

run "${WS[@]}" "$H" status
expect_out "status over ssh (known key now)" '^11	on	85.00	0.72	118.78	PS5, Xbox$'
expect "status over ssh exit 0" 0
run "${WS[@]}" "$H" off 'Denon Rcv'
expect "an action over ssh, confirmed" 0 "3	off	Denon Rcv"
run "${WS[@]}" "$H" reset 1 --delay 1
expect "reset with delay over ssh" 0 "1	on	Dish Hopper"
expect_closed "ssh actions"

run "${WS[@]}" -p 'wrong' "$H" info
expect "wrong SSH password is exit 4" 4
expect_err "refusal explained" "SSH password refused for user 'wattbox' \(not retried"
check "one password attempt only" [ "$(wb_log_count 'sshd auth failed')" = 1 ]

run "${WS[@]}" --insecure-hostkey -p wrong "$H" power
expect_err "--insecure-hostkey says so on stderr" 'warning: --insecure-hostkey: the SSH host key is not checked'

# Changed key: the recorded line now names key B for this host:port.
printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 "$PK_TMP/keyB.pub")" >"$KH"
: >"$WB_STATE/log"
run "${WS[@]}" "$H" info
expect "a changed host key is refused (exit 3)" 3
expect_err "says it changed and shows the new key" "HOST KEY CHANGED for 127.0.0.1 port $SSH_PORT: now ssh-ed25519 $FP"
run "${WS[@]}" --accept-new-hostkey "$H" info
expect "a changed key is refused even with --accept-new-hostkey" 3
check "no password offered to a changed key" [ "$(wb_log_count 'sshd auth')" = 0 ]
run "${WS[@]}" --insecure-hostkey "$H" info
expect "--insecure-hostkey connects anyway (labs)" 0
expect_closed "host keys"

# The device echoes commands when it thinks there is a terminal.
ssh_start echo "$PK_TMP/keyA" --echo --outlets 2 --names 'TV|Amp, Rack'
run "${WS[@]}" --insecure-hostkey "127.0.0.1:$SSH_PORT" status
expect "echoed command lines are skipped" 0 "1	on	10.00	0.08	118.78	TV
2	on	17.50	0.15	118.78	Amp, Rack"

ssh_start locked "$PK_TMP/keyA" --locked
run "${WS[@]}" --insecure-hostkey "127.0.0.1:$SSH_PORT" info
expect "lockout in place of the banner is exit 4" 4
expect_err "with the remaining time" 'try again in 3 min 2 s'
expect_closed "ssh lockout"

wb_silent_peer
run "${WS[@]}" -t 1 "127.0.0.1:$SILENT_PORT" info
expect "a silent SSH peer is exit 3" 3
expect_fast "within --timeout + 1 s" 2000
PORT=$(pk_free_port)
run "${WS[@]}" -t 1 "127.0.0.1:$PORT" info
expect "nothing listening is exit 3" 3
