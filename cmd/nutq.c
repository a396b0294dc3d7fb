/* nutq — query a NUT server: every variable (like upsc), chosen
 * variables pipelined on one connection, UPS lists, clients, writable
 * variables, commands, descriptions, server facts; text, JSON or
 * Prometheus output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/check_opts.h"
#include "cli/cred.h"
#include "cli/discover.h"
#include "cli/nut_tools.h"
#include "cli/output.h"
#include "cli/targets.h"
#include "cli/watch.h"
#include "core/clock.h"
#include "nut/batch.h"
#include "nut/health.h"
#include "nut/pipeline.h"
#include "nut/render.h"
#include "nut/watch.h"
#include "nut/scan.h"

enum mode { M_ALL, M_VARS, M_LIST, M_LISTDESC, M_CLIENTS, M_RW, M_CMDS, M_DESC, M_SERVER, M_SCAN };
enum {
	OPT_RW = NUT_OPT_TOOL, OPT_CMDS, OPT_DESC, OPT_SERVER,
	OPT_STATUS_MAP, OPT_VOLTAGE_TOL, OPT_FREQUENCY_TOL, OPT_SCAN, OPT_VALUES, OPT_MIN_CHANGE,
	OPT_LOGIN
};

static const char usage_text[] =
	"Usage: nutq [OPTIONS] UPS@HOST[:PORT] [VAR...]\n"
	"       nutq [OPTIONS] [-g VAR]... TARGET... | --targets FILE\n"
	"       nutq -l|-L [HOST[:PORT]]\n"
	"       nutq -c|--rw|--cmds UPS@HOST[:PORT]\n"
	"       nutq -c @HOST[:PORT]\n"
	"       nutq --desc UPS@HOST[:PORT] VAR...\n"
	"       nutq --server [HOST[:PORT]]\n"
	"       nutq --check [--warning VAR=RANGE] [--critical VAR=RANGE] TARGET...\n"
	"       nutq --watch[=SECONDS] [--exec COMMAND] TARGET...\n"
	"       nutq --once --state FILE TARGET...\n"
	"       nutq --scan [--port PORT] RANGE...\n"
	"Query a NUT server (upsd). Without VAR, prints every variable as upsc does;\n"
	"with VARs, their bare values in the order asked (one connection).\n"
	"Several targets (UPS@HOST[:PORT], or @HOST[:PORT] for every UPS there) are\n"
	"queried at once; each output line is prefixed with its target.\n"
	"With -u USER (or NUT_USER), nutq logs in before it reads.\n";

static const struct pk_opt nutq_opts[] = {
	{ "list", 'l', NULL, "UPS names on the server", PK_VAL_NONE, NULL },
	{ "list-desc", 'L', NULL, "UPS names with descriptions", PK_VAL_NONE, NULL },
	{ "clients", 'c', NULL, "clients logged in to the UPS (LIST CLIENT)", PK_VAL_NONE, NULL },
	{ "rw", OPT_RW, NULL, "writable variables: description, type, options", PK_VAL_NONE, NULL },
	{ "cmds", OPT_CMDS, NULL, "instant commands with descriptions", PK_VAL_NONE, NULL },
	{ "desc", OPT_DESC, NULL, "descriptions of the VARs", PK_VAL_NONE, NULL },
	{ "server", OPT_SERVER, NULL, "server version, protocol, HELP, logins per UPS",
	  PK_VAL_NONE, NULL },
	{ "get", 'g', "VAR", "ask VAR of every target (repeatable)", PK_VAL_NONE, NULL },
	{ "scan", OPT_SCAN, NULL, "find the NUT servers and UPSes in each RANGE\n"
	  "(CIDR, FIRST-LAST, address or host)", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* What --check and --watch judge a UPS by, besides the thresholds
 * (nut/health.h). */
