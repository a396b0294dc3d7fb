/* profiles.c — the vendor tables (see profiles.h). */
#include "pdu/profiles.h"

#include <stdio.h>
#include <string.h>

#include "snmp/snmp.h"

/* ---- profiles: data only ------------------------------------------ */

static const char *const load_states_cps[] = {
	"unknown", "normal", "low", "nearOverload", "overload", NULL
};
/* APC rPDU2 counts from lowLoad: 1 low, 2 normal (rPDU2BankStatusLoadState;
 * the CyberPower and rPDU tables say 1 normal, 2 low). */
static const char *const load_states_rpdu2[] = {
	"unknown", "low", "normal", "nearOverload", "overload", "notSupported", NULL
};

static const struct pdu_profile cyberpower_epdu = {
	.name = "cyberpower-epdu",
	.description = "CyberPower ePDU (CPS-MIB ePDU tables, PDU41xxx/PDU81xxx)",
	.enterprise = "1.3.6.1.4.1.3808",
	.default_version = SNMP_V1,
	.model = "1.3.6.1.4.1.3808.1.1.3.1.5.0",
	.device_name = "1.3.6.1.4.1.3808.1.1.3.1.1.0",
	.firmware = "1.3.6.1.4.1.3808.1.1.3.1.3.0",
	.serial = "1.3.6.1.4.1.3808.1.1.3.1.6.0",
	.outlet_count = "1.3.6.1.4.1.3808.1.1.3.3.1.3.0",
	/* Load rows are phases first, then banks: map rows by BankNumber. */
	.bank_rows = { "1.3.6.1.4.1.3808.1.1.3.2.1.2.0", "1.3.6.1.4.1.3808.1.1.3.2.1.4.0" },
	.bank_number = "1.3.6.1.4.1.3808.1.1.3.2.3.1.1.5",
	.bank_load = "1.3.6.1.4.1.3808.1.1.3.2.3.1.1.2",
	.bank_state = "1.3.6.1.4.1.3808.1.1.3.2.3.1.1.3",
	.load_states = load_states_cps,
	.out_name = "1.3.6.1.4.1.3808.1.1.3.3.5.1.1.2",
	.out_name_set = "1.3.6.1.4.1.3808.1.1.3.3.4.1.1.2",
	.out_state = "1.3.6.1.4.1.3808.1.1.3.3.5.1.1.4",
	.out_cmd = "1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4",
	.out_pending = "1.3.6.1.4.1.3808.1.1.3.3.5.1.1.5",
	.out_reboot_s = "1.3.6.1.4.1.3808.1.1.3.3.4.1.1.6",
	.out_current = "1.3.6.1.4.1.3808.1.1.3.3.5.1.1.7",
	.out_power = "1.3.6.1.4.1.3808.1.1.3.3.5.1.1.8",
	.state_on = 1, .state_off = 2,
	.cmd = { 1, 2, 3 },
	.cmd_delayed = { 4, 5, 6 },
};

static const struct pdu_profile cyberpower_epdu2 = {
	.name = "cyberpower-epdu2",
	.description = "CyberPower ePDU2 (CPS-MIB ePDU2 tables, standalone unit)",
	.enterprise = "1.3.6.1.4.1.3808",
	.default_version = SNMP_V1,
	.model = "1.3.6.1.4.1.3808.1.1.6.2.2.1.9.U",
	.device_name = "1.3.6.1.4.1.3808.1.1.6.2.2.1.3.U",
	.firmware = "1.3.6.1.4.1.3808.1.1.6.2.2.1.7.U",
	.serial = "1.3.6.1.4.1.3808.1.1.6.2.2.1.10.U",
	.outlet_count = "1.3.6.1.4.1.3808.1.1.6.6.1.1.0",
	.bank_rows = { "1.3.6.1.4.1.3808.1.1.6.5.1.0", NULL },
	.bank_number = "1.3.6.1.4.1.3808.1.1.6.5.4.1.3",
	.bank_unit = "1.3.6.1.4.1.3808.1.1.6.5.4.1.2",
	.bank_load = "1.3.6.1.4.1.3808.1.1.6.5.4.1.5",
	.bank_state = "1.3.6.1.4.1.3808.1.1.6.5.4.1.4",
	.load_states = load_states_cps,
	.out_name = "1.3.6.1.4.1.3808.1.1.6.6.1.4.1.4",
	.out_name_set = "1.3.6.1.4.1.3808.1.1.6.6.1.2.1.4",
	.out_state = "1.3.6.1.4.1.3808.1.1.6.6.1.4.1.5",
	.out_cmd = "1.3.6.1.4.1.3808.1.1.6.6.1.5.1.5",
	.out_pending = "1.3.6.1.4.1.3808.1.1.6.6.1.4.1.6",
	.out_reboot_s = "1.3.6.1.4.1.3808.1.1.6.6.1.2.1.7",
	.out_current = "1.3.6.1.4.1.3808.1.1.6.6.2.4.1.6",
	.out_power = "1.3.6.1.4.1.3808.1.1.6.6.2.4.1.7",
	/* Chained units (module 1 the host) share the outlet and bank
	 * tables, each row naming its module and number; the device table
	 * has a row per module, in module order. */
	.unit_count = "1.3.6.1.4.1.3808.1.1.6.2.1.0",
	.unit_first = 1,
	.out_unit = "1.3.6.1.4.1.3808.1.1.6.6.1.4.1.2",
	.out_number = "1.3.6.1.4.1.3808.1.1.6.6.1.4.1.3",
	.state_on = 1, .state_off = 2,
	.cmd = { 1, 2, 3 },
	.cmd_delayed = { 4, 5, 6 },
};

