/* Unit tests for common/wattbox/actions.c and render.c: outlet selection, the
 * confirmation predicate, outlet actions with read-back, auto-reboot set
 * and confirm, info with missing replies, and the outlet renderings.  The
 * device is a fake wb_driver table over an array of outlet states. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "tap.h"
#include "wattbox/actions.h"
#include "wattbox/render.h"

/* A fake WattBox: outlet states that actions change (unless stuck), and a
 * log of the actions received ("n:ACTION:delay "). */
struct fake {
	int count;
	int on[WB_MAX_OUTLETS];
	int stuck;                 /* actions are acknowledged, states stay */
	int autoreboot;
	int status_reads;
	char powered[64];          /* outlets whose power was asked, "1 3 " */
	const char *missing;       /* info: queries that got no reply */
	char log[256];
};

static struct fake *
fake_of(struct wb_client *c)
{
	return c->transport;
}

static int
f_status(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err)
{
	struct fake *f = fake_of(c);
	int i;

	(void)metering;
	(void)err;
	memset(st, 0, sizeof *st);
	st->count = f->count;
	for (i = 0; i < f->count; i++) {
		st->o[i].on = f->on[i];
		st->o[i].name[0] = (char)('A' + i);
	}
	f->status_reads++;
	return 0;
}

static int
f_info(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	(void)err;
	memset(in, 0, sizeof *in);
	strcpy(in->model, "WB-800");
	strcpy(in->missing, fake_of(c)->missing);
	return 0;
}

static int
f_outlet(struct wb_client *c, int n, enum wb_action a, int delay_s, struct pk_err *err)
{
	struct fake *f = fake_of(c);
	size_t len = strlen(f->log);

	(void)err;
	snprintf(f->log + len, sizeof f->log - len, "%d:%s:%d ", n, wb_action_word(a), delay_s);
	if (c->cfg->dry_run || f->stuck || n == 0)
		return 0;
	f->on[n - 1] = a == WB_TOGGLE ? !f->on[n - 1] : a != WB_OFF;
	return 0;
}

static int
f_ar_get(struct wb_client *c, int *on, struct pk_err *err)
{
	(void)err;
	*on = fake_of(c)->autoreboot;
	return 0;
}

static int
f_ar_set(struct wb_client *c, int on, struct pk_err *err)
{
	struct fake *f = fake_of(c);

	(void)err;
	if (!c->cfg->dry_run && !f->stuck)
		f->autoreboot = on;
	return 0;
}

/* Outlet n draws 10 * n watts. */
static int
f_power(struct wb_client *c, int n, struct wb_outlet *o, int *metered, struct pk_err *err)
{
	struct fake *f = fake_of(c);
	size_t len = strlen(f->powered);

	(void)err;
	snprintf(f->powered + len, sizeof f->powered - len, "%d ", n);
	*metered = 1;
	o->watts = 10.0 * n;
	return 0;
}

static const struct wb_driver fake_driver = {
	f_info, f_status, NULL, NULL, f_outlet, f_ar_get, f_ar_set, NULL, NULL, f_power, NULL,
	NULL, NULL, NULL
};

/* A client over a fake with outlets A, B, C, D: 1 and 3 on. */
struct rig {
	struct wb_client c;
	struct wb_config cfg;
	struct fake f;
	struct pk_err err;
};

static void
rig_start(struct rig *r, int dry_run)
{
	memset(r, 0, sizeof *r);
	r->f.count = 4;
	r->f.on[0] = r->f.on[2] = 1;
	r->f.missing = "";
	r->cfg.dry_run = dry_run;
	r->c.drv = &fake_driver;
	r->c.cfg = &r->cfg;
	r->c.transport = &r->f;
}

/* The rig's client with its deadline ms from now. */
static struct wb_client *
within(struct rig *r, int64_t ms)
{
	r->c.opts.deadline = pk_deadline_in(ms);
	return &r->c;
}

static void
test_select(void)
{
	struct rig r;
	struct wb_status st;
	int want[WB_MAX_OUTLETS];

	rig_start(&r, 0);
	f_status(&r.c, &st, 0, &r.err);
	TAP_OK(wb_outlets_select(&st, "1,2", WB_OFF, want, &r.err) == 0 &&
	       want[0] == 0 && want[1] == 0 && want[2] == -1 && want[3] == -1,
	       "select: off 1,2 wants both off, the rest unselected");
	TAP_OK(wb_outlets_select(&st, "all", WB_TOGGLE, want, &r.err) == 0 &&
	       want[0] == 0 && want[1] == 1 && want[2] == 0 && want[3] == 1,
	       "select: toggle wants the opposite of now");
	TAP_OK(wb_outlets_select(&st, "D", WB_RESET, want, &r.err) == 0 &&
	       want[3] == 1 && want[0] == -1, "select: by name; a reset ends on");
	TAP_OK(wb_outlets_select(&st, "5", WB_ON, want, &r.err) == PK_EUSAGE &&
	       r.err.status == PK_EUSAGE, "select: outlet 5 of 4 is a usage error");
}

