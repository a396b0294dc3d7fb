/* core/probe.h — the scheduler of a discovery: one probe an address,
 * all driven by one poll loop (core/net.h), at most `parallel` in
 * flight, started at most `rate` a second, each ended at its own
 * deadline (`timeout_ms` from its start).  So the whole scan ends within
 * addresses / rate + one timeout (when parallel is no bottleneck), and a
 * silent address costs one timeout, in parallel with the rest.
 *
 * What a probe sends is the protocol's business (nut/scan.h,
 * pdu/discover.h, wattbox/discover.h): the scheduler only starts, polls
 * and ends them through pk_probe_ops, and counts.  Nothing here prints:
 * progress goes to a callback. */
#ifndef PK_PROBE_H
#define PK_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "core/net.h"

enum pk_probe_state {
	PK_PROBE_RUNNING = 0,
	PK_PROBE_UNSENT,     /* nothing could be sent (no route, no socket, no such name) */
	PK_PROBE_SILENT,     /* sent; no answer, or a refused connection */
	PK_PROBE_ANSWERED,   /* something answered that is not what the scan looks for */
	PK_PROBE_FOUND       /* a device */
};

/* A running probe lives in a slot, 0 <= slot < parallel, which the
 * scheduler gives it at its start and takes back at its end: a protocol
 * keeps per-slot state for the probes in flight, never per address. */
struct pk_probe_ops {
	/* Starts probe i in slot, to end by deadline: PK_PROBE_RUNNING, or
	 * how it ended at once (its sockets then closed). */
	enum pk_probe_state (*start)(void *ctx, size_t i, size_t slot, int64_t deadline);
	/* The poll-loop task of the probe running in slot. */
	struct pk_task (*task)(void *ctx, size_t slot);
	/* After each poll: RUNNING, or how the probe in slot ended (its
	 * sockets then closed).  With expired set its deadline has passed
	 * and it must end now with what it has. */
	enum pk_probe_state (*check)(void *ctx, size_t slot, int expired);
	void *ctx;
};

struct pk_probe_count {
	size_t total;        /* probes to run */
	size_t started;      /* started so far */
	size_t sent;         /* started and not PK_PROBE_UNSENT */
	size_t answered;     /* ANSWERED or FOUND */
	size_t found;        /* FOUND */
	int64_t elapsed_ms;
};

struct pk_probe_opts {
	size_t parallel;     /* probes in flight at most (>= 1) */
	long rate;           /* probes started a second at most (>= 1) */
	int64_t timeout_ms;  /* each probe's time */
	/* Called about ten times a second while the scan runs, and once at
	 * its end; NULL: none. */
	void (*progress)(void *ctx, const struct pk_probe_count *count);
	void *progress_ctx;
};

#define PK_PROBE_PARALLEL_DEFAULT 128
#define PK_PROBE_RATE_DEFAULT 500
#define PK_PROBE_TIMEOUT_DEFAULT_MS 1000

/* Runs the n probes to their ends and fills count.  Returns 0, or
 * PK_ECOMM when memory ran out before any probe started. */
int pk_probe_run(const struct pk_probe_ops *ops, size_t n, const struct pk_probe_opts *o,
                 struct pk_probe_count *count);

#endif
