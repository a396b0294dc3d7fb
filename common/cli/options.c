#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"

#define COMMON_HEAD \
	{ "timeout", 't', "SECONDS", "deadline for the whole run (default 5)", PK_VAL_NONE, NULL }, \
	{ "json", 'j', NULL, "one JSON document on stdout", PK_VAL_NONE, NULL }
#define COMMON_TAIL \
	{ "quiet", 'q', NULL, "no diagnostics on stderr, only the exit status", PK_VAL_NONE, NULL }, \
	{ "verbose", 'v', NULL, "trace the protocol on stderr (secrets masked)", PK_VAL_NONE, NULL }, \
	{ "help", 'h', NULL, "this help", PK_VAL_NONE, NULL }, \
	{ "version", 'V', NULL, "print the version", PK_VAL_NONE, NULL }, \
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }

const struct pk_opt pk_opts_common_prom[] = {
	COMMON_HEAD,
	{ "format", PK_OPT_FORMAT, "FMT", "text, json or prom (Prometheus text format)",
	  PK_VAL_WORDS, "text json prom" },
	COMMON_TAIL
};

const struct pk_opt pk_opts_common[] = {
	COMMON_HEAD,
	{ "format", PK_OPT_FORMAT, "FMT", "text or json", PK_VAL_WORDS, "text json" },
	COMMON_TAIL
};

const struct pk_opt pk_opts_fleet[] = {
	{ "targets", PK_OPT_TARGETS, "FILE", "read targets from FILE, one a line ('-': stdin)",
	  PK_VAL_FILE, NULL },
	{ "parallel", PK_OPT_PARALLEL, "N", "at most N connections at once (default 64; 128 when\ndiscovering)",
	  PK_VAL_NONE, NULL },
	{ "output", PK_OPT_OUTPUT, "FILE", "write the result to FILE atomically, not stdout",
	  PK_VAL_FILE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* Walks every option of every table, in --help order. */
#define FOR_EACH_OPT(tables, t, op) \
	for (t = (tables); *t != NULL; t++) \
		for (op = *t; op->name != NULL; op++)

static int
has_short(const struct pk_opt *op)
{
	return op->id > 0 && op->id < 128;
}

int
pk_opt_arg_optional(const struct pk_opt *op)
{
	return op->arg != NULL && op->arg[0] == '[';
}

void
pk_opts_spec(const struct pk_opt *const *tables, struct pk_getopt_spec *spec)
{
	const struct pk_opt *const *t;
	const struct pk_opt *op;
	size_t n = 0, k = 0;

	memset(spec, 0, sizeof *spec);
	FOR_EACH_OPT(tables, t, op) {
		if (n == PK_MAX_OPTS)
			abort();  /* a table larger than the tool's limit: a build mistake */
		spec->longopts[n++] = (struct option){
			op->name,
			op->arg == NULL ? no_argument
			                : pk_opt_arg_optional(op) ? optional_argument : required_argument,
			NULL, op->id
		};
		if (has_short(op)) {
			spec->shortopts[k++] = (char)op->id;
			if (op->arg)
				spec->shortopts[k++] = ':';
		}
	}
}

const struct pk_opt *
pk_opts_find(const struct pk_opt *const *tables, int id, const char *name)
{
	const struct pk_opt *const *t;
	const struct pk_opt *op;

	FOR_EACH_OPT(tables, t, op)
		if (name != NULL ? strcmp(op->name, name) == 0 : op->id == id)
			return op;
	return NULL;
}

/* Where the help text starts; a longer option part puts it on the next
 * line. */
#define HELP_COLUMN 27

void
pk_opts_help(FILE *f, const struct pk_opt *const *tables)
{
	const struct pk_opt *const *t;
	const struct pk_opt *op;
	char left[80];

	FOR_EACH_OPT(tables, t, op) {
		const char *h = op->help, *nl;
		int len;

		if (has_short(op))
			len = snprintf(left, sizeof left, "  -%c, --%s", op->id, op->name);
		else
			len = snprintf(left, sizeof left, "      --%s", op->name);
		if (op->arg)
			len += snprintf(left + len, sizeof left - (size_t)len,
			                pk_opt_arg_optional(op) ? "[=%.*s]" : " %.*s",
			                (int)strlen(op->arg) - 2 * pk_opt_arg_optional(op),
			                op->arg + pk_opt_arg_optional(op));
		if (len < HELP_COLUMN)
			fprintf(f, "%-*s", HELP_COLUMN, left);
		else
			fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
		while ((nl = strchr(h, '\n')) != NULL) {
			fprintf(f, "%.*s\n%*s", (int)(nl - h), h, HELP_COLUMN, "");
			h = nl + 1;
		}
		fprintf(f, "%s\n", h);
	}
}

void
pk_opts_dump(FILE *f, const struct pk_opt *const *tables)
{
	static const char *const kinds[] = { "none", "words", "file", "host" };
	const struct pk_opt *const *t;
	const struct pk_opt *op;

	FOR_EACH_OPT(tables, t, op) {
		if (has_short(op))
			fprintf(f, "-%c", op->id);
		fprintf(f, "\t--%s\t%s\t%s\n", op->name, op->arg ? op->arg : "", kinds[op->value]);
	}
}

int
pk_opts_dump_asked(int argc, char **argv, const struct pk_opt *const *tables)
{
	if (argc != 2 || strcmp(argv[1], "--dump-options") != 0)
		return 0;
	pk_opts_dump(stdout, tables);
	return 1;
}

int
pk_help_or_version(const struct pk_common_opts *o, const char *tool,
                   const char *usage_head, const struct pk_opt *const *tables,
                   const char *usage_tail)
{
	if (o->help) {
		fputs(usage_head, stdout);
		pk_opts_help(stdout, tables);
		if (usage_tail != NULL)
			fputs(usage_tail, stdout);
		return 1;
	}
	if (o->version) {
		pk_print_version(tool);
		return 1;
	}
	return 0;
}

void
pk_common_defaults(struct pk_common_opts *o)
{
	memset(o, 0, sizeof *o);
	o->timeout_ms = 5000;
	o->format = PK_FMT_TEXT;
}

int
pk_common_opt(struct pk_common_opts *o, int ch, const char *arg, struct pk_err *err)
{
	switch (ch) {
	case 'h':
		o->help = 1;
		return 1;
	case 'V':
		o->version = 1;
		return 1;
	case 't':
		return pk_parse_seconds(arg, 86400, "timeout", &o->timeout_ms, err) == 0 ? 1 : -1;
	case 'j':
		o->format = PK_FMT_JSON;
		return 1;
	case 'q':
		o->quiet = 1;
		return 1;
	case 'v':
		o->verbose++;
		return 1;
	case PK_OPT_FORMAT:
		if (strcmp(arg, "text") == 0)
			o->format = PK_FMT_TEXT;
		else if (strcmp(arg, "json") == 0)
			o->format = PK_FMT_JSON;
		else if (strcmp(arg, "prom") == 0)
			o->format = PK_FMT_PROM;
		else {
			pk_err_set(err, PK_EUSAGE, "usage",
			           "--format %s: expected text, json or prom", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

void
pk_fleet_defaults(struct pk_fleet_opts *o)
{
	memset(o, 0, sizeof *o);
	o->parallel = PK_PARALLEL_DEFAULT;
}

int
pk_fleet_opt(struct pk_fleet_opts *o, int ch, const char *arg, struct pk_err *err)
{
	switch (ch) {
	case PK_OPT_TARGETS:
		o->targets_file = arg;
		return 1;
	case PK_OPT_PARALLEL:
		return pk_parse_long(arg, 1, PK_PARALLEL_MAX, "--parallel", &o->parallel, err) == 0
		       ? 1 : -1;
	case PK_OPT_OUTPUT:
		if (arg[0] == '\0' || strcmp(arg, "-") == 0) {
			pk_err_set(err, PK_EUSAGE, "usage", "--output needs a file name");
			return -1;
		}
		o->output = arg;
		return 1;
	default:
		return 0;
	}
}

int
pk_parse_long(const char *s, long min, long max, const char *what, long *out,
              struct pk_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (s[0] == '\0' || *end != '\0' || errno == ERANGE)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: not a number", what, s);
	if (v < min)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: too small (minimum %ld)",
		                  what, s, min);
	if (v > max)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: too large (maximum %ld)",
		                  what, s, max);
	*out = v;
	return 0;
}

int
pk_parse_seconds(const char *s, double max_s, const char *what, int64_t *out_ms,
                 struct pk_err *err)
{
	char *end;
	double v;

	if (strspn(s, "0123456789.") != strlen(s) || s[0] == '\0')
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: not a number of seconds",
		                  what, s);
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(v))
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: not a number of seconds",
		                  what, s);
	if (v <= 0 || v > max_s)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "%s %s: must be more than 0 and at most %.0f seconds",
		                  what, s, max_s);
	*out_ms = (int64_t)(v * 1000.0 + 0.5);
	if (*out_ms == 0)
		*out_ms = 1;
	return 0;
}