static const struct pdu_profile apc_rpdu2 = {
	.name = "apc-rpdu2",
	.description = "APC Switched Rack PDU rPDU2 (AP86xx/AP88xx/AP89xx)",
	.enterprise = "1.3.6.1.4.1.318",
	.default_version = SNMP_V2C,
	.model = "1.3.6.1.4.1.318.1.1.26.2.1.8.U",
	.device_name = "1.3.6.1.4.1.318.1.1.26.2.1.3.U",
	.firmware = "1.3.6.1.4.1.318.1.1.26.2.1.6.U",
	.serial = "1.3.6.1.4.1.318.1.1.26.2.1.9.U",
	.outlet_count = "1.3.6.1.4.1.318.1.1.26.9.1.0",
	.bank_rows = { "1.3.6.1.4.1.318.1.1.26.7.0", NULL },
	.bank_number = "1.3.6.1.4.1.318.1.1.26.8.3.1.3",
	.bank_unit = "1.3.6.1.4.1.318.1.1.26.8.3.1.2",
	.bank_load = "1.3.6.1.4.1.318.1.1.26.8.3.1.5",
	.bank_state = "1.3.6.1.4.1.318.1.1.26.8.3.1.4",
	.load_states = load_states_rpdu2,
	.out_name = "1.3.6.1.4.1.318.1.1.26.9.2.3.1.3",
	.out_name_set = "1.3.6.1.4.1.318.1.1.26.9.2.1.1.3",
	.out_state = "1.3.6.1.4.1.318.1.1.26.9.2.3.1.5",
	.out_cmd = "1.3.6.1.4.1.318.1.1.26.9.2.4.1.5",
	.out_pending = "1.3.6.1.4.1.318.1.1.26.9.2.3.1.6",
	.out_reboot_s = "1.3.6.1.4.1.318.1.1.26.9.2.1.1.7",
	.out_current = "1.3.6.1.4.1.318.1.1.26.9.4.3.1.6",
	.out_power = "1.3.6.1.4.1.318.1.1.26.9.4.3.1.7",
	/* Network Port Sharing: chained units (module 1 the host) share the
	 * outlet and bank tables, each row naming its module and number;
	 * the ident table has a row per module, in module order. */
	.unit_count = "1.3.6.1.4.1.318.1.1.26.1.0",
	.unit_first = 1,
	.out_unit = "1.3.6.1.4.1.318.1.1.26.9.2.3.1.2",
	.out_number = "1.3.6.1.4.1.318.1.1.26.9.2.3.1.4",
	.state_on = 2, .state_off = 1,   /* inverted against everyone else */
	.cmd = { 1, 2, 3 },
	.cmd_delayed = { 5, 6, 7 },
};

static const struct pdu_profile apc_rpdu = {
	.name = "apc-rpdu",
	.description = "APC Switched Rack PDU, first generation rPDU (AP79xx)",
	.enterprise = "1.3.6.1.4.1.318",
	.default_version = SNMP_V2C,
	.probe_late = 1,
	.model = "1.3.6.1.4.1.318.1.1.12.1.5.0",
	.device_name = "1.3.6.1.4.1.318.1.1.12.1.1.0",
	.firmware = "1.3.6.1.4.1.318.1.1.12.1.3.0",
	.serial = "1.3.6.1.4.1.318.1.1.12.1.6.0",
	.outlet_count = "1.3.6.1.4.1.318.1.1.12.3.1.3.0",
	/* Mirrors the CyberPower ePDU layout column for column. */
	.bank_rows = { "1.3.6.1.4.1.318.1.1.12.2.1.2.0", "1.3.6.1.4.1.318.1.1.12.2.1.4.0" },
	.bank_number = "1.3.6.1.4.1.318.1.1.12.2.3.1.1.5",
	.bank_load = "1.3.6.1.4.1.318.1.1.12.2.3.1.1.2",
	.bank_state = "1.3.6.1.4.1.318.1.1.12.2.3.1.1.3",
	.load_states = load_states_cps,
	.out_name = "1.3.6.1.4.1.318.1.1.12.3.4.1.1.2",
	.out_name_set = "1.3.6.1.4.1.318.1.1.12.3.4.1.1.2",
	.out_state = "1.3.6.1.4.1.318.1.1.12.3.5.1.1.4",
	.out_cmd = "1.3.6.1.4.1.318.1.1.12.3.3.1.1.4",
	.out_pending = "1.3.6.1.4.1.318.1.1.12.3.5.1.1.5",
	.out_reboot_s = "1.3.6.1.4.1.318.1.1.12.3.4.1.1.6",
	.out_current = "1.3.6.1.4.1.318.1.1.12.3.5.1.1.7",
	.out_power = NULL,
	.state_on = 1, .state_off = 2,
	.cmd = { 1, 2, 3 },
	.cmd_delayed = { 4, 5, 6 },
};

/* The MasterSwitch table, the oldest of PowerNet-MIB: MasterSwitch
 * units (AP9211, AP9606 cards) and AP79xx firmware without the rPDU
 * tables.  One column both reads the state and takes the command
 * (sPDUOutletCtl: reads 1 on, 2 off, 4 unknown; takes 1 on, 2 off,
 * 3 reboot, 5-7 the same with the outlet's delays, no cancel); the names
 * read from the control table and are written in the config table; no
 * banks and no metering.  The unit's name is sPDUMasterConfigPDUName. */
