/* health.h — a WattBox judged for a monitoring-plugins check (--check):
 * what one unit's reading means as findings and perfdata of a
 * core/check.h report.  Nothing here prints. */
#ifndef PK_WB_HEALTH_H
#define PK_WB_HEALTH_H

#include "core/check.h"
#include "wattbox/actions.h"

/* What the check asks for besides the defaults. */
struct wb_health_opts {
	const char *expect_on, *expect_off;   /* OUTLETS that must be on / off, or NULL */
	const struct pk_thresholds *th;       /* --warning / --critical VAR=RANGE */
};

/* The variables a threshold may name, as the unit reports them: "power"
 * (W), "current" (A), "voltage" (V) of the whole unit, "ups.charge" (%),
 * "ups.load" (%), "ups.runtime" (seconds). */
extern const char *const wb_health_vars[];

/* The parts of a unit a check reads. */
#define WB_HEALTH_PARTS (WB_PART_STATUS | WB_PART_POWER | WB_PART_UPS)

/* 0 when every threshold names a known variable, else PK_EUSAGE naming
 * it and the known ones. */
int wb_health_check_vars(const struct pk_thresholds *th, struct pk_err *err);

/* Judges one unit read with WB_HEALTH_PARTS into t: outlets not as
 * expected (CRITICAL), UPS on battery (WARNING), on battery with the
 * charge in its critical range (CRITICAL, "low battery"), battery health
 * Bad (WARNING), thresholds (a threshold on a value the unit does not
 * report is UNKNOWN, saying so; ups.charge has the defaults 20: and 10:
 * where the unit has a UPS), and perfdata for every value read.  A
 * spec in opts that names an outlet the unit lacks is UNKNOWN. */
void wb_health_judge(struct pk_check_target *t, const struct wb_reading *r,
                     const struct wb_health_opts *opts);

#endif
