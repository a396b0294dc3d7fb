#!/bin/bash
# demo_1nut.sh — the NUT part of `make demo`: a private upsd with three
# UPSes (dummy, cycle going OL / OB / OB LB / OL CHRG, fake), a short tour
# of nutq, nutset and nutcmd with each command echoed, then everything
# stopped.
. "$(dirname "$0")/lib.sh"
. "$PK_TESTS/nut/testbed.sh"
trap 'pk_on_exit >/dev/null' EXIT
export PATH="$PK_BIN:$PATH"

show() {
	printf '$'; printf ' %q' "$@"; printf '\n'
	"$@"
	local rc=$?
	[ $rc = 0 ] || echo "(exit $rc)"
	echo
}

echo "== NUT: starting a private upsd with dummy-ups and a fake driver"
nut_testbed_start || { echo "demo: could not start upsd" >&2; exit 1; }
H=127.0.0.1:$NUT_PORT
echo "upsd listens on $H"
echo
show nutq -L "$H"
show nutq "dummy@$H"
show nutq "dummy@$H" ups.status battery.charge ups.serial
show nutq "dummy@$H" ups.status no.such.var
for i in 1 2 3 4; do  # each step of cycle.seq lasts about 4 s
	show nutq "cycle@$H" ups.status battery.charge
	[ $i = 4 ] || sleep 4
done
show nutq -j "fake@$H" ups.status ups.firmware battery.charge input.voltage
show nutq --format prom "fake@$H"
show nutq --rw "fake@$H"
export NUT_USER=admin NUT_PASSWORD=adminpass
echo "\$ export NUT_USER=admin NUT_PASSWORD=..."
echo
show nutset "fake@$H" input.sensitivity=bogus
show nutset "fake@$H" battery.charge.low=35
show nutset "fake@$H" input.sensitivity=high battery.charge.low=25
show nutset -n "fake@$H" 'ups.id=rack "A"'
show nutcmd -l "fake@$H"
show nutcmd "fake@$H" test.battery.start
show nutq "fake@$H" ups.status
show nutcmd "fake@$H" load.off
show nutcmd "fake@$H" fake.echo "two words"
show nutq "fake@$H" fake.lastparam
show nutcmd -t 1 "fake@$H" fake.pending
show nutq --server "$H"
echo "== NUT: stopping the private upsd"