static const struct pdu_profile apc_spdu = {
	.name = "apc-spdu",
	.description = "APC MasterSwitch / sPDU (PowerNet-MIB sPDU tables, AP9211, AP79xx "
	               "legacy firmware)",
	.enterprise = "1.3.6.1.4.1.318",
	.default_version = SNMP_V2C,
	.probe_late = 1,
	.model = "1.3.6.1.4.1.318.1.1.4.1.4.0",
	.device_name = "1.3.6.1.4.1.318.1.1.4.3.3.0",
	.firmware = "1.3.6.1.4.1.318.1.1.4.1.2.0",
	.serial = "1.3.6.1.4.1.318.1.1.4.1.5.0",
	.outlet_count = "1.3.6.1.4.1.318.1.1.4.4.1.0",
	.bank_rows = { NULL, NULL },
	.load_states = load_states_cps,
	.out_name = "1.3.6.1.4.1.318.1.1.4.4.2.1.4",
	.out_name_set = "1.3.6.1.4.1.318.1.1.4.5.2.1.3",
	.out_state = "1.3.6.1.4.1.318.1.1.4.4.2.1.3",
	.out_cmd = "1.3.6.1.4.1.318.1.1.4.4.2.1.3",
	.out_pending = "1.3.6.1.4.1.318.1.1.4.4.2.1.2",
	.out_reboot_s = "1.3.6.1.4.1.318.1.1.4.5.2.1.5",
	.state_on = 1, .state_off = 2,
	.cmd = { 1, 2, 3 },
	.cmd_delayed = { 5, 6, 7 },
};

/* Raritan's sensor states (PDU2-MIB SensorStateEnumeration), from 0;
 * -1 is unavailable. */
static const char *const load_states_raritan[] = {
	"open", "closed", "belowLowerCritical", "belowLowerWarning", "normal",
	"aboveUpperWarning", "aboveUpperCritical", NULL
};

/* PDU2-MIB's SensorStateEnumeration as an over-current protector's trip
 * sensor (sensor type trip(15)) reads it: open(0), the breaker tripped
 * or the fuse blew and its outlets have no power, closed(1) in service.
 * A working PX2 answers closed(1) with the value 0 (a published walk). */
static const char *const breaker_states_raritan[] = { "open", "closed", NULL };

/* Raritan PX2/PX3/PX4 (PDU2-MIB, enterprises.13742.6).  Everything is
 * indexed by pduId first (1 for the unit itself; daisy-chained PX units
 * have their own), sensors by pduId.outletId.sensorType (rmsCurrent 1,
 * activePower 5).  Outlet state is outletSwitchingState, a sensor state:
 * on(7), off(8); commands go to a separate column, switchingOperation,
 * with off(0), on(1), cycle(2) and no delayed variants.  Current
 * readings carry their precision in ...SensorDecimalDigits (1 on PX2,
 * 3 on others).  The over-current protectors (breakers) are the banks:
 * their rmsCurrent sensor (type 1) gives the load and its threshold
 * state, their trip sensor (type 15, same table) whether they tripped.
 * Cycling keeps the outlet off for globalOutletPowerCyclingPowerOffPeriod
 * unless the outlet has its own; no command-pending column. */
static const struct pdu_profile raritan_px2 = {
	.name = "raritan-px2",
	.description = "Raritan PX2/PX3/PX4 (PDU2-MIB)",
	.enterprise = "1.3.6.1.4.1.13742",
	.default_version = SNMP_V2C,
	.model = "1.3.6.1.4.1.13742.6.3.2.1.1.3.U",
	.device_name = "1.3.6.1.4.1.13742.6.3.2.2.1.13.U",
	.firmware = "1.3.6.1.4.1.13742.6.3.2.3.1.6.U.1.1",
	.serial = "1.3.6.1.4.1.13742.6.3.2.1.1.4.U",
	.outlet_count = "1.3.6.1.4.1.13742.6.3.2.2.1.4.1",
	.bank_rows = { "1.3.6.1.4.1.13742.6.3.2.2.1.3.U", NULL },
	.bank_load = "1.3.6.1.4.1.13742.6.5.3.3.1.4.U.N.1",
	.bank_state = "1.3.6.1.4.1.13742.6.5.3.3.1.3.U.N.1",
	.load_states = load_states_raritan,
	.bank_breaker = "1.3.6.1.4.1.13742.6.5.3.3.1.3.U.N.15",
	.breaker_states = breaker_states_raritan,
	.bank_load_digits = "1.3.6.1.4.1.13742.6.3.4.4.1.7.U.N.1",
	.out_name = "1.3.6.1.4.1.13742.6.3.5.3.1.3.U.N",
	.out_name_set = "1.3.6.1.4.1.13742.6.3.5.3.1.3.U.N",
	.out_state = "1.3.6.1.4.1.13742.6.4.1.2.1.3.U.N",
	.out_cmd = "1.3.6.1.4.1.13742.6.4.1.2.1.2.U.N",
	.reboot_s_unit = "1.3.6.1.4.1.13742.6.3.2.2.1.37.1",
	.out_current = "1.3.6.1.4.1.13742.6.5.4.3.1.4.U.N.1",
	.out_power = "1.3.6.1.4.1.13742.6.5.4.3.1.4.U.N.5",
	.out_current_digits = "1.3.6.1.4.1.13742.6.3.5.4.1.7.U.N.1",
	/* chained PX units: pduCount, each its pduId (1 up) and outletCount */
	.unit_count = "1.3.6.1.4.1.13742.6.3.1.0",
	.unit_first = 1,
	.unit_outlets = "1.3.6.1.4.1.13742.6.3.2.2.1.4.U",
	.state_on = 7, .state_off = 8,
	.cmd = { 1, 0, 2 },
};

/* PDU-MIB's circuitBreakerState: ok(0), tripped(1); ok is shown as
 * "normal", as the other families call a bank in order. */
static const char *const load_states_px1[] = { "normal", "tripped", NULL };

