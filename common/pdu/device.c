#include "pdu/device.h"
#include "core/clock.h"
#include "core/outlets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- varbind helpers ----------------------------------------------- */

static struct snmp_vb *
vbs_alloc(size_t n, struct pk_err *err)
{
	struct snmp_vb *v = calloc(n ? n : 1, sizeof *v);

	if (v == NULL)
		pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return v;
}

/* Sets vb to ask for base (a profile constant, always valid) with the
 * unit's index where it has a `U` and index put in place of its `N`, or
 * appended when it has none (profiles.h). */
static void
vb_ask_unit(struct snmp_vb *vb, const char *base, int unit, int index)
{
	char text[160];
	size_t used = 0;
	int placed = 0;

	for (const char *c = base; *c != '\0' && used < sizeof text - 12; c++) {
		if (*c == 'U' || (*c == 'N' && index >= 0)) {
			used += (size_t)snprintf(text + used, sizeof text - used, "%d",
			                         *c == 'U' ? unit : index);
			placed |= *c == 'N';
		} else {
			text[used++] = *c;
		}
	}
	text[used] = '\0';
	ber_oid_parse(text, &vb->oid);
	if (!placed && index >= 0)
		ber_oid_append(&vb->oid, (uint32_t)index);
	vb->type = BER_NULL;
}

/* The index a profile gives the chain's unit (1 up) in its OIDs. */
static int
unit_index(const struct pdu *pdu, int unit)
{
	return (pdu->prof != NULL ? pdu->prof->unit_first : 0) + (unit > 0 ? unit : 1) - 1;
}

/* vb_ask_unit for the rows of outlet o (1-based, of every unit). */
static void
vb_ask_outlet(const struct pdu *pdu, struct snmp_vb *vb, const char *base, int o)
{
	const struct pdu_outlet *out = &pdu->outlets[o - 1];

	vb_ask_unit(vb, base, unit_index(pdu, out->unit), out->row > 0 ? out->row : o);
}

const char *
pdu_outlet_label(const struct pdu *pdu, int i, char *buf, size_t len)
{
	const struct pdu_outlet *o = &pdu->outlets[i];

	if (pdu->nunits > 1)
		snprintf(buf, len, "%d:%d", o->unit, o->number);
	else
		snprintf(buf, len, "%d", o->number);
	return buf;
}

const char *
pdu_bank_label(const struct pdu *pdu, int i, char *buf, size_t len)
{
	const struct pdu_bank *b = &pdu->banks[i];

	if (pdu->nunits > 1)
		snprintf(buf, len, "%d:%d", b->unit > 0 ? b->unit : 1, b->number);
	else
		snprintf(buf, len, "%d", b->number);
	return buf;
}

/* The value as a number; 0 when vb holds one. */
static int
vb_num(const struct snmp_vb *vb, long long *out)
{
	if (vb->type == BER_INTEGER)
		*out = vb->i;
	else if (vb->type == BER_GAUGE32 || vb->type == BER_COUNTER32 ||
	         vb->type == BER_TIMETICKS || vb->type == BER_COUNTER64)
		*out = (long long)vb->u;
	else
		return -1;
	return 0;
}

void
pdu_vb_text(const struct snmp_vb *vb, char *out, size_t outlen)
{
	size_t n = vb->type == BER_OCTETS ? vb->slen : 0;

	if (outlen == 0)
		return;
	while (n > 0 && (vb->v.s[n - 1] == 0 || vb->v.s[n - 1] == ' '))
		n--;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, vb->v.s, n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] == 0 || out[i] == '\n')
			out[i] = ' ';
}

/* ---- reads as steps ---------------------------------------------------
 * Every read of a PDU is a chain of steps (pdu_step_fn): a step asks for
 * a GET with pdu_read_get, naming the step that takes its answer, and
 * so on until one returns (pdu_read_return) to the step that called it.
 * The same chain runs for one PDU (pdu_read_run, blocking) and for many
 * at once (pdu_read_task on one poll loop). */

int
pdu_v2c_unanswered(int rc, const struct pk_err *err)
{
	return rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0;
}

void
pdu_v2c_narrow(struct snmp_session *s, int64_t *whole)
{
	*whole = s->opts.deadline;
	s->opts.deadline = pk_now_ms() + pk_ms_left(*whole) / 2;
}

int
pdu_v2c_fallback(struct snmp_session *s, int rc, const struct pk_err *err)
{
	if (!pdu_v2c_unanswered(rc, err))
		return rc;
	pk_trace(&s->opts.trace, '*', "no answer over v2c; using v1");
	s->version = SNMP_V1;
	s->stale = 0;
	return PDU_V2C_FELL_BACK;
}

void
pdu_read_init(struct pdu_read *rd, struct snmp_session *s, struct pdu *pdu, void *ctx)
{
	*rd = (struct pdu_read){ .s = s, .pdu = pdu, .ctx = ctx };
}

void
pdu_read_free(struct pdu_read *rd)
{
	if (rd->op.state != SNMP_GET_IDLE)
		snmp_get_result(&rd->op, NULL);
	free(rd->ask);
	free(rd->all);
	free(rd->where);
	rd->ask = rd->all = NULL;
	rd->where = NULL;
}

void
pdu_read_call(struct pdu_read *rd, pdu_step_fn sub, pdu_step_fn ret)
{
	if (rd->depth >= PDU_READ_DEPTH) {
		pdu_read_return(rd, pk_err_set(&rd->err, PK_ECOMM, "internal",
		                               "reads nested too deep"));
		return;
	}
	rd->ret[rd->depth++] = ret;
	sub(rd, 0);
}

void
pdu_read_return(struct pdu_read *rd, int rc)
{
	if (rd->depth == 0) {
		rd->running = 0;
		rd->rc = rc;
		return;
	}
	rd->ret[--rd->depth](rd, rc);
}

void
pdu_read_start(struct pdu_read *rd, pdu_step_fn start)
{
	rd->running = 1;
	rd->depth = 0;
	rd->rc = 0;
	start(rd, 0);
}

/* The GET ended: its answers into rd->all by position, then its step.
 * After a GETNEXT an answer counts only when it names the object
 * expected (kept in rd->all's OIDs): anything else means it is absent. */
static void
get_ended(struct pdu_read *rd)
{
	int rc = snmp_get_result(&rd->op, &rd->err);
	pdu_step_fn then = rd->then;

	for (size_t k = 0; rc == 0 && k < rd->nask; k++)
		if (!rd->next || ber_oid_cmp(&rd->ask[k].oid, &rd->all[rd->where[k]].oid) == 0)
			rd->all[rd->where[k]] = rd->ask[k];
	rd->then = NULL;
	then(rd, rc);
}

/* Makes oid one that a GETNEXT answers with oid itself when it exists:
 * its last arc one less (row 7 of a column is what follows row 6, an
 * index being a fixed number of arcs), or, when that arc is 0 (a
 * scalar's .0, Eaton's unit 0), its parent. */
static void
oid_before(struct ber_oid *oid)
{
	if (oid->n > 1 && oid->arc[oid->n - 1] > 0)
		oid->arc[oid->n - 1]--;
	else if (oid->n > 1)
		oid->n--;
}

/* pdu_read_get, or with next the probe form: GETNEXT of what precedes
 * each object (oid_before), so that rd->all[k] is the object when it
 * exists, else missing (snmp_vb_missing), and over SNMP v1 an absent
 * object does not fail the request (indexes must have a fixed number of
 * arcs).  unit (NULL: the first) gives each object's unit in a chain.
 * When the caller set rd->rows_asked, the objects asked are that many
 * rows of the same columns, which v2c reads down the columns with
 * GETBULK when they are a table's slice (snmp_get_rows_begin); when it
 * set rd->bulk_probes too, that many probes come before the rows (which
 * are then asked as themselves), all in one GETBULK
 * (snmp_get_bulk_begin). */
static void
read_request(struct pdu_read *rd, const char *const *base, const int *unit, const int *index,
             size_t n, int next, pdu_step_fn then)
{
	size_t k, nrows = rd->rows_asked, nprobes = rd->bulk_probes, asked = 0;
	int rc;

	rd->rows_asked = rd->bulk_probes = 0;   /* this request's alone, whatever ends it */
	free(rd->ask);
	free(rd->all);
	free(rd->where);
	for (k = 0; k < n; k++)
		asked += base[k] != NULL;
	/* as many asked as there are objects (a few outlets of a PDU whose
	 * outlet count is not known yet are a few of PDU_MAX_OUTLETS rows) */
	rd->ask = vbs_alloc(asked, &rd->err);
	rd->all = vbs_alloc(n, &rd->err);
	rd->where = calloc(asked ? asked : 1, sizeof *rd->where);
	rd->nask = 0;
	rd->next = next;
	rd->then = then;
	if (rd->ask == NULL || rd->all == NULL || rd->where == NULL) {
		then(rd, pk_err_set(&rd->err, PK_ECOMM, "memory", "out of memory"));
		return;
	}
	/* rd->all is zeroed and a zeroed varbind is missing: the objects not
	 * asked are left untouched.  Writing to each (1.6 KiB) cost a read of
	 * a few outlets a page fault for every 2.5 of the PDU_MAX_OUTLETS
	 * rows it lays out: 75 for `get 1-8` before the outlet count is known. */
	for (k = 0; k < n; k++) {
		if (base[k] == NULL)
			continue;
		vb_ask_unit(&rd->ask[rd->nask], base[k], unit_index(rd->pdu, unit ? unit[k] : 1),
		            index[k]);
		if (next) {  /* ask what follows the object before it: the object when it exists */
			rd->all[k].oid = rd->ask[rd->nask].oid;
			if (nprobes == 0 || k < nprobes)
				oid_before(&rd->ask[rd->nask].oid);
		}
		rd->where[rd->nask++] = k;
	}
	if (rd->nask == 0) {  /* every column absent in this profile: nothing to ask */
		rd->then = NULL;
		then(rd, 0);
		return;
	}
	if (nprobes > 0 && nrows > 0)
		rc = snmp_get_bulk_begin(rd->s, &rd->op, rd->ask, nprobes, nrows,
		                         (rd->nask - nprobes) / nrows, SNMP_LENIENT);
	else if (nrows > 0 && !next && rd->nask % nrows == 0)
		rc = snmp_get_rows_begin(rd->s, &rd->op, rd->ask, nrows, rd->nask / nrows,
		                         SNMP_LENIENT);
	else
		rc = snmp_get_begin(rd->s, &rd->op, rd->ask, rd->nask,
		                    SNMP_LENIENT | (next ? SNMP_NEXT : 0));
	if (rc != 0 || rd->op.state == SNMP_GET_DONE)
		get_ended(rd);
}

