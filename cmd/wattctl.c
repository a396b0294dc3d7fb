/* wattctl — SnapAV WattBox control over telnet, SSH and the legacy HTTP
 * API.  Parses options, calls common/wattbox (client.h, actions.h),
 * renders with wattbox/render.h, prints, exits with the status of the
 * failure (the exit codes every tool documents).  Queries take several
 * units (operands or --targets), read at once (wattbox/fleet.h), each
 * with its own deadline; the exit status is the worst unit's. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "cli/discover.h"
#include "cli/check_opts.h"
#include "cli/complete.h"
#include "cli/cred.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/targets.h"
#include "cli/watch.h"
#include "core/json.h"
#include "core/target.h"
#include "core/trace.h"
#include "wattbox/client.h"
#include "wattbox/discover.h"
#include "wattbox/actions.h"
#include "wattbox/fleet.h"
#include "wattbox/health.h"
#include "wattbox/render.h"
#include "wattbox/watch.h"

#define TOOL "wattctl"

/* The Integration Protocol takes a user name of at most 255 bytes (the
 * password buffer's limit too). */
#define WB_USER_MAX 255

enum { OPT_PROTO = PK_OPT_FIRST_TOOL, OPT_ACCEPT_NEW, OPT_INSECURE, OPT_DELAY,
       OPT_EXPECT_ON, OPT_EXPECT_OFF, OPT_HTTP };

enum verb { V_INFO, V_STATUS, V_POWER, V_UPS, V_PING, V_ON, V_OFF, V_TOGGLE, V_RESET,
            V_AUTOREBOOT, V_REBOOT };

static const char *const verbs[] = { "info", "status", "power", "ups", "ping", "on", "off",
                                     "toggle", "reset", "autoreboot", "reboot", NULL };

/* One unit of the run: an operand or a line of the --targets file. */
struct unit {
	struct pk_target target;
	char where[300];          /* host:port, for messages and labels */
	enum wb_proto proto;
	const char *user;         /* user= from the targets file, or NULL */
	const char *password;     /* password= from the targets file, or NULL */
	struct wb_reading r;      /* what a query read */
	int rc;                   /* its exit status */
	struct pk_err err;
	struct pk_buf out;        /* its rendered result (text, JSON) */
	int quiet;                /* -q: its notes are not said */
};

struct opts {
	struct pk_common_opts common;
	struct pk_fleet_opts fleet;
	enum wb_proto proto;
	const char *user, *password, *password_file;
	int accept_new, insecure, yes, no_wait, dry_run;
	int delay_s;
	enum verb verb;
	const char *arg;          /* OUTLETS (status: NULL = every outlet), or on|off for autoreboot */
	struct pk_target_list list;  /* the units as given */
	struct unit *units;
	size_t n_units;
	struct pk_target target;  /* completion: the unit typed so far */
	char where[300];          /* the one unit's host:port ("" with several), for messages */
	struct pk_check_opts check;    /* --check and its thresholds */
	struct wb_health_opts health;  /* what else --check judges by */
	struct pk_watch_opts watch;    /* --watch and its options */
	char pw[256];             /* the password of units without their own */
	int have_pw;
	const struct pk_comp *comp;  /* while completing: never prompt */
	struct pk_discover_opts disc;  /* discover's --port, --rate, --max-hosts */
	int disc_opts;            /* one of them, or --http, was given */
	int http;                 /* discover --http */
	char **ranges;            /* discover RANGE... */
	size_t nranges;
};

static const char usage_head[] =
	"usage: wattctl [OPTIONS] HOST[:PORT]... info|status|power|ups|ping\n"
	"       wattctl [OPTIONS] HOST[:PORT]... status OUTLETS\n"
	"       wattctl [OPTIONS] --targets FILE [HOST[:PORT]...] info|status|power|ups|ping\n"
	"       wattctl --check [CHECK OPTIONS] HOST[:PORT]...\n"
	"       wattctl --watch[=SECONDS] [--exec COMMAND] HOST[:PORT]...\n"
	"       wattctl [OPTIONS] HOST[:PORT] on|off|toggle OUTLETS\n"
	"       wattctl [OPTIONS] HOST[:PORT] reset OUTLETS|all [--delay SECONDS]\n"
	"       wattctl [OPTIONS] HOST[:PORT] autoreboot [on|off]\n"
	"       wattctl [OPTIONS] HOST[:PORT] reboot --yes\n"
	"       wattctl [--http] [--port PORT] discover RANGE...\n"
	"Controls a SnapAV WattBox.  OUTLETS: 3, 1,4,7, 2-5, all, or outlet names.\n"
	"Options:\n";

