#!/usr/bin/env python3
"""pdu_pass.py DEVICE — net-snmp pass_persist backend simulating a switched
PDU for the pductl tests (stdlib only).

DEVICE is "cyberpower" (CPS-MIB ePDU and ePDU2 tables under
.1.3.6.1.4.1.3808.1.1, 8 outlets, 2 banks, not metered per outlet), "apc"
(PowerNet-MIB rPDU2 under .1.3.6.1.4.1.318.1.1.26, 8 outlets, 2 banks,
metered per outlet, bank rows in reverse order, and outlet 8 answers genErr
to a command SET that it carries out anyway, as an AP8965 was reported to
do) or "apc-rpdu" (PowerNet-MIB first-generation rPDU, masterSwitchrPDU,
under .1.3.6.1.4.1.318.1.1.12: identity as the AP7900 walk quoted in NUT's
apc-pdu-mib.c driver, model
AP7900, firmware v3.7.3, reboot duration 5, 8 outlets, not metered per
outlet; unlike that AP7900 it has two banks so that the load rows are
exercised: one phase row first (BankNumber 0), then the banks) or
"apc-spdu" (PowerNet-MIB MasterSwitch sPDU tables under
.1.3.6.1.4.1.318.1.1.4 only, as a unit whose rPDU tables are absent:
identity, unit name, outlet names and delays as the AP7900 walk quoted in
NUT's apc-pdu-mib.c driver, model AP7900, firmware v3.7.3, serial
5A1234E00874, "RackPDU", outlets "Testing Name", "Testing 2", "Outlet 3"
... "Outlet 8", power-on/off times 0, reboot duration 5; sPDUOutletCtl
reads 1 on / 2 off and takes 1 on, 2 off, 3 reboot, 5-7 the delayed
variants, 4 (outletUnknown) being read-only; sPDUMasterState and
sPDUMasterPending as fixed-width strings).

DEVICE "raritan" is a Raritan PX2 (PDU2-MIB under .1.3.6.1.4.1.13742.6,
pduId 1): identity, 24 outlets, outlet current with one decimal digit and
the cycling off-period of 10 s as the PX2-5475 walk quoted in NUT's
raritan-px2-mib.c driver (Raritan, PX2-5475, QFC3950619, firmware
2.4.3.5-40298, "my PX"); unlike that unit it has two over-current
protectors (outlets 1-12 and 13-24) with two decimal digits, so that
the OCP rows and a second precision are exercised.  outletSwitchingState
reads on(7) / off(8); switchingOperation takes off(0), on(1), cycle(2);
outlets 9-24 have no name ("" as on a new unit).  "raritan-chain" is that PX2 with a second
PX unit chained behind it, as PDU2-MIB indexes them: pduCount 2, every
row led by pduId (1 the unit at the address, 2 the chained one), 8
outlets and 2 over-current protectors a unit.

DEVICE "sentry4" is a ServerTech PRO2 Sentry4 Switched PDU (Sentry4-MIB
under .1.3.6.1.4.1.1718.4, unit 1, cord 1) after the librenms sentry4
walk: sysDescr "Sentry Smart PDU", cord AA "Master_Cord_A" (L15-30P) with
36 outlets and three branches AA:L1-L2-BR1.. in status normal(0) and state
on(1); that walk leaves out the unit table and the outlets, so the unit
("C2WG36TE-DQME2M66/C", serial ABEF0001561, firmware 8.0q, "rack-d-pdu")
and the outlet data are this simulator's own: st4OutletState on 1 / off 2,
st4OutletControlAction on 1, off 2, reboot 3 (4-6 queue; refused here),
currents in hundredths, -1 on outlets 33-36 (not measured),
st4OutletRebootDelay 5 s.  "sentry4-metered" is the same unit without the
control table (a Smart PDU).  "sentry4-chain" is a master unit A with one
link unit B behind it, as Sentry4-MIB indexes them: st4SystemUnitCount 2,
every unit, cord, branch and outlet row led by st4UnitIndex (1 A, 2 B;
st4UnitType masterPdu 0, linkPdu 1), 8 outlets and 2 branches a unit, the
link unit's outlets drawing three times the current.  "sentry3" is a ServerTech Switched CDU
(Sentry3-MIB under .1.3.6.1.4.1.1718.3, tower 1, infeed 1) after the
librenms sentry3 walk: "Sentry Switched CDU Version 7.1a", tower
CW-24V2C458C1 serial ADLH0001862, infeed "TowerA_InfeedA", 24 outlets;
outletStatus off 0 / on 1, outletControlAction on 1, off 2, reboot 3,
loads in hundredths; "sentry3-metered" has no outletControlState or
outletControlAction.

DEVICE "eaton" is an Eaton G3 switched ePDU (EATON-EPDU-MIB under
.1.3.6.1.4.1.534.6.6.7, strappingIndex 0): the value forms of the
walk comments in NUT's eaton-pdu-marlin-mib.c (groups "Factory Group 1"
and 2 of 12 outlets each, groupCurrent in mA, groupCurrentThStatus
good(0), outletControlStatus off 0 / on 1, outletControl{Off,On,Reboot}Cmd
reading -1 and taking a delay in seconds, 0 acting now); the unit's
identity (EMAB03, serial, firmware) is this simulator's own.
"eaton-metered" is the same unit without the command columns.

DEVICE "cyberpower-ats" is a CyberPower ATS with 8 switched outlets
(CPS-MIB ats tables under .1.3.6.1.4.1.3808.1.1.5): atsIdentModel,
serial and firmware, atsOutletDevTotalOutletNum, atsOutletStatusTable
(name, state on 1 / off 2) and atsOutletCtrlCommand taking immediateOn 2,
immediateOff 3, immediateReboot 4 (1 noCommand), as a published control
module for these units uses them; the atsIdent group as CPS-MIB numbers it
(atsIdentName 1, ModelName 2, HardwareRev 3, FirmwareRev 4, SerialNumber
5); model PDU15SWHVIEC8ATNET and the rest are this simulator's own.

DEVICE "tripplite" is a Tripp Lite switched PDU (TRIPPLITE-PRODUCTS under
.1.3.6.1.4.1.850.1.1, tlpDeviceIndex 1) from the MIB: tlpDeviceTable and
tlpDeviceIdentTable (model, name, firmware, serial), tlpPduIdentTable
(14 outlets, as the published lab scripts drive theirs, and 2 circuits),
tlpPduOutletTable indexed device.outlet with tlpPduOutletState unknown 0 /
off 1 / on 2, tlpPduOutletControllable true(1), tlpPduOutletCommand
reading idle(0) and taking turnOff 1, turnOn 2, cycle 3 (idle 0 does
nothing; any other value is wrongValue, any other type wrongType), no
outlet current or power (the MIB's noSuchName where a unit does not
meter outlets), tlpPduCircuitTotalCurrent in hundredths of an ampere.
The identity values (PDUMH15NET, firmware, serial) and the cycle's off
time (5 s, scaled) are this simulator's own.  "tripplite-metered" is a
metered unit: tlpPduOutletControllable false(2), no command column, and
outlet current (hundredths) and power.

DEVICE "geist" is a Vertiv Geist switched rPDU with the IMD controller
(VERTIV-V5-MIB, formerly GEIST-V5-MIB, under .1.3.6.1.4.1.21239.5.2)
from the MIB: deviceInfo scalars, pduMainTable, two pduBreakerTable rows
(currents in hundredths), 24 outlets indexed by the outlet alone in
pduOutletSwitchTable (factory names "Outlet N", labels as the user set
them, at most 25 bytes: longer is wrongLength) and pduOutletMeterTable;
pduOutletSwitchState on 1, off 2, on2off 3, off2on 4, rebootOn 5,
rebootOff 6; pduOutletSwitchControl reads none(8), takes cancel 1, on 2,
onAfterDelay 3, off 4, offAfterDelay 5, reboot 6, rebootAfterDelay 7 (none 8
does nothing, others are wrongValue, other types wrongType) and answers
inconsistentValue for outlet 24, which is not in manual mode, as the MIB
says of such outlets.  The identity values, the delays (on 3 s, off and
reboot 2 s, reboot hold 5 s, scaled) are this simulator's own.
"geist-metered" is an outlet-metered unit without switching: no
pduOutletSwitchTable.  PDU_SIM_GEIST_OUTLETS=N in the environment gives
either N outlets (1 to 96) instead of 24, as other models have: the MIB
publishes no count, so clients count rows.

DEVICE "raritan-px1" is a Raritan Dominion PX of the first generation
(PDU-MIB under .1.3.6.1.4.1.13742.4, sysObjectID 13742.4 and the sysDescr
of the librenms raritan walk) from the MIB: the info group's readable
objects (firmwareVersion in its major.minor.dot.build form, serialNumber,
hardwareRev, the ratings as DisplayStrings, outletSwitching "enabled"),
outletCount and outletTable indexed by the outlet alone (8 outlets):
outletLabel, outletOperationalState reading error -1 / off 0 / on 1 /
cycling 2 and taking off 0, on 1, cycling 2 (a power cycle: cycling until
the unit switches the outlet back on), currents in milliamperes, voltage
in millivolts, power in watts; unitReadings; two circuit breakers
(outlets 1-4 and 5-8) with their state ok(0) and current in milliamperes.
Writing error(-1) or any value outside the enumeration is wrongValue, a
non-integer wrongType, an outlet the unit does not have notWritable;
labels are DisplayStrings (at most 255 bytes, longer is wrongLength).  The
MIB's model and device name are notification objects only, so the agent
has none to read.  The serial, the ratings and the power-off time of a
cycle (5 s, scaled) are this simulator's own.  With PDU_SIM_PX1_TRIPPED=K
in the environment, circuit breaker K reads tripped(1) and no current
(its outlets keep their relay state).  "raritan-px1-metered" is that PX1
without outlet switching: outletSwitching reads "disabled", as PDU-MIB
says a non-switched PDU's does, and outletOperationalState, which still
reads on, is notWritable.

Tripping while the agent runs: with PDU_SIM_TRIP_FILE=PATH, the breakers
named in that file, read at every view ("K" for unit 1's breaker K, or
"U:K", one a line; an absent or empty file trips none), read tripped:
raritan-px1's circuitBreakerState tripped(1), raritan's (and
raritan-chain's) over-current protector trip sensor (sensor type 15)
open(0) instead of closed(1), sentry4's (and
sentry4-chain's) st4BranchStatus breakerTripped(12) with st4BranchState
off(2), and eaton's (and eaton-chain's, whose unit U is strappingIndex
U-1) groupBreakerStatus breakerOff(2) instead of breakerOn(1); each with
no current.  A test writes the file to trip a breaker and empties it to
reset it.

Load alarms while the agent runs: with PDU_SIM_BANK_STATE_FILE=PATH,
lines "K=V" or "U:K=V" set bank K's (unit U's) threshold state column to
the raw value V, read at every view: raritan's and raritan-chain's
overCurrentProtectorSensorState (normal 4, aboveUpperWarning 5,
aboveUpperCritical 6), eaton's groupCurrentThStatus (good 0,
highWarning 3, highCritical 4) and sentry4's st4BranchCurrentStatus
(normal 0, highWarning 16, highAlarm 17).

Outlet commands change the state: reboot = off, then on after the outlet's
reboot duration x PDU_SIM_SCALE seconds (default 0.1); delayed commands
wait the power-on/off time x scale; cancel drops pending work.
Value maps, as the vendor MIBs define them: outlet state 1 on / 2 off
(ePDUOutletStatusOutletState, rPDUOutletStatusOutletState), except rPDU2's
rPDU2OutletSwitchedStatusState, 1 off / 2 on; commands 1 on, 2 off,
3 reboot, then delayed on/off/reboot 4-6 and cancel 7 (CyberPower, rPDU)
or 5-7 and cancel 8 (rPDU2OutletSwitchedControlCommand); load state
1 normal, 2 low, except rPDU2 with 1 low, 2 normal.
"""
import bisect
import os
import sys
import time

