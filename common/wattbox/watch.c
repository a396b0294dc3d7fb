/* watch.c — see wattbox/watch.h. */
#include "wattbox/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/net.h"

/* The parts read after each login, and polled after that. */
#define READ_PARTS (WB_PART_STATUS | WB_PART_POWER | WB_PART_UPS)
#define POLL_PARTS (WB_PART_POWER | WB_PART_UPS)

void
wb_watch_init(struct wb_watcher *w)
{
	w->phase = WBW_START;
	w->at = pk_now_ms();
	w->fails = 0;
	w->judged = 0;
	w->lock_told = 0;
	w->rc = 0;
	pk_err_clear(&w->err);
}

static struct pk_event *
set(struct wb_watcher *w, const char *key, const char *state, enum pk_check_state level,
    time_t when)
{
	struct pk_watch_target *t = pk_watch_target(w->states, w->target);

	return t != NULL ? pk_watch_set(w->states, t, key, state, level, when, w->evs) : NULL;
}

/* The state key has now ("" when none). */
static const char *
state_of(struct wb_watcher *w, const char *key)
{
	struct pk_watch_target *t = pk_watch_target(w->states, w->target);
	struct pk_watch_key *k = t != NULL ? pk_watch_key(w->states, t, key) : NULL;

	return k != NULL ? k->state : "";
}

static void
judge_outlets(struct wb_watcher *w, time_t when)
{
	const struct wb_status *st = &w->r.st;
	char key[32], num[16];

	for (int i = 0; i < st->count; i++) {
		struct pk_event *e;

		snprintf(key, sizeof key, "outlet.%d", i + 1);
		e = set(w, key, st->o[i].on ? "OUTLET_ON" : "OUTLET_OFF", PK_CHECK_OK, when);
		if (e == NULL)
			continue;
		snprintf(num, sizeof num, "%d", i + 1);
		pk_event_value(e, "outlet", num);
		pk_event_value(e, "name", st->o[i].name);
	}
}

/* POWER_LOST under WB_POWER_LOST_V; restored only once back over it by
 * the hysteresis, so a voltage hovering at the limit does not flap. */
static void
judge_power(struct wb_watcher *w, time_t when)
{
	const struct wb_power *p = &w->r.power;
	double limit = WB_POWER_LOST_V;
	struct pk_event *e;
	char num[32];
	int lost;

	if (!(w->r.have & WB_PART_POWER) || !p->supported)
		return;
	if (strcmp(state_of(w, "power"), "POWER_LOST") == 0)
		limit *= 1 + w->hysteresis / 100;
	lost = p->volts < limit;
	e = set(w, "power", lost ? "POWER_LOST" : "POWER_RESTORED",
	        lost ? PK_CHECK_CRITICAL : PK_CHECK_OK, when);
	if (e != NULL) {
		snprintf(num, sizeof num, "%g", p->volts);
		pk_event_value(e, "voltage", num);
	}
}

/* The UPS's own "power lost" flag: it runs on its battery. */
static void
judge_ups(struct wb_watcher *w, time_t when)
{
	const struct wb_ups *u = &w->r.ups;
	struct pk_event *e;
	char num[32];
	int onbatt;

	if (!(w->r.have & WB_PART_UPS) || !u->supported || !u->connected || !u->have_status ||
	    (onbatt = wb_flag(u->power_lost)) < 0)
		return;
	e = set(w, "ups", onbatt ? "UPS_ON_BATTERY" : "UPS_ONLINE",
	        onbatt ? PK_CHECK_WARNING : PK_CHECK_OK, when);
	if (e == NULL)
		return;
	snprintf(num, sizeof num, "%g", u->charge);
	pk_event_value(e, "ups.charge", num);
	/* The unit says minutes; seconds as everywhere else (--check). */
	snprintf(num, sizeof num, "%g", u->runtime_min * 60);
	pk_event_value(e, "ups.runtime", num);
}

