/* nutset — set writable NUT variables: validated against GET TYPE /
 * LIST ENUM / LIST RANGE before anything is sent, then confirmed with
 * TRACKING (or by reading the variable back). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cred.h"
#include "cli/nut_tools.h"
#include "cli/output.h"
#include "nut/pipeline.h"

enum { OPT_NO_WAIT = NUT_OPT_TOOL };

static const char usage_text[] =
	"Usage: nutset [OPTIONS] UPS@HOST[:PORT] VAR=VALUE...\n"
	"       nutset --list UPS@HOST[:PORT]\n"
	"Set writable variables on a NUT server. Each value is checked against the\n"
	"variable's type, ENUM options and RANGEs first; a bad value sends nothing.\n"
	"Then waits until the driver confirms (TRACKING) or the variable reads back.\n"
	"  -l, --list               list writable variables like upsrw\n"
	"  -n, --dry-run            validate, then print the SET requests; set nothing\n"
	"      --no-wait            return after the server's OK\n"
	NUT_CLI_CRED_HELP;

struct nutset {
	struct nut_cli cli;
	int list, dry_run, no_wait;
	struct nut_change *ch;
	size_t n;
};

/* VAR=VALUE arguments into changes; names and values checked locally. */
static int
parse_assignments(struct nutset *s, char **av, size_t n, struct pk_err *err)
{
	size_t i;

	s->ch = calloc(n ? n : 1, sizeof *s->ch);
	if (s->ch == NULL)
		return pk_err_set(err, PK_EUSAGE, "memory", "out of memory");
	for (i = 0; i < n; i++) {
		char *eq = strchr(av[i], '=');

		if (eq == NULL || eq == av[i])
			return pk_err_set(err, PK_EUSAGE, "usage", "'%s': expected VAR=VALUE", av[i]);
		*eq = '\0';
		if (strpbrk(av[i], " \"\\#") != NULL || !nut_printable(av[i]))
			return pk_err_set(err, PK_EUSAGE, "usage", "'%s': not a variable name", av[i]);
		if (!nut_printable(eq + 1))
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "%s: only printable ASCII can be sent to upsd", av[i]);
		s->ch[i].name = av[i];
		s->ch[i].value = eq + 1;
	}
	s->n = n;
	return 0;
}

static int
parse_args(struct nutset *s, int argc, char **argv, struct pk_err *err)
{
	static const struct option longopts[] = {
		PK_COMMON_LONGOPTS,
		NUT_CLI_CRED_LONGOPTS,
		{ "list", no_argument, NULL, 'l' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-wait", no_argument, NULL, OPT_NO_WAIT },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	while ((ch = pk_getopt(argc, argv, PK_COMMON_SHORTOPTS NUT_CLI_CRED_SHORTOPTS "ln", longopts,
	                       "nutset", err)) != -1) {
		int r = pk_common_opt(&s->cli.o, ch, optarg, err);

		if (r < 0)
			return PK_EUSAGE;
		if (r > 0 || nut_cli_cred_opt(&s->cli, ch, optarg))
			continue;
		switch (ch) {
		case 'l': s->list = 1; break;
		case 'n': s->dry_run = 1; break;
		case OPT_NO_WAIT: s->no_wait = 1; break;
		default: return PK_EUSAGE;  /* '?': pk_getopt filled err */
		}
	}
	if (s->cli.o.help || s->cli.o.version)
		return 0;
	if (s->cli.o.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom is not offered by nutset");
	if (optind >= argc)
		return pk_err_set(err, PK_EUSAGE, "usage", "a target UPS@HOST is needed; try 'nutset --help'");
	if (nut_cli_target(&s->cli, argv[optind++], 1, err) != 0)
		return PK_EUSAGE;
	if (s->list && optind < argc)
		return pk_err_set(err, PK_EUSAGE, "usage", "--list takes no VAR=VALUE");
	if (!s->list && optind >= argc)
		return pk_err_set(err, PK_EUSAGE, "usage", "nothing to set: give VAR=VALUE");
	return parse_assignments(s, argv + optind, (size_t)(argc - optind), err);
}

static int
run(struct nutset *s, struct pk_err *err)
{
	char pass[512];
	const char *user;
	int rc;

	if (s->list) {
		rc = nut_cli_connect(&s->cli, err);
		return rc ? rc : nut_cli_show_rw(&s->cli, err);
	}
	if (s->dry_run) {
		/* The reads of a real run, no credentials, nothing set. */
		rc = nut_cli_connect(&s->cli, err);
		if (rc == 0)
			rc = nut_cli_check_changes(&s->cli, s->ch, s->n, err);
		return rc ? rc : nut_cli_dry_run(&s->cli, "SET VAR", s->ch, s->n, err);
	}
	rc = nut_cli_creds(&s->cli, &user, pass, sizeof pass, err);
	if (rc == 0)
		rc = nut_cli_connect(&s->cli, err);
	if (rc == 0)
		rc = nut_cli_login(&s->cli, user, pass, err);
	pk_secret_wipe(pass, sizeof pass);
	if (rc == 0)
		rc = nut_cli_check_changes(&s->cli, s->ch, s->n, err);
	if (rc == 0)
		rc = nut_cli_apply(&s->cli, "SET VAR", s->ch, s->n, s->no_wait, 1, err);
	if (rc == 0)
		rc = nut_cli_report_changes(&s->cli, s->ch, s->n);
	return rc;
}

int
main(int argc, char **argv)
{
	struct nutset s;
	struct pk_err err = { 0 };
	int rc;

	memset(&s, 0, sizeof s);
	nut_cli_init(&s.cli, "nutset");
	rc = parse_args(&s, argc, argv, &err);
	if (rc == 0 && !pk_help_or_version(&s.cli.o, "nutset", usage_text, 0, NULL))
		rc = run(&s, &err);
	free(s.ch);
	return nut_cli_finish(&s.cli, rc, &err);
}