void
pdu_read_get(struct pdu_read *rd, const char *const *base, const int *index, size_t n,
             pdu_step_fn then)
{
	read_request(rd, base, NULL, index, n, 0, then);
}

static short
read_task_want(void *ctx, int *fd, int64_t *wake)
{
	struct pdu_read *rd = ctx;

	return snmp_get_events(&rd->op, fd, wake);
}

static int
read_task_handle(void *ctx, short revents)
{
	struct pdu_read *rd = ctx;

	if (rd->op.state != SNMP_GET_WAITING)
		return 0;
	snmp_get_handle(&rd->op, revents);
	if (rd->op.state == SNMP_GET_DONE)
		get_ended(rd);
	return 0;
}

struct pk_task
pdu_read_task(struct pdu_read *rd)
{
	struct pk_task t = { read_task_want, read_task_handle, rd };

	return t;
}

int
pdu_read_run(struct pdu_read *rd, pdu_step_fn start, struct pk_err *err)
{
	struct pk_task t = pdu_read_task(rd);

	pdu_read_start(rd, start);
	/* Each request ends itself at its deadline: no timeout of its own here. */
	while (rd->running)
		pk_poll_tasks(&t, 1, rd->s->req.deadline);
	if (rd->rc != 0)
		*err = rd->err;
	pdu_read_free(rd);
	return rd->rc;
}

/* What read_request asks, an entry for each object: its base, index and
 * unit. */
struct read_asks {
	const char **base;
	int *index, *unit;
};

static void
asks_free(struct read_asks *a)
{
	free(a->base);
	free(a->index);
	free(a->unit);
}

/* Room for n entries, zeroed; -1 (err set, nothing held) when out of
 * memory. */
static int
asks_alloc(struct read_asks *a, size_t n, struct pk_err *err)
{
	a->base = calloc(n + 1, sizeof *a->base);
	a->index = calloc(n + 1, sizeof *a->index);
	a->unit = calloc(n + 1, sizeof *a->unit);
	if (a->base != NULL && a->index != NULL && a->unit != NULL)
		return 0;
	asks_free(a);
	pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return -1;
}

/* GETs (with next, probes: read_request), for each of the first count
 * outlets that is selected (rd->sel NULL: all), each of the ncols
 * columns (NULL columns are skipped), and then the objects
 * extra[0..nextra) (NULL ones skipped); rd->all then
 * holds count * ncols varbinds, outlet-major, and extra's answers after
 * them.  Outlets beyond the known ones are asked as the first unit's. */
static void
get_outlets_and(struct pdu_read *rd, int count, const char *const *cols, int ncols,
                const char *const *extra, int nextra, int next, pdu_step_fn then)
{
	const struct pdu *pdu = rd->pdu;
	size_t total = (size_t)count * (size_t)ncols, k;
	struct read_asks a;

	if (asks_alloc(&a, total + (size_t)nextra, &rd->err) != 0) {
		then(rd, PK_ECOMM);
		return;
	}
	for (int o = 0; o < count; o++) {
		int known = o < pdu->noutlets && pdu->outlets[o].row > 0;
		for (int c = 0; c < ncols; c++) {
			k = (size_t)o * (size_t)ncols + (size_t)c;
			a.base[k] = (rd->sel == NULL || rd->sel[o]) ? cols[c] : NULL;
			a.index[k] = known ? pdu->outlets[o].row : o + 1;
			a.unit[k] = known ? pdu->outlets[o].unit : 1;
		}
	}
	for (int e = 0; e < nextra; e++) {
		a.base[total + (size_t)e] = extra[e];
		a.index[total + (size_t)e] = -1;
		a.unit[total + (size_t)e] = 1;
	}
	if (nextra == 0 && !next)
		rd->rows_asked = rd->sel == NULL ? (size_t)count :
		                 (size_t)pk_outlets_count(rd->sel, count);
	read_request(rd, a.base, a.unit, a.index, total + (size_t)nextra, next, then);
	asks_free(&a);
}

/* The selected outlets' columns (get_outlets_and, every outlet of the
 * PDU, nothing else). */
static void
get_outlet_cols(struct pdu_read *rd, const char *const *cols, int ncols, pdu_step_fn then)
{
	get_outlets_and(rd, rd->pdu->noutlets, cols, ncols, NULL, 0, 0, then);
}

/* 1 on, 0 off, -1 any other value of the state column. */
static int
state_of(const struct pdu_profile *p, long long v)
{
	return v == p->state_on ? 1 : v == p->state_off ? 0 : -1;
}

static int
decode_state(const struct pdu_profile *p, const struct snmp_vb *vb, int *raw)
{
	long long v;

	if (vb_num(vb, &v) != 0) {
		*raw = -1;
		return -1;
	}
	*raw = (int)v;
	return state_of(p, v);
}

/* Whether a command is pending: the pending column's answer (1 = yes),
 * else whether the state read is one of the profile's transitional
 * states; -1 when neither tells. */
static int
pending_of(const struct pdu_profile *p, const struct snmp_vb *column, int raw_state)
{
	long long v;

	if (vb_num(column, &v) == 0)
		return v == 1;
	if (p->state_pending[0] == 0)
		return -1;
	for (size_t i = 0; i < sizeof p->state_pending / sizeof p->state_pending[0]; i++)
		if (p->state_pending[i] != 0 && raw_state == p->state_pending[i])
			return 1;
	return 0;
}

/* ---- detection ------------------------------------------------------ */

static int
oid_text_has_prefix(const char *oid, const char *prefix)
{
	size_t n = strlen(prefix);

	if (*oid == '.')
		oid++;
	return strncmp(oid, prefix, n) == 0 && (oid[n] == '.' || oid[n] == '\0');
}

static void detect_known(struct pdu_read *rd, int rc);

/* Detection asks in probes: GETNEXTs of up to PDU_PROBE_BATCH objects
 * (what a PDU takes in one request), each answering whether one object
 * exists and what it holds.  The first batch holds sysObjectID.0 and the
 * outlet counts (with the objects they require) of the first profiles,
 * so that on the common families detection is one round trip, and the
 * read that follows the second.  GETNEXT rather than GET: over SNMP v1 a
 * GET of an absent object fails the whole request (noSuchName), costing
 * one more round trip for each family the unit is not, where a GETNEXT
 * simply answers with whatever object follows. */
static const char sys_object_id[] = "1.3.6.1.2.1.1.2.0";
static const char sys_descr[] = "1.3.6.1.2.1.1.1.0";

/* The probe of oid: its row in rd->probes (added when new), or NULL when
 * the table is full. */
static struct pdu_probe *
probe_at(struct pdu_read *rd, const char *oid, int index)
{
	for (size_t i = 0; i < rd->nprobes; i++)
		if (strcmp(rd->probes[i].oid, oid) == 0 && rd->probes[i].index == index)
			return &rd->probes[i];
	if (rd->nprobes == PDU_PROBE_OIDS)
		return NULL;
	rd->probes[rd->nprobes] = (struct pdu_probe){ .oid = oid, .index = index };
	return &rd->probes[rd->nprobes++];
}

static struct pdu_probe *
probe_of(struct pdu_read *rd, const char *oid)
{
	return probe_at(rd, oid, -1);
}

/* The probe that tells profile p's outlets: its count, or the first row
 * of the column whose rows are counted (profiles.h). */
static struct pdu_probe *
count_probe(struct pdu_read *rd, const struct pdu_profile *p)
{
	return p->outlet_count != NULL ? probe_of(rd, p->outlet_count)
	                               : probe_at(rd, p->outlet_rows, 1);
}

/* 1 when the probe has been answered (queued in the request being
 * planned is not). */
static int
probe_answered(const struct pdu_probe *pr)
{
	return pr->state == PDU_PROBE_FOUND || pr->state == PDU_PROBE_ABSENT;
}

/* What the probes say of profile p: 1 it fits (its outlet count answers
 * > 0 and its required object, if any, exists and reads its required
 * value or text, if any), 0 it does not, -1 not known yet. */
