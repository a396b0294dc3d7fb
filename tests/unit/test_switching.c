/* Unit tests for common/core/switching.c, the outlet engine: the safety
 * policy, sending (and describing for -n) to the selected outlets, and
 * confirming by reading back until each is done or the deadline.  The
 * device is a fake behind struct pk_switch_ops. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
#include "core/switching.h"
#include "tap.h"

/* A fake device of four outlets: an outlet is done once it has been sent
 * to and read back reads_needed times since. */
struct fake {
	int reads_needed;          /* read-backs before a sent outlet shows done */
	int seen[4];               /* read-backs of each outlet since it was sent */
	int sent[4];
	int reads;
	int read_fails;            /* the read's status, 0: works */
	char log[128];             /* "s3 " per send, "d3 " per describe, "r " per read */
};

static void
note(struct fake *f, const char *what)
{
	size_t len = strlen(f->log);

	snprintf(f->log + len, sizeof f->log - len, "%s ", what);
}

static int
f_read(void *dev, const unsigned char *left, int64_t deadline, struct pk_err *err)
{
	struct fake *f = dev;

	(void)deadline;
	f->reads++;
	note(f, "r");
	if (f->read_fails == PK_ECOMM)
		return pk_err_set(err, PK_ECOMM, "timeout", "no reply");
	for (int i = 0; i < 4; i++)
		if (left[i] && f->sent[i])
			f->seen[i]++;
	return 0;
}

static int
f_reached(void *dev, int n)
{
	struct fake *f = dev;

	return f->sent[n - 1] && f->seen[n - 1] >= f->reads_needed;
}

static int
f_send(void *dev, int n, int64_t deadline, struct pk_err *err)
{
	struct fake *f = dev;
	char word[8];

	(void)deadline;
	snprintf(word, sizeof word, "s%d", n);
	note(f, word);
	if (n == 3 && f->reads_needed < 0)
		return pk_err_set(err, PK_EREFUSED, "refused", "outlet 3 refused");
	if (n == PK_SWITCH_EVERY)
		for (int i = 0; i < 4; i++)
			f->sent[i] = 1;
	else
		f->sent[n - 1] = 1;
	return 0;
}

static int
f_describe(void *dev, int n, struct pk_err *err)
{
	char word[8];

	(void)err;
	snprintf(word, sizeof word, "d%d", n);
	note(dev, word);
	return 0;
}

static int
f_unconfirmed(void *dev, int n, struct pk_err *err)
{
	(void)dev;
	return pk_err_set(err, PK_EREFUSED, "unconfirmed", "outlet %d not done", n);
}

static const struct pk_switch_ops ops = { f_read, f_reached, f_send, f_describe,
                                          f_unconfirmed };

static void
test_policy(void)
{
	unsigned char every[4] = { 1, 1, 1, 1 }, some[4] = { 1, 1, 0, 1 };
	struct pk_switch_guard off = { "off all", "switches off", 0, 0 };
	struct pk_switch_guard on = { "on all", NULL, 0, 0 };
	struct pk_err err;

	TAP_OK(pk_switch_allowed(&off, every, 4, &err) == PK_EUSAGE &&
	       err.status == PK_EUSAGE, "every outlet off without yes: usage error");
	TAP_STREQ(err.msg, "off all switches off every outlet: add --yes "
	          "(or -n to see what would be sent)", "the message says what and how");
	TAP_OK(pk_switch_allowed(&off, some, 4, &err) == 0, "three of four outlets: allowed");
	TAP_OK(pk_switch_allowed(&on, every, 4, &err) == 0, "on cuts no power: allowed");
	off.yes = 1;
	TAP_OK(pk_switch_allowed(&off, every, 4, &err) == 0, "with yes: allowed");
	off.yes = 0;
	off.dry_run = 1;
	TAP_OK(pk_switch_allowed(&off, every, 4, &err) == 0, "a dry run: allowed");
	off.dry_run = 0;
	off.what = "reboot";
	off.cuts = "cycles";
	TAP_OK(pk_switch_allowed(&off, NULL, 0, &err) == PK_EUSAGE,
	       "the device itself (no selection): usage error");
	TAP_STREQ(err.msg, "reboot cycles every outlet: add --yes (or -n to see what would "
	          "be sent)", "device reboot message");
	TAP_OK(pk_switch_allowed(&off, every, 1, &err) == PK_EUSAGE,
	       "the one outlet of a one-outlet device is every outlet");
	TAP_OK(pk_outlets_spec_all("all") && pk_outlets_spec_all("3,all") &&
	       pk_outlets_spec_all("all,1-2"), "specs with an all part");
	TAP_OK(!pk_outlets_spec_all("1-8") && !pk_outlets_spec_all("ball") &&
	       !pk_outlets_spec_all("all2") && !pk_outlets_spec_all(""),
	       "specs without one");
}

