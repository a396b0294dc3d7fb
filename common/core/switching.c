/* switching.c — see core/switching.h. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
#include "core/switching.h"

int
pk_switch_allowed(const struct pk_switch_guard *g, const unsigned char *sel, int count,
                  struct pk_err *err)
{
	int whole_device = sel == NULL || pk_outlets_count(sel, count) == count;

	if (g->yes || g->dry_run || g->cuts == NULL || !whole_device)
		return 0;
	return pk_err_set(err, PK_EUSAGE, "usage", "%s %s every outlet: add --yes "
	                  "(or -n to see what would be sent)", g->what, g->cuts);
}

/* Sends (or with dry_run describes) the action for every selected outlet,
 * or once for all of them with as_one. */
static int
send_all(const struct pk_switch_ops *ops, void *dev, const struct pk_switch_job *job,
         struct pk_err *err)
{
	int rc = 0;

	if (job->as_one)
		return job->dry_run ? ops->describe(dev, PK_SWITCH_EVERY, err) :
		                      ops->send(dev, PK_SWITCH_EVERY, job->deadline, err);
	for (int i = 0; rc == 0 && i < job->count; i++) {
		if (!job->sel[i])
			continue;
		rc = job->dry_run ? ops->describe(dev, i + 1, err) :
		                    ops->send(dev, i + 1, job->deadline, err);
	}
	return rc;
}

/* The first outlet still flagged in left (there is one). */
static int
first_left(const unsigned char *left, int count)
{
	int i = 0;

	while (i < count - 1 && !left[i])
		i++;
	return i + 1;
}

/* Reads back until every selected outlet reached its end state. */
static int
confirm(const struct pk_switch_ops *ops, void *dev, const struct pk_switch_job *job,
        unsigned char *left, struct pk_err *err)
{
	int64_t deadline = job->deadline + job->confirm_extra_ms;

	memcpy(left, job->sel, (size_t)job->count);
	if (job->settle_ms > 0)
		pk_sleep_ms(job->settle_ms, deadline);
	for (;;) {
		int todo = 0, rc = ops->read(dev, left, deadline, err);
		/* Time running out in the middle of a read is "not confirmed". */
		if (rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0 &&
		    pk_ms_left(deadline) == 0)
			break;
		if (rc != 0)
			return rc;
		for (int i = 0; i < job->count; i++) {
			if (left[i] && ops->reached(dev, i + 1))
				left[i] = 0;
			todo += left[i];
		}
		if (todo == 0)
			return 0;
		if (pk_ms_left(deadline) < job->poll_ms)
			break;
		pk_sleep_ms(job->poll_ms, deadline);
	}
	return ops->unconfirmed(dev, first_left(left, job->count), err);
}

int
pk_switch_run(const struct pk_switch_ops *ops, void *dev, const struct pk_switch_job *job,
              int *sent, struct pk_err *err)
{
	struct pk_switch_guard guard = job->guard;
	unsigned char *left;
	int rc;

	guard.dry_run |= job->dry_run;
	rc = pk_switch_allowed(&guard, job->sel, job->count, err);

	if (sent != NULL)
		*sent = 0;
	if (rc == 0)
		rc = send_all(ops, dev, job, err);
	if (rc != 0 || job->dry_run)
		return rc;
	if (sent != NULL)
		*sent = 1;
	if (!job->wait)
		return rc;
	left = malloc((size_t)job->count);
	if (left == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	rc = confirm(ops, dev, job, left, err);
	free(left);
	return rc;
}
