/* nutset — set writable NUT variables: validated against GET TYPE /
 * LIST ENUM / LIST RANGE before anything is sent, then confirmed with
 * TRACKING (or by reading the variable back). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cred.h"
#include "cli/nut_tools.h"
#include "cli/output.h"
#include "nut/pipeline.h"

static const char usage_text[] =
	"Usage: nutset [OPTIONS] UPS@HOST[:PORT] VAR=VALUE...\n"
	"       nutset --list UPS@HOST[:PORT]\n"
	"Set writable variables on a NUT server. Each value is checked against the\n"
	"variable's type, ENUM options and RANGEs first; a bad value sends nothing.\n"
	"Then waits until the driver confirms (TRACKING) or the variable reads back.\n";

static const struct pk_opt nutset_opts[] = {
	{ "list", 'l', NULL, "list writable variables like upsrw", PK_VAL_NONE, NULL },
	{ "dry-run", 'n', NULL, "validate, then print the SET requests; set nothing",
	  PK_VAL_NONE, NULL },
	{ "no-wait", PK_OPT_NO_WAIT, NULL, "return after the server's OK", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const nutset_tables[] = {
	nutset_opts, nut_cli_cred_opts, nut_cli_tls_opts, pk_opts_common, NULL
};

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

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct nutset *s = tool;
	int r = pk_common_opt(&s->cli.o, ch, arg, err);

	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	if (nut_cli_cred_opt(&s->cli, ch, arg))
		return 0;
	if ((r = nut_cli_tls_opt(&s->cli, ch, arg, err)) != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case 'l': s->list = 1; return 0;
	case 'n': s->dry_run = 1; return 0;
	case PK_OPT_NO_WAIT: s->no_wait = 1; return 0;
	default: return pk_err_set(err, PK_EUSAGE, "usage", "option %d not handled", ch);
	}
}

static int
parse_args(struct nutset *s, int argc, char **argv, struct pk_err *err)
{
	if (pk_parse_opts(argc, argv, nutset_tables, "nutset", apply_opt, s, err) != 0)
		return PK_EUSAGE;
	if (s->cli.o.help || s->cli.o.version)
		return 0;
	if (nut_cli_tls_check(&s->cli, err) != 0)
		return PK_EUSAGE;
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

/* Operands for the shell completion: the target, then writable
 * variables as "NAME=". */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	struct nutset *s = tool;

	if (c->nops > 0 && strchr(c->cur, '=') == NULL)
		pk_comp_directive(c, "nospace");
	if (c->nops == 0 || strchr(c->cur, '=') == NULL)
		nut_cli_complete(&s->cli, c, "RW", "=");
}

int
main(int argc, char **argv)
{
	struct nutset s;
	struct pk_err err = { 0 };
	struct pk_comp_tool comp = { nutset_tables, apply_opt, complete_operand, &s };
	int rc;

	pk_catch_stop_signals();  /* a signal ends a session politely */
	if (pk_opts_dump_asked(argc, argv, nutset_tables))
		return pk_stdout_finish("nutset", 0, 0);
	memset(&s, 0, sizeof s);
	nut_cli_init(&s.cli, "nutset");
	if (pk_complete_asked(argc, argv, &comp))
		return pk_stdout_finish("nutset", 0, 0);
	rc = parse_args(&s, argc, argv, &err);
	if (rc == 0 && !pk_help_or_version(&s.cli.o, "nutset", usage_text, nutset_tables, NULL))
		rc = run(&s, &err);
	free(s.ch);
	rc = nut_cli_finish(&s.cli, rc, &err);
	return pk_stdout_finish("nutset", rc, s.cli.o.quiet);
}
