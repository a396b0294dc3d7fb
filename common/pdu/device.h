/* device.h — one switched PDU over SNMP: what was read of it (identity,
 * banks, outlets), auto-detection of its profile (profiles.h), and the
 * reads and command varbinds pductl needs.  Nothing here prints. */
#ifndef PDU_H
#define PDU_H

#include "core/err.h"
#include "pdu/profiles.h"
#include "snmp/snmp.h"

struct pdu_outlet {
	int number;          /* as printed on its unit */
	int unit;            /* 1 (the unit at the address) up, in a chain */
	int row;             /* the index of its rows in the unit's tables */
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
	int number;          /* as the unit numbers it */
	double load_a;
	const char *load_state;  /* profile name, or "unknown" */
	int raw_state;
	int unit;            /* 1 up in a chain; 0 is read as 1 */
};

/* A chained unit's identity, as the PDU's own (struct pdu) for a
 * single unit. */
struct pdu_unit_ident {
	char model[PDU_NAME_MAX], name[PDU_NAME_MAX];
	char firmware[PDU_NAME_MAX], serial[PDU_NAME_MAX];
};

struct pdu {
	const struct pdu_profile *prof;
	char sysoid[256];
	char sysdescr[128];      /* read with sysObjectID.0 when detecting */
	char model[PDU_NAME_MAX], name[PDU_NAME_MAX];
	char firmware[PDU_NAME_MAX], serial[PDU_NAME_MAX];
	int noutlets;        /* of every unit: outlets[] is unit by unit */
	int nunits;          /* > 1 for a daisy chain (pdu_read_chain), else 0 or 1 */
	int unit_outlets[PDU_MAX_UNITS];
	struct pdu_unit_ident units[PDU_MAX_UNITS];  /* status of a chain: each unit's */
	int nbanks;          /* of every unit: banks[] is unit by unit */
	int metered;
	/* 1: detection's last request carried the states of the outlets
	 * pdu_read.ahead named (outlets[].state and .pending hold them) */
	int states_ahead;
	struct pdu_bank banks[PDU_MAX_BANKS];
	struct pdu_outlet outlets[PDU_MAX_OUTLETS];
};

/* ---- reads as non-blocking state ---------------------------------------
 * A read of a PDU is a chain of steps, each one GET: a step asks for the
 * GET (pdu_read_get) naming the step that takes its answer, and the last
 * step of a chain returns (pdu_read_return) to the step that called the
 * chain (pdu_read_call), or ends the read.  One chain serves one PDU
 * (pdu_read_run blocks on its session) and many at once (pdu_read_task
 * on one poll loop), so detection and reading exist once. */
struct pdu_read;

/* One step: rc is the status of the GET it waited for (0 when it starts
 * a chain); it asks for the next GET, calls a chain or returns. */
typedef void (*pdu_step_fn)(struct pdu_read *rd, int rc);

#define PDU_READ_DEPTH 8
#define PDU_PROBE_OIDS 64
#define PDU_PROBE_BATCH SNMP_MAX_VB_PER_REQ

/* What detection learnt of one object (pdu_step_detect). */
struct pdu_probe {
	const char *oid;             /* a profile's, or sysObjectID/sysDescr */
	int index;                   /* appended unless -1 (a counted column's row 1) */
	enum { PDU_PROBE_UNASKED = 0, PDU_PROBE_QUEUED, PDU_PROBE_FOUND, PDU_PROBE_ABSENT } state;
	long long value;             /* when FOUND and numeric, else -1 */
	char text[16];               /* when FOUND and a string, its start */
};