static void
test_pending(void)
{
	struct wb_status st = { 0 };
	int want[4] = { 1, -1, 0, -1 };

	st.count = 4;
	st.o[0].on = 1;
	st.o[1].on = 0;
	st.o[2].on = 0;
	st.o[3].on = 1;
	TAP_OK(wb_outlets_pending(&st, want) == -1, "pending: all selected as wanted");
	st.o[2].on = 1;
	TAP_OK(wb_outlets_pending(&st, want) == 2, "pending: outlet 3 is not");
	st.o[0].on = 0;
	TAP_OK(wb_outlets_pending(&st, want) == 0, "pending: the first wrong one is named");
	want[0] = want[2] = -1;
	TAP_OK(wb_outlets_pending(&st, want) == -1, "pending: unselected outlets are ignored");
}

static void
test_run_confirmed(void)
{
	struct rig r;
	struct wb_outlet_job job = { .action = WB_ON, .outlets = "2,4", .wait = 1 };
	struct wb_outlet_result res;
	struct pk_buf b = { 0 };
	int rc;

	rig_start(&r, 0);
	rc = wb_outlets_run(within(&r, 3000), &job, &res, &r.err);
	TAP_OK(rc == 0 && res.sent && res.read_back && res.confirmed,
	       "run: on 2,4 sent and confirmed");
	TAP_STREQ(r.f.log, "2:ON:0 4:ON:0 ", "run: one action per selected outlet");
	TAP_OK(r.f.status_reads == 2, "run: one read before, one read back");
	wb_render_outlets(&b, PK_FMT_TEXT, "on", &res);
	TAP_STREQ(pk_buf_str(&b), "2\ton\tB\n4\ton\tD\n", "render: text lists the selected");
	pk_buf_reset(&b);
	wb_render_outlets(&b, PK_FMT_JSON, "on", &res);
	TAP_STREQ(pk_buf_str(&b), "{\"action\":\"on\",\"confirmed\":true,\"outlets\":["
	          "{\"outlet\":2,\"name\":\"B\",\"state\":\"on\"},"
	          "{\"outlet\":4,\"name\":\"D\",\"state\":\"on\"}]}\n", "render: JSON");
	pk_buf_free(&b);
}

static void
test_run_unconfirmed(void)
{
	struct rig r;
	struct wb_outlet_job job = { .action = WB_OFF, .outlets = "A", .wait = 1 };
	struct wb_outlet_result res;
	int64_t t0 = pk_now_ms();
	int rc;

	rig_start(&r, 0);
	r.f.stuck = 1;
	rc = wb_outlets_run(within(&r, 100), &job, &res, &r.err);
	TAP_OK(rc == PK_EREFUSED && strcmp(r.err.kind, "unconfirmed") == 0 && res.sent &&
	       res.read_back && !res.confirmed, "run: a stuck outlet is refused, unconfirmed");
	TAP_STREQ(r.err.msg, "outlet 1 (A) is on, wanted off", "run: the message names it");
	TAP_OK(pk_now_ms() - t0 < 1000, "run: the read-back ends at the deadline");
}

static void
test_run_modes(void)
{
	struct rig r;
	struct wb_outlet_job job = { .action = WB_RESET, .outlets = "all", .delay_s = 5, .wait = 1 };
	struct wb_outlet_result res;
	struct pk_buf b = { 0 };
	int rc;

	rig_start(&r, 1);
	rc = wb_outlets_run(within(&r, 1000), &job, &res, &r.err);
	TAP_OK(rc == 0 && !res.sent && r.f.status_reads == 1, "dry run: no read-back");
	TAP_STREQ(r.f.log, "0:RESET:5 ", "reset all: one RESET of outlet 0 with the delay");

	rig_start(&r, 0);
	job.action = WB_TOGGLE;
	job.outlets = "1-2";
	job.wait = 0;
	rc = wb_outlets_run(within(&r, 1000), &job, &res, &r.err);
	TAP_OK(rc == 0 && res.sent && !res.read_back && r.f.status_reads == 1,
	       "no wait: sent, not read back");
	wb_render_outlets(&b, PK_FMT_TEXT, "toggle", &res);
	TAP_STREQ(pk_buf_str(&b), "1\tsent\tA\n2\tsent\tB\n", "render: \"sent\" when not read back");
	pk_buf_free(&b);

	rig_start(&r, 0);
	job.outlets = "9";
	rc = wb_outlets_run(within(&r, 1000), &job, &res, &r.err);
	TAP_OK(rc == PK_EUSAGE && !res.sent && r.f.log[0] == '\0', "bad OUTLETS: nothing sent");
}