static int
probe_fits(struct pdu_read *rd, const struct pdu_profile *p)
{
	const struct pdu_probe *count = count_probe(rd, p);
	const struct pdu_probe *req = p->requires ? probe_of(rd, p->requires) : NULL;

	if (count == NULL || !probe_answered(count) ||
	    (req != NULL && !probe_answered(req) && count->state == PDU_PROBE_FOUND))
		return count == NULL ? 0 : -1;
	return count->state == PDU_PROBE_FOUND &&
	       (p->outlet_count == NULL || (count->value > 0 && count->value <= PDU_MAX_OUTLETS)) &&
	       (req == NULL || (req->state == PDU_PROBE_FOUND &&
	                        (p->requires_value == 0 || req->value == p->requires_value) &&
	                        (p->requires_text == NULL ||
	                         strcasecmp(req->text, p->requires_text) == 0)));
}

/* Queues a probe not asked yet, when the batch has room. */
static void
batch_add(struct pdu_read *rd, struct pdu_probe *pr)
{
	if (pr != NULL && pr->state == PDU_PROBE_UNASKED && rd->nbatch < PDU_PROBE_BATCH) {
		pr->state = PDU_PROBE_QUEUED;
		rd->batch[rd->nbatch++] = pr;
	}
}

/* Profile p's probes: what tells its outlets, the object it requires and
 * its chain's unit count (NULL where it has none). */
static void
profile_probes(struct pdu_read *rd, const struct pdu_profile *p, struct pdu_probe *pr[3])
{
	pr[0] = count_probe(rd, p);
	pr[1] = p->requires ? probe_of(rd, p->requires) : NULL;
	pr[2] = p->unit_count ? probe_of(rd, p->unit_count) : NULL;
}

/* The first request: sysObjectID, the outlet counts of the families not
 * marked probe_late, then their chains' unit counts while there is room.
 * What a family requires, and the late families, are asked once
 * sysObjectID names the vendor, in the request that carries the states
 * the read after detection would ask (probe_carry). */
static void
probe_first(struct pdu_read *rd)
{
	batch_add(rd, probe_of(rd, sys_object_id));
	for (int units = 0; units <= 1; units++)
		for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
			const struct pdu_profile *p = pdu_profiles[i];
			const char *oid = units ? p->unit_count : p->outlet_count;
			if (!p->probe_late && p->outlet_count != NULL && oid != NULL)
				batch_add(rd, probe_of(rd, oid));
		}
}

/* How many of profile p's probes (profile_probes) are not asked yet. */
static size_t
probes_unasked(struct pdu_read *rd, const struct pdu_profile *p)
{
	struct pdu_probe *pr[3];
	size_t need = 0;

	profile_probes(rd, p, pr);
	for (int k = 0; k < 3; k++)
		need += pr[k] != NULL && pr[k]->state == PDU_PROBE_UNASKED;
	return need;
}

/* The family whose outlet states the next probe carries: the first of
 * the sysObjectID vendor's families that may still fit, when the
 * outlets rd->ahead names (*nstates of them) fit with its probes in one
 * request; its answers then settle detection and the read at once.  A
 * family whose state column has a `U` is read at its first unit
 * (unit_first): a chain reads its states again once laid out. */
static const struct pdu_profile *
carry_family(struct pdu_read *rd, size_t *nstates)
{
	const struct pdu_profile *p = NULL;

	*nstates = 0;
	if (rd->ahead == NULL)
		return NULL;
	for (size_t i = 0; p == NULL && pdu_profiles[i] != NULL; i++)
		if (oid_text_has_prefix(rd->pdu->sysoid, pdu_profiles[i]->enterprise) &&
		    probe_fits(rd, pdu_profiles[i]) != 0)
			p = pdu_profiles[i];
	if (p == NULL || p->out_state == NULL)
		return NULL;
	*nstates = (size_t)pk_outlets_count(rd->ahead, PDU_MAX_OUTLETS);
	if (*nstates == 0 || rd->nbatch + probes_unasked(rd, p) + *nstates > PDU_PROBE_BATCH) {
		*nstates = 0;
		return NULL;
	}
	return p;
}

/* Fills the batch: the first request as probe_first says; later ones
 * with the profiles not known yet (the sysObjectID's vendor's first,
 * and with room kept for the states carry_family carries, else the
 * other vendors' too), each with its required object and unit count;
 * sysDescr (for the message when nothing fits) when everything else
 * fitted.  reserve > 0 keeps room for that many varbinds of the
 * request's own instead of carrying states (probe_bulk's columns). */
static void
probe_plan(struct pdu_read *rd, size_t reserve)
{
	const struct pdu_profile *carry = NULL;
	size_t nstates = reserve;
	int left_out = 0;

	rd->nbatch = 0;
	rd->ahead_col = NULL;
	if (rd->nprobes == 0) {
		probe_first(rd);
		return;
	}
	batch_add(rd, probe_of(rd, sys_object_id));
	if (reserve == 0)
		carry = carry_family(rd, &nstates);
	for (int vendor_pass = 1; vendor_pass >= 0; vendor_pass--) {
		for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
			const struct pdu_profile *p = pdu_profiles[i];
			struct pdu_probe *pr[3];
			if (oid_text_has_prefix(rd->pdu->sysoid, p->enterprise) != vendor_pass ||
			    probe_fits(rd, p) == 0)   /* known not to fit: nothing more to ask */
				continue;
			if (rd->nbatch + probes_unasked(rd, p) + nstates > PDU_PROBE_BATCH) {
				left_out = 1;
				continue;
			}
			profile_probes(rd, p, pr);
			for (int k = 0; k < 3; k++)
				batch_add(rd, pr[k]);
		}
		if (vendor_pass && carry != NULL) {
			rd->ahead_col = carry->out_state;
			rd->ahead_unit = carry->unit_first;
			return;
		}
	}
	if (!left_out && rd->nbatch + reserve < PDU_PROBE_BATCH)
		batch_add(rd, probe_of(rd, sys_descr));
}

/* The enterprise number in a sysObjectID (1.3.6.1.4.1.N...), or 0. */
static unsigned long
sysoid_enterprise(const char *sysoid)
{
	static const char ent[] = "1.3.6.1.4.1.";
	char *end;
	unsigned long n;

	if (*sysoid == '.')
		sysoid++;
	if (strncmp(sysoid, ent, sizeof ent - 1) != 0)
		return 0;
	n = strtoul(sysoid + sizeof ent - 1, &end, 10);
	return *end == '.' || *end == '\0' ? n : 0;
}

/* No profile's outlet table answered.  Every profile was probed, so
 * --profile cannot help unless the unit is of a vendor pductl has
 * profiles for (a family table may be switched off or restricted by the
 * agent's view); the vendor is named from the sysObjectID's enterprise
 * number, with sysDescr, so that the user knows what was found. */
static int
unknown_pdu(const struct pdu *pdu, struct pk_err *err)
{
	unsigned long ent = sysoid_enterprise(pdu->sysoid);
	const char *vendor = pdu_vendor_name(ent);
	char who[96];

	if (pdu->sysoid[0] == '\0')
		return pk_err_set(err, PK_ENOTFOUND, "unknown-pdu",
		                  "no sysObjectID.0 and no known switched-outlet table; "
		                  "try --profile");
	if (vendor != NULL)
		snprintf(who, sizeof who, "%s (enterprise %lu)", vendor, ent);
	else
		snprintf(who, sizeof who, "enterprise %lu", ent);
	if (pdu_vendor_has_profiles(ent))
		return pk_err_set(err, PK_ENOTFOUND, "unknown-pdu",
		                  "%s unit without a known switched-outlet table (sysObjectID %s, "
		                  "sysDescr \"%s\"): a metered-only model, or its tables are not "
		                  "in the agent's view; try --profile", who, pdu->sysoid,
		                  pdu->sysdescr);
	return pk_err_set(err, PK_ENOTFOUND, "unknown-pdu",
	                  "no profile for %s PDUs (sysObjectID %s, sysDescr \"%s\")", who,
	                  pdu->sysoid, pdu->sysdescr);
}

/* ---- daisy chains -----------------------------------------------------
 * pdu->nunits answered > 1: the outlets of every unit, unit by unit,
 * from each unit's outlet count (unit-indexed families) or from the
 * unit and number columns of every row (row-indexed ones, where a row's
 * index says nothing of its unit).  A single unit stays as it is read
 * today: outlet i is row i of the first unit. */

static void
outlet_place(struct pdu *pdu, int i, int unit, int number, int row)
{
	pdu->outlets[i].unit = unit;
	pdu->outlets[i].number = number;
	pdu->outlets[i].row = row;
}

/* Each unit's outlet count answered: unit 1's outlets first. */
static void
unit_counts_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	int n = 0;

	for (int u = 0; rc == 0 && u < pdu->nunits; u++) {
		long long count = 0;
		if (vb_num(&rd->all[u], &count) != 0 || count < 0)
			count = 0;
		if (count > PDU_MAX_OUTLETS - n)
			count = PDU_MAX_OUTLETS - n;
		pdu->unit_outlets[u] = (int)count;
		for (int k = 1; k <= count; k++)
			outlet_place(pdu, n++, u + 1, k, k);
	}
	if (rc == 0)
		pdu->noutlets = n;
	pdu_read_return(rd, rc);
}