struct pdu_read {
	struct snmp_session *s;
	struct pdu *pdu;
	void *ctx;                   /* the caller's (the pdu session) */
	/* the GET in flight and its answers */
	struct snmp_get_op op;
	struct snmp_vb *ask, *all;   /* asked; answered by position (missing marked) */
	size_t *where, nask;         /* ask[k] answers all[where[k]] */
	pdu_step_fn then;            /* takes the GET's result */
	pdu_step_fn ret[PDU_READ_DEPTH];  /* where chains return */
	int depth;
	/* what steps carry from one GET to the next; set by the caller: */
	const unsigned char *sel;    /* outlets to read (NULL: all) */
	int with_pending;            /* states: the command-pending column too */
	/* ...and by the steps: */
	int next;                    /* the GET in flight is a probe (GETNEXT) */
	size_t rows_asked;           /* the next GET's objects are this many rows */
	size_t bulk_probes;          /* ...after this many probes, in one GETBULK */
	struct pdu_probe probes[PDU_PROBE_OIDS];
	size_t nprobes;
	struct pdu_probe *batch[PDU_PROBE_BATCH];   /* the probe in flight */
	size_t nbatch;
	int rows;
	int row_unit[PDU_MAX_BANKS];  /* status: the unit each bank row is asked of */
	int row_index[PDU_MAX_BANKS]; /* ...and its row there */
	int64_t whole;               /* the deadline while a v2c try has half */
	/* set by the caller: detection may try v2c on a v1 session (no
	 * version was given); cleared once tried */
	int v2c_may;
	int v2c_tried;               /* detection went over v2c (probe_rows) */
	const struct pdu_profile *rows_prof;  /* probe_rows's family */
	/* probe_bulk's state columns (bulk_ncols, down to row bulk_rows),
	 * tried once */
	const char *bulk_cols[SNMP_ROWS_COLS];
	size_t bulk_ncols;
	int bulk_rows, bulk_tried;
	int known;                   /* the outlet count while it is read again */
	int rows_found;              /* counted outlet rows so far (outlet_rows) */
	/* status: what each unit's currents are divided by */
	double bank_div[PDU_MAX_UNITS], out_div[PDU_MAX_UNITS];
	/* set by the caller: the outlets whose states the read after
	 * detection asks (NULL: not known), so that detection's last probe
	 * can carry them when it has room (pdu->states_ahead tells) */
	const unsigned char *ahead;
	/* ...and by the steps: the state column the probe in flight carries
	 * (NULL: none), with what it answered for each outlet: 0 nothing,
	 * 1 a number (ahead_raw), 2 another value */
	const char *ahead_col;
	int ahead_unit;              /* ...its first unit's index (the `U`) */
	signed char ahead_got[PDU_MAX_OUTLETS];
	long long ahead_raw[PDU_MAX_OUTLETS];
	/* the outcome */
	int running, rc;
	struct pk_err err;
};

/* 1 when a v2c attempt that returned rc with err got no answer, so that
 * v1 is to be tried; 0 for any other result. */
int pdu_v2c_unanswered(int rc, const struct pk_err *err);

/* A v2c attempt gets half the time left, so that v1 still fits: the
 * session's deadline moves there and *whole keeps the run's. */
void pdu_v2c_narrow(struct snmp_session *s, int64_t *whole);

/* After an attempt over v2c: no answer puts the session on v1 and
 * returns PDU_V2C_FELL_BACK; any other result (0 or a status, which may
 * be PK_EREFUSED, 1: an agent that answered with an error-status) is
 * returned as it is. */
#define PDU_V2C_FELL_BACK (-1)
int pdu_v2c_fallback(struct snmp_session *s, int rc, const struct pk_err *err);

void pdu_read_init(struct pdu_read *rd, struct snmp_session *s, struct pdu *pdu, void *ctx);

/* Frees what the last GET held (also after an abandoned read). */
void pdu_read_free(struct pdu_read *rd);

/* Starts a read with its first step (rd->running until it returns). */
void pdu_read_start(struct pdu_read *rd, pdu_step_fn start);

/* Blocking: starts the read and drives it over its session to the end;
 * returns its status (err filled) and frees what it held. */
int pdu_read_run(struct pdu_read *rd, pdu_step_fn start, struct pk_err *err);

