# pdu_lib.sh — sourced by the pductl test scripts after tests/lib.sh.

# The banks and outlets every simulated PDU starts with
# (tests/snmp/pdu_pass.py), as `pductl status` prints them.
PDU_SIM_TABLES="bank.1.current: 2.2
bank.1.load: normal
bank.2.current: 2.9
bank.2.load: normal
outlet.1.name: nas
outlet.1.state: on
outlet.2.name: web
outlet.2.state: on
outlet.3.name: db
outlet.3.state: on
outlet.4.name: switch
outlet.4.state: on
outlet.5.name: fw, core
outlet.5.state: on
outlet.6.name: spare
outlet.6.state: off
outlet.7.name: spare
outlet.7.state: on
outlet.8.name: lab
outlet.8.state: on"

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