/* Every row's unit and number answered: ordered by unit, then number. */
static void
unit_rows_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	int n = 0;

	for (int u = 1; rc == 0 && u <= pdu->nunits; u++) {
		pdu->unit_outlets[u - 1] = 0;
		for (int r = 0; r < pdu->noutlets; r++) {
			long long unit, number;
			if (vb_num(&rd->all[r * 2], &unit) != 0 || unit != u ||
			    vb_num(&rd->all[r * 2 + 1], &number) != 0 || number < 1)
				continue;
			pdu->unit_outlets[u - 1]++;
			outlet_place(pdu, n++, u, (int)number, r + 1);
		}
		/* numbers in order within the unit, whatever the row order */
		for (int i = n - pdu->unit_outlets[u - 1] + 1; i < n; i++)
			for (int j = i; j > n - pdu->unit_outlets[u - 1] &&
			     pdu->outlets[j - 1].number > pdu->outlets[j].number; j--) {
				struct pdu_outlet t = pdu->outlets[j];
				pdu->outlets[j] = pdu->outlets[j - 1];
				pdu->outlets[j - 1] = t;
			}
	}
	if (rc == 0)
		pdu->noutlets = n;
	pdu_read_return(rd, rc);
}

static void
step_chain(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	const struct pdu_profile *p = pdu->prof;
	const char *base[PDU_MAX_UNITS];
	int unit[PDU_MAX_UNITS], index[PDU_MAX_UNITS];

	(void)rc;
	if (pdu->nunits > PDU_MAX_UNITS)
		pdu->nunits = PDU_MAX_UNITS;
	if (p->out_unit != NULL) {
		const char *cols[2] = { p->out_unit, p->out_number };
		rd->sel = NULL;
		for (int o = 0; o < pdu->noutlets; o++)
			outlet_place(pdu, o, 1, o + 1, o + 1);
		get_outlets_and(rd, pdu->noutlets, cols, 2, NULL, 0, 0, unit_rows_took);
		return;
	}
	for (int u = 0; u < pdu->nunits; u++) {
		base[u] = p->unit_outlets;
		unit[u] = u + 1;
		index[u] = -1;
	}
	read_request(rd, base, unit, index, (size_t)pdu->nunits, 0, unit_counts_took);
}

/* Goes on with then once the chain is laid out (at once for one unit). */
static void
chain_then(struct pdu_read *rd, pdu_step_fn then)
{
	const struct pdu_profile *p = rd->pdu->prof;

	if (rd->pdu->nunits > 1 && (p->out_unit != NULL || p->unit_outlets != NULL))
		pdu_read_call(rd, step_chain, then);
	else {
		rd->pdu->nunits = 1;
		then(rd, 0);
	}
}

static void probe_took(struct pdu_read *rd, int rc);
static void probe_decide(struct pdu_read *rd);
static void detect_count(struct pdu_read *rd);
static void probe_rows(struct pdu_read *rd, const struct pdu_profile *p);
static const struct pdu_profile *rows_first(struct pdu_read *rd);
static size_t bulk_columns(struct pdu_read *rd);
static void probe_bulk(struct pdu_read *rd);

static void
probe_next(struct pdu_read *rd)
{
	const char *oids[PDU_PROBE_BATCH];
	int index[PDU_PROBE_BATCH], unit[PDU_PROBE_BATCH];
	size_t n;
	const struct pdu_profile *rows = rows_first(rd);

	if (rows != NULL) {
		probe_rows(rd, rows);
		return;
	}
	if (bulk_columns(rd) > 0) {
		probe_bulk(rd);
		return;
	}
	probe_plan(rd, 0);
	for (n = 0; n < rd->nbatch; n++) {
		oids[n] = rd->batch[n]->oid;
		index[n] = rd->batch[n]->index;
		unit[n] = 1;
	}
	/* No profile is picked yet, so read_request counts units from index
	 * 0 (unit_index): the carried family's first unit is ahead_unit + 1. */
	for (int o = 0; rd->ahead_col != NULL && o < PDU_MAX_OUTLETS; o++)
		if (rd->ahead[o]) {   /* probe_plan kept room for them */
			oids[n] = rd->ahead_col;
			unit[n] = rd->ahead_unit + 1;
			index[n++] = o + 1;
		}
	if (rd->nbatch > 0)
		read_request(rd, oids, unit, index, n, 1, probe_took);
	else  /* nothing left to ask (the probe table is full) */
		pdu_read_return(rd, unknown_pdu(rd->pdu, &rd->err));
}

/* The first profile, in profiles.c's order, that the probes say fits:
 * the sysObjectID vendor's first, then every profile, since sysObjectID
 * alone is not reliable.  *pending is set when a profile before it is
 * not known yet. */
static const struct pdu_profile *
probe_pick(struct pdu_read *rd, int *pending)
{
	*pending = 0;
	for (int vendor_only = 1; vendor_only >= 0; vendor_only--)
		for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
			const struct pdu_profile *p = pdu_profiles[i];
			int fits;
			if (vendor_only && !oid_text_has_prefix(rd->pdu->sysoid, p->enterprise))
				continue;
			fits = probe_fits(rd, p);
			if (fits < 0) {
				*pending = 1;
				return NULL;
			}
			if (fits)
				return p;
		}
	return NULL;
}

/* Outlet o's carried state from vb (NULL: not answered), kept for
 * ahead_apply. */
static void
ahead_keep(struct pdu_read *rd, int o, const struct snmp_vb *vb)
{
	long long v = -1;

	rd->ahead_got[o] = 0;
	if (vb == NULL || snmp_vb_missing(vb))
		return;
	rd->ahead_got[o] = vb_num(vb, &v) == 0 ? 1 : 2;
	rd->ahead_raw[o] = v;
}

/* The states the probe carried (after its batch's answers in rd->all). */
static void
ahead_took(struct pdu_read *rd)
{
	size_t k = rd->nbatch;

	for (int o = 0; o < PDU_MAX_OUTLETS; o++)
		ahead_keep(rd, o, rd->ahead[o] ? &rd->all[k++] : NULL);
}

/* The batch's answers (rd->all's first, in its order). */
static void
probes_take(struct pdu_read *rd)
{
	struct pdu *pdu = rd->pdu;

	for (size_t k = 0; k < rd->nbatch; k++) {
		struct pdu_probe *pr = rd->batch[k];
		long long v;
		pr->state = snmp_vb_missing(&rd->all[k]) ? PDU_PROBE_ABSENT : PDU_PROBE_FOUND;
		pr->value = vb_num(&rd->all[k], &v) == 0 ? v : -1;
		pdu_vb_text(&rd->all[k], pr->text, sizeof pr->text);   /* "" unless a string */
		if (pr->oid == sys_object_id && rd->all[k].type == BER_OID) {
			ber_oid_format(&rd->all[k].v.oid, pdu->sysoid, sizeof pdu->sysoid);
		} else if (pr->oid == sys_descr) {
			pdu_vb_text(&rd->all[k], pdu->sysdescr, sizeof pdu->sysdescr);
			/* It goes into a message: no control characters from the device. */
			for (char *c = pdu->sysdescr; *c != '\0'; c++)
				if ((unsigned char)*c < 0x20 || *c == 0x7f)
					*c = '?';
		}
	}
}

/* Takes a probe's answers, then picks the profile, probes further, or
 * says what was found when nothing fits. */
static void
probe_took(struct pdu_read *rd, int rc)
{
	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	probes_take(rd);
	if (rd->ahead_col != NULL)
		ahead_took(rd);
	probe_decide(rd);
}

/* After a probe: picks the profile, probes further, or says what was
 * found when nothing fits. */
static void
probe_decide(struct pdu_read *rd)
{
	struct pdu *pdu = rd->pdu;
	const struct pdu_profile *p;
	int pending;

	p = probe_pick(rd, &pending);
	if (p != NULL) {
		const struct pdu_probe *units = p->unit_count ? probe_of(rd, p->unit_count) : NULL;
		pdu->prof = p;
		pdu->nunits = units != NULL && units->state == PDU_PROBE_FOUND ? (int)units->value : 1;
		if (p->outlet_count == NULL) {   /* its rows are counted next, unless probe_rows did */
			pdu->noutlets = p == rd->rows_prof ? rd->rows_found : 0;
			detect_count(rd);
			return;
		}
		pdu->noutlets = (int)count_probe(rd, p)->value;
		chain_then(rd, detect_known);
	} else if (pending || probe_of(rd, sys_descr)->state == PDU_PROBE_UNASKED) {
		probe_next(rd);
	} else {
		pdu_read_return(rd, unknown_pdu(pdu, &rd->err));
	}
}

/* The outlet count of a given profile from vb into pdu->noutlets. */
static int
take_count(struct pdu_read *rd, const struct snmp_vb *vb)
{
	long long count = 0;

	if (vb_num(vb, &count) != 0 || count < 1 || count > PDU_MAX_OUTLETS)
		return pk_err_set(&rd->err, PK_ENOTFOUND, "unknown-pdu",
		                  "the %s outlet table is missing or empty (wrong --profile?)",
		                  rd->pdu->prof->name);
	rd->pdu->noutlets = (int)count;
	return 0;
}

/* The chain's unit count from vb (absent: one unit). */
static void
take_units(struct pdu_read *rd, const struct snmp_vb *vb)
{
	long long units = 1;

	if (vb_num(vb, &units) != 0 || units < 1)
		units = 1;
	rd->pdu->nunits = units > PDU_MAX_UNITS ? PDU_MAX_UNITS : (int)units;
}

