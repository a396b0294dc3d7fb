/* session.h — one PDU over SNMP: the session with its read and write
 * communities, the SNMP version choice (v2c falling back to v1 when it
 * gets no answer), detection, and SETs with the write community.
 * Re-entrant; nothing here prints.  The SNMP session owns the deadline,
 * the trace (-v) and the warning callback (core/session.h), given to
 * pdu_sess_init; s->opts.deadline bounds the whole run, and switching
 * may extend it. */
#ifndef PDU_SESSION_H
#define PDU_SESSION_H

#include <stdint.h>

#include "core/err.h"
#include "pdu/device.h"
#include "snmp/snmp.h"
#include "core/session.h"

#define PDU_COMMUNITY_MAX 256

/* Receives varbinds the library hands back (results, planned SETs);
 * non-zero stops a walk. */
typedef int (*pdu_vb_fn)(void *ctx, const struct snmp_vb *vb);

struct pdu_sess {
	/* set by the caller before pdu_sess_open */
	int version;          /* SNMP_V1, SNMP_V2C, SNMP_V3, or -1: chosen (see below) */
	const struct pdu_profile *profile;  /* NULL: detected */
	int retries;          /* retransmissions per read */
	int set_retries;      /* per SET: 0 unless the user asked (-r) */
	char read_comm[PDU_COMMUNITY_MAX], write_comm[PDU_COMMUNITY_MAX];
	/* SNMPv3 (version SNMP_V3): the user, its level, protocols, context
	 * and keys from its passwords; one user reads and writes */
	struct snmp_usm usm;
	/* 1: the SNMP version and the outlet count are settled by the first
	 * read (pdu_sess_read) instead of requests of their own, so that
	 * `get` after detection is two round trips and with a profile given
	 * one; the blocking pdu_sess_detect sets it */
	int lazy;
	int v2c_unproven;     /* reading over v2c, v1 again if it gets no answer */
	/* 1: detection may carry the states of the outlets in ahead, which
	 * the read after it asks (pdu_get_ahead; pdu->states_ahead tells) */
	int has_ahead;
	unsigned char ahead[PDU_MAX_OUTLETS];
	/* owned, from pdu_sess_init */
	struct snmp_session *s;
	struct pdu *pdu;
};

/* Allocates the SNMP session, set up with opts (snmp_init), and the PDU
 * data (zeroed).  Returns 0, or PK_ECOMM "memory". */
int pdu_sess_init(struct pdu_sess *ps, const struct pk_session_opts *opts, struct pk_err *err);

/* Closes the socket, frees what init allocated and wipes the
 * communities.  Safe on a session init never ran on (zeroed). */
void pdu_sess_free(struct pdu_sess *ps);

/* Resolves host and makes the socket; the session reads with the read
 * community over the given version (v1 when it is to be chosen). */
int pdu_sess_open(struct pdu_sess *ps, const char *host, const char *port,
                  struct pk_err *err);

/* Detects the PDU (or takes the given profile) and settles the version
 * when none was given: v1 first (CyberPower answers only v1 by default;
 * APC rides v2c on its v1 settings); for a profile that prefers v2c the
 * next read goes over v2c, and v1 stays when that gets no answer (the
 * lazy settlement: pdu_sess_read, and pdu_sess_set before a SET).  A
 * given profile is taken without a request: its version and the outlet
 * count are settled by the first read.  Returns 0, or the status of
 * pdu_detect.  The chain (pdu_sess_step_detect, for many PDUs at once)
 * settles both at once instead, with the outlet count read again over
 * v2c, unless ps->lazy. */
int pdu_sess_detect(struct pdu_sess *ps, struct pk_err *err);

/* Runs the read chain start (pdu/device.h: pdu_step_names,
 * pdu_step_states with sel and with_pending, pdu_step_reboot with sel,
 * pdu_step_status) on the session, blocking, after reading the outlet
 * count when a given profile left it unknown.  While v2c is unproven the
 * read gets half the time left over v2c and runs again over v1 when
 * that got no answer.  Statuses of the read. */
int pdu_sess_read(struct pdu_sess *ps, pdu_step_fn start, const unsigned char *sel,
                  int with_pending, struct pk_err *err);

/* A read on this session (pdu/device.h) whose steps may use the
 * session's own (pdu_sess_step_detect). */
void pdu_sess_read_init(struct pdu_sess *ps, struct pdu_read *rd);

/* pdu_sess_detect as a chain of steps, for a read from
 * pdu_sess_read_init. */
void pdu_sess_step_detect(struct pdu_read *rd, int rc);

/* For raw OID access without a given version: v2c (unless the given
 * profile prefers v1) with a probe GET of sysObjectID.0 in half the time
 * left, then v1 on no answer, so that no SET is ever sent twice. */
int pdu_sess_choose_raw(struct pdu_sess *ps, struct pk_err *err);

/* Raw reads that try v2c themselves (a GET, a walk): 1 when the version
 * is not known (pdu_sess_choose_raw's case), the session then on v2c
 * for a first request that may wait half the time it would; 0 when the
 * session's version is the one to use. */
int pdu_sess_raw_try_v2c(struct pdu_sess *ps);

/* After that first request: 1 when it went unanswered (rc, err) and the
 * session is now on v1, to be asked again; 0 to keep rc. */
int pdu_sess_raw_v2c_unanswered(struct pdu_sess *ps, int rc, const struct pk_err *err);

/* A GET of vbs (SNMP_LENIENT) on a session whose version may not be
 * given: then the GET itself goes over v2c (unless the given profile
 * prefers v1) in half the time left, and when that gets no answer, once
 * more, as asked, over v1; a read may be asked twice, so it needs no
 * probe of its own.  Statuses of snmp_get. */
int pdu_sess_get_raw(struct pdu_sess *ps, struct snmp_vb *vbs, size_t n, struct pk_err *err);

/* One SET of vb with the write community and set_retries; the session
 * then reads with the read community again.  Statuses of snmp_set,
 * except that an SNMP v1 noSuchName on an object that a GET with the
 * read community answers is PK_EAUTH (a write community without write
 * access, or a read-only object: v1 has no other way to say so). */
int pdu_sess_set(struct pdu_sess *ps, const struct snmp_vb *vb, struct pk_err *err);

#endif
