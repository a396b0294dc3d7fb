/* discover.c — see pdu/discover.h. */
#include "pdu/discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "snmp/ber.h"

struct pdu_discover_slot {
	struct pdu_sess ps;     /* first: steps find the slot from their session */
	struct pdu_discover *d;
	struct pdu_read rd;
	size_t i;
	char host[256];
	size_t attempt;         /* the try (try_of) */
	int64_t whole;          /* the probe's deadline */
	int answered;           /* the first GET got an answer */
	struct pdu_found f;
};

int
pdu_discover_init(struct pdu_discover *d, size_t parallel, struct pk_err *err)
{
	d->nslots = parallel;
	d->slots = calloc(parallel ? parallel : 1, sizeof *d->slots);
	return d->slots != NULL ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

static struct pdu_discover_slot *
slot_of(struct pdu_read *rd)
{
	return (struct pdu_discover_slot *)rd->ctx;
}

static void probe_took(struct pdu_read *rd, int rc);

/* What a probe tries, in order: the SNMPv3 user, each community over
 * v2c then v1, the SNMPv3 engine discovery alone. */
enum try_kind { TRY_USER, TRY_COMMUNITY, TRY_ENGINE };

static size_t
tries_of(const struct pdu_discover *d)
{
	return (d->usm != NULL) + d->ncommunities * 2 + (d->usm == NULL && d->v3_engine);
}

/* The kind of try number attempt; *c is the community try's number
 * (community c / 2, v2c before v1). */
static enum try_kind
try_of(const struct pdu_discover *d, size_t attempt, size_t *c)
{
	if (d->usm != NULL && attempt-- == 0)
		return TRY_USER;
	*c = attempt;
	return attempt < d->ncommunities * 2 ? TRY_COMMUNITY : TRY_ENGINE;
}

/* The next try of the first GET, with an equal share of the time left. */
static void
step_probe(struct pdu_read *rd, int rc)
{
	static const char *const sys[3] = {
		"1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.1.5.0"
	};
	static const int index[3] = { -1, -1, -1 };
	struct pdu_discover_slot *p = slot_of(rd);
	struct snmp_session *s = p->ps.s;
	size_t tries = tries_of(p->d), c = 0;
	enum try_kind k = try_of(p->d, p->attempt, &c);

	(void)rc;
	if (k == TRY_COMMUNITY) {
		s->version = c % 2 == 0 ? SNMP_V2C : SNMP_V1;
		snprintf(s->community, sizeof s->community, "%s", p->d->communities[c / 2]);
	} else {
		/* Engine discovery first, as every v3 request on a new session;
		 * with no user the GET after it is refused at once. */
		s->version = SNMP_V3;
		if (k == TRY_USER)
			s->usm = *p->d->usm;
		else
			memset(&s->usm, 0, sizeof s->usm);
	}
	s->stale = 0;
	s->opts.deadline = pk_now_ms() + pk_ms_left(p->whole) / (int64_t)(tries - p->attempt);
	pdu_read_get(rd, sys, index, 3, probe_took);
}

static void
detect_took(struct pdu_read *rd, int rc)
{
	struct pdu_discover_slot *p = slot_of(rd);
	struct pdu *pdu = p->ps.pdu;

	if (rc == 0) {
		p->f.prof = pdu->prof;
		p->f.noutlets = pdu->noutlets;
	} else {
		snprintf(p->f.why, sizeof p->f.why, "%s", rd->err.msg);
	}
	/* Found either way: what it is the caller shows. */
	pdu_read_return(rd, 0);
}

/* The engine ID the session discovered, for the caller to show. */
static void
engine_hex(struct pdu_discover_slot *p)
{
	const struct snmp_usm *u = &p->ps.s->usm;
	size_t i;

	snprintf(p->f.engine_id, sizeof p->f.engine_id, "0x");
	for (i = 0; i < u->engine_id_len; i++)
		snprintf(p->f.engine_id + 2 + 2 * i, 3, "%02x", u->engine_id[i]);
}

/* An SNMPv3 try whose engine discovery was answered but whose GET got no
 * values: the agent is kept with its engine ID, and with the user's
 * refusal (a usmStats report; silence after the discovery, which is how
 * agents answer a wrong privacy key) or as an agent that speaks v3 to
 * a caller without a user.  A refused user leaves the communities
 * still to try (one of them may answer); else the probe ends. */
static void
v3_engine_only(struct pdu_discover_slot *p, enum try_kind k, const struct pk_err *err)
{
	engine_hex(p);
	p->answered = 1;
	p->f.version = SNMP_V3;
	p->f.v3_user = k == TRY_USER;
	if (k == TRY_USER)
		snprintf(p->f.refused, sizeof p->f.refused, "%s", err->msg);
	if (k == TRY_USER && ++p->attempt < tries_of(p->d) && pk_ms_left(p->whole) > 0) {
		step_probe(&p->rd, 0);
		return;
	}
	pdu_read_return(&p->rd, 0);
}

/* The first GET ended: no answer tries the next version or community;
 * an answer (even an SNMP error) is an agent, and detection follows on
 * the version and community that answered. */
static void
probe_took(struct pdu_read *rd, int rc)
{
	struct pdu_discover_slot *p = slot_of(rd);
	struct snmp_session *s = p->ps.s;
	size_t c = 0;
	enum try_kind k = try_of(p->d, p->attempt, &c);

	if (k != TRY_COMMUNITY && s->usm.discovered && rc != 0 && s->answered == 0) {
		v3_engine_only(p, k, &rd->err);
		return;
	}
	if (pdu_v2c_unanswered(rc, &rd->err) && ++p->attempt < tries_of(p->d) &&
	    pk_ms_left(p->whole) > 0) {
		step_probe(rd, 0);
		return;
	}
	if (rc != 0 && (pdu_v2c_unanswered(rc, &rd->err) || s->answered == 0)) {
		pdu_read_return(rd, rc);
		return;
	}
	p->answered = 1;
	p->f.community = k == TRY_COMMUNITY ? p->d->communities[c / 2] : NULL;
	p->f.v3_user = k == TRY_USER;
	p->f.refused[0] = '\0';   /* a community answered after a refused user */
	p->f.version = s->version;
	if (k != TRY_COMMUNITY)
		engine_hex(p);
	if (rc == 0) {
		if (rd->all[0].type == BER_OID)
			ber_oid_format(&rd->all[0].v.oid, p->f.sysoid, sizeof p->f.sysoid);
		pdu_vb_text(&rd->all[1], p->f.sysdescr, sizeof p->f.sysdescr);
		pdu_vb_text(&rd->all[2], p->f.sysname, sizeof p->f.sysname);
	}
	p->ps.version = s->version;
	if (p->f.community != NULL)
		snprintf(p->ps.read_comm, sizeof p->ps.read_comm, "%s", p->f.community);
	s->opts.deadline = p->whole;
	pdu_read_call(rd, pdu_sess_step_detect, detect_took);
}

static void
slot_end(struct pdu_discover_slot *p)
{
	pdu_read_free(&p->rd);
	pdu_sess_free(&p->ps);
}

static enum pk_probe_state
probe_start(void *ctx, size_t i, size_t slot, int64_t deadline)
{
	struct pdu_discover *d = ctx;
	struct pdu_discover_slot *p = &d->slots[slot];
	struct pk_session_opts opts;
	struct pk_err err = { 0 };

	memset(p, 0, sizeof *p);
	p->d = d;
	p->i = i;
	p->whole = deadline;
	d->addr(d->addr_ctx, i, p->host, sizeof p->host);
	pk_session_opts_set(&opts, deadline, d->trace, NULL, NULL);
	if (tries_of(d) == 0 || pdu_sess_init(&p->ps, &opts, &err) != 0) {
		pdu_sess_free(&p->ps);
		return PK_PROBE_UNSENT;
	}
	p->ps.version = SNMP_V2C;
	p->ps.retries = 0;  /* each try has its own share of the time */
	if (pdu_sess_open(&p->ps, p->host, d->port, &err) != 0) {
		enum pk_probe_state st = pk_conn_unsent(&p->ps.s->conn) ? PK_PROBE_UNSENT
		                                                        : PK_PROBE_SILENT;
		slot_end(p);
		return st;
	}
	pdu_sess_read_init(&p->ps, &p->rd);
	pdu_read_start(&p->rd, step_probe);
	return PK_PROBE_RUNNING;
}

static struct pk_task
probe_task(void *ctx, size_t slot)
{
	struct pdu_discover *d = ctx;

	return pdu_read_task(&d->slots[slot].rd);
}

/* Keeps what an agent said. */
static enum pk_probe_state
add_found(struct pdu_discover *d, struct pdu_discover_slot *p)
{
	struct pdu_found *v = pk_array_grow(d->found, &d->capfound, d->nfound, sizeof *v);

	if (v == NULL)
		return PK_PROBE_ANSWERED;
	d->found = v;
	p->f.order = p->i;
	snprintf(p->f.host, sizeof p->f.host, "%s", p->host);
	snprintf(p->f.port, sizeof p->f.port, "%s", d->port);
	d->found[d->nfound++] = p->f;
	return p->f.prof != NULL ? PK_PROBE_FOUND : PK_PROBE_ANSWERED;
}

static enum pk_probe_state
probe_check(void *ctx, size_t slot, int expired)
{
	struct pdu_discover *d = ctx;
	struct pdu_discover_slot *p = &d->slots[slot];
	enum pk_probe_state st = PK_PROBE_SILENT;

	if (p->rd.running && !expired)
		return PK_PROBE_RUNNING;
	if (p->rd.running)  /* the deadline came in the middle of detection */
		snprintf(p->f.why, sizeof p->f.why, "detection timed out");
	if (p->answered)
		st = add_found(d, p);
	slot_end(p);
	return st;
}

struct pk_probe_ops
pdu_discover_ops(struct pdu_discover *d)
{
	struct pk_probe_ops ops = { probe_start, probe_task, probe_check, d };

	return ops;
}

static int
by_order(const void *pa, const void *pb)
{
	const struct pdu_found *a = pa, *b = pb;

	return a->order < b->order ? -1 : a->order > b->order;
}

void
pdu_discover_sort(struct pdu_discover *d)
{
	if (d->nfound > 1)
		qsort(d->found, d->nfound, sizeof *d->found, by_order);
}

void
pdu_discover_free(struct pdu_discover *d)
{
	free(d->found);
	free(d->slots);
	d->found = NULL;
	d->slots = NULL;
	d->nfound = d->capfound = d->nslots = 0;
}