int
wb_watch_push(struct wb_watcher *w, const char *states_text, time_t when)
{
	int states[WB_MAX_OUTLETS], n = wb_parse_states(states_text, states, WB_MAX_OUTLETS);

	if (n <= 0 || n != w->r.st.count)
		return 0;
	for (int i = 0; i < n; i++)
		w->r.st.o[i].on = states[i];
	if (w->judged)
		judge_outlets(w, when);
	return 1;
}

/* The session's hook: each ~OutletStatus= as it is taken.  Before the
 * first judgement after a login the states are only kept: the read's
 * end judges them. */
static void
on_push(void *ctx, const char *states_text)
{
	wb_watch_push(ctx, states_text, time(NULL));
}

/* The deadline of the step that starts now. */
static void
step_deadline(struct wb_watcher *w)
{
	w->c.opts.deadline = pk_now_ms() + w->timeout_ms;
}

static void
listen_until_poll(struct wb_watcher *w)
{
	w->phase = WBW_LISTEN;
	w->at = pk_now_ms() + w->period_ms;
	wb_listen_start(&w->c.s, w->at);
}

static void
read_start(struct wb_watcher *w, unsigned parts)
{
	w->phase = parts == READ_PARTS ? WBW_READ : WBW_POLL;
	step_deadline(w);
	wb_ip_read_init(&w->rd, &w->c, parts, NULL, &w->r);
	w->rd.metering = 0;      /* the outlets' power is no event */
	wb_ip_read_begin(&w->rd);
}

/* A try that failed: the session is closed (with !Exit where it was
 * logged in), COMMBAD, and the next try is set: after the backoff, after
 * the lockout, or never for refused credentials. */
static enum wb_watch_news
failed(struct wb_watcher *w, int rc, const struct pk_err *err, int64_t (*backoff)(unsigned))
{
	struct pk_event *e;
	int lock_s = w->c.s.lock_s;
	int locked = rc == PK_EAUTH && strcmp(err->kind, "locked") == 0;
	int first = state_of(w, "comm")[0] == '\0';
	enum wb_watch_news news;

	w->rc = rc;
	w->err = *err;
	wb_close(&w->c);
	if ((e = set(w, "comm", "COMMBAD", PK_CHECK_CRITICAL, time(NULL))) != NULL)
		snprintf(e->note, sizeof e->note, "%s", err->msg[0] ? err->msg : pk_status_name(rc));
	w->judged = 0;
	if (rc == PK_EAUTH && !locked) {
		w->phase = WBW_ENDED;
		return WBW_NEWS_GAVE_UP;
	}
	if (locked) {
		/* Never a try while it is locked: each would be one more failure. */
		int wait_s = lock_s >= 0 ? lock_s + 1 : WB_LOCK_DEFAULT_S;

		pk_err_set(&w->err, PK_EAUTH, "locked",
		           "API locked after failed logins: next login in %d min %d s", wait_s / 60,
		           wait_s % 60);
		w->at = pk_now_ms() + (int64_t)wait_s * 1000;
		news = w->lock_told ? WBW_NEWS_NONE : WBW_NEWS_LOCKED;
		w->lock_told = 1;
	} else {
		w->at = pk_now_ms() + backoff(++w->fails);
		news = first ? WBW_NEWS_FAILED : WBW_NEWS_NONE;
	}
	w->phase = w->once ? WBW_ENDED : WBW_DOWN;
	return news;
}

/* Connects: a transport that runs on the loop goes on with its open or
 * login in flight (whatever operation wb_open_begin left running); one
 * that does not is logged in here, blocking within -t. */
static enum wb_watch_news
try_open(struct wb_watcher *w, int64_t (*backoff)(unsigned))
{
	struct pk_err err = { 0 };
	int rc;

	w->opts.deadline = pk_now_ms() + w->timeout_ms;
	rc = wb_open_begin(&w->c, &w->cfg, &w->opts, &err);
	if (rc != 0)
		return failed(w, rc, &err, backoff);
	w->c.s.on_push = on_push;
	w->c.s.push_ctx = w;
	if (w->c.s.op != WB_OP_NONE)
		w->phase = WBW_LOGIN;
	else
		read_start(w, READ_PARTS);
	return WBW_NEWS_NONE;
}

