/* Unit tests for a table's slice read down its columns
 * (snmp_get_rows_begin, snmp/snmp.h): GETBULK on v2c, plain GETs on v1
 * and when the slice fits one GET.  The agent is played in-process on a
 * UDP socket on 127.0.0.1, one request at a time, so every run is the
 * same: it holds a sorted table of INTEGER objects and answers GET and
 * GETBULK from it, with knobs for the ways real agents misbehave (tooBig
 * above some max-repetitions, replies cut short, an OID that does not
 * increase, a reply without varbinds).  Each request's PDU type,
 * varbind count and max-repetitions are kept for the checks. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/clock.h"
#include "core/err.h"
#include "core/session.h"
#include "snmp/ber.h"
#include "snmp/snmp.h"
#include "loopback.h"
#include "tap.h"

/* The table's columns: BASE.C.row */
#define BASE "1.3.6.1.4.1.99999.1.1"
#define MAX_OBJ 256
#define MAX_REQ 64
#define AGENT_VB 256

struct obj {
	struct ber_oid oid;
	int64_t val;
};

struct agent {
	int fd;
	struct obj obj[MAX_OBJ];
	size_t nobj;
	/* knobs */
	int toobig_above;         /* > 0: tooBig when max-repetitions exceeds it */
	size_t cut_to;            /* > 0: a reply holds at most this many varbinds */
	int stuck;                /* GETBULK: asked after stuck_from or later, answer stuck_to */
	struct ber_oid stuck_from, stuck_to;
	int empty;                /* answer with no varbinds at all */
	int bulk_generr;          /* answer every GETBULK with genErr */
	/* what it saw */
	size_t nreq;
	uint8_t type[MAX_REQ];
	size_t nvb[MAX_REQ];
	int64_t reps[MAX_REQ];
	int64_t nonrep[MAX_REQ];             /* GETBULK: its non-repeaters */
	struct ber_oid first_oid[MAX_REQ];   /* each request's first varbind */
	int toobig[MAX_REQ];                 /* answered tooBig */
	size_t replied[MAX_REQ];             /* varbinds in the reply */
	struct snmp_vb *in, *out;            /* AGENT_VB each */
};

static void
oid_of(struct ber_oid *o, const char *text)
{
	if (ber_oid_parse(text, o) != 0) {
		fprintf(stderr, "bad OID %s\n", text);
		exit(2);
	}
}

/* BASE.col.row */
static void
cell_oid(struct ber_oid *o, uint32_t col, uint32_t row)
{
	oid_of(o, BASE);
	ber_oid_append(o, col);
	ber_oid_append(o, row);
}

static int
obj_cmp(const void *a, const void *b)
{
	return ber_oid_cmp(&((const struct obj *)a)->oid, &((const struct obj *)b)->oid);
}

static void
agent_add(struct agent *a, const struct ber_oid *o, int64_t val)
{
	if (a->nobj >= MAX_OBJ)
		exit(2);
	a->obj[a->nobj].oid = *o;
	a->obj[a->nobj].val = val;
	a->nobj++;
	qsort(a->obj, a->nobj, sizeof a->obj[0], obj_cmp);
}

/* The value a cell holds: col * 1000 + row. */
static int64_t
cell_val(uint32_t col, uint32_t row)
{
	return (int64_t)col * 1000 + row;
}

/* Column col, rows from..to (inclusive), skipping row hole (0: none). */
static void
agent_column(struct agent *a, uint32_t col, uint32_t from, uint32_t to, uint32_t hole)
{
	for (uint32_t r = from; r <= to; r++) {
		struct ber_oid o;
		if (r == hole && hole != 0)
			continue;
		cell_oid(&o, col, r);
		agent_add(a, &o, cell_val(col, r));
	}
}

/* Neighbours of the table: its index column before it and an object of
 * another table after it (the walk must stop at the column's end, not
 * at the end of the agent's view). */
static void
agent_neighbours(struct agent *a)
{
	struct ber_oid o;

	agent_column(a, 1, 1, 3, 0);
	oid_of(&o, "1.3.6.1.4.1.99999.2.1.0");
	agent_add(a, &o, 4242);
}

static struct agent *
agent_new(char *port, size_t portlen)
{
	struct agent *a = calloc(1, sizeof *a);

	if (a == NULL)
		exit(2);
	a->in = calloc(AGENT_VB, sizeof *a->in);
	a->out = calloc(AGENT_VB, sizeof *a->out);
	a->fd = test_loopback_socket(AF_INET, SOCK_DGRAM, port, portlen);
	if (a->in == NULL || a->out == NULL || a->fd < 0) {
		fprintf(stderr, "agent setup failed\n");
		exit(2);
	}
	return a;
}

static void
agent_free(struct agent *a)
{
	close(a->fd);
	free(a->in);
	free(a->out);
	free(a);
}

/* The object exactly at o, or NULL. */
static const struct obj *
agent_exact(const struct agent *a, const struct ber_oid *o)
{
	for (size_t i = 0; i < a->nobj; i++)
		if (ber_oid_cmp(&a->obj[i].oid, o) == 0)
			return &a->obj[i];
	return NULL;
}