/* The poll-loop task driving rd (core/net.h); rd->running says when it
 * ended, rd->rc and rd->err how. */
struct pk_task pdu_read_task(struct pdu_read *rd);

/* In a step: GETs base[i] (+ "." index[i] when index[i] >= 0) for the
 * n entries, NULL bases not asked; then runs then with rd->all holding
 * the n answers in the same order (missing and unasked ones marked
 * BER_NOSUCHOBJECT). */
void pdu_read_get(struct pdu_read *rd, const char *const *base, const int *index, size_t n,
                  pdu_step_fn then);

/* In a step: runs the chain sub, which returns to ret. */
void pdu_read_call(struct pdu_read *rd, pdu_step_fn sub, pdu_step_fn ret);

/* Ends the chain running now with rc: back to its caller's step. */
void pdu_read_return(struct pdu_read *rd, int rc);

/* The chains: pdu_detect, pdu_read_names, pdu_read_states (rd->sel,
 * rd->with_pending) and pdu_read_status below, as steps. */
void pdu_step_detect(struct pdu_read *rd, int rc);
void pdu_step_names(struct pdu_read *rd, int rc);
void pdu_step_states(struct pdu_read *rd, int rc);
void pdu_step_status(struct pdu_read *rd, int rc);
void pdu_step_reboot(struct pdu_read *rd, int rc);   /* rd->sel's reboot durations */
/* A given profile's outlet count and, in the same GET, the states of the
 * outlets selected in rd->sel (PDU_MAX_OUTLETS of them) that the PDU
 * has. */
void pdu_step_count_states(struct pdu_read *rd, int rc);

/* Detects the profile unless pdu->prof is already set: sysObjectID.0
 * gives the vendor (enterprises.3808 CyberPower, .318 APC), then the
 * first outlet table of that vendor whose size reads > 0 picks the family
 * (ePDUOutletDevNumCntrlOutlets, else ePDU2OutletSwitchedTableSize;
 * rPDU2OutletSwitchedTableSize, else rPDUOutletDevNumCntrlOutlets, else
 * sPDUOutletControlTableSize: profiles.c's order), and
 * every known table is tried when that finds none, since sysObjectID
 * alone is not reliable (a CyberPower UPS card has been seen reporting
 * the ePDU one).  sysObjectID.0 and the first profiles' counts are asked
 * in one request (GETNEXT probes, device.c), the rest only when those do not
 * decide.  Also reads the
 * outlet count unless pdu->noutlets is already known.  PK_ENOTFOUND when
 * nothing matches. */
int pdu_detect(struct snmp_session *s, struct pdu *pdu, struct pk_err *err);

/* The outlet's label: its number, or UNIT:NUMBER in a chain. */
const char *pdu_outlet_label(const struct pdu *pdu, int i, char *buf, size_t len);

/* The bank's label: its number, or UNIT:NUMBER in a chain. */
const char *pdu_bank_label(const struct pdu *pdu, int i, char *buf, size_t len);

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

/* 0 when the PDU's family switches outlets; PK_EAUTH naming the family
 * when it only meters them. */
int pdu_can_switch(const struct pdu *pdu, struct pk_err *err);

/* The SET varbind for an outlet command.  PK_EUSAGE when the profile
 * has no delayed variant. */
int pdu_command_vb(const struct pdu *pdu, int outlet, enum pdu_action a,
                   int delayed, struct snmp_vb *vb, struct pk_err *err);

/* Copies an OCTET STRING value into out (NUL-terminated, at most
 * outlen - 1 bytes), dropping trailing NULs and spaces, NULs and
 * newlines inside made blanks; "" for any other type. */
void pdu_vb_text(const struct snmp_vb *vb, char *out, size_t outlen);

/* The SET varbind for an outlet name. */
int pdu_name_vb(const struct pdu *pdu, int outlet, const char *name,
                struct snmp_vb *vb, struct pk_err *err);


#endif
