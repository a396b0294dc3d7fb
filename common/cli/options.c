#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"

const char *
pk_common_help(int prom_ok)
{
	if (prom_ok)
		return
		"  -t, --timeout SECONDS    deadline for the whole run (default 5)\n"
		"  -j, --json               one JSON document on stdout\n"
		"      --format FMT         text, json or prom (Prometheus text format)\n"
		"  -q, --quiet              no diagnostics on stderr, only the exit status\n"
		"  -v, --verbose            trace the protocol on stderr (secrets masked)\n"
		"  -h, --help               this help\n"
		"  -V, --version            print the version\n";
	return
		"  -t, --timeout SECONDS    deadline for the whole run (default 5)\n"
		"  -j, --json               one JSON document on stdout\n"
		"      --format FMT         text or json\n"
		"  -q, --quiet              no diagnostics on stderr, only the exit status\n"
		"  -v, --verbose            trace the protocol on stderr (secrets masked)\n"
		"  -h, --help               this help\n"
		"  -V, --version            print the version\n";
}

int
pk_help_or_version(const struct pk_common_opts *o, const char *tool,
                   const char *usage_head, int prom_ok, const char *usage_tail)
{
	if (o->help) {
		fputs(usage_head, stdout);
		fputs(pk_common_help(prom_ok), stdout);
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