/* The first object after o, or NULL past the end. */
static const struct obj *
agent_next(const struct agent *a, const struct ber_oid *o)
{
	for (size_t i = 0; i < a->nobj; i++)
		if (ber_oid_cmp(&a->obj[i].oid, o) > 0)
			return &a->obj[i];
	return NULL;
}

static void
vb_value(struct snmp_vb *vb, const struct obj *ob, const struct ber_oid *asked, uint8_t exc)
{
	memset(vb, 0, sizeof *vb);
	if (ob != NULL) {
		vb->oid = ob->oid;
		vb->type = BER_INTEGER;
		vb->i = ob->val;
	} else {
		vb->oid = *asked;
		vb->type = exc;
	}
}

/* Receives one request (waiting up to wait_ms) and answers it.  Returns
 * 1 when one was answered, 0 when none came. */
static int
agent_serve(struct agent *a, int wait_ms)
{
	struct pollfd p = { a->fd, POLLIN, 0 };
	static uint8_t buf[65536];
	struct sockaddr_storage from;
	socklen_t fl = sizeof from;
	struct snmp_msg m;
	struct pk_buf out = { 0 };
	const char *why;
	size_t n = 0, k;
	int es = 0, ei = 0;
	ssize_t len;

	if (poll(&p, 1, wait_ms) <= 0)
		return 0;
	len = recvfrom(a->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
	if (len <= 0 || snmp_decode(buf, (size_t)len, &m, a->in, AGENT_VB, &why) != 0)
		return 0;
	k = a->nreq < MAX_REQ ? a->nreq : MAX_REQ - 1;
	a->nreq++;
	a->type[k] = m.pdu_type;
	a->nvb[k] = m.nvb;
	a->reps[k] = m.pdu_type == SNMP_PDU_GETBULK ? m.error_index : 0;
	a->nonrep[k] = m.pdu_type == SNMP_PDU_GETBULK ? m.error_status : 0;
	a->first_oid[k] = m.nvb > 0 ? a->in[0].oid : (struct ber_oid){ .n = 0 };
	a->toobig[k] = 0;

	if (a->empty) {
		n = 0;
	} else if (m.pdu_type == SNMP_PDU_GET) {
		for (size_t i = 0; i < m.nvb; i++) {
			const struct obj *ob = agent_exact(a, &a->in[i].oid);
			vb_value(&a->out[n++], ob, &a->in[i].oid, BER_NOSUCHINSTANCE);
			if (ob == NULL && m.version == SNMP_V1 && es == 0) {
				es = SNMP_NOSUCHNAME;
				ei = (int)i + 1;
			}
		}
		if (es != 0) {   /* v1: the request's varbinds back, with the error */
			for (size_t i = 0; i < m.nvb; i++)
				a->out[i] = a->in[i];
		}
	} else if (m.pdu_type == SNMP_PDU_GETBULK) {
		size_t nonrep = m.error_status > 0 ? (size_t)m.error_status : 0;
		int64_t reps = m.error_index;
		if (a->bulk_generr || (a->toobig_above > 0 && reps > a->toobig_above)) {
			es = a->bulk_generr ? SNMP_GENERR : SNMP_TOOBIG;
			ei = a->bulk_generr ? 1 : 0;
			a->toobig[k] = !a->bulk_generr;
			for (size_t i = 0; i < m.nvb; i++)
				a->out[n++] = a->in[i];
		} else {
			struct ber_oid prev[AGENT_VB];
			for (size_t i = 0; i < nonrep && i < m.nvb && n < AGENT_VB; i++)
				vb_value(&a->out[n++], agent_next(a, &a->in[i].oid), &a->in[i].oid,
				         BER_ENDOFMIBVIEW);
			for (size_t i = nonrep; i < m.nvb; i++)
				prev[i] = a->in[i].oid;
			for (int64_t r = 0; r < reps; r++) {
				for (size_t i = nonrep; i < m.nvb && n < SNMP_MAX_VB; i++) {
					const struct obj *ob;
					if (a->stuck && ber_oid_cmp(&prev[i], &a->stuck_from) >= 0)
						ob = agent_exact(a, &a->stuck_to);
					else
						ob = agent_next(a, &prev[i]);
					vb_value(&a->out[n], ob, &prev[i], BER_ENDOFMIBVIEW);
					prev[i] = a->out[n].oid;
					n++;
				}
			}
		}
		if (a->cut_to > 0 && n > a->cut_to && es == 0)
			n = a->cut_to;
	} else {
		return 0;
	}
	a->replied[k] = n;
	if (snmp_encode(&out, m.version, "public", SNMP_PDU_RESPONSE, m.request_id, es, ei,
	                a->out, n) == 0)
		sendto(a->fd, out.data, out.len, 0, (struct sockaddr *)&from, fl);
	pk_buf_free(&out);
	return 1;
}

/* A session of version to the agent, a few seconds to live, no
 * retransmission (each request is answered at once or not at all). */
static struct snmp_session *
session_to(const char *port, int version)
{
	struct snmp_session *s = calloc(1, sizeof *s);
	struct pk_session_opts opts;
	struct pk_err err;

	if (s == NULL)
		exit(2);
	pk_session_opts_set(&opts, pk_deadline_in(4000), NULL, NULL, NULL);
	snmp_init(s, &opts);
	s->version = version;
	s->retries = 0;
	snprintf(s->community, sizeof s->community, "public");
	if (snmp_open(s, "127.0.0.1", port, &err) != 0) {
		fprintf(stderr, "snmp_open: %s\n", err.msg);
		exit(2);
	}
	return s;
}

/* Slots for nrows rows from first of the columns cols[0..ncols). */
static struct snmp_vb *
slots_new(const uint32_t *cols, size_t ncols, uint32_t first, size_t nrows)
{
	struct snmp_vb *vbs = calloc(nrows * ncols, sizeof *vbs);

	if (vbs == NULL)
		exit(2);
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			cell_oid(&vbs[r * ncols + c].oid, cols[c], first + (uint32_t)r);
			vbs[r * ncols + c].type = BER_NULL;
		}
	return vbs;
}