/* The word the user typed for a long option, without any "=value". */
static void
long_word(const char *arg, char *out, size_t outlen)
{
	snprintf(out, outlen, "%.*s", (int)strcspn(arg, "="), arg);
}

int
pk_getopt(int argc, char *const argv[], const char *shortopts,
          const struct option *longopts, const char *tool, struct pk_err *err)
{
	char spec[128], word[64];
	int posix = shortopts[0] == '+';
	const char *last;
	int ch;

	/* A leading ':' makes a missing value ':' rather than '?'. */
	snprintf(spec, sizeof spec, "%s:%s", posix ? "+" : "", shortopts + posix);
	opterr = 0;
	ch = getopt_long(argc, argv, spec, longopts, NULL);
	if (ch != '?' && ch != ':')
		return ch;
	last = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (strncmp(last, "--", 2) == 0 && (optopt == 0 || ch == ':' ||
	    strchr(shortopts, optopt) != NULL || optopt >= 256))
		long_word(last, word, sizeof word);
	else if (optopt > 0 && optopt < 256 && isprint(optopt))
		snprintf(word, sizeof word, "-%c", optopt);
	else
		long_word(last, word, sizeof word);
	if (ch == ':')
		pk_err_set(err, PK_EUSAGE, "usage", "option '%s' needs a value (try '%s --help')",
		           word, tool);
	else if (strchr(last, '=') != NULL && strncmp(last, "--", 2) == 0 && optopt != 0)
		pk_err_set(err, PK_EUSAGE, "usage", "option '%s' takes no value (try '%s --help')",
		           word, tool);
	else
		pk_err_set(err, PK_EUSAGE, "usage", "unknown option '%s' (try '%s --help')",
		           word, tool);
	return '?';
}

int
pk_parse_opts(int argc, char **argv, const struct pk_opt *const *tables,
              const char *tool, pk_opt_fn apply, void *ctx, struct pk_err *err)
{
	struct pk_getopt_spec spec;
	int ch;

	pk_opts_spec(tables, &spec);
	while ((ch = pk_getopt(argc, argv, spec.shortopts, spec.longopts, tool, err)) != -1) {
		if (ch == '?' || apply(ctx, ch, optarg, err) != 0)
			return PK_EUSAGE;  /* '?': pk_getopt filled err */
	}
	return 0;
}
