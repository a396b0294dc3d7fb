/* session.c — see pdu/session.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/buf.h"
#include "core/session.h"
#include "pdu/session.h"

static const char sys_object_id[] = "1.3.6.1.2.1.1.2.0";

int
pdu_sess_init(struct pdu_sess *ps, const struct pk_session_opts *opts, struct pk_err *err)
{
	ps->s = calloc(1, sizeof *ps->s);
	ps->pdu = calloc(1, sizeof *ps->pdu);
	if (ps->s == NULL || ps->pdu == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	snmp_init(ps->s, opts);
	return 0;
}

void
pdu_sess_free(struct pdu_sess *ps)
{
	if (ps->s != NULL)
		snmp_close(ps->s);
	pk_secret_wipe(ps->read_comm, sizeof ps->read_comm);
	pk_secret_wipe(ps->write_comm, sizeof ps->write_comm);
	snmp_usm_wipe(&ps->usm);
	if (ps->s != NULL)
		snmp_usm_wipe(&ps->s->usm);
	free(ps->s);
	free(ps->pdu);
	ps->s = NULL;
	ps->pdu = NULL;
}

static void
use_community(struct pdu_sess *ps, const char *c)
{
	snprintf(ps->s->community, sizeof ps->s->community, "%s", c);
}

int
pdu_sess_open(struct pdu_sess *ps, const char *host, const char *port,
              struct pk_err *err)
{
	int rc = snmp_open(ps->s, host, port, err);

	if (rc != 0)
		return rc;
	ps->s->retries = ps->retries;
	ps->s->version = ps->version >= 0 ? ps->version : SNMP_V1;
	use_community(ps, ps->read_comm);
	if (ps->version == SNMP_V3)
		ps->s->usm = ps->usm;  /* the engine ID is discovered by the first request */
	return 0;
}

/* The first read got no answer at all: the snmp layer's message says a
 * wrong community looks like that; name which one and where it is set. */
static int
read_unanswered(struct pdu_sess *ps, int rc, struct pk_err *err)
{
	if (rc != PK_ECOMM || strcmp(err->kind, "timeout") != 0 || ps->s->answered > 0 ||
	    ps->s->stale > 0 || ps->s->version == SNMP_V3)
		return rc;
	return pk_err_set(err, PK_ECOMM, "timeout",
	                  "no SNMP reply (SNMP v%s); a wrong community looks exactly like this, "
	                  "since agents drop such requests silently: check the read community "
	                  "(-c or PDU_COMMUNITY, default public), the address and the port",
	                  ps->s->version == SNMP_V1 ? "1" : "2c");
}

/* Detection as pdu_sess_detect describes, in steps (pdu/device.h). */

static void
detected(struct pdu_read *rd, int rc)
{
	pdu_read_return(rd, read_unanswered(rd->ctx, rc, &rd->err));
}

/* pdu_detect over v2c in half the time left, then ret; v2c_ended puts
 * the deadline back. */
static void
detect_v2c(struct pdu_read *rd, pdu_step_fn ret)
{
	struct pdu_sess *ps = rd->ctx;

	ps->s->version = SNMP_V2C;
	pdu_v2c_narrow(ps->s, &rd->whole);
	pdu_read_call(rd, pdu_step_detect, ret);
}

/* After detect_v2c: 0, PDU_V2C_FELL_BACK after a fallback to v1, or a
 * status. */
static int
v2c_ended(struct pdu_read *rd, int rc)
{
	struct pdu_sess *ps = rd->ctx;

	ps->s->opts.deadline = rd->whole;
	return pdu_v2c_fallback(ps->s, rc, &rd->err);
}

/* A given v2c profile: v1 again when v2c got no answer. */
static void
given_v2c_tried(struct pdu_read *rd, int rc)
{
	rc = v2c_ended(rd, rc);
	if (rc == PDU_V2C_FELL_BACK)
		pdu_read_call(rd, pdu_step_detect, detected);
	else
		detected(rd, rc);
}

/* The outlet count read again over v2c: v1 stays when that gets no
 * answer. */
static void
v2c_checked(struct pdu_read *rd, int rc)
{
	if (rc != 0)
		rd->pdu->noutlets = rd->known;
	rc = v2c_ended(rd, rc);
	detected(rd, rc == PDU_V2C_FELL_BACK ? 0 : rc);
}

/* Detected over v1: a profile that prefers v2c is checked over v2c, at
 * once or (lazy) by the next read. */
static void
v1_detected(struct pdu_read *rd, int rc)
{
	struct pdu_sess *ps = rd->ctx;

	if (rc != 0 || ps->profile != NULL || ps->pdu->prof->default_version != SNMP_V2C ||
	    rd->v2c_tried) {   /* detection settled v2c itself (probe_rows) */
		detected(rd, rc);
		return;
	}
	if (ps->lazy) {
		ps->s->version = SNMP_V2C;
		ps->v2c_unproven = 1;
		detected(rd, 0);
		return;
	}
	rd->known = ps->pdu->noutlets;
	ps->pdu->noutlets = 0;  /* read again: that is the v2c check */
	detect_v2c(rd, v2c_checked);
}