SCALE = float(os.environ.get("PDU_SIM_SCALE", "0.1"))
NAMES = ["nas", "web", "db", "switch", "fw, core", "spare", "spare", "lab"]


class Outlet:
    def __init__(self, n):
        self.n = n
        self.name = NAMES[n - 1] if n <= len(NAMES) else ""
        self.on = n != 6           # outlet 6 starts off
        self.bank = 1 if n <= 4 else 2
        self.reboot_s = 5
        self.on_delay = 3
        self.off_delay = -1 if n == 2 else 2
        self.events = []           # (when, on?) still to happen
        self.draw = 1              # times the usual current (a heavier unit's outlets)

    def settle(self):
        now = time.monotonic()
        due = [e for e in self.events if e[0] <= now]
        self.events = [e for e in self.events if e[0] > now]
        for _, on in sorted(due):
            self.on = on

    def pending(self):
        self.settle()
        return bool(self.events)

    def command(self, what):
        """what: on, off, reboot, don, doff, dreboot, cancel."""
        self.last = what
        now = time.monotonic()
        gap = self.reboot_s * SCALE
        self.settle()
        if what == "on":
            self.events, self.on = [], True
        elif what == "off":
            self.events, self.on = [], False
        elif what == "reboot":
            self.on = False
            self.events = [(now + gap, True)]
        elif what == "don":
            self.events = [(now + max(self.on_delay, 0) * SCALE, True)]
        elif what == "doff":
            self.events = [(now + max(self.off_delay, 0) * SCALE, False)]
        elif what == "dreboot":
            off_at = now + max(self.off_delay, 0) * SCALE
            self.events = [(off_at, False), (off_at + gap, True)]
        elif what == "cancel":
            self.events = []

    def amps10(self):
        self.settle()
        return (3 + self.n) * self.draw if self.on else 0


def set_name(outlet, typ, val, longest):
    """A SET of an outlet's name: a string of at most longest bytes."""
    if typ != "string":
        return "wrong-type"
    if len(val) > longest:
        return "wrong-length"
    outlet.name = val
    return "DONE"


def outlet_set(outlet, col, typ, val, name_col, longest, cmd_col, cmds):
    """A SET of one outlet's column in a chained unit: its name (a string
    of at most longest bytes) or its command (a value of cmds)."""
    if col == name_col:
        return set_name(outlet, typ, val, longest)
    if col != cmd_col:
        return "not-writable"
    if typ != "integer":
        return "wrong-type"
    if int(val) not in cmds:
        return "wrong-value"
    outlet.command(cmds[int(val)])
    return "DONE"


def tripped_breakers():
    """(unit, breaker) pairs that read tripped: PDU_SIM_PX1_TRIPPED's at
    start, and those of the file PDU_SIM_TRIP_FILE names, read now."""
    trips = set()
    if os.environ.get("PDU_SIM_PX1_TRIPPED"):
        trips.add((1, int(os.environ["PDU_SIM_PX1_TRIPPED"])))
    try:
        with open(os.environ.get("PDU_SIM_TRIP_FILE", "")) as f:
            for line in f.read().split():
                unit, _, k = line.rpartition(":")
                trips.add((int(unit or 1), int(k)))
    except OSError:
        pass
    return trips


def run_time_files():
    """What the trip and bank-state files hold now (None for a file that
    is not there), to tell when a test changed one."""
    held = []
    for name in ("PDU_SIM_TRIP_FILE", "PDU_SIM_BANK_STATE_FILE"):
        try:
            with open(os.environ.get(name, "")) as f:
                held.append(f.read())
        except OSError:
            held.append(None)
    return tuple(held)


def bank_alarms():
    """{(unit, bank): value} of the file PDU_SIM_BANK_STATE_FILE names,
    read now: lines "K=V" (unit 1's bank K) or "U:K=V", V the raw value
    of the family's threshold state column for that bank (raritan's
    overCurrentProtectorSensorState, eaton's groupCurrentThStatus,
    sentry4's st4BranchCurrentStatus); an absent or empty file: none."""
    alarms = {}
    try:
        with open(os.environ.get("PDU_SIM_BANK_STATE_FILE", "")) as f:
            for line in f.read().split():
                where, _, value = line.partition("=")
                unit, _, k = where.rpartition(":")
                alarms[(int(unit or 1), int(k))] = int(value)
    except OSError:
        pass
    return alarms


def oid(text):
    return tuple(int(x) for x in text.strip().strip(".").split("."))


