/* pdu.h — switched PDUs over SNMP: vendor profiles as data (OIDs and
 * value maps, ../shared/protocols/snmp-pdu.md §2-4), auto-detection, and
 * the reads and commands pductl needs.  Nothing here prints. */
#ifndef PK_PDU_H
#define PK_PDU_H

#include "err.h"
#include "snmp.h"

#define PK_PDU_MAX_OUTLETS 96
#define PK_PDU_MAX_BANKS 16
#define PK_PDU_NAME_MAX 64

enum pk_pdu_action {
	PK_PDU_ON = 0,
	PK_PDU_OFF,
	PK_PDU_REBOOT,
	PK_PDU_ACTIONS
};

/* One vendor table family.  OIDs are dotted text; a column OID gets the
 * outlet (or bank row) number appended; 0 in a value map = not offered. */
struct pk_pdu_profile {
	const char *name;          /* --profile value */
	const char *description;
	const char *enterprise;    /* sysObjectID prefix this family lives under */
	int default_version;       /* PK_SNMP_V1 or PK_SNMP_V2C */
	/* identity (scalars, full OIDs) */
	const char *model, *device_name, *firmware, *serial;
	const char *outlet_count;  /* > 0 when the tables exist: the probe */
	/* bank load: either rows found via a bank-number column (row count =
	 * sum of bank_rows[]), or indexed by bank number directly */
	const char *bank_rows[2];
	const char *bank_number;   /* column; NULL = row index is the bank */
	const char *bank_load;     /* column, tenths of A */
	const char *bank_state;    /* column */
	const char *const *load_states;  /* names by value, NULL-terminated */
	int nload_states;
	/* outlet columns */
	const char *out_name;      /* read */
	const char *out_name_set;  /* write */
	const char *out_state;
	const char *out_cmd;
	const char *out_pending;   /* 1 = command pending */
	const char *out_reboot_s;  /* reboot duration, s */
	const char *out_current;   /* tenths of A, metered models only */
	const char *out_power;     /* W, metered models only */
	int state_on, state_off;
	int cmd[PK_PDU_ACTIONS];          /* immediate on, off, reboot */
	int cmd_delayed[PK_PDU_ACTIONS];  /* delayed variants, 0 = none */
};

struct pk_pdu_outlet {
	int number;
	char name[PK_PDU_NAME_MAX];
	int state;           /* 1 on, 0 off, -1 unknown value */
	int raw_state;
	int pending;         /* 1 pending, 0 none, -1 not reported */
	int reboot_s;        /* -1 when unknown */
	int has_current, has_power;
	double current_a;
	long power_w;
};

struct pk_pdu_bank {
	int number;
	double load_a;
	const char *load_state;  /* profile name, or "unknown" */
	int raw_state;
};

struct pk_pdu {
	const struct pk_pdu_profile *prof;
	char sysoid[256];
	char model[PK_PDU_NAME_MAX], name[PK_PDU_NAME_MAX];
	char firmware[PK_PDU_NAME_MAX], serial[PK_PDU_NAME_MAX];
	int noutlets;
	int nbanks;
	int metered;
	struct pk_pdu_bank banks[PK_PDU_MAX_BANKS];
	struct pk_pdu_outlet outlets[PK_PDU_MAX_OUTLETS];
};

/* The profile table, NULL-terminated. */
extern const struct pk_pdu_profile *const pk_pdu_profiles[];

/* The profile named name, or NULL. */
const struct pk_pdu_profile *pk_pdu_profile_find(const char *name);

/* Detects the profile (§1 of the notes: sysObjectID, then the outlet
 * tables of that vendor) unless pdu->prof is already set, and reads the
 * outlet count unless pdu->noutlets is already known.  PK_ENOTFOUND when
 * nothing matches. */
int pk_pdu_detect(struct pk_snmp *s, struct pk_pdu *pdu, int64_t deadline,
                  struct pk_err *err);

/* Reads every outlet's name (for outlet lists given by name). */
int pk_pdu_read_names(struct pk_snmp *s, struct pk_pdu *pdu, int64_t deadline,
                      struct pk_err *err);

/* Reads the state (and, with with_pending, the command-pending column)
 * of the selected outlets; sel may be NULL for all. */
int pk_pdu_read_states(struct pk_snmp *s, struct pk_pdu *pdu, const unsigned char *sel,
                       int with_pending, int64_t deadline, struct pk_err *err);

/* Reads the reboot duration of the selected outlets. */
int pk_pdu_read_reboot(struct pk_snmp *s, struct pk_pdu *pdu, const unsigned char *sel,
                       int64_t deadline, struct pk_err *err);

/* Everything for `status`: identity, banks, outlets with names, states
 * and (where metered) current and power. */
int pk_pdu_read_status(struct pk_snmp *s, struct pk_pdu *pdu, int64_t deadline,
                       struct pk_err *err);

/* The SET varbind for an outlet command.  PK_EUSAGE when the profile
 * has no delayed variant. */
int pk_pdu_command_vb(const struct pk_pdu *pdu, int outlet, enum pk_pdu_action a,
                      int delayed, struct pk_vb *vb, struct pk_err *err);

/* The SET varbind for an outlet name. */
int pk_pdu_name_vb(const struct pk_pdu *pdu, int outlet, const char *name,
                   struct pk_vb *vb, struct pk_err *err);

/* 1 with *a set when word names an action ("on", "off", "reboot"),
 * else 0. */
int pk_pdu_action_parse(const char *word, enum pk_pdu_action *a);

/* "on", "off" or "unknown". */
const char *pk_pdu_state_name(int state);

#endif
