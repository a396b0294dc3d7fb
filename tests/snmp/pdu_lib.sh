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

# What `pductl HOST get 1-8` prints for every simulated PDU as it starts.
PDU_SIM_GET8="1 on
2 on
3 on
4 on
5 on
6 off
7 on
8 on"

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

# udp_fake SCRIPT MODE VAR [ARG...]: starts tests/snmp/SCRIPT MODE PORT
# ARG... on a free port, stops it by PID at exit, sets VAR to the port.
udp_fake() {
	local _uf_script=$1 _uf_mode=$2 _uf_var=$3 _uf_port _uf_pid _uf_log
	shift 3
	_uf_port=$(pk_free_port udp)
	_uf_log="$PK_TMP/fake.${_uf_script%.py}.$_uf_mode.$_uf_port"
	python3 "$PK_TESTS/snmp/$_uf_script" "$_uf_mode" "$_uf_port" "$@" >"$_uf_log" 2>&1 &
	_uf_pid=$!
	pk_cleanup "pk_kill $_uf_pid"
	for _ in $(seq 50); do
		grep -q ready "$_uf_log" 2>/dev/null && break
		sleep 0.05
	done
	printf -v "$_uf_var" '%s' "$_uf_port"
}

# hostile_peer MODE VAR: starts tests/snmp/hostile.py MODE on a free port.
hostile_peer() {
	udp_fake hostile.py "$1" "$2"
}