/* tap_failed when the current case's read began: its requests are shown
 * when a check after it fails. */
static int case_failed0;

/* The whole read: begin, then agent and client in turn until it ends.
 * *hung is set when the client stopped sending before it ended.  With
 * nnext > 0, vbs's first nnext are snmp_get_bulk_begin's non-repeaters,
 * the rows after them. */
static int
run_rows(struct agent *a, struct snmp_session *s, struct snmp_vb *vbs, size_t nnext,
         size_t nrows, size_t ncols, int flags, struct pk_err *err, int *hung)
{
	struct snmp_get_op *op = calloc(1, sizeof *op);
	int rc, rounds = 0;

	if (op == NULL)
		exit(2);
	*hung = 0;
	case_failed0 = tap_failed;
	memset(err, 0, sizeof *err);
	if (nnext > 0)
		snmp_get_bulk_begin(s, op, vbs, nnext, nrows, ncols, flags);
	else
		snmp_get_rows_begin(s, op, vbs, nrows, ncols, flags);
	while (op->state == SNMP_GET_WAITING) {
		int fd;
		int64_t wake;
		short ev;

		if (++rounds > 200 || !agent_serve(a, 1000)) {
			*hung = 1;
			break;
		}
		ev = snmp_get_events(op, &fd, &wake);
		if (ev != 0 && fd >= 0) {
			struct pollfd p = { fd, ev, 0 };
			if (poll(&p, 1, 1000) <= 0)
				continue;
			snmp_get_handle(op, p.revents);
		} else {
			snmp_get_handle(op, POLLIN);
		}
	}
	/* a client still waiting: let it run out its deadline */
	while (op->state == SNMP_GET_WAITING) {
		struct pk_task t = snmp_get_task(op);
		pk_poll_tasks(&t, 1, s->req.deadline);
	}
	rc = snmp_get_result(op, err);
	free(op);
	return rc;
}

/* Checks every slot: filled with its value, or missing (OID kept) when
 * missing(col index, row) says so.  Returns the slots that were wrong. */
static size_t
check_slots(const struct snmp_vb *vbs, const uint32_t *cols, size_t ncols, uint32_t first,
            size_t nrows, int (*missing)(size_t c, uint32_t row))
{
	size_t bad = 0;

	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++) {
			const struct snmp_vb *vb = &vbs[r * ncols + c];
			uint32_t row = first + (uint32_t)r;
			struct ber_oid want;
			int ok;
			cell_oid(&want, cols[c], row);
			if (missing != NULL && missing(c, row))
				ok = snmp_vb_missing(vb) && vb->type == BER_NOSUCHOBJECT &&
				     ber_oid_cmp(&vb->oid, &want) == 0;
			else
				ok = !snmp_vb_missing(vb) && vb->type == BER_INTEGER &&
				     vb->i == cell_val(cols[c], row) && ber_oid_cmp(&vb->oid, &want) == 0;
			if (!ok) {
				char o[BER_OID_MAX * 11 + 1];
				ber_oid_format(&vb->oid, o, sizeof o);
				printf("#   slot row %u col %zu: %s type 0x%02x value %lld\n", row, c, o,
				       vb->type, (long long)vb->i);
				bad++;
			}
		}
	return bad;
}

static int
all_bulk(const struct agent *a, size_t nvb)
{
	for (size_t k = 0; k < a->nreq && k < MAX_REQ; k++)
		if (a->type[k] != SNMP_PDU_GETBULK || a->nvb[k] > nvb || a->nvb[k] == 0)
			return 0;
	return 1;
}

static void
show_requests(const struct agent *a)
{
	for (size_t k = 0; k < a->nreq && k < MAX_REQ; k++)
		printf("#   request %zu: type 0x%02x, %zu varbinds, non-repeaters %lld, reps %lld%s, "
		       "%zu back\n", k, a->type[k], a->nvb[k], (long long)a->nonrep[k],
		       (long long)a->reps[k], a->toobig[k] ? ", tooBig" : "", a->replied[k]);
}

/* The usual table: columns 2 and 3, rows 1..16, between neighbours. */
static void
two_columns(struct agent *a)
{
	agent_neighbours(a);
	agent_column(a, 2, 1, 16, 0);
	agent_column(a, 3, 1, 16, 0);
}

