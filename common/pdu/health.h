/* health.h — a PDU judged for a monitoring-plugins check (--check): what
 * one PDU's status read means as findings and perfdata of a core/check.h
 * report.  Nothing here prints. */
#ifndef PDU_HEALTH_H
#define PDU_HEALTH_H

#include "core/check.h"
#include "core/err.h"
#include "pdu/device.h"

/* What the check asks for besides the defaults. */
struct pdu_health_opts {
	const char *expect_on, *expect_off;   /* OUTLETS that must be on / off, or NULL */
	const struct pk_thresholds *th;       /* --warning / --critical VAR=RANGE */
};

/* The variables a threshold may name: "bank.current" (A, every bank),
 * "phase.current" (A; the profiles pductl knows read banks, not phases,
 * so a threshold on it is UNKNOWN, saying so), "outlet.current" (A) and
 * "outlet.power" (W) of every outlet, where the PDU meters outlets. */
extern const char *const pdu_health_vars[];

/* 0 when every threshold names a known variable, else PK_EUSAGE naming
 * it and the known ones. */
int pdu_health_check_vars(const struct pk_thresholds *th, struct pk_err *err);

/* Judges one PDU read by pdu_read_status into t: outlets not as
 * expected (CRITICAL; a spec naming an outlet the PDU lacks is UNKNOWN),
 * the bank load state the PDU reports (nearOverload WARNING, overload
 * CRITICAL), thresholds (one on a value the PDU does not report is
 * UNKNOWN, saying so), and perfdata: each bank's current (A), each
 * metered outlet's current (A) and power (W). */
void pdu_health_judge(struct pk_check_target *t, const struct pdu *p,
                      const struct pdu_health_opts *opts);

/* A PDU that could not be read: no answer, timeout or a malformed reply
 * (PK_ECOMM) is `unreachable` (UNKNOWN, or CRITICAL when the user says
 * so); anything else (access refused, no known PDU tables) is UNKNOWN.
 * The text is the error's message. */
void pdu_health_error(struct pk_check_target *t, const struct pk_err *err,
                      enum pk_check_state unreachable);

#endif
