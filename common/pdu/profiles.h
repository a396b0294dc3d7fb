/* profiles.h — the switched-PDU families pductl knows, as data: OIDs,
 * value maps and the SNMP version each vendor answers by default.  Code
 * that reads or switches a PDU (device.c, switch.c) takes a profile and
 * knows no vendor.
 *
 * The tables come from the vendors' MIBs, by numeric OID only (no MIB
 * files): CyberPower CPS-MIB ePDU (enterprises.3808.1.1.3) and ePDU2
 * (3808.1.1.6), APC PowerNet-MIB rPDU2 (318.1.1.26, AP86xx/AP88xx/
 * AP89xx), rPDU (318.1.1.12, AP79xx) and the MasterSwitch sPDU table
 * (318.1.1.4, AP9211, AP79xx legacy firmware).  The encodings differ per
 * family and are never shared: outlet state is 1 on / 2 off everywhere
 * except APC rPDU2, which reads 1 off / 2 on; commands are 1 on, 2 off,
 * 3 reboot in all of them, but the delayed ones are 4-6 (cancel 7) on
 * CyberPower and rPDU, 5-7 (cancel 8) on rPDU2 and 5-7 (no cancel) on
 * sPDU, whose one column reads the state and takes the command; bank
 * load state
 * counts 1 normal, 2 low except on rPDU2 (1 low, 2 normal); currents are
 * tenths of an ampere.  Outlets are numbered from 1. */
#ifndef PDU_PROFILES_H
#define PDU_PROFILES_H

#define PDU_MAX_OUTLETS 96
#define PDU_MAX_BANKS 32
#define PDU_NAME_MAX 64
#define PDU_MAX_UNITS 8

enum pdu_action {
	PDU_ON = 0,
	PDU_OFF,
	PDU_REBOOT,
	PDU_ACTIONS
};

/* One vendor table family.  OIDs are dotted text; a column OID gets the
 * outlet (or bank row) number appended, or put where it has an `N` (Raritan
 * indexes outlets by pduId.outletId and sensors by
 * pduId.outletId.sensorType: "...4.1.N.1"); 0 in cmd_delayed = not
 * offered; a NULL column = not read (out_cmd NULL: the family only
 * meters, and switching is refused). */
