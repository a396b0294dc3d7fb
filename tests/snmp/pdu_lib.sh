# pdu_lib.sh — sourced by the pductl test scripts after tests/lib.sh.

# pdu_agent DEVICE VAR: starts snmpd simulating DEVICE (cyberpower, apc, apc-rpdu)
# on a free loopback UDP port, stops it by PID at exit, sets VAR to the port.
pdu_agent() {
	local dir _pa_port
	_pa_port=$(pk_free_port udp)
	dir="$PK_TMP/agent-$1-$_pa_port"
	sh "$PK_TESTS/snmp/agent.sh" start "$dir" "$1" "$_pa_port" || return 1
	pk_cleanup "sh '$PK_TESTS/snmp/agent.sh' stop '$dir'"
	printf -v "$2" '%s' "$_pa_port"
}

# hostile_peer MODE VAR: starts tests/snmp/hostile.py MODE on a free port.
hostile_peer() {
	local _hp_port _hp_pid
	_hp_port=$(pk_free_port udp)
	python3 "$PK_TESTS/snmp/hostile.py" "$1" "$_hp_port" >"$PK_TMP/hostile.$1" 2>&1 &
	_hp_pid=$!
	pk_cleanup "pk_kill $_hp_pid"
	for _ in $(seq 50); do
		grep -q ready "$PK_TMP/hostile.$1" 2>/dev/null && break
		sleep 0.05
	done
	printf -v "$2" '%s' "$_hp_port"
}