/* A job on outlets sel of four, deadline in ms from now. */
static struct pk_switch_job
job_of(const unsigned char *sel, int wait, int deadline_ms)
{
	return (struct pk_switch_job){
		.sel = sel, .count = 4, .wait = wait, .poll_ms = 10,
		.deadline = pk_deadline_in(deadline_ms),
		.guard = { "off x", "switches off", 0, 0 }
	};
}

static void
test_send_and_confirm(void)
{
	unsigned char sel[4] = { 0, 1, 0, 1 }, every[4] = { 1, 1, 1, 1 };
	struct fake f = { .reads_needed = 2 };
	struct pk_switch_job job = job_of(sel, 1, 2000);
	struct pk_err err;
	int sent = -1;

	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == 0 && sent == 1,
	       "two outlets sent and confirmed");
	TAP_STREQ(f.log, "s2 s4 r r ", "one send per selected outlet in order, then read-backs "
	          "until each is done");

	memset(&f, 0, sizeof f);
	job = job_of(every, 1, 2000);
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == PK_EUSAGE && sent == 0 &&
	       f.log[0] == '\0', "every outlet without yes: refused, nothing sent or read");

	memset(&f, 0, sizeof f);
	job.guard.yes = 1;
	job.as_one = 1;
	job.wait = 0;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == 0 && sent == 1,
	       "with yes and as one command");
	TAP_STREQ(f.log, "s0 ", "as_one: one command to outlet 0 (every), no wait: no read");

	memset(&f, 0, sizeof f);
	job = job_of(every, 1, 2000);
	job.dry_run = 1;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == 0 && sent == 0,
	       "a dry run of every outlet needs no yes");
	TAP_STREQ(f.log, "d1 d2 d3 d4 ", "a dry run describes, sends nothing, reads nothing");

	memset(&f, 0, sizeof f);
	f.reads_needed = -1;  /* outlet 3 refuses */
	job = job_of(every, 1, 2000);
	job.guard.yes = 1;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == PK_EREFUSED && sent == 0,
	       "a refused send is the run's status");
	TAP_STREQ(f.log, "s1 s2 s3 ", "sending stops at the first failure, no read-back");
}

static void
test_unconfirmed(void)
{
	unsigned char sel[4] = { 1, 0, 1, 0 };
	struct fake f = { .reads_needed = 1000 };
	struct pk_switch_job job = job_of(sel, 1, 200);
	struct pk_err err;
	int64_t t0 = pk_now_ms();
	int sent;

	job.settle_ms = 50;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == PK_EREFUSED && sent == 1,
	       "never done: refused after sending");
	TAP_STREQ(err.msg, "outlet 1 not done", "the first outlet left is named");
	TAP_OK(pk_now_ms() - t0 >= 150 && pk_now_ms() - t0 < 1000,
	       "polled until no whole interval was left before the deadline");
	TAP_OK(f.reads > 5, "read back again and again meanwhile");

	memset(&f, 0, sizeof f);
	f.reads_needed = 1;
	f.read_fails = PK_ECOMM;
	job = job_of(sel, 1, 0);
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == PK_EREFUSED &&
	       strcmp(err.kind, "unconfirmed") == 0, "a read cut off by the deadline: not confirmed");
	job = job_of(sel, 1, 2000);
	memset(&f, 0, sizeof f);
	f.read_fails = PK_ECOMM;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == PK_ECOMM && f.reads == 1,
	       "a read that fails with time left is the run's status");

	memset(&f, 0, sizeof f);
	f.reads_needed = 1;
	job = job_of(sel, 1, 0);
	job.confirm_extra_ms = 1000;
	TAP_OK(pk_switch_run(&ops, &f, &job, &sent, &err) == 0,
	       "confirm_extra_ms extends the read-back (a reset's delay)");
}

int
main(void)
{
	test_policy();
	test_send_and_confirm();
	test_unconfirmed();
	return TAP_DONE();
}
