/* nutq — query a NUT server: every variable (like upsc), chosen
 * variables pipelined on one connection, UPS lists, clients, writable
 * variables, commands, descriptions, server facts; text, JSON or
 * Prometheus output. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/nut_tools.h"
#include "nut/pipeline.h"
#include "nut/render.h"
#include "cli/output.h"

enum mode { M_ALL, M_VARS, M_LIST, M_LISTDESC, M_CLIENTS, M_RW, M_CMDS, M_DESC, M_SERVER };
enum { OPT_RW = NUT_OPT_TOOL, OPT_CMDS, OPT_DESC, OPT_SERVER };

static const char usage_text[] =
	"Usage: nutq [OPTIONS] UPS@HOST[:PORT] [VAR...]\n"
	"       nutq -l|-L [HOST[:PORT]]\n"
	"       nutq -c|--rw|--cmds UPS@HOST[:PORT]\n"
	"       nutq --desc UPS@HOST[:PORT] VAR...\n"
	"       nutq --server [HOST[:PORT]]\n"
	"Query a NUT server (upsd). Without VAR, prints every variable as upsc does;\n"
	"with VARs, their bare values in the order asked (one connection).\n"
	"  -l, --list               UPS names on the server\n"
	"  -L, --list-desc          UPS names with descriptions\n"
	"  -c, --clients            clients logged in to the UPS (LIST CLIENT)\n"
	"      --rw                 writable variables: description, type, options\n"
	"      --cmds               instant commands with descriptions\n"
	"      --desc               descriptions of the VARs\n"
	"      --server             server version, protocol, HELP, logins per UPS\n";

struct nutq {
	struct nut_cli cli;
	enum mode mode;
	char **vars;
	size_t nvars;
	struct pk_buf out;
	struct pk_json j;
};

/* Starts the JSON document with the fields every mode has. */
static void
json_head(struct nutq *q)
{
	char hp[300];

	pk_json_init(&q->j, &q->out);
	pk_json_obj_begin(&q->j);
	if (q->cli.t.name[0]) {
		pk_json_key(&q->j, "ups");
		pk_json_str(&q->j, q->cli.t.name);
	}
	pk_target_hostport(&q->cli.t, hp, sizeof hp);
	pk_json_key(&q->j, "server");
	pk_json_str(&q->j, hp);
}

static int
is_json(const struct nutq *q)
{
	return q->cli.o.format == PK_FMT_JSON;
}

static void
json_status(struct nutq *q, const struct nut_kvlist *l)
{
	const char *st = nut_kvlist_find(l, "ups.status");

	if (st != NULL) {
		pk_json_key(&q->j, "status");
		nut_json_flags(&q->j, st);
	}
}

static int
do_all(struct nutq *q, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	int rc = nut_list_get(&q->cli.c, "VAR", q->cli.t.name, NULL, 2, 3, &l, err);

	if (rc == 0) {
		if (is_json(q)) {
			json_head(q);
			pk_json_key(&q->j, "variables");
			nut_render_kv_json(&q->j, &l, 1);
			json_status(q, &l);
			pk_json_obj_end(&q->j);
		} else if (q->cli.o.format == PK_FMT_PROM) {
			nut_render_prom(&q->out, q->cli.t.name, &l);
		} else {
			nut_render_kv_text(&q->out, &l);
		}
	}
	nut_kvlist_free(&l);
	return rc;
}

/* GET <what> for each VAR, pipelined; found ones printed in order, each
 * failure reported on stderr; the status is the first failure's. */
static int
do_many(struct nutq *q, const char *what, const char *jkey, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	struct pk_err *errs = calloc(q->nvars ? q->nvars : 1, sizeof *errs);
	size_t i;
	int rc = errs ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory"), first = 0;

	for (i = 0; rc == 0 && i < q->nvars; i++)
		if (nut_kvlist_add(&l, q->vars[i], NULL) != 0)
			rc = pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	if (rc == 0)
		rc = nut_get_many(&q->cli.c, what, q->cli.t.name, &l, errs, err);
	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, jkey);
		pk_json_obj_begin(&q->j);
		for (i = 0; i < l.n; i++) {
			if (errs[i].status)
				continue;
			pk_json_key(&q->j, l.v[i].name);
			if (strcmp(what, "VAR") == 0)
				nut_json_value(&q->j, l.v[i].name, l.v[i].value);
			else
				pk_json_str(&q->j, l.v[i].value);
		}
		pk_json_obj_end(&q->j);
		if (strcmp(what, "VAR") == 0)
			json_status(q, &l);
	}
	for (i = 0; rc == 0 && i < l.n && !is_json(q); i++)
		if (errs[i].status == 0)
			pk_buf_printf(&q->out, "%s\n", l.v[i].value);
	/* The values first, then what is missing, as a reader expects. */
	if (rc == 0 && !is_json(q)) {
		pk_emit(&q->out);
		pk_buf_reset(&q->out);
	}
	for (i = 0; rc == 0 && i < l.n; i++) {
		if (errs[i].status == 0)
			continue;
		if (!q->cli.o.quiet)
			fprintf(stderr, "nutq: %s: %s\n", q->cli.label, errs[i].msg);
		if (first == 0)
			first = errs[i].status;
	}
	if (rc == 0 && is_json(q)) {
		pk_json_key(&q->j, "errors");
		pk_json_obj_begin(&q->j);
		for (i = 0; i < l.n; i++) {
			if (errs[i].status) {
				pk_json_key(&q->j, l.v[i].name);
				pk_json_error_value(&q->j, &errs[i]);
			}
		}
		pk_json_obj_end(&q->j);
		pk_json_obj_end(&q->j);
	}
	free(errs);
	nut_kvlist_free(&l);
	/* err stays clear: every failure is reported above, item by item. */
	return rc ? rc : first;
}