static const struct pk_opt wattctl_opts[] = {
	{ "proto", OPT_PROTO, "PROTO", "telnet (default, port 23), ssh (22) or http (80)",
	  PK_VAL_WORDS, "telnet ssh http" },
	{ "user", 'u', "USER", "user name (default $WATTBOX_USER, else wattbox)",
	  PK_VAL_NONE, NULL },
	{ "password", 'p', "PASS", "password (visible in ps; prefer the next two)",
	  PK_VAL_NONE, NULL },
	{ "password-file", PK_OPT_PASSWORD_FILE, "FILE",
	  "read the password from FILE's first line (- = stdin)", PK_VAL_FILE, NULL },
	{ "accept-new-hostkey", OPT_ACCEPT_NEW, NULL, "ssh: trust and record an unknown host key",
	  PK_VAL_NONE, NULL },
	{ "insecure-hostkey", OPT_INSECURE, NULL, "ssh: skip the host key check (labs only)",
	  PK_VAL_NONE, NULL },
	{ "delay", OPT_DELAY, "SECONDS", "reset: turn back on after SECONDS (1-600)",
	  PK_VAL_NONE, NULL },
	{ "yes", PK_OPT_YES, NULL, "confirm off/toggle/reset of every outlet, and reboot", PK_VAL_NONE, NULL },
	{ "no-wait", PK_OPT_NO_WAIT, NULL, "do not read the state back after an action",
	  PK_VAL_NONE, NULL },
	{ "dry-run", 'n', NULL, "print the protocol lines of an action, send none",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* What --check judges a unit by, besides the thresholds (wattbox/health.h). */
static const struct pk_opt wattctl_check_opts[] = {
	{ "expect-on", OPT_EXPECT_ON, "OUTLETS", "with --check: these outlets must be on",
	  PK_VAL_NONE, NULL },
	{ "expect-off", OPT_EXPECT_OFF, "OUTLETS", "with --check: these outlets must be off",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt wattctl_discover_opts[] = {
	{ "http", OPT_HTTP, NULL, "discover: probe the legacy HTTP API (port 80), not telnet",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

static const struct pk_opt *const wattctl_tables[] = {
	wattctl_opts, pk_opts_fleet, pk_opts_discover, wattctl_discover_opts, pk_opts_check,
	wattctl_check_opts, pk_opts_watch, pk_opts_common_prom, NULL
};

/* Settings a --targets line may hold. */
static const char *const target_keys[] = { "proto", "user", "password", NULL };

static const char usage_tail[] =
	"VAR of --warning and --critical: power, current, voltage, ups.charge,\n"
	"ups.load or ups.runtime.\n"
	"Environment: WATTBOX_USER, WATTBOX_PASSWORD.\n"
	"Exit: 0 done, 1 refused or not confirmed, 2 usage, 3 cannot talk to the\n"
	"device, 4 login refused or API locked, 5 not found.\n";

static int
parse_verb(const char *s, enum verb *v)
{
	int i;

	for (i = 0; verbs[i] != NULL; i++)
		if (strcmp(s, verbs[i]) == 0) {
			*v = (enum verb)i;
			return 0;
		}
	return -1;
}

static void
forget_password(struct opts *o)
{
	if (o->password != NULL) {
		pk_secret_wipe((char *)o->password, strlen(o->password));
		free((char *)o->password);
	}
	o->password = NULL;
}

static int
parse_proto(const char *word, const char *what, enum wb_proto *proto, struct pk_err *err)
{
	if (strcmp(word, "telnet") == 0)
		*proto = WB_TELNET;
	else if (strcmp(word, "ssh") == 0)
		*proto = WB_SSH;
	else if (strcmp(word, "http") == 0)
		*proto = WB_HTTP;
	else
		return pk_err_set(err, PK_EUSAGE, "usage", "%s %s: expected telnet, ssh or http",
		                  what, word);
	return 0;
}

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct opts *o = tool;
	int r = pk_discover_opt(&o->disc, ch, arg, err);
	long n;

	o->disc_opts |= r != 0;
	if (r == 0)
		r = pk_common_opt(&o->common, ch, arg, err);
	if (r == 0)
		r = pk_fleet_opt(&o->fleet, ch, arg, err);
	if (r == 0)
		r = pk_check_opt(&o->check, ch, arg, err);
	if (r == 0)
		r = pk_watch_opt(&o->watch, ch, arg, err);
	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case OPT_PROTO:
		return parse_proto(arg, "--proto", &o->proto, err);
	case OPT_HTTP:
		o->http = 1;
		o->disc_opts = 1;
		return 0;
	case 'u':
		o->user = arg;
		return 0;
	case 'p':
		forget_password(o);
		o->password = strdup(arg);
		pk_argv_blank(arg);
		return 0;
	case PK_OPT_PASSWORD_FILE:
		o->password_file = arg;
		return 0;
	case OPT_ACCEPT_NEW:
		o->accept_new = 1;
		return 0;
	case OPT_INSECURE:
		o->insecure = 1;
		return 0;
	case OPT_DELAY:
		if (pk_parse_long(arg, 1, 600, "--delay", &n, err) != 0)
			return PK_EUSAGE;
		o->delay_s = (int)n;
		return 0;
	case PK_OPT_YES:
		o->yes = 1;
		return 0;
	case PK_OPT_NO_WAIT:
		o->no_wait = 1;
		return 0;
	case 'n':
		o->dry_run = 1;
		return 0;
	case OPT_EXPECT_ON:
		o->health.expect_on = arg;
		return 0;
	case OPT_EXPECT_OFF:
		o->health.expect_off = arg;
		return 0;
	default: return pk_err_set(err, PK_EUSAGE, "usage", "option %d not handled", ch);
	}
}

static const enum wb_action verb_actions[] = {
	[V_ON] = WB_ON, [V_OFF] = WB_OFF, [V_TOGGLE] = WB_TOGGLE, [V_RESET] = WB_RESET
};

/* The outlet action the options ask for. */
static void
outlet_job(const struct opts *o, struct wb_outlet_job *job)
{
	*job = (struct wb_outlet_job){
		.action = verb_actions[o->verb], .outlets = o->arg, .delay_s = o->delay_s,
		.wait = !o->no_wait, .yes = o->yes
	};
}

static const char *const default_ports[] = { "23", "22", "80" };

/* The queries, which take several units; the other verbs change state. */
static int
verb_is_query(enum verb v)
{
	return v <= V_PING;
}

/* A unit from one target of the list: its settings over the options. */
static int
make_unit(struct opts *o, const struct pk_target_entry *e, struct unit *u, struct pk_err *err)
{
	const char *proto = pk_target_setting(e, "proto");

	u->proto = o->proto;
	u->user = pk_target_setting(e, "user");
	u->password = pk_target_setting(e, "password");
	if ((proto != NULL && parse_proto(proto, "proto=", &u->proto, err) != 0) ||
	    pk_target_parse(e->spec, PK_TARGET_HOST, default_ports[u->proto], &u->target,
	                    err) != 0) {
		if (e->where[0] != '\0')
			pk_err_prefix(err, "%s", e->where);
		return PK_EUSAGE;
	}
	pk_target_hostport(&u->target, u->where, sizeof u->where);
	return 0;
}

/* The units: the operands before the action, then the --targets file. */
static int
make_units(struct opts *o, int n_hosts, char **hosts, struct pk_err *err)
{
	int i;

	for (i = 0; i < n_hosts; i++)
		if (pk_targets_add(&o->list, hosts[i], err) != 0)
			return err->status;
	if (o->fleet.targets_file != NULL &&
	    pk_targets_read(&o->list, o->fleet.targets_file, err) != 0)
		return err->status;
	if (pk_targets_check_keys(&o->list, target_keys, err) != 0)
		return PK_EUSAGE;
	if (o->list.n == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "no HOST: give one, or a --targets file "
		                  "with some");
	o->units = calloc(o->list.n, sizeof *o->units);
	if (o->units == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	o->n_units = o->list.n;
	for (size_t k = 0; k < o->n_units; k++)
		if (make_unit(o, &o->list.v[k], &o->units[k], err) != 0)
			return PK_EUSAGE;
	if (o->n_units == 1)
		snprintf(o->where, sizeof o->where, "%s", o->units[0].where);
	return 0;
}

/* The action's own argument and option checks. */
static int
check_action(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	struct wb_outlet_job job;
	int needs_arg, takes_arg;

	needs_arg = o->verb >= V_ON && o->verb <= V_RESET;
	takes_arg = needs_arg || o->verb == V_AUTOREBOOT || o->verb == V_STATUS;
	if (argc > 1 + takes_arg)
		return pk_err_set(err, PK_EUSAGE, "usage", "unexpected argument '%s'",
		                  argv[1 + takes_arg]);
	if (needs_arg && argc < 2)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s needs OUTLETS", argv[0]);
	o->arg = argc > 1 ? argv[1] : NULL;
	if (o->verb == V_AUTOREBOOT && o->arg && strcmp(o->arg, "on") && strcmp(o->arg, "off"))
		return pk_err_set(err, PK_EUSAGE, "usage", "autoreboot: expected on or off, "
		                  "not '%s'", o->arg);
	if (o->delay_s && o->verb != V_RESET)
		return pk_err_set(err, PK_EUSAGE, "usage", "--delay goes with reset only");
	if (o->verb == V_REBOOT && wb_reboot_allowed(o->yes, o->dry_run, err) != 0)
		return PK_EUSAGE;
	if (needs_arg) {
		/* "all" needs no outlet count: judged before connecting. */
		outlet_job(o, &job);
		if (wb_outlets_allowed(&job, o->dry_run, NULL, 0, err) != 0)
			return PK_EUSAGE;
	}
	if (o->common.format == PK_FMT_PROM && (o->verb > V_UPS))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--format prom goes with info, status, power and ups");
	return 0;
}

/* Checks that need the units: one for a state change, the protocol's
 * limits. */
static int
check_units(struct opts *o, struct pk_err *err)
{
	enum wb_proto proto = o->units[0].proto;
	size_t i;
	int ssh = 0;

	if (o->n_units > 1 && !verb_is_query(o->verb))
		return pk_err_set(err, PK_EUSAGE, "usage", "%s takes one HOST (only info, status, "
		                  "power, ups and ping take several)", verbs[o->verb]);
	if (o->delay_s && proto == WB_HTTP)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--delay: the legacy HTTP API has no reset delay");
	if (o->verb == V_REBOOT && proto == WB_HTTP)
		return pk_err_set(err, PK_EUSAGE, "usage", "reboot: the legacy HTTP API has none");
	for (i = 0; i < o->n_units; i++)
		ssh |= o->units[i].proto == WB_SSH;
	if ((o->accept_new || o->insecure) && !ssh)
		return pk_err_set(err, PK_EUSAGE, "usage", "host key options go with --proto ssh");
	return 0;
}

/* Operands: HOST... ACTION [ARG]; with --targets the hosts may be none.
 * The action is the first operand that is an action word (a unit's
 * name never is: it is a host). */
/* --check: every operand is a unit; the check reads what it judges. */
static int
check_check_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	o->verb = V_STATUS;
	if (o->dry_run || o->yes || o->delay_s || o->no_wait)
		return pk_err_set(err, PK_EUSAGE, "usage", "--check takes no action options");
	if (wb_health_check_vars(&o->check.thresholds, err) != 0 ||
	    make_units(o, argc, argv, err) != 0)
		return err->status;
	o->health.th = &o->check.thresholds;
	return check_units(o, err);
}

/* --watch: every operand is a unit, watched over the Integration
 * Protocol (the legacy HTTP API has no session to keep and no pushes). */
static int
check_watch_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	if (o->check.enabled || o->fleet.output != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--watch prints events as they come: no --check or --output");
	if (o->dry_run || o->yes || o->delay_s || o->no_wait)
		return pk_err_set(err, PK_EUSAGE, "usage", "--watch takes no action options");
	for (int i = 0; i < argc; i++) {
		enum verb v;
		if (parse_verb(argv[i], &v) == 0)
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "--watch takes HOSTs only, no action ('%s')", argv[i]);
	}
	if (make_units(o, argc, argv, err) != 0)
		return err->status;
	for (size_t i = 0; i < o->n_units; i++)
		if (o->units[i].proto == WB_HTTP)
			return pk_err_set(err, PK_EUSAGE, "usage", "%s: --watch needs telnet or ssh: the "
			                  "legacy HTTP API sends no pushes", o->units[i].where);
	return check_units(o, err);
}

static int
check_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	int first = o->fleet.targets_file != NULL ? 0 : 1, i;

	if (pk_check_opts_validate(&o->check, &o->common, err) != 0 ||
	    pk_watch_opts_validate(&o->watch, &o->common, err) != 0)
		return PK_EUSAGE;
	if (o->watch.enabled) {
		o->verb = V_STATUS;
		return check_watch_args(o, argc, argv, err);
	}
	if (o->check.enabled)
		return check_check_args(o, argc, argv, err);
	if (o->health.expect_on || o->health.expect_off)
		return pk_err_set(err, PK_EUSAGE, "usage", "--expect-on and --expect-off go with --check");

	if (argc < first + 1)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  first ? "HOST and ACTION needed; try 'wattctl --help'"
		                        : "ACTION needed; try 'wattctl --help'");
	for (i = first; i < argc && parse_verb(argv[i], &o->verb) != 0; i++)
		continue;
	if (i == argc)
		return pk_err_set(err, PK_EUSAGE, "usage", "unknown action '%s' (expected "
		                  "info, status, power, ups, ping, on, off, toggle, reset, "
		                  "autoreboot or reboot)", argv[first]);
	if (make_units(o, i, argv, err) != 0 || check_action(o, argc - i, argv + i, err) != 0)
		return err->status;
	return check_units(o, err);
}

/* ---- discover ------------------------------------------------------ */

/* What discover takes: RANGEs, and no credentials: it logs in nowhere. */
static int
discover_usage(const struct opts *o, struct pk_err *err)
{
	if (o->check.enabled || o->fleet.targets_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover takes RANGEs: no --check or --targets");
	if (o->common.format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover prints text or JSON: no --format prom");
	if (o->user != NULL || o->password != NULL || o->password_file != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "discover never logs in: no -u, -p or "
		                  "--password-file");
	return 0;
}

/* One unit found: a line wattctl --targets takes back (proto=), or a
 * JSON object. */
static void
render_found(struct pk_buf *out, struct pk_json *j, const struct wb_found *f)
{
	struct pk_target t = { "", "", "", 0 };
	char where[300], note[300];
	struct pk_found_fact facts[] = {
		{ "proto", f->http ? "http" : "telnet", 1, 0 },
		{ "model", f->model[0] ? f->model : NULL, 0, 0 },
		{ "locked", f->locked ? "true" : "false", 0, 1 },
	};

	snprintf(t.host, sizeof t.host, "%s", f->host);
	snprintf(t.port, sizeof t.port, "%s", f->port);
	pk_target_hostport(&t, where, sizeof where);
	if (f->http)
		snprintf(note, sizeof note, "WattBox%s%s, legacy HTTP API; no login attempted",
		         f->model[0] ? " " : "", f->model);
	else
		snprintf(note, sizeof note, "WattBox Integration Protocol %s; no login attempted",
		         f->locked ? "(API locked after failed logins)" : "login prompt");
	pk_discover_emit(out, j, where, facts, sizeof facts / sizeof facts[0], note);
}

/* wattctl discover RANGE...: every address probed at once, reading only
 * (or one GET without credentials with --http); the units found, as
 * lines a --targets file takes back, or a JSON array. */
static int
run_discover(struct opts *o, struct pk_buf *out)
{
	struct pk_discover d;
	struct wb_discover wd = { 0 };
	struct pk_probe_ops ops;
	struct pk_trace tr = { o->common.verbose ? pk_trace_stderr : NULL, (void *)TOOL };
	struct pk_err err = { 0 };
	struct pk_json j;
	int json = o->common.format == PK_FMT_JSON;
	size_t i;
	int rc = pk_discover_init(&d, TOOL, o->http ? "80" : "23", o->ranges, o->nranges, &o->disc,
	                          &o->common, &o->fleet, &err);

	wd.port = d.port;
	wd.http = o->http;
	wd.trace = &tr;
	wd.addr = pk_discover_addr;
	wd.addr_ctx = &d;
	if (rc == 0)
		rc = wb_discover_init(&wd, d.probe.parallel, &err);
	if (rc == 0) {
		ops = wb_discover_ops(&wd);
		rc = pk_discover_run(&d, &ops, &err);
	}
	if (rc == 0) {
		struct pk_json *jp = pk_discover_begin(out, json, &j);

		wb_discover_sort(&wd);
		for (i = 0; i < wd.nfound; i++)
			render_found(out, jp, &wd.found[i]);
		rc = pk_discover_end(&d, out, jp, wd.nfound, "WattBox", &err);
	}
	if (rc != 0)
		pk_report_error(TOOL, NULL, &err, json, o->common.quiet);
	wb_discover_free(&wd);
	pk_discover_free(&d);
	return rc;
}

static int
parse_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	pk_common_defaults(&o->common);
	if (pk_parse_opts(argc, argv, wattctl_tables, TOOL, apply_opt, o, err) != 0)
		return PK_EUSAGE;
	if (o->common.help || o->common.version)
		return 0;
	if (optind < argc && strcmp(argv[optind], "discover") == 0) {
		o->ranges = argv + optind + 1;
		o->nranges = (size_t)(argc - optind - 1);
		return discover_usage(o, err);
	}
	if (o->disc_opts)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--port, --rate, --max-hosts and --http go with discover");
	return check_args(o, argc - optind, argv + optind, err);
}

/* The password of unit u: its own from the targets file, else the one
 * from -p, --password-file, WATTBOX_PASSWORD or a prompt, asked once for
 * every unit. */
static int
get_password(struct opts *o, const struct unit *u, const char *user, char *pw, size_t len,
             struct pk_err *err)
{
	char prompt[400];
	struct pk_secret_src src = { o->password, o->password_file, "WATTBOX_PASSWORD",
	                             o->comp ? NULL : prompt, NULL };
	int found;

	if (pk_cred_check("user name", user, strlen(user), WB_USER_MAX, err) != 0)
		return PK_EUSAGE;
	if (u->password != NULL) {
		if (pk_cred_check("password", u->password, strlen(u->password), len - 1, err) != 0)
			return PK_EUSAGE;
		snprintf(pw, len, "%s", u->password);
		return 0;
	}
	if (!o->have_pw) {
		if (o->n_units > 1)
			snprintf(prompt, sizeof prompt, "Password for %s (every unit without "
			         "password=): ", user);
		else
			snprintf(prompt, sizeof prompt, "Password for %s@%s: ", user, u->target.host);
		if (pk_secret_get(&src, o->pw, sizeof o->pw, &found, err) != 0)
			return PK_EUSAGE;
		if (!found)
			return pk_err_set(err, PK_EUSAGE, "usage", "no password: use --password-file, "
			                  "WATTBOX_PASSWORD or run on a terminal");
		o->have_pw = 1;
	}
	snprintf(pw, len, "%s", o->pw);
	return 0;
}

/* ~/.ssh/known_hosts, as ssh(1) finds it: $HOME, else the password
 * database's home directory. */
static void
known_hosts_path(char *out, size_t len)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if ((home == NULL || home[0] == '\0') && (pw = getpwuid(getuid())) != NULL)
		home = pw->pw_dir;
	snprintf(out, len, "%s/.ssh/known_hosts", home ? home : ".");
}

/* ---- running a verb ------------------------------------------------------ */

/* -n: the lines a state change would send, as they are or with -j as the
 * shared dry-run document. */
static void
add_dry(struct pk_buf *b, const struct wb_client *c, const struct opts *o)
{
	if (o->dry_run)
		pk_render_dry_run(b, o->where, c->dry.data, c->dry.len,
		                  o->common.format == PK_FMT_JSON);
}

/* Renders the outlets when every action was sent and the outcome is known
 * (confirmed, refused, or not waited for); a dry run's lines otherwise. */
static int
run_outlets(struct wb_client *c, const struct opts *o, struct pk_buf *b, struct pk_err *err)
{
	struct wb_outlet_job job;
	struct wb_outlet_result res;
	int rc;

	outlet_job(o, &job);
	rc = wb_outlets_run(c, &job, &res, err);

	if (res.sent && (rc == 0 || err->status == PK_EREFUSED))
		wb_render_outlets(b, o->common.format, verbs[o->verb], &res);
	add_dry(b, c, o);
	return rc;
}

static int
run_autoreboot(struct wb_client *c, const struct opts *o, struct pk_buf *b, struct pk_err *err)
{
	int want = o->arg ? strcmp(o->arg, "on") == 0 : -1, on;
	int rc = wb_autoreboot_run(c, want, !o->no_wait, &on, err);

	if (on >= 0)
		wb_render_autoreboot(b, o->common.format, on);
	if (want >= 0)
		add_dry(b, c, o);
	return rc;
}

/* The parts a query reads.  A Prometheus status is the whole picture of
 * the unit (identity, outlets, power, UPS) in one session, so that one
 * run per unit feeds the textfile collector. */
static unsigned
query_parts(const struct opts *o)
{
	static const unsigned parts[] = {
		[V_INFO] = WB_PART_INFO, [V_STATUS] = WB_PART_STATUS, [V_POWER] = WB_PART_POWER,
		[V_UPS] = WB_PART_UPS, [V_PING] = WB_PART_PING
	};

	if (o->check.enabled)
		return WB_HEALTH_PARTS;
	if (o->common.format == PK_FMT_PROM && o->verb == V_STATUS)
		return WB_PART_INFO | WB_PART_STATUS | WB_PART_POWER | WB_PART_UPS;
	return parts[o->verb];
}

/* A query's text or JSON document from what was read (info also after a
 * missing reply, in text, to show what came). */
static void
render_query(const struct opts *o, const struct unit *u, struct pk_buf *b)
{
	enum pk_format fmt = o->common.format;
	const struct wb_reading *r = &u->r;

	if (fmt == PK_FMT_PROM)
		return;
	switch (o->verb) {
	case V_INFO:
		if (u->rc == 0 || ((r->have & WB_PART_INFO) && fmt == PK_FMT_TEXT))
			wb_render_info(b, fmt, &r->info);
		break;
	case V_STATUS:
		if (u->rc == 0)
			wb_render_status(b, fmt, &r->st, r->sel);
		break;
	case V_POWER:
		if (u->rc == 0)
			wb_render_power(b, fmt, &r->power);
		break;
	case V_UPS:
		if (u->rc == 0)
			wb_render_ups(b, fmt, &r->ups);
		break;
	default:
		if (u->rc == 0)
			wb_render_ping(b, fmt, &r->ping);
		break;
	}
}

static int
run_verb(struct wb_client *c, const struct opts *o, struct pk_buf *b, struct pk_err *err)
{
	int rc;

	switch (o->verb) {
	case V_AUTOREBOOT:
		return run_autoreboot(c, o, b, err);
	case V_REBOOT:
		rc = c->drv->reboot(c, err);
		if (rc == 0 && !o->dry_run)
			pk_buf_adds(b, "rebooting (every outlet comes back on)\n");
		add_dry(b, c, o);
		return rc;
	default:
		return run_outlets(c, o, b, err);
	}
}

/* The library's notes as "wattctl: HOST:PORT: line" on stderr (ctx: the
 * unit). */
static void
warn_line(void *ctx, const char *line)
{
	const struct unit *u = ctx;

	pk_warn(TOOL, u->where, u->quiet, "%s", line);
}

/* The user name of unit u: its own, -u, WATTBOX_USER or the default. */
static const char *
unit_user(const struct opts *o, const struct unit *u)
{
	return u->user ? u->user : pk_user_get(o->user, "WATTBOX_USER", "wattbox");
}

/* The trace of every client: -v, but with --check it is the plugin's
 * long output instead. */
static struct pk_trace
tool_trace(const struct opts *o)
{
	struct pk_trace trace = { o->common.verbose && !o->check.enabled ? pk_trace_stderr : NULL,
	                          (void *)TOOL };

	return trace;
}

/* What is said before connecting to u with settings that weaken it. */
static void
warn_insecure(const struct opts *o, const struct unit *u)
{
	if (o->insecure && u->proto == WB_SSH)
		pk_warn(TOOL, u->where, o->common.quiet,
		        "warning: --insecure-hostkey: the SSH host key is not checked");
}

/* What a run does once the client is open (run_verb, or a completion). */
typedef int (*run_fn)(struct wb_client *c, const struct opts *o,
                      struct pk_buf *b, struct pk_err *err);

/* Opens unit u, runs body, closes; u->rc and u->err say how it went.
 * Each unit has the whole -t from its own start. */
static int
run(struct opts *o, struct unit *u, run_fn body, struct pk_buf *out)
{
	struct pk_trace trace = tool_trace(o);
	const char *user = unit_user(o, u);
	char pw[256], known_hosts[1024];
	struct wb_config cfg = { u->proto, u->target.host, u->target.port, user, pw,
	                         o->accept_new, o->insecure, known_hosts, o->dry_run };
	struct pk_session_opts sopts;
	struct wb_client c;
	struct pk_err *err = &u->err;
	int rc = get_password(o, u, user, pw, sizeof pw, err);

	u->quiet = o->common.quiet;
	if (rc == 0) {
		known_hosts_path(known_hosts, sizeof known_hosts);
		warn_insecure(o, u);
		pk_session_opts_set(&sopts, pk_deadline_in(o->common.timeout_ms), &trace,
		                    warn_line, u);
		rc = wb_open(&c, &cfg, &sopts, err);
	}
	if (rc == 0) {
		rc = body(&c, o, out, err);
		wb_close(&c);
	}
	pk_secret_wipe(pw, sizeof pw);
	u->rc = rc;
	return rc;
}

/* ---- several units ------------------------------------------------------ */

/* A unit's password buffer while the units are read. */
struct unit_secret {
	char pw[256];
};

/* Sets up the fleet item that reads unit u (its password into sec);
 * a unit that cannot be read (no password) is ended with its error. */
static void
unit_item(struct opts *o, struct unit *u, const struct pk_trace *trace,
          const char *known_hosts, struct unit_secret *sec, struct wb_fleet_item *it)
{
	const char *user = unit_user(o, u);

	u->quiet = o->common.quiet;
	it->rc = get_password(o, u, user, sec->pw, sizeof sec->pw, &it->err);
	if (it->rc != 0) {
		it->state = WB_ITEM_ENDED;
		return;
	}
	warn_insecure(o, u);
	it->cfg = (struct wb_config){ u->proto, u->target.host, u->target.port, user, sec->pw,
	                              o->accept_new, o->insecure, known_hosts, o->dry_run };
	pk_session_opts_set(&it->opts, 0, trace, warn_line, u);
	it->parts = query_parts(o);
	it->spec = o->arg;
	it->r = &u->r;
}

/* Reads the query's parts of every unit at once, at most --parallel in
 * flight, each within its own -t; u->rc and u->err say how each went. */
static void
read_units(struct opts *o)
{
	struct pk_trace trace = tool_trace(o);
	struct wb_fleet_item *items = calloc(o->n_units, sizeof *items);
	struct unit_secret *secrets = calloc(o->n_units, sizeof *secrets);
	char known_hosts[1024];
	size_t i;

	if (items == NULL || secrets == NULL) {
		for (i = 0; i < o->n_units; i++)
			o->units[i].rc = pk_err_set(&o->units[i].err, PK_ECOMM, "memory",
			                            "out of memory");
		free(items);
		free(secrets);
		return;
	}
	known_hosts_path(known_hosts, sizeof known_hosts);
	for (i = 0; i < o->n_units; i++)
		unit_item(o, &o->units[i], &trace, known_hosts, &secrets[i], &items[i]);
	wb_fleet_run(items, o->n_units, (size_t)o->fleet.parallel, o->common.timeout_ms);
	for (i = 0; i < o->n_units; i++) {
		o->units[i].rc = items[i].rc;
		if (items[i].rc != 0)
			o->units[i].err = items[i].err;
	}
	for (i = 0; i < o->n_units; i++)
		pk_secret_wipe(secrets[i].pw, sizeof secrets[i].pw);
	free(secrets);
	free(items);
}

/* The exit status of the run: the worst unit's. */
static int
worst_status(const struct opts *o)
{
	int rc = 0;

	for (size_t i = 0; i < o->n_units; i++)
		rc = pk_status_worse(rc, o->units[i].rc);
	return rc;
}

/* Text of several units: each line prefixed "host:port: ". */
static void
add_prefixed(struct pk_buf *out, const struct unit *u)
{
	const char *p = u->out.data, *end = p + u->out.len;

	while (p != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		pk_buf_printf(out, "%s: ", u->where);
		pk_buf_add(out, p, len);
		p += len;
	}
}

/* JSON of several units: an array with one document per unit, its
 * "target" first, or {"target":...,"error":{...}} for a unit that failed. */
static void
add_json_doc(struct pk_buf *out, const struct unit *u, int first)
{
	struct pk_json j;

	pk_buf_adds(out, first ? "[" : ",");
	if (u->rc != 0) {
		pk_json_init(&j, out);
		pk_json_obj_begin(&j);
		pk_json_kv_str(&j, "target", u->where);
		pk_json_key(&j, "error");
		pk_json_error_value(&j, &u->err);
		pk_json_obj_end(&j);
		return;
	}
	/* The unit's own document is one object ending in "}\n": the target
	 * goes in front of its first key. */
	pk_json_init(&j, out);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "target", u->where);
	pk_json_obj_end(&j);
	out->len--;                               /* the closing brace */
	if (u->out.len > 3)
		pk_buf_addc(out, ',');
	pk_buf_add(out, u->out.data + 1, u->out.len - 2);
}

