/* nutq — query a NUT server: every variable (like upsc), chosen
 * variables pipelined on one connection, UPS lists, clients, writable
 * variables, commands, descriptions, server facts; text, JSON or
 * Prometheus output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/check_opts.h"
#include "cli/nut_tools.h"
#include "cli/output.h"
#include "nut/health.h"
#include "nut/pipeline.h"
#include "nut/render.h"

enum mode { M_ALL, M_VARS, M_LIST, M_LISTDESC, M_CLIENTS, M_RW, M_CMDS, M_DESC, M_SERVER };
enum {
	OPT_RW = NUT_OPT_TOOL, OPT_CMDS, OPT_DESC, OPT_SERVER,
	OPT_STATUS_MAP, OPT_VOLTAGE_TOL, OPT_FREQUENCY_TOL
};

static const char usage_text[] =
	"Usage: nutq [OPTIONS] UPS@HOST[:PORT] [VAR...]\n"
	"       nutq -l|-L [HOST[:PORT]]\n"
	"       nutq -c|--rw|--cmds UPS@HOST[:PORT]\n"
	"       nutq --desc UPS@HOST[:PORT] VAR...\n"
	"       nutq --server [HOST[:PORT]]\n"
	"       nutq --check [--warning VAR=RANGE] [--critical VAR=RANGE] UPS@HOST[:PORT]\n"
	"Query a NUT server (upsd). Without VAR, prints every variable as upsc does;\n"
	"with VARs, their bare values in the order asked (one connection).\n";

static const struct pk_opt nutq_opts[] = {
	{ "list", 'l', NULL, "UPS names on the server", PK_VAL_NONE, NULL },
	{ "list-desc", 'L', NULL, "UPS names with descriptions", PK_VAL_NONE, NULL },
	{ "clients", 'c', NULL, "clients logged in to the UPS (LIST CLIENT)", PK_VAL_NONE, NULL },
	{ "rw", OPT_RW, NULL, "writable variables: description, type, options", PK_VAL_NONE, NULL },
	{ "cmds", OPT_CMDS, NULL, "instant commands with descriptions", PK_VAL_NONE, NULL },
	{ "desc", OPT_DESC, NULL, "descriptions of the VARs", PK_VAL_NONE, NULL },
	{ "server", OPT_SERVER, NULL, "server version, protocol, HELP, logins per UPS",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* What --check judges a UPS by, besides the thresholds (nut/health.h). */
