/* core/clock.h — monotonic deadlines.  A deadline is an absolute time in
 * milliseconds on CLOCK_MONOTONIC; every network wait is bounded by one. */
#ifndef PK_CLOCK_H
#define PK_CLOCK_H

#include <stdint.h>

int64_t pk_now_ms(void);

/* The same clock in milliseconds with a fraction, for a round trip. */
double pk_now_ms_fine(void);

/* Deadline timeout_ms from now. */
int64_t pk_deadline_in(int64_t timeout_ms);

/* Milliseconds left until deadline, clamped to [0, INT32_MAX] for poll();
 * 0 for every deadline once a stop was requested. */
int pk_ms_left(int64_t deadline);

/* Sleeps ms milliseconds, but never past the deadline (nor a stop). */
void pk_sleep_ms(int64_t ms, int64_t deadline);

/* A stop request (SIGINT or SIGTERM; cli/ installs the handler) ends
 * every wait at once: from then on every deadline counts as passed, so
 * each protocol ends its session as it does at a timeout, politely
 * (LOGOUT, !Exit: a write to a writable socket needs no wait), and
 * returns.  The handler only calls pk_stop_request, which is
 * async-signal-safe; poll() and sleeps return with EINTR and notice it. */
void pk_stop_request(int sig);

/* The signal of the stop request, 0 when none came. */
int pk_stop_signal(void);

/* Forgets the stop request, for a run whose normal end is a signal
 * (a watch): its sessions were ended politely, and it exits 0. */
void pk_stop_clear(void);

#endif