/* The whole output of a query: one unit as it always printed, several
 * as prefixed lines, a JSON array or one exposition. */
static void
render_units(struct opts *o, struct pk_buf *out)
{
	size_t i;

	for (i = 0; i < o->n_units; i++)
		render_query(o, &o->units[i], &o->units[i].out);
	if (o->common.format == PK_FMT_PROM) {
		struct wb_prom_unit *pu = calloc(o->n_units, sizeof *pu);
		for (i = 0; pu != NULL && i < o->n_units; i++)
			pu[i] = (struct wb_prom_unit){ o->units[i].where, o->units[i].rc == 0,
			                               &o->units[i].r };
		if (pu != NULL)
			wb_render_prom(out, pu, o->n_units);
		free(pu);
		return;
	}
	if (o->n_units == 1) {
		pk_buf_add(out, o->units[0].out.data, o->units[0].out.len);
		return;
	}
	for (i = 0; i < o->n_units; i++) {
		if (o->common.format == PK_FMT_JSON)
			add_json_doc(out, &o->units[i], i == 0);
		else
			add_prefixed(out, &o->units[i]);
	}
	if (o->common.format == PK_FMT_JSON)
		pk_buf_adds(out, "]\n");
}

/* --check: each unit read and judged (one that could not be read is
 * UNKNOWN, or --unreachable's state, with the reason), the plugin output
 * printed; returns the plugin exit code. */