static void
count_took(struct pdu_read *rd, int rc)
{
	if (rc == 0)
		rc = take_count(rd, &rd->all[0]);
	if (rc != 0) {
		detect_known(rd, rc);
		return;
	}
	take_units(rd, &rd->all[1]);
	chain_then(rd, detect_known);
}

/* Counting a column's rows (outlet_rows), which are 1..n with no gap:
 * one probe of every tenth row (10, 20, ... 90 and the last possible)
 * finds the ten in which n ends, and a probe of the rows of that ten
 * finds n, so any count takes two round trips.  Probes (GETNEXT), since
 * over SNMP v1 a GET of an absent row fails the whole request. */
#define PDU_ROWS_ASKED 10
_Static_assert(PDU_MAX_OUTLETS > (PDU_ROWS_ASKED - 1) * PDU_ROWS_ASKED &&
               PDU_MAX_OUTLETS <= PDU_ROWS_ASKED * PDU_ROWS_ASKED,
               "the tens probe reaches every row");

static void count_rows(struct pdu_read *rd, int first, int last);

static void
rows_counted(struct pdu_read *rd, int rc)
{
	if (rc == 0 && rd->rows_found == 0)
		rc = pk_err_set(&rd->err, PK_ENOTFOUND, "unknown-pdu",
		                "the %s outlet table is missing or empty (wrong --profile?)",
		                rd->pdu->prof->name);
	if (rc == 0)
		rd->pdu->noutlets = rd->rows_found;
	detect_known(rd, rc);
}

/* How many of the rows the last request asked are present before the
 * first absent one. */
static int
rows_present(const struct pdu_read *rd)
{
	int n = 0;

	while ((size_t)n < rd->nask && !snmp_vb_missing(&rd->all[n]))
		n++;
	return n;
}

/* The rows of the last ten came: n is the last present before the
 * first absent one. */
static void
rows_took(struct pdu_read *rd, int rc)
{
	if (rc == 0)
		rd->rows_found += rows_present(rd);
	rows_counted(rd, rc);
}

/* Every tenth row came: the ten after the last present one holds n. */
static void
tens_took(struct pdu_read *rd, int rc)
{
	int below = 0;

	for (int k = 0; rc == 0 && k < PDU_ROWS_ASKED && !snmp_vb_missing(&rd->all[k]); k++)
		below = k + 1 < PDU_ROWS_ASKED ? (k + 1) * PDU_ROWS_ASKED : PDU_MAX_OUTLETS;
	rd->rows_found = below;
	if (rc != 0 || below == PDU_MAX_OUTLETS) {
		rows_counted(rd, rc);
		return;
	}
	count_rows(rd, below + 1, below + PDU_ROWS_ASKED - 1);
}

/* Asks the counted column col at the n rows index[] (n at most
 * PDU_MAX_OUTLETS), probes when next, then goes on to then. */
static void
ask_counted(struct pdu_read *rd, const char *col, const int *index, size_t n, int next,
            pdu_step_fn then)
{
	const char *base[PDU_MAX_OUTLETS];

	for (size_t k = 0; k < n; k++)
		base[k] = col;
	read_request(rd, base, NULL, index, n, next, then);
}

/* Probes the counted column's rows first..last (at most
 * PDU_ROWS_ASKED, not past PDU_MAX_OUTLETS). */
static void
count_rows(struct pdu_read *rd, int first, int last)
{
	int index[PDU_ROWS_ASKED];
	size_t n = 0;

	for (int row = first; n < PDU_ROWS_ASKED && row <= last && row <= PDU_MAX_OUTLETS; row++)
		index[n++] = row;
	ask_counted(rd, rd->pdu->prof->outlet_rows, index, n, 1, rows_took);
}

/* Probes every tenth row of the counted column, the tenth probe being
 * the last possible row (PDU_MAX_OUTLETS). */
static void
count_tens(struct pdu_read *rd)
{
	int index[PDU_ROWS_ASKED];

	for (int k = 0; k < PDU_ROWS_ASKED; k++)
		index[k] = k + 1 < PDU_ROWS_ASKED ? (k + 1) * PDU_ROWS_ASKED : PDU_MAX_OUTLETS;
	rd->rows_found = 0;
	ask_counted(rd, rd->pdu->prof->outlet_rows, index, PDU_ROWS_ASKED, 1, tens_took);
}

/* v2c and v3: the rows of the counted column col down to
 * PDU_MAX_OUTLETS in GETBULKs, which end where the column does (one for
 * a few dozen rows), then then. */
static void
count_down(struct pdu_read *rd, const char *col, pdu_step_fn then)
{
	int index[PDU_MAX_OUTLETS];

	for (int k = 0; k < PDU_MAX_OUTLETS; k++)
		index[k] = k + 1;
	rd->rows_found = 0;
	rd->rows_asked = PDU_MAX_OUTLETS;
	ask_counted(rd, col, index, PDU_MAX_OUTLETS, 0, then);
}

/* Detection of a vendor whose families all count their outlets as rows
 * (Vertiv Geist: its MIB has no outlet count) and prefer v2c.  Over v1,
 * probing row 1 of each family's column, then counting the rows (every
 * tenth, then the last ten) takes three round trips after the first;
 * over v2c one GETBULK down the first family's column tells at once
 * whether the family fits, its outlet count and, as that column is the
 * state column, the states the read after detection asks.  Asked when
 * the session is on v2c or v3, or may try v2c (rd->v2c_may: no version
 * given), as the read after detection would. */
static const struct pdu_profile *
rows_first(struct pdu_read *rd)
{
	const struct pdu_profile *first = NULL;
	const struct pdu_probe *row1;

	if (rd->nprobes == 0 || (rd->s->version == SNMP_V1 && !rd->v2c_may))
		return NULL;
	for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
		const struct pdu_profile *p = pdu_profiles[i];
		if (!oid_text_has_prefix(rd->pdu->sysoid, p->enterprise) || probe_fits(rd, p) == 0)
			continue;
		if (p->outlet_count != NULL || p->default_version != SNMP_V2C)
			return NULL;
		if (first == NULL)
			first = p;
	}
	row1 = first != NULL ? count_probe(rd, first) : NULL;
	return row1 != NULL && row1->state == PDU_PROBE_UNASKED ? first : NULL;
}

/* A request of detection's own over v2c (probe_rows, probe_bulk): when
 * the session is on v1 (and may try v2c), v2c in half the time left; no
 * other v2c try is under way then, so rd->whole is free.
 * detect_v2c_ended takes the result. */
static void
detect_v2c_begin(struct pdu_read *rd)
{
	if (rd->s->version != SNMP_V1)
		return;
	rd->s->version = SNMP_V2C;
	rd->v2c_tried = 1;
	pdu_v2c_narrow(rd->s, &rd->whole);
}

/* After such a request: v2c is tried once; the deadline goes back and,
 * when v2c got no answer, the session goes on v1 (PDU_V2C_FELL_BACK).
 * Otherwise rc. */
static int
detect_v2c_ended(struct pdu_read *rd, int rc)
{
	if (!rd->v2c_tried || !rd->v2c_may)
		return rc;
	rd->v2c_may = 0;
	rd->s->opts.deadline = rd->whole;
	return pdu_v2c_fallback(rd->s, rc, &rd->err);
}

static void rows_probed(struct pdu_read *rd, int rc);

/* The GETBULK rows_first chose, over v2c (detect_v2c_begin). */
static void
probe_rows(struct pdu_read *rd, const struct pdu_profile *p)
{
	rd->rows_prof = p;
	rd->ahead_col = NULL;
	detect_v2c_begin(rd);
	count_down(rd, p->outlet_rows, rows_probed);
}

/* The rows rows_first asked came: they answer the family's row-1 probe
 * and, for the outlets the read after detection asks, their states.  No
 * answer over v2c: detection goes on over v1 as without it. */
static void
rows_probed(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->rows_prof;
	struct pdu_probe *row1 = count_probe(rd, p);

	rc = detect_v2c_ended(rd, rc);
	if (rc == PDU_V2C_FELL_BACK) {
		rd->rows_prof = NULL;
		probe_next(rd);
		return;
	}
	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	rd->rows_found = rows_present(rd);
	row1->state = rd->rows_found > 0 ? PDU_PROBE_FOUND : PDU_PROBE_ABSENT;
	if (vb_num(&rd->all[0], &row1->value) != 0)
		row1->value = -1;
	pdu_vb_text(&rd->all[0], row1->text, sizeof row1->text);
	if (rd->ahead != NULL && p->out_state != NULL && strcmp(p->out_state, p->outlet_rows) == 0) {
		rd->ahead_col = p->out_state;
		rd->ahead_unit = p->unit_first;
		for (int o = 0; o < PDU_MAX_OUTLETS; o++)
			ahead_keep(rd, o, rd->ahead[o] && o < rd->rows_found ? &rd->all[o] : NULL);
	}
	probe_decide(rd);
}

/* Detection's second request over v2c when the sysObjectID's vendor
 * has families still to tell apart whose outlet states are in different
 * columns (APC's rPDU and sPDU share one sysObjectID): carried over v1,
 * the states of one family fit in the ten varbinds a request holds, and
 * the read after detection asks the other's again.  A GETBULK whose
 * non-repeaters are the probes and whose repeated varbinds go down each
 * family's state column to the last outlet the read asks carries the
 * states of whichever family fits.  On v2c and v3, or on v1 when the
 * session may try v2c (rd->v2c_may) and every such family prefers it;
 * tried once.  Sets rd->bulk_cols and returns how many (0: not so). */