static int
do_upslist(struct nutq *q, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	size_t i;
	int rc = nut_list_get(&q->cli.c, "UPS", NULL, NULL, 1, 2, &l, err);

	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, "ups_list");
		pk_json_arr_begin(&q->j);
		for (i = 0; i < l.n; i++) {
			pk_json_obj_begin(&q->j);
			pk_json_key(&q->j, "name");
			pk_json_str(&q->j, l.v[i].name);
			pk_json_key(&q->j, "description");
			pk_json_str(&q->j, l.v[i].value);
			pk_json_obj_end(&q->j);
		}
		pk_json_arr_end(&q->j);
		pk_json_obj_end(&q->j);
	} else if (rc == 0 && q->mode == M_LISTDESC) {
		nut_render_kv_text(&q->out, &l);
	} else if (rc == 0) {
		for (i = 0; i < l.n; i++)
			pk_buf_printf(&q->out, "%s\n", l.v[i].name);
	}
	nut_kvlist_free(&l);
	return rc;
}

static int
do_clients(struct nutq *q, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	size_t i;
	int rc = nut_list_get(&q->cli.c, "CLIENT", q->cli.t.name, NULL, 2, -1, &l, err);

	/* ESPHome has a non-standard LIST CLIENTS and refuses LIST CLIENT. */
	if (rc != 0 && rc != PK_ECOMM && nut_err_is_unsupported(err->kind)) {
		char word[sizeof err->kind];

		snprintf(word, sizeof word, "%s", err->kind);
		rc = pk_err_set(err, PK_EREFUSED, word,
		                "the server does not offer LIST CLIENT (server said ERR %s)", word);
	}
	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, "clients");
		pk_json_arr_begin(&q->j);
		for (i = 0; i < l.n; i++)
			pk_json_str(&q->j, l.v[i].name);
		pk_json_arr_end(&q->j);
		pk_json_obj_end(&q->j);
	}
	for (i = 0; rc == 0 && !is_json(q) && i < l.n; i++)
		pk_buf_printf(&q->out, "%s\n", l.v[i].name);
	nut_kvlist_free(&l);
	return rc;
}

static int
do_rw(struct nutq *q, struct pk_err *err)
{
	struct nut_varinfo *vis;
	size_t n;
	int rc = nut_fetch_rw(&q->cli.c, q->cli.t.name, &vis, &n, err);

	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, "rw");
		nut_render_rw_json(&q->j, vis, n);
		pk_json_obj_end(&q->j);
	} else if (rc == 0) {
		nut_render_rw_text(&q->out, vis, n);
	}
	nut_varinfos_free(vis, n);
	return rc;
}

static int
do_cmds(struct nutq *q, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	size_t i;
	int rc = nut_list_then_get(&q->cli.c, "CMD", q->cli.t.name, 2, "CMDDESC",
	                           q->cli.t.name, &l, err);

	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, "commands");
		nut_render_kv_json(&q->j, &l, 0);
		pk_json_obj_end(&q->j);
	} else if (rc == 0) {
		for (i = 0; i < l.n; i++)
			pk_buf_printf(&q->out, "%s: %s\n", l.v[i].name,
			              l.v[i].value ? l.v[i].value : "Description unavailable");
	}
	nut_kvlist_free(&l);
	return rc;
}

/* VER (VERSION, UPSDVER on minimal servers), NETVER (PROTVER on newer
 * servers), HELP, then NUMLOGINS (or NUMATTACH) per UPS. */
