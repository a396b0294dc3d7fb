/* cli/check_opts.h — the monitoring-plugins mode every reading tool
 * offers: the options --check, --warning VAR=RANGE, --critical
 * VAR=RANGE (long only, repeatable: -c is taken in nutq and pductl) and
 * --unreachable unknown|critical, and printing a core/check report as a
 * plugin does: everything on stdout, the exit code the check's state. */
#ifndef PK_CHECK_OPTS_H
#define PK_CHECK_OPTS_H

#include "cli/options.h"
#include "core/check.h"

extern const struct pk_opt pk_opts_check[];

struct pk_check_opts {
	int enabled;                        /* --check */
	struct pk_thresholds thresholds;    /* --warning, --critical */
	enum pk_check_state unreachable;    /* --unreachable; default UNKNOWN */
	int other;                          /* a check option other than --check was given */
};

void pk_check_opts_init(struct pk_check_opts *c);
void pk_check_opts_free(struct pk_check_opts *c);

/* Handles one option of pk_opts_check: 1 when it was one and applied, 0
 * when it is not one, -1 on a bad value (err filled, PK_EUSAGE). */
int pk_check_opt(struct pk_check_opts *c, int id, const char *arg, struct pk_err *err);

/* After parsing: the threshold options without --check are a usage
 * error, and so is --format prom with --check.  0 or PK_EUSAGE. */
int pk_check_opts_validate(const struct pk_check_opts *c, const struct pk_common_opts *o,
                           struct pk_err *err);

/* 1 when argv asks for --check (before any "--"): a usage error is then
 * reported the plugin way (pk_check_usage_error). */
int pk_check_asked(int argc, char *const argv[]);

/* Prints the report on stdout: the plugin text (with -v the long
 * output) or, with -j, its JSON document.  Returns the check's state,
 * the exit code (UNKNOWN when stdout cannot be written). */
int pk_check_print(const struct pk_check_report *r, const struct pk_common_opts *o);

/* A failure before any device was asked (bad option, bad target), the
 * plugin way: "SERVICE UNKNOWN - tool: message" on stdout, where the
 * monitoring system looks, and exit code 3 (a plugin's 2 would read as
 * CRITICAL). */
int pk_check_usage_error(const char *service, const char *tool, const struct pk_err *err);

#endif