/* ---- the cases ------------------------------------------------------ */

static const uint32_t cols23[2] = { 2, 3 };

/* A case: the agent, a session to it, the slots read (nrows rows from
 * first of the columns cols[0..ncols)) and the read's result. */
struct scene {
	char port[16];
	struct agent *a;
	struct snmp_session *s;
	const uint32_t *cols;
	size_t ncols;
	uint32_t first;
	size_t nrows;
	struct snmp_vb *vbs;
	/* snmp_get_bulk_begin's non-repeaters (nnext > 0), asked before the rows */
	struct snmp_vb next[4];
	size_t nnext;
	int rc, hung;
	struct pk_err err;
};

/* Opens a case: an agent with an empty table (the case fills it), a
 * session of version to it and the slots of the slice to read. */
static void
scene_open(struct scene *sc, int version, const uint32_t *cols, size_t ncols, uint32_t first,
           size_t nrows)
{
	sc->a = agent_new(sc->port, sizeof sc->port);
	sc->s = session_to(sc->port, version);
	sc->cols = cols;
	sc->ncols = ncols;
	sc->first = first;
	sc->nrows = nrows;
	sc->vbs = slots_new(cols, ncols, first, nrows);
	sc->nnext = 0;
}

/* Adds a non-repeater asking after text (scene_read then begins with
 * snmp_get_bulk_begin). */
static void
scene_next(struct scene *sc, const char *text)
{
	struct snmp_vb *vb = &sc->next[sc->nnext++];

	memset(vb, 0, sizeof *vb);
	oid_of(&vb->oid, text);
	vb->type = BER_NULL;
}

/* Non-repeater k answered with the object text holding val (text NULL:
 * missing, its OID the one asked, asked). */
static int
next_is(const struct scene *sc, size_t k, const char *text, int64_t val, const char *asked)
{
	const struct snmp_vb *vb = &sc->next[k];
	struct ber_oid want;

	oid_of(&want, text != NULL ? text : asked);
	if (text == NULL)
		return snmp_vb_missing(vb) && ber_oid_cmp(&vb->oid, &want) == 0;
	return vb->type == BER_INTEGER && vb->i == val && ber_oid_cmp(&vb->oid, &want) == 0;
}

/* The usual table's neighbours as non-repeaters: one inside the index
 * column (what follows row 2 is row 3), one between the tables (the next
 * table's object follows), one past the end of the view. */
static void
scene_usual_next(struct scene *sc)
{
	scene_next(sc, BASE ".1.2");
	scene_next(sc, "1.3.6.1.4.1.99999.1.5");
	scene_next(sc, "1.3.6.1.4.1.99999.2.1.0");
}

static int
usual_next_answered(const struct scene *sc)
{
	return next_is(sc, 0, BASE ".1.3", 1003, NULL) &&
	       next_is(sc, 1, "1.3.6.1.4.1.99999.2.1.0", 4242, NULL) &&
	       next_is(sc, 2, NULL, 0, "1.3.6.1.4.1.99999.2.1.0");
}

/* Opens a case on the usual table (two_columns) over v2c, 16 rows of
 * slots of both columns. */
static void
scene_usual(struct scene *sc)
{
	scene_open(sc, SNMP_V2C, cols23, 2, 1, 16);
	two_columns(sc->a);
}

/* Runs the read with flags; its result goes to rc, err and hung. */
static void
scene_read(struct scene *sc, int flags)
{
	size_t n = sc->nrows * sc->ncols;
	struct snmp_vb *all;

	if (sc->nnext == 0) {
		sc->rc = run_rows(sc->a, sc->s, sc->vbs, 0, sc->nrows, sc->ncols, flags, &sc->err,
		                  &sc->hung);
		return;
	}
	all = calloc(sc->nnext + n, sizeof *all);   /* the non-repeaters, then the rows */
	if (all == NULL)
		exit(2);
	memcpy(all, sc->next, sc->nnext * sizeof *all);
	memcpy(all + sc->nnext, sc->vbs, n * sizeof *all);
	sc->rc = run_rows(sc->a, sc->s, all, sc->nnext, sc->nrows, sc->ncols, flags, &sc->err,
	                  &sc->hung);
	memcpy(sc->next, all, sc->nnext * sizeof *all);
	memcpy(sc->vbs, all + sc->nnext, n * sizeof *all);
	free(all);
}

/* Checks that the read succeeded and ended: "what: said (rc ...)". */
static void
scene_check_succeeded(const struct scene *sc, const char *what, const char *said)
{
	TAP_OK(sc->rc == 0 && !sc->hung, "%s: %s (rc %d: %s)", what, said, sc->rc, sc->err.msg);
}

/* Checks every slot: filled with its value, or missing where missing
 * says so (NULL: none): "what: said". */
static void
scene_check_slots(const struct scene *sc, int (*missing)(size_t c, uint32_t row),
                  const char *what, const char *said)
{
	TAP_OK(check_slots(sc->vbs, sc->cols, sc->ncols, sc->first, sc->nrows, missing) == 0,
	       "%s: %s", what, said);
}