static size_t
bulk_columns(struct pdu_read *rd)
{
	size_t n = 0;
	int rows = 0;

	if (rd->nprobes == 0 || rd->ahead == NULL || rd->bulk_tried ||
	    (rd->s->version == SNMP_V1 && !rd->v2c_may))
		return 0;
	for (int o = 0; o < PDU_MAX_OUTLETS; o++)
		if (rd->ahead[o])
			rows = o + 1;
	for (size_t i = 0; pdu_profiles[i] != NULL; i++) {
		const struct pdu_profile *p = pdu_profiles[i];
		size_t c = 0;
		if (!oid_text_has_prefix(rd->pdu->sysoid, p->enterprise) ||
		    probe_fits(rd, p) == 0 || p->out_state == NULL)
			continue;
		/* a unit's or row's place in the column (profiles.h): not a table's rows */
		if (strpbrk(p->out_state, "UN") != NULL ||
		    (rd->s->version == SNMP_V1 && p->default_version != SNMP_V2C))
			return 0;
		while (c < n && strcmp(rd->bulk_cols[c], p->out_state) != 0)
			c++;
		if (c == SNMP_ROWS_COLS)
			return 0;
		if (c == n)
			rd->bulk_cols[n++] = p->out_state;
	}
	if (n < 2 || rows == 0)
		return 0;
	rd->bulk_ncols = n;
	rd->bulk_rows = rows;
	return n;
}

static void bulk_took(struct pdu_read *rd, int rc);

/* The GETBULK bulk_columns chose, over v2c (detect_v2c_begin). */
static void
probe_bulk(struct pdu_read *rd)
{
	size_t ncols = rd->bulk_ncols, n, k;
	struct read_asks a;

	rd->bulk_tried = 1;
	probe_plan(rd, ncols);
	if (rd->nbatch == 0) {   /* nothing to probe: as without it */
		probe_next(rd);
		return;
	}
	n = rd->nbatch + (size_t)rd->bulk_rows * ncols;
	if (asks_alloc(&a, n, &rd->err) != 0) {
		pdu_read_return(rd, PK_ECOMM);
		return;
	}
	for (k = 0; k < rd->nbatch; k++) {   /* the probes, then the rows */
		a.base[k] = rd->batch[k]->oid;
		a.index[k] = rd->batch[k]->index;
	}
	for (; k < n; k++) {
		a.base[k] = rd->bulk_cols[(k - rd->nbatch) % ncols];
		a.index[k] = (int)((k - rd->nbatch) / ncols) + 1;
	}
	for (k = 0; k < n; k++)
		a.unit[k] = 1;
	detect_v2c_begin(rd);
	rd->rows_asked = (size_t)rd->bulk_rows;
	rd->bulk_probes = rd->nbatch;
	read_request(rd, a.base, a.unit, a.index, n, 1, bulk_took);
	asks_free(&a);
}

/* The states the family the probes pick has in the GETBULK's columns
 * become the carried ones (ahead_col). */
static void
bulk_ahead(struct pdu_read *rd)
{
	int pending;
	const struct pdu_profile *p = probe_pick(rd, &pending);

	rd->ahead_col = NULL;
	for (size_t c = 0; p != NULL && p->out_state != NULL && c < rd->bulk_ncols; c++) {
		if (strcmp(rd->bulk_cols[c], p->out_state) != 0)
			continue;
		rd->ahead_col = p->out_state;
		rd->ahead_unit = p->unit_first;
		for (int o = 0; o < PDU_MAX_OUTLETS; o++)
			ahead_keep(rd, o, rd->ahead[o] && o < rd->bulk_rows ?
			           &rd->all[rd->nbatch + (size_t)o * rd->bulk_ncols + c] : NULL);
	}
}

/* probe_bulk's answer: the probes', then the states of the family they
 * pick.  No answer over v2c (v1 then), or the GETBULK refused: the
 * probes are asked again as without it. */
static void
bulk_took(struct pdu_read *rd, int rc)
{
	rc = detect_v2c_ended(rd, rc);
	if (rc == PDU_V2C_FELL_BACK || rc == PK_EREFUSED || rc == PK_ENOTFOUND) {
		for (size_t k = 0; k < rd->nbatch; k++)
			rd->batch[k]->state = PDU_PROBE_UNASKED;
		probe_next(rd);
		return;
	}
	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	probes_take(rd);
	bulk_ahead(rd);
	probe_decide(rd);
}

/* The profile is known: the outlet count (and the chain's unit count)
 * next, unless known too. */
static void
detect_count(struct pdu_read *rd)
{
	const char *base[2] = { rd->pdu->prof->outlet_count, rd->pdu->prof->unit_count };
	const int index[2] = { -1, -1 };

	if (rd->pdu->noutlets > 0)
		detect_known(rd, 0);
	else if (rd->pdu->prof->outlet_count == NULL && rd->s->version != SNMP_V1)
		count_down(rd, rd->pdu->prof->outlet_rows, rows_took);
	else if (rd->pdu->prof->outlet_count == NULL)
		count_tens(rd);
	else
		pdu_read_get(rd, base, index, 2, count_took);
}

/* Outlets numbered (a chain's were placed by its units), nothing known
 * of their state yet. */
static void
outlets_reset(struct pdu *pdu)
{
	if (pdu->nunits <= 1) {
		pdu->nunits = 1;
		pdu->unit_outlets[0] = pdu->noutlets;
	}
	for (int i = 0; i < pdu->noutlets; i++) {
		if (pdu->nunits == 1) {
			pdu->outlets[i].number = pdu->outlets[i].row = i + 1;
			pdu->outlets[i].unit = 1;
		}
		pdu->outlets[i].state = -1;
		pdu->outlets[i].pending = -1;
		pdu->outlets[i].reboot_s = -1;
	}
}

/* The states detection's last probe carried become the outlets' when
 * they are the picked family's column and answer every outlet asked,
 * all of which the PDU has (else the read asks again and says what is
 * wrong, as without them): decoded as decode_states does, with no
 * pending column.  They were read at the first unit: in a chain of a
 * unit-indexed family they are its outlets, which come first, when the
 * outlets asked are among them; a row-indexed chain's rows may be any
 * unit's. */
static void
ahead_apply(struct pdu_read *rd)
{
	static const struct snmp_vb no_column = { .type = BER_NOSUCHOBJECT };
	struct pdu *pdu = rd->pdu;
	int first_unit = pdu->nunits > 1 ? pdu->unit_outlets[0] : pdu->noutlets;

	if (rd->ahead_col == NULL || (pdu->nunits > 1 && pdu->prof->out_unit != NULL) ||
	    pdu->prof->out_state == NULL || strcmp(pdu->prof->out_state, rd->ahead_col) != 0)
		return;
	for (int o = 0; o < PDU_MAX_OUTLETS; o++)
		if (rd->ahead[o] && (o >= first_unit || rd->ahead_got[o] == 0))
			return;
	for (int o = 0; o < pdu->noutlets; o++) {
		struct pdu_outlet *out = &pdu->outlets[o];
		if (!rd->ahead[o])
			continue;
		if (rd->ahead_got[o] == 1) {
			out->raw_state = (int)rd->ahead_raw[o];
			out->state = state_of(pdu->prof, rd->ahead_raw[o]);
		} else {
			out->raw_state = out->state = -1;
		}
		out->pending = pending_of(pdu->prof, &no_column, out->raw_state);
	}
	pdu->states_ahead = 1;
}

static void
detect_known(struct pdu_read *rd, int rc)
{
	if (rc == 0) {
		outlets_reset(rd->pdu);
		ahead_apply(rd);
	}
	pdu_read_return(rd, rc);
}

void
pdu_step_detect(struct pdu_read *rd, int rc)
{
	(void)rc;
	rd->pdu->states_ahead = 0;
	if (rd->pdu->prof != NULL) {
		detect_count(rd);
		return;
	}
	rd->nprobes = 0;
	probe_next(rd);
}

int
pdu_detect(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	struct pdu_read rd;

	pdu_read_init(&rd, s, pdu, NULL);
	return pdu_read_run(&rd, pdu_step_detect, err);
}

/* ---- outlet reads --------------------------------------------------- */

static void
names_took(struct pdu_read *rd, int rc)
{
	for (int o = 0; rc == 0 && o < rd->pdu->noutlets; o++)
		pdu_vb_text(&rd->all[o], rd->pdu->outlets[o].name, sizeof rd->pdu->outlets[o].name);
	pdu_read_return(rd, rc);
}

void
pdu_step_names(struct pdu_read *rd, int rc)
{
	const char *cols[1] = { rd->pdu->prof->out_name };

	(void)rc;
	rd->sel = NULL;
	get_outlet_cols(rd, cols, 1, names_took);
}

int
pdu_read_names(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	struct pdu_read rd;

	pdu_read_init(&rd, s, pdu, NULL);
	return pdu_read_run(&rd, pdu_step_names, err);
}

/* The selected outlets' states (and pending) from rd->all, two
 * varbinds an outlet. */
