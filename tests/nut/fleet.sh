# fleet.sh — many UPSes for the fleet bench (bash; source after
# tests/lib.sh).  nut_fleet_start SERVERS PER starts SERVERS upsd
# instances on free loopback ports, each serving PER dummy-ups UPSes
# (ups1..upsPER, all from dummy.dev), and waits until every UPS answers.
# Sets NUT_FLEET_PORTS (one port per server) and NUT_FLEET (a --targets
# file listing every ups@127.0.0.1:port).  Stopped by PID via pk_cleanup.
NUT_FLEET_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NUT_SBIN=${NUT_SBIN:-/lib/nut}

nut_fleet_user() {
	if [ "$(id -u)" = 0 ]; then echo root
	elif id nut >/dev/null 2>&1; then echo nut
	else id -un; fi
}

# nut_fleet_server DIR PORT PER USER: one upsd and its PER drivers.
nut_fleet_server() {
	local d=$1 port=$2 per=$3 user=$4 i
	mkdir -p "$d/etc" "$d/run"
	chmod 755 "$d" "$d/run"
	cp "$NUT_FLEET_HERE/dummy.dev" "$d/etc/"
	for i in $(seq "$per"); do
		printf '[ups%d]\n\tdriver = dummy-ups\n\tport = dummy.dev\n\tdesc = "fleet UPS %d"\n' "$i" "$i"
	done >"$d/etc/ups.conf"
	printf 'STATEPATH %s/run\nLISTEN 127.0.0.1 %s\nMAXCONN 1024\n' "$d" "$port" >"$d/etc/upsd.conf"
	: >"$d/etc/upsd.users"
	chmod 600 "$d/etc/upsd.users"
	for i in $(seq "$per"); do
		NUT_CONFPATH=$d/etc NUT_STATEPATH=$d/run NUT_ALTPIDPATH=$d/run \
			"$NUT_SBIN/dummy-ups" -a "ups$i" -F -u "$user" >/dev/null 2>&1 &
		pk_cleanup "pk_kill $!"
	done
	sleep 1.5
	NUT_CONFPATH=$d/etc NUT_STATEPATH=$d/run NUT_ALTPIDPATH=$d/run \
		"$NUT_SBIN/upsd" -F -u "$user" >"$d/upsd.log" 2>&1 &
	pk_cleanup "pk_kill $!"
}

# Waits until the last UPS of every server answers with real data.
nut_fleet_ready() {
	local port per=$1 reply end=$((SECONDS + 30))
	for port in $NUT_FLEET_PORTS; do
		pk_wait_tcp 127.0.0.1 "$port" 10 || return 1
		while :; do
			reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$port" &&
				printf 'GET VAR ups%d ups.status\n' "$per" >&3 &&
				timeout 2 head -n1 <&3) 2>/dev/null)
			case "$reply" in VAR*\"WAIT\"|ERR*|"") ;; VAR*) break ;; esac
			((SECONDS > end)) && { echo "# fleet: port $port not ready: $reply" >&2; return 1; }
			sleep 0.2
		done
	done
}

nut_fleet_start() {
	local servers=$1 per=$2 user d s i port
	user=$(nut_fleet_user)
	d=$(mktemp -d /tmp/nutfleet.XXXXXX)
	pk_cleanup "rm -rf '$d'"
	NUT_FLEET_PORTS=
	NUT_FLEET=$d/targets
	: >"$NUT_FLEET"
	for s in $(seq "$servers"); do
		port=$(pk_free_port)
		NUT_FLEET_PORTS="$NUT_FLEET_PORTS $port"
		nut_fleet_server "$d/s$s" "$port" "$per" "$user"
		for i in $(seq "$per"); do echo "ups$i@127.0.0.1:$port"; done >>"$NUT_FLEET"
	done
	nut_fleet_ready "$per"
}