/* Runs the lenient read and checks that it succeeds and fills every
 * slot. */
static void
scene_read_all(struct scene *sc, const char *what)
{
	scene_read(sc, SNMP_LENIENT);
	scene_check_succeeded(sc, what, "the read succeeds");
	scene_check_slots(sc, NULL, what, "every slot has its value");
}

/* Runs the lenient read and checks that it succeeds (read_said) and
 * leaves missing the slots missing says, the others filled
 * (slots_said). */
static void
scene_read_missing(struct scene *sc, const char *what, const char *read_said,
                   int (*missing)(size_t c, uint32_t row), const char *slots_said)
{
	scene_read(sc, SNMP_LENIENT);
	scene_check_succeeded(sc, what, read_said);
	scene_check_slots(sc, missing, what, slots_said);
}

/* A case ends: the requests of its last read shown when one of the
 * checks after it failed, and everything freed. */
static void
scene_end(struct scene *sc)
{
	if (tap_failed > case_failed0)
		show_requests(sc->a);
	free(sc->vbs);
	snmp_close(sc->s);
	free(sc->s);
	agent_free(sc->a);
}

/* 1. v2c, 2 columns x 16 rows, all there. */
static void
test_all_present(void)
{
	struct scene sc;
	struct ber_oid want;

	scene_usual(&sc);
	scene_read_all(&sc, "all present");
	TAP_OK(sc.a->nreq >= 1 && sc.a->nreq <= 2, "all present: at most 2 requests (%zu)",
	       sc.a->nreq);
	TAP_OK(all_bulk(sc.a, 2) && sc.a->nvb[0] == 2, "all present: GETBULKs of 2 varbinds");
	cell_oid(&want, 2, 0);
	TAP_OK(ber_oid_cmp(&sc.a->first_oid[0], &want) == 0,
	       "all present: the first request asks after row 0 of the first column");
	scene_end(&sc);
}

static int
missing_hole(size_t c, uint32_t row)
{
	return c == 1 && row == 5;
}

/* 2. a hole: row 5 of the second column absent. */
static void
test_hole(void)
{
	struct scene sc;

	scene_open(&sc, SNMP_V2C, cols23, 2, 1, 16);
	agent_neighbours(sc.a);
	agent_column(sc.a, 2, 1, 16, 0);
	agent_column(sc.a, 3, 1, 16, 5);
	scene_read(&sc, SNMP_LENIENT);
	scene_check_succeeded(&sc, "hole", "the lenient read succeeds");
	TAP_OK(snmp_vb_missing(&sc.vbs[4 * 2 + 1]), "hole: row 5 of column 1 is missing");
	scene_check_slots(&sc, missing_hole, "hole",
	                  "every other slot has its value, the missing one keeps its OID");
	TAP_OK(all_bulk(sc.a, 2) && sc.a->nreq <= 2, "hole: GETBULKs, at most 2 (%zu)",
	       sc.a->nreq);

	/* the same without SNMP_LENIENT, into new slots: not found, naming
	 * the row */
	sc.a->nreq = 0;
	free(sc.vbs);
	sc.vbs = slots_new(sc.cols, sc.ncols, sc.first, sc.nrows);
	scene_read(&sc, 0);
	TAP_OK(sc.rc == PK_ENOTFOUND && !sc.hung && strstr(sc.err.msg, BASE ".3.5") != NULL,
	       "hole, not lenient: PK_ENOTFOUND naming row 5 of column 1 (rc %d: %s)", sc.rc,
	       sc.err.msg);
	scene_end(&sc);
}

static int
missing_col1(size_t c, uint32_t row)
{
	(void)row;
	return c == 1;
}

/* 3. a column the agent lacks: the objects after it are another table's. */
static void
test_absent_column(void)
{
	static const uint32_t cols24[2] = { 2, 4 };
	struct scene sc;

	scene_open(&sc, SNMP_V2C, cols24, 2, 1, 16);
	two_columns(sc.a);
	scene_read_missing(&sc, "absent column", "the read ends and succeeds", missing_col1,
	                   "all its slots missing, the other column filled");
	TAP_OK(all_bulk(sc.a, 2) && sc.a->nreq <= 2, "absent column: GETBULKs, at most 2 (%zu)",
	       sc.a->nreq);
	scene_end(&sc);
}

/* 4. tooBig above 4 repetitions. */
static void
test_toobig(void)
{
	struct scene sc;
	size_t toobigs = 0, after_ok = 1, halved = 1, seen_toobig = 0;

	scene_usual(&sc);
	sc.a->toobig_above = 4;
	scene_read_all(&sc, "tooBig");
	for (size_t k = 0; k < sc.a->nreq && k < MAX_REQ; k++) {
		if (k > 0 && sc.a->toobig[k - 1] && sc.a->reps[k] > sc.a->reps[k - 1] / 2)
			halved = 0;
		if (seen_toobig && !sc.a->toobig[k] && sc.a->reps[k] > 4)
			after_ok = 0;
		if (sc.a->toobig[k]) {
			toobigs++;
			seen_toobig = 1;
		}
	}
	TAP_OK(sc.a->nreq > 0 && sc.a->toobig[0] && sc.a->reps[0] > 4,
	       "tooBig: the first request asks more than 4 repetitions and is refused");
	TAP_OK(halved, "tooBig: a request after a tooBig asks at most half the repetitions");
	TAP_OK(after_ok, "tooBig: once refused, no request asks above what was taken");
	/* 16, 8 refused; then 4 rows a request: 4 more */
	TAP_OK(toobigs == 2 && sc.a->nreq == 6 && all_bulk(sc.a, 2),
	       "tooBig: 2 refused requests counted, 6 in all (%zu, %zu)", toobigs, sc.a->nreq);
	scene_end(&sc);
}

