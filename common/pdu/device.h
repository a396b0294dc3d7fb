/* device.h — one switched PDU over SNMP: what was read of it (identity,
 * banks, outlets), auto-detection of its profile (profiles.h), and the
 * reads and command varbinds pductl needs.  Nothing here prints. */
#ifndef PDU_H
#define PDU_H

#include "core/err.h"
#include "pdu/profiles.h"
#include "snmp/snmp.h"

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

/* Detects the profile unless pdu->prof is already set: sysObjectID.0
 * gives the vendor (enterprises.3808 CyberPower, .318 APC), then the
 * first outlet table of that vendor whose size reads > 0 picks the family
 * (ePDUOutletDevNumCntrlOutlets, else ePDU2OutletSwitchedTableSize;
 * rPDU2OutletSwitchedTableSize, else rPDUOutletDevNumCntrlOutlets, else
 * sPDUOutletControlTableSize: profiles.c's order), and
 * every known table is tried when that finds none, since sysObjectID
 * alone is not reliable (a CyberPower UPS card has been seen reporting
 * the ePDU one).  Also reads the
 * outlet count unless pdu->noutlets is already known.  PK_ENOTFOUND when
 * nothing matches. */
int pdu_detect(struct snmp_session *s, struct pdu *pdu, struct pk_err *err);

/* Reads every outlet's name (for outlet lists given by name). */
int pdu_read_names(struct snmp_session *s, struct pdu *pdu, struct pk_err *err);

/* Reads the state (and, with with_pending, the command-pending column)
 * of the selected outlets; sel may be NULL for all. */
int pdu_read_states(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                    int with_pending, struct pk_err *err);

/* Reads the reboot duration of the selected outlets. */
int pdu_read_reboot(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                    struct pk_err *err);

/* Everything for `status`: identity, banks, outlets with names, states
 * and (where metered) current and power. */
int pdu_read_status(struct snmp_session *s, struct pdu *pdu, struct pk_err *err);

/* The SET varbind for an outlet command.  PK_EUSAGE when the profile
 * has no delayed variant. */
int pdu_command_vb(const struct pdu *pdu, int outlet, enum pdu_action a,
                   int delayed, struct snmp_vb *vb, struct pk_err *err);

/* The SET varbind for an outlet name. */
int pdu_name_vb(const struct pdu *pdu, int outlet, const char *name,
                struct snmp_vb *vb, struct pk_err *err);


#endif
