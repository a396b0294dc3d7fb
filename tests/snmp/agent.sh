#!/bin/sh
# agent.sh start DIR DEVICE PORT | stop DIR — runs Debian's snmpd
# unprivileged on 127.0.0.1:PORT with its own configuration in DIR (no
# /etc, persistent state in DIR) and pdu_pass.py DEVICE as pass_persist
# backend.  Prints nothing on success; the PID is in DIR/snmpd.pid.
# With AGENT_V1_ONLY=1 the agent answers SNMP v1 only (v2c requests are
# dropped silently, like a wrong community).  AGENT_ADDR binds another
# loopback address than 127.0.0.1 (the discovery tests: one agent per
# address), AGENT_COMMUNITY reads with another community than public.
# AGENT_V3_ONLY=1 answers SNMPv3 only (no community at all), and
# AGENT_ENGINE_ID=TEXT builds the agent's engine ID from TEXT (agents of
# one test then have engine IDs of their own, whatever the host).
# AGENT_CONF_EXTRA=FILE adds FILE's snmpd.conf lines (the bench's
# snapshot agent: `override` objects that snmpd answers itself).
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1 dir=$2 descr=
case "$cmd" in
start)
	device=$3 port=$4
	case "$device" in
	cyberpower) sysoid=.1.3.6.1.4.1.3808.1.1.3 tree=.1.3.6.1.4.1.3808 ;;
	apc) sysoid=.1.3.6.1.4.1.318.1.3.4.6 tree=.1.3.6.1.4.1.318 ;;
	apc-rpdu) sysoid=.1.3.6.1.4.1.318.1.3.4.5 tree=.1.3.6.1.4.1.318 ;;
	apc-spdu) sysoid=.1.3.6.1.4.1.318.1.3.4.5 tree=.1.3.6.1.4.1.318 ;;
	raritan | raritan-chain) sysoid=.1.3.6.1.4.1.13742.6 tree=.1.3.6.1.4.1.13742 ;;
	# A PX1's sysObjectID and sysDescr, as the librenms raritan walk has them.
	raritan-px1 | raritan-px1-metered) sysoid=.1.3.6.1.4.1.13742.4 tree=.1.3.6.1.4.1.13742
		descr="Raritan Dominion PX - Firmware Version 010507-11172" ;;
	sentry4 | sentry4-metered | sentry4-chain) sysoid=.1.3.6.1.4.1.1718.4 tree=.1.3.6.1.4.1.1718 ;;
	sentry3 | sentry3-metered) sysoid=.1.3.6.1.4.1.1718.3 tree=.1.3.6.1.4.1.1718 ;;
	cyberpower-ats) sysoid=.1.3.6.1.4.1.3808.1.1.5 tree=.1.3.6.1.4.1.3808 ;;
	eaton | eaton-metered | eaton-chain) sysoid=.1.3.6.1.4.1.534.6.6.7 tree=.1.3.6.1.4.1.534 ;;
	apc-chain) sysoid=.1.3.6.1.4.1.318.1.3.4.6 tree=.1.3.6.1.4.1.318 ;;
	cyberpower-chain) sysoid=.1.3.6.1.4.1.3808.1.1.6 tree=.1.3.6.1.4.1.3808 ;;
	tripplite | tripplite-metered) sysoid=.1.3.6.1.4.1.850.1.1.1 tree=.1.3.6.1.4.1.850 ;;
	geist | geist-metered) sysoid=.1.3.6.1.4.1.21239.5.2 tree=.1.3.6.1.4.1.21239 ;;
	# A PDU of a vendor without a profile: snmpd's own MIBs only, with
	# AGENT_SYSOID and AGENT_DESCR (no backend).
	bare) sysoid=$AGENT_SYSOID tree= ;;
	*) echo "agent.sh: unknown device $device" >&2; exit 2 ;;
	esac
	mkdir -p "$dir/persist"
	addr=${AGENT_ADDR:-127.0.0.1} ro=${AGENT_COMMUNITY:-public}
	if [ "${AGENT_V1_ONLY:-0}" = 1 ]; then
		access="com2sec reader 127.0.0.1 $ro
com2sec writer 127.0.0.1 private
group ro v1 reader
group rw v1 writer
view all included .1
access ro \"\" v1 noauth exact all none none
access rw \"\" v1 noauth exact all all none"
	elif [ "${AGENT_V3_ONLY:-0}" = 1 ]; then
		access=
	else
		access="rocommunity $ro 127.0.0.1
