/* discover.c — see wattbox/discover.h. */
#include "wattbox/discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/net.h"

struct wb_discover_slot {
	struct pk_conn c;
	size_t i;
	char host[256];
};

/* What a telnet WattBox says before anything is written to it (the
 * Integration Protocol: a banner, then a prompt without a newline; a
 * locked API says so instead and closes). */
static const char *const telnet_marks[] = {
	"Please Login to Continue", "Username: ", "API is locked", NULL
};

/* An HTTP reply is no longer than this (the info XML is ~1 KiB). */
#define HTTP_MAX_REPLY (64 * 1024)

int
wb_discover_init(struct wb_discover *d, size_t parallel, struct pk_err *err)
{
	d->nslots = parallel;
	d->slots = calloc(parallel ? parallel : 1, sizeof *d->slots);
	return d->slots != NULL ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

static void
trace(const struct wb_discover *d, char dir, const char *fmt, const char *a, const char *b)
{
	char line[600];

	if (d->trace == NULL || d->trace->fn == NULL)
		return;
	snprintf(line, sizeof line, fmt, a, b);
	d->trace->fn(d->trace->ctx, dir, line);
}

static enum pk_probe_state
probe_start(void *ctx, size_t i, size_t slot, int64_t deadline)
{
	struct wb_discover *d = ctx;
	struct wb_discover_slot *p = &d->slots[slot];
	struct pk_buf req = { 0 };
	int rc;

	p->i = i;
	d->addr(d->addr_ctx, i, p->host, sizeof p->host);
	pk_conn_init(&p->c);
	p->c.max_in = HTTP_MAX_REPLY;
	trace(d, '*', "connecting to %s port %s", p->host, d->port);
	if (pk_conn_begin(&p->c, p->host, d->port, SOCK_STREAM, deadline, NULL) != 0) {
		enum pk_probe_state st = pk_conn_unsent(&p->c) ? PK_PROBE_UNSENT : PK_PROBE_SILENT;

		pk_conn_close(&p->c);
		return st;
	}
	if (!d->http)
		return PK_PROBE_RUNNING;  /* telnet: listen only, write nothing */
	/* The legacy API answers 400 without this User-Agent; no
	 * Authorization header: a 401 is the answer wanted. */
	pk_buf_printf(&req, "GET /wattbox_info.xml HTTP/1.1\r\nHost: %s\r\nUser-Agent: APP\r\n"
	              "Connection: close\r\n\r\n", p->host);
	trace(d, '>', "GET /wattbox_info.xml%s%s", "", "");
	rc = req.data != NULL ? pk_conn_queue(&p->c, req.data, req.len) : PK_ECOMM;
	pk_buf_free(&req);
	if (rc != 0) {
		pk_conn_close(&p->c);
		return PK_PROBE_UNSENT;
	}
	return PK_PROBE_RUNNING;
}

static struct pk_task
probe_task(void *ctx, size_t slot)
{
	struct wb_discover *d = ctx;

	return pk_conn_task(&d->slots[slot].c);
}

/* Where s starts in the n bytes at p (which may hold NULs), or NULL. */
static const char *
find(const char *p, size_t n, const char *s)
{
	size_t len = strlen(s), k;

	for (k = 0; len > 0 && k + len <= n; k++)
		if (p[k] == s[0] && memcmp(p + k, s, len) == 0)
			return p + k;
	return NULL;
}

static int
holds(const char *p, size_t n, const char *s)
{
	return find(p, n, s) != NULL;
}

/* The telnet banner, prompt or lockout line: 1 (*locked set), or 0. */
static int
telnet_wattbox(const char *in, size_t n, int *locked)
{
	size_t k;

	for (k = 0; telnet_marks[k] != NULL; k++)
		if (holds(in, n, telnet_marks[k])) {
			*locked = k == 2;
			return 1;
		}
	return 0;
}

/* An HTTP reply from a WattBox: 1, with the model when the XML came. */
static int
http_wattbox(const char *in, size_t n, char *model, size_t modellen)
{
	const char *tag = "<hardware_version>", *v, *end;
	const char *eol = memchr(in, '\n', n);
	size_t head = eol != NULL ? (size_t)(eol - in) : n;

	if (n < 12 || strncmp(in, "HTTP/1.", 7) != 0)
		return 0;
	if (holds(in, head, " 401") && holds(in, n, "WattBox"))
		return 1;  /* the realm names it: the credentials stay unsent */
	if (!holds(in, head, " 200") || (v = find(in, n, tag)) == NULL)
		return 0;
	v += strlen(tag);
	end = memchr(v, '<', n - (size_t)(v - in));
	if (end != NULL)
		snprintf(model, modellen, "%.*s", (int)(end - v), v);
	return 1;
}

static enum pk_probe_state
add_found(struct wb_discover *d, struct wb_discover_slot *p, const struct wb_found *f)
{
	struct wb_found *v = pk_array_grow(d->found, &d->capfound, d->nfound, sizeof *v);

	if (v == NULL)
		return PK_PROBE_ANSWERED;
	d->found = v;
	v = &d->found[d->nfound++];
	*v = *f;
	v->order = p->i;
	v->http = d->http;
	snprintf(v->host, sizeof v->host, "%s", p->host);
	snprintf(v->port, sizeof v->port, "%s", d->port);
	return PK_PROBE_FOUND;
}

static enum pk_probe_state
probe_check(void *ctx, size_t slot, int expired)
{
	struct wb_discover *d = ctx;
	struct wb_discover_slot *p = &d->slots[slot];
	struct wb_found f;
	size_t n;
	const char *in = pk_conn_pending(&p->c, &n);
	int ended = expired || p->c.peer_closed || p->c.state == PK_CONN_FAILED;
	enum pk_probe_state st = n > 0 ? PK_PROBE_ANSWERED : PK_PROBE_SILENT;

	memset(&f, 0, sizeof f);
	/* Telnet ends at the first sign; HTTP when the server closed (the
	 * legacy API sends no Content-Length). */
	if (!d->http && n > 0 && telnet_wattbox(in, n, &f.locked))
		st = add_found(d, p, &f);
	else if (d->http && ended && n > 0 && http_wattbox(in, n, f.model, sizeof f.model))
		st = add_found(d, p, &f);
	else if (!ended)
		return PK_PROBE_RUNNING;
	if (st == PK_PROBE_FOUND)
		trace(d, '*', "%s: a WattBox%s", p->host, f.locked ? " (API locked)" : "");
	pk_conn_close(&p->c);
	return st;
}

struct pk_probe_ops
wb_discover_ops(struct wb_discover *d)
{
	struct pk_probe_ops ops = { probe_start, probe_task, probe_check, d };

	return ops;
}

static int
by_order(const void *pa, const void *pb)
{
	const struct wb_found *a = pa, *b = pb;

	return a->order < b->order ? -1 : a->order > b->order;
}

void
wb_discover_sort(struct wb_discover *d)
{
	if (d->nfound > 1)
		qsort(d->found, d->nfound, sizeof *d->found, by_order);
}

void
wb_discover_free(struct wb_discover *d)
{
	free(d->found);
	free(d->slots);
	d->found = NULL;
	d->slots = NULL;
	d->nfound = d->capfound = d->nslots = 0;
}
