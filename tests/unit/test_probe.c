/* Unit tests for the discovery scheduler (core/probe.h), with probes
 * that are timers alone: how many run at once, how fast they start, and
 * that a silent one ends at its own deadline. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/probe.h"
#include "tap.h"

#define N 40

struct fake {
	size_t in_slot[N];             /* the probe running in each slot */
	int64_t started[N], ended[N];
	int answer_ms[N];              /* -1: never answers */
	enum pk_probe_state result[N];
	size_t running, max_running;
	size_t max_slot;               /* the highest slot given */
};

static enum pk_probe_state
fake_start(void *ctx, size_t i, size_t slot, int64_t deadline)
{
	struct fake *f = ctx;

	(void)deadline;
	f->in_slot[slot] = i;
	if (slot > f->max_slot)
		f->max_slot = slot;
	f->started[i] = pk_now_ms();
	if (f->answer_ms[i] == -2)
		return PK_PROBE_UNSENT;
	if (++f->running > f->max_running)
		f->max_running = f->running;
	return PK_PROBE_RUNNING;
}

static short
fake_want(void *ctx, int *fd, int64_t *wake)
{
	int64_t *answer_at = ctx;

	*fd = -1;
	*wake = *answer_at;
	return 0;
}

static int
fake_handle(void *ctx, short revents)
{
	(void)ctx;
	(void)revents;
	return 0;
}

static int64_t answer_at[N];

static struct pk_task
fake_task(void *ctx, size_t slot)
{
	struct fake *f = ctx;
	size_t i = f->in_slot[slot];
	struct pk_task t = { fake_want, fake_handle, &answer_at[i] };

	answer_at[i] = f->answer_ms[i] >= 0 ? f->started[i] + f->answer_ms[i] : 0;
	return t;
}

static enum pk_probe_state
fake_check(void *ctx, size_t slot, int expired)
{
	struct fake *f = ctx;
	size_t i = f->in_slot[slot];
	enum pk_probe_state st = PK_PROBE_RUNNING;

	if (f->answer_ms[i] >= 0 && pk_now_ms() >= f->started[i] + f->answer_ms[i])
		st = f->result[i];
	else if (expired)
		st = PK_PROBE_SILENT;
	if (st != PK_PROBE_RUNNING) {
		f->ended[i] = pk_now_ms();
		f->running--;
	}
	return st;
}

static void
progress(void *ctx, const struct pk_probe_count *c)
{
	int *calls = ctx;

	(*calls)++;
	(void)c;
}

static void
test_bounds(void)
{
	static struct fake f;
	struct pk_probe_ops ops = { fake_start, fake_task, fake_check, &f };
	struct pk_probe_opts o = { 4, 200, 300, progress, NULL };
	struct pk_probe_count c;
	int calls = 0;
	int64_t t0;
	size_t i;
	int spaced = 1;

	o.progress_ctx = &calls;
	for (i = 0; i < N; i++) {
		f.answer_ms[i] = 20;
		f.result[i] = i % 2 ? PK_PROBE_FOUND : PK_PROBE_ANSWERED;
	}
	f.answer_ms[3] = -1;   /* silent: ends at its deadline */
	f.answer_ms[5] = -2;   /* nothing could be sent */
	t0 = pk_now_ms();
	TAP_OK(pk_probe_run(&ops, N, &o, &c) == 0, "the scan runs");
	TAP_OK(c.total == N && c.started == N, "every probe started");
	TAP_OK(c.sent == N - 1, "the unsent one is not counted sent (%zu)", c.sent);
	TAP_OK(c.answered == N - 2, "all but the silent and the unsent answered (%zu)", c.answered);
	TAP_OK(c.found == N / 2 - 2, "the odd ones found, less the silent and the unsent (%zu)", c.found);
	TAP_OK(f.max_running <= 4, "at most 4 in flight (%zu)", f.max_running);
	TAP_OK(f.max_slot < 4, "slots stay below --parallel (%zu)", f.max_slot);
	for (i = 1; i < N; i++)
		if (f.started[i] < t0 + (int64_t)i * 1000 / 200)
			spaced = 0;
	TAP_OK(spaced, "no probe started before the rate allowed it");
	TAP_OK(f.ended[3] - f.started[3] >= 300 && f.ended[3] - f.started[3] < 450,
	       "the silent probe ended at its own deadline (%lld ms)",
	       (long long)(f.ended[3] - f.started[3]));
	TAP_OK(c.elapsed_ms >= 195 && c.elapsed_ms < 195 + 300 + 250,
	       "the scan took addresses/rate + one timeout at most (%lld ms)",
	       (long long)c.elapsed_ms);
	TAP_OK(calls >= 2, "progress was reported while it ran and at the end (%d)", calls);
}

static void
test_parallel_bound(void)
{
	static struct fake f;
	struct pk_probe_ops ops = { fake_start, fake_task, fake_check, &f };
	struct pk_probe_opts o = { 2, 100000, 200, NULL, NULL };
	struct pk_probe_count c;
	size_t i;

	for (i = 0; i < 6; i++) {
		f.answer_ms[i] = 50;
		f.result[i] = PK_PROBE_FOUND;
	}
	TAP_OK(pk_probe_run(&ops, 6, &o, &c) == 0 && c.found == 6, "six found two at a time");
	TAP_OK(f.max_running == 2, "never more than two in flight (%zu)", f.max_running);
	TAP_OK(c.elapsed_ms >= 150, "three rounds of 50 ms (%lld ms)", (long long)c.elapsed_ms);
	TAP_OK(pk_probe_run(&ops, 0, &o, &c) == 0 && c.total == 0, "an empty scan ends at once");
}

int
main(void)
{
	test_bounds();
	test_parallel_bound();
	return TAP_DONE();
}