/* Raritan Dominion PX, the first generation (PX1: PDU-MIB,
 * enterprises.13742.4, whose sysObjectID is 13742.4 itself; firmware 1.x).
 * Tables are indexed by the outlet alone: outletTable's
 * outletOperationalState both reads the state (error -1, off 0, on 1,
 * cycling 2 while a power cycle is under way, read as pending) and takes
 * the command (off 0, on 1, cycling 2 to power-cycle: the reboot), as
 * sPDUOutletCtl does on APC; no delayed commands, no pending column and
 * no reboot duration over SNMP.  Currents are in milliamperes, power in
 * watts; the banks are the circuit breakers, with their ok/tripped
 * state.  PDU-MIB has the model and the device name only as
 * notification objects (objectName, objectInstance: not readable), so
 * the model is left empty and the name is MIB-II's sysName.0. */
#define RARITAN_PX1_COMMON \
	.probe_late = 1, \
	.enterprise = "1.3.6.1.4.1.13742", \
	.default_version = SNMP_V2C, \
	.device_name = "1.3.6.1.2.1.1.5.0", \
	.firmware = "1.3.6.1.4.1.13742.4.1.1.1.0", \
	.serial = "1.3.6.1.4.1.13742.4.1.1.2.0", \
	.outlet_count = "1.3.6.1.4.1.13742.4.1.2.1.0", \
	.bank_rows = { "1.3.6.1.4.1.13742.4.1.5.1.0", NULL }, \
	.bank_load = "1.3.6.1.4.1.13742.4.1.5.2.1.5", \
	.bank_state = "1.3.6.1.4.1.13742.4.1.5.2.1.3", \
	.load_states = load_states_px1, \
	.out_name = "1.3.6.1.4.1.13742.4.1.2.2.1.2", \
	.out_name_set = "1.3.6.1.4.1.13742.4.1.2.2.1.2", \
	.out_state = "1.3.6.1.4.1.13742.4.1.2.2.1.3", \
	.out_current = "1.3.6.1.4.1.13742.4.1.2.2.1.4", \
	.out_power = "1.3.6.1.4.1.13742.4.1.2.2.1.7", \
	.current_div = 1000, \
	.state_on = 1, .state_off = 0, \
	.state_pending = { 2 }

/* A PX1 that cannot switch: PDU-MIB's outletSwitching (a DisplayString,
 * "enabled/disabled"; read-only on non-switched PDUs) reads disabled.  A
 * switched unit whose switching was turned off reads the same and is
 * refused the same way.  Asked as the required object, so a firmware
 * without it reads as the switched profile, as before. */
static const struct pdu_profile raritan_px1_metered = {
	.name = "raritan-px1-metered",
	.description = "Raritan Dominion PX1 without outlet switching (PDU-MIB)",
	.requires = "1.3.6.1.4.1.13742.4.1.1.28.0",
	.requires_text = "disabled",
	RARITAN_PX1_COMMON,
};

static const struct pdu_profile raritan_px1 = {
	.name = "raritan-px1",
	.description = "Raritan Dominion PX1 (PDU-MIB)",
	.out_cmd = "1.3.6.1.4.1.13742.4.1.2.2.1.3",
	.cmd = { 1, 0, 2 },
	RARITAN_PX1_COMMON,
};

/* ServerTech's DeviceStatus (Sentry4-MIB), from normal(0); 3 and 4 are
 * not defined. */
static const char *const load_states_sentry4[] = {
	"normal", "disabled", "purged", "unknown", "unknown", "reading", "settle",
	"notFound", "lost", "readError", "noComm", "pwrError", "breakerTripped",
	"fuseBlown", "lowAlarm", "lowWarning", "highWarning", "highAlarm", "alarm",
	"underLimit", "overLimit", "nvmFail", "profileError", "conflict", NULL
};

/* ServerTech Sentry4 (Sentry4-MIB, enterprises.1718.4: PRO1/PRO2 Smart
 * and Switched PDUs).  Outlets are indexed unit.inputCord.outlet, read
 * here as each unit's first cord (U.1.N); the state is
 * st4OutletState (DeviceState: on 1, off 2), present on metered units as
 * well, while switched units add the control table, whose
 * st4OutletControlAction takes on 1, off 2, reboot 3 (4-6 queue a command
 * until st4OutletQueueControl commits: not delayed commands).  Switched
 * and metered units answer the same tables but for that control table,
 * so the switched profile requires st4OutletControlState.1.1.1 and the
 * metered one, tried after it, refuses switching.  Currents are in
 * hundredths of an ampere, -1 when not measured; the banks are the
 * branches (breakers) of the first cord, with a DeviceStatus; every
 * outlet reboots for st4OutletRebootDelay.  Link units: a master unit (A,
 * st4UnitIndex 1) answers for up to five link units (B-F, 2-6) behind it;
 * st4SystemUnitCount counts them all, and every unit, cord, branch and
 * outlet row starts with its st4UnitIndex, so a link unit is read as
 * the master is, with its own index.  The firmware is the system's,
 * one for the chain. */
#define SENTRY4_COMMON \
	.enterprise = "1.3.6.1.4.1.1718", \
	.default_version = SNMP_V2C, \
	.model = "1.3.6.1.4.1.1718.4.1.2.2.1.5.U", \
	.device_name = "1.3.6.1.4.1.1718.4.1.2.2.1.3.U", \
	.firmware = "1.3.6.1.4.1.1718.4.1.1.1.3.0", \
	.serial = "1.3.6.1.4.1.1718.4.1.2.2.1.4.U", \
	.outlet_count = "1.3.6.1.4.1.1718.4.1.3.2.1.24.1.1", \
	.bank_rows = { "1.3.6.1.4.1.1718.4.1.3.2.1.23.U.1", NULL }, \
	.bank_load = "1.3.6.1.4.1.1718.4.1.7.3.1.3.U.1.N", \
	.bank_state = "1.3.6.1.4.1.1718.4.1.7.3.1.2.U.1.N", \
	.bank_alarm = "1.3.6.1.4.1.1718.4.1.7.3.1.4.U.1.N", \
	.load_states = load_states_sentry4, \
	.out_name = "1.3.6.1.4.1.1718.4.1.8.2.1.3.U.1.N", \
	.out_name_set = "1.3.6.1.4.1.1718.4.1.8.2.1.3.U.1.N", \
	.out_state = "1.3.6.1.4.1.1718.4.1.8.3.1.1.U.1.N", \
	.reboot_s_unit = "1.3.6.1.4.1.1718.4.1.8.1.11.0", \
	.out_current = "1.3.6.1.4.1.1718.4.1.8.3.1.3.U.1.N", \
	.out_power = "1.3.6.1.4.1.1718.4.1.8.3.1.7.U.1.N", \
	.current_div = 100, \
	.unit_count = "1.3.6.1.4.1.1718.4.1.1.1.21.0", \
	.unit_first = 1, \
	.unit_outlets = "1.3.6.1.4.1.1718.4.1.3.2.1.24.U.1", \
	.state_on = 1, .state_off = 2

