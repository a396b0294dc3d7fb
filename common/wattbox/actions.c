/* actions.c — WattBox operations over a wb_client's ops (wattbox/actions.h). */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
#include "core/session.h"
#include "core/switching.h"
#include "wattbox/actions.h"

int
wb_outlets_select(const struct wb_status *st, const char *spec, enum wb_action a,
                  int *want, struct pk_err *err)
{
	const char *names[WB_MAX_OUTLETS];
	unsigned char sel[WB_MAX_OUTLETS] = { 0 };
	int i;

	for (i = 0; i < st->count; i++)
		names[i] = st->o[i].name;
	if (pk_outlets_parse(spec, st->count, names, sel, err) != 0)
		return PK_EUSAGE;
	for (i = 0; i < st->count; i++) {
		if (!sel[i])
			want[i] = -1;
		else if (a == WB_TOGGLE)
			want[i] = !st->o[i].on;
		else
			want[i] = a != WB_OFF;
	}
	return 0;
}

int
wb_outlets_pending(const struct wb_status *st, const int *want)
{
	int i;

	for (i = 0; i < st->count; i++)
		if (want[i] >= 0 && want[i] != st->o[i].on)
			return i;
	return -1;
}

/* ---- outlet actions through the outlet engine (core/switching.h) ---- */

/* An outlet action on one WattBox as the engine drives it. */
struct wb_switching {
	struct wb_client *c;
	const struct wb_outlet_job *job;
	struct wb_outlet_result *res;
	struct wb_status fresh;     /* a read-back lands here, and in res->st when complete */
};

static int
sw_read(void *dev, const unsigned char *left, int64_t deadline, struct pk_err *err)
{
	struct wb_switching *x = dev;
	/* The engine's deadline (a confirmation's is later by a reset's
	 * delay) bounds the client for this step. */
	int64_t own = pk_session_until(&x->c->opts, deadline);
	int rc = x->c->drv->status(x->c, &x->fresh, 0, err);

	x->c->opts.deadline = own;
	(void)left;  /* one status query reads every outlet */
	if (rc == 0)
		x->res->st = x->fresh;
	return rc;
}

static int
sw_reached(void *dev, int n)
{
	struct wb_switching *x = dev;

	return x->res->st.o[n - 1].on == x->res->want[n - 1];
}

/* One action; n 0 (PK_SWITCH_EVERY) is the device's own "every outlet",
 * which it has for RESET only (!OutletSet=0,RESET). */
static int
sw_send(void *dev, int n, int64_t deadline, struct pk_err *err)
{
	struct wb_switching *x = dev;
	int64_t own = pk_session_until(&x->c->opts, deadline);
	int rc = x->c->drv->outlet(x->c, n, x->job->action, x->job->delay_s, err);

	x->c->opts.deadline = own;
	return rc;
}

/* In a dry run the drivers record the line in c->dry instead of sending. */
static int
sw_describe(void *dev, int n, struct pk_err *err)
{
	struct wb_switching *x = dev;

	return sw_send(dev, n, x->c->opts.deadline, err);
}

static int
sw_unconfirmed(void *dev, int n, struct pk_err *err)
{
	struct wb_switching *x = dev;
	const struct wb_status *st = &x->res->st;
	int bad = wb_outlets_pending(st, x->res->want);

	if (bad < 0)
		bad = n - 1;
	return pk_err_set(err, PK_EREFUSED, "unconfirmed", "outlet %d (%s) is %s, wanted %s",
	                  bad + 1, st->o[bad].name, st->o[bad].on ? "on" : "off",
	                  x->res->want[bad] ? "on" : "off");
}

static const struct pk_switch_ops wb_switch_ops = {
	sw_read, sw_reached, sw_send, sw_describe, sw_unconfirmed
};

/* The action as typed, for the safety policy's message. */
static const char *const action_verbs[] = {
	[WB_OFF] = "off", [WB_ON] = "on", [WB_TOGGLE] = "toggle", [WB_RESET] = "reset"
};