class Device:
    """Builds the MIB view as {oid tuple: (type, value)} on every request,
    and applies SETs through a table of writable columns."""

    def __init__(self, kind):
        self.kind = kind
        self.outlets = [Outlet(n) for n in range(1, 9)]
        self.name = {"cyberpower": "rack-a-pdu", "apc": "rack-b-pdu"}.get(kind, "rack-c-pdu")
        self.cached = None
        self.cached_files = None
        if kind == "apc-spdu":
            self.spdu_init()
        if kind in ("raritan", "raritan-chain"):
            self.raritan_init()
        if kind.startswith("raritan-px1"):
            self.px1_init()
        if kind.startswith("sentry"):
            self.sentry_init()
        if kind in ("eaton", "eaton-metered"):
            self.eaton_init()
        if kind.startswith("tripplite"):
            self.tripplite_init()
        if kind.startswith("geist"):
            self.geist_init()
        self.units = [self.outlets]
        self.rows = [(1, o) for o in self.outlets]
        if kind.endswith("-chain"):
            self.chain_init()

    # ---- daisy chains ----------------------------------------------------
    # "-chain" models: units behind one address, each with 8 outlets of
    # its own (outlet 6 off on each); unit 2's outlets are named "u2-nas"
    # and so on.  Row-indexed tables (rPDU2, ePDU2) list the outlets of
    # every unit in one table whose rows carry the unit (module) and the
    # outlet number: the APC chain interleaves them (row 1 is unit 1
    # outlet 1, row 2 unit 2 outlet 1, ...), as nothing in PowerNet-MIB
    # ties a row to a unit but those columns.  With PDU_SIM_APC_NPS_ROWS=1
    # the rows are grouped by unit instead, the host's first and each
    # guest's after them, as published references describe a Network
    # Port Sharing group (a guest's outlet indexes follow the host's).
    CHAIN_UNITS = {"apc-chain": 2, "eaton-chain": 3, "cyberpower-chain": 3, "sentry4-chain": 2,
                   "raritan-chain": 2}

    def chain_init(self):
        count = self.CHAIN_UNITS[self.kind]
        self.units = [[Outlet(n) for n in range(1, 9)] for _ in range(count)]
        for u, outs in enumerate(self.units[1:], 2):
            for o in outs:
                o.name = "u%d-%s" % (u, o.name)
        if self.kind == "apc-chain" and os.environ.get("PDU_SIM_APC_NPS_ROWS") != "1":
            self.rows = [(u, outs[k]) for k in range(8) for u, outs in
                         enumerate(self.units, 1)]
        else:
            self.rows = [(u, o) for u, outs in enumerate(self.units, 1) for o in outs]
        self.outlets = [o for _, o in self.rows]
        if self.kind == "eaton-chain":
            self.name = "rack-e-pdu"
        if self.kind == "sentry4-chain":
            # the link unit B draws three times as much: its banks alone
            # reach the thresholds the tests set
            for o in self.units[1]:
                o.draw = 3

    def bank_amps10(self, bank):
        return sum(o.amps10() for o in self.outlets if o.bank == bank)

    # ---- CyberPower ----------------------------------------------------
    CP_CMD = {1: "on", 2: "off", 3: "reboot", 4: "don", 5: "doff", 6: "dreboot", 7: "cancel"}

    def cyberpower(self):
        v = {}
        e = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 3)
        ident = ["s:" + self.name, "s:HW 1.0", "s:1.3.4", "s:01/02/2023", "s:PDU41008",
                 "s:NJ12A3004567", 15, 8, 1, 2]
        for i, x in enumerate(ident, 1):
            v[e + (1, i, 0)] = x
        v[e + (2, 1, 2, 0)] = 1
        v[e + (2, 1, 4, 0)] = 2
        v[e + (2, 1, 5, 0)] = 2
        total = self.bank_amps10(1) + self.bank_amps10(2)
        for row, bank, amps in ((1, 0, total), (2, 1, self.bank_amps10(1)),
                                (3, 2, self.bank_amps10(2))):
            t = e + (2, 3, 1, 1)
            v[t + (1, row)] = row
            v[t + (2, row)] = ("g", amps)
            v[t + (3, row)] = 1 if amps < 120 else 3
            v[t + (4, row)] = 1
            v[t + (5, row)] = bank
            v[t + (6, row)] = 1200
            v[t + (7, row)] = amps * 12
        v[e + (3, 1, 1, 0)] = 1
        v[e + (3, 1, 2, 0)] = -1
        v[e + (3, 1, 3, 0)] = 8
        v[e + (3, 1, 4, 0)] = 8
        for o in self.outlets:
            st = 1 if o.on else 2
            n = o.n
            for col, val in ((1, n), (2, "s:" + o.name), (3, 1), (4, st), (5, o.bank)):
                v[e + (3, 3, 1, 1, col, n)] = val
            for col, val in ((1, n), (2, "s:" + o.name), (4, o.on_delay), (5, o.off_delay),
                             (6, o.reboot_s), (7, o.bank)):
                v[e + (3, 4, 1, 1, col, n)] = val
            for col, val in ((1, n), (2, "s:" + o.name), (3, 1), (4, st),
                             (5, 1 if o.pending() else 2), (6, o.bank)):
                v[e + (3, 5, 1, 1, col, n)] = val
        # ePDU2 tables of the same unit (standalone: module 1).
        e2 = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 6)
        v[e2 + (1, 0)] = 1
        v[e2 + (2, 1, 0)] = 1
        for col, val in ((3, "s:" + self.name), (6, "s:HW 1.0"), (7, "s:2.0.1"),
                         (9, "s:PDU41008"), (10, "s:NJ12A3004567")):
            v[e2 + (2, 2, 1, col, 1)] = val
        v[e2 + (5, 1, 0)] = 2
        for bank in (1, 2):
            # ePDU2BankStatus: Index, ModuleIndex, Number, LoadState, Load
            for col, val in ((1, bank), (2, 1), (3, bank), (4, 1),
                             (5, ("g", self.bank_amps10(bank)))):
                v[e2 + (5, 4, 1, col, bank)] = val
        v[e2 + (6, 1, 1, 0)] = 8
        for o in self.outlets:
            n, st = o.n, (1 if o.on else 2)
            v[e2 + (6, 1, 2, 1, 4, n)] = "s:" + o.name
            v[e2 + (6, 1, 2, 1, 7, n)] = o.reboot_s
            v[e2 + (6, 1, 3, 1, 6, n)] = o.bank
            v[e2 + (6, 1, 4, 1, 4, n)] = "s:" + o.name
            v[e2 + (6, 1, 4, 1, 5, n)] = st
            v[e2 + (6, 1, 4, 1, 6, n)] = 1 if o.pending() else 2
            v[e2 + (6, 1, 5, 1, 5, n)] = st
        return v

    def cyberpower_set(self, key, typ, val):
        e = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 3)
        e2 = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 6)
        cmd_cols = (e + (3, 3, 1, 1, 4), e2 + (6, 1, 5, 1, 5))
        name_cols = (e + (3, 4, 1, 1, 2), e2 + (6, 1, 2, 1, 4))
        dur_cols = (e + (3, 4, 1, 1, 6), e2 + (6, 1, 2, 1, 7))
        return self.apply_set(key, typ, val, cmd_cols, name_cols, dur_cols, self.CP_CMD,
                              ident_name=e + (1, 1, 0))

    # CyberPower ePDU2 tables alone, for a chain (ePDU2Role host): the
    # ident and device tables by module, the outlet tables by row with
    # ModuleIndex (col 2) and Number (col 3) in the status table.
    E2 = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 6)

    def epdu2_chain(self):
        v = {}
        e2 = self.E2
        v[e2 + (1, 0)] = 2
        v[e2 + (2, 1, 0)] = len(self.units)
        v[e2 + (3, 1, 0)] = len(self.units)
        for u, outs in enumerate(self.units, 1):
            for col, val in ((3, "s:rack-g-pdu-%d" % u), (6, "s:HW 1.0"), (7, "s:2.0.1"),
                             (9, "s:PDU81005"), (10, "s:NJ12A300456%d" % u)):
                v[e2 + (2, 2, 1, col, u)] = val
            for col, val in ((5, len(outs)), (6, len(outs)), (7, 0), (8, 1), (9, 2)):
                v[e2 + (3, 3, 1, col, u)] = val
        # every unit's banks in one table, each row naming its module
        # and bank number (ePDU2BankStatusModuleIndex, ...Number)
        v[e2 + (5, 1, 0)] = 2 * len(self.units)
        row = 0
        for u, outs in enumerate(self.units, 1):
            for bank in (1, 2):
                row += 1
                for col, val in ((1, row), (2, u), (3, bank), (4, 1),
                                 (5, ("g", sum(o.amps10() for o in outs if o.bank == bank)))):
                    v[e2 + (5, 4, 1, col, row)] = val
        v[e2 + (6, 1, 1, 0)] = len(self.rows)
        for row, (u, o) in enumerate(self.rows, 1):
            st = 1 if o.on else 2
            v[e2 + (6, 1, 2, 1, 4, row)] = "s:" + o.name
            v[e2 + (6, 1, 2, 1, 7, row)] = o.reboot_s
            v[e2 + (6, 1, 3, 1, 6, row)] = o.bank
            for col, val in ((1, row), (2, u), (3, o.n), (4, "s:" + o.name), (5, st),
                             (6, 1 if o.pending() else 2)):
                v[e2 + (6, 1, 4, 1, col, row)] = val
            v[e2 + (6, 1, 5, 1, 5, row)] = st
        return v

    def epdu2_chain_set(self, key, typ, val):
        e2 = self.E2
        return self.apply_set(key, typ, val, (e2 + (6, 1, 5, 1, 5),), (e2 + (6, 1, 2, 1, 4),),
                              (e2 + (6, 1, 2, 1, 7),), self.CP_CMD, ident_name=None)

    # ---- APC rPDU2 -----------------------------------------------------
    APC_CMD = {1: "on", 2: "off", 3: "reboot", 5: "don", 6: "doff", 7: "dreboot", 8: "cancel"}

    def apc(self):
        v = {}
        e = (1, 3, 6, 1, 4, 1, 318, 1, 1, 26)
        v[e + (1, 0)] = len(self.units)
        for u, outs in enumerate(self.units, 1):
            name = self.name if u == 1 else "%s-%d" % (self.name, u)
            for col, val in ((1, u), (2, u), (3, "s:" + name), (4, "s:lab row 2"),
                             (5, "s:v2.0"), (6, "s:v6.9.6"), (7, "s:05/06/2021"),
                             (8, "s:AP8941"), (9, "s:ZA12345678%d0" % (u + 8))):
                v[e + (2, 1, col, u)] = val
            for col, val in ((4, len(outs)), (5, len(outs)), (6, len(outs)), (7, 1), (8, 2),
                             (9, 16)):
                v[e + (4, 2, 1, col, u)] = val
        v[e + (3, 0)] = len(self.units)
        v[e + (4, 1, 1, 3, 1)] = "s:" + self.name
        total = self.bank_amps10(1) + self.bank_amps10(2)
        v[e + (4, 3, 1, 4, 1)] = 2
        v[e + (4, 3, 1, 5, 1)] = total * 23 // 100
        v[e + (4, 3, 1, 9, 1)] = -1
        v[e + (7, 0)] = 2 * len(self.units)
        # Bank rows in reverse order: row 1 is bank 2; in a chain every
        # unit's rows, each naming its module (rPDU2BankStatusModule).
        for u, outs in enumerate(self.units, 1):
            for row, bank in ((2 * u - 1, 2), (2 * u, 1)):
                amps = sum(o.amps10() for o in outs if o.bank == bank)
                for col, val in ((1, row), (2, u), (3, bank), (4, 2 if amps < 120 else 3),
                                 (5, ("g", amps))):
                    v[e + (8, 3, 1, col, row)] = val
        v[e + (9, 1, 0)] = len(self.rows)
        for row, (u, o) in enumerate(self.rows, 1):
            n = o.n
            for col, val in ((1, row), (2, u), (3, "s:" + o.name), (4, n), (5, o.on_delay),
                             (6, o.off_delay), (7, o.reboot_s)):
                v[e + (9, 2, 1, 1, col, row)] = val
            v[e + (9, 2, 2, 1, 6, row)] = o.bank
            for col, val in ((1, row), (2, u), (3, "s:" + o.name), (4, n),
                             (5, 2 if o.on else 1), (6, 1 if o.pending() else 2)):
                v[e + (9, 2, 3, 1, col, row)] = val
            v[e + (9, 2, 4, 1, 5, row)] = 1 if o.on else 2
            amps = o.amps10()
            v[e + (9, 4, 3, 1, 6, row)] = ("g", amps)
            v[e + (9, 4, 3, 1, 7, row)] = ("g", amps * 23)
            v[e + (9, 4, 3, 1, 11, row)] = ("g", 1000 + row)
        return v

    def apc_set(self, key, typ, val):
        e = (1, 3, 6, 1, 4, 1, 318, 1, 1, 26)
        return self.apply_set(key, typ, val, (e + (9, 2, 4, 1, 5),), (e + (9, 2, 1, 1, 3),),
                              (e + (9, 2, 1, 1, 7),), self.APC_CMD,
                              ident_name=e + (4, 1, 1, 3, 1), generr_outlet=8)

    # ---- APC rPDU (first generation, AP79xx) ----------------------------
    # Same layout and value maps as CyberPower's ePDU, which mirrors this
    # table column for column: state 1 on, 2 off; commands 1..7 without
    # identify (8).
    RPDU_E = (1, 3, 6, 1, 4, 1, 318, 1, 1, 12)

    def rpdu(self):
        v = {}
        e = self.RPDU_E
        total = self.bank_amps10(1) + self.bank_amps10(2)
        ident = {1: "s:" + self.name, 2: "s:B2", 3: "s:v3.7.3", 4: "s:07/10/2008",
                 5: "s:AP7900", 6: "s:ZA0828012345", 7: 15, 8: 8, 9: 1, 10: 2,
                 16: total * 12}
        for i, x in ident.items():
            v[e + (1, i, 0)] = x
        v[e + (2, 1, 2, 0)] = 1   # rPDULoadDevNumPhases
        v[e + (2, 1, 4, 0)] = 2   # rPDULoadDevNumBanks
        v[e + (2, 1, 5, 0)] = 2   # rPDULoadDevBankTableSize
        for row, bank, amps in ((1, 0, total), (2, 1, self.bank_amps10(1)),
                                (3, 2, self.bank_amps10(2))):
            for col, val in ((1, row), (2, ("g", amps)), (3, 1 if amps < 120 else 3),
                             (4, 1), (5, bank)):
                v[e + (2, 3, 1, 1, col, row)] = val
        v[e + (3, 1, 1, 0)] = 1   # rPDUOutletDevCommand reads noCommandAll
        v[e + (3, 1, 2, 0)] = 0
        v[e + (3, 1, 3, 0)] = 8
        for o in self.outlets:
            n, st = o.n, (1 if o.on else 2)
            for col, val in ((1, n), (2, "s:" + o.name), (3, 1), (4, st), (5, o.bank)):
                v[e + (3, 3, 1, 1, col, n)] = val
            for col, val in ((1, n), (2, "s:" + o.name), (3, 1), (4, o.on_delay),
                             (5, o.off_delay), (6, o.reboot_s), (7, o.bank)):
                v[e + (3, 4, 1, 1, col, n)] = val
            for col, val in ((1, n), (2, "s:" + o.name), (3, 1), (4, st),
                             (5, 1 if o.pending() else 2), (6, o.bank)):
                v[e + (3, 5, 1, 1, col, n)] = val
        return v

    def rpdu_set(self, key, typ, val):
        e = self.RPDU_E
        return self.apply_set(key, typ, val, (e + (3, 3, 1, 1, 4),), (e + (3, 4, 1, 1, 2),),
                              (e + (3, 4, 1, 1, 6),), self.CP_CMD, ident_name=e + (1, 1, 0))

    # ---- APC MasterSwitch sPDU (legacy table) -----------------------------
    SPDU_E = (1, 3, 6, 1, 4, 1, 318, 1, 1, 4)
    SPDU_CMD = {1: "on", 2: "off", 3: "reboot", 5: "don", 6: "doff", 7: "dreboot"}
    SPDU_NAMES = ["Testing Name", "Testing 2"] + ["Outlet %d" % n for n in range(3, 9)]

    def spdu_init(self):
        self.name = "RackPDU"
        for o, name in zip(self.outlets, self.SPDU_NAMES):
            o.name, o.on_delay, o.off_delay = name, 0, 0

    def spdu(self):
        v = {}
        e = self.SPDU_E
        for i, x in enumerate(["s:B2", "s:v3.7.3", "s:08/13/2012", "s:AP7900",
                               "s:5A1234E00874"], 1):
            v[e + (1, i, 0)] = x
        v[e + (2, 1, 0)] = 6   # sPDUMasterControlSwitch reads noCommand
        v[e + (2, 2, 0)] = "s:" + "".join("On  " if o.on else "Off " for o in self.outlets)
        v[e + (2, 3, 0)] = "s:" + "".join("Yes " if o.pending() else "No  "
                                          for o in self.outlets)
        v[e + (3, 1, 0)] = 0
        v[e + (3, 2, 0)] = 0
        v[e + (3, 3, 0)] = "s:" + self.name
        v[e + (4, 1, 0)] = 8
        v[e + (5, 1, 0)] = 8
        for o in self.outlets:
            n = o.n
            for col, val in ((1, n), (2, 1 if o.pending() else 2), (3, 1 if o.on else 2),
                             (4, "s:" + o.name)):
                v[e + (4, 2, 1, col, n)] = val
            for col, val in ((1, n), (2, o.on_delay), (3, "s:" + o.name), (4, o.off_delay),
                             (5, o.reboot_s)):
                v[e + (5, 2, 1, col, n)] = val
        return v

    def spdu_set(self, key, typ, val):
        e = self.SPDU_E
        return self.apply_set(key, typ, val, (e + (4, 2, 1, 3),), (e + (5, 2, 1, 3),),
                              (e + (5, 2, 1, 5),), self.SPDU_CMD, ident_name=e + (3, 3, 0))

    # ---- Raritan PX2 (PDU2-MIB) ------------------------------------------
    RARITAN_E = (1, 3, 6, 1, 4, 1, 13742, 6)
    RARITAN_CMD = {0: "off", 1: "on", 2: "reboot"}

    def raritan_init(self):
        self.name = "my PX"
        self.outlets = [Outlet(n) for n in range(1, 25)]
        for o in self.outlets:
            o.bank = 1 if o.n <= 12 else 2
            o.reboot_s = 10     # globalOutletPowerCyclingPowerOffPeriod

    def raritan(self):
        v = {}
        e = self.RARITAN_E
        trips = tripped_breakers()
        v[e + (3, 1, 0)] = len(self.units)                    # pduCount
        # every row led by pduId: 1 the unit at the address, 2 up the
        # PX units chained behind it
        for u, outs in enumerate(self.units, 1):
            name = self.name if u == 1 else "%s-%d" % (self.name, u)
            serial = "QFC3950619" if u == 1 else "QFC395062%d" % u
            for col, val in ((2, "s:Raritan"), (3, "s:PX2-5475"), (4, "s:" + serial)):
                v[e + (3, 2, 1, 1, col, u)] = val              # nameplateTable
            for col, val in ((2, 1), (3, 2), (4, len(outs)), (13, "s:" + name),
                             (37, ("g", 10))):
                v[e + (3, 2, 2, 1, col, u)] = val              # unitConfigurationTable
            v[e + (3, 2, 3, 1, 6, u, 1, 1)] = "s:2.4.3.5-40298"  # boardFirmwareVersion
            # Each unit states its own precision: a chained unit of another
            # model may differ from the first (here unit 2 has one more
            # digit everywhere), and its readings are scaled by its own.
            more = 1 if u == 1 else 10
            for k in (1, 2):
                tripped = (u, k) in trips
                v[e + (3, 4, 3, 1, 2, u, k)] = "s:C%d" % k    # overCurrentProtectorLabel
                v[e + (3, 4, 4, 1, 7, u, k, 1)] = ("g", 2 if u == 1 else 3)  # ...DecimalDigits
                amps100 = 0 if tripped else sum(o.amps10() for o in outs if o.bank == k) * 10
                # ...SensorState: normal(4) unless the bank-state file says
                v[e + (5, 3, 3, 1, 3, u, k, 1)] = bank_alarms().get((u, k), 4)
                v[e + (5, 3, 3, 1, 4, u, k, 1)] = ("g", amps100 * more)  # ...SensorValue
                # the trip sensor (type 15): closed(1), value 0, as in the
                # published walk; open(0) while the trip file names it
                v[e + (5, 3, 3, 1, 3, u, k, 15)] = 0 if tripped else 1
                v[e + (5, 3, 3, 1, 4, u, k, 15)] = ("g", 0)
            for o in outs:
                n = o.n
                v[e + (3, 5, 3, 1, 2, u, n)] = "s:%d" % n      # outletLabel
                v[e + (3, 5, 3, 1, 3, u, n)] = "s:" + o.name   # outletName
                for st, digits in ((1, 1 if u == 1 else 2), (4, 0), (5, 0)):
                    v[e + (3, 5, 4, 1, 7, u, n, st)] = ("g", digits)
                amps10 = o.amps10()
                for st, val in ((1, amps10 * more), (4, 230), (5, amps10 * 23),
                                (14, 1 if o.on else 0)):
                    v[e + (5, 4, 3, 1, 4, u, n, st)] = ("g", val)
                v[e + (4, 1, 2, 1, 2, u, n)] = 1 if o.on else 0   # switchingOperation
                v[e + (4, 1, 2, 1, 3, u, n)] = 7 if o.on else 8   # outletSwitchingState
        return v

    def raritan_set(self, key, typ, val):
        e = self.RARITAN_E
        if self.kind == "raritan-chain":
            # pduId.outletId: switchingOperation or outletName of unit u
            col, u, n = key[:-2], key[-2], key[-1]
            if not 1 <= u <= len(self.units) or not 1 <= n <= len(self.units[u - 1]):
                return "not-writable"
            o = self.units[u - 1][n - 1]
            return outlet_set(o, col, typ, val, e + (3, 5, 3, 1, 3), 31, e + (4, 1, 2, 1, 2),
                              self.RARITAN_CMD)
        return self.apply_set(key, typ, val, (e + (4, 1, 2, 1, 2, 1),),
                              (e + (3, 5, 3, 1, 3, 1),), (), self.RARITAN_CMD,
                              ident_name=e + (3, 2, 2, 1, 13, 1))

    # ---- Raritan Dominion PX1 (PDU-MIB) -------------------------------------
    PX1_E = (1, 3, 6, 1, 4, 1, 13742, 4, 1)
    PX1_CMD = {0: "off", 1: "on", 2: "reboot"}

    def px1_init(self):
        for o in self.outlets:
            o.last = None

    def px1_state(self, o):
        """outletOperationalState: off 0, on 1, cycling 2 while a power
        cycle is under way (error -1 is never simulated)."""
        if o.pending() and o.last == "reboot":
            return 2
        return 1 if o.on else 0

    def px1(self):
        v = {}
        e = self.PX1_E
        info = ((1, "s:1.5.7.11172"), (2, "s:RAR1234567"), (7, 3), (25, ("g", 15000)),
                (26, "s:100-120V"), (27, "s:1.4-1.9kVA"),
                (28, "s:disabled" if self.kind == "raritan-px1-metered" else "s:enabled"),
                (32, "s:enabled"), (35, "s:no"))
        for col, val in info:
            v[e + (1, col, 0)] = val                           # info
        v[e + (2, 1, 0)] = len(self.outlets)                   # outletCount
        for o in self.outlets:
            n = o.n
            amps10 = o.amps10()
            for col, val in ((2, "s:" + o.name), (3, self.px1_state(o)),
                             (4, ("g", amps10 * 100)), (5, ("g", amps10 * 120)),
                             (6, ("g", 120000 if o.on else 0)), (7, ("g", amps10 * 12)),
                             (8, ("g", amps10 * 12)), (9, ("g", 100 if o.on else 0)),
                             (20, ("g", 10000)), (21, ("g", 12000)), (22, ("g", 0)),
                             (23, ("g", 0)), (24, ("g", 500)), (30, ("g", 15000)),
                             (31, ("g", 1000 + n))):
                v[e + (2, 2, 1, col, n)] = val                 # outletTable
        total = sum(o.amps10() for o in self.outlets)
        for col, val in ((1, ("g", total * 100)), (2, ("g", 120000)),
                         (3, ("g", total * 12)), (4, ("g", total * 12)), (5, ("g", 41))):
            v[e + (3, 1, col, 0)] = val                        # unitReadings
        v[e + (5, 1, 0)] = 2                                   # circuitBreakerCount
        trips = tripped_breakers()
        for k in (1, 2):
            tripped = (1, k) in trips
            amps10 = 0 if tripped else self.bank_amps10(k)
            for col, val in ((2, "s:CB%d" % k), (3, 1 if tripped else 0),
                             (4, ("g", 20000)), (5, ("g", amps10 * 100)),
                             (7, ("g", 16000)), (9, ("g", 18000)), (10, ("g", 500))):
                v[e + (5, 2, 1, col, k)] = val                 # circuitBreakerTable
        return v

    def px1_set(self, key, typ, val):
        t = self.PX1_E + (2, 2, 1)
        col, n = key[:-1], key[-1]
        if col not in (t + (2,), t + (3,)) or not 1 <= n <= len(self.outlets):
            return "not-writable"
        o = self.outlets[n - 1]
        if col == t + (2,):
            return set_name(o, typ, val, 255)                  # DisplayString
        if self.kind == "raritan-px1-metered":
            return "not-writable"
        if typ != "integer":
            return "wrong-type"
        if int(val) not in self.PX1_CMD:                       # error(-1) cannot be written
            return "wrong-value"
        o.command(self.PX1_CMD[int(val)])
        return "DONE"

    # ---- ServerTech Sentry4 and Sentry3 ------------------------------------
    ST4_E = (1, 3, 6, 1, 4, 1, 1718, 4, 1)
    ST3_E = (1, 3, 6, 1, 4, 1, 1718, 3)
    SENTRY_CMD = {1: "on", 2: "off", 3: "reboot"}

    def sentry_init(self):
        count = 36 if self.kind.startswith("sentry4") else 24
        self.name = "rack-d-pdu" if self.kind.startswith("sentry4") else "TowerA"
        self.outlets = [Outlet(n) for n in range(1, count + 1)]
        for o in self.outlets:
            o.bank = (o.n - 1) // 12 + 1
            o.name = "AA%d" % o.n if o.n > 8 else o.name

    def sentry4(self):
        v = {}
        e = self.ST4_E
        switched = self.kind != "sentry4-metered"
        trips = tripped_breakers()
        for col, val in ((1, "s:Sentry Smart PDU"), (3, "s:8.0q"), (21, len(self.units))):
            v[e + (1, 1, col, 0)] = val                        # st4SystemUnitCount 21
        # Every row starts with st4UnitIndex: the master unit A is 1, its
        # link units B, C... 2 up (st4UnitType masterPdu 0, linkPdu 1).
        for u, outs in enumerate(self.units, 1):
            name = self.name if u == 1 else "%s-%s" % (self.name, "ABCDEF"[u - 1])
            serial = "ABEF0001561" if u == 1 else "ABEF000156%d" % (u + 1)
            for col, val in ((2, "s:" + "ABCDEF"[u - 1]), (3, "s:" + name), (4, "s:" + serial),
                             (5, "s:C2WG36TE-DQME2M66/C"), (7, 0 if u == 1 else 1)):
                v[e + (2, 2, 1, col, u)] = val
            v[e + (2, 3, 1, 1, u)] = 0
            cord = "ABCDEF"[u - 1] + "A"
            branches = max(o.bank for o in outs)
            for col, val in ((2, "s:" + cord), (3, "s:Master_Cord_A" if u == 1 else
                                                   "s:Link_Cord_" + cord),
                             (6, "s:L15-30P"), (20, 3), (21, 3), (22, branches),
                             (23, branches), (24, len(outs))):
                v[e + (3, 2, 1, col, u, 1)] = val
            for b in range(1, branches + 1):
                tripped = (u, b) in trips
                amps10 = 0 if tripped else sum(o.amps10() for o in outs if o.bank == b)
                v[e + (7, 2, 1, 4, u, 1, b)] = "s:%s:L%d-L%d-BR%d" % (cord, b, b % 3 + 1, b)
                # st4BranchState on 1 / off 2; st4BranchStatus normal 0 /
                # breakerTripped 12
                v[e + (7, 3, 1, 1, u, 1, b)] = 2 if tripped else 1
                v[e + (7, 3, 1, 2, u, 1, b)] = 12 if tripped else 0
                v[e + (7, 3, 1, 3, u, 1, b)] = amps10 * 10
                # st4BranchCurrentStatus: normal(0) unless the bank-state
                # file says (highWarning 16, highAlarm 17, lowAlarm 14...)
                v[e + (7, 3, 1, 4, u, 1, b)] = bank_alarms().get((u, b), 0)
            for o in outs:
                i = (u, 1, o.n)
                metered = o.n <= 32
                v[e + (8, 2, 1, 2) + i] = "s:%s%d" % (cord, o.n)
                v[e + (8, 2, 1, 3) + i] = "s:" + o.name
                v[e + (8, 3, 1, 1) + i] = 1 if o.on else 2
                v[e + (8, 3, 1, 2) + i] = 0
                v[e + (8, 3, 1, 3) + i] = o.amps10() * 10 if metered else -1
                v[e + (8, 3, 1, 7) + i] = o.amps10() * 23 if metered else -1
                if switched:
                    v[e + (8, 5, 1, 1) + i] = 11 if o.on else 10   # st4OutletControlState
                    v[e + (8, 5, 1, 2) + i] = 0                    # st4OutletControlAction
        v[e + (8, 1, 11, 0)] = 5                               # st4OutletRebootDelay
        return v

    def sentry3(self):
        v = {}
        e = self.ST3_E
        switched = self.kind == "sentry3"
        v[e + (1, 1, 0)] = "s:Sentry Switched CDU Version 7.1a"
        v[e + (1, 4, 0)] = 2
        for col, val in ((2, "s:A"), (3, "s:" + self.name), (4, 0), (5, 1),
                         (6, "s:ADLH0001862"), (7, "s:CW-24V2C458C1")):
            v[e + (2, 1, 1, col, 1)] = val
        for col, val in ((2, "s:AA"), (3, "s:TowerA_InfeedA"), (7, 362), (8, 24),
                         (9, len(self.outlets)), (10, 30), (11, 2093)):
            v[e + (2, 2, 1, col, 1, 1)] = val
        for o in self.outlets:
            i = (1, 1, o.n)
            v[e + (2, 3, 1, 2) + i] = "s:AA%d" % o.n
            v[e + (2, 3, 1, 3) + i] = "s:" + o.name
            v[e + (2, 3, 1, 5) + i] = 1 if o.on else 0
            v[e + (2, 3, 1, 7) + i] = o.amps10() * 10
            v[e + (2, 3, 1, 14) + i] = o.amps10() * 23
            if switched:
                v[e + (2, 3, 1, 10) + i] = 5 if o.on else 4
                v[e + (2, 3, 1, 11) + i] = 0
        return v

    def sentry4_chain_set(self, key, typ, val):
        """A SET of unit.cord.outlet: st4OutletControlAction or st4OutletName
        of the unit's first cord."""
        e = self.ST4_E
        col, (u, cord, n) = key[:-3], key[-3:]
        if cord != 1 or not 1 <= u <= len(self.units) or not 1 <= n <= len(self.units[u - 1]):
            return "not-writable"
        o = self.units[u - 1][n - 1]
        # st4OutletName is a DisplayString (SIZE (0..32))
        return outlet_set(o, col, typ, val, e + (8, 2, 1, 3), 32, e + (8, 5, 1, 2),
                          self.SENTRY_CMD)

    def sentry_set(self, key, typ, val):
        if self.kind == "sentry4-chain":
            return self.sentry4_chain_set(key, typ, val)
        if self.kind.startswith("sentry4"):
            e, cmd, name = self.ST4_E, (8, 5, 1, 2, 1, 1), (8, 2, 1, 3, 1, 1)
            ident = e + (2, 2, 1, 3, 1)
        else:
            e, cmd, name = self.ST3_E, (2, 3, 1, 11, 1, 1), (2, 3, 1, 3, 1, 1)
            ident = e + (2, 1, 1, 3, 1)
        switched = self.kind in ("sentry4", "sentry3")
        return self.apply_set(key, typ, val, (e + cmd,) if switched else (),
                              (e + name,), (), self.SENTRY_CMD, ident_name=ident)

    # ---- Eaton ePDU (EATON-EPDU-MIB) -----------------------------------------
    EATON_E = (1, 3, 6, 1, 4, 1, 534, 6, 6, 7)

    def eaton_init(self):
        self.name = "rack-e-pdu"
        self.outlets = [Outlet(n) for n in range(1, 25)]
        for o in self.outlets:
            o.bank = 1 if o.n <= 12 else 2

    def eaton(self):
        v = {}
        e = self.EATON_E
        if self.kind == "eaton-chain":
            v[e + (1, 1, 0)] = len(self.units)                # unitsPresent
        trips = tripped_breakers()
        for s, outs in enumerate(self.units):                  # strappingIndex from 0
            name = self.name if s == 0 else "%s-%d" % (self.name, s + 1)
            for col, val in ((2, "s:EMAB03"), (3, "s:EMAB03"), (4, "s:G104K4501%d" % (s + 4)),
                             (5, "s:04.02.0002"), (6, "s:" + name), (10, 1), (21, 2),
                             (22, len(outs))):
                v[e + (1, 2, 1, col, s)] = val
            for g in (1, 2):
                # groupType breaker1pole(1), groupBreakerStatus breakerOn(1),
                # or breakerOff(2) and no current while the trip file names
                # the group
                off = (s + 1, g) in trips
                amps10 = 0 if off else sum(o.amps10() for o in outs if o.bank == g)
                v[e + (5, 1, 1, 3, s, g)] = "s:Factory Group %d" % g
                v[e + (5, 1, 1, 4, s, g)] = 1
                v[e + (5, 1, 1, 5, s, g)] = 2 if off else 1
                v[e + (5, 1, 1, 6, s, g)] = 12
                v[e + (5, 4, 1, 2, s, g)] = 16000
                v[e + (5, 4, 1, 3, s, g)] = amps10 * 100
                # groupCurrentThStatus: good(0) unless the bank-state file says
                v[e + (5, 4, 1, 4, s, g)] = bank_alarms().get((s + 1, g), 0)
            for o in outs:
                n = o.n
                v[e + (6, 1, 1, 3, s, n)] = "s:" + o.name
                v[e + (6, 4, 1, 3, s, n)] = o.amps10() * 100
                v[e + (6, 5, 1, 3, s, n)] = o.amps10() * 23
                st = 1 if o.on else 0
                if o.pending():
                    st = 3 if o.events[-1][1] else 2
                v[e + (6, 6, 1, 2, s, n)] = st
                if self.kind != "eaton-metered":
                    for col in (3, 4, 5):
                        v[e + (6, 6, 1, col, s, n)] = -1
        return v

    def eaton_set(self, key, typ, val):
        e = self.EATON_E
        col, s, n = key[:-2], key[-2], key[-1]
        cmds = {e + (6, 6, 1, 3): "off", e + (6, 6, 1, 4): "on", e + (6, 6, 1, 5): "reboot"}
        if not 0 <= s < len(self.units):
            return "not-writable"
        outs = self.units[s]
        if self.kind != "eaton-metered" and col in cmds:
            if typ != "integer" or not 1 <= n <= len(outs):
                return "wrong-type"
            if int(val) != 0:
                return "wrong-value"   # delays are not simulated
            self.cached = None
            outs[n - 1].command(cmds[col])
            return "DONE"
        if key == e + (1, 2, 1, 6, 0):
            return self.apply_set(key, typ, val, (), (), (), {}, ident_name=key)
        if col == e + (6, 1, 1, 3) and 1 <= n <= len(outs):
            if typ != "string":
                return "wrong-type"
            outs[n - 1].name = val
            return "DONE"
        return "not-writable"

    # ---- CyberPower ATS --------------------------------------------------------
    ATS_E = (1, 3, 6, 1, 4, 1, 3808, 1, 1, 5)
    ATS_CMD = {2: "on", 3: "off", 4: "reboot"}

    def ats(self):
        v = {}
        e = self.ATS_E
        # atsIdent, as CPS-MIB numbers it: name, model, hardware, firmware, serial
        for i, x in enumerate(["s:" + self.name, "s:PDU15SWHVIEC8ATNET", "s:HW 1.0",
                               "s:1.0.3", "s:NLKQY2000123"], 1):
            v[e + (1, i, 0)] = x
        v[e + (2, 1, 1, 0)] = 0                 # active source A
        v[e + (6, 1, 1, 0)] = len(self.outlets)
        for o in self.outlets:
            o.settle()
            v[e + (6, 3, 1, 1, o.n)] = o.n
            v[e + (6, 3, 1, 2, o.n)] = "s:" + o.name
            v[e + (6, 3, 1, 3, o.n)] = 1 if o.on else 2
            v[e + (6, 5, 1, 3, o.n)] = 1        # reads noCommand
        return v

    def ats_set(self, key, typ, val):
        e = self.ATS_E
        return self.apply_set(key, typ, val, (e + (6, 5, 1, 3),), (), (), self.ATS_CMD,
                              ident_name=None)

    # ---- Tripp Lite (TRIPPLITE-PRODUCTS tlpPdu) ---------------------------------
    TL_E = (1, 3, 6, 1, 4, 1, 850, 1, 1)
    TL_CMD = {1: "off", 2: "on", 3: "reboot"}

    def tripplite_init(self):
        self.name = "rack-f-pdu"
        self.outlets = [Outlet(n) for n in range(1, 15)]
        for o in self.outlets:
            o.bank = 1 if o.n <= 7 else 2
            o.name = o.name or "Outlet %d" % o.n

    def tripplite(self):
        v = {}
        e = self.TL_E
        switched = self.kind == "tripplite"
        v[e + (1, 1, 0)] = 1                                   # tlpDeviceNumDevices
        model = "PDUMH15NET" if switched else "PDUMNV15NET"
        for col, val in ((1, 1), (2, 1), (4, "s:Tripp Lite"), (5, "s:" + model),
                         (6, "s:" + self.name), (7, 1), (8, "s:lab row 3"), (9, "s:"),
                         (10, 1)):
            v[e + (1, 2, 1, col, 1)] = val                     # tlpDeviceTable
        for col, val in ((1, "s:Tripp Lite SNMP"), (4, "s:15.5.4"),
                         (5, "s:2736CV0PD881100123")):
            v[e + (2, 1, 1, col, 1)] = val                     # tlpDeviceIdentTable
        for col, val in ((1, 1), (2, 1), (3, 1), (4, len(self.outlets)), (5, 0), (6, 2),
                         (7, 0), (8, 0)):
            v[e + (3, 2, 1, 2, 1, col, 1)] = ("g", val)        # tlpPduIdentTable
        for k in (1, 2):
            for col, val in ((1, ("g", k)), (2, 1), (3, 1200), (4, self.bank_amps10(k) * 10),
                             (5, 1600)):
                v[e + (3, 2, 3, 4, 1, 1, col, 1, k)] = val     # tlpPduCircuitTable
        for o in self.outlets:
            o.settle()
            i = (1, o.n)
            t = e + (3, 2, 3, 3, 1, 1)                         # tlpPduOutletTable
            v[t + (1,) + i] = ("g", o.n)
            v[t + (2,) + i] = "s:" + o.name
            v[t + (3,) + i] = "s:"
            v[t + (4,) + i] = 2 if o.on else 1                 # on(2), off(1)
            v[t + (5,) + i] = 1 if switched else 2             # controllable: TruthValue
            v[t + (6,) + i] = 0                                # command reads idle(0)
            v[t + (7,) + i] = ("g", 120)
            if not switched:                                   # outlet metering
                v[t + (8,) + i] = ("g", o.amps10() * 10)
                v[t + (9,) + i] = ("g", o.amps10() * 12)
            v[t + (15,) + i] = o.bank
            v[t + (16,) + i] = o.bank
            v[t + (17,) + i] = 1
        return v

    def tripplite_set(self, key, typ, val):
        t = self.TL_E + (3, 2, 3, 3, 1, 1)
        col, n = key[:-1], key[-1]
        if self.kind == "tripplite" and col == t + (6, 1):
            # tlpPduOutletCommand: INTEGER { idle(0), turnOff(1), turnOn(2), cycle(3) }
            if typ != "integer" or not 1 <= n <= len(self.outlets):
                return "wrong-type" if typ != "integer" else "not-writable"
            if int(val) == 0:
                return "DONE"
            if int(val) not in self.TL_CMD:
                return "wrong-value"
            self.outlets[n - 1].command(self.TL_CMD[int(val)])
            return "DONE"
        return self.apply_set(key, typ, val, (), (t + (2, 1),), (), {},
                              ident_name=self.TL_E + (1, 2, 1, 6, 1))

    # ---- Vertiv Geist (VERTIV-V5-MIB / GEIST-V5-MIB) --------------------------
    GE_E = (1, 3, 6, 1, 4, 1, 21239, 5, 2)
    GE_CMD = {1: "cancel", 2: "on", 3: "don", 4: "off", 5: "doff", 6: "reboot", 7: "dreboot"}
    GE_AUTO = 24   # this outlet is not in manual mode: commands are inconsistentValue

    def geist_init(self):
        self.name = "rack-g-pdu"
        count = int(os.environ.get("PDU_SIM_GEIST_OUTLETS", "24"))
        self.outlets = [Outlet(n) for n in range(1, count + 1)]
        for o in self.outlets:
            o.bank = 1 if o.n <= 12 else 2
            o.off_delay = max(o.off_delay, 0)
            o.last = None

    def geist_state(self, o):
        """pduOutletSwitchState: on 1, off 2, on2off 3, off2on 4, rebootOn 5,
        rebootOff 6."""
        if not o.pending():
            return 1 if o.on else 2
        if o.last in ("reboot", "dreboot"):
            return 5 if o.on else 6
        return 3 if o.on else 4

    def geist(self):
        v = {}
        e = self.GE_E
        switched = self.kind == "geist"
        for col, val in ((1, "s:Vertiv Geist rPDU"), (2, "s:5.11.4"), (3, "s:" + self.name),
                         (6, 1), (7, 1), (8, "s:VP8859"), (9, "s:VP8859-001"),
                         (10, "s:VG1935K0123"), (11, "s:IMD-3E"), (15, "s:Vertiv")):
            v[e + (1, col, 0)] = val                           # deviceInfo
        for col, val in ((2, "s:VG1935K0123"), (3, "s:PDU"), (4, "s:" + self.name), (5, ("g", 1))):
            v[e + (3, 1, 1, col, 1)] = val                     # pduMainTable
        for k in (1, 2):                                       # pduBreakerTable
            for col, val in ((2, "s:Breaker %d" % k), (3, "s:"),
                             (4, ("g", self.bank_amps10(k) * 10))):
                v[e + (3, 3, 1, col, k)] = val
        for o in self.outlets:
            n = o.n
            if switched:                                       # pduOutletSwitchTable
                for col, val in ((2, "s:Outlet %d" % n), (3, "s:" + o.name),
                                 (4, self.geist_state(o)), (5, 2), (6, 8), (7, 0),
                                 (8, o.on_delay), (9, o.off_delay), (10, o.off_delay),
                                 (11, o.reboot_s), (12, 3), (13, 0)):
                    v[e + (3, 5, 1, col, n)] = val
            amps10 = o.amps10()                                # pduOutletMeterTable
            for col, val in ((2, "s:Outlet %d" % n), (3, "s:" + o.name),
                             (4, ("g", 2300 if o.on else 0)), (8, ("g", amps10 * 10)),
                             (12, ("g", amps10 * 23)), (13, ("g", amps10 * 23)),
                             (14, ("g", 100 if o.on else 0)), (15, ("g", 1000 + n)),
                             (16, 8)):
                v[e + (3, 6, 1, col, n)] = val
        return v

    def geist_set(self, key, typ, val):
        e = self.GE_E
        col, n = key[:-1], key[-1]
        labels = (e + (3, 6, 1, 3),) + ((e + (3, 5, 1, 3),) if self.kind == "geist" else ())
        control = e + (3, 5, 1, 6) if self.kind == "geist" else None
        if not 1 <= n <= len(self.outlets) or (col not in labels and col != control):
            return "not-writable"
        o = self.outlets[n - 1]
        if col in labels:
            return set_name(o, typ, val, 25)                   # SnmpAdminString (SIZE (0..25))
        if typ != "integer":
            return "wrong-type"
        if int(val) == 8:
            return "DONE"                                      # none(8)
        if int(val) not in self.GE_CMD:
            return "wrong-value"
        if n == self.GE_AUTO:
            return "inconsistent-value"
        o.command(self.GE_CMD[int(val)])
        return "DONE"

    # ---- SET -----------------------------------------------------------
    def apply_set(self, key, typ, val, cmd_cols, name_cols, dur_cols, cmds, ident_name,
                  generr_outlet=None):
        col, n = key[:-1], key[-1]
        if key == ident_name:
            if typ != "string":
                return "wrong-type"
            self.name = val
            return "DONE"
        if not 1 <= n <= len(self.outlets) or col not in cmd_cols + name_cols + dur_cols:
            return "not-writable"
        o = self.outlets[n - 1]
        if col in name_cols:
            return set_name(o, typ, val, 31)
        if typ != "integer":
            return "wrong-type"
        if col in dur_cols:
            if not 5 <= int(val) <= 60:
                return "wrong-value"
            o.reboot_s = int(val)
            return "DONE"
        what = cmds.get(int(val))
        if what is None:
            return "wrong-value"
        o.command(what)
        return "gen-error" if n == generr_outlet else "DONE"

    def view(self):
        # snmpd asks once per varbind: build the view at most every 20 ms
        # (a SET drops it, and so does a change to the trip or bank-state
        # file: a test that writes one and asks at once must see it), so
        # one request sees one consistent state.
        now = time.monotonic()
        files = run_time_files()
        if self.cached is None or now - self.cached[0] > 0.02 or files != self.cached_files:
            self.cached_files = files
            v = {"cyberpower": self.cyberpower, "apc": self.apc, "apc-rpdu": self.rpdu,
                 "apc-spdu": self.spdu, "raritan": self.raritan, "raritan-chain": self.raritan, "raritan-px1": self.px1,
                 "raritan-px1-metered": self.px1,
                 "sentry4": self.sentry4,
                 "sentry4-metered": self.sentry4, "sentry4-chain": self.sentry4,
                 "sentry3": self.sentry3,
                 "sentry3-metered": self.sentry3, "eaton": self.eaton,
                 "eaton-metered": self.eaton, "cyberpower-ats": self.ats,
                 "apc-chain": self.apc, "eaton-chain": self.eaton,
                 "cyberpower-chain": self.epdu2_chain,
                 "tripplite": self.tripplite, "tripplite-metered": self.tripplite,
                 "geist": self.geist, "geist-metered": self.geist}[self.kind]()
            self.cached = (now, v, sorted(v))
        return self.cached[1], self.cached[2]

    def set(self, key, typ, val):
        self.cached = None
        return {"cyberpower": self.cyberpower_set, "apc": self.apc_set,
                "apc-rpdu": self.rpdu_set, "apc-spdu": self.spdu_set,
                "raritan": self.raritan_set, "raritan-chain": self.raritan_set, "raritan-px1": self.px1_set,
                "raritan-px1-metered": self.px1_set,
                "eaton": self.eaton_set,
                "eaton-metered": self.eaton_set, "eaton-chain": self.eaton_set,
                "apc-chain": self.apc_set, "cyberpower-chain": self.epdu2_chain_set,
                "cyberpower-ats": self.ats_set, "tripplite": self.tripplite_set,
                "tripplite-metered": self.tripplite_set, "geist": self.geist_set,
                "geist-metered": self.geist_set}.get(self.kind,
                                                            self.sentry_set)(key, typ, val)


