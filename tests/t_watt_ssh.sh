#!/bin/bash
# wattctl --proto ssh against a real SSH server: a small server built here
# with libssh's server API (tests/wattbox/wbsshd.c; OpenSSH's sshd would
# need a system account with a password), relaying to the simulator
# (--ssh-backend).  Host keys: unknown refused, accepted and recorded with
# --accept-new-hostkey, changed refused.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/wattbox/wb.sh"

if ! wb_build_sshd 2>"$PK_TMP/cc.err"; then
	not_ok "building the test SSH server"; sed 's/^/#   /' "$PK_TMP/cc.err"; exit 1
fi
ssh-keygen -q -t ed25519 -N '' -C keyA -f "$PK_TMP/keyA"
ssh-keygen -q -t ed25519 -N '' -C keyB -f "$PK_TMP/keyB"
export HOME=$PK_TMP/home
mkdir -p "$HOME"
KH=$HOME/.ssh/known_hosts

wb_ssh_start a "$PK_TMP/keyA" --push-every 0.1 --push-prob 0.3
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
wb_ssh_start echo "$PK_TMP/keyA" --echo --outlets 2 --names 'TV|Amp, Rack'
run "${WS[@]}" --insecure-hostkey "127.0.0.1:$SSH_PORT" status
expect "echoed command lines are skipped" 0 "1	on	10.00	0.08	118.78	TV
2	on	17.50	0.15	118.78	Amp, Rack"

wb_ssh_start locked "$PK_TMP/keyA" --locked
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

# ---- several units at once ---------------------------------------------------
# The SSH handshakes run on the poll loop like everything else: five units
# whose banner comes 1.2 s late would need 6 s one after the other.
SLOW=()
for i in 1 2 3 4 5; do
	WB_SSHD_OPTS="-d 1.2" wb_ssh_start "slow$i" "$PK_TMP/keyA"
	SLOW+=("127.0.0.1:$SSH_PORT")
done
run "${WS[@]}" --accept-new-hostkey -t 3 "${SLOW[@]}" info
check "at once: every slow unit read ($(printf '%s\n' "$OUT" | grep -c ': model: '))" \
	[ "$(printf '%s\n' "$OUT" | grep -c ': model: WB-800-IPVM-12$')" = 5 ]
expect_out "at once: the last one too" "^${SLOW[4]}: outlets: 12\$"
check "at once: exit 0" [ "$RC" = 0 ]
check "at once: nothing on stderr" test -z "$ERR"
check "at once: five 1.2 s handshakes within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
check "at once: every unit's key recorded" \
	[ "$(grep -c "^\[127.0.0.1\]:.* ssh-ed25519 " "$KH")" -ge 5 ]
run "${WS[@]}" -t 3 --parallel 1 "${SLOW[0]}" "${SLOW[1]}" "${SLOW[2]}" info
check "--parallel 1: the handshakes are slow one at a time (${MS} ms for three)" \
	[ "$RC" = 0 ] && [ "$MS" -ge 3600 ]

# A black hole (the kernel accepts, no banner ever comes) and a dead port
# beside live units: each costs its own -t, the live ones are printed.
wb_black_hole
DEAD=127.0.0.1:$(pk_free_port)
run "${WS[@]}" -t 2 "$HOLE" "${SLOW[0]}" "${SLOW[1]}" "$DEAD" "${SLOW[2]}" info
expect_out "black hole: the first live unit printed" "^${SLOW[0]}: model: WB-800-IPVM-12\$"
expect_out "black hole: the last live unit printed" "^${SLOW[2]}: outlets: 12\$"
expect_err "black hole: its timeout named" \
	"^wattctl: $HOLE: SSH connection failed: Timeout connecting to 127.0.0.1\$"
expect_err "dead port: refused" "^wattctl: $DEAD: SSH connection failed: Connection refused\$"
check "black hole: exit 3" [ "$RC" = 3 ]
check "black hole: the run ends within -t + 1 s (${MS} ms)" [ "$MS" -lt 3000 ]
run "${WS[@]}" -j -t 2 "${SLOW[0]}" "$HOLE" ping
expect_json "black hole, JSON: its own error object beside the live unit" \
	'd[0]["target"] == "'"${SLOW[0]}"'" and d[0]["firmware"] == "2.10.0.0" and d[1]["error"]["status"] == 3'
check "black hole, JSON: exit 3" [ "$RC" = 3 ]

# A unit that answers a wrong password slowly does not hold the others up.
WB_SSHD_OPTS="-f 2.2" wb_ssh_start slowfail "$PK_TMP/keyA"
FAIL=127.0.0.1:$SSH_PORT
FAIL_STATE=$WB_STATE
printf '%s password=wrong\n%s\n%s\n%s\n' "$FAIL" "${SLOW[0]}" "${SLOW[1]}" "${SLOW[2]}" \
	>"$PK_TMP/units"
chmod 600 "$PK_TMP/units"
run "${WS[@]}" --accept-new-hostkey -t 3 --targets "$PK_TMP/units" info
expect_out "wrong password on one unit: the others printed" "^${SLOW[2]}: model: WB-800-IPVM-12\$"
check "wrong password on one unit: three units read" \
	[ "$(printf '%s\n' "$OUT" | grep -c ': model: ')" = 3 ]
expect_err "wrong password on one unit: refused with today's words" \
	"^wattctl: $FAIL: SSH password refused for user 'wattbox' \\(not retried"
check "wrong password on one unit: exit 4" [ "$RC" = 4 ]
check "wrong password on one unit: within -t + 1 s (${MS} ms)" [ "$MS" -lt 4000 ]
WB_STATE=$FAIL_STATE
check "wrong password on one unit: one attempt" [ "$(wb_log_count 'sshd auth failed')" = 1 ]

# A changed host key on one unit refuses that unit alone.
grep -v "^\[127.0.0.1\]:${SLOW[1]##*:} " "$KH" >"$KH.new"
printf '[127.0.0.1]:%s %s\n' "${SLOW[1]##*:}" "$(cut -d' ' -f1,2 "$PK_TMP/keyB.pub")" >>"$KH.new"
mv "$KH.new" "$KH"
WB_STATE=$PK_TMP/slow2
: >"$WB_STATE/log"
run "${WS[@]}" -t 3 "${SLOW[0]}" "${SLOW[1]}" "${SLOW[2]}" info
expect_err "changed key in a fleet: refused with today's words" \
	"^wattctl: ${SLOW[1]}: HOST KEY CHANGED for 127.0.0.1 port ${SLOW[1]##*:}: now ssh-ed25519 $FP"
expect_out "changed key in a fleet: the others printed" "^${SLOW[2]}: model: WB-800-IPVM-12\$"
check "changed key in a fleet: that unit printed nothing" \
	bash -c '! printf "%s\n" "$1" | grep -q "^$2: "' _ "$OUT" "${SLOW[1]}"
check "changed key in a fleet: exit 3" [ "$RC" = 3 ]
check "changed key in a fleet: no password offered to it" [ "$(wb_log_count 'sshd auth')" = 0 ]
for i in 1 2 3 4 5; do
	WB_STATE=$PK_TMP/slow$i
	expect_closed "slow unit $i"
done