static int
run_check(struct opts *o)
{
	struct pk_check_report rep;
	int rc;

	read_units(o);
	pk_check_report_init(&rep, "WATTBOX");
	for (size_t i = 0; i < o->n_units; i++) {
		const struct unit *u = &o->units[i];
		struct pk_check_target *t = pk_check_target_add(&rep, u->where);
		if (t == NULL)
			break;
		if (u->rc != 0)
			pk_check_finding(t, o->check.unreachable, "%s", u->err.msg);
		else
			wb_health_judge(t, &u->r, &o->health);
	}
	rc = pk_check_print(&rep, &o->common);
	pk_check_report_free(&rep);
	return rc;
}

/* Runs the query on every unit at once. */
static int
run_queries(struct opts *o, struct pk_buf *out)
{
	read_units(o);
	render_units(o, out);
	return worst_status(o);
}

/* ---- --watch ---------------------------------------------------------- */

/* The session is polled at least this often: the protocol notes record
 * no idle cut for the Integration Protocol, but telnet servers of small
 * devices drop silent sessions (the tests' simulator after 30 s). */
#define WATCH_KEEPALIVE_MS 15000

/* Sets up the watcher of unit u (its password into sec); 0, or the
 * status of a unit that cannot be watched (no password). */
static int
unit_watcher(struct opts *o, struct unit *u, const struct pk_trace *trace,
             const char *known_hosts, struct unit_secret *sec, struct wb_watcher *w)
{
	const char *user = unit_user(o, u);

	u->quiet = o->common.quiet;
	if (get_password(o, u, user, sec->pw, sizeof sec->pw, &u->err) != 0)
		return u->err.status;
	warn_insecure(o, u);
	w->cfg = (struct wb_config){ u->proto, u->target.host, u->target.port, user, sec->pw,
	                             o->accept_new, o->insecure, known_hosts, 0 };
	pk_session_opts_set(&w->opts, 0, trace, warn_line, u);
	w->target = u->where;
	w->timeout_ms = o->common.timeout_ms;
	w->period_ms = o->watch.interval_ms < WATCH_KEEPALIVE_MS ? o->watch.interval_ms
	                                                         : WATCH_KEEPALIVE_MS;
	w->once = o->watch.once;
	wb_watch_init(w);
	return 0;
}