def render(key, val):
    name = "." + ".".join(map(str, key))
    if isinstance(val, tuple):
        return "%s\n%s\n%d\n" % (name, {"g": "gauge"}[val[0]], val[1])
    if isinstance(val, str):
        return "%s\nstring\n%s\n" % (name, val[2:])
    return "%s\ninteger\n%d\n" % (name, val)


def parse_set_value(line):
    typ, _, val = line.strip().partition(" ")
    if typ == "string" and len(val) >= 2 and val[0] == '"' and val[-1] == '"':
        val = val[1:-1]
    return typ, val


def main():
    dev = Device(sys.argv[1] if len(sys.argv) > 1 else "cyberpower")
    rd, wr = sys.stdin, sys.stdout
    log = open(os.environ["PDU_SIM_LOG"], "a") if os.environ.get("PDU_SIM_LOG") else None
    while True:
        cmd = rd.readline()
        if log:
            log.write("%s %r\n" % (time.monotonic(), cmd))
            log.flush()
        if not cmd:
            return
        cmd = cmd.strip()
        if cmd == "PING":
            wr.write("PONG\n")
        elif cmd in ("get", "getnext"):
            key = oid(rd.readline())
            view, keys = dev.view()
            if cmd == "get":
                wr.write(render(key, view[key]) if key in view else "NONE\n")
            else:
                i = bisect.bisect_right(keys, key)
                wr.write(render(keys[i], view[keys[i]]) if i < len(keys) else "NONE\n")
        elif cmd == "set":
            key = oid(rd.readline())
            typ, val = parse_set_value(rd.readline())
            wr.write(dev.set(key, typ, val) + "\n")
        elif cmd == "":
            continue  # snmpd sends a blank line after a set
        else:
            wr.write("NONE\n")
        wr.flush()


if __name__ == "__main__":
    main()