rwcommunity private 127.0.0.1"
	fi
	# SNMPv3 users for tests/t_pdu_v3.sh: one per level and algorithm
	# net-snmp 5.9 has; the passwords are the user names with "-secret".
	v3users="createUser v3noauth
rwuser v3noauth noauth"
	for spec in v3md5:MD5 v3sha:SHA v3sha224:SHA-224 v3sha256:SHA-256 v3sha384:SHA-384 \
		v3sha512:SHA-512; do
		v3users="$v3users
createUser ${spec%%:*} ${spec#*:} ${spec%%:*}-secret
rwuser ${spec%%:*} auth"
	done
	for spec in v3des:SHA:DES v3aes:SHA:AES v3aes192:SHA:AES-192 v3aes256:MD5:AES-256 \
		v3sha512aes:SHA-512:AES v3ro:SHA:AES; do
		u=${spec%%:*} rest=${spec#*:}
		v3users="$v3users
createUser $u ${rest%%:*} $u-secret ${rest#*:} $u-private"
		[ "$u" = v3ro ] && v3users="$v3users
rouser $u priv" || v3users="$v3users
rwuser $u priv"
	done
	cat >"$dir/snmpd.conf" <<CONF
agentaddress udp:$addr:$port
${AGENT_ENGINE_ID:+engineID $AGENT_ENGINE_ID}
$access
$v3users
sysObjectID $sysoid
sysDescr ${AGENT_DESCR:-${descr:-powerkit simulated $device PDU}}
sysName sim-$device
sysLocation tests
sysContact nobody
dontLogTCPWrappersConnects yes
${AGENT_CONF_EXTRA:+includeFile $AGENT_CONF_EXTRA}
${tree:+pass_persist $tree /usr/bin/env PDU_SIM_LOG=$dir/backend.log python3 $here/pdu_pass.py $device}
master no
CONF
	# Left out: smux and the event MIBs (nothing here uses them), and
	# nsModuleTable, snmpd's table of its own registrations
	# (enterprises.8072, right after the subtrees of the vendors numbered
	# below it, CyberPower's 3808 the bench walks among them): each of its
	# rows costs a pass over the registry, 0.15 ms a row with the bench's
	# 249 `override` objects (each one a registration), so the objects a
	# walk's last GETBULK reads past its subtree would cost the agent more
	# than the walk, and the bench would measure that instead of the
	# clients (a PDU's agent registers its tables, not every object).
	SNMP_PERSISTENT_DIR="$dir/persist" MIBS= MIBDIRS=/nonexistent \
		snmpd -f -Lf "$dir/snmpd.log" -C -c "$dir/snmpd.conf" -p "$dir/snmpd.pid" \
		-I -smux,mteTrigger,mteTriggerConf,mteEvent,mteEventConf,mteObjects,nsModuleTable \
		</dev/null >/dev/null 2>&1 &
	echo $! >"$dir/snmpd.pid.sh"
	# Wait until the agent answers (start-up is ~0.3 s).
	ask="-v1 -c $ro"
	[ "${AGENT_V3_ONLY:-0}" = 1 ] && ask="-v3 -l noAuthNoPriv -u v3noauth"
	i=0
	while [ $i -lt 50 ]; do
		if snmpget $ask -t 0.2 -r 0 -On "$addr:$port" .1.3.6.1.2.1.1.2.0 >/dev/null 2>&1; then
			# snmpd starts the pass_persist backend (python) on the first
			# request into its tree, which takes seconds on a loaded
			# machine: start it now, so that the tests' timed requests do
			# not pay for it.
			[ -n "$tree" ] || exit 0
			j=0
			while [ $j -lt 20 ]; do
				snmpgetnext $ask -t 1 -r 0 -On "$addr:$port" "$tree" 2>/dev/null |
					grep -q "^$tree\." && exit 0
				j=$((j + 1))
			done
			echo "agent.sh: the pass_persist backend did not answer on port $port" >&2
			exit 1
		fi
		i=$((i + 1))
		sleep 0.1
	done
	echo "agent.sh: snmpd did not answer on port $port; log:" >&2
	cat "$dir/snmpd.log" >&2
	exit 1
	;;
stop)
	pid=$(cat "$dir/snmpd.pid.sh" 2>/dev/null)
	[ -n "$pid" ] || exit 0
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -9 "$pid" 2>/dev/null
	exit 0
	;;
esac
echo "usage: agent.sh start DIR DEVICE PORT | stop DIR" >&2
exit 2