/* 4b. an agent that refuses GETBULK (genErr): the slice is read by GETs. */
static void
test_bulk_refused(void)
{
	struct scene sc;
	size_t gets = 0;

	scene_usual(&sc);
	sc.a->bulk_generr = 1;
	scene_read_all(&sc, "GETBULK refused");
	for (size_t k = 1; k < sc.a->nreq && k < MAX_REQ; k++)
		gets += sc.a->type[k] == SNMP_PDU_GET && sc.a->nvb[k] <= SNMP_MAX_VB_PER_REQ;
	TAP_OK(sc.a->nreq == 5 && sc.a->type[0] == SNMP_PDU_GETBULK && gets == 4,
	       "GETBULK refused: one GETBULK, then 4 GETs of ten or fewer (%zu requests)",
	       sc.a->nreq);
	scene_end(&sc);
}

/* 5. replies cut to 3 varbinds. */
static void
test_short_replies(void)
{
	struct scene sc;

	scene_usual(&sc);
	sc.a->cut_to = 3;
	scene_read_all(&sc, "short replies");
	/* 3 varbinds a reply, 32 slots: at least 11 requests */
	TAP_OK(sc.a->nreq >= 11 && sc.a->nreq <= 32 && all_bulk(sc.a, 2),
	       "short replies: several GETBULKs, no more than one per slot (%zu)", sc.a->nreq);
	scene_end(&sc);
}

static int
missing_after_8(size_t c, uint32_t row)
{
	(void)c;
	return row > 8;
}

/* 6. an agent that does not go on: asked after row 8 (or later), it
 * answers row 8 again, or an earlier row. */
static void
test_not_increasing(void)
{
	static const uint32_t col2[1] = { 2 };
	for (int back = 0; back <= 1; back++) {
		const char *what = back ? "out of order" : "same OID";
		struct scene sc;

		scene_open(&sc, SNMP_V2C, col2, 1, 1, 20);
		agent_neighbours(sc.a);
		agent_column(sc.a, 2, 1, 20, 0);
		sc.a->stuck = 1;
		cell_oid(&sc.a->stuck_from, 2, 8);
		cell_oid(&sc.a->stuck_to, 2, back ? 3 : 8);
		scene_read_missing(&sc, what, "the read ends", missing_after_8,
		                   "rows 1..8 filled, the rows after missing");
		TAP_OK(all_bulk(sc.a, 1) && sc.a->nreq <= 2, "%s: at most 2 GETBULKs (%zu)", what,
		       sc.a->nreq);
		scene_end(&sc);
	}
}

/* 7. a reply without varbinds. */
static void
test_empty_reply(void)
{
	struct scene sc;

	scene_usual(&sc);
	sc.a->empty = 1;
	scene_read(&sc, SNMP_LENIENT);
	TAP_OK(sc.rc == PK_ECOMM && !sc.hung, "empty reply: PK_ECOMM (rc %d)", sc.rc);
	TAP_STREQ(sc.err.kind, "malformed", "empty reply: the error is malformed (%s)",
	          sc.err.msg);
	TAP_OK(sc.a->nreq == 1, "empty reply: no request after it (%zu)", sc.a->nreq);
	scene_end(&sc);
}

/* 8. v1: plain GETs of at most 10 varbinds. */
static void
test_v1(void)
{
	struct scene sc;
	size_t total = 0;
	int gets = 1;

	scene_open(&sc, SNMP_V1, cols23, 2, 1, 16);
	two_columns(sc.a);
	scene_read_all(&sc, "v1");
	for (size_t k = 0; k < sc.a->nreq && k < MAX_REQ; k++) {
		if (sc.a->type[k] != SNMP_PDU_GET || sc.a->nvb[k] > SNMP_MAX_VB_PER_REQ)
			gets = 0;
		total += sc.a->nvb[k];
	}
	TAP_OK(gets && sc.a->nreq == 4 && total == 32,
	       "v1: 4 GETs (0xa0) of at most 10 varbinds, 32 in all (%zu, %zu)", sc.a->nreq,
	       total);
	scene_end(&sc);
}

/* 9. 5 rows x 2 columns on v2c: 10 varbinds, one GET. */
static void
test_one_get(void)
{
	struct scene sc;

	scene_open(&sc, SNMP_V2C, cols23, 2, 1, 5);
	two_columns(sc.a);
	scene_read_all(&sc, "one GET");
	TAP_OK(sc.a->nreq == 1 && sc.a->type[0] == SNMP_PDU_GET && sc.a->nvb[0] == 10,
	       "one GET: a single GET of 10 varbinds, not a GETBULK");
	scene_end(&sc);
}