static const struct pdu_profile sentry4 = {
	.name = "sentry4",
	.description = "ServerTech Sentry4 Switched PDU (Sentry4-MIB)",
	SENTRY4_COMMON,
	.requires = "1.3.6.1.4.1.1718.4.1.8.5.1.1.1.1.1",
	.out_cmd = "1.3.6.1.4.1.1718.4.1.8.5.1.2.U.1.N",
	.cmd = { 1, 2, 3 },
};

static const struct pdu_profile sentry4_metered = {
	.name = "sentry4-metered",
	.description = "ServerTech Sentry4 Smart (metered) PDU (Sentry4-MIB)",
	SENTRY4_COMMON,
};

/* ServerTech Sentry3 (Sentry3-MIB, enterprises.1718.3: Switched and Smart
 * CDUs).  Outlets are indexed tower.infeed.outlet, read here as the first
 * tower's first infeed (1.1.N); outletStatus reads off 0, on 1 (2-9 are
 * waits, errors and fuse states); switched towers have
 * outletControlAction: on 1, off 2, reboot 3, and the metered ones do not
 * (outletControlState tells them apart, as on Sentry4).  The firmware is
 * in systemVersion; loads in hundredths of an ampere, -1 when not
 * measured; the infeeds are inputs, not banks.  The tower columns were
 * checked against Sentry3-MIB: towerName 3, towerProductSN 6,
 * towerModelNumber 7. */
#define SENTRY3_COMMON \
	.enterprise = "1.3.6.1.4.1.1718", \
	.default_version = SNMP_V2C, \
	.model = "1.3.6.1.4.1.1718.3.2.1.1.7.1", \
	.device_name = "1.3.6.1.4.1.1718.3.2.1.1.3.1", \
	.firmware = "1.3.6.1.4.1.1718.3.1.1.0", \
	.serial = "1.3.6.1.4.1.1718.3.2.1.1.6.1", \
	.outlet_count = "1.3.6.1.4.1.1718.3.2.2.1.9.1.1", \
	.bank_rows = { NULL, NULL }, \
	.load_states = load_states_cps, \
	.out_name = "1.3.6.1.4.1.1718.3.2.3.1.3.1.1.N", \
	.out_name_set = "1.3.6.1.4.1.1718.3.2.3.1.3.1.1.N", \
	.out_state = "1.3.6.1.4.1.1718.3.2.3.1.5.1.1.N", \
	.out_current = "1.3.6.1.4.1.1718.3.2.3.1.7.1.1.N", \
	.out_power = "1.3.6.1.4.1.1718.3.2.3.1.14.1.1.N", \
	.current_div = 100, \
	.state_on = 1, .state_off = 0

static const struct pdu_profile sentry3 = {
	.name = "sentry3",
	.description = "ServerTech Sentry3 Switched CDU (Sentry3-MIB)",
	.probe_late = 1,
	SENTRY3_COMMON,
	.requires = "1.3.6.1.4.1.1718.3.2.3.1.10.1.1.1",
	.out_cmd = "1.3.6.1.4.1.1718.3.2.3.1.11.1.1.N",
	.cmd = { 1, 2, 3 },
};

static const struct pdu_profile sentry3_metered = {
	.name = "sentry3-metered",
	.description = "ServerTech Sentry3 Smart (metered) CDU (Sentry3-MIB)",
	.probe_late = 1,
	SENTRY3_COMMON,
};

/* CyberPower ATS with switched outlets (CPS-MIB ats, enterprises.3808.1.1.5,
 * PDU15SWHVIEC8ATNET and the like).  The atsIdent group, checked against
 * CPS-MIB: atsIdentName 1 (the unit's name), atsIdentModelName 2,
 * atsIdentHardwareRev 3, atsIdentFirmwareRev 4, atsIdentSerialNumber 5
 * (an earlier table read 1 as the model, 3 as the firmware and 2 as the
 * serial).  Outlets in atsOutletStatusTable
 * (name, state on 1 / off 2), commands in atsOutletCtrlCommand shifted by
 * one against the ePDU's: immediateOn 2, immediateOff 3, immediateReboot 4
 * (1 is noCommand).  The names are not written through this table, so
 * renaming is refused; no banks, no outlet metering, no delayed commands
 * used. */
static const struct pdu_profile cyberpower_ats = {
	.name = "cyberpower-ats",
	.description = "CyberPower ATS with switched outlets (CPS-MIB ats tables)",
	.probe_late = 1,
	.enterprise = "1.3.6.1.4.1.3808",
	.default_version = SNMP_V1,
	.model = "1.3.6.1.4.1.3808.1.1.5.1.2.0",
	.device_name = "1.3.6.1.4.1.3808.1.1.5.1.1.0",
	.firmware = "1.3.6.1.4.1.3808.1.1.5.1.4.0",
	.serial = "1.3.6.1.4.1.3808.1.1.5.1.5.0",
	.outlet_count = "1.3.6.1.4.1.3808.1.1.5.6.1.1.0",
	.bank_rows = { NULL, NULL },
	.load_states = load_states_cps,
	.out_name = "1.3.6.1.4.1.3808.1.1.5.6.3.1.2",
	.out_state = "1.3.6.1.4.1.3808.1.1.5.6.3.1.3",
	.out_cmd = "1.3.6.1.4.1.3808.1.1.5.6.5.1.3",
	.state_on = 1, .state_off = 2,
	.cmd = { 2, 3, 4 },
};