/* A watch run: every unit's watcher, and what the passes said. */
struct wattctl_watch {
	struct opts *o;
	struct wb_watcher *ws;
	enum wb_watch_news *news;
	int status;               /* the worst status of a unit given up */
};

/* What a pass did to each unit, said on stderr: a first try that failed
 * (unless --initial made it an event), a lockout (once), credentials
 * refused (the unit is given up; its status is the run's).  A stop cuts
 * sessions short: that is no news. */
static void
tell_news(struct wattctl_watch *ww)
{
	const struct opts *o = ww->o;

	for (size_t i = 0; i < o->n_units && pk_stop_signal() == 0; i++) {
		const struct unit *u = &o->units[i];
		const struct wb_watcher *w = &ww->ws[i];

		if ((ww->news[i] == WBW_NEWS_FAILED && !o->watch.initial) ||
		    ww->news[i] == WBW_NEWS_LOCKED)
			pk_warn(TOOL, u->where, o->common.quiet, "%s", w->err.msg);
		if (ww->news[i] == WBW_NEWS_GAVE_UP) {
			pk_report_error(TOOL, u->where, &w->err, 0, o->common.quiet);
			ww->status = pk_status_worse(ww->status, w->rc);
		}
	}
}

/* The units keep their own schedule (a poll of power and UPS every
 * interval, a login after the backoff) and their pushes come any time:
 * the runner's "poll" is one pass of their loop, waiting at most this
 * long, and it comes again at once (the runner's keepalive), so that a
 * push is printed as it comes. */
