/* nut/health.h — is this UPS all right?  The evaluation behind
 * `nutq --check`: from a UPS's variables (LIST VAR) to conditions, each
 * with a stable key, a monitoring state and a short text, and to the
 * metrics worth graphing (perfdata).
 *
 * What is judged (nutq(1), CHECK, lists every mapping):
 *  - ups.status flags: OL OK; OB WARNING; LB, FSD, OFF, OVER, RB, BYPASS
 *    CRITICAL; ALARM WARNING, with ups.alarm in the text; CHRG, DISCHRG
 *    and the other known flags information (OK); a flag nobody knows is
 *    information too.  --status-map FLAG=STATE overrides any flag.
 *  - thresholds on any numeric variable; without the user's own for a
 *    variable, the defaults battery.charge 20:/10:, battery.runtime
 *    300:/120:, ups.load 80/95 (applied where the UPS reports them).  A
 *    user's threshold on a variable the UPS does not report is UNKNOWN.
 *  - input.voltage and input.frequency against the UPS's own nominal
 *    values, within a tolerance in percent (not while on battery: OB
 *    already says the input is gone).
 *  - battery.charge estimated from battery.voltage when the UPS has no
 *    battery.charge (marked "(estimated)", metric battery.charge.estimated).
 *  - a UPS that cannot be read: nut_health_from_error.
 *
 * Nothing here prints; nut_health_to_check hands the result to a
 * core/check report.  The conditions stay apart from the report so that
 * a watcher can follow each one's state over time. */
#ifndef PK_NUT_HEALTH_H
#define PK_NUT_HEALTH_H

#include <stddef.h>

#include "core/check.h"
#include "core/err.h"
#include "nut/pipeline.h"

#define NUT_STATUS_MAP_MAX 32

struct nut_status_override {
	char flag[16];
	enum pk_check_state state;
};

/* What the user asked for.  nut_health_opts_init sets the defaults. */
struct nut_health_opts {
	const struct pk_thresholds *thresholds;  /* --warning / --critical; NULL: none */
	double volt_tol[2];                  /* percent: warning, critical (6, 10) */
	double freq_tol[2];                  /* percent: warning, critical (2, 4) */
	struct nut_status_override status_map[NUT_STATUS_MAP_MAX];
	size_t n_status_map;
	int judge_output;                    /* output.voltage against its nominal too,
	                                      * by volt_tol (the watch; not --check) */
};

void nut_health_opts_init(struct nut_health_opts *o);

/* --status-map FLAG=STATE (a later one for the same flag wins): 0, or
 * PK_EUSAGE with err filled. */
int nut_health_status_map_add(struct nut_health_opts *o, const char *spec,
                              struct pk_err *err);

/* "W,C" percentages, 0 < W <= C (--voltage-tolerance 6,10): 0, or
 * PK_EUSAGE with err filled; tol is unchanged on error. */
int nut_health_tolerance_parse(const char *spec, double tol[2], struct pk_err *err);

/* One condition.  Keys: "status.FLAG", "status" (no ups.status),
 * "var.NAME" (a threshold), "input.voltage", "input.frequency",
 * "output.voltage" (against the nominal value), "ups" (the UPS could
 * not be read). */
struct nut_condition {
	char key[80];
	enum pk_check_state state;
	char text[200];
};

/* One metric, with the ranges it was judged by (if any). */
struct nut_metric {
	char label[80];             /* the variable, or battery.charge.estimated */
	double value;
	const char *uom;            /* "%", "s", "V", "Hz", "W", "VA", "A", "C", "" */
	struct pk_range warn, crit;
	int has_warn, has_crit;
	double min, max;            /* NAN when none (0 and 100 for percentages) */
};

struct nut_health {
	struct nut_condition *cond;
	size_t n_cond, cap_cond;
	struct nut_metric *metrics;
	size_t n_metrics, cap_metrics;
	int oom;                    /* something could not be recorded */
};

/* Evaluates a UPS's variables into h (zeroed by the caller, or reused
 * after nut_health_free). */
void nut_health_eval(const struct nut_kvlist *vars, const struct nut_health_opts *o,
                     struct nut_health *h);

/* The condition of a UPS that could not be read: ERR DATA-STALE and
 * DRIVER-NOT-CONNECTED are CRITICAL (the UPS is there, its data is not);
 * cannot connect, timeout or a malformed reply (PK_ECOMM) are
 * `unreachable` (UNKNOWN, or CRITICAL when the user says so); anything
 * else (unknown UPS, access denied) is UNKNOWN.  The text is the
 * error's message. */
void nut_health_from_error(const struct pk_err *err, enum pk_check_state unreachable,
                           struct nut_health *h);

/* The worst state of h's conditions (UNKNOWN when nothing could be
 * recorded). */
enum pk_check_state nut_health_state(const struct nut_health *h);

/* The metric with this label, or NULL. */
const struct nut_metric *nut_health_metric(const struct nut_health *h, const char *label);

/* The condition with this key, or NULL. */
const struct nut_condition *nut_health_find(const struct nut_health *h, const char *key);

/* Adds h's conditions as findings and its metrics as perfdata to t. */
void nut_health_to_check(const struct nut_health *h, struct pk_check_target *t);

void nut_health_free(struct nut_health *h);

#endif