static int
missing_after_25(size_t c, uint32_t row)
{
	(void)c;
	return row > 25;
}

/* 10. 40 rows x 1 column, the agent's rows only up to 25: followed by
 * another column, or by the end of the agent's view. */
static void
test_short_column(void)
{
	static const uint32_t col3[1] = { 3 };
	for (int at_end = 0; at_end <= 1; at_end++) {
		const char *what = at_end ? "short column at the end of the view" :
		                   "short column";
		struct scene sc;

		scene_open(&sc, SNMP_V2C, col3, 1, 1, 40);
		agent_column(sc.a, 2, 1, 3, 0);
		agent_column(sc.a, 3, 1, 25, 0);
		if (!at_end)
			agent_column(sc.a, 4, 1, 25, 0);
		scene_read_missing(&sc, what, "the read succeeds", missing_after_25,
		                   "rows 1..25 filled, 26..40 missing");
		TAP_OK(all_bulk(sc.a, 1) && sc.a->nreq >= 1 && sc.a->nreq <= 2,
		       "%s: one or two GETBULKs (%zu)", what, sc.a->nreq);
		scene_end(&sc);
	}
}

/* Rows numbered from 0: the first request asks after the column itself. */
static void
test_from_row0(void)
{
	static const uint32_t col2[1] = { 2 };
	struct scene sc;
	struct ber_oid want;

	scene_open(&sc, SNMP_V2C, col2, 1, 0, 20);
	agent_neighbours(sc.a);
	agent_column(sc.a, 2, 0, 19, 0);
	scene_read_all(&sc, "from row 0");
	oid_of(&want, BASE ".2");
	TAP_OK(sc.a->nreq >= 1 && ber_oid_cmp(&sc.a->first_oid[0], &want) == 0,
	       "from row 0: the first request asks after the column's own OID");
	/* 20 rows fit one reply; the estimate of the rows left counts one
	 * short when the rows start at 0, so a second request of 1 follows */
	TAP_OK(all_bulk(sc.a, 1) && sc.a->nreq <= 2, "from row 0: at most 2 GETBULKs (%zu)",
	       sc.a->nreq);
	scene_end(&sc);
}

/* 13. Columns that are not rows: 16 rows of a "sensor" object whose OID
 * ends in a sensor type after the row (BASE.4.row.1, first in each row),
 * then columns 2 and 3: the columns go down by GETBULK, the sensor
 * objects are asked by GET once they are through. */
static void
test_mixed(void)
{
	struct agent *a;
	struct snmp_session *s;
	char port[16];
	struct snmp_vb *vbs = calloc(16 * 3, sizeof *vbs);
	struct pk_err err;
	size_t bulks = 0, gets = 0, bad = 0;
	int rc, hung;

	if (vbs == NULL)
		exit(2);
	a = agent_new(port, sizeof port);
	s = session_to(port, SNMP_V2C);
	two_columns(a);
	for (uint32_t r = 1; r <= 16; r++) {
		struct ber_oid o;
		cell_oid(&o, 4, r);
		ber_oid_append(&o, 1);
		agent_add(a, &o, 4000 + r);
		vbs[(r - 1) * 3].oid = o;
		cell_oid(&vbs[(r - 1) * 3 + 1].oid, 2, r);
		cell_oid(&vbs[(r - 1) * 3 + 2].oid, 3, r);
	}
	rc = run_rows(a, s, vbs, 0, 16, 3, SNMP_LENIENT, &err, &hung);
	TAP_OK(rc == 0 && !hung, "mixed: the read succeeds (rc %d: %s)", rc, err.msg);
	for (uint32_t r = 1; r <= 16; r++) {
		const struct snmp_vb *row = &vbs[(r - 1) * 3];
		bad += row[0].type != BER_INTEGER || row[0].i != 4000 + r ||
		       row[1].type != BER_INTEGER || row[1].i != cell_val(2, r) ||
		       row[2].type != BER_INTEGER || row[2].i != cell_val(3, r);
	}
	TAP_OK(bad == 0, "mixed: every slot has its value (%zu rows wrong)", bad);
	for (size_t k = 0; k < a->nreq && k < MAX_REQ; k++) {
		bulks += a->type[k] == SNMP_PDU_GETBULK && a->nvb[k] == 2;
		gets += a->type[k] == SNMP_PDU_GET && a->nvb[k] == 10 - (k + 1 == a->nreq) * 4;
	}
	TAP_OK(bulks >= 1 && bulks <= 2 && gets == 2 && bulks + gets == a->nreq &&
	       a->type[a->nreq - 1] == SNMP_PDU_GET,
	       "mixed: GETBULKs of the 2 columns, then the 16 sensor objects in GETs of 10 and 6 "
	       "(%zu requests)", a->nreq);
	if (tap_failed > case_failed0)
		show_requests(a);
	free(vbs);
	snmp_close(s);
	free(s);
	agent_free(a);
}

/* 13. snmp_get_bulk_begin: three non-repeaters and 8 rows of two
 * columns in one GETBULK. */
