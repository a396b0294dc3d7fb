/* options.h — option helpers shared by every tool: bounded number parsing
 * (one error shape, in the spirit of strtonum) and the common options
 * -h -V -t -j -q -v --format. */
#ifndef PK_OPTS_H
#define PK_OPTS_H

#include <getopt.h>
#include <stdint.h>

#include "core/err.h"
#include "core/format.h"

struct pk_common_opts {
	int64_t timeout_ms;     /* -t: whole-run deadline, default 5 s */
	enum pk_format format;  /* -j, --format */
	int quiet;              /* -q */
	int verbose;            /* -v, repeatable */
	int help, version;      /* -h, -V */
};

/* getopt_long ids of long-only common options. */
enum { PK_OPT_FORMAT = 0x1000, PK_OPT_FIRST_TOOL = 0x1100 };

/* The common short options and long option entries, to splice into a
 * tool's own tables. */
#define PK_COMMON_SHORTOPTS "hVt:jqv"
#define PK_COMMON_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ "timeout", required_argument, NULL, 't' }, \
	{ "json", no_argument, NULL, 'j' }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "verbose", no_argument, NULL, 'v' }, \
	{ "format", required_argument, NULL, PK_OPT_FORMAT }

/* Help lines for the common options (prom_ok: the tool offers --format prom). */
const char *pk_common_help(int prom_ok);

void pk_common_defaults(struct pk_common_opts *o);

/* -h and -V: prints the tool's usage (usage_head, the common options,
 * then usage_tail, which may be NULL) or its version on stdout.  Returns
 * 1 when it printed something (main then exits 0), else 0. */
int pk_help_or_version(const struct pk_common_opts *o, const char *tool,
                       const char *usage_head, int prom_ok, const char *usage_tail);

/* Handles one common option.  Returns 1 if ch was a common option and
 * was applied, 0 if it is not a common option, -1 on a bad argument
 * (err filled, PK_EUSAGE). */
int pk_common_opt(struct pk_common_opts *o, int ch, const char *arg,
                  struct pk_err *err);

/* getopt_long() with one message shape for every tool, instead of the C
 * library's "argv[0]: invalid option" on stderr.  shortopts may start
 * with '+' (stop at the first operand).  Returns the option as getopt_long
 * does, -1 at the end, or '?' with err filled (PK_EUSAGE):
 *   unknown option '-Z' (try 'nutq --help')
 *   option '--timeout' needs a value (try 'nutq --help') */
int pk_getopt(int argc, char *const argv[], const char *shortopts,
              const struct option *longopts, const char *tool, struct pk_err *err);

/* Parses a decimal integer in [min, max]; what names it in messages. */
int pk_parse_long(const char *s, long min, long max, const char *what,
                  long *out, struct pk_err *err);

/* Parses seconds ("5", "0.5") in (0, max_s] into milliseconds. */
int pk_parse_seconds(const char *s, double max_s, const char *what,
                     int64_t *out_ms, struct pk_err *err);

#endif