static int
decode_states(struct pdu_read *rd)
{
	struct pdu *pdu = rd->pdu;
	const struct snmp_vb *v = rd->all;
	int rc = 0;

	for (int o = 0; rc == 0 && o < pdu->noutlets; o++) {
		struct pdu_outlet *out = &pdu->outlets[o];
		if (rd->sel != NULL && !rd->sel[o])
			continue;
		if (snmp_vb_missing(&v[o * 2]))
			rc = pk_err_set(&rd->err, PK_ENOTFOUND, "no-outlet",
			                "outlet %d has no state (not switchable?)", o + 1);
		else
			out->state = decode_state(pdu->prof, &v[o * 2], &out->raw_state);
		out->pending = pending_of(pdu->prof, &v[o * 2 + 1], out->raw_state);
	}
	return rc;
}

static void
states_took(struct pdu_read *rd, int rc)
{
	pdu_read_return(rd, rc != 0 ? rc : decode_states(rd));
}

/* The count first (after the states of every outlet the PDU could have),
 * then the states of those it has; a chain is laid out instead, and its
 * states are to be read again (pdu->nunits > 1 tells). */
static void
count_states_took(struct pdu_read *rd, int rc)
{
	if (rc == 0)
		rc = take_count(rd, &rd->all[PDU_MAX_OUTLETS * 2]);
	if (rc == 0)
		take_units(rd, &rd->all[PDU_MAX_OUTLETS * 2 + 1]);
	if (rc == 0 && rd->pdu->nunits > 1) {
		chain_then(rd, detect_known);
		return;
	}
	if (rc == 0) {
		outlets_reset(rd->pdu);
		rc = decode_states(rd);
	}
	pdu_read_return(rd, rc);
}

void
pdu_step_count_states(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *cols[2] = { p->out_state, rd->with_pending ? p->out_pending : NULL };
	const char *extra[2] = { p->outlet_count, p->unit_count };

	/* The probe form (GETNEXT): over SNMP v1 the unit count, absent on a
	 * unit that does not chain, would fail a GET of the whole request. */
	(void)rc;
	get_outlets_and(rd, PDU_MAX_OUTLETS, cols, 2, extra, 2, 1, count_states_took);
}

void
pdu_step_states(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *cols[2] = { p->out_state, rd->with_pending ? p->out_pending : NULL };

	(void)rc;
	get_outlet_cols(rd, cols, 2, states_took);
}

int
pdu_read_states(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                int with_pending, struct pk_err *err)
{
	struct pdu_read rd;

	pdu_read_init(&rd, s, pdu, NULL);
	rd.sel = sel;
	rd.with_pending = with_pending;
	return pdu_read_run(&rd, pdu_step_states, err);
}

static void
reboot_took(struct pdu_read *rd, int rc)
{
	for (int o = 0; rc == 0 && o < rd->pdu->noutlets; o++) {
		long long d;
		if (vb_num(&rd->all[o], &d) == 0 && d >= 0 && d <= 3600)
			rd->pdu->outlets[o].reboot_s = (int)d;
	}
	pdu_read_return(rd, rc);
}

/* The unit's one reboot duration, for every outlet. */
static void
unit_reboot_took(struct pdu_read *rd, int rc)
{
	long long d;

	for (int o = 0; rc == 0 && o < rd->pdu->noutlets; o++)
		if (vb_num(&rd->all[0], &d) == 0 && d >= 0 && d <= 3600)
			rd->pdu->outlets[o].reboot_s = (int)d;
	pdu_read_return(rd, rc);
}

void
pdu_step_reboot(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *cols[1] = { p->out_reboot_s };
	const char *unit[1] = { p->reboot_s_unit };
	static const int index[1] = { -1 };

	(void)rc;
	if (p->out_reboot_s == NULL && p->reboot_s_unit != NULL)
		pdu_read_get(rd, unit, index, 1, unit_reboot_took);
	else
		get_outlet_cols(rd, cols, 1, reboot_took);
}

int
pdu_read_reboot(struct snmp_session *s, struct pdu *pdu, const unsigned char *sel,
                struct pk_err *err)
{
	struct pdu_read rd;

	pdu_read_init(&rd, s, pdu, NULL);
	rd.sel = sel;
	return pdu_read_run(&rd, pdu_step_reboot, err);
}

/* ---- status --------------------------------------------------------- */

/* names[v] of a NULL-terminated list, "unknown" for a value it does not
 * name (the agent's, or none read: -1). */
static const char *
state_name(const char *const *names, long long v)
{
	for (long long i = 0; names[i] != NULL; i++)
		if (i == v)
			return names[i];
	return "unknown";
}

/* The divisor of a current read with the digits column's answer (vb,
 * may be missing) or the profile's fixed scale.  Where the family states
 * its precision per sensor (Raritan), each unit of a chain states its
 * own: a unit of another model may have other digits. */
static double
current_divisor(const struct pdu_profile *p, const struct snmp_vb *digits)
{
	long long d;
	double div = 1;

	if (vb_num(digits, &d) == 0 && d >= 0 && d <= 6) {
		while (d-- > 0)
			div *= 10;
		return div;
	}
	return p->current_div > 0 ? p->current_div : 10;
}

/* The slot of unit (1 up; 0 read as 1) in per-unit arrays. */
static int
unit_slot(int unit)
{
	return unit >= 1 && unit <= PDU_MAX_UNITS ? unit - 1 : 0;
}

static void
status_outlets_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;

	for (int o = 0; rc == 0 && o < pdu->noutlets; o++) {
		struct pdu_outlet *out = &pdu->outlets[o];
		const struct snmp_vb *row = &rd->all[o * 5];
		long long x;
		pdu_vb_text(&row[0], out->name, sizeof out->name);
		out->state = decode_state(pdu->prof, &row[1], &out->raw_state);
		out->pending = pending_of(pdu->prof, &row[2], out->raw_state);
		/* A negative reading is "not measured" (ServerTech's -1). */
		if ((out->has_current = vb_num(&row[3], &x) == 0 && x >= 0) != 0)
			out->current_a = (double)x / rd->out_div[unit_slot(out->unit)];
		if ((out->has_power = vb_num(&row[4], &x) == 0 && x >= 0) != 0)
			out->power_w = (long)x;
	}
	pdu_read_return(rd, rc);
}

/* Names, states and pending of every outlet, and current and power
 * only where the first outlet has them. */
static void
status_outlets(struct pdu_read *rd)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *cols[5] = { p->out_name, p->out_state, p->out_pending,
	                        rd->pdu->metered ? p->out_current : NULL,
	                        rd->pdu->metered ? p->out_power : NULL };

	rd->sel = NULL;
	get_outlet_cols(rd, cols, 5, status_outlets_took);
}

/* Banks in unit order, then bank order, whatever the row order. */
static void
banks_sort(struct pdu *pdu)
{
	for (int i = 1; i < pdu->nbanks; i++)
		for (int j = i; j > 0; j--) {
			struct pdu_bank *x = &pdu->banks[j - 1], *y = &pdu->banks[j];
			struct pdu_bank t;
			if (x->unit < y->unit || (x->unit == y->unit && x->number <= y->number))
				break;
			t = *y;
			*y = *x;
			*x = t;
		}
}

/* The bank's state from its state column's answer and, where the
 * profile has one, its alarm column's (Sentry4): the alarm while the
 * state is normal, else the state (a tripped breaker, a lost sensor).
 * Where the breaker's state is a column of its own (Eaton), a breaker
 * that reads a trip is the state, whatever the others say: the load
 * of a group without power reads normal or low. */
static void
bank_state_of(const struct pdu_profile *p, struct pdu_bank *b, const struct snmp_vb *state,
              const struct snmp_vb *alarm, const struct snmp_vb *breaker)
{
	long long v;

	b->raw_state = vb_num(state, &v) == 0 ? (int)v : -1;
	b->load_state = state_name(p->load_states, b->raw_state);
	if (p->bank_alarm != NULL && strcmp(b->load_state, "normal") == 0 &&
	    vb_num(alarm, &v) == 0) {
		b->raw_state = (int)v;
		b->load_state = state_name(p->load_states, b->raw_state);
	}
	if (p->bank_breaker != NULL && vb_num(breaker, &v) == 0 &&
	    pdu_load_tripped(state_name(p->breaker_states, v))) {
		b->raw_state = (int)v;
		b->load_state = state_name(p->breaker_states, v);
	}
}

/* Bank load: rows mapped to banks via the bank-number column when the
 * profile has one.  Never assume row = bank: CyberPower's load table has
 * the phase (whole-PDU) rows first, with BankNumber 0, then the banks.
 * BANK_COLS varbinds a row: load, state, number, (in a row-indexed
 * chain) the row's unit, the alarm state (bank_alarm) and the breaker's
 * (bank_breaker). */
#define BANK_COLS 6
static void
banks_took(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	struct pdu *pdu = rd->pdu;
	const struct snmp_vb *v = rd->all;

	for (int r = 0; rc == 0 && r < rd->rows; r++) {
		struct pdu_bank *b = &pdu->banks[pdu->nbanks];
		const struct snmp_vb *row = &v[r * BANK_COLS];
		long long load, number = rd->row_index[r], unit = rd->row_unit[r];
		if (p->bank_number != NULL && vb_num(&row[2], &number) != 0)
			continue;
		if (number < 1 || vb_num(&row[0], &load) != 0 || load < 0)
			continue;  /* a phase or whole-PDU row, or not measured */
		if (pdu->nunits > 1 && p->bank_unit != NULL &&
		    (vb_num(&row[3], &unit) != 0 || unit < 1 || unit > pdu->nunits))
			continue;  /* a row of no unit of the chain */
		b->number = (int)number;
		b->unit = (int)unit;
		b->load_a = (double)load / rd->bank_div[unit_slot((int)unit)];
		bank_state_of(p, b, &row[1], &row[4], &row[5]);
		pdu->nbanks++;
	}
	banks_sort(pdu);
	if (rc != 0)
		pdu_read_return(rd, rc);
	else
		status_outlets(rd);
}