static void
test_bulk_next(void)
{
	struct scene sc;

	scene_open(&sc, SNMP_V2C, cols23, 2, 1, 8);
	two_columns(sc.a);
	scene_usual_next(&sc);
	scene_read_all(&sc, "bulk with non-repeaters");
	TAP_OK(sc.a->nreq == 1 && sc.a->type[0] == SNMP_PDU_GETBULK && sc.a->nvb[0] == 5 &&
	       sc.a->nonrep[0] == 3 && sc.a->reps[0] == 8,
	       "bulk with non-repeaters: one GETBULK, 3 non-repeaters and 2 columns, 8 "
	       "repetitions (%zu requests)", sc.a->nreq);
	TAP_OK(usual_next_answered(&sc),
	       "bulk with non-repeaters: each answered by what follows it, the last missing");
	scene_end(&sc);

	/* a column the agent lacks ends at once, as in a rows read */
	static const uint32_t cols24[2] = { 2, 4 };
	scene_open(&sc, SNMP_V2C, cols24, 2, 1, 8);
	two_columns(sc.a);
	scene_usual_next(&sc);
	scene_read_missing(&sc, "bulk, absent column", "the read succeeds", missing_col1,
	                   "the absent column's slots missing, the other's filled");
	TAP_OK(sc.a->nreq == 1 && usual_next_answered(&sc),
	       "bulk, absent column: one request, the non-repeaters answered (%zu)", sc.a->nreq);
	scene_end(&sc);
}

/* 14. tooBig: the repetitions halve, the non-repeaters stay until
 * answered, then the columns go on alone. */
static void
test_bulk_next_toobig(void)
{
	struct scene sc;
	int nonrep_ok = 1;

	scene_usual(&sc);
	sc.a->toobig_above = 4;
	scene_usual_next(&sc);
	scene_read_all(&sc, "bulk, tooBig");
	for (size_t k = 0; k < sc.a->nreq && k < MAX_REQ; k++) {
		int answered_before = 0;
		for (size_t j = 0; j < k; j++)
			answered_before |= !sc.a->toobig[j];
		if (sc.a->nonrep[k] != (answered_before ? 0 : 3) ||
		    sc.a->nvb[k] != (answered_before ? 2u : 5u))
			nonrep_ok = 0;
	}
	/* 16 and 8 refused, then 4 rows a request */
	TAP_OK(sc.a->nreq == 6 && sc.a->toobig[0] && sc.a->toobig[1] && !sc.a->toobig[2],
	       "bulk, tooBig: 2 refused, 6 requests in all (%zu)", sc.a->nreq);
	TAP_OK(nonrep_ok, "bulk, tooBig: the non-repeaters in each request until one is "
	       "answered, in none after");
	TAP_OK(usual_next_answered(&sc), "bulk, tooBig: the non-repeaters answered");
	scene_end(&sc);
}

/* 15. what a rows read does by GET instead is the bulk's error. */
static void
test_bulk_next_errors(void)
{
	struct scene sc;

	scene_open(&sc, SNMP_V2C, cols23, 2, 1, 8);
	two_columns(sc.a);
	sc.a->bulk_generr = 1;
	scene_usual_next(&sc);
	scene_read(&sc, SNMP_LENIENT);
	TAP_OK(sc.rc == PK_EREFUSED && !sc.hung && sc.a->nreq == 1,
	       "bulk refused: PK_EREFUSED after the one request, no GETs (rc %d, %zu requests)",
	       sc.rc, sc.a->nreq);
	TAP_OK(strstr(sc.err.msg, "GETBULK failed: genErr") != NULL, "bulk refused: says so (%s)",
	       sc.err.msg);
	scene_end(&sc);

	scene_open(&sc, SNMP_V2C, cols23, 2, 1, 8);
	two_columns(sc.a);
	sc.a->cut_to = 2;
	scene_usual_next(&sc);
	scene_read(&sc, SNMP_LENIENT);
	TAP_OK(sc.rc == PK_ECOMM && !sc.hung && strcmp(sc.err.kind, "malformed") == 0,
	       "bulk, a reply shorter than its non-repeaters: malformed (rc %d: %s)", sc.rc,
	       sc.err.msg);
	scene_end(&sc);

	scene_open(&sc, SNMP_V1, cols23, 2, 1, 8);
	two_columns(sc.a);
	scene_usual_next(&sc);
	scene_read(&sc, SNMP_LENIENT);
	TAP_OK(sc.rc == PK_ECOMM && sc.a->nreq == 0 && strcmp(sc.err.kind, "internal") == 0,
	       "bulk over v1: an internal error, nothing sent (rc %d, %zu requests: %s)", sc.rc,
	       sc.a->nreq, sc.err.msg);
	scene_end(&sc);
}

int
main(void)
{
	test_all_present();
	test_hole();
	test_absent_column();
	test_toobig();
	test_bulk_refused();
	test_short_replies();
	test_not_increasing();
	test_empty_reply();
	test_v1();
	test_one_get();
	test_short_column();
	test_from_row0();
	test_mixed();
	test_bulk_next();
	test_bulk_next_toobig();
	test_bulk_next_errors();
	return TAP_DONE();
}