void
pdu_sess_step_detect(struct pdu_read *rd, int rc)
{
	struct pdu_sess *ps = rd->ctx;
	const struct pdu_profile *given = ps->profile;

	(void)rc;
	rd->ahead = ps->has_ahead ? ps->ahead : NULL;
	rd->v2c_may = ps->version < 0;
	if (given != NULL)
		ps->pdu->prof = given;
	if (given != NULL && ps->lazy) {   /* nothing to ask: the first read settles */
		if (ps->version < 0 && given->default_version == SNMP_V2C) {
			ps->s->version = SNMP_V2C;
			ps->v2c_unproven = 1;
		}
		pdu_read_return(rd, 0);
	} else if (ps->version >= 0)
		pdu_read_call(rd, pdu_step_detect, detected);
	else if (given != NULL && given->default_version == SNMP_V2C)
		detect_v2c(rd, given_v2c_tried);
	else
		pdu_read_call(rd, pdu_step_detect, v1_detected);
}

void
pdu_sess_read_init(struct pdu_sess *ps, struct pdu_read *rd)
{
	pdu_read_init(rd, ps->s, ps->pdu, ps);
}

int
pdu_sess_detect(struct pdu_sess *ps, struct pk_err *err)
{
	struct pdu_read rd;

	ps->lazy = 1;
	pdu_sess_read_init(ps, &rd);
	return pdu_read_run(&rd, pdu_sess_step_detect, err);
}

/* One run of the read chain start. */
static int
read_once(struct pdu_sess *ps, pdu_step_fn start, const unsigned char *sel,
          int with_pending, struct pk_err *err)
{
	struct pdu_read rd;

	pdu_sess_read_init(ps, &rd);
	rd.sel = sel;
	rd.with_pending = with_pending;
	return pdu_read_run(&rd, start, err);
}

/* The read, over v2c in half the time left while v2c is unproven, then
 * over v1 when that got no answer. */
static int
read_settling(struct pdu_sess *ps, pdu_step_fn start, const unsigned char *sel,
              int with_pending, struct pk_err *err)
{
	int64_t whole;
	int rc;

	if (!ps->v2c_unproven)
		return read_unanswered(ps, read_once(ps, start, sel, with_pending, err), err);
	ps->v2c_unproven = 0;
	pdu_v2c_narrow(ps->s, &whole);
	rc = read_once(ps, start, sel, with_pending, err);
	ps->s->opts.deadline = whole;
	if (pdu_v2c_fallback(ps->s, rc, err) == PDU_V2C_FELL_BACK)
		rc = read_once(ps, start, sel, with_pending, err);
	return read_unanswered(ps, rc, err);
}

int
pdu_sess_read(struct pdu_sess *ps, pdu_step_fn start, const unsigned char *sel,
              int with_pending, struct pk_err *err)
{
	int rc = 0;

	/* a given profile: its count first, unless the read asks it */
	if (ps->pdu->noutlets == 0 && start != pdu_step_count_states)
		rc = read_settling(ps, pdu_step_detect, NULL, 0, err);
	return rc != 0 ? rc : read_settling(ps, start, sel, with_pending, err);
}

/* A GET of vbs (SNMP_LENIENT) over v2c in half the time left. */
static int
get_over_v2c(struct pdu_sess *ps, struct snmp_vb *vbs, size_t n, struct pk_err *err)
{
	int64_t whole;
	int rc;

	ps->s->version = SNMP_V2C;
	pdu_v2c_narrow(ps->s, &whole);
	rc = snmp_get(ps->s, vbs, n, SNMP_LENIENT, err);
	ps->s->opts.deadline = whole;
	return rc;
}

/* 1 when raw OID access has its version without trying v2c: given, or
 * the given profile's is v1. */
static int
raw_version_known(const struct pdu_sess *ps)
{
	return ps->version >= 0 ||
	       (ps->profile != NULL && ps->profile->default_version == SNMP_V1);
}

/* A GET of oid over v2c in half the time left; on no answer the session
 * goes on over v1 (0).  Other failures are returned as they are. */