/* Eaton's threshold status (EATON-EPDU-MIB), from good(0). */
static const char *const load_states_eaton[] = {
	"normal", "lowWarning", "lowCritical", "highWarning", "highCritical", NULL
};

/* Eaton's groupBreakerStatus (EATON-EPDU-MIB): notApplicable(0) for a
 * group with no breaker of its own (an outlet section), breakerOn(1),
 * breakerOff(2).  A breaker that is off, tripped or opened by hand,
 * leaves the group's outlets without power: a trip. */
static const char *const breaker_states_eaton[] = {
	"notApplicable", "breakerOn", "breakerOff", NULL
};

/* Eaton ePDU G2/G3/G4 (EATON-EPDU-MIB, enterprises.534.6.6.7: the Marlin
 * and Shark managed and switched units).  Every row is indexed by the
 * unit's strappingIndex first, 0 for the unit itself (daisy-chained
 * units are 1 and up), so outlets are 0.N.  The state is
 * outletControlStatus: off 0, on 1, pendingOff 2, pendingOn 3.  There is
 * no command column with values: outletControlOffCmd, ...OnCmd and
 * ...RebootCmd each take the delay in seconds before they act (0 now,
 * -1 cancels), so every command writes 0 to its own column.  Currents
 * are in milliamperes; the banks are the outlet groups (breakers and
 * sections), with a threshold status (groupCurrentThStatus) and, in the
 * group table beside it, the breaker's state (groupBreakerStatus, same
 * index).  Metered (MI/MA) units have no
 * command columns: the switched profile requires outletControlOffCmd of
 * outlet 1.  The unit table was checked against EATON-EPDU-MIB:
 * productName 2, serialNumber 4, firmwareVersion 5, unitName 6, groupCount
 * 21, outletCount 22. */
#define EATON_COMMON \
	.enterprise = "1.3.6.1.4.1.534", \
	.default_version = SNMP_V2C, \
	.model = "1.3.6.1.4.1.534.6.6.7.1.2.1.2.U", \
	.device_name = "1.3.6.1.4.1.534.6.6.7.1.2.1.6.U", \
	.firmware = "1.3.6.1.4.1.534.6.6.7.1.2.1.5.U", \
	.serial = "1.3.6.1.4.1.534.6.6.7.1.2.1.4.U", \
	.outlet_count = "1.3.6.1.4.1.534.6.6.7.1.2.1.22.0", \
	.bank_rows = { "1.3.6.1.4.1.534.6.6.7.1.2.1.21.U", NULL }, \
	.bank_load = "1.3.6.1.4.1.534.6.6.7.5.4.1.3.U.N", \
	.bank_state = "1.3.6.1.4.1.534.6.6.7.5.4.1.4.U.N", \
	.load_states = load_states_eaton, \
	.bank_breaker = "1.3.6.1.4.1.534.6.6.7.5.1.1.5.U.N", \
	.breaker_states = breaker_states_eaton, \
	.out_name = "1.3.6.1.4.1.534.6.6.7.6.1.1.3.U.N", \
	.out_name_set = "1.3.6.1.4.1.534.6.6.7.6.1.1.3.U.N", \
	.out_state = "1.3.6.1.4.1.534.6.6.7.6.6.1.2.U.N", \
	.out_current = "1.3.6.1.4.1.534.6.6.7.6.4.1.3.U.N", \
	.out_power = "1.3.6.1.4.1.534.6.6.7.6.5.1.3.U.N", \
	.current_div = 1000, \
	.unit_count = "1.3.6.1.4.1.534.6.6.7.1.1.0", \
	.unit_outlets = "1.3.6.1.4.1.534.6.6.7.1.2.1.22.U", \
	.state_on = 1, .state_off = 0, \
	.state_pending = { 2, 3 }

static const struct pdu_profile eaton_epdu = {
	.name = "eaton-epdu",
	.description = "Eaton ePDU G2/G3/G4 switched (EATON-EPDU-MIB)",
	EATON_COMMON,
	.requires = "1.3.6.1.4.1.534.6.6.7.6.6.1.3.0.1",
	.out_cmd_col = { "1.3.6.1.4.1.534.6.6.7.6.6.1.4.U.N", "1.3.6.1.4.1.534.6.6.7.6.6.1.3.U.N",
	                 "1.3.6.1.4.1.534.6.6.7.6.6.1.5.U.N" },
	.cmd = { 0, 0, 0 },
};

static const struct pdu_profile eaton_epdu_metered = {
	.name = "eaton-epdu-metered",
	.description = "Eaton ePDU G2/G3/G4 metered (EATON-EPDU-MIB)",
	EATON_COMMON,
};

/* Tripp Lite switched and metered PDUs (TRIPPLITE-PRODUCTS,
 * enterprises.850.1.1.3.2: the PDUMH/PDUMNH "NET" units behind a
 * PowerAlert card).  Every row is indexed by tlpDeviceIndex first, 1 for
 * the PDU itself, so outlets are 1.N.  tlpPduOutletState reads unknown 0,
 * off 1, on 2 (on and off the other way round from CyberPower's);
 * tlpPduOutletCommand takes turnOff 1, turnOn 2, cycle 3 (off, then on)
 * and always reads idle 0; no delayed commands, no command-pending
 * column and no reboot duration.  Switched and metered units answer the
 * same outlet table: tlpPduOutletControllable, TruthValue, reads true(1)
 * on an outlet that switches, so the switched profile requires it of
 * outlet 1.  Currents are hundredths of an ampere, the outlet's missing
 * (noSuchName) where the unit does not meter outlets; the banks are the
 * circuits (tlpPduCircuitTable), which have a current but no load
 * state. */