static const struct pk_opt nutq_check_opts[] = {
	{ "status-map", OPT_STATUS_MAP, "FLAG=STATE",
	  "with --check: the state a ups.status flag means (repeatable)", PK_VAL_NONE, NULL },
	{ "voltage-tolerance", OPT_VOLTAGE_TOL, "W,C",
	  "with --check: input.voltage off its nominal by W or C percent\n(default 6,10)",
	  PK_VAL_NONE, NULL },
	{ "frequency-tolerance", OPT_FREQUENCY_TOL, "W,C",
	  "with --check: input.frequency off its nominal by W or C percent\n(default 2,4)",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const nutq_tables[] = {
	nutq_opts, pk_opts_check, nutq_check_opts, pk_opts_common_prom, NULL
};

struct nutq {
	struct nut_cli cli;
	enum mode mode;
	char **vars;
	size_t nvars;
	struct pk_check_opts check;    /* --check and its thresholds */
	struct nut_health_opts health; /* what else --check judges by */
	int health_opts;               /* one of nutq_check_opts was given */
	int check_verbose;             /* -v with --check: long output */
};

/* LIST VAR: every variable, like upsc. */
static int
show_all(struct nutq *q, const struct nut_doc *d, struct pk_buf *out, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	int rc = nut_list_get(&q->cli.c, "VAR", q->cli.t.name, NULL, 2, 3, &l, err);

	if (rc == 0)
		nut_render_vars(out, d, &l);
	nut_kvlist_free(&l);
	return rc;
}

/* GET <what> for each VAR, pipelined; the found ones are written first,
 * then each failure reported on stderr; the status is the first
 * failure's, err stays clear (every failure is reported here). */
static int
show_many(struct nutq *q, const char *what, const struct nut_doc *d, struct pk_buf *out,
          struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	struct pk_err *errs = calloc(q->nvars ? q->nvars : 1, sizeof *errs);
	size_t i;
	int rc = errs ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory");

	for (i = 0; rc == 0 && i < q->nvars; i++)
		if (nut_kvlist_add(&l, q->vars[i], NULL) != 0)
			rc = pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	if (rc == 0)
		rc = nut_get_many(&q->cli.c, what, q->cli.t.name, &l, errs, err);
	if (rc == 0) {
		nut_render_values(out, d, what, &l, errs);
		rc = nut_cli_emit(out, err);
	}
	for (i = 0; rc == 0 && i < l.n; i++)
		if (errs[i].status != 0)
			pk_warn(q->cli.tool, q->cli.label, q->cli.o.quiet, "%s", errs[i].msg);
	if (rc == 0)
		rc = nut_first_failure(errs, l.n);
	free(errs);
	nut_kvlist_free(&l);
	return rc;
}

static int
show_ups_list(struct nutq *q, const struct nut_doc *d, struct pk_buf *out, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	int rc = nut_list_get(&q->cli.c, "UPS", NULL, NULL, 1, 2, &l, err);

	if (rc == 0)
		nut_render_ups_list(out, d, &l, q->mode == M_LISTDESC);
	nut_kvlist_free(&l);
	return rc;
}

static int
show_clients(struct nutq *q, const struct nut_doc *d, struct pk_buf *out, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	int rc = nut_fetch_clients(&q->cli.c, q->cli.t.name, &l, err);

	if (rc == 0)
		nut_render_clients(out, d, &l);
	nut_kvlist_free(&l);
	return rc;
}

static int
show_server(struct nutq *q, const struct nut_doc *d, struct pk_buf *out, struct pk_err *err)
{
	struct nut_server_info s;
	int rc = nut_fetch_server(&q->cli.c, &s, err);

	if (rc == 0)
		nut_render_server(out, d, &s);
	nut_server_info_free(&s);
	return rc;
}

/* --check: the UPS read (LIST VAR) and judged, the plugin output on
 * stdout; the exit code is the check's state, whatever happened. */
static int
run_check(struct nutq *q)
{
	struct pk_common_opts print_opts = q->cli.o;
	struct nut_kvlist l = { 0 };
	struct nut_health h = { 0 };
	struct pk_check_report rep;
	struct pk_check_target *t;
	struct pk_err err = { 0 };
	int rc = nut_cli_connect(&q->cli, &err);

	if (rc == 0)
		rc = nut_list_get(&q->cli.c, "VAR", q->cli.t.name, NULL, 2, 3, &l, &err);
	if (rc == 0)
		nut_health_eval(&l, &q->health, &h);
	else
		nut_health_from_error(&err, q->check.unreachable, &h);
	pk_check_report_init(&rep, "NUT");
	t = pk_check_target_add(&rep, q->cli.label);
	if (t != NULL)
		nut_health_to_check(&h, t);
	print_opts.verbose = q->check_verbose;
	rc = pk_check_print(&rep, &print_opts);
	pk_check_report_free(&rep);
	nut_health_free(&h);
	nut_kvlist_free(&l);
	pk_err_clear(&err);
	return nut_cli_finish(&q->cli, rc, &err);
}

static int
run(struct nutq *q, struct pk_err *err)
{
	struct pk_buf out = { 0 };
	struct nut_doc d;
	int rc = nut_cli_connect(&q->cli, err);

	nut_cli_doc(&q->cli, &d);
	if (rc != 0)
		return rc;
	switch (q->mode) {
	case M_ALL: rc = show_all(q, &d, &out, err); break;
	case M_VARS: rc = show_many(q, "VAR", &d, &out, err); break;
	case M_DESC: rc = show_many(q, "DESC", &d, &out, err); break;
	case M_LIST: case M_LISTDESC: rc = show_ups_list(q, &d, &out, err); break;
	case M_CLIENTS: rc = show_clients(q, &d, &out, err); break;
	case M_RW: rc = nut_cli_show_rw(&q->cli, err); break;
	case M_CMDS: rc = nut_cli_show_cmds(&q->cli, NUT_CMDS_LINES, err); break;
	case M_SERVER: rc = show_server(q, &d, &out, err); break;
	}
	if (rc == 0)
		rc = nut_cli_emit(&out, err);
	pk_buf_free(&out);
	return rc;
}

static int
set_mode(struct nutq *q, enum mode m, struct pk_err *err)
{
	if (q->mode != M_ALL && q->mode != m)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "-l, -L, -c, --rw, --cmds, --desc and --server exclude each other");
	q->mode = m;
	return 0;
}

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct nutq *q = tool;
	int r = pk_common_opt(&q->cli.o, ch, arg, err);

	if (r == 0)
		r = pk_check_opt(&q->check, ch, arg, err);
	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case 'l': return set_mode(q, M_LIST, err);
	case 'L': return set_mode(q, M_LISTDESC, err);
	case 'c': return set_mode(q, M_CLIENTS, err);
	case OPT_RW: return set_mode(q, M_RW, err);
	case OPT_CMDS: return set_mode(q, M_CMDS, err);
	case OPT_DESC: return set_mode(q, M_DESC, err);
	case OPT_SERVER: return set_mode(q, M_SERVER, err);
	case OPT_STATUS_MAP:
		q->health_opts = 1;
		return nut_health_status_map_add(&q->health, arg, err);
	case OPT_VOLTAGE_TOL:
	case OPT_FREQUENCY_TOL:
		q->health_opts = 1;
		return nut_health_tolerance_parse(arg, ch == OPT_VOLTAGE_TOL ? q->health.volt_tol
		                                                           : q->health.freq_tol, err);
	default: return pk_err_set(err, PK_EUSAGE, "usage", "option %d not handled", ch);
	}
}