static int
v2c_probe(struct pdu_sess *ps, const char *oid, struct pk_err *err)
{
	struct snmp_vb *vb = calloc(1, sizeof *vb);
	int rc;

	if (vb == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	ber_oid_parse(oid, &vb->oid);
	rc = get_over_v2c(ps, vb, 1, err);
	free(vb);
	rc = pdu_v2c_fallback(ps->s, rc, err);
	return rc == PDU_V2C_FELL_BACK ? 0 : rc;
}

int
pdu_sess_get_raw(struct pdu_sess *ps, struct snmp_vb *vbs, size_t n, struct pk_err *err)
{
	struct snmp_vb *asked;
	int rc;

	if (!pdu_sess_raw_try_v2c(ps))
		return snmp_get(ps->s, vbs, n, SNMP_LENIENT, err);
	asked = malloc(n * sizeof *asked);
	if (asked == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	memcpy(asked, vbs, n * sizeof *asked);
	rc = get_over_v2c(ps, vbs, n, err);
	if (pdu_sess_raw_v2c_unanswered(ps, rc, err)) {
		memcpy(vbs, asked, n * sizeof *asked);   /* as asked, whatever v2c left */
		rc = snmp_get(ps->s, vbs, n, SNMP_LENIENT, err);
	}
	free(asked);
	return rc;
}

int
pdu_sess_raw_try_v2c(struct pdu_sess *ps)
{
	if (raw_version_known(ps))
		return 0;
	ps->s->version = SNMP_V2C;
	return 1;
}

int
pdu_sess_raw_v2c_unanswered(struct pdu_sess *ps, int rc, const struct pk_err *err)
{
	return pdu_v2c_fallback(ps->s, rc, err) == PDU_V2C_FELL_BACK;
}

int
pdu_sess_choose_raw(struct pdu_sess *ps, struct pk_err *err)
{
	return raw_version_known(ps) ? 0 : v2c_probe(ps, sys_object_id, err);
}

/* 1 when vb's object answers a GET with the read community. */
static int
object_readable(struct pdu_sess *ps, const struct snmp_vb *vb)
{
	struct snmp_vb *probe = calloc(1, sizeof *probe);
	struct pk_err get_err;
	int rc;

	if (probe == NULL)
		return 0;
	probe->oid = vb->oid;
	probe->type = BER_NULL;
	rc = snmp_get(ps->s, probe, 1, 0, &get_err);
	free(probe);
	return rc == 0;
}

/* SNMP v1 has no noAccess or notWritable: agents (net-snmp among them)
 * answer a SET with a read-only community, or on a read-only object,
 * with noSuchName.  When the object reads fine that is a permission
 * problem (PK_EAUTH), not a missing object; otherwise err stays. */
static int
v1_set_refused(struct pdu_sess *ps, const struct snmp_vb *vb, int rc, struct pk_err *err)
{
	char oid[BER_OID_MAX * 11 + 1];

	if (rc != PK_ENOTFOUND || ps->s->version != SNMP_V1 ||
	    strcmp(err->kind, "noSuchName") != 0 || !object_readable(ps, vb))
		return rc;
	ber_oid_format(&vb->oid, oid, sizeof oid);
	pk_trace(&ps->s->opts.trace, '*', "%s reads fine: the noSuchName is a refused write", oid);
	return pk_err_set(err, PK_EAUTH, "noSuchName",
	                  "SET refused: noSuchName (2) at %s, which reads fine; over SNMP v1 "
	                  "that means the write community has no write access (check -C or "
	                  "PDU_WRITE_COMMUNITY, default private) or the object is read-only",
	                  oid);
}

/* Agents drop a request with a wrong community silently: a SET that gets
 * no reply from an agent that has answered the reads points at the
 * write community, which the generic timeout message cannot name. */
static int
set_unanswered(struct pdu_sess *ps, int rc, struct pk_err *err)
{
	if (rc != PK_ECOMM || strcmp(err->kind, "timeout") != 0 || ps->s->answered == 0 ||
	    ps->s->stale > 0 || ps->s->version == SNMP_V3)
		return rc;
	return pk_err_set(err, PK_ECOMM, "timeout",
	                  "no reply to the SET although the agent answers reads; a wrong "
	                  "write community (-C or PDU_WRITE_COMMUNITY, default private) looks "
	                  "exactly like this, since agents drop such requests silently");
}

/* A state change is sent at most once per run unless the user asked for
 * retries with -r: a retransmitted SET could switch an outlet twice. */
int
pdu_sess_set(struct pdu_sess *ps, const struct snmp_vb *vb, struct pk_err *err)
{
	int rc = 0;

	/* Never a SET over a version the agent has not answered: one SET
	 * only is sent, and an unanswered one cannot be told from a refused
	 * write community. */
	if (ps->v2c_unproven) {
		ps->v2c_unproven = 0;
		rc = read_unanswered(ps, v2c_probe(ps, sys_object_id, err), err);
	}
	if (rc != 0)
		return rc;
	if (ps->s->version != SNMP_V3)
		pk_trace(&ps->s->opts.trace, '*', "SET with the write community (-C; reads use -c)");
	use_community(ps, ps->write_comm);
	ps->s->retries = ps->set_retries;
	rc = snmp_set(ps->s, vb, 1, err);
	ps->s->retries = ps->retries;
	use_community(ps, ps->read_comm);
	rc = set_unanswered(ps, rc, err);
	return v1_set_refused(ps, vb, rc, err);
}