#define TRIPPLITE_COMMON \
	.enterprise = "1.3.6.1.4.1.850", \
	.default_version = SNMP_V2C, \
	.model = "1.3.6.1.4.1.850.1.1.1.2.1.5.1", \
	.device_name = "1.3.6.1.4.1.850.1.1.1.2.1.6.1", \
	.firmware = "1.3.6.1.4.1.850.1.1.2.1.1.4.1", \
	.serial = "1.3.6.1.4.1.850.1.1.2.1.1.5.1", \
	.outlet_count = "1.3.6.1.4.1.850.1.1.3.2.1.2.1.4.1", \
	.bank_rows = { "1.3.6.1.4.1.850.1.1.3.2.1.2.1.6.1", NULL }, \
	.bank_load = "1.3.6.1.4.1.850.1.1.3.2.3.4.1.1.4.1.N", \
	.load_states = load_states_cps, \
	.out_name = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.2.1.N", \
	.out_name_set = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.2.1.N", \
	.out_state = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.4.1.N", \
	.out_current = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.8.1.N", \
	.out_power = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.9.1.N", \
	.current_div = 100, \
	.state_on = 2, .state_off = 1

static const struct pdu_profile tripplite = {
	.name = "tripplite",
	.description = "Tripp Lite switched PDU (TRIPPLITE-PRODUCTS tlpPdu tables)",
	.probe_late = 1,
	TRIPPLITE_COMMON,
	.requires = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.5.1.1",
	.requires_value = 1,
	.out_cmd = "1.3.6.1.4.1.850.1.1.3.2.3.3.1.1.6.1.N",
	.cmd = { 2, 1, 3 },
};

static const struct pdu_profile tripplite_metered = {
	.name = "tripplite-metered",
	.description = "Tripp Lite metered PDU (TRIPPLITE-PRODUCTS tlpPdu tables)",
	.probe_late = 1,
	TRIPPLITE_COMMON,
};

/* Vertiv Geist rPDUs with the IMD controller (VERTIV-V5-MIB, formerly
 * GEIST-V5-MIB, enterprises.21239.5.2).  Outlet rows are indexed by the
 * outlet alone, and the MIB publishes no outlet count, so the outlets are
 * counted as the rows of pduOutletSwitchState (switched units) or of
 * pduOutletMeterLabel (outlet-metered units without switching, which
 * have no outlet state to read).  The names read and written are the
 * user-defined labels (...Label, at most 25 bytes, empty until set).
 * pduOutletSwitchState reads on 1, off 2, and on2off 3, off2on 4,
 * rebootOn 5, rebootOff 6 while a command is under way (read as pending;
 * unavailable 7); pduOutletSwitchControl takes on 2, off 4, reboot 6, the
 * delayed variants 3, 5, 7 and cancel 1, reads none 8, and answers
 * inconsistentValue for an outlet that is not in manual mode.  A reboot
 * holds the outlet off for its pduOutletSwitchRebootHoldDelay.  Currents
 * are hundredths of an ampere; the banks are the breakers
 * (pduBreakerTable), with no row count and no load state, so their first
 * rows are asked and the absent ones skipped. */
#define GEIST_COMMON \
	.enterprise = "1.3.6.1.4.1.21239", \
	.default_version = SNMP_V2C, \
	.model = "1.3.6.1.4.1.21239.5.2.1.8.0", \
	.device_name = "1.3.6.1.4.1.21239.5.2.1.3.0", \
	.firmware = "1.3.6.1.4.1.21239.5.2.1.2.0", \
	.serial = "1.3.6.1.4.1.21239.5.2.1.10.0", \
	.bank_rows = { NULL, NULL }, \
	.bank_rows_fixed = 6, \
	.bank_load = "1.3.6.1.4.1.21239.5.2.3.3.1.4", \
	.load_states = load_states_cps, \
	.out_current = "1.3.6.1.4.1.21239.5.2.3.6.1.8", \
	.out_power = "1.3.6.1.4.1.21239.5.2.3.6.1.12", \
	.current_div = 100

static const struct pdu_profile geist = {
	.name = "geist",
	.description = "Vertiv Geist switched rPDU (VERTIV-V5-MIB / GEIST-V5-MIB)",
	GEIST_COMMON,
	.outlet_rows = "1.3.6.1.4.1.21239.5.2.3.5.1.4",
	.out_name = "1.3.6.1.4.1.21239.5.2.3.5.1.3",
	.out_name_set = "1.3.6.1.4.1.21239.5.2.3.5.1.3",
	.out_state = "1.3.6.1.4.1.21239.5.2.3.5.1.4",
	.out_cmd = "1.3.6.1.4.1.21239.5.2.3.5.1.6",
	.out_reboot_s = "1.3.6.1.4.1.21239.5.2.3.5.1.11",
	.state_on = 1, .state_off = 2,
	.state_pending = { 3, 4, 5, 6 },
	.cmd = { 2, 4, 6 },
	.cmd_delayed = { 3, 5, 7 },
};

static const struct pdu_profile geist_metered = {
	.name = "geist-metered",
	.description = "Vertiv Geist metered rPDU (VERTIV-V5-MIB / GEIST-V5-MIB)",
	GEIST_COMMON,
	.outlet_rows = "1.3.6.1.4.1.21239.5.2.3.6.1.3",
	.out_name = "1.3.6.1.4.1.21239.5.2.3.6.1.3",
	.out_name_set = "1.3.6.1.4.1.21239.5.2.3.6.1.3",
	.state_on = 1, .state_off = 2,
};

