#include "nut/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/net.h"
#include "core/session.h"
#include "nut/pipeline.h"

/* What one group of replies on a connection answers. */
enum step_kind {
	STEP_LIST_UPS,   /* LIST UPS of an @host */
	STEP_LIST_VAR,   /* LIST VAR ups */
	STEP_GET_VARS,   /* GET VAR ups var, one reply per variable */
	STEP_LOGIN,      /* USERNAME, PASSWORD: the server's, before the rest */
	STEP_UPS_LOGIN,  /* LOGIN ups (opts.login), after them */
	STEP_STARTTLS    /* STARTTLS alone: the rest is queued behind its reply */
};

struct step {
	enum step_kind kind;
	size_t ups;      /* index in b->ups */
	size_t replies;  /* how many replies it reads */
};

enum server_state { SRV_QUEUED, SRV_RUNNING, SRV_DONE };

struct nut_batch_server {
	char host[256], port[8];
	char ups[sizeof ((struct pk_target *)0)->name];  /* opts.login: its one UPS */
	int logged_in;            /* LOGIN ups answered OK on the open connection */
	int logged_out;           /* nut_batch_logout: no LOGIN any more */
	enum server_state state;
	struct nut_client c;
	struct step *steps;
	size_t nsteps, capsteps, next;  /* next: the step whose replies come next */
	/* The framing scanner, over the unread input: bytes scanned, complete
	 * replies in them, and whether a LIST block is open at their end. */
	size_t scanned, ready;
	int in_list;
	size_t list_lines, list_bytes;  /* of the open LIST block, as nut_list_next counts */
	struct pk_err login_err;  /* a refused login: every target's error */
	int open;                 /* opts.keep: the connection stays for the next run */
	int64_t hold_until;       /* opts.keep: not asked by runs starting before */
	int awaiting_tls;         /* the requests wait for STARTTLS's reply */
	const struct nut_batch_opts *bo;  /* for the warn callback */
};

/* Unread input past this, with no newline, is no NUT reply line. */
#define SCAN_MAX_LINE NUT_MAX_LINE

/* Pipelined replies of many UPSes may be buffered at once; a list is
 * handed to its parser once over its budget, so this is never reached
 * before the budget is (the connection reads at most PK_READ_MAX more
 * between two scans). */
#define BATCH_MAX_IN (2 * NUT_LIST_MAX_BYTES)