/* Collects warnings, one line after another. */
static void
collect(void *ctx, const char *line)
{
	strcat(ctx, line);
	strcat(ctx, "\n");
}

static void
test_policy(void)
{
	struct rig r;
	struct wb_outlet_job job = { .action = WB_OFF, .outlets = "all", .wait = 1 };
	struct wb_outlet_result res;

	rig_start(&r, 0);
	TAP_OK(wb_outlets_run(within(&r, 1000), &job, &res, &r.err) == PK_EUSAGE &&
	       !res.sent && r.f.log[0] == '\0', "policy: off all without yes is refused, nothing sent");
	TAP_STREQ(r.err.msg, "off all switches off every outlet: add --yes (or -n to see what "
	          "would be sent)", "policy: the message");
	job.outlets = "A,2-4";
	TAP_OK(wb_outlets_run(within(&r, 1000), &job, &res, &r.err) == PK_EUSAGE &&
	       r.f.log[0] == '\0', "policy: a name and a range that select every outlet too");
	TAP_OK(wb_outlets_allowed(&job, 0, NULL, 0, &r.err) == 0,
	       "policy: before reading, only a spec with all is judged");
	job.outlets = "all";
	TAP_OK(wb_outlets_allowed(&job, 0, NULL, 0, &r.err) == PK_EUSAGE,
	       "policy: all is refused before reading");
	job.action = WB_ON;
	TAP_OK(wb_outlets_run(within(&r, 3000), &job, &res, &r.err) == 0 &&
	       res.confirmed, "policy: on all needs no yes");
	job.action = WB_TOGGLE;
	job.yes = 1;
	TAP_OK(wb_outlets_run(within(&r, 3000), &job, &res, &r.err) == 0 &&
	       res.confirmed && r.f.on[0] == 0 && r.f.on[3] == 0, "policy: toggle all with yes");
	TAP_OK(wb_reboot_allowed(0, 0, &r.err) == PK_EUSAGE &&
	       strcmp(r.err.msg, "reboot cycles every outlet: add --yes (or -n to see what "
	              "would be sent)") == 0, "policy: a device reboot needs yes");
	TAP_OK(wb_reboot_allowed(1, 0, &r.err) == 0 && wb_reboot_allowed(0, 1, &r.err) == 0,
	       "policy: a device reboot with yes, or dry");
}

static void
test_reset_warning(void)
{
	struct rig r;
	char warned[512] = "";
	struct wb_outlet_job job = { .action = WB_RESET, .outlets = "1-3", .wait = 0 };
	struct wb_outlet_result res;

	rig_start(&r, 0);
	r.c.opts.warn = collect;
	r.c.opts.warn_ctx = warned;
	TAP_OK(wb_outlets_run(within(&r, 1000), &job, &res, &r.err) == 0,
	       "reset 1-3 (2 is off)");
	TAP_STREQ(warned, "warning: outlet 2 (B) is off: a reset turns it on\n",
	          "reset: a warning for the outlet that is off, none for those on");
	rig_start(&r, 1);
	r.c.opts.warn = collect;
	r.c.opts.warn_ctx = warned;
	r.cfg.proto = WB_HTTP;
	warned[0] = '\0';
	job.outlets = "B";
	TAP_OK(wb_outlets_run(within(&r, 1000), &job, &res, &r.err) == 0,
	       "reset B over HTTP, dry");
	TAP_STREQ(warned, "warning: outlet 2 (B) is off: the legacy HTTP API resets only "
	          "outlets that are on\n", "reset: over HTTP the warning says it does nothing");
}

static void
test_autoreboot(void)
{
	struct rig r;
	struct pk_buf b = { 0 };
	int on, rc;

	rig_start(&r, 0);
	rc = wb_autoreboot_run(within(&r, 1000), 1, 1, &on, &r.err);
	TAP_OK(rc == 0 && on == 1 && r.f.autoreboot == 1, "autoreboot: set and read back");
	rc = wb_autoreboot_run(within(&r, 1000), -1, 1, &on, &r.err);
	TAP_OK(rc == 0 && on == 1, "autoreboot: query only");
	rc = wb_autoreboot_run(within(&r, 1000), 0, 0, &on, &r.err);
	TAP_OK(rc == 0 && on == -1 && r.f.autoreboot == 0, "autoreboot: no wait, nothing read");
	r.f.stuck = 1;
	rc = wb_autoreboot_run(within(&r, 1000), 1, 1, &on, &r.err);
	TAP_OK(rc == PK_EREFUSED && on == 0 && strcmp(r.err.msg, "auto-reboot is still off") == 0,
	       "autoreboot: unchanged is refused, with the state read");
	rig_start(&r, 1);
	rc = wb_autoreboot_run(within(&r, 1000), -1, 1, &on, &r.err);
	TAP_OK(rc == 0 && on == -1, "autoreboot: dry run reads nothing");
	wb_render_autoreboot(&b, PK_FMT_JSON, 1);
	wb_render_autoreboot(&b, PK_FMT_TEXT, 0);
	TAP_STREQ(pk_buf_str(&b), "{\"autoreboot\":true}\nautoreboot: off\n", "render: autoreboot");
	pk_buf_free(&b);
}