/* Within a vendor, detection takes the first family whose outlet table
 * answers, in this order: the sPDU table comes after the rPDU ones,
 * since AP79xx units answer both and the rPDU tables say more; the PX1
 * that cannot switch before the one that can, which requires nothing. */
const struct pdu_profile *const pdu_profiles[] = {
	&cyberpower_epdu, &cyberpower_epdu2, &apc_rpdu2, &apc_rpdu, &apc_spdu, &raritan_px2,
	&raritan_px1_metered, &raritan_px1, &sentry4, &sentry4_metered, &sentry3, &sentry3_metered,
	&eaton_epdu, &eaton_epdu_metered, &cyberpower_ats, &tripplite, &tripplite_metered, &geist,
	&geist_metered, NULL
};

const struct pdu_profile *
pdu_profile_find(const char *name)
{
	for (size_t i = 0; pdu_profiles[i] != NULL; i++)
		if (strcmp(pdu_profiles[i]->name, name) == 0)
			return pdu_profiles[i];
	return NULL;
}

const char *
pdu_profile_names(void)
{
	static char names[512];
	size_t used = 0;

	if (names[0] != '\0')
		return names;
	for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
		const char *sep = i == 0 ? "" : pdu_profiles[i + 1] == NULL ? " or " : ", ";
		int n = snprintf(names + used, sizeof names - used, "%s%s", sep, pdu_profiles[i]->name);
		if (n < 0 || (size_t)n >= sizeof names - used)
			break;
		used += (size_t)n;
	}
	return names;
}

/* PDU makers by IANA private enterprise number, for the message about a
 * PDU no profile reads. */
static const struct {
	unsigned long number;
	const char *name;
} vendors[] = {
	{ 318, "APC" },
	{ 534, "Eaton" },
	{ 674, "Dell" },
	{ 850, "Tripp Lite" },
	{ 1718, "Server Technology" },
	{ 3808, "CyberPower" },
	{ 13742, "Raritan" },
	{ 21239, "Vertiv Geist" },
};

const char *
pdu_vendor_name(unsigned long enterprise)
{
	for (size_t i = 0; i < sizeof vendors / sizeof vendors[0]; i++)
		if (vendors[i].number == enterprise)
			return vendors[i].name;
	return NULL;
}

int
pdu_vendor_has_profiles(unsigned long enterprise)
{
	char prefix[32];

	snprintf(prefix, sizeof prefix, "1.3.6.1.4.1.%lu", enterprise);
	for (size_t i = 0; pdu_profiles[i] != NULL; i++)
		if (strcmp(pdu_profiles[i]->enterprise, prefix) == 0)
			return 1;
	return 0;
}

int
pdu_action_parse(const char *word, enum pdu_action *a)
{
	static const char *const names[PDU_ACTIONS] = { "on", "off", "reboot" };

	for (int i = 0; i < PDU_ACTIONS; i++)
		if (strcmp(word, names[i]) == 0) {
			*a = (enum pdu_action)i;
			return 1;
		}
	return 0;
}

const char *
pdu_state_name(int state)
{
	return state == 1 ? "on" : state == 0 ? "off" : "unknown";
}

/* The profiles' load state names that mean one of the common ones
 * (CyberPower's and APC's low, normal, nearOverload, overload are
 * common already).  A tripped breaker: PDU-MIB's circuitBreakerState
 * tripped(1) (Raritan PX1), Sentry4-MIB's DeviceStatus breakerTripped(12)
 * and fuseBlown(13) of st4BranchStatus, EATON-EPDU-MIB's
 * groupBreakerStatus breakerOff(2) and PDU2-MIB's over-current
 * protector trip sensor open(0) (each a column of its own, bank_breaker).
 * TRIPPLITE-PRODUCTS keeps trips in tlpPduBreakerTable, whose rows are
 * not the circuits'.  The thresholds' states:
 * PDU2-MIB's SensorStateEnumeration (Raritan PX2/PX3), EATON-EPDU-MIB's
 * groupCurrentThStatus, Sentry4-MIB's DeviceStatus of
 * st4BranchCurrentStatus; a low current is only low, as CyberPower's. */
static const struct {
	const char *family, *common;
} load_common[] = {
	{ "tripped", "tripped" },
	{ "breakerTripped", "tripped" },
	{ "fuseBlown", "tripped" },
	{ "breakerOff", "tripped" },
	{ "open", "tripped" },
	{ "belowLowerCritical", "low" },
	{ "belowLowerWarning", "low" },
	{ "aboveUpperWarning", "nearOverload" },
	{ "aboveUpperCritical", "overload" },
	{ "lowCritical", "low" },
	{ "lowAlarm", "low" },
	{ "lowWarning", "low" },
	{ "highWarning", "nearOverload" },
	{ "highCritical", "overload" },
	{ "highAlarm", "overload" },
};

const char *
pdu_load_common(const char *load_state)
{
	for (size_t i = 0; load_state != NULL && i < sizeof load_common / sizeof load_common[0]; i++)
		if (strcmp(load_state, load_common[i].family) == 0)
			return load_common[i].common;
	return load_state;
}

int
pdu_load_tripped(const char *load_state)
{
	const char *common = pdu_load_common(load_state);

	return common != NULL && strcmp(common, "tripped") == 0;
}

/* 1 when one of names (NULL-terminated, or NULL) means a trip. */
static int
names_trip(const char *const *names)
{
	for (int i = 0; names != NULL && names[i] != NULL; i++)
		if (pdu_load_tripped(names[i]))
			return 1;
	return 0;
}

int
pdu_profile_trips(const struct pdu_profile *p)
{
	return names_trip(p->load_states) || names_trip(p->breaker_states);
}