static int
oom(struct pk_err *err)
{
	return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

void
nut_batch_init(struct nut_batch *b, const struct nut_batch_opts *opts)
{
	memset(b, 0, sizeof *b);
	b->opts = *opts;
	if (b->opts.parallel == 0)
		b->opts.parallel = 1;
}

/* The connection a target goes over: its server's, or with opts.login
 * (one LOGIN per connection) its own. */
static long
find_server(const struct nut_batch *b, const struct pk_target *t)
{
	size_t i;

	for (i = 0; i < b->nservers; i++)
		if (strcmp(b->servers[i].host, t->host) == 0 && strcmp(b->servers[i].port, t->port) == 0 &&
		    (!b->opts.login || strcmp(b->servers[i].ups, t->name) == 0))
			return (long)i;
	return -1;
}

static int
add_server(struct nut_batch *b, const struct pk_target *t, size_t *idx)
{
	long found = find_server(b, t);
	struct nut_batch_server *s;

	if (found >= 0) {
		*idx = (size_t)found;
		return 0;
	}
	if ((s = pk_array_grow(b->servers, &b->capservers, b->nservers, sizeof *s)) == NULL)
		return -1;
	b->servers = s;
	s = &b->servers[b->nservers];
	memset(s, 0, sizeof *s);
	snprintf(s->host, sizeof s->host, "%s", t->host);
	snprintf(s->port, sizeof s->port, "%s", t->port);
	if (b->opts.login)
		snprintf(s->ups, sizeof s->ups, "%s", t->name);
	*idx = b->nservers++;
	return 0;
}

/* u's label and name in one block: "label\0name\0". */
static int
set_names(struct nut_batch_ups *u, const struct pk_target *t)
{
	char label[sizeof t->name + 300];
	size_t llen, nlen = strlen(t->name);

	pk_target_label(t, label, sizeof label);
	llen = strlen(label);
	if ((u->label = malloc(llen + 1 + nlen + 1)) == NULL)
		return -1;
	memcpy(u->label, label, llen + 1);
	memcpy(u->label + llen + 1, t->name, nlen + 1);
	u->name = u->label + llen + 1;
	return 0;
}

/* Appends a target; *out is its index. */
static int
add_ups(struct nut_batch *b, const struct pk_target *t, size_t origin, size_t seq,
        size_t *out)
{
	struct nut_batch_ups *u;
	size_t server;

	if (add_server(b, t, &server) != 0)
		return -1;
	if ((u = pk_array_grow(b->ups, &b->capups, b->nups, sizeof *u)) == NULL)
		return -1;
	b->ups = u;
	u = &b->ups[b->nups];
	memset(u, 0, sizeof *u);
	if (set_names(u, t) != 0)
		return -1;
	u->origin = origin;
	u->seq = seq;
	u->server = server;
	u->expand = t->name[0] == '\0';
	*out = b->nups++;
	return 0;
}

int
nut_batch_add(struct nut_batch *b, const struct pk_target *t, struct pk_err *err)
{
	size_t idx;

	return add_ups(b, t, b->nups, 0, &idx) == 0 ? 0 : oom(err);
}

int
nut_batch_reserve(struct nut_batch *b, size_t n, struct pk_err *err)
{
	struct nut_batch_ups *u;

	if (n <= b->capups)
		return 0;
	if (n > (size_t)-1 / sizeof *u || (u = realloc(b->ups, n * sizeof *u)) == NULL)
		return oom(err);
	b->ups = u;
	b->capups = n;
	return 0;
}

void
nut_batch_target(const struct nut_batch *b, const struct nut_batch_ups *u, struct pk_target *t)
{
	const struct nut_batch_server *s = &b->servers[u->server];

	snprintf(t->name, sizeof t->name, "%s", u->name);
	snprintf(t->host, sizeof t->host, "%s", s->host);
	snprintf(t->port, sizeof t->port, "%s", s->port);
	t->has_name = 1;  /* every target here came as ups@host or @host */
}

const struct pk_err *
nut_batch_error(const struct nut_batch_ups *u)
{
	static const struct pk_err answered = { 0 };

	return u->err != NULL ? u->err : &answered;
}

/* Keeps e as u's failure (nothing when e is none): 0, or -1 when memory
 * ran out. */
static int
keep_err(struct nut_batch_ups *u, const struct pk_err *e)
{
	if (e->status == 0)
		return 0;
	if (u->err == NULL && (u->err = malloc(sizeof *u->err)) == NULL)
		return -1;
	*u->err = *e;
	return 0;
}

/* Forgets u's result: its variables and its errors. */
static void
clear_result(struct nut_batch_ups *u)
{
	nut_kvlist_free(&u->vars);
	free(u->errs);
	free(u->err);
	u->errs = NULL;
	u->err = NULL;
}

static int
add_step(struct nut_batch_server *s, enum step_kind kind, size_t ups, size_t replies)
{
	struct step *steps = pk_array_grow(s->steps, &s->capsteps, s->nsteps, sizeof *steps);

	if (steps == NULL)
		return -1;
	s->steps = steps;
	s->steps[s->nsteps++] = (struct step){ kind, ups, replies };
	return 0;
}

/* Queues the requests of target i on its server's connection and the
 * step that will read their replies.  A request that cannot be sent
 * (a UPS name upsd cannot take) fails that target alone. */
static int
queue_ups(struct nut_batch *b, size_t i)
{
	struct nut_batch_ups *u = &b->ups[i];
	struct nut_batch_server *s = &b->servers[u->server];
	struct pk_err err = { 0 };
	size_t k;

	if (u->expand) {
		if (nut_list_send(&s->c, "UPS", NULL, NULL, &err) != 0)
			return keep_err(u, &err);
		return add_step(s, STEP_LIST_UPS, i, 1);
	}
	if (b->opts.vars == NULL) {
		if (nut_list_send(&s->c, "VAR", u->name, NULL, &err) != 0)
			return keep_err(u, &err);
		return add_step(s, STEP_LIST_VAR, i, 1);
	}
	for (k = 0; k < b->opts.nvars; k++)
		if (nut_kvlist_add(&u->vars, b->opts.vars[k], NULL) != 0)
			return -1;
	if ((u->errs = calloc(b->opts.nvars ? b->opts.nvars : 1, sizeof *u->errs)) == NULL)
		return -1;
	if (nut_get_many_send(&s->c, "VAR", u->name, &u->vars, &err) != 0)
		return keep_err(u, &err);
	return add_step(s, STEP_GET_VARS, i, b->opts.nvars);
}

/* A server's note, prefixed with it, to the run's warn callback. */
static void
server_warn(void *ctx, const char *line)
{
	const struct nut_batch_server *s = ctx;

	if (s->bo->warn != NULL) {
		char note[PK_ERR_MSG_MAX + 300];

		snprintf(note, sizeof note, "%s: %s", s->c.where, line);
		s->bo->warn(s->bo->warn_ctx, note);
	}
}

/* Every target of server si fails with err: 0, or -1 when memory ran
 * out. */
static int
fail_server_targets(struct nut_batch *b, size_t si, const struct pk_err *err)
{
	size_t i;

	for (i = 0; i < b->nups; i++)
		if (b->ups[i].server == si && keep_err(&b->ups[i], err) != 0)
			return -1;
	return 0;
}

/* Queues USERNAME and PASSWORD when there is a user, then with
 * opts.login LOGIN ups (unless logged out): 0 (err set when they cannot
 * be sent), -1 when memory ran out. */
static int
queue_login(struct nut_batch *b, struct nut_batch_server *s, struct pk_err *err)
{
	const char *const ups[1] = { s->ups };
	size_t sent;

	if (b->opts.user == NULL ||
	    nut_auth_send(&s->c, b->opts.user, b->opts.pass, &sent, err) != 0)
		return 0;
	if (add_step(s, STEP_LOGIN, (size_t)-1, sent) != 0)
		return -1;
	if (!b->opts.login || s->logged_out || s->ups[0] == '\0' ||
	    nut_send(&s->c, "LOGIN", 1, ups, 0, err) != 0)
		return 0;
	return add_step(s, STEP_UPS_LOGIN, (size_t)-1, 1);
}

/* LOGIN's reply.  upsd checks the credentials only now (USERNAME and
 * PASSWORD are stored unchecked), and refuses a right the user lacks
 * with the same ERR ACCESS-DENIED: the message names both causes. */
static void
ups_login_read(struct nut_batch_server *s)
{
	if (nut_reply(&s->c, "LOGIN", &s->login_err) == 0)
		s->logged_in = 1;
	else if (strcmp(s->login_err.kind, "ACCESS-DENIED") == 0)
		pk_err_set(&s->login_err, PK_EAUTH, "ACCESS-DENIED",
		           "LOGIN %s refused: wrong user name or password, or no LOGIN right "
		           "('upsmon secondary' in upsd.users) (server said ERR ACCESS-DENIED)", s->ups);
}

/* Queues every request of server si's targets. */
static int
queue_requests(struct nut_batch *b, size_t si)
{
	size_t i;

	for (i = 0; i < b->nups; i++)
		if (b->ups[i].server == si && queue_ups(b, i) != 0)
			return -1;
	return 0;
}

/* Opens server si's connection, with STARTTLS alone first when TLS is
 * asked for (the rest waits for its reply: awaiting_tls), else with the
 * login first when there is a user: 0, 1 when it cannot even start (no
 * such host: each of its targets then fails with that error), -1 when
 * memory ran out. */
static int
connect_server(struct nut_batch *b, size_t si)
{
	struct nut_batch_server *s = &b->servers[si];
	struct pk_session_opts opts;
	struct pk_err err = { 0 };
	int tls = b->opts.tls != NULL && b->opts.tls->mode != PK_TLS_OFF;

	s->bo = &b->opts;
	pk_session_opts_set(&opts, pk_deadline_in(b->opts.timeout_ms), b->opts.trace, server_warn, s);
	nut_init(&s->c, &opts);
	if (tls)
		nut_set_tls(&s->c, b->opts.tls);
	s->c.conn.max_in = BATCH_MAX_IN;
	if (nut_begin(&s->c, s->host, s->port, &err) == 0) {
		if (!tls && queue_login(b, s, &err) != 0)
			return -1;
		if (tls && nut_starttls_send(&s->c, &err) == 0) {
			if (add_step(s, STEP_STARTTLS, (size_t)-1, 1) != 0)
				return -1;
			s->awaiting_tls = 1;
		}
	}
	if (err.status == 0)
		return 0;
	nut_close(&s->c);
	s->state = SRV_DONE;
	return fail_server_targets(b, si, &err) != 0 ? -1 : 1;
}

/* Starts server si: its deadline, the connect (or the connection kept
 * from the run before), and every request of its targets (with TLS, once
 * STARTTLS is answered).  A held server is left alone, its targets
 * marked skipped. */
static int
start_server(struct nut_batch *b, size_t si)
{
	struct nut_batch_server *s = &b->servers[si];
	size_t i;
	int rc = 0;

	if (s->hold_until > pk_now_ms()) {
		for (i = 0; i < b->nups; i++)
			b->ups[i].skipped |= b->ups[i].server == si;
		s->state = SRV_DONE;
		return 0;
	}
	s->state = SRV_RUNNING;
	s->login_err = (struct pk_err){ 0 };
	if (s->open)
		s->c.opts.deadline = pk_deadline_in(b->opts.timeout_ms);
	else
		rc = connect_server(b, si);
	s->open = 0;
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return s->awaiting_tls ? 0 : queue_requests(b, si);
}

/* STARTTLS was answered: with TLS under way (or refused, with --tls=try)
 * the login and the requests follow; without TLS when it was required,
 * nothing else is sent and every target fails with the reason. */
static int
starttls_answered(struct nut_batch *b, struct nut_batch_server *s)
{
	size_t si = (size_t)(s - b->servers);
	struct pk_err err = { 0 };
	int rc = 0;

	s->awaiting_tls = 0;
	if (nut_starttls_read(&s->c, &err) == 0 && (rc = queue_login(b, s, &err)) == 0 &&
	    err.status == 0)
		rc = queue_requests(b, si);
	if (rc == 0 && err.status != 0)
		rc = fail_server_targets(b, si, &err);
	return rc;
}

/* 1 when the unread line at p (len bytes, no newline) starts with word. */
static int
line_starts(const char *p, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(p, word, n) == 0;
}

/* Counts one more item line (len bytes, no LF) of the open list as
 * nut_list_next does (without a CR before the LF); 1 when over budget. */
static int
list_over_budget(struct nut_batch_server *s, size_t len)
{
	const char *in;
	size_t avail;

	in = pk_conn_pending(&s->c.conn, &avail);
	if (len > 0 && in[s->scanned - 2] == '\r')
		len--;
	s->list_lines++;
	s->list_bytes += len + 1;
	return s->list_lines > NUT_LIST_MAX_LINES || s->list_bytes > NUT_LIST_MAX_BYTES;
}

/* Counts complete replies in the unread input, up to need. */
static void
scan_replies(struct nut_batch_server *s, size_t need)
{
	size_t avail;
	const char *in = pk_conn_pending(&s->c.conn, &avail);

	while (s->ready < need && s->scanned < avail) {
		const char *line = in + s->scanned;
		const char *nl = memchr(line, '\n', avail - s->scanned);
		size_t len;

		if (nl == NULL)
			return;
		len = (size_t)(nl - line);
		s->scanned += len + 1;
		if (s->in_list) {
			/* upsd ends a list with END LIST; an ERR there ends it too
			 * (the parser reports it), and so does going over the
			 * budget: the parser counts the same and fails there. */
			if (line_starts(line, len, "END LIST") || line_starts(line, len, "ERR") ||
			    list_over_budget(s, len)) {
				s->in_list = 0;
				s->ready++;
			}
		} else if (line_starts(line, len, "BEGIN LIST")) {
			s->in_list = 1;
			s->list_lines = s->list_bytes = 0;
		} else {
			s->ready++;
		}
	}
}

/* 1 when no more replies can come: the connection failed or was closed,
 * the deadline passed, or the peer sends a line no NUT server sends. */
static int
server_finished(struct nut_batch_server *s)
{
	size_t avail;

	pk_conn_pending(&s->c.conn, &avail);
	return s->c.conn.state == PK_CONN_FAILED || s->c.conn.peer_closed ||
	       pk_ms_left(s->c.opts.deadline) == 0 || avail - s->scanned > SCAN_MAX_LINE;
}

static int expand_host(struct nut_batch *b, size_t i, struct nut_kvlist *names);

/* Reads the replies of one step with the usual parsers.  They are all
 * buffered, or no more will come: either way nothing may wait, so the
 * connection's deadline is "now" while they run, and a parser that finds
 * its reply missing reports why (closed, timeout, refused, malformed). */
static int
run_step(struct nut_batch *b, struct nut_batch_server *s, const struct step *st)
{
	int whole_server = st->kind == STEP_LOGIN || st->kind == STEP_UPS_LOGIN ||
	                   st->kind == STEP_STARTTLS;
	struct nut_batch_ups *u = whole_server ? NULL : &b->ups[st->ups];
	int64_t deadline = pk_session_until(&s->c.opts, pk_now_ms());
	struct nut_kvlist names = { 0 };
	struct pk_err err = { 0 };  /* the target's failure */
	int rc = 0;

	switch (st->kind) {
	case STEP_LIST_UPS:
		if (nut_list_read(&s->c, NULL, 1, -1, &names, &err) == 0 &&
		    nut_names_sendable(&names, "UPS", &err) == 0)
			rc = expand_host(b, st->ups, &names);
		nut_kvlist_free(&names);
		break;
	case STEP_LIST_VAR:
		nut_list_read(&s->c, NULL, 2, 3, &u->vars, &err);
		break;
	case STEP_GET_VARS:
		nut_get_many_read(&s->c, "VAR", u->name, &u->vars, u->errs, &err);
		break;
	case STEP_LOGIN:
		nut_auth_read(&s->c, st->replies, &s->login_err);
		break;
	case STEP_UPS_LOGIN:
		if (s->login_err.status == 0)
			ups_login_read(s);
		break;
	case STEP_STARTTLS:
		rc = starttls_answered(b, s);
		break;
	}
	if (u != NULL) {
		/* Behind a refused login, whatever the server said is its echo. */
		if (s->login_err.status != 0)
			err = s->login_err;
		/* An expansion may have moved the array. */
		if (rc == 0 && keep_err(&b->ups[st->ups], &err) != 0)
			rc = -1;
	}
	pk_session_until(&s->c.opts, deadline);
	return rc;
}

/* An @host's LIST UPS came: one target per UPS, queued on the same
 * connection behind what is in flight. */
static int
expand_host(struct nut_batch *b, size_t i, struct nut_kvlist *names)
{
	size_t k, idx;

	for (k = 0; k < names->n; k++) {
		struct pk_target t;

		nut_batch_target(b, &b->ups[i], &t);
		snprintf(t.name, sizeof t.name, "%s", names->v[k].name);
		if (add_ups(b, &t, b->ups[i].origin, k + 1, &idx) != 0 || queue_ups(b, idx) != 0)
			return -1;
	}
	return 0;
}

/* 1 when server si's connection can carry the next run: open, within
 * its deadline, nothing unread, and no target there failed to talk. */
static int
connection_reusable(const struct nut_batch *b, size_t si)
{
	const struct nut_batch_server *s = &b->servers[si];
	size_t i, avail;

	pk_conn_pending(&s->c.conn, &avail);
	if (s->c.conn.state != PK_CONN_OPEN || s->c.conn.peer_closed || avail > 0 ||
	    pk_ms_left(s->c.opts.deadline) == 0 || s->login_err.status != 0)
		return 0;
	for (i = 0; i < b->nups; i++)
		if (b->ups[i].server == si && nut_batch_error(&b->ups[i])->status == PK_ECOMM)
			return 0;
	return 1;
}

/* Runs every step of server si whose replies are in; when no more can
 * come, the rest too (each then fails with the reason).  The server is
 * done when every step ran. */
static int
advance_server(struct nut_batch *b, size_t si)
{
	struct nut_batch_server *s = &b->servers[si];

	nut_trace_tls(&s->c);
	while (s->next < s->nsteps) {
		struct step st = s->steps[s->next];
		size_t before, after;
		int complete;

		scan_replies(s, st.replies);
		complete = s->ready >= st.replies;
		if (!complete && !server_finished(s))
			return 0;
		pk_conn_pending(&s->c.conn, &before);
		s->next++;
		if (run_step(b, s, &st) != 0)
			return -1;
		s = &b->servers[si];  /* an expansion may have moved the array */
		if (complete) {
			/* The scanner's framing is the truth: a parser that stopped
			 * early (a whole-UPS error) leaves no reply behind for the
			 * next target. */
			pk_conn_pending(&s->c.conn, &after);
			if (before - after < s->scanned)
				pk_conn_consume(&s->c.conn, s->scanned - (before - after));
			s->scanned = s->ready = 0;
			s->in_list = 0;
		}
	}
	free(s->steps);
	s->steps = NULL;
	s->nsteps = s->capsteps = s->next = 0;
	s->state = SRV_DONE;
	if (b->opts.keep && connection_reusable(b, si)) {
		s->open = 1;
	} else {
		nut_close(&s->c);
		s->logged_in = 0;
	}
	return 0;
}

/* Starts queued servers while fewer than `parallel` run. */
static int
start_more(struct nut_batch *b, size_t *running)
{
	size_t i;

	for (i = 0; i < b->nservers && *running < b->opts.parallel; i++) {
		if (b->servers[i].state != SRV_QUEUED)
			continue;
		if (start_server(b, i) != 0)
			return -1;
		if (b->servers[i].state == SRV_RUNNING)
			(*running)++;
	}
	return 0;
}

/* One poll over the running connections, until an event or the earliest
 * deadline. */
static int
poll_running(struct nut_batch *b, struct pk_task *ts)
{
	int64_t until = 0;
	size_t i, n = 0;

	for (i = 0; i < b->nservers; i++) {
		struct nut_batch_server *s = &b->servers[i];

		if (s->state != SRV_RUNNING)
			continue;
		ts[n++] = pk_conn_task(&s->c.conn);
		if (until == 0 || s->c.opts.deadline < until)
			until = s->c.opts.deadline;
	}
	if (n > 0)
		pk_poll_tasks(ts, n, until);  /* a timeout is each server's business */
	return 0;
}

static int
by_order(const void *pa, const void *pb)
{
	const struct nut_batch_ups *a = pa, *b = pb;

	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Puts the targets in the order given, each @host replaced by its UPSes
 * (an @host whose LIST UPS failed stays, with its error). */
static void
final_order(struct nut_batch *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->nups; i++) {
		struct nut_batch_ups *u = &b->ups[i];

		if (u->expand && u->err == NULL) {
			clear_result(u);
			free(u->label);
			continue;
		}
		if (n != i)
			b->ups[n] = *u;
		n++;
	}
	b->nups = n;
	qsort(b->ups, b->nups, sizeof *b->ups, by_order);
}

/* Before a run that follows another (opts.keep): every result goes,
 * every server is asked again. */
static void
rearm(struct nut_batch *b)
{
	size_t i;

	for (i = 0; i < b->nups; i++) {
		struct nut_batch_ups *u = &b->ups[i];

		clear_result(u);
		u->skipped = 0;
	}
	for (i = 0; i < b->nservers; i++)
		b->servers[i].state = SRV_QUEUED;
}

int
nut_batch_run(struct nut_batch *b, struct pk_err *err)
{
	struct pk_task *ts = calloc(b->nservers ? b->nservers : 1, sizeof *ts);
	size_t i, running = 0;
	int rc = ts != NULL ? 0 : -1;

	if (b->runs++ > 0)
		rearm(b);

	while (rc == 0) {
		rc = start_more(b, &running);
		if (rc != 0 || running == 0)
			break;
		poll_running(b, ts);
		for (i = 0; rc == 0 && i < b->nservers; i++) {
			if (b->servers[i].state != SRV_RUNNING)
				continue;
			rc = advance_server(b, i);
			if (b->servers[i].state == SRV_DONE)
				running--;
		}
	}
	free(ts);
	if (rc != 0)
		return oom(err);
	final_order(b);
	return 0;
}

void
nut_batch_hold(struct nut_batch *b, size_t server, int64_t until)
{
	if (server < b->nservers)
		b->servers[server].hold_until = until;
}

int
nut_batch_logout(struct nut_batch *b, size_t server)
{
	struct nut_batch_server *s;
	int held;

	if (server >= b->nservers)
		return 0;
	s = &b->servers[server];
	held = s->logged_in && s->open;
	s->logged_out = 1;
	if (s->open) {
		nut_close(&s->c);  /* LOGOUT, without waiting for its reply */
		s->open = 0;
	}
	s->logged_in = 0;
	return held;
}

int
nut_batch_connected(const struct nut_batch *b, size_t server)
{
	return server < b->nservers && b->servers[server].open;
}

int
nut_batch_status(const struct nut_batch *b, const struct nut_batch_ups *u)
{
	if (u->err != NULL)
		return u->err->status;
	return u->errs != NULL ? nut_first_failure(u->errs, b->opts.nvars) : 0;
}

int
nut_batch_worst(const struct nut_batch *b)
{
	int worst = 0;
	size_t i;

	for (i = 0; i < b->nups; i++)
		worst = pk_status_worse(worst, nut_batch_status(b, &b->ups[i]));
	return worst;
}

void
nut_batch_free(struct nut_batch *b)
{
	size_t i;

	for (i = 0; i < b->nups; i++) {
		clear_result(&b->ups[i]);
		free(b->ups[i].label);
	}
	for (i = 0; i < b->nservers; i++) {
		if (b->servers[i].state == SRV_RUNNING || b->servers[i].open)
			nut_close(&b->servers[i].c);
		free(b->servers[i].steps);
	}
	free(b->ups);
	free(b->servers);
	memset(b, 0, sizeof *b);
}