static const struct pk_opt nutq_check_opts[] = {
	{ "status-map", OPT_STATUS_MAP, "FLAG=STATE",
	  "with --check: the state a ups.status flag means (repeatable)", PK_VAL_NONE, NULL },
	{ "voltage-tolerance", OPT_VOLTAGE_TOL, "W,C",
	  "with --check or --watch: input.voltage off its nominal by W or C\npercent (default 6,10)",
	  PK_VAL_NONE, NULL },
	{ "frequency-tolerance", OPT_FREQUENCY_TOL, "W,C",
	  "with --check or --watch: input.frequency off its nominal by W or C\npercent (default 2,4)",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* What --watch also reports. */
static const struct pk_opt nutq_watch_opts[] = {
	{ "values", OPT_VALUES, "[SECONDS]",
	  "with --watch: also the -g VARs, at most every SECONDS (default\nthe --watch interval), when they moved",
	  PK_VAL_NONE, NULL },
	{ "min-change", OPT_MIN_CHANGE, "N",
	  "with --values: report a value when it moved by more than N\n(default 0)", PK_VAL_NONE, NULL },
	{ "login", OPT_LOGIN, NULL,
	  "with --watch: hold a LOGIN on each UPS (needs -u), LOGOUT at FSD", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const nutq_tables[] = {
	nutq_opts, nut_cli_cred_opts, nut_cli_tls_opts, pk_opts_fleet, pk_opts_discover, pk_opts_check,
	nutq_check_opts, pk_opts_watch, nutq_watch_opts, pk_opts_common_prom, NULL
};

/* The settings a line of nutq's --targets file may carry: none yet. */
static const char *const nutq_target_keys[] = { NULL };

struct nutq {
	struct nut_cli cli;
	struct pk_fleet_opts fleet;
	struct pk_discover_opts disc;  /* --scan's --port, --rate, --max-hosts */
	int disc_opts;                 /* one of them was given */
	enum mode mode;
	char **vars;                   /* the VARs: operands, or the -g values */
	size_t nvars;
	char **gets;                   /* -g values (room for argc) */
	size_t ngets;
	struct pk_target_list targets; /* every target of a batch run */
	int several;                   /* several targets or an @host: prefixed output */
	struct pk_check_opts check;    /* --check and its thresholds */
	struct nut_health_opts health; /* what else --check judges by */
	int health_opts;               /* one of nutq_check_opts was given */
	int check_verbose;             /* -v with --check: long output */
	struct pk_watch_opts watch;    /* --watch and its options */
	int values;                    /* --values: the -g VARs as VALUE events */
	int64_t values_ms;             /* its SECONDS; 0: every poll */
	int64_t values_next;           /* pk_now_ms when they are due next */
	double min_change;             /* --min-change */
	const char *values_other;      /* --min-change given (its name) */
	int login;                     /* --login: LOGIN each UPS while watching */
	const char *user;              /* the login, when a user was given */
	char pass[1024];
};

/* Reports each failure of a batch on stderr: the target's error, or
 * each variable it lacks. */
static void
report_batch(struct nutq *q, const struct nut_batch *b, const struct nut_batch_ups *u)
{
	size_t k;

	if (u->err != NULL) {
		pk_warn(q->cli.tool, u->label, q->cli.o.quiet, "%s", u->err->msg);
		return;
	}
	for (k = 0; u->errs != NULL && k < b->opts.nvars; k++)
		if (u->errs[k].status != 0)
			pk_warn(q->cli.tool, u->label, q->cli.o.quiet, "%s", u->errs[k].msg);
}

/* One target, printed exactly as it always was (upsc compatibility):
 * the listing or the found values, then each missing variable on
 * stderr; a failure of the whole target is the run's error (err), and
 * with --format prom the exposition still says nut_up 0. */
static int
show_one(struct nutq *q, const struct nut_batch *b, struct pk_buf *out, struct pk_err *err)
{
	const struct nut_batch_ups *u = &b->ups[0];
	struct pk_target t;
	struct nut_doc d = { q->cli.o.format, &t };
	int rc;

	nut_batch_target(b, u, &t);
	if (u->err != NULL) {
		*err = *u->err;
		if (q->cli.o.format == PK_FMT_PROM) {
			struct nut_prom_ups down = { u->name, NULL, NULL };

			nut_render_prom(out, &down, 1);
			nut_cli_emit(out, err);
		}
		return err->status;
	}
	if (b->opts.vars != NULL)
		nut_render_values(out, &d, "VAR", &u->vars, u->errs);
	else
		nut_render_vars(out, &d, &u->vars);
	if (q->cli.o.format == PK_FMT_PROM)
		pk_prom_finish(q->cli.tool, q->cli.label, out, q->cli.o.quiet);
	rc = nut_cli_emit(out, err);
	if (rc == 0)
		report_batch(q, b, u);
	return rc != 0 ? rc : nut_batch_status(b, u);
}

/* Several targets: one output for all, each failure on stderr; the
 * status is the worst target's.  err stays clear (every failure is
 * reported here). */
static int
show_several(struct nutq *q, const struct nut_batch *b, struct pk_buf *out, struct pk_err *err)
{
	size_t i;
	int rc;

	nut_render_batch(out, q->cli.o.format, b);
	if (q->cli.o.format == PK_FMT_PROM)
		pk_prom_finish(q->cli.tool, NULL, out, q->cli.o.quiet);
	rc = nut_cli_emit(out, err);
	for (i = 0; rc == 0 && i < b->nups; i++)
		report_batch(q, b, &b->ups[i]);
	return rc != 0 ? rc : nut_batch_worst(b);
}

/* A server's note in a batch run ("host:port: line"), on stderr. */
static void
batch_warn(void *ctx, const char *line)
{
	const struct nutq *q = ctx;

	pk_warn(q->cli.tool, NULL, q->cli.o.quiet, "%s", line);
}

/* Queries every target at once: the full listing, or the VARs.  b is
 * initialised whatever happens (nut_batch_free it). */
static int
batch_targets(struct nutq *q, struct nut_batch *b, struct pk_err *err)
{
	struct nut_batch_opts o = { 0 };
	struct pk_target t;
	size_t i;
	int rc = 0;

	q->cli.trace.fn = q->cli.o.verbose ? pk_trace_stderr : NULL;
	q->cli.trace.ctx = (void *)q->cli.tool;
	o.timeout_ms = q->cli.o.timeout_ms;
	o.parallel = (size_t)q->fleet.parallel;
	o.trace = &q->cli.trace;
	/* A watch reads whole UPSes: its -g VARs are among them. */
	o.vars = q->mode == M_VARS && !q->watch.enabled ? q->vars : NULL;
	o.nvars = q->mode == M_VARS && !q->watch.enabled ? q->nvars : 0;
	o.user = q->user;
	o.pass = q->user != NULL ? q->pass : NULL;
	o.tls = nut_cli_tls(&q->cli);
	o.warn = batch_warn;
	o.warn_ctx = q;
	o.keep = q->watch.enabled;
	o.login = q->login;
	nut_batch_init(b, &o);
	rc = nut_batch_reserve(b, q->targets.n, err);
	for (i = 0; rc == 0 && i < q->targets.n; i++) {
		/* Parsed once already (parse_targets): this cannot fail. */
		pk_target_parse(q->targets.v[i].spec, PK_TARGET_NAMED, NUT_DEFAULT_PORT, &t, err);
		rc = nut_batch_add(b, &t, err);
	}
	return rc == 0 ? nut_batch_run(b, err) : rc;
}

/* The full listing or the VARs of every target, all at once. */
static int
run_batch(struct nutq *q, struct pk_buf *out, struct pk_err *err)
{
	struct nut_batch b;
	int rc = batch_targets(q, &b, err);

	if (rc == 0)
		rc = q->several ? show_several(q, &b, out, err) : show_one(q, &b, out, err);
	nut_batch_free(&b);
	return rc;
}

/* One UPS of a --check run judged into the report: its variables, or
 * why it could not be read. */
static void
check_ups(struct nutq *q, const struct nut_batch_ups *u, struct pk_check_report *rep)
{
	struct pk_check_target *t = pk_check_target_add(rep, u->label);
	struct nut_health h = { 0 };

	if (u->err != NULL)
		nut_health_from_error(u->err, q->check.unreachable, &h);
	else
		nut_health_eval(&u->vars, &q->health, &h);
	if (t != NULL)
		nut_health_to_check(&h, t);
	nut_health_free(&h);
}

/* --check: every target read (LIST VAR, all at once) and judged, the
 * plugin output printed; the exit code is the check's state, whatever
 * happened. */
static int
run_check(struct nutq *q)
{
	struct pk_common_opts print_opts = q->cli.o;
	struct pk_check_report rep;
	struct pk_err err = { 0 };
	struct nut_batch b;
	size_t i;
	int rc = batch_targets(q, &b, &err);

	pk_check_report_init(&rep, "NUT");
	if (rc != 0) {  /* the run itself could not go on */
		struct pk_check_target *t = pk_check_target_add(&rep, q->cli.label);
		if (t != NULL)
			pk_check_finding(t, PK_CHECK_UNKNOWN, "%s", err.msg);
	}
	for (i = 0; rc == 0 && i < b.nups; i++)
		check_ups(q, &b.ups[i], &rep);
	print_opts.verbose = q->check_verbose;
	rc = pk_check_print(&rep, &print_opts);
	pk_check_report_free(&rep);
	nut_batch_free(&b);
	return rc;
}

/* A watch's connections and what it remembers between polls. */
struct nutq_watch {
	struct nutq *q;
	struct nut_batch b;
	int started;                   /* b holds the targets (the first poll ran) */
	struct pk_watch_retry *retry;  /* per server */
};

/* After a watch's poll: a server whose targets could not talk to it
 * is left alone for a backoff that grows with each failure in a row;
 * one that answered starts again from nothing. */
static void
watch_backoff(struct nutq_watch *nw)
{
	struct nut_batch *b = &nw->b;
	size_t si, i;

	for (si = 0; si < b->nservers; si++) {
		int asked = 0, failed = 0;
		int64_t until;

		for (i = 0; i < b->nups; i++) {
			if (b->ups[i].server != si || b->ups[i].skipped)
				continue;
			asked = 1;
			failed |= nut_batch_error(&b->ups[i])->status == PK_ECOMM;
		}
		if (asked && (until = pk_watch_retry_after(&nw->retry[si], failed)) != 0)
			nut_batch_hold(b, si, until);
	}
}

/* Judges one poll of every target into events. */
static void
watch_judge(struct nutq *q, struct pk_watch_run *r, const struct nut_batch *b,
            struct pk_events *evs)
{
	struct nut_watch_opts wo = { &q->health, q->watch.hysteresis };
	int values_due = q->values && pk_now_ms() >= q->values_next;
	size_t i;

	for (i = 0; i < b->nups; i++) {
		const struct nut_batch_ups *u = &b->ups[i];

		if (u->skipped)
			continue;
		pk_watch_first_error(r, u->label, nut_batch_error(u));
		nut_watch_poll(&r->w, &wo, u->label, &u->vars, nut_batch_error(u), time(NULL), evs);
		if (values_due && u->err == NULL)
			nut_watch_values(&r->w, u->label, &u->vars, q->gets, q->ngets, q->min_change,
			                 time(NULL), evs);
	}
	if (values_due)
		q->values_next = pk_now_ms() + q->values_ms;
}

/* With --login, a refused login ends the watch: the next try could only
 * be refused again (and a server may lock the user out).  0, or the
 * first refusal (PK_EAUTH, err filled, naming the target). */
static int
watch_login_refused(const struct nut_batch *b, struct pk_err *err)
{
	size_t i;

	for (i = 0; i < b->nups; i++)
		if (!b->ups[i].skipped && nut_batch_error(&b->ups[i])->status == PK_EAUTH) {
			*err = *b->ups[i].err;
			pk_err_prefix(err, "%s", b->ups[i].label);
			return err->status;
		}
	return 0;
}

/* One poll of every target over the kept connections (the first one
 * connects), judged. */
static int
watch_poll(void *ctx, struct pk_watch_run *r, struct pk_events *evs, struct pk_err *err)
{
	struct nutq_watch *nw = ctx;
	int rc;

	if (!nw->started) {
		nw->started = 1;
		rc = batch_targets(nw->q, &nw->b, err);
		if (rc == 0 && (nw->retry = calloc(nw->b.nservers ? nw->b.nservers : 1,
		                                   sizeof *nw->retry)) == NULL)
			rc = pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	} else {
		rc = nut_batch_run(&nw->b, err);
	}
	if (rc == 0 && nw->q->login)
		rc = watch_login_refused(&nw->b, err);
	if (rc != 0)
		return rc;
	watch_judge(nw->q, r, &nw->b, evs);
	watch_backoff(nw);
	return 0;
}

/* 1 when ups.status of u holds the word FSD. */
static int
forced_shutdown(const struct nut_batch_ups *u)
{
	const char *st = nut_kvlist_find(&u->vars, "ups.status");
	size_t n;

	for (; st != NULL && *st != '\0'; st += n) {
		st += strspn(st, " ");
		n = strcspn(st, " ");
		if (n == 3 && strncmp(st, "FSD", 3) == 0)
			return 1;
	}
	return 0;
}

/* After the events of a poll were printed and their commands started:
 * with --login, a UPS in forced shutdown is logged out of at once, for
 * a primary upsmon waits until the clients logged in to the UPS are
 * gone before it cuts the power.  The watch goes on without LOGIN. */
static void
watch_emitted(void *ctx, struct pk_watch_run *r, const struct pk_events *evs)
{
	struct nutq_watch *nw = ctx;
	size_t i;

	(void)evs;
	for (i = 0; nw->q->login && i < nw->b.nups; i++) {
		const struct nut_batch_ups *u = &nw->b.ups[i];

		if (!u->skipped && u->err == NULL && forced_shutdown(u) &&
		    nut_batch_logout(&nw->b, u->server))
			pk_warn(r->tool, u->label, r->quiet,
			        "FSD: LOGOUT sent so that the primary can shut down; watching on without LOGIN");
	}
}

/* The end of a watch: LOGOUT on every connection. */
static void
watch_close(void *ctx)
{
	struct nutq_watch *nw = ctx;

	if (nw->started)
		nut_batch_free(&nw->b);
	free(nw->retry);
}

/* upsd drops a client idle for 60 s (ESPHome's server too): a poll at
 * least this often keeps each connection well inside that. */
#define WATCH_KEEPALIVE_MS 30000

/* --watch or --once: every target polled over one kept-alive connection
 * per server; exit 0 at the end (3 when stdout or the state file cannot
 * be written, 2 when the state file cannot be read). */
static int
run_watch(struct nutq *q)
{
	struct nutq_watch nw;
	struct pk_watch_source src = { &nw, watch_poll, watch_emitted, watch_close,
	                               WATCH_KEEPALIVE_MS };
	struct pk_err err = { 0 };
	int rc;

	memset(&nw, 0, sizeof nw);
	nw.q = q;
	q->health.thresholds = &q->check.thresholds;
	q->health.judge_output = 1;
	rc = pk_watch_main(q->cli.tool, &q->watch, &q->cli.o, &src, &err);
	if (rc != 0)
		pk_report_error(q->cli.tool, NULL, &err, 0, q->cli.o.quiet);
	return rc;
}

/* One line (or JSON object) per UPS found; a server that lists nothing
 * without a login is "@host:port", which nutq lists with -u. */
static size_t
render_scan(struct pk_buf *out, struct pk_json *j, const struct nut_scan *s)
{
	size_t i, k, n = 0;

	for (i = 0; i < s->nfound; i++) {
		const struct nut_scan_server *srv = &s->found[i];
		struct pk_target t = { "", "", "", 0 };
		char server[300], target[600], note[900];
		struct pk_found_fact facts[5] = {
			{ "server", server, 0, 0 }, { "ups", NULL, 0, 0 }, { "description", NULL, 0, 0 },
			{ "version", srv->version[0] ? srv->version : NULL, 0, 0 },
			{ "login_needed", srv->login_needed ? "true" : "false", 0, 1 }
		};

		snprintf(t.host, sizeof t.host, "%s", srv->host);
		snprintf(t.port, sizeof t.port, "%s", srv->port);
		pk_target_hostport(&t, server, sizeof server);
		for (k = 0; k < srv->ups.n || (k == 0 && srv->login_needed); k++, n++) {
			const char *name = k < srv->ups.n ? srv->ups.v[k].name : "";
			const char *desc = k < srv->ups.n ? srv->ups.v[k].value : NULL;

			snprintf(target, sizeof target, "%s@%s", name, server);
			facts[1].value = name[0] ? name : NULL;
			facts[2].value = desc;
			if (srv->login_needed)
				snprintf(note, sizeof note, "NUT server %s; a login is needed to list its UPSes",
				         srv->version[0] ? srv->version : "(no version)");
			else
				snprintf(note, sizeof note, "%s; %s; no login needed", desc ? desc : "",
				         srv->version[0] ? srv->version : "NUT server (no version)");
			pk_discover_emit(out, j, target, facts, 5, note);
		}
	}
	return n;
}

/* --scan: every address of the RANGEs probed at once; the UPSes found,
 * as lines a --targets file takes back, or a JSON array. */
static int
run_scan(struct nutq *q, char **ranges, size_t nranges, struct pk_err *err)
{
	struct pk_discover d;
	struct nut_scan s = { 0 };
	struct pk_probe_ops ops;
	struct pk_buf out = { 0 };
	struct pk_json j;
	int json = q->cli.o.format == PK_FMT_JSON;
	size_t found;
	int rc = pk_discover_init(&d, "nutq", NUT_DEFAULT_PORT, ranges, nranges, &q->disc,
	                          &q->cli.o, &q->fleet, err);

	q->cli.trace.fn = q->cli.o.verbose ? pk_trace_stderr : NULL;
	q->cli.trace.ctx = (void *)q->cli.tool;
	s.port = d.port;
	s.trace = &q->cli.trace;
	s.addr = pk_discover_addr;
	s.addr_ctx = &d;
	if (rc == 0)
		rc = nut_scan_init(&s, d.probe.parallel, err);
	if (rc == 0) {
		ops = nut_scan_ops(&s);
		rc = pk_discover_run(&d, &ops, err);
	}
	if (rc == 0) {
		struct pk_json *jp = pk_discover_begin(&out, json, &j);

		nut_scan_sort(&s);
		found = render_scan(&out, jp, &s);
		rc = pk_discover_end(&d, &out, jp, found, "NUT server", err);
	}
	pk_buf_free(&out);
	nut_scan_free(&s);
	pk_discover_free(&d);
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

/* -c @host: LIST UPS, then the clients of each UPS in turn; a failure
 * is named by the UPS it happened on. */
static int
show_all_clients(struct nutq *q, struct pk_buf *out, struct pk_err *err)
{
	struct nut_kvlist names = { 0 };
	struct nut_kvlist *lists = NULL;
	struct pk_target *ts = NULL;
	size_t i, n = 0;
	int rc = nut_list_get(&q->cli.c, "UPS", NULL, NULL, 1, -1, &names, err);

	if (rc == 0 && names.n > 0) {
		lists = calloc(names.n, sizeof *lists);
		ts = calloc(names.n, sizeof *ts);
		if (lists == NULL || ts == NULL)
			rc = pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	}
	for (i = 0; rc == 0 && i < names.n; i++, n++) {
		char label[300];

		ts[i] = q->cli.t;
		snprintf(ts[i].name, sizeof ts[i].name, "%s", names.v[i].name);
		ts[i].has_name = 1;
		rc = nut_fetch_clients(&q->cli.c, ts[i].name, &lists[i], err);
		if (rc != 0) {
			pk_target_label(&ts[i], label, sizeof label);
			pk_err_prefix(err, "%s", label);
		}
	}
	if (rc == 0)
		nut_render_clients_many(out, q->cli.o.format, ts, lists, names.n);
	for (i = 0; i < n + (rc != 0); i++)
		nut_kvlist_free(&lists[i]);
	free(lists);
	free(ts);
	nut_kvlist_free(&names);
	return rc;
}

static int
show_clients(struct nutq *q, const struct nut_doc *d, struct pk_buf *out, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	int rc;

	if (q->cli.t.name[0] == '\0')
		return show_all_clients(q, out, err);
	rc = nut_fetch_clients(&q->cli.c, q->cli.t.name, &l, err);
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

static int
run(struct nutq *q, struct pk_err *err)
{
	struct pk_buf out = { 0 };
	struct nut_doc d;
	int rc;

	if (q->mode == M_SCAN)
		return run_scan(q, q->vars, q->nvars, err);
	if (q->mode == M_ALL || q->mode == M_VARS) {
		rc = run_batch(q, &out, err);
		pk_buf_free(&out);
		return rc;
	}
	rc = nut_cli_connect(&q->cli, err);
	nut_cli_doc(&q->cli, &d);
	if (rc == 0 && q->user != NULL)
		rc = nut_cli_login(&q->cli, q->user, q->pass, err);
	if (rc != 0)
		return rc;
	switch (q->mode) {
	case M_ALL: case M_VARS: case M_SCAN: break;
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
		                  "-l, -L, -c, --rw, --cmds, --desc, --server and --scan exclude each other");
	q->mode = m;
	return 0;
}

/* --min-change N: a plain decimal, 0 or more. */
static int
parse_min_change(const char *arg, double *out, struct pk_err *err)
{
	if (!pk_decimal_syntax(arg) || arg[0] == '-')
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--min-change: '%s' is not a number of 0 or more", arg);
	*out = strtod(arg, NULL);
	return 0;
}

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct nutq *q = tool;
	int r = pk_discover_opt(&q->disc, ch, arg, err);

	q->disc_opts |= r != 0;
	if (r == 0)
		r = pk_common_opt(&q->cli.o, ch, arg, err);
	if (r == 0)
		r = pk_fleet_opt(&q->fleet, ch, arg, err);
	if (r == 0)
		r = pk_check_opt(&q->check, ch, arg, err);
	if (r == 0)
		r = pk_watch_opt(&q->watch, ch, arg, err);
	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	if (nut_cli_cred_opt(&q->cli, ch, arg))
		return 0;
	if ((r = nut_cli_tls_opt(&q->cli, ch, arg, err)) != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case 'g':
		q->gets[q->ngets++] = arg;
		return 0;
	case 'l': return set_mode(q, M_LIST, err);
	case 'L': return set_mode(q, M_LISTDESC, err);
	case 'c': return set_mode(q, M_CLIENTS, err);
	case OPT_RW: return set_mode(q, M_RW, err);
	case OPT_CMDS: return set_mode(q, M_CMDS, err);
	case OPT_DESC: return set_mode(q, M_DESC, err);
	case OPT_SERVER: return set_mode(q, M_SERVER, err);
	case OPT_SCAN: return set_mode(q, M_SCAN, err);
	case OPT_VALUES:
		q->values = 1;
		return arg != NULL ? pk_parse_seconds(arg, 86400, "--values", &q->values_ms, err) : 0;
	case OPT_LOGIN:
		q->login = 1;
		return 0;
	case OPT_MIN_CHANGE:
		q->values_other = "--min-change";
		return parse_min_change(arg, &q->min_change, err);
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

/* Adds a target operand, checking it as nutq takes it (a UPS name, or
 * @host for every UPS there). */
static int
add_target(struct nutq *q, const char *spec, const char *where, struct pk_err *err)
{
	struct pk_target t;
	int rc = pk_target_parse(spec, PK_TARGET_NAMED, NUT_DEFAULT_PORT, &t, err);

	if (rc == 0 && (!nut_printable(t.name) || strpbrk(t.name, " \"\\#") != NULL))
		rc = pk_err_set(err, PK_EUSAGE, "usage", "%s: bad UPS name", spec);
	if (rc != 0 && where != NULL && where[0] != '\0')
		pk_err_prefix(err, "%s", where);
	if (rc == 0 && !t.has_name && q->login)
		rc = pk_err_set(err, PK_EUSAGE, "usage",
		                "%s: --login holds one LOGIN per UPS: name each UPS (UPS@HOST)", spec);
	if (rc == 0 && !t.has_name)
		q->several = 1;  /* @host: as many targets as it has UPSes */
	return rc;
}

/* The targets of a full listing or -g run: the operands that are
 * targets (the first one, and every later one with an '@'; a bare word
 * after a single target is a VAR of it), then --targets FILE. */
static int
parse_targets(struct nutq *q, int argc, char **argv, struct pk_err *err)
{
	char **words = argv + optind + 1;
	size_t i, nwords = 0;
	int rc = 0;

	for (i = (size_t)optind; rc == 0 && i < (size_t)argc; i++) {
		if (i == (size_t)optind || strchr(argv[i], '@') != NULL)
			rc = pk_targets_add(&q->targets, argv[i], err);
		else
			words[nwords++] = argv[i];  /* in place: each moves down or stays */
	}
	if (rc == 0 && q->fleet.targets_file != NULL)
		rc = pk_targets_read(&q->targets, q->fleet.targets_file, err);
	if (rc == 0)
		rc = pk_targets_check_keys(&q->targets, nutq_target_keys, err);
	for (i = 0; rc == 0 && i < q->targets.n; i++)
		rc = add_target(q, q->targets.v[i].spec, q->targets.v[i].where, err);
	if (rc != 0)
		return rc;
	if (q->targets.n == 0)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "a target UPS@HOST is needed; try 'nutq --help'");
	if (q->targets.n > 1)
		q->several = 1;
	if (nwords > 0 && (q->several || q->ngets > 0))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "unexpected argument '%s': with several targets or -g, ask variables with -g VAR",
		                  words[0]);
	q->vars = q->ngets > 0 ? q->gets : words;
	q->nvars = q->ngets > 0 ? q->ngets : nwords;
	if (q->nvars > 0)
		q->mode = M_VARS;
	if (q->cli.o.format == PK_FMT_PROM && q->mode != M_ALL)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom is for the full listing only");
	/* nut_cli_target keeps the label of a single target. */
	return nut_cli_target(&q->cli, q->targets.v[0].spec, q->targets.v[0].spec[0] != '@', err);
}

/* The --check rules: its options only with it; it reads the full
 * listing of each target.  With --check, -v means the plugins' long
 * output (on stdout) and -vv adds the protocol trace (on stderr). */
static int
parse_check(struct nutq *q, struct pk_err *err)
{
	/* --watch follows the thresholds and tolerances too. */
	struct pk_check_opts judged = q->check;
	int rc;

	judged.enabled |= q->watch.enabled;
	rc = pk_check_opts_validate(&judged, &q->cli.o, err);
	if (rc == 0)
		rc = pk_watch_opts_validate(&q->watch, &q->cli.o, err);
	if (rc != 0)
		return rc;
	if (q->watch.enabled && (q->check.enabled || q->fleet.output != NULL))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--watch prints events as they come: no --check or --output");
	if (q->watch.enabled && q->mode != M_ALL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--watch reads whole UPSes: no -l, -L, -c, --rw, --cmds, --desc or --server");
	if ((q->values || q->values_other != NULL) && !q->watch.enabled)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s goes with --watch",
		                  q->values ? "--values" : q->values_other);
	if (q->login && (!q->watch.enabled || q->watch.once))
		return pk_err_set(err, PK_EUSAGE, "usage", "--login holds a LOGIN while --watch runs: %s",
		                  q->watch.once ? "not with --once" : "it goes with --watch");
	if (q->values_other != NULL && !q->values)
		return pk_err_set(err, PK_EUSAGE, "usage", "--min-change goes with --values");
	if (q->values && q->ngets == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "--values needs the variables: -g VAR");
	if (!q->check.enabled)
		return q->health_opts && !q->watch.enabled
		       ? pk_err_set(err, PK_EUSAGE, "usage",
		                    "--status-map and the tolerances go with --check or --watch")
		       : 0;
	if (q->mode != M_ALL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--check reads whole UPSes: no -l, -L, -c, --rw, --cmds, --desc or --server");
	q->health.thresholds = &q->check.thresholds;
	q->check_verbose = q->cli.o.verbose;
	q->cli.o.verbose = q->cli.o.verbose > 1;
	return 0;
}

/* --scan RANGE...: no target options, and no format but text and JSON. */
static int
parse_scan(struct nutq *q, struct pk_err *err)
{
	if (q->check.enabled || q->ngets > 0 || q->fleet.targets_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "--scan takes RANGEs: no --check, -g or --targets");
	if (q->cli.o.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--scan prints text or JSON: no --format prom");
	if (q->cli.user != NULL || q->cli.pass != NULL || q->cli.pass_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "--scan logs in nowhere: no -u, -p or --password-file");
	return 0;
}

static int
parse_args(struct nutq *q, int argc, char **argv, struct pk_err *err)
{
	int needs_ups, fleet;
	const char *spec;
	int rc = pk_parse_opts(argc, argv, nutq_tables, "nutq", apply_opt, q, err);

	if (rc != 0 || q->cli.o.help || q->cli.o.version)
		return rc;
	if ((rc = nut_cli_tls_check(&q->cli, err)) != 0)
		return rc;
	if ((rc = parse_check(q, err)) != 0)
		return rc;
	if (q->mode == M_SCAN) {
		q->vars = argv + optind;  /* the RANGEs */
		q->nvars = (size_t)(argc - optind);
		return parse_scan(q, err);
	}
	if (q->disc_opts)
		return pk_err_set(err, PK_EUSAGE, "usage", "--port, --rate and --max-hosts go with --scan");
	fleet = q->ngets > 0 || q->fleet.targets_file != NULL || q->check.enabled ||
	        q->watch.enabled;
	/* "@host" alone lists the UPSes there, like -l host (the target rule
	 * every tool shares); with -g, --targets or --format prom (which a
	 * list of names does not have) it stands for them all. */
	if (q->mode == M_ALL && !fleet && q->cli.o.format != PK_FMT_PROM && optind + 1 == argc &&
	    argv[optind][0] == '@')
		q->mode = M_LIST;
	if (q->mode == M_ALL && (rc = parse_targets(q, argc, argv, err)) == 0 &&
	    (q->check.enabled || (q->watch.enabled && !q->values)) && q->mode == M_VARS)
		rc = q->watch.enabled && q->ngets > 0
		     ? pk_err_set(err, PK_EUSAGE, "usage",
		                  "--watch reads every variable: -g VAR goes with --values")
		     : pk_err_set(err, PK_EUSAGE, "usage", "%s reads every variable: no VAR and no -g",
		                  q->check.enabled ? "--check" : "--watch");
	if (q->mode == M_ALL || q->mode == M_VARS)
		return rc;
	if (fleet)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "-g and --targets are for the full listing and variables only");
	needs_ups = q->mode != M_LIST && q->mode != M_LISTDESC && q->mode != M_SERVER &&
	            !(q->mode == M_CLIENTS && optind < argc && argv[optind][0] == '@');
	if (optind >= argc && needs_ups)
		return pk_err_set(err, PK_EUSAGE, "usage", "a target UPS@HOST is needed; try 'nutq --help'");
	spec = optind < argc ? argv[optind++] : "localhost";
	q->vars = argv + optind;
	q->nvars = (size_t)(argc - optind);
	if (q->mode == M_DESC && q->nvars == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "--desc needs at least one VAR");
	if (q->mode != M_DESC && q->nvars > 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "unexpected argument '%s'", q->vars[0]);
	if (q->cli.o.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom is for the full listing only");
	return nut_cli_target(&q->cli, spec, needs_ups, err);
}

/* The login of a run: only when a user is given (-u or NUT_USER), then
 * its password as nutset finds it (option, file, environment, prompt).
 * A password with no user is a usage error; nothing is sent. */
static int
get_login(struct nutq *q, struct pk_err *err)
{
	if (pk_user_get(q->cli.user, "NUT_USER", NULL) == NULL) {
		if (q->cli.pass != NULL || q->cli.pass_file != NULL)
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "-p and --password-file need a user: give -u USER or set NUT_USER");
		return q->login ? pk_err_set(err, PK_EUSAGE, "usage",
		                             "--login needs a user: give -u USER or set NUT_USER")
		                : 0;
	}
	return nut_cli_creds(&q->cli, &q->user, q->pass, sizeof q->pass, err);
}

/* Operands for the shell completion: the target, then variables. */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	struct nutq *q = tool;

	if (q->mode != M_LIST && q->mode != M_LISTDESC && q->mode != M_SERVER)
		nut_cli_complete(&q->cli, c, "VAR", "");
}

/* --output: the file gets what was printed, in one step. */
static int
finish_output(struct nutq *q, int rc)
{
	struct pk_err werr = { 0 };
	int wrc = pk_output_commit(rc, &werr);

	if (wrc != rc)
		pk_report_error(q->cli.tool, NULL, &werr, 0, q->cli.o.quiet);
	return wrc;
}

int
main(int argc, char **argv)
{
	struct nutq q;
	struct pk_err err = { 0 };
	struct pk_comp_tool comp = { nutq_tables, apply_opt, complete_operand, &q };
	int rc;

	pk_catch_stop_signals();  /* a signal ends a session politely */
	if (pk_opts_dump_asked(argc, argv, nutq_tables))
		return pk_stdout_finish("nutq", 0, 0);
	memset(&q, 0, sizeof q);
	nut_cli_init(&q.cli, "nutq");
	pk_fleet_defaults(&q.fleet);
	pk_discover_defaults(&q.disc);
	pk_check_opts_init(&q.check);
	pk_watch_opts_init(&q.watch);
	nut_health_opts_init(&q.health);
	/* -g values: at most one per argument. */
	if ((q.gets = calloc((size_t)argc, sizeof *q.gets)) == NULL)
		return PK_ECOMM;
	if (pk_complete_asked(argc, argv, &comp)) {
		rc = 0;
	} else if ((rc = parse_args(&q, argc, argv, &err)) == 0 &&
	           pk_help_or_version(&q.cli.o, "nutq", usage_text, nutq_tables, NULL)) {
		rc = 0;
	} else if (rc == 0 && (rc = get_login(&q, &err)) != 0 && q.check.enabled) {
		rc = pk_check_usage_error("NUT", "nutq", &err);
	} else if (rc != 0 && pk_check_asked(argc, argv)) {
		rc = pk_check_usage_error("NUT", "nutq", &err);
	} else if (rc == 0 && q.watch.enabled) {
		rc = run_watch(&q);
	} else if (q.check.enabled) {
		if (q.fleet.output != NULL)
			pk_output_to(q.fleet.output);
		rc = finish_output(&q, run_check(&q));
	} else {
		if (rc == 0 && q.fleet.output != NULL)
			pk_output_to(q.fleet.output);
		if (rc == 0)
			rc = run(&q, &err);
		rc = nut_cli_finish(&q.cli, rc, &err);
		rc = finish_output(&q, rc);
	}
	pk_targets_free(&q.targets);
	pk_check_opts_free(&q.check);
	free(q.gets);
	return pk_stdout_finish("nutq", rc, q.cli.o.quiet);
}