/* What each action does to power; on cuts none. */
static const char *const action_cuts[] = {
	[WB_OFF] = "switches off", [WB_ON] = NULL, [WB_TOGGLE] = "toggles",
	[WB_RESET] = "cycles"
};

/* The safety policy's facts for job; what is where its text goes. */
static void
guard_of(const struct wb_outlet_job *job, int dry_run, char *what, size_t len,
         struct pk_switch_guard *g)
{
	snprintf(what, len, "%s %s", action_verbs[job->action], job->outlets);
	*g = (struct pk_switch_guard){ what, action_cuts[job->action], job->yes, dry_run };
}

int
wb_outlets_allowed(const struct wb_outlet_job *job, int dry_run, const unsigned char *sel,
                   int count, struct pk_err *err)
{
	char what[300];
	struct pk_switch_guard g;

	if (sel == NULL && !pk_outlets_spec_all(job->outlets))
		return 0;
	guard_of(job, dry_run, what, sizeof what, &g);
	return pk_switch_allowed(&g, sel, count, err);
}

int
wb_reboot_allowed(int yes, int dry_run, struct pk_err *err)
{
	struct pk_switch_guard g = { "reboot", "cycles", yes, dry_run };

	return pk_switch_allowed(&g, NULL, 0, err);
}

/* A RESET of an outlet that is off turns it on over the Integration
 * Protocol (off, then on after the delay: it ends on); the legacy HTTP API
 * resets only outlets that are on, so there it does nothing.  Said through
 * the client's warning callback for each selected outlet that is off,
 * before anything is sent. */
static void
warn_reset_of_off(const struct wb_client *c, const struct wb_outlet_job *job,
                  const struct wb_outlet_result *res)
{
	if (job->action != WB_RESET)
		return;
	for (int i = 0; i < res->st.count; i++)
		if (res->want[i] >= 0 && !res->st.o[i].on)
			pk_session_warn(&c->opts, "warning: outlet %d (%s) is off: %s", i + 1,
			                res->st.o[i].name, c->cfg->proto == WB_HTTP ?
			                "the legacy HTTP API resets only outlets that are on" :
			                "a reset turns it on");
}

int
wb_outlets_run(struct wb_client *c, const struct wb_outlet_job *job,
               struct wb_outlet_result *res, struct pk_err *err)
{
	struct wb_switching x = { .c = c, .job = job, .res = res };
	unsigned char sel[WB_MAX_OUTLETS];
	char what[300];
	struct pk_switch_job sw = {
		.sel = sel, .as_one = job->action == WB_RESET && strcmp(job->outlets, "all") == 0,
		.dry_run = c->cfg->dry_run, .wait = job->wait, .settle_ms = WB_SETTLE_MS,
		.poll_ms = WB_POLL_MS, .deadline = c->opts.deadline,
		.confirm_extra_ms = (int64_t)job->delay_s * 1000
	};
	int rc = c->drv->status(c, &res->st, 0, err);

	res->sent = res->read_back = res->confirmed = 0;
	if (rc == 0)
		rc = wb_outlets_select(&res->st, job->outlets, job->action, res->want, err);
	if (rc != 0)
		return rc;
	sw.count = res->st.count;
	for (int i = 0; i < sw.count; i++)
		sel[i] = res->want[i] >= 0;
	guard_of(job, sw.dry_run, what, sizeof what, &sw.guard);
	/* The engine checks too; first here, so that no warning comes before a refusal. */
	rc = pk_switch_allowed(&sw.guard, sel, sw.count, err);
	if (rc != 0)
		return rc;
	warn_reset_of_off(c, job, res);
	rc = pk_switch_run(&wb_switch_ops, &x, &sw, &res->sent, err);
	res->read_back = res->sent && job->wait;
	res->confirmed = res->read_back && rc == 0;
	return rc;
}

