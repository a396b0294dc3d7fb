/* probe.c — see core/probe.h. */
#include "core/probe.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

/* Progress is reported this often while the scan runs. */
#define PROGRESS_MS 100

struct sched {
	const struct pk_probe_ops *ops;
	const struct pk_probe_opts *o;
	struct pk_probe_count *count;
	int64_t t0;
	size_t *run;          /* the running probes' slots */
	int64_t *deadline;    /* and their deadlines */
	size_t *free_slots;   /* the slots no probe holds, a stack */
	size_t nfree;
	struct pk_task *tasks;
	size_t nrun, next;
};

/* When probe k may start: the rate spreads the starts evenly. */
static int64_t
start_time(const struct sched *s, size_t k)
{
	return s->t0 + (int64_t)k * 1000 / s->o->rate;
}

static void
tally(struct pk_probe_count *c, enum pk_probe_state st)
{
	if (st != PK_PROBE_UNSENT)
		c->sent++;
	if (st == PK_PROBE_ANSWERED || st == PK_PROBE_FOUND)
		c->answered++;
	if (st == PK_PROBE_FOUND)
		c->found++;
}

/* Starts every probe that the rate and the bound in flight allow now. */
static void
start_due(struct sched *s, int64_t now)
{
	while (s->next < s->count->total && s->nrun < s->o->parallel &&
	       start_time(s, s->next) <= now) {
		int64_t deadline = now + s->o->timeout_ms;
		size_t slot = s->free_slots[--s->nfree];
		enum pk_probe_state st = s->ops->start(s->ops->ctx, s->next, slot, deadline);

		s->count->started++;
		if (st == PK_PROBE_RUNNING) {
			s->run[s->nrun] = slot;
			s->deadline[s->nrun++] = deadline;
		} else {
			s->free_slots[s->nfree++] = slot;
			tally(s->count, st);
		}
		s->next++;
	}
}

/* The next time the loop must run without an event: the next start the
 * rate allows, a deadline, or a progress report. */
static int64_t
next_wake(const struct sched *s, int64_t last_progress)
{
	int64_t until = INT64_MAX;
	size_t k;

	if (s->next < s->count->total && s->nrun < s->o->parallel)
		until = start_time(s, s->next);
	for (k = 0; k < s->nrun; k++)
		if (s->deadline[k] < until)
			until = s->deadline[k];
	if (s->o->progress != NULL && last_progress + PROGRESS_MS < until)
		until = last_progress + PROGRESS_MS;
	return until;
}

/* Asks every running probe how it stands; ended ones leave the list. */
static void
check_running(struct sched *s, int64_t now)
{
	size_t k, kept = 0;

	for (k = 0; k < s->nrun; k++) {
		enum pk_probe_state st = s->ops->check(s->ops->ctx, s->run[k], now >= s->deadline[k]);

		if (st == PK_PROBE_RUNNING) {
			s->run[kept] = s->run[k];
			s->deadline[kept++] = s->deadline[k];
		} else {
			s->free_slots[s->nfree++] = s->run[k];
			tally(s->count, st);
		}
	}
	s->nrun = kept;
}

static void
report(struct sched *s, int64_t now)
{
	s->count->elapsed_ms = now - s->t0;
	if (s->o->progress != NULL)
		s->o->progress(s->o->progress_ctx, s->count);
}

static void
free_sched(struct sched *s)
{
	free(s->run);
	free(s->deadline);
	free(s->tasks);
	free(s->free_slots);
}

int
pk_probe_run(const struct pk_probe_ops *ops, size_t n, const struct pk_probe_opts *o,
             struct pk_probe_count *count)
{
	struct sched s = { ops, o, count, pk_now_ms(), NULL, NULL, NULL, 0, NULL, 0, 0 };
	size_t slots = o->parallel < n ? o->parallel : n;
	int64_t last_progress = s.t0;
	size_t k;

	memset(count, 0, sizeof *count);
	count->total = n;
	s.run = calloc(slots + 1, sizeof *s.run);
	s.deadline = calloc(slots + 1, sizeof *s.deadline);
	s.tasks = calloc(slots + 1, sizeof *s.tasks);
	s.free_slots = calloc(slots + 1, sizeof *s.free_slots);
	if (s.run == NULL || s.deadline == NULL || s.tasks == NULL || s.free_slots == NULL) {
		free_sched(&s);
		return PK_ECOMM;
	}
	/* Slot 0 on top: a scan of one address uses slot 0. */
	while (s.nfree < slots) {
		s.free_slots[s.nfree] = slots - 1 - s.nfree;
		s.nfree++;
	}
	for (;;) {
		int64_t now = pk_now_ms(), until;

		start_due(&s, now);
		if (s.nrun == 0 && s.next == n)
			break;
		until = next_wake(&s, last_progress);
		if (s.nrun == 0) {
			pk_sleep_ms(until - now, until);
		} else {
			for (k = 0; k < s.nrun; k++)
				s.tasks[k] = ops->task(ops->ctx, s.run[k]);
			pk_poll_tasks(s.tasks, s.nrun, until);  /* timeouts are each probe's */
		}
		now = pk_now_ms();
		check_running(&s, now);
		if (o->progress != NULL && now - last_progress >= PROGRESS_MS) {
			report(&s, now);
			last_progress = now;
		}
	}
	report(&s, pk_now_ms());
	free_sched(&s);
	return 0;
}