#define WATCH_PASS_MS 100

/* The watch's poll (cli/watch.h): one pass of the units' loop (with
 * --once: passes until every unit was read once).  When every unit was
 * given up the run ends with their status. */
static int
watch_poll(void *ctx, struct pk_watch_run *r, struct pk_events *evs, struct pk_err *err)
{
	struct wattctl_watch *ww = ctx;
	size_t n = ww->o->n_units;

	(void)err;
	do {
		wb_watch_pass(ww->ws, n, &r->w, ww->o->watch.hysteresis, pk_watch_backoff_ms,
		              WATCH_PASS_MS, evs, ww->news);
		tell_news(ww);
	} while (ww->o->watch.once && wb_watch_running(ww->ws, n) && pk_stop_signal() == 0);
	return ww->o->watch.once || wb_watch_running(ww->ws, n) ? 0 : ww->status;
}

static void
watch_close(void *ctx)
{
	struct wattctl_watch *ww = ctx;

	wb_watch_close(ww->ws, ww->o->n_units);  /* !Exit on every session */
}

/* --watch or --once: exit 0 at the end, 4 when a unit refused the
 * credentials, 3 when stdout or the state file cannot be written, 2
 * when the state file cannot be read. */
static int
run_watch(struct opts *o)
{
	struct pk_trace trace = tool_trace(o);
	struct wattctl_watch ww = { o, calloc(o->n_units, sizeof *ww.ws),
	                            calloc(o->n_units, sizeof *ww.news), 0 };
	struct pk_watch_source src = { &ww, watch_poll, NULL, watch_close, WATCH_PASS_MS };
	struct unit_secret *secrets = calloc(o->n_units, sizeof *secrets);
	struct pk_err err = { 0 };
	char known_hosts[1024];
	int rc = 0;
	size_t i;

	if (ww.ws == NULL || ww.news == NULL || secrets == NULL)
		rc = pk_err_set(&err, PK_ECOMM, "memory", "out of memory");
	known_hosts_path(known_hosts, sizeof known_hosts);
	for (i = 0; rc == 0 && i < o->n_units; i++)
		if ((rc = unit_watcher(o, &o->units[i], &trace, known_hosts, &secrets[i],
		                       &ww.ws[i])) != 0)
			err = o->units[i].err;
	if (rc == 0)
		rc = pk_watch_main(TOOL, &o->watch, &o->common, &src, &err);
	if (rc != 0 && err.msg[0] != '\0')
		pk_report_error(TOOL, NULL, &err, 0, o->common.quiet);
	for (i = 0; secrets != NULL && i < o->n_units; i++)
		pk_secret_wipe(secrets[i].pw, sizeof secrets[i].pw);
	free(secrets);
	free(ww.ws);
	free(ww.news);
	return rc != 0 ? rc : ww.status;
}