int
wb_autoreboot_run(struct wb_client *c, int want, int wait, int *on, struct pk_err *err)
{
	int now = -1, rc = 0;

	*on = -1;
	if (want >= 0)
		rc = c->drv->autoreboot_set(c, want, err);
	if (rc != 0 || c->cfg->dry_run || (want >= 0 && !wait))
		return rc;
	rc = c->drv->autoreboot_get(c, &now, err);
	if (rc != 0)
		return rc;
	*on = now;
	if (want >= 0 && want != now)
		return pk_err_set(err, PK_EREFUSED, "unconfirmed", "auto-reboot is still %s",
		                  now ? "on" : "off");
	return 0;
}

int
wb_info_missing(const struct wb_info *in, struct pk_err *err)
{
	if (in->missing[0] == '\0')
		return 0;
	return pk_err_set(err, PK_ECOMM, "timeout", "no reply in time to %s", in->missing);
}

int
wb_info_full(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	int rc = c->drv->info(c, in, err);

	return rc != 0 ? rc : wb_info_missing(in, err);
}

int
wb_status_of(struct wb_client *c, const char *spec, struct wb_status *st, unsigned char *sel,
             struct pk_err *err)
{
	int want[WB_MAX_OUTLETS], i, rc;

	if (spec == NULL) {
		rc = c->drv->status(c, st, 1, err);
		memset(sel, 1, WB_MAX_OUTLETS);
		return rc;
	}
	/* Names and states first: the spec may name outlets. */
	rc = c->drv->status(c, st, 0, err);
	if (rc == 0)
		rc = wb_outlets_select(st, spec, WB_ON, want, err);
	if (rc != 0)
		return rc;
	st->metered = c->drv->outlet_power != NULL;
	for (i = 0; i < st->count; i++)
		sel[i] = want[i] >= 0;
	for (i = 0; rc == 0 && st->metered && i < st->count; i++)
		if (sel[i])
			rc = c->drv->outlet_power(c, i + 1, &st->o[i], &st->metered, err);
	return rc;
}

int
wb_ping_run(struct wb_client *c, struct wb_ping *p, struct pk_err *err)
{
	double t0 = pk_now_ms_fine();
	struct wb_info in;
	int rc;

	memset(p, 0, sizeof *p);
	if (c->drv->read != NULL) {
		struct wb_reading r;
		rc = c->drv->read(c, WB_PART_PING, NULL, &r, err);
		*p = r.ping;
		return rc;
	}
	/* The legacy API has no cheaper request than the whole document. */
	rc = c->drv->info(c, &in, err);
	snprintf(p->firmware, sizeof p->firmware, "%s", in.firmware);
	p->round_trip_ms = pk_now_ms_fine() - t0;
	return rc;
}

int
wb_read(struct wb_client *c, unsigned parts, const char *spec, struct wb_reading *r,
        struct pk_err *err)
{
	int rc = 0;

	if (c->drv->read != NULL)
		return c->drv->read(c, parts, spec, r, err);
	r->have = 0;
	if (parts & WB_PART_INFO) {
		rc = wb_info_full(c, &r->info, err);
		/* What arrived before a missing reply is still worth showing. */
		if (rc == 0 || r->info.missing[0])
			r->have |= WB_PART_INFO;
	}
	if (rc == 0 && (parts & WB_PART_STATUS) &&
	    (rc = wb_status_of(c, spec, &r->st, r->sel, err)) == 0)
		r->have |= WB_PART_STATUS;
	if (rc == 0 && (parts & WB_PART_POWER) && (rc = c->drv->power(c, &r->power, err)) == 0)
		r->have |= WB_PART_POWER;
	if (rc == 0 && (parts & WB_PART_UPS) && (rc = c->drv->ups(c, &r->ups, err)) == 0)
		r->have |= WB_PART_UPS;
	if (rc == 0 && (parts & WB_PART_PING) && (rc = wb_ping_run(c, &r->ping, err)) == 0)
		r->have |= WB_PART_PING;
	return rc;
}
