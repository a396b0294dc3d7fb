/* nutcmd — run a NUT instant command (or FSD) and wait for the driver's
 * result with TRACKING; the parameter is always quoted and escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cred.h"
#include "cli/nut_tools.h"
#include "cli/output.h"
#include "nut/pipeline.h"

enum { OPT_FSD = NUT_OPT_TOOL };

static const char usage_text[] =
	"Usage: nutcmd [OPTIONS] UPS@HOST[:PORT] COMMAND [VALUE]\n"
	"       nutcmd -l UPS@HOST[:PORT]\n"
	"       nutcmd --fsd UPS@HOST[:PORT]\n"
	"Run an instant command and wait for the driver's result (TRACKING).\n";

static const struct pk_opt nutcmd_opts[] = {
	{ "list", 'l', NULL, "list instant commands with descriptions", PK_VAL_NONE, NULL },
	{ "fsd", OPT_FSD, NULL, "set forced shutdown (LOGIN, PRIMARY, FSD)", PK_VAL_NONE, NULL },
	{ "dry-run", 'n', NULL, "check LIST CMD, then print the INSTCMD; run nothing",
	  PK_VAL_NONE, NULL },
	{ "no-wait", PK_OPT_NO_WAIT, NULL, "return after the server's OK", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const nutcmd_tables[] = {
	nutcmd_opts, nut_cli_cred_opts, nut_cli_tls_opts, pk_opts_common, NULL
};

struct nutcmd {
	struct nut_cli cli;
	int list, fsd, dry_run, no_wait;
	struct nut_change ch;
};

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct nutcmd *x = tool;
	int r = pk_common_opt(&x->cli.o, ch, arg, err);

	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	if (nut_cli_cred_opt(&x->cli, ch, arg))
		return 0;
	if ((r = nut_cli_tls_opt(&x->cli, ch, arg, err)) != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case 'l': x->list = 1; return 0;
	case OPT_FSD: x->fsd = 1; return 0;
	case 'n': x->dry_run = 1; return 0;
	case PK_OPT_NO_WAIT: x->no_wait = 1; return 0;
	default: return pk_err_set(err, PK_EUSAGE, "usage", "option %d not handled", ch);
	}
}

static int
parse_args(struct nutcmd *x, int argc, char **argv, struct pk_err *err)
{
	int nargs;

	if (pk_parse_opts(argc, argv, nutcmd_tables, "nutcmd", apply_opt, x, err) != 0)
		return PK_EUSAGE;
	if (x->cli.o.help || x->cli.o.version)
		return 0;
	if (nut_cli_tls_check(&x->cli, err) != 0)
		return PK_EUSAGE;
	if (x->cli.o.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom is not offered by nutcmd");
	if (x->list && x->fsd)
		return pk_err_set(err, PK_EUSAGE, "usage", "-l and --fsd exclude each other");
	if (optind >= argc)
		return pk_err_set(err, PK_EUSAGE, "usage", "a target UPS@HOST is needed; try 'nutcmd --help'");
	if (nut_cli_target(&x->cli, argv[optind++], 1, err) != 0)
		return PK_EUSAGE;
	nargs = argc - optind;
	if ((x->list || x->fsd) && nargs > 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "unexpected argument '%s'", argv[optind]);
	if (!x->list && !x->fsd && (nargs < 1 || nargs > 2))
		return pk_err_set(err, PK_EUSAGE, "usage", "expected COMMAND [VALUE]");
	if (nargs >= 1) {
		x->ch.name = argv[optind];
		x->ch.value = nargs == 2 ? argv[optind + 1] : NULL;
		if (strpbrk(x->ch.name, " \"\\#") != NULL || !nut_printable(x->ch.name))
			return pk_err_set(err, PK_EUSAGE, "usage", "'%s': not a command name", x->ch.name);
		if (x->ch.value && !nut_printable(x->ch.value))
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "%s: only printable ASCII can be sent to upsd", x->ch.name);
	}
	return 0;
}

/* --fsd -n: the requests nut_fsd sends, needing no connection. */
static int
print_fsd_dry(struct nutcmd *x, struct pk_err *err)
{
	struct pk_buf lines = { 0 };
	int rc = nut_fsd_requests(&lines, x->cli.t.name, err);

	if (rc == 0)
		rc = nut_cli_print_dry(&x->cli, &lines);
	pk_buf_free(&lines);
	return rc;
}

static int
run(struct nutcmd *x, struct pk_err *err)
{
	char pass[512];
	const char *user;
	int rc;

	if (x->dry_run && x->fsd)
		return print_fsd_dry(x, err);
	if (x->dry_run && !x->list) {
		rc = nut_cli_connect(&x->cli, err);
		if (rc == 0)
			rc = nut_check_cmd_listed(&x->cli.c, x->cli.t.name, x->ch.name, err);
		return rc ? rc : nut_cli_dry_run(&x->cli, "INSTCMD", &x->ch, 1, err);
	}
	if (x->list) {
		rc = nut_cli_connect(&x->cli, err);
		return rc ? rc : nut_cli_show_cmds(&x->cli, NUT_CMDS_UPSCMD, err);
	}
	rc = nut_cli_creds(&x->cli, &user, pass, sizeof pass, err);
	if (rc == 0)
		rc = nut_cli_connect(&x->cli, err);
	if (rc == 0)
		rc = nut_cli_login(&x->cli, user, pass, err);
	pk_secret_wipe(pass, sizeof pass);
	if (rc == 0 && x->fsd) {
		/* Reported like a change named FSD that succeeded. */
		x->ch.name = "FSD";
		rc = nut_fsd(&x->cli.c, x->cli.t.name, err);
		if (rc == 0) {
			snprintf(x->ch.result, sizeof x->ch.result, "FSD-SET");
			rc = nut_cli_report_changes(&x->cli, &x->ch, 1);
		}
		return rc;
	}
	if (rc == 0)
		rc = nut_cli_apply(&x->cli, "INSTCMD", &x->ch, 1, x->no_wait, 0, err);
	if (rc == 0)
		rc = nut_cli_report_changes(&x->cli, &x->ch, 1);
	return rc;
}

/* Operands for the shell completion: the target, then a command. */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	struct nutcmd *x = tool;

	if (c->nops < 2 && !x->list && !x->fsd)
		nut_cli_complete(&x->cli, c, "CMD", "");
	else if (c->nops == 0)
		nut_cli_complete(&x->cli, c, NULL, NULL);
}

int
main(int argc, char **argv)
{
	struct nutcmd x;
	struct pk_err err = { 0 };
	struct pk_comp_tool comp = { nutcmd_tables, apply_opt, complete_operand, &x };
	int rc;

	pk_catch_stop_signals();  /* a signal ends a session politely */
	if (pk_opts_dump_asked(argc, argv, nutcmd_tables))
		return pk_stdout_finish("nutcmd", 0, 0);
	memset(&x, 0, sizeof x);
	nut_cli_init(&x.cli, "nutcmd");
	if (pk_complete_asked(argc, argv, &comp))
		return pk_stdout_finish("nutcmd", 0, 0);
	rc = parse_args(&x, argc, argv, &err);
	if (rc == 0 && !pk_help_or_version(&x.cli.o, "nutcmd", usage_text, nutcmd_tables, NULL))
		rc = run(&x, &err);
	rc = nut_cli_finish(&x.cli, rc, &err);
	return pk_stdout_finish("nutcmd", rc, x.cli.o.quiet);
}
