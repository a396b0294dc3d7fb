/* core/check.h — monitoring-plugins checks (Nagios, Icinga, Naemon...):
 * threshold ranges, states, and the report every `--check` prints.
 *
 * A tool evaluates its devices into a report: one target per device,
 * each with findings (a state and a short text) and perfdata items, then
 * renders it into a pk_buf:
 *
 *   NUT WARNING - on battery | 'battery.charge'=95%;20:;10:;0;100 ...
 *
 * with one target, or with several one line summarising the fleet,
 *
 *   NUT CRITICAL - 97 OK, 1 WARNING (ups3@h2: on battery), 2 CRITICAL (...)
 *
 * perfdata labels then prefixed with the target ("ups3@h2/ups.load").
 * The exit code is the report's state (pk_check_report_state).  Nothing
 * here prints; the service word (NUT, PDU, WATTBOX) is the caller's.
 *
 * The conventions followed are the monitoring-plugins developer
 * guidelines: states 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; ranges
 * [@]START:END; perfdata 'label'=value[UOM];warn;crit;min;max. */
#ifndef PK_CHECK_H
#define PK_CHECK_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

/* The values are the plugin exit codes. */
enum pk_check_state {
	PK_CHECK_OK = 0,
	PK_CHECK_WARNING = 1,
	PK_CHECK_CRITICAL = 2,
	PK_CHECK_UNKNOWN = 3
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *pk_check_state_name(enum pk_check_state s);

/* Reads "ok", "warning", "critical" or "unknown" (any case) into *out:
 * 0, or PK_EUSAGE with err filled. */
int pk_check_state_parse(const char *word, enum pk_check_state *out, struct pk_err *err);

/* The worse of two states, ranked as monitoring-plugins' max_state_alt:
 * OK < UNKNOWN < WARNING < CRITICAL.  A known problem outranks not
 * knowing: one UPS on battery and one unreachable make a WARNING (the
 * caller maps "unreachable" to CRITICAL when the user wants it louder). */
enum pk_check_state pk_check_worst(enum pk_check_state a, enum pk_check_state b);

/* A threshold range.  START:END alerts when the value is outside
 * [START, END] (inclusive), @START:END when it is inside; "N" is 0:N,
 * "N:" is N to infinity, "~:N" is minus infinity to N; an empty START
 * (":N") is 0, as in monitoring-plugins. */
#define PK_RANGE_TEXT_MAX 48
struct pk_range {
	double start, end;              /* -INFINITY / INFINITY when open */
	int inside;                     /* '@': alert inside the range */
	char text[PK_RANGE_TEXT_MAX];   /* as given (or made), for perfdata */
};

/* Parses a range: 0, or PK_EUSAGE with err filled ("bad range ...") for
 * anything else, START > END included.  Numbers are plain decimals with
 * an optional sign ("-5", "0.5", "10."); no exponents, "inf" or "nan". */
int pk_range_parse(const char *text, struct pk_range *r, struct pk_err *err);

/* A range START:END (outside alerts) made from numbers; its text is
 * written the way pk_check_format_num writes numbers. */
void pk_range_make(struct pk_range *r, double start, double end);

/* r made stricter by percent of each finite bound, for hysteresis: an
 * alerting value must come that far back inside before r stops
 * alerting ("10:" with 2 becomes "10.2:", "@10:20" becomes "@9.8:20.4").
 * A bound of 0 stays; a bound of a range alerting outside moves a
 * quarter of its width at most ("49:51" with 2 becomes "49.5:50.5"). */
void pk_range_narrow(const struct pk_range *r, double percent, struct pk_range *out);

/* 1 when value raises an alert under r, else 0. */
int pk_range_alerts(const struct pk_range *r, double value);

/* Thresholds on named variables, from --warning VAR=RANGE and
 * --critical VAR=RANGE.  A later threshold of the same level on the same
 * variable replaces the earlier one. */
#define PK_CHECK_VAR_MAX 64
struct pk_threshold {
	char var[PK_CHECK_VAR_MAX];
	struct pk_range warn, crit;
	int has_warn, has_crit;
};

struct pk_thresholds {
	struct pk_threshold *items;
	size_t n, cap;
};

/* Adds "VAR=RANGE" at the given level (PK_CHECK_WARNING or
 * PK_CHECK_CRITICAL): 0, or PK_EUSAGE with err filled (no '=', empty
 * name, bad range, out of memory). */
int pk_thresholds_add(struct pk_thresholds *t, enum pk_check_state level,
                      const char *spec, struct pk_err *err);

/* Sets a threshold from a range made by the caller (a default): 0 or -1
 * when memory ran out. */
int pk_thresholds_set(struct pk_thresholds *t, enum pk_check_state level,
                      const char *var, const struct pk_range *r);

/* The threshold of var, or NULL. */
struct pk_threshold *pk_thresholds_find(const struct pk_thresholds *t, const char *var);

void pk_thresholds_free(struct pk_thresholds *t);

/* CRITICAL when the critical range alerts, else WARNING when the warning
 * range does, else OK. */
enum pk_check_state pk_threshold_eval(const struct pk_threshold *th, double value);

/* th's state for value when th was at prev before, with hysteresis: a
 * state better than prev is reached only with the ranges narrowed by
 * percent (pk_range_narrow), so a value hovering on a limit does not
 * flap. */
enum pk_check_state pk_threshold_eval_from(const struct pk_threshold *th, double value,
                                           enum pk_check_state prev, double percent);

/* Writes a perfdata number: C locale, no exponent, at most 6 decimals
 * with trailing zeros dropped ("230.5", "12", "-0.25"). */
void pk_check_format_num(struct pk_buf *b, double v);

/* One finding about a target: its state and a short text ("on battery",
 * "battery.charge 15% (warning below 20)"). */
struct pk_check_finding {
	enum pk_check_state state;
	char *text;
};

/* One perfdata item; value NAN is written as "U" (unknown); min/max
 * NAN are left out; warn/crit NULL are left empty. */
struct pk_check_perf {
	char *label;
	double value;
	char uom[8];
	char warn[PK_RANGE_TEXT_MAX], crit[PK_RANGE_TEXT_MAX];
	double min, max;
};

struct pk_check_target {
	char *name;                          /* "ups3@h2" */
	struct pk_check_finding *findings;
	size_t n_findings, cap_findings;
	struct pk_check_perf *perf;
	size_t n_perf, cap_perf;
	int oom;                             /* something could not be added */
};

struct pk_check_report {
	const char *service;                 /* "NUT", "PDU", "WATTBOX" */
	struct pk_check_target *targets;
	size_t n_targets, cap_targets;
	int oom;
};

void pk_check_report_init(struct pk_check_report *r, const char *service);
void pk_check_report_free(struct pk_check_report *r);

/* A new target at the end of the report (targets render in the order
 * they are added), or NULL when memory ran out.  The pointer is valid
 * until the next pk_check_target_add. */
struct pk_check_target *pk_check_target_add(struct pk_check_report *r, const char *name);

/* Adds a finding.  Control characters and '|' in the text (device data
 * can hold them) become '?' and '/', so the status line stays one line
 * and the perfdata separator stays unique. */
void pk_check_finding(struct pk_check_target *t, enum pk_check_state state,
                      const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Adds a perfdata item; warn and crit may be NULL, min and max NAN. */
void pk_check_perf(struct pk_check_target *t, const char *label, double value,
                   const char *uom, const struct pk_range *warn,
                   const struct pk_range *crit, double min, double max);

/* A target's state: the worst of its findings, OK when it has none. */
enum pk_check_state pk_check_target_state(const struct pk_check_target *t);

/* The report's state, the worst of its targets (UNKNOWN when it has
 * none, or when memory ran out while it was built): the exit code. */
enum pk_check_state pk_check_report_state(const struct pk_check_report *r);

/* Renders the plugin output: the status line with its perfdata, then,
 * when verbose, the long output: per target "TARGET: STATE - reason",
 * and per finding that is not OK "TARGET: STATE: text".  The reason of a
 * target is the texts of its findings at its own state, joined by ", ".
 * Returns 0, or -1 when memory ran out. */
int pk_check_render(const struct pk_check_report *r, int verbose, struct pk_buf *out);

/* Renders the report as one JSON document:
 *   {"service":"NUT","state":"WARNING","code":1,"summary":"...",
 *    "targets":[{"target":"ups@h","state":"WARNING","code":1,
 *      "reason":"on battery","findings":[{"state":"WARNING","text":".."}],
 *      "perfdata":[{"label":"battery.charge","value":95,"uom":"%",
 *                   "warn":"20:","crit":"10:","min":0,"max":100}]}]}
 * ("value" null when unknown; empty warn/crit and NAN min/max left out). */
int pk_check_render_json(const struct pk_check_report *r, struct pk_buf *out);

#endif
