/* options.h — every tool's options are tables of struct pk_opt, from
 * which getopt_long's tables, the options part of --help and the shell
 * completions (cli/complete.h) are produced.  Also bounded number parsing
 * (one error shape, in the spirit of strtonum) and the common options
 * -h -V -t -j -q -v --format. */
#ifndef PK_OPTS_H
#define PK_OPTS_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"
#include "core/format.h"

struct pk_common_opts {
	int64_t timeout_ms;     /* -t: whole-run deadline, default 5 s */
	enum pk_format format;  /* -j, --format */
	int quiet;              /* -q */
	int verbose;            /* -v, repeatable */
	int help, version;      /* -h, -V */
};

/* getopt_long ids of long-only options.  An option shared by several
 * tools has one id here, so that it means the same everywhere; a tool's
 * own long-only options start at PK_OPT_FIRST_TOOL. */
enum {
	PK_OPT_FORMAT = 0x1000,
	PK_OPT_PASSWORD_FILE,   /* --password-file FILE */
	PK_OPT_NO_WAIT,         /* --no-wait: do not confirm by reading back */
	PK_OPT_YES,             /* --yes: confirm an action on every outlet */
	PK_OPT_TARGETS,         /* --targets FILE */
	PK_OPT_PARALLEL,        /* --parallel N */
	PK_OPT_OUTPUT,          /* --output FILE */
	PK_OPT_CHECK,           /* --check (cli/check_opts.h) */
	PK_OPT_WARNING,         /* --warning VAR=RANGE */
	PK_OPT_CRITICAL,        /* --critical VAR=RANGE */
	PK_OPT_UNREACHABLE,     /* --unreachable unknown|critical */
	PK_OPT_TLS,             /* --tls[=try]: STARTTLS, required or tried */
	PK_OPT_CAFILE,          /* --cafile FILE: CA certificates for TLS */
	PK_OPT_INSECURE_TLS,    /* --insecure-tls: no certificate check */
	PK_OPT_WATCH,           /* --watch[=SECONDS] (cli/watch.h) and its options */
	PK_OPT_INITIAL,
	PK_OPT_COUNT,
	PK_OPT_FOR,
	PK_OPT_EXEC,
	PK_OPT_HYSTERESIS,
	PK_OPT_ONCE,
	PK_OPT_STATE,
	PK_OPT_PORT,            /* --port PORT: discovery (cli/discover.h) */
	PK_OPT_RATE,            /* --rate N: discovery */
	PK_OPT_MAX_HOSTS,       /* --max-hosts N: discovery */
	PK_OPT_FIRST_TOOL = 0x1100
};

/* What completes an option's value (or, for a flag, PK_VAL_NONE). */
enum pk_value_kind {
	PK_VAL_NONE,    /* a flag, or a free value nothing can guess (a number, a secret) */
	PK_VAL_WORDS,   /* one of the space-separated words in .words */
	PK_VAL_FILE,    /* a file name */
	PK_VAL_HOST     /* a host name */
};

/* One option, the single source of its getopt_long entry, its --help
 * lines and its completion. */
struct pk_opt {
	const char *name;       /* long name without "--" */
	int id;                 /* the short letter, or a PK_OPT_* id (long only) */
	const char *arg;        /* value name in --help ("SECONDS"), NULL: a flag */
	const char *help;       /* help text; each '\n' starts a continuation line */
	enum pk_value_kind value;
	const char *words;      /* PK_VAL_WORDS: the values */
};

/* An arg in brackets ("[SECONDS]") is optional: --name or --name=VALUE,
 * never the next word (long options only). */
int pk_opt_arg_optional(const struct pk_opt *op);

/* A tool's options: its tables in --help order, NULL-terminated; each
 * table ends with an entry whose name is NULL. */
typedef const struct pk_opt *const pk_opt_tables[];

/* The common options -t -j --format -q -v -h -V; with --format prom or
 * without. */
extern const struct pk_opt pk_opts_common_prom[];
extern const struct pk_opt pk_opts_common[];

/* The options of a run over many targets, --targets FILE, --parallel N
 * and --output FILE, for every tool that takes several targets: its
 * tables include pk_opts_fleet and its apply function passes each
 * option to pk_fleet_opt() first. */
extern const struct pk_opt pk_opts_fleet[];

