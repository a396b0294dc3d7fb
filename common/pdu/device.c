#include "pdu/device.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- varbind helpers ----------------------------------------------- */

static struct snmp_vb *
vbs_alloc(size_t n, struct pk_err *err)
{
	struct snmp_vb *v = calloc(n ? n : 1, sizeof *v);

	if (v == NULL)
		pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return v;
}

/* Sets vb to ask for base (a profile constant, always valid) with index
 * appended, or put in place of the base's `N` (profiles.h). */
static void
vb_ask(struct snmp_vb *vb, const char *base, int index)
{
	const char *slot = strchr(base, 'N');
	char text[160];

	if (slot != NULL && index >= 0) {
		snprintf(text, sizeof text, "%.*s%d%s", (int)(slot - base), base, index, slot + 1);
		ber_oid_parse(text, &vb->oid);
	} else {
		ber_oid_parse(base, &vb->oid);
		if (index >= 0)
			ber_oid_append(&vb->oid, (uint32_t)index);
	}
	vb->type = BER_NULL;
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

/* The GET ended: its answers into rd->all by position, then its step. */
static void
get_ended(struct pdu_read *rd)
{
	int rc = snmp_get_result(&rd->op, &rd->err);
	pdu_step_fn then = rd->then;

	for (size_t k = 0; rc == 0 && k < rd->nask; k++)
		rd->all[rd->where[k]] = rd->ask[k];
	rd->then = NULL;
	then(rd, rc);
}

void
pdu_read_get(struct pdu_read *rd, const char *const *base, const int *index, size_t n,
             pdu_step_fn then)
{
	size_t k;

	free(rd->ask);
	free(rd->all);
	free(rd->where);
	rd->ask = vbs_alloc(n, &rd->err);
	rd->all = vbs_alloc(n, &rd->err);
	rd->where = calloc(n ? n : 1, sizeof *rd->where);
	rd->nask = 0;
	rd->then = then;
	if (rd->ask == NULL || rd->all == NULL || rd->where == NULL) {
		then(rd, pk_err_set(&rd->err, PK_ECOMM, "memory", "out of memory"));
		return;
	}
	for (k = 0; k < n; k++) {
		rd->all[k].type = BER_NOSUCHOBJECT;
		if (base[k] == NULL)
			continue;
		vb_ask(&rd->ask[rd->nask], base[k], index[k]);
		rd->where[rd->nask++] = k;
	}
	if (rd->nask == 0) {  /* every column absent in this profile: nothing to ask */
		rd->then = NULL;
		then(rd, 0);
		return;
	}
	if (snmp_get_begin(rd->s, &rd->op, rd->ask, rd->nask, SNMP_LENIENT) != 0 ||
	    rd->op.state == SNMP_GET_DONE)
		get_ended(rd);
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

/* GETs, for every selected outlet (rd->sel NULL: all), each of the ncols
 * columns (NULL columns are skipped); rd->all then holds noutlets *
 * ncols varbinds, outlet-major. */
static void
get_outlet_cols(struct pdu_read *rd, const char *const *cols, int ncols, pdu_step_fn then)
{
	const struct pdu *pdu = rd->pdu;
	size_t total = (size_t)pdu->noutlets * (size_t)ncols;
	const char **base = calloc(total ? total : 1, sizeof *base);
	int *index = calloc(total ? total : 1, sizeof *index);

	if (base == NULL || index == NULL) {
		free(base);
		free(index);
		then(rd, pk_err_set(&rd->err, PK_ECOMM, "memory", "out of memory"));
		return;
	}
	for (int o = 0; o < pdu->noutlets; o++)
		for (int c = 0; c < ncols; c++) {
			base[o * ncols + c] = (rd->sel == NULL || rd->sel[o]) ? cols[c] : NULL;
			index[o * ncols + c] = o + 1;
		}
	pdu_read_get(rd, base, index, total, then);
	free(base);
	free(index);
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
	return v == p->state_on ? 1 : v == p->state_off ? 0 : -1;
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

static void probe_took(struct pdu_read *rd, int rc);

/* Asks every candidate's outlet count (the vendor's first, when
 * rd->by_vendor and the vendor has any). */
static void
probe_begin(struct pdu_read *rd)
{
	const char *base[PDU_PROBE_MAX * 2];
	int index[PDU_PROBE_MAX * 2];
	size_t i;

	rd->ncand = 0;
	for (i = 0; pdu_profiles[i] != NULL && rd->ncand < PDU_PROBE_MAX; i++)
		if (!rd->by_vendor ||
		    oid_text_has_prefix(rd->pdu->sysoid, pdu_profiles[i]->enterprise))
			rd->cand[rd->ncand++] = pdu_profiles[i];
	if (rd->ncand == 0 && rd->by_vendor) {
		rd->by_vendor = 0;
		probe_begin(rd);
		return;
	}
	for (i = 0; i < rd->ncand; i++) {
		const struct pdu_profile *p = rd->cand[i];
		/* the count, or the first row where the rows are counted */
		base[i * 2] = p->outlet_count != NULL ? p->outlet_count : p->outlet_rows;
		index[i * 2] = p->outlet_count != NULL ? -1 : 1;
		base[i * 2 + 1] = p->requires;
		index[i * 2 + 1] = -1;
	}
	pdu_read_get(rd, base, index, rd->ncand * 2, probe_took);
}

static void detect_known(struct pdu_read *rd, int rc);

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

/* Whether the candidate's required object (if it names one) exists and
 * reads its required value (if it names one). */
static int
requirement_met(const struct pdu_profile *p, const struct snmp_vb *vb)
{
	long long v;

	if (p->requires == NULL)
		return 1;
	if (snmp_vb_missing(vb))
		return 0;
	return p->requires_value == 0 || (vb_num(vb, &v) == 0 && v == p->requires_value);
}

/* Picks the first candidate whose outlet count answers > 0 (so the count
 * is known too), or whose first counted row exists (counted next), and
 * whose required object, if it names one, is met; every profile is
 * tried when the vendor's give none. */
static void
probe_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;

	for (size_t i = 0; rc == 0 && i < rd->ncand; i++) {
		long long count = 0;
		int rows = rd->cand[i]->outlet_count == NULL;
		if ((rows ? !snmp_vb_missing(&rd->all[i * 2])
		          : vb_num(&rd->all[i * 2], &count) == 0 && count > 0 &&
		                count <= PDU_MAX_OUTLETS) &&
		    requirement_met(rd->cand[i], &rd->all[i * 2 + 1])) {
			pdu->prof = rd->cand[i];
			pdu->noutlets = (int)count;
			break;
		}
	}
	if (rc != 0) {
		pdu_read_return(rd, rc);
	} else if (pdu->prof == NULL && rd->by_vendor) {
		rd->by_vendor = 0;
		probe_begin(rd);
	} else if (pdu->prof == NULL) {
		pdu_read_return(rd, unknown_pdu(pdu, &rd->err));
	} else {
		detect_known(rd, 0);
	}
}

static void
sysoid_took(struct pdu_read *rd, int rc)
{
	if (rc == 0 && rd->all[0].type == BER_OID)
		ber_oid_format(&rd->all[0].v.oid, rd->pdu->sysoid, sizeof rd->pdu->sysoid);
	if (rc == 0)
		pdu_vb_text(&rd->all[1], rd->pdu->sysdescr, sizeof rd->pdu->sysdescr);
	/* It goes into a message: no control characters from the device. */
	for (char *c = rd->pdu->sysdescr; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	rd->by_vendor = 1;
	probe_begin(rd);
}

static void
count_took(struct pdu_read *rd, int rc)
{
	long long count = 0;

	if (rc == 0 && (vb_num(&rd->all[0], &count) != 0 || count < 1 ||
	                count > PDU_MAX_OUTLETS))
		rc = pk_err_set(&rd->err, PK_ENOTFOUND, "unknown-pdu",
		                "the %s outlet table is missing or empty (wrong --profile?)",
		                rd->pdu->prof->name);
	if (rc == 0)
		rd->pdu->noutlets = (int)count;
	detect_known(rd, rc);
}

#define PDU_ROWS_ASKED 10  /* rows counted per GET: one request's worth */

static void count_rows(struct pdu_read *rd, int first);

/* A batch of counted rows came: the outlets are the rows present from 1
 * up; a full batch asks for the next. */
static void
rows_took(struct pdu_read *rd, int rc)
{
	int first = rd->rows_found + 1, n = 0;

	while (rc == 0 && n < PDU_ROWS_ASKED && first + n <= PDU_MAX_OUTLETS &&
	       !snmp_vb_missing(&rd->all[n]))
		n++;
	rd->rows_found += n;
	if (rc == 0 && n == PDU_ROWS_ASKED && rd->rows_found < PDU_MAX_OUTLETS) {
		count_rows(rd, rd->rows_found + 1);
		return;
	}
	if (rc == 0 && rd->rows_found == 0)
		rc = pk_err_set(&rd->err, PK_ENOTFOUND, "unknown-pdu",
		                "the %s outlet table is missing or empty (wrong --profile?)",
		                rd->pdu->prof->name);
	if (rc == 0)
		rd->pdu->noutlets = rd->rows_found;
	detect_known(rd, rc);
}

/* GETs the counted column's rows first.. (at most PDU_ROWS_ASKED, not
 * past PDU_MAX_OUTLETS); rd->rows_found holds the rows found before. */
static void
count_rows(struct pdu_read *rd, int first)
{
	const char *base[PDU_ROWS_ASKED];
	int index[PDU_ROWS_ASKED];
	size_t n = 0;

	rd->rows_found = first - 1;
	for (int row = first; n < PDU_ROWS_ASKED && row <= PDU_MAX_OUTLETS; row++, n++) {
		base[n] = rd->pdu->prof->outlet_rows;
		index[n] = row;
	}
	pdu_read_get(rd, base, index, n, rows_took);
}

/* The profile is known: the outlet count next, unless known too. */
static void
detect_count(struct pdu_read *rd)
{
	const char *base[1] = { rd->pdu->prof->outlet_count };
	const int index[1] = { -1 };

	if (rd->pdu->noutlets > 0)
		detect_known(rd, 0);
	else if (rd->pdu->prof->outlet_count == NULL)
		count_rows(rd, 1);
	else
		pdu_read_get(rd, base, index, 1, count_took);
}

static void
detect_known(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;

	if (rc == 0 && pdu->noutlets == 0) {
		detect_count(rd);
		return;
	}
	for (int i = 0; i < pdu->noutlets; i++) {
		pdu->outlets[i].number = i + 1;
		pdu->outlets[i].state = -1;
		pdu->outlets[i].pending = -1;
		pdu->outlets[i].reboot_s = -1;
	}
	pdu_read_return(rd, rc);
}

void
pdu_step_detect(struct pdu_read *rd, int rc)
{
	/* sysObjectID.0 and sysDescr.0 (for the message when no profile fits) */
	static const char *const sys[2] = { "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0" };
	static const int index[2] = { -1, -1 };

	(void)rc;
	if (rd->pdu->prof == NULL)
		pdu_read_get(rd, sys, index, 2, sysoid_took);
	else
		detect_count(rd);
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

static void
states_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	const struct snmp_vb *v = rd->all;

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
	pdu_read_return(rd, rc);
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

static void
step_reboot(struct pdu_read *rd, int rc)
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
	return pdu_read_run(&rd, step_reboot, err);
}

/* ---- status --------------------------------------------------------- */

static const char *
load_state_name(const struct pdu_profile *p, long long v)
{
	for (long long i = 0; p->load_states[i] != NULL; i++)
		if (i == v)
			return p->load_states[i];
	return "unknown";
}

/* The divisor of a current read with the digits column's answer (vb,
 * may be missing) or the profile's fixed scale. */
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
			out->current_a = (double)x / rd->out_div;
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

/* Bank load: rows mapped to banks via the bank-number column when the
 * profile has one.  Never assume row = bank: CyberPower's load table has
 * the phase (whole-PDU) rows first, with BankNumber 0, then the banks. */
static void
banks_took(struct pdu_read *rd, int rc)
{
	const struct pdu_profile *p = rd->pdu->prof;
	struct pdu *pdu = rd->pdu;
	const struct snmp_vb *v = rd->all;

	for (int r = 0; rc == 0 && r < rd->rows; r++) {
		struct pdu_bank *b = &pdu->banks[pdu->nbanks];
		long long load, state, number = r + 1;
		if (p->bank_number != NULL && vb_num(&v[r * 3 + 2], &number) != 0)
			continue;
		if (number < 1 || vb_num(&v[r * 3], &load) != 0 || load < 0)
			continue;  /* a phase or whole-PDU row, or not measured */
		b->number = (int)number;
		b->load_a = (double)load / rd->bank_div;
		b->raw_state = vb_num(&v[r * 3 + 1], &state) == 0 ? (int)state : -1;
		b->load_state = load_state_name(p, b->raw_state);
		pdu->nbanks++;
	}
	/* Show banks in bank order whatever the row order. */
	for (int i = 1; i < pdu->nbanks; i++)
		for (int j = i; j > 0 && pdu->banks[j - 1].number > pdu->banks[j].number; j--) {
			struct pdu_bank t = pdu->banks[j];
			pdu->banks[j] = pdu->banks[j - 1];
			pdu->banks[j - 1] = t;
		}
	if (rc != 0)
		pdu_read_return(rd, rc);
	else
		status_outlets(rd);
}

static void
read_banks(struct pdu_read *rd)
{
	const struct pdu_profile *p = rd->pdu->prof;
	const char *base[PDU_MAX_BANKS * 3];
	int index[PDU_MAX_BANKS * 3];

	for (int r = 0; r < rd->rows; r++) {
		base[r * 3] = p->bank_load;
		base[r * 3 + 1] = p->bank_state;
		base[r * 3 + 2] = p->bank_number ? p->bank_number : p->bank_load;
		index[r * 3] = index[r * 3 + 1] = index[r * 3 + 2] = r + 1;
	}
	pdu_read_get(rd, base, index, (size_t)rd->rows * 3, banks_took);
}

/* Identity, bank row count and whether outlets are metered: one GET. */
static void
identity_took(struct pdu_read *rd, int rc)
{
	struct pdu *pdu = rd->pdu;
	char *dest[4] = { pdu->model, pdu->name, pdu->firmware, pdu->serial };
	long long r;

	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	for (int i = 0; i < 4; i++)
		pdu_vb_text(&rd->all[i], dest[i], PDU_NAME_MAX);
	rd->rows = 0;
	for (int i = 4; i < 6; i++)
		if (vb_num(&rd->all[i], &r) == 0 && r > 0 && r <= PDU_MAX_BANKS)
			rd->rows += (int)r;
	if (rd->rows == 0)
		rd->rows = pdu->prof->bank_rows_fixed;
	if (rd->rows > PDU_MAX_BANKS)
		rd->rows = PDU_MAX_BANKS;
	pdu->metered = !snmp_vb_missing(&rd->all[6]);
	rd->bank_div = current_divisor(pdu->prof, &rd->all[7]);
	rd->out_div = current_divisor(pdu->prof, &rd->all[8]);
	if (rd->rows > 0)
		read_banks(rd);
	else
		status_outlets(rd);
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
	pdu_read_get(rd, oids, index, 9, identity_took);
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
	vb_ask(vb, p->out_cmd_col[a] != NULL ? p->out_cmd_col[a] : p->out_cmd, outlet);
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
	vb_ask(vb, pdu->prof->out_name_set, outlet);
	snmp_vb_set_string(vb, name);
	return 0;
}
