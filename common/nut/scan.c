/* scan.c — see nut/scan.h. */
#include "nut/scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/session.h"

struct nut_scan_slot {
	struct nut_client c;
	size_t i;
	char host[256];
};

/* upsd answers LOGOUT with this line, then closes. */
static const char goodbye[] = "OK Goodbye";

int
nut_scan_init(struct nut_scan *s, size_t parallel, struct pk_err *err)
{
	s->nslots = parallel;
	s->slots = calloc(parallel ? parallel : 1, sizeof *s->slots);
	return s->slots != NULL ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

static enum pk_probe_state
probe_start(void *ctx, size_t i, size_t slot, int64_t deadline)
{
	struct nut_scan *s = ctx;
	struct nut_scan_slot *p = &s->slots[slot];
	struct pk_session_opts opts;
	struct pk_err err = { 0 };

	p->i = i;
	s->addr(s->addr_ctx, i, p->host, sizeof p->host);
	pk_session_opts_set(&opts, deadline, s->trace, NULL, NULL);
	nut_init(&p->c, &opts);
	if (nut_begin(&p->c, p->host, s->port, &err) != 0) {
		enum pk_probe_state st = pk_conn_unsent(&p->c.conn) ? PK_PROBE_UNSENT : PK_PROBE_SILENT;

		nut_close(&p->c);
		return st;
	}
	/* All three at once: the server answers in order and closes after
	 * LOGOUT, so the probe costs one round trip. */
	if (nut_send(&p->c, "VER", 0, NULL, 0, &err) != 0 ||
	    nut_list_send(&p->c, "UPS", NULL, NULL, &err) != 0 ||
	    nut_send(&p->c, "LOGOUT", 0, NULL, 0, &err) != 0) {
		nut_close(&p->c);
		return PK_PROBE_UNSENT;
	}
	return PK_PROBE_RUNNING;
}

static struct pk_task
probe_task(void *ctx, size_t slot)
{
	struct nut_scan *s = ctx;

	return pk_conn_task(&s->slots[slot].c.conn);
}

/* 1 when every reply is in: the server closed, or said goodbye. */
static int
replies_in(const struct nut_client *c)
{
	size_t len, n = sizeof goodbye - 1;
	const char *in = pk_conn_pending(&c->conn, &len);
	const char *p;

	if (c->conn.peer_closed || c->conn.state == PK_CONN_FAILED)
		return 1;
	for (p = in; p != NULL && (size_t)(p - in) + n <= len; p = memchr(p, '\n', len - (size_t)(p - in))) {
		if (*p == '\n')
			p++;
		if ((size_t)(p - in) + n <= len && memcmp(p, goodbye, n) == 0)
			return 1;
	}
	return 0;
}

/* Keeps a server found (what it holds is the list's now). */
static enum pk_probe_state
add_found(struct nut_scan *s, struct nut_scan_server *srv)
{
	struct nut_scan_server *v = pk_array_grow(s->found, &s->capfound, s->nfound, sizeof *v);

	if (v == NULL) {
		nut_kvlist_free(&srv->ups);
		return PK_PROBE_ANSWERED;
	}
	s->found = v;
	s->found[s->nfound++] = *srv;
	return PK_PROBE_FOUND;
}

/* Reads the buffered replies: VER's, then LIST UPS's.  Returns how the
 * probe ended; a server found is appended to s->found. */
static enum pk_probe_state
read_replies(struct nut_scan *s, struct nut_scan_slot *p)
{
	struct nut_scan_server srv;
	struct pk_err err = { 0 };
	size_t got;
	int rc;

	pk_conn_pending(&p->c.conn, &got);
	if (got == 0)
		return PK_PROBE_SILENT;
	memset(&srv, 0, sizeof srv);
	/* Nothing more will come: the parsers must not wait. */
	p->c.opts.deadline = pk_now_ms();
	rc = nut_reply(&p->c, "VER", &err);
	if (rc == 0)
		nut_version_text(&p->c.words, srv.version, sizeof srv.version);
	else if (rc == PK_ECOMM)
		return PK_PROBE_ANSWERED;
	/* An ERR to VER (an old or minimal server) still leaves LIST UPS. */
	rc = nut_list_read(&p->c, NULL, 1, 2, &srv.ups, &err);
	srv.login_needed = rc == PK_EAUTH;
	if ((rc != 0 && !srv.login_needed) || (rc == 0 && srv.ups.n == 0)) {
		nut_kvlist_free(&srv.ups);
		return PK_PROBE_ANSWERED;
	}
	snprintf(srv.host, sizeof srv.host, "%s", p->host);
	snprintf(srv.port, sizeof srv.port, "%s", s->port);
	srv.order = p->i;
	return add_found(s, &srv);
}

static enum pk_probe_state
probe_check(void *ctx, size_t slot, int expired)
{
	struct nut_scan *s = ctx;
	struct nut_scan_slot *p = &s->slots[slot];
	enum pk_probe_state st;

	if (!expired && !replies_in(&p->c))
		return PK_PROBE_RUNNING;
	st = read_replies(s, p);
	/* The LOGOUT is sent; close without another. */
	pk_conn_close(&p->c.conn);
	nut_close(&p->c);
	return st;
}

struct pk_probe_ops
nut_scan_ops(struct nut_scan *s)
{
	struct pk_probe_ops ops = { probe_start, probe_task, probe_check, s };

	return ops;
}

static int
by_order(const void *pa, const void *pb)
{
	const struct nut_scan_server *a = pa, *b = pb;

	return a->order < b->order ? -1 : a->order > b->order;
}

void
nut_scan_sort(struct nut_scan *s)
{
	if (s->nfound > 1)
		qsort(s->found, s->nfound, sizeof *s->found, by_order);
}

void
nut_scan_free(struct nut_scan *s)
{
	size_t i;

	for (i = 0; i < s->nfound; i++)
		nut_kvlist_free(&s->found[i].ups);
	free(s->found);
	free(s->slots);
	s->found = NULL;
	s->slots = NULL;
	s->nfound = s->capfound = s->nslots = 0;
}
