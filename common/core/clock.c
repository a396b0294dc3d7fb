#include "core/clock.h"

#include <signal.h>
#include <time.h>

static volatile sig_atomic_t stop_sig;

void
pk_stop_request(int sig)
{
	stop_sig = sig;
}

int
pk_stop_signal(void)
{
	return stop_sig;
}

void
pk_stop_clear(void)
{
	stop_sig = 0;
}

int64_t
pk_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double
pk_now_ms_fine(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int64_t
pk_deadline_in(int64_t timeout_ms)
{
	return pk_now_ms() + timeout_ms;
}

int
pk_ms_left(int64_t deadline)
{
	int64_t left = deadline - pk_now_ms();

	if (left < 0 || stop_sig != 0)
		return 0;
	if (left > INT32_MAX)
		return INT32_MAX;
	return (int)left;
}

void
pk_sleep_ms(int64_t ms, int64_t deadline)
{
	int64_t left = pk_ms_left(deadline);
	struct timespec ts;

	if (ms > left)
		ms = left;
	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) != 0 && stop_sig == 0)
		;
}