/* A read or poll that ended well: the states judged, then listening. */
static void
judged(struct wb_watcher *w, int after_login)
{
	time_t now = time(NULL);

	if (after_login) {
		w->fails = 0;
		w->lock_told = 0;
		set(w, "comm", "COMMOK", PK_CHECK_OK, now);
		judge_outlets(w, now);
		w->judged = 1;
	}
	judge_power(w, now);
	judge_ups(w, now);
	if (w->once) {
		wb_close(&w->c);
		w->phase = WBW_ENDED;
	} else {
		listen_until_poll(w);
	}
}

/* After a poll of the loop: the unit's operation that ended moves it on. */
static enum wb_watch_news
advance(struct wb_watcher *w, int64_t (*backoff)(unsigned))
{
	if ((w->phase == WBW_START || w->phase == WBW_DOWN) && pk_now_ms() >= w->at)
		return try_open(w, backoff);
	if (w->phase == WBW_START || w->phase == WBW_DOWN || w->phase == WBW_ENDED ||
	    w->c.s.op != WB_OP_NONE)
		return WBW_NEWS_NONE;
	switch (w->phase) {
	case WBW_LOGIN:
		if (w->c.s.rc != 0)
			return failed(w, w->c.s.rc, &w->c.s.err, backoff);
		read_start(w, READ_PARTS);
		break;
	case WBW_LISTEN:
		if (w->c.s.rc != 0)
			return failed(w, w->c.s.rc, &w->c.s.err, backoff);
		read_start(w, POLL_PARTS);
		break;
	default:                     /* reading */
		wb_ip_read_next(&w->rd);
		break;
	}
	if ((w->phase == WBW_READ || w->phase == WBW_POLL) && !w->rd.running) {
		if (w->rd.rc != 0)
			return failed(w, w->rd.rc, &w->rd.err, backoff);
		judged(w, w->phase == WBW_READ);
	}
	return WBW_NEWS_NONE;
}

/* The loop's timer: wakes the poll when the next unit is due. */
struct timer {
	int64_t at;
};

static short
timer_want(void *ctx, int *fd, int64_t *wake)
{
	*fd = -1;
	*wake = ((struct timer *)ctx)->at;
	return 0;
}

static int
timer_handle(void *ctx, short revents)
{
	(void)ctx;
	(void)revents;
	return 0;
}

void
wb_watch_pass(struct wb_watcher *ws, size_t n, struct pk_watch *states, double hysteresis,
              int64_t (*backoff)(unsigned), int64_t max_wait, struct pk_events *evs,
              enum wb_watch_news *news)
{
	struct pk_task *tasks = calloc(n + 1, sizeof *tasks);
	struct timer timer = { pk_now_ms() + max_wait };
	size_t i;

	for (i = 0; i < n; i++) {
		ws[i].states = states;
		ws[i].evs = evs;
		ws[i].hysteresis = hysteresis;
		news[i] = WBW_NEWS_NONE;
		if ((ws[i].phase == WBW_START || ws[i].phase == WBW_DOWN) && ws[i].at < timer.at)
			timer.at = ws[i].at;
	}
	if (tasks != NULL) {
		for (i = 0; i < n; i++)
			tasks[i] = wb_session_task(&ws[i].c.s);
		tasks[n] = (struct pk_task){ timer_want, timer_handle, &timer };
		pk_poll_tasks(tasks, n + 1, timer.at);
		free(tasks);
	}
	for (i = 0; i < n; i++)
		news[i] = advance(&ws[i], backoff);
}

int
wb_watch_running(const struct wb_watcher *ws, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ws[i].phase != WBW_ENDED)
			return 1;
	return 0;
}

void
wb_watch_close(struct wb_watcher *ws, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ws[i].phase != WBW_START && ws[i].phase != WBW_DOWN && ws[i].phase != WBW_ENDED)
			wb_close(&ws[i].c);
}