struct pdu_profile {
	const char *name;          /* --profile value */
	const char *description;
	const char *enterprise;    /* sysObjectID prefix this family lives under */
	/* SNMP_V1 or SNMP_V2C: CyberPower documents only v1 (and v3) and
	 * answers v1 by default; APC answers v2c once "SNMPv1 access" is on,
	 * since v2c rides on the v1 settings. */
	int default_version;
	/* identity (scalars, full OIDs) */
	const char *model, *device_name, *firmware, *serial;
	const char *outlet_count;  /* > 0 when the tables exist: the probe */
	/* ...or, where the MIB publishes no count (Vertiv Geist), a column
	 * whose rows are counted: row 1 is the probe, and the outlets are the
	 * rows present from 1 up (every tenth row asked, then the rows of the
	 * last ten: device.c count_tens). */
	const char *outlet_rows;
	/* ...and, when set, an object that must exist too (asked in the
	 * same GET): what tells a switched unit from a metered one sharing
	 * its tables (ServerTech's outlet control table). */
	const char *requires;
	/* ...and, when not 0, the value it must read: Tripp Lite's switched
	 * and metered units answer the same outlet table, and only
	 * tlpPduOutletControllable, true(1) or false(2), tells them apart. */
	int requires_value;
	/* ...or, when not NULL, the text it must read, case aside: Raritan
	 * PX1's outletSwitching reads disabled on a unit that only meters. */
	const char *requires_text;
	/* 1: detection's first request leaves this family's outlet count
	 * out; it is asked once sysObjectID names the vendor (the first
	 * request holds ten objects, and the families that share a vendor's
	 * tables with a newer one give way to those of other vendors) */
	int probe_late;
	/* bank load: either rows found via a bank-number column (row count =
	 * sum of bank_rows[]), or indexed by bank number directly */
	const char *bank_rows[2];
	/* ...or, with no row count published, rows 1..bank_rows_fixed are
	 * asked and the absent ones skipped (Vertiv Geist's breakers) */
	int bank_rows_fixed;
	const char *bank_number;   /* column; NULL = row index is the bank */
	/* ...and in a row-indexed chain (APC rPDU2, CyberPower ePDU2), the
	 * column naming each row's unit (module); unit-indexed chains put
	 * the unit where the bank OIDs (bank_rows[0] included) have a `U` */
	const char *bank_unit;
	const char *bank_load;     /* column, tenths of A */
	const char *bank_state;    /* column */
	/* ...and where the family keeps the current's alarm state in a
	 * column of its own (Sentry4's st4BranchCurrentStatus beside
	 * st4BranchStatus), that column, in the same load_states: the bank
	 * reads it while bank_state reads "normal" */
	const char *bank_alarm;
	/* ...and where the breaker's own state is a column of the bank's
	 * rows (Eaton's groupBreakerStatus), that column and its names by
	 * value, NULL-terminated: a name that means a trip (pdu_load_common)
	 * is the bank's state, whatever the load columns read */
	const char *bank_breaker;
	const char *const *breaker_states;
	const char *const *load_states;  /* names by value, NULL-terminated */
	int nload_states;
	/* outlet columns */
	const char *out_name;      /* read */
	const char *out_name_set;  /* write */
	const char *out_state;
	const char *out_cmd;
	/* ...or one column per action (on, off, reboot), each taking cmd[a]:
	 * Eaton's outletControl{On,Off,Reboot}Cmd take a delay in seconds */
	const char *out_cmd_col[PDU_ACTIONS];
	const char *out_pending;   /* 1 = command pending */
	const char *out_reboot_s;  /* reboot duration, s */
	const char *reboot_s_unit; /* ...or one for every outlet (scalar), when no column */
	const char *out_current;   /* tenths of A (see current_div), metered models only */
	const char *out_power;     /* W, metered models only */
	/* Currents (bank and outlet) are read / current_div, 0 meaning 10;
	 * where the family states its precision per sensor (Raritan's
	 * ...SensorDecimalDigits), these columns (row 1 read) give the digits
	 * instead: the reading is divided by 10^digits. */
	int current_div;
	const char *bank_load_digits, *out_current_digits;
	/* Daisy chains: units behind one address.  unit_count says how many
	 * answer (NULL: the family does not chain).  Unit-indexed families
	 * put the unit where their OIDs have a `U` (unit_first is the first
	 * unit's index: Eaton's strappingIndex 0, Raritan's pduId 1, Sentry4's
	 * st4UnitIndex 1) and give
	 * each unit's outlet count (unit_outlets, `U`); the first unit is
	 * read exactly as a single one; their identity and bank OIDs have a
	 * `U` too, so each unit's are read (and so are the precision digits,
	 * of each unit's first sensor).  Row-indexed families (APC rPDU2, CyberPower ePDU2)
	 * number the outlets of every unit in one table whose rows name their
	 * unit and outlet (out_unit, out_number), and their banks in one
	 * table whose rows name their unit (bank_unit); their identity table
	 * has a row per unit, in unit order, so its `U` is the unit
	 * (unit_first 1). */
	const char *unit_count;
	int unit_first;
	const char *unit_outlets;
	const char *out_unit, *out_number;
	int state_on, state_off;
	/* transitional states that mean a command is pending, for families
	 * without a pending column (0 = none): Eaton's pendingOff 2 and
	 * pendingOn 3, Vertiv Geist's on2off 3, off2on 4, rebootOn 5 and
	 * rebootOff 6 */
	int state_pending[4];
	/* immediate on, off, reboot: any value, 0 included (Raritan's
	 * switchingOperation is off 0, on 1, cycle 2) */
	int cmd[PDU_ACTIONS];
	int cmd_delayed[PDU_ACTIONS];  /* delayed variants, 0 = none */
};

/* The profile table, NULL-terminated. */
extern const struct pdu_profile *const pdu_profiles[];

/* The profile named name, or NULL. */
const struct pdu_profile *pdu_profile_find(const char *name);

/* Every profile name, as "a, b or c" (for messages). */
const char *pdu_profile_names(void);

/* The vendor registered as SNMP enterprise number (IANA's private
 * enterprise numbers, for the PDU makers pductl meets), or NULL. */
const char *pdu_vendor_name(unsigned long enterprise);

/* 1 when some profile lives under that enterprise number. */
int pdu_vendor_has_profiles(unsigned long enterprise);

/* 1 with *a set when word names an action ("on", "off", "reboot"),
 * else 0. */
int pdu_action_parse(const char *word, enum pdu_action *a);

/* "on", "off" or "unknown". */
const char *pdu_state_name(int state);

/* 1 when a bank's load state (a profile's name, as status prints it)
 * says its breaker tripped or its fuse blew (pdu_load_common's
 * "tripped"). */
int pdu_load_tripped(const char *load_state);

/* load_state (a profile's name, as status prints it) as --check,
 * --watch and Prometheus name it: low, normal, nearOverload, overload
 * or tripped, whatever the family calls it; any other name as it is. */
const char *pdu_load_common(const char *load_state);

/* 1 when the profile's banks can read a tripped breaker. */
int pdu_profile_trips(const struct pdu_profile *p);

#endif