#define PK_PARALLEL_DEFAULT 64
#define PK_PARALLEL_MAX 1024

struct pk_fleet_opts {
	const char *targets_file;  /* --targets: a file of targets ("-": stdin), or NULL */
	long parallel;             /* --parallel: connections in flight at most */
	const char *output;        /* --output: write the result here atomically, or NULL */
};

void pk_fleet_defaults(struct pk_fleet_opts *o);

/* Handles --targets, --parallel, --output: 1 when ch was one of them
 * and was applied, 0 when it is none of them, -1 on a bad value (err
 * filled, PK_EUSAGE). */
int pk_fleet_opt(struct pk_fleet_opts *o, int ch, const char *arg, struct pk_err *err);

/* At most this many options in one tool. */
#define PK_MAX_OPTS 48

/* getopt_long's tables, produced from a tool's option tables. */
struct pk_getopt_spec {
	struct option longopts[PK_MAX_OPTS + 1];
	char shortopts[2 * PK_MAX_OPTS + 1];
};

void pk_opts_spec(const struct pk_opt *const *tables, struct pk_getopt_spec *spec);

/* The option with this id (or long name, when name is not NULL), or NULL. */
const struct pk_opt *pk_opts_find(const struct pk_opt *const *tables, int id,
                                  const char *name);

/* Writes the options part of --help: "  -x, --name ARG" padded to a
 * column, then the help text. */
void pk_opts_help(FILE *f, const struct pk_opt *const *tables);

/* --dump-options: one line per option, "-x<TAB>--name<TAB>ARG<TAB>kind"
 * ("" where there is no short letter or value), for the documentation
 * checks. */
void pk_opts_dump(FILE *f, const struct pk_opt *const *tables);

/* 1 when argv is "TOOL --dump-options" (a hidden first argument, not in
 * the tables), after dumping on stdout; main then exits 0. */
int pk_opts_dump_asked(int argc, char **argv, const struct pk_opt *const *tables);

void pk_common_defaults(struct pk_common_opts *o);

/* -h and -V: prints the tool's usage (usage_head, its options from the
 * tables, then usage_tail, which may be NULL) or its version on stdout.
 * Returns 1 when it printed something (main then exits 0), else 0. */
int pk_help_or_version(const struct pk_common_opts *o, const char *tool,
                       const char *usage_head, const struct pk_opt *const *tables,
                       const char *usage_tail);

/* Handles one common option.  Returns 1 if ch was a common option and
 * was applied, 0 if it is not a common option, -1 on a bad argument
 * (err filled, PK_EUSAGE). */
int pk_common_opt(struct pk_common_opts *o, int ch, const char *arg,
                  struct pk_err *err);

/* getopt_long() with one message shape for every tool, instead of the C
 * library's "argv[0]: invalid option" on stderr.  shortopts may start
 * with '+' (stop at the first operand); without it, options and operands
 * may come in any order and "--" ends the options.  Returns the option as getopt_long
 * does, -1 at the end, or '?' with err filled (PK_EUSAGE):
 *   unknown option '-Z' (try 'nutq --help')
 *   option '--timeout' needs a value (try 'nutq --help') */
int pk_getopt(int argc, char *const argv[], const char *shortopts,
              const struct option *longopts, const char *tool, struct pk_err *err);

/* Applies one option (id as in the tables, arg its value or NULL) to a
 * tool's settings: 0, or PK_EUSAGE with err filled. */
typedef int (*pk_opt_fn)(void *tool, int id, char *arg, struct pk_err *err);

/* Parses every option of argv with the tables, applying each in order;
 * options and operands may be mixed, "--" ends the options.  Returns 0
 * with optind at the first operand (argv permuted so the operands come
 * last, in their order), or PK_EUSAGE with err filled. */
int pk_parse_opts(int argc, char **argv, const struct pk_opt *const *tables,
                  const char *tool, pk_opt_fn apply, void *ctx, struct pk_err *err);

/* Parses a decimal integer in [min, max]; what names it in messages. */
int pk_parse_long(const char *s, long min, long max, const char *what,
                  long *out, struct pk_err *err);

/* Parses seconds ("5", "0.5") in (0, max_s] into milliseconds. */
int pk_parse_seconds(const char *s, double max_s, const char *what,
                     int64_t *out_ms, struct pk_err *err);

#endif