static void
read_banks(struct pdu_read *rd)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *base[PDU_MAX_BANKS * BANK_COLS];
	int index[PDU_MAX_BANKS * BANK_COLS], unit[PDU_MAX_BANKS * BANK_COLS];
	/* the unit column only where there is a chain to tell apart */
	const char *unit_col = rd->pdu->nunits > 1 ? p->bank_unit : NULL;
	/* Rows asked without a count (bank_rows_fixed) may be absent; over v1
	 * a GET of an absent object fails the request, which is then asked
	 * again without it, one absent row a round trip: probe them. */
	int probe = p->bank_rows_fixed > 0 && rd->s->version == SNMP_V1;

	for (int r = 0; r < rd->rows; r++) {
		const char **row = &base[r * BANK_COLS];
		row[0] = p->bank_load;
		row[1] = p->bank_state;
		row[2] = p->bank_number;   /* NULL: the row index is the bank */
		row[3] = unit_col;
		row[4] = p->bank_alarm;
		row[5] = p->bank_breaker;
		for (int k = 0; k < BANK_COLS; k++) {
			index[r * BANK_COLS + k] = rd->row_index[r];
			unit[r * BANK_COLS + k] = rd->row_unit[r];
		}
	}
	read_request(rd, base, unit, index, (size_t)rd->rows * BANK_COLS, probe, banks_took);
}

/* After the identity: the banks listed in rd->rows, if any, then the
 * outlets; or the read ends with rc. */
static void
status_banks(struct pdu_read *rd, int rc)
{
	if (rc != 0)
		pdu_read_return(rd, rc);
	else if (rd->rows > 0)
		read_banks(rd);
	else
		status_outlets(rd);
}

/* Bank rows 1..count of unit u after those already listed. */
static void
rows_add(struct pdu_read *rd, int u, int count)
{
	for (int r = 1; r <= count && rd->rows < PDU_MAX_BANKS; r++) {
		rd->row_unit[rd->rows] = u;
		rd->row_index[rd->rows++] = r;
	}
}

/* Whether the profile counts each chained unit's banks (a `U` in its
 * bank row count) rather than listing them all in one table. */
static int
banks_by_unit(const struct pdu_profile *p)
{
	return p->bank_rows[0] != NULL && strchr(p->bank_rows[0], 'U') != NULL;
}

/* Units 2 up answered their identity (and, where banks are counted by
 * unit, their bank row count, and where the family states them, their
 * currents' precision digits): CHAIN_IDENT varbinds a unit. */
#define CHAIN_IDENT 7

static void
chain_ident_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;

	for (int u = 2; rc == 0 && u <= pdu->nunits; u++) {
		const struct snmp_vb *v = &rd->all[(u - 2) * CHAIN_IDENT];
		struct pdu_unit_ident *id = &pdu->units[u - 1];
		char *dest[4] = { id->model, id->name, id->firmware, id->serial };
		long long r;
		for (int i = 0; i < 4; i++)
			pdu_vb_text(&v[i], dest[i], PDU_NAME_MAX);
		if (banks_by_unit(pdu->prof) && vb_num(&v[4], &r) == 0 && r > 0 &&
		    r <= PDU_MAX_BANKS)
			rows_add(rd, u, (int)r);
		if (!snmp_vb_missing(&v[5]))
			rd->bank_div[u - 1] = current_divisor(pdu->prof, &v[5]);
		if (!snmp_vb_missing(&v[6]))
			rd->out_div[u - 1] = current_divisor(pdu->prof, &v[6]);
	}
	status_banks(rd, rc);
}

/* A chain: the other units' identity, bank counts and precision digits
 * in one GET. */
static void
read_chain_ident(struct pdu_read *rd)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *base[PDU_MAX_UNITS * CHAIN_IDENT];
	int unit[PDU_MAX_UNITS * CHAIN_IDENT], index[PDU_MAX_UNITS * CHAIN_IDENT];
	size_t n = 0;

	for (int u = 2; u <= rd->pdu->nunits; u++) {
		const char *cols[CHAIN_IDENT] = { p->model, p->device_name, p->firmware, p->serial,
		                                  banks_by_unit(p) ? p->bank_rows[0] : NULL,
		                                  p->bank_load_digits, p->out_current_digits };
		for (int k = 0; k < CHAIN_IDENT; k++, n++) {
			base[n] = cols[k];
			unit[n] = u;
			index[n] = k < 5 ? -1 : 1;   /* the digits: of the first sensor */
		}
	}
	read_request(rd, base, unit, index, n, 0, chain_ident_took);
}

/* Identity, bank row count and whether outlets are metered: one GET;
 * then, in a chain, the other units' identity and banks. */
static void
identity_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	char *dest[4] = { pdu->model, pdu->name, pdu->firmware, pdu->serial };
	long long r;
	int rows = 0;

	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	for (int i = 0; i < 4; i++)
		pdu_vb_text(&rd->all[i], dest[i], PDU_NAME_MAX);
	for (int i = 4; i < 6; i++)
		if (vb_num(&rd->all[i], &r) == 0 && r > 0 && r <= PDU_MAX_BANKS)
			rows += (int)r;
	if (rows == 0)
		rows = pdu->prof->bank_rows_fixed;
	rd->rows = 0;
	rows_add(rd, 1, rows);
	pdu->metered = !snmp_vb_missing(&rd->all[6]);
	/* every unit's until a chained unit states its own */
	rd->bank_div[0] = current_divisor(pdu->prof, &rd->all[7]);
	rd->out_div[0] = current_divisor(pdu->prof, &rd->all[8]);
	for (int u = 1; u < PDU_MAX_UNITS; u++) {
		rd->bank_div[u] = rd->bank_div[0];
		rd->out_div[u] = rd->out_div[0];
	}
	if (pdu->nunits > 1) {
		struct pdu_unit_ident *first = &pdu->units[0];
		snprintf(first->model, sizeof first->model, "%s", pdu->model);
		snprintf(first->name, sizeof first->name, "%s", pdu->name);
		snprintf(first->firmware, sizeof first->firmware, "%s", pdu->firmware);
		snprintf(first->serial, sizeof first->serial, "%s", pdu->serial);
		read_chain_ident(rd);
	} else {
		status_banks(rd, 0);
	}
}

void
pdu_step_status(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *oids[9] = { p->model, p->device_name, p->firmware, p->serial,
	                        p->bank_rows[0], p->bank_rows[1], p->out_current,
	                        p->bank_load_digits, p->out_current_digits };
	static const int index[9] = { -1, -1, -1, -1, -1, -1, 1, 1, 1 };

	(void)rc;
	/* Some of these may be absent (outlet 1's current where the unit
	 * does not meter outlets, an identity object a firmware leaves out);
	 * over v1 a GET of an absent object fails the request, asked again
	 * without it, a round trip each: there they are probed. */
	read_request(rd, oids, NULL, index, 9, rd->s->version == SNMP_V1, identity_took);
}

int
pdu_read_status(struct snmp_session *s, struct pdu *pdu, struct pk_err *err)
{
	struct pdu_read rd;

	pdu_read_init(&rd, s, pdu, NULL);
	return pdu_read_run(&rd, pdu_step_status, err);
}

/* ---- commands ------------------------------------------------------- */

int
pdu_can_switch(const struct pdu *pdu, struct pk_err *err)
{
	if (pdu->prof->out_cmd != NULL || pdu->prof->out_cmd_col[PDU_ON] != NULL)
		return 0;
	return pk_err_set(err, PK_EAUTH, "not-switched",
	                  "%s only meters its outlets: it cannot switch them on, off or "
	                  "reboot them", pdu->prof->description);
}

int
pdu_command_vb(const struct pdu *pdu, int outlet, enum pdu_action a, int delayed,
               struct snmp_vb *vb, struct pk_err *err)
{
	const struct pdu_profile *p = pdu->prof;
	int value = delayed ? p->cmd_delayed[a] : p->cmd[a];
	int rc = pdu_can_switch(pdu, err);

	if (rc != 0)
		return rc;
	if (delayed && value == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "profile %s has no delayed commands",
		                  p->name);
	vb_ask_outlet(pdu, vb, p->out_cmd_col[a] != NULL ? p->out_cmd_col[a] : p->out_cmd, outlet);
	vb->type = BER_INTEGER;
	vb->i = value;
	return 0;
}

int
pdu_name_vb(const struct pdu *pdu, int outlet, const char *name, struct snmp_vb *vb,
            struct pk_err *err)
{
	if (pdu->prof->out_name_set == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s: outlet names cannot be set over SNMP",
		                  pdu->prof->description);
	if (name[0] == '\0' || strlen(name) >= PDU_NAME_MAX)
		return pk_err_set(err, PK_EUSAGE, "usage", "outlet name must be 1 to %d bytes",
		                  PDU_NAME_MAX - 1);
	vb_ask_outlet(pdu, vb, pdu->prof->out_name_set, outlet);
	snmp_vb_set_string(vb, name);
	return 0;
}
