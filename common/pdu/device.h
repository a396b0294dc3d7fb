/* device.h — switched PDUs over SNMP: vendor profiles as data (OIDs and
 * value maps, ../shared/protocols/snmp-pdu.md §2-4), auto-detection, and
 * the reads and commands pductl needs.  Nothing here prints. */
#ifndef PDU_H
#define PDU_H

#include "core/err.h"
#include "snmp/snmp.h"

#define PDU_MAX_OUTLETS 96
#define PDU_MAX_BANKS 16
#define PDU_NAME_MAX 64

enum pdu_action {
	PDU_ON = 0,
	PDU_OFF,
	PDU_REBOOT,
	PDU_ACTIONS
};

/* One vendor table family.  OIDs are dotted text; a column OID gets the
 * outlet (or bank row) number appended; 0 in a value map = not offered. */
struct pdu_profile {
	const char *name;          /* --profile value */
	const char *description;
	const char *enterprise;    /* sysObjectID prefix this family lives under */
	int default_version;       /* SNMP_V1 or SNMP_V2C */
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
	int cmd[PDU_ACTIONS];          /* immediate on, off, reboot */
	int cmd_delayed[PDU_ACTIONS];  /* delayed variants, 0 = none */
};

struct pdu_outlet {
	int number;
	char name[PDU_NAME_MAX];
	int state;           /* 1 on, 0 off, -1 unknown value */
	int raw_state;
	int pending;         /* 1 pending, 0 none, -1 not reported */
	int reboot_s;        /* -1 when unknown */
	int has_current, has_power;
	double current_a;
	long power_w;
};

struct pdu_bank {
	int number;
	double load_a;
	const char *load_state;  /* profile name, or "unknown" */
	int raw_state;
};

struct pdu {
	const struct pdu_profile *prof;
	char sysoid[256];
	char model[PDU_NAME_MAX], name[PDU_NAME_MAX];
	char firmware[PDU_NAME_MAX], serial[PDU_NAME_MAX];
	int noutlets;
	int nbanks;
	int metered;
	struct pdu_bank banks[PDU_MAX_BANKS];
	struct pdu_outlet outlets[PDU_MAX_OUTLETS];
};

/* The profile table, NULL-terminated. */
extern const struct pdu_profile *const pdu_profiles[];

/* The profile named name, or NULL. */
const struct pdu_profile *pdu_profile_find(const char *name);

/* Detects the profile (§1 of the notes: sysObjectID, then the outlet
 * tables of that vendor) unless pdu->prof is already set, and reads the
 * outlet count unless pdu->noutlets is already known.  PK_ENOTFOUND when
 * nothing matches. */
int pdu_detect(struct snmp_session *s, struct pdu *pdu, int64_t deadline,
                  struct pk_err *err);

/* Reads every outlet's name (for outlet lists given by name). */
int pdu_read_names(struct snmp_session *s, struct pdu *pdu, int64_t deadline,
                      struct pk_err *err);

/* Reads the state (and, with with_pending, the command-pending column)
 * of the selected outlets; sel may be NULL for all. */
int pdu_read_states(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                       int with_pending, int64_t deadline, struct pk_err *err);

/* Reads the reboot duration of the selected outlets. */
int pdu_read_reboot(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                       int64_t deadline, struct pk_err *err);

/* Everything for `status`: identity, banks, outlets with names, states
 * and (where metered) current and power. */
int pdu_read_status(struct snmp_session *s, struct pdu *pdu, int64_t deadline,
                       struct pk_err *err);

/* The SET varbind for an outlet command.  PK_EUSAGE when the profile
 * has no delayed variant. */
int pdu_command_vb(const struct pdu *pdu, int outlet, enum pdu_action a,
                      int delayed, struct snmp_vb *vb, struct pk_err *err);

/* The SET varbind for an outlet name. */
int pdu_name_vb(const struct pdu *pdu, int outlet, const char *name,
                   struct snmp_vb *vb, struct pk_err *err);

/* 1 with *a set when word names an action ("on", "off", "reboot"),
 * else 0. */
int pdu_action_parse(const char *word, enum pdu_action *a);

/* "on", "off" or "unknown". */
const char *pdu_state_name(int state);

#endif
