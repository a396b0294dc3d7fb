/* nut/watch.h — a NUT UPS's change events (`nutq --watch`): each poll of
 * a UPS (its LIST VAR, or why it could not be read) is judged by
 * nut/health.h, the evaluation behind `nutq --check`, and turned into
 * states per key (core/watch.h), so an event fires only when a state
 * changes.  The keys, their states and what sets them (nutq(1), WATCH):
 *
 *   comm      COMMOK / COMMBAD         the UPS answered / could not be read
 *   data      DATA_OK / DATA_STALE     ERR DATA-STALE or DRIVER-NOT-CONNECTED
 *   power     ONLINE / ONBATT          OL / OB in ups.status
 *   LB FSD RB CAL OFF BYPASS           LOWBATT FSD REPLBATT CAL OFF BYPASS
 *                                      while the flag is there, NOT<that>
 *                                      (NOTLOWBATT...) when it goes
 *   OVER      OVERLOAD / OUTPUT_OK
 *   full      BATTFULL / NOTBATTFULL   battery.charge (or its estimate) 100,
 *                                      below 100 - hysteresis
 *   test      BATTERY_TEST_STARTED / _PASSED / _FAILED
 *                                      the TEST flag or ups.test.result
 *                                      "In progress"; then the result
 *   input.voltage   INPUT_VOLTAGE_HIGH / _LOW / _OK   off its nominal
 *   input.frequency INPUT_FREQ_ERROR / INPUT_FREQ_OK  by the tolerances
 *   output.voltage  OUTPUT_VOLTAGE_HIGH / _LOW / _OK
 *   threshold.VAR   THRESHOLD_WARNING / _CRITICAL / _OK  the user's
 *                                      --warning / --critical on VAR
 *   temp      TEMP_HIGH / TEMP_OK      a threshold of the user's on
 *                                      ups.temperature alerting
 *
 * Judged values that leave an alert do so with hysteresis: the limit
 * moved inward by a percentage (pk_threshold_eval_from). */
#ifndef PK_NUT_WATCH_H
#define PK_NUT_WATCH_H

#include <time.h>

#include "core/err.h"
#include "core/watch.h"
#include "nut/health.h"
#include "nut/pipeline.h"

struct nut_watch_opts {
	const struct nut_health_opts *health;  /* thresholds, tolerances, status map */
	double hysteresis;                     /* percent */
};

/* Judges one poll of target: vars when err->status is 0, else err.
 * The events (in a fixed key order) are appended to evs. */
void nut_watch_poll(struct pk_watch *w, const struct nut_watch_opts *o, const char *target,
                    const struct nut_kvlist *vars, const struct pk_err *err, time_t when,
                    struct pk_events *evs);

#endif
