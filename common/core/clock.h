/* core/clock.h — monotonic deadlines.  A deadline is an absolute time in
 * milliseconds on CLOCK_MONOTONIC; every network wait is bounded by one. */
#ifndef PK_CLOCK_H
#define PK_CLOCK_H

#include <stdint.h>

int64_t pk_now_ms(void);

/* Deadline timeout_ms from now. */
int64_t pk_deadline_in(int64_t timeout_ms);

/* Milliseconds left until deadline, clamped to [0, INT32_MAX] for poll(). */
int pk_ms_left(int64_t deadline);

/* Sleeps ms milliseconds, but never past the deadline. */
void pk_sleep_ms(int64_t ms, int64_t deadline);

#endif
