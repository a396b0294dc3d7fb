# testbed.sh — a private NUT server for the tests, the demo and the bench
# (bash; source after tests/lib.sh).  nut_testbed_start starts, in a short
# private directory, dummy-ups for "dummy" (a .dev file) and "cycle"
# (a .seq file cycling OL / OB / OB LB / OL CHRG), fakedrv.py for "fake",
# and upsd on a free loopback port (also [::1] when the machine has IPv6).
# nut_testbed_start dumps serves instead every device dump tests/nut/*.dev,
# each by its own dummy-ups under the file's name (epdu.dev is "epdu"),
# and sets NUT_DUMPS to their names.
# With NUT_TB_TLS=1, upsd also offers STARTTLS with a certificate that
# NUT_DIR/tls/ca.pem signed (nut_testbed_tls).
# Real binaries from /lib/nut; nothing of /etc/nut is used.  Everything
# is stopped by PID through pk_cleanup.  Sets NUT_PORT, NUT_DIR,
# NUT_V6 (1 when upsd listens on ::1), NUT_FAKE_PID, NUT_UPSD_PID.
NUT_TESTBED=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NUT_SBIN=${NUT_SBIN:-/lib/nut}

# nut_testbed_ups_conf DIR: ups.conf and the files its dummy-ups read.
nut_testbed_ups_conf() {
	local d=$1 f
	if [ "$NUT_TB_MODE" = dumps ]; then
		for f in "$NUT_TESTBED"/*.dev; do
			cp "$f" "$d/etc/"
			printf '[%s]\n\tdriver = dummy-ups\n\tport = %s\n' \
				"$(basename "$f" .dev)" "$(basename "$f")"
		done >"$d/etc/ups.conf"
		return
	fi
	cp "$NUT_TESTBED/dummy.dev" "$NUT_TESTBED/cycle.seq" "$d/etc/"
	cat >"$d/etc/ups.conf" <<CONF
[dummy]
	driver = dummy-ups
	port = dummy.dev
	desc = "Dummy UPS in rack \"A\""
[cycle]
	driver = dummy-ups
	port = cycle.seq
	desc = "Cycling UPS"
[fake]
	driver = fakedrv
	port = none
	desc = "Fake driver"
CONF
}

nut_testbed_files() {
	local d=$1
	nut_testbed_ups_conf "$d"
	{
		echo "STATEPATH $d/run"
		echo "MAXAGE 15"
		echo "LISTEN 127.0.0.1 $NUT_PORT"
		[ "$NUT_V6" = 1 ] && echo "LISTEN ::1 $NUT_PORT"
		if [ "${NUT_TB_TLS:-}" = 1 ]; then
			echo "CERTPATH $d/tls/db"
			echo "CERTIDENT \"nut-tls\" \"$(cat "$d/tls/dbpass")\""
		fi
	} >"$d/etc/upsd.conf"
	cat >"$d/etc/upsd.users" <<'CONF'
[admin]
	password = adminpass
	actions = SET FSD
	instcmds = ALL
	upsmon primary
[monuser]
	password = monpass
	upsmon secondary
[limited]
	password = limitedpass
	actions = SET
	instcmds = test.battery.start
[viewer]
	password = viewerpass
CONF
	chmod 600 "$d/etc/upsd.users"
}

# nut_ups_ready NAME...: waits until every UPS answers GET VAR ups.status
# on NUT_PORT (of NUT_ADDR, default 127.0.0.1) with real data.
nut_ups_ready() {
	local ups reply end=$((SECONDS + 20))
	for ups in "$@"; do
		while :; do
			reply=$( (exec 3<>"/dev/tcp/${NUT_ADDR:-127.0.0.1}/$NUT_PORT" &&
				printf 'GET VAR %s ups.status\n' "$ups" >&3 &&
				timeout 2 head -n1 <&3) 2>/dev/null)
			case "$reply" in VAR*\"WAIT\"|ERR*|"") ;; VAR*) break ;; esac
			((SECONDS > end)) && { echo "# testbed: $ups not ready: $reply" >&2; return 1; }
			sleep 0.2
		done
	done
}

nut_testbed_ready() { nut_ups_ready $NUT_TB_UPS; }

# Drivers and upsd switch to -u after start; as root that must be root
# (the private dirs are root's), as non-root the user must just exist.
nut_run_user() {
	if [ "$(id -u)" = 0 ]; then echo root
	elif id nut >/dev/null 2>&1; then echo nut
	else id -un; fi
}

# nut_testbed_tls DIR: a throwaway CA (DIR/ca.pem), a server certificate
# it signed for IP 127.0.0.1 only, in an NSS database (DIR/db, password
# in DIR/dbpass) as Debian's upsd (built with NSS) wants it: CERTPATH and
# CERTIDENT "nut-tls"; and a second CA that signed nothing (DIR/other-ca.pem).
nut_testbed_tls() {
	local t=$1 ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
	mkdir -p "$t/db"
	(
		cd "$t" || exit 1
		for ca in ca other-ca; do
			openssl req -x509 $ec -keyout $ca.key -out $ca.pem -days 2 \
				-subj "/CN=powerkit test $ca" \
				-addext basicConstraints=critical,CA:TRUE \
				-addext keyUsage=critical,keyCertSign,cRLSign || exit 1
		done
		openssl req $ec -keyout srv.key -out srv.csr -subj "/CN=127.0.0.1" || exit 1
		printf '%s\n' subjectAltName=IP:127.0.0.1 extendedKeyUsage=serverAuth \
			keyUsage=digitalSignature >srv.ext
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-out srv.pem -days 2 -extfile srv.ext || exit 1
		openssl pkcs12 -export -in srv.pem -inkey srv.key -certfile ca.pem -name nut-tls \
			-out srv.p12 -passout pass:p12pass || exit 1
		echo "dbpass$$" >dbpass
		certutil -N -d sql:db -f dbpass &&
			pk12util -i srv.p12 -d sql:db -k dbpass -W p12pass
	) >"$t/make.log" 2>&1
}

nut_testbed_start() {
	local d user try ups
	NUT_TB_MODE=${1:-}
	NUT_TB_UPS="dummy cycle fake"
	if [ "$NUT_TB_MODE" = dumps ]; then
		NUT_DUMPS=$(for f in "$NUT_TESTBED"/*.dev; do basename "$f" .dev; done)
		NUT_TB_UPS=$NUT_DUMPS
	fi
	d=$(mktemp -d /tmp/nut.XXXXXX)
	NUT_DIR=$d
	mkdir -p "$d/etc" "$d/run" "$d/log"
	chmod 755 "$d" "$d/run"
	pk_cleanup "rm -rf '$d'"
	NUT_V6=0
	python3 -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1", 0))' \
		2>/dev/null && NUT_V6=1
	if [ "${NUT_TB_TLS:-}" = 1 ] && ! nut_testbed_tls "$d/tls"; then
		echo "# testbed: cannot make the TLS certificates:" >&2
		sed 's/^/#   /' "$d/tls/make.log" | tail -5 >&2
		return 1
	fi
	user=$(nut_run_user)
	export NUT_CONFPATH=$d/etc NUT_STATEPATH=$d/run NUT_ALTPIDPATH=$d/run
	for try in 1 2 3; do
		NUT_PORT=$(pk_free_port)
		nut_testbed_files "$d"
		for ups in $NUT_TB_UPS; do
			[ "$ups" = fake ] && continue
			"$NUT_SBIN/dummy-ups" -a "$ups" -F -u "$user" >"$d/log/$ups.log" 2>&1 &
			echo $! >"$d/run/tb-$ups.pid"; pk_cleanup "pk_kill $!"
		done
		NUT_FAKE_PID=
		if [ "$NUT_TB_MODE" != dumps ]; then
			python3 "$NUT_TESTBED/fakedrv.py" "$d/run/fakedrv-fake" >"$d/log/fake.log" 2>&1 &
			NUT_FAKE_PID=$!; pk_cleanup "pk_kill $!"
		fi
		sleep 1.2
		"$NUT_SBIN/upsd" -F -u "$user" >"$d/log/upsd.log" 2>&1 &
		NUT_UPSD_PID=$!; pk_cleanup "pk_kill $!"
		if pk_wait_tcp 127.0.0.1 "$NUT_PORT" 5 && nut_testbed_ready; then
			return 0
		fi
		echo "# testbed: upsd did not come up (try $try):" >&2
		sed 's/^/#   /' "$d/log/upsd.log" | tail -5 >&2
		for pid in $(cat "$d"/run/tb-*.pid) $NUT_FAKE_PID $NUT_UPSD_PID; do pk_kill "$pid"; done
	done
	return 1
}

# nut_hostile MODE: starts tests/nut/hostile.py MODE; sets HOSTILE_PORT.
nut_hostile() {
	pk_start_listener "hostile-$1" python3 "$NUT_TESTBED/hostile.py" "$1"
	HOSTILE_PORT=$LISTEN_PORT
	[ -n "$HOSTILE_PORT" ]
}

# nut_wait_rc RC CMD...: runs CMD (with lib.sh's run) until it exits RC,
# for at most 6 s; upsd shows a driver's state change within ~2 s.
nut_wait_rc() {
	local want=$1 i
	shift
	for i in $(seq 30); do
		run "$@"
		[ "$RC" = "$want" ] && return 0
		sleep 0.2
	done
	return 1
}

# nut_devbed_start DIR [ADDR [PORT]]: another private upsd serving one
# dummy-ups UPS per DIR/NAME.dev, named NAME (the .dev files set any
# variable and ups.status), listening on ADDR (default 127.0.0.1) and
# PORT (default a free one); DIR gets its etc/, run/ and log/.  Sets
# DEVBED_PORT.
nut_devbed_start() {
	local d=$1 addr=${2:-127.0.0.1} dev name user try names=""
	mkdir -p "$d/etc" "$d/run" "$d/log"
	chmod 755 "$d" "$d/run"
	user=$(nut_run_user)
	for dev in "$d"/*.dev; do
		name=$(basename "$dev" .dev)
		names="$names $name"
		cp "$dev" "$d/etc/"
		printf '[%s]\n\tdriver = dummy-ups\n\tport = %s.dev\n' "$name" "$name"
	done >"$d/etc/ups.conf"
	: >"$d/etc/upsd.users"
	chmod 600 "$d/etc/upsd.users"
	for try in 1 2 3; do
		DEVBED_PORT=${3:-$(pk_free_port)}
		printf 'STATEPATH %s/run\nLISTEN %s %s\n' "$d" "$addr" "$DEVBED_PORT" >"$d/etc/upsd.conf"
		for name in $names; do
			NUT_CONFPATH=$d/etc NUT_STATEPATH=$d/run NUT_ALTPIDPATH=$d/run \
				"$NUT_SBIN/dummy-ups" -a "$name" -F -u "$user" >"$d/log/$name.log" 2>&1 &
			echo $! >"$d/run/db-$name.pid"; pk_cleanup "pk_kill $!"
		done
		sleep 1.2
		NUT_CONFPATH=$d/etc NUT_STATEPATH=$d/run NUT_ALTPIDPATH=$d/run \
			"$NUT_SBIN/upsd" -F -u "$user" >"$d/log/upsd.log" 2>&1 &
		echo $! >"$d/run/db-upsd.pid"; pk_cleanup "pk_kill $!"
		if pk_wait_tcp "$addr" "$DEVBED_PORT" 5 &&
			NUT_ADDR=$addr NUT_PORT=$DEVBED_PORT nut_ups_ready $names; then
			return 0
		fi
		sed 's/^/#   /' "$d/log/upsd.log" | tail -5 >&2
		for pid in $(cat "$d"/run/db-*.pid); do pk_kill "$pid"; done
	done
	return 1
}