/* Reports each failed unit on stderr (and, with one unit in JSON mode,
 * its error document on stdout, unless a prom or JSON array holds it). */
static void
report_units(const struct opts *o)
{
	int json = o->common.format == PK_FMT_JSON && o->n_units == 1;

	for (size_t i = 0; i < o->n_units; i++)
		if (o->units[i].rc != 0)
			pk_report_error(TOOL, o->units[i].where, &o->units[i].err, json,
			                o->common.quiet);
}

/* The outlets' numbers and names, as completion candidates. */
static int
offer_outlets(struct wb_client *c, const struct opts *o, struct pk_buf *b, struct pk_err *err)
{
	struct wb_status st;
	char num[16];
	int i, rc = c->drv->status(c, &st, 0, err);

	(void)b;
	for (i = 0; rc == 0 && i < st.count; i++) {
		snprintf(num, sizeof num, "%d", i + 1);
		pk_comp_item(o->comp, num, st.o[i].name);
		if (st.o[i].name[0] != '\0' && strchr(st.o[i].name, ',') == NULL)
			pk_comp_item(o->comp, st.o[i].name, num);
	}
	return rc;
}

/* Operands for the shell completion: HOST, the action, then outlets
 * (read from the unit quietly within PK_COMPLETE_TIMEOUT_MS, with the
 * password from -p, --password-file or WATTBOX_PASSWORD: never a
 * prompt) or autoreboot's on|off. */