static int
do_server(struct nutq *q, struct pk_err *err)
{
	char ver[512], proto[64], help[512];
	struct nut_kvlist l = { 0 };
	int sup, rc = nut_server_version(&q->cli.c, ver, sizeof ver, &sup, err);
	size_t i;

	if (rc == 0 && !sup)
		snprintf(ver, sizeof ver, "unknown");
	if (rc == 0)
		rc = nut_ask_text(&q->cli.c, "NETVER", proto, sizeof proto, &sup, err);
	if (rc == 0 && !sup)
		rc = nut_ask_text(&q->cli.c, "PROTVER", proto, sizeof proto, &sup, err);
	if (rc == 0 && !sup)
		snprintf(proto, sizeof proto, "unknown");
	if (rc == 0)
		rc = nut_ask_text(&q->cli.c, "HELP", help, sizeof help, &sup, err);
	if (rc == 0 && !sup)
		snprintf(help, sizeof help, "unknown");
	if (rc == 0)
		rc = nut_fetch_logins(&q->cli.c, &l, err);
	if (rc == 0 && is_json(q)) {
		json_head(q);
		pk_json_key(&q->j, "version");
		pk_json_str(&q->j, ver);
		pk_json_key(&q->j, "protocol");
		pk_json_str(&q->j, proto);
		pk_json_key(&q->j, "help");
		pk_json_str(&q->j, help);
		pk_json_key(&q->j, "numlogins");
		nut_render_kv_json(&q->j, &l, 1);
		pk_json_obj_end(&q->j);
	} else if (rc == 0) {
		pk_buf_printf(&q->out, "version: %s\nprotocol: %s\nhelp: %s\n", ver, proto, help);
		for (i = 0; i < l.n; i++)
			pk_buf_printf(&q->out, "numlogins.%s: %s\n", l.v[i].name,
			              l.v[i].value ? l.v[i].value : "unknown");
	}
	nut_kvlist_free(&l);
	return rc;
}

static int
run(struct nutq *q, struct pk_err *err)
{
	int rc = nut_cli_connect(&q->cli, err);

	if (rc != 0)
		return rc;
	switch (q->mode) {
	case M_ALL: return do_all(q, err);
	case M_VARS: return do_many(q, "VAR", "variables", err);
	case M_DESC: return do_many(q, "DESC", "descriptions", err);
	case M_LIST: case M_LISTDESC: return do_upslist(q, err);
	case M_CLIENTS: return do_clients(q, err);
	case M_RW: return do_rw(q, err);
	case M_CMDS: return do_cmds(q, err);
	case M_SERVER: return do_server(q, err);
	}
	return 0;
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

static int
parse_args(struct nutq *q, int argc, char **argv, struct pk_err *err)
{
	static const struct option longopts[] = {
		PK_COMMON_LONGOPTS,
		{ "list", no_argument, NULL, 'l' },
		{ "list-desc", no_argument, NULL, 'L' },
		{ "clients", no_argument, NULL, 'c' },
		{ "rw", no_argument, NULL, OPT_RW },
		{ "cmds", no_argument, NULL, OPT_CMDS },
		{ "desc", no_argument, NULL, OPT_DESC },
		{ "server", no_argument, NULL, OPT_SERVER },
		{ NULL, 0, NULL, 0 }
	};
	int ch, rc = 0, needs_ups;
	const char *spec;

	while (rc == 0 && (ch = pk_getopt(argc, argv, PK_COMMON_SHORTOPTS "lLc", longopts,
	                       "nutq", err)) != -1) {
		int r = pk_common_opt(&q->cli.o, ch, optarg, err);

		if (r < 0)
			return PK_EUSAGE;
		if (r > 0)
			continue;
		switch (ch) {
		case 'l': rc = set_mode(q, M_LIST, err); break;
		case 'L': rc = set_mode(q, M_LISTDESC, err); break;
		case 'c': rc = set_mode(q, M_CLIENTS, err); break;
		case OPT_RW: rc = set_mode(q, M_RW, err); break;
		case OPT_CMDS: rc = set_mode(q, M_CMDS, err); break;
		case OPT_DESC: rc = set_mode(q, M_DESC, err); break;
		case OPT_SERVER: rc = set_mode(q, M_SERVER, err); break;
		default: return PK_EUSAGE;  /* '?': pk_getopt filled err */
		}
	}
	if (rc != 0 || q->cli.o.help || q->cli.o.version)
		return rc;
	/* "@host" alone lists the UPSes there, like -l host (the target rule
	 * every tool shares). */
	if (q->mode == M_ALL && optind + 1 == argc && argv[optind][0] == '@')
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

int
main(int argc, char **argv)
{
	struct nutq q;
	struct pk_err err = { 0 };
	int rc;

	memset(&q, 0, sizeof q);
	nut_cli_init(&q.cli, "nutq");
	rc = parse_args(&q, argc, argv, &err);
	if (rc == 0 && pk_help_or_version(&q.cli.o, "nutq", usage_text, 1, NULL))
		return 0;
	if (rc == 0)
		rc = run(&q, &err);
	/* With err clear, a failure was per item: the output still counts. */
	if (rc == 0 || err.status == 0) {
		if (is_json(&q))
			pk_buf_addc(&q.out, '\n');
		if (pk_emit(&q.out) != 0 && rc == 0)
			rc = pk_err_set(&err, PK_ECOMM, "output", "cannot write to stdout");
	}
	pk_buf_free(&q.out);
	return nut_cli_finish(&q.cli, rc, &err);
}
