/* actions.c — WattBox operations over a wb_client's ops (wattbox/actions.h). */
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
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

int
wb_outlets_confirm(struct wb_client *c, const int *want, struct wb_status *st,
                   int64_t deadline, struct pk_err *err)
{
	int bad;

	pk_sleep_ms(WB_SETTLE_MS, deadline);
	for (;;) {
		int rc = c->drv->status(c, st, 0, deadline, err);
		if (rc != 0)
			return rc;
		bad = wb_outlets_pending(st, want);
		if (bad < 0)
			return 0;
		if (pk_ms_left(deadline) < WB_POLL_MS)
			break;
		pk_sleep_ms(WB_POLL_MS, deadline);
	}
	return pk_err_set(err, PK_EREFUSED, "unconfirmed", "outlet %d (%s) is %s, wanted %s",
	                  bad + 1, st->o[bad].name, st->o[bad].on ? "on" : "off",
	                  want[bad] ? "on" : "off");
}

/* Sends the action to each selected outlet, or one RESET to outlet 0
 * (every outlet) for "reset all".  Returns 0 or the first failure. */
static int
send_actions(struct wb_client *c, const struct wb_outlet_job *job, const int *want,
             int count, int64_t deadline, struct pk_err *err)
{
	int i, rc = 0;

	if (job->action == WB_RESET && strcmp(job->outlets, "all") == 0)
		return c->drv->outlet(c, 0, job->action, job->delay_s, deadline, err);
	for (i = 0; rc == 0 && i < count; i++)
		if (want[i] >= 0)
			rc = c->drv->outlet(c, i + 1, job->action, job->delay_s, deadline, err);
	return rc;
}

int
wb_outlets_run(struct wb_client *c, const struct wb_outlet_job *job,
               struct wb_outlet_result *res, int64_t deadline, struct pk_err *err)
{
	int rc = c->drv->status(c, &res->st, 0, deadline, err);

	res->sent = res->read_back = res->confirmed = 0;
	if (rc == 0)
		rc = wb_outlets_select(&res->st, job->outlets, job->action, res->want, err);
	if (rc == 0)
		rc = send_actions(c, job, res->want, res->st.count, deadline, err);
	if (rc != 0 || c->cfg->dry_run)
		return rc;
	res->sent = 1;
	if (!job->wait)
		return 0;
	res->read_back = 1;
	rc = wb_outlets_confirm(c, res->want, &res->st,
	                        deadline + (int64_t)job->delay_s * 1000, err);
	res->confirmed = rc == 0;
	return rc;
}

int
wb_autoreboot_run(struct wb_client *c, int want, int wait, int *on, int64_t deadline,
                  struct pk_err *err)
{
	int now = -1, rc = 0;

	*on = -1;
	if (want >= 0)
		rc = c->drv->autoreboot_set(c, want, deadline, err);
	if (rc != 0 || c->cfg->dry_run || (want >= 0 && !wait))
		return rc;
	rc = c->drv->autoreboot_get(c, &now, deadline, err);
	if (rc != 0)
		return rc;
	*on = now;
	if (want >= 0 && want != now)
		return pk_err_set(err, PK_EREFUSED, "unconfirmed", "auto-reboot is still %s",
		                  now ? "on" : "off");
	return 0;
}

int
wb_info_full(struct wb_client *c, struct wb_info *in, int64_t deadline, struct pk_err *err)
{
	int rc = c->drv->info(c, in, deadline, err);

	if (rc == 0 && in->missing[0])
		rc = pk_err_set(err, PK_ECOMM, "timeout", "no reply in time to %s", in->missing);
	return rc;
}