static void
test_info(void)
{
	struct rig r;
	struct wb_info in;

	rig_start(&r, 0);
	TAP_OK(wb_info_full(within(&r, 1000), &in, &r.err) == 0, "info: all replies");
	r.f.missing = "?ServiceTag";
	TAP_OK(wb_info_full(within(&r, 1000), &in, &r.err) == PK_ECOMM &&
	       strcmp(r.err.kind, "timeout") == 0 && strcmp(in.model, "WB-800") == 0,
	       "info: a missing reply is a timeout, what came is kept");
	TAP_STREQ(r.err.msg, "no reply in time to ?ServiceTag", "info: the message names it");
}

static void
test_status_of(void)
{
	struct rig r;
	struct wb_status st;
	unsigned char sel[WB_MAX_OUTLETS];
	struct pk_buf b = { 0 };

	rig_start(&r, 0);
	TAP_OK(wb_status_of(within(&r, 1000), "2,D", &st, sel, &r.err) == 0 &&
	       sel[0] == 0 && sel[1] == 1 && sel[2] == 0 && sel[3] == 1,
	       "status_of: a number and a name select two outlets");
	TAP_STREQ(r.f.powered, "2 4 ", "status_of: power asked of the selected outlets only");
	wb_render_status(&b, PK_FMT_TEXT, &st, sel);
	TAP_STREQ(pk_buf_str(&b), "2\toff\t20.00\t0.00\t0.00\tB\n4\toff\t40.00\t0.00\t0.00\tD\n",
	          "status_of: text renders the selected outlets");
	pk_buf_reset(&b);
	wb_render_status(&b, PK_FMT_JSON, &st, sel);
	TAP_STREQ(pk_buf_str(&b), "{\"metered\":true,\"outlets\":[{\"outlet\":2,\"name\":\"B\","
	          "\"state\":\"off\",\"watts\":20,\"amps\":0,\"volts\":0},{\"outlet\":4,"
	          "\"name\":\"D\",\"state\":\"off\",\"watts\":40,\"amps\":0,\"volts\":0}]}\n",
	          "status_of: JSON holds the selected outlets");
	TAP_OK(wb_status_of(within(&r, 1000), "5", &st, sel, &r.err) == PK_EUSAGE,
	       "status_of: an outlet the unit lacks is a usage error");
	TAP_OK(r.f.powered[4] == '\0', "status_of: and no power was asked");
	pk_buf_free(&b);
}

static void
test_ups_flags(void)
{
	struct wb_ups u = { .supported = 1, .connected = 1, .have_status = 1, .charge = 90,
	                    .load = 8, .runtime_min = 40 };
	struct pk_buf b = { 0 };

	strcpy(u.health, "Good");
	strcpy(u.power_lost, "True");
	strcpy(u.alarm_enabled, "false");
	strcpy(u.alarm_muted, "Maybe");
	wb_render_ups(&b, PK_FMT_JSON, &u);
	TAP_STREQ(pk_buf_str(&b), "{\"supported\":true,\"connected\":true,\"battery_charge\":90,"
	          "\"battery_load\":8,\"battery_health\":\"Good\",\"power_lost\":true,"
	          "\"runtime_minutes\":40,\"alarm_enabled\":false,\"alarm_muted\":\"Maybe\"}\n",
	          "ups JSON: True/False as booleans, another word kept as text");
	u.alarm_enabled[0] = u.alarm_muted[0] = '\0';
	pk_buf_reset(&b);
	wb_render_ups(&b, PK_FMT_JSON, &u);
	TAP_OK(strstr(pk_buf_str(&b), "alarm") == NULL, "ups JSON: flags not reported are left out");
	pk_buf_free(&b);
}

int
main(void)
{
	test_select();
	test_pending();
	test_run_confirmed();
	test_run_unconfirmed();
	test_run_modes();
	test_policy();
	test_reset_warning();
	test_autoreboot();
	test_info();
	test_status_of();
	test_ups_flags();
	return TAP_DONE();
}