static void
complete_operand(void *tool, const struct pk_comp *c)
{
	struct opts *o = tool;
	struct pk_buf none = { 0 };
	struct unit u = { 0 };
	enum verb v;

	if (c->nops == 0) {
		pk_comp_directive(c, "host");
		return;
	}
	if (c->nops == 1) {
		pk_comp_words(c, "info status power ups ping on off toggle reset autoreboot reboot");
		return;
	}
	if (c->nops != 2 || parse_verb(c->ops[1], &v) != 0)
		return;
	if (v == V_AUTOREBOOT)
		pk_comp_words(c, "on off");
	if ((v < V_ON || v > V_RESET) && v != V_STATUS)
		return;
	if (strchr(c->cur, ',') == NULL)
		pk_comp_item(c, "all", "every outlet");
	o->comp = c;
	o->common.quiet = 1;
	o->common.verbose = 0;
	o->common.timeout_ms = PK_COMPLETE_TIMEOUT_MS;
	u.proto = o->proto;
	if (pk_target_parse(c->ops[0], PK_TARGET_HOST, default_ports[o->proto], &u.target,
	                    &u.err) == 0) {
		pk_target_hostport(&u.target, u.where, sizeof u.where);
		run(o, &u, offer_outlets, &none);
	}
	pk_buf_free(&none);
}

static void
free_opts(struct opts *o)
{
	for (size_t i = 0; i < o->n_units; i++)
		pk_buf_free(&o->units[i].out);
	free(o->units);
	pk_targets_free(&o->list);
	pk_check_opts_free(&o->check);
	pk_secret_wipe(o->pw, sizeof o->pw);
	forget_password(o);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct pk_err err = { 0 };
	struct pk_buf out = { 0 };
	struct pk_comp_tool comp = { wattctl_tables, apply_opt, complete_operand, &o };
	int rc;

	pk_catch_stop_signals();  /* a signal ends a session politely */
	if (pk_opts_dump_asked(argc, argv, wattctl_tables))
		return pk_stdout_finish(TOOL, 0, 0);
	pk_common_defaults(&o.common);
	pk_fleet_defaults(&o.fleet);
	pk_discover_defaults(&o.disc);
	pk_check_opts_init(&o.check);
	pk_watch_opts_init(&o.watch);
	if (pk_complete_asked(argc, argv, &comp)) {
		free_opts(&o);
		return pk_stdout_finish(TOOL, 0, 0);
	}
	rc = parse_args(&o, argc, argv, &err);
	if (rc == 0 && pk_help_or_version(&o.common, TOOL, usage_head, wattctl_tables, usage_tail)) {
		free_opts(&o);
		return pk_stdout_finish(TOOL, 0, o.common.quiet);
	}
	if (rc != 0 && pk_check_asked(argc, argv)) {
		/* A plugin's bad arguments are UNKNOWN, said on stdout. */
		free_opts(&o);
		return pk_stdout_finish(TOOL, pk_check_usage_error("WATTBOX", TOOL, &err), 0);
	}
	if (rc != 0) {
		pk_report_error(TOOL, o.where, &err, o.common.format == PK_FMT_JSON, o.common.quiet);
		free_opts(&o);
		return pk_stdout_finish(TOOL, rc, o.common.quiet);
	}
	if (o.fleet.output != NULL)
		pk_output_to(o.fleet.output);
	if (o.ranges != NULL) {
		rc = run_discover(&o, &out);
	} else if (o.watch.enabled) {
		rc = run_watch(&o);
	} else if (o.check.enabled) {
		rc = run_check(&o);
	} else if (verb_is_query(o.verb)) {
		rc = run_queries(&o, &out);
		if (o.common.format == PK_FMT_PROM)
			pk_prom_finish(TOOL, o.where, &out, o.common.quiet);
		/* Prometheus always gets its exposition (wattbox_up 0 for a unit
		 * that failed), several units their whole document; one unit's
		 * JSON only when complete, its text also on failure. */
		if ((rc == 0 || o.common.format != PK_FMT_JSON || o.n_units > 1) &&
		    pk_emit(&out) != 0 && rc == 0)
			rc = pk_stdout_error(&err);
		report_units(&o);
	} else {
		struct unit *u = &o.units[0];
		rc = run(&o, u, run_verb, &out);
		/* Text output is shown even on failure (what was read); JSON
		 * documents only when complete. */
		if ((rc == 0 || o.common.format == PK_FMT_TEXT) && pk_emit(&out) != 0 && rc == 0)
			rc = pk_stdout_error(&err);
		if (rc != 0 && err.msg[0] == '\0')  /* a stdout error is said below */
			pk_report_error(TOOL, o.where, &u->err, o.common.format == PK_FMT_JSON,
			                o.common.quiet);
	}
	rc = pk_output_commit(rc, &err);
	if (rc != 0 && err.msg[0] != '\0')
		pk_report_error(TOOL, o.where, &err, 0, o.common.quiet);
	pk_buf_free(&out);
	free_opts(&o);
	return pk_stdout_finish(TOOL, rc, o.common.quiet);
}