/* The --check rules: its options only with it; the full listing of one
 * UPS is what it reads.  With --check, -v means the plugins' long
 * output (on stdout) and -vv adds the protocol trace (on stderr). */
static int
parse_check(struct nutq *q, int argc, struct pk_err *err)
{
	int rc = pk_check_opts_validate(&q->check, &q->cli.o, err);

	if (rc != 0)
		return rc;
	if (!q->check.enabled)
		return q->health_opts ? pk_err_set(err, PK_EUSAGE, "usage",
		                                   "--status-map and the tolerances go with --check")
		                      : 0;
	if (q->mode != M_ALL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--check reads the whole UPS: no -l, -L, -c, --rw, --cmds, --desc or --server");
	if (optind + 1 < argc)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--check takes one target UPS@HOST and no VAR");
	q->health.thresholds = &q->check.thresholds;
	q->check_verbose = q->cli.o.verbose;
	q->cli.o.verbose = q->cli.o.verbose > 1;
	return 0;
}

static int
parse_args(struct nutq *q, int argc, char **argv, struct pk_err *err)
{
	int needs_ups;
	const char *spec;
	int rc = pk_parse_opts(argc, argv, nutq_tables, "nutq", apply_opt, q, err);

	if (rc != 0 || q->cli.o.help || q->cli.o.version)
		return rc;
	rc = parse_check(q, argc, err);
	if (rc != 0)
		return rc;
	/* "@host" alone lists the UPSes there, like -l host (the target rule
	 * every tool shares). */
	if (q->mode == M_ALL && !q->check.enabled && optind + 1 == argc && argv[optind][0] == '@')
		q->mode = M_LIST;
	needs_ups = q->mode != M_LIST && q->mode != M_LISTDESC && q->mode != M_SERVER;
	if (optind >= argc && needs_ups)
		return pk_err_set(err, PK_EUSAGE, "usage", "a target UPS@HOST is needed; try 'nutq --help'");
	spec = optind < argc ? argv[optind++] : "localhost";
	q->vars = argv + optind;
	q->nvars = (size_t)(argc - optind);
	if (q->mode == M_ALL && q->nvars > 0)
		q->mode = M_VARS;
	if (q->mode == M_DESC && q->nvars == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "--desc needs at least one VAR");
	if (q->mode != M_VARS && q->mode != M_DESC && q->nvars > 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "unexpected argument '%s'", q->vars[0]);
	if (q->cli.o.format == PK_FMT_PROM && q->mode != M_ALL)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom is for the full listing only");
	return nut_cli_target(&q->cli, spec, needs_ups, err);
}

/* Operands for the shell completion: the target, then variables. */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	struct nutq *q = tool;

	if (q->mode != M_LIST && q->mode != M_LISTDESC && q->mode != M_SERVER)
		nut_cli_complete(&q->cli, c, "VAR", "");
}

int
main(int argc, char **argv)
{
	struct nutq q;
	struct pk_err err = { 0 };
	struct pk_comp_tool comp = { nutq_tables, apply_opt, complete_operand, &q };
	int rc;

	if (pk_opts_dump_asked(argc, argv, nutq_tables))
		return 0;
	memset(&q, 0, sizeof q);
	nut_cli_init(&q.cli, "nutq");
	pk_check_opts_init(&q.check);
	nut_health_opts_init(&q.health);
	if (pk_complete_asked(argc, argv, &comp))
		return 0;
	rc = parse_args(&q, argc, argv, &err);
	if (rc == 0 && pk_help_or_version(&q.cli.o, "nutq", usage_text, nutq_tables, NULL))
		rc = -1;
	else if (rc != 0 && pk_check_asked(argc, argv))
		rc = pk_check_usage_error("NUT", "nutq", &err);
	else if (rc == 0 && q.check.enabled)
		rc = run_check(&q);
	else
		rc = nut_cli_finish(&q.cli, rc == 0 ? run(&q, &err) : rc, &err);
	pk_check_opts_free(&q.check);
	return rc < 0 ? 0 : rc;
}
