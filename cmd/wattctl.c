/* wattctl — SnapAV WattBox control over telnet, SSH and the legacy HTTP
 * API.  Parses options, calls common/wattbox (client.h, actions.h),
 * renders with wattbox/render.h, prints, exits with the status of the
 * first failure (the exit codes every tool documents). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "cli/complete.h"
#include "cli/cred.h"
#include "cli/options.h"
#include "cli/output.h"
#include "core/target.h"
#include "core/trace.h"
#include "wattbox/client.h"
#include "wattbox/actions.h"
#include "wattbox/render.h"

#define TOOL "wattctl"

enum { OPT_PROTO = PK_OPT_FIRST_TOOL, OPT_ACCEPT_NEW, OPT_INSECURE, OPT_DELAY };

enum verb { V_INFO, V_STATUS, V_POWER, V_UPS, V_PING, V_ON, V_OFF, V_TOGGLE, V_RESET,
            V_AUTOREBOOT, V_REBOOT };

static const char *const verbs[] = { "info", "status", "power", "ups", "ping", "on", "off",
                                     "toggle", "reset", "autoreboot", "reboot", NULL };

struct opts {
	struct pk_common_opts common;
	enum wb_proto proto;
	const char *user, *password, *password_file;
	int accept_new, insecure, yes, no_wait, dry_run;
	int delay_s;
	enum verb verb;
	const char *arg;          /* OUTLETS (status: NULL = every outlet), or on|off for autoreboot */
	struct pk_target target;
	char where[300];          /* host:port, for messages */
	const struct pk_comp *comp;  /* while completing: never prompt */
};

static const char usage_head[] =
	"usage: wattctl [OPTIONS] HOST[:PORT] info|status|power|ups|ping\n"
	"       wattctl [OPTIONS] HOST[:PORT] status OUTLETS\n"
	"       wattctl [OPTIONS] HOST[:PORT] on|off|toggle OUTLETS\n"
	"       wattctl [OPTIONS] HOST[:PORT] reset OUTLETS|all [--delay SECONDS]\n"
	"       wattctl [OPTIONS] HOST[:PORT] autoreboot [on|off]\n"
	"       wattctl [OPTIONS] HOST[:PORT] reboot --yes\n"
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

static const struct pk_opt *const wattctl_tables[] = {
	wattctl_opts, pk_opts_common_prom, NULL
};

static const char usage_tail[] =
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

/* One option (pk_opt_fn). */
static int
apply_opt(void *tool, int ch, char *arg, struct pk_err *err)
{
	struct opts *o = tool;
	int r = pk_common_opt(&o->common, ch, arg, err);
	long n;

	if (r != 0)
		return r < 0 ? PK_EUSAGE : 0;
	switch (ch) {
	case OPT_PROTO:
		if (strcmp(arg, "telnet") == 0)
			o->proto = WB_TELNET;
		else if (strcmp(arg, "ssh") == 0)
			o->proto = WB_SSH;
		else if (strcmp(arg, "http") == 0)
			o->proto = WB_HTTP;
		else
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "--proto %s: expected telnet, ssh or http", arg);
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

static int
check_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	static const char *const ports[] = { "23", "22", "80" };
	struct wb_outlet_job job;
	int needs_arg, takes_arg;

	if (argc < 2)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "HOST and ACTION needed; try 'wattctl --help'");
	if (pk_target_parse(argv[0], PK_TARGET_HOST, ports[o->proto], &o->target, err) != 0)
		return PK_EUSAGE;
	pk_target_hostport(&o->target, o->where, sizeof o->where);
	if (parse_verb(argv[1], &o->verb) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "unknown action '%s' (expected "
		                  "info, status, power, ups, ping, on, off, toggle, reset, "
		                  "autoreboot or reboot)", argv[1]);
	needs_arg = o->verb >= V_ON && o->verb <= V_RESET;
	takes_arg = needs_arg || o->verb == V_AUTOREBOOT || o->verb == V_STATUS;
	if (argc > 2 + takes_arg)
		return pk_err_set(err, PK_EUSAGE, "usage", "unexpected argument '%s'",
		                  argv[2 + takes_arg]);
	if (needs_arg && argc < 3)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s needs OUTLETS", argv[1]);
	o->arg = argc > 2 ? argv[2] : NULL;
	if (o->verb == V_AUTOREBOOT && o->arg && strcmp(o->arg, "on") && strcmp(o->arg, "off"))
		return pk_err_set(err, PK_EUSAGE, "usage", "autoreboot: expected on or off, "
		                  "not '%s'", o->arg);
	if (o->delay_s && o->verb != V_RESET)
		return pk_err_set(err, PK_EUSAGE, "usage", "--delay goes with reset only");
	if (o->delay_s && o->proto == WB_HTTP)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--delay: the legacy HTTP API has no reset delay");
	if (o->verb == V_REBOOT && wb_reboot_allowed(o->yes, o->dry_run, err) != 0)
		return PK_EUSAGE;
	if (needs_arg) {
		/* "all" needs no outlet count: judged before connecting. */
		outlet_job(o, &job);
		if (wb_outlets_allowed(&job, o->dry_run, NULL, 0, err) != 0)
			return PK_EUSAGE;
	}
	if (o->verb == V_REBOOT && o->proto == WB_HTTP)
		return pk_err_set(err, PK_EUSAGE, "usage", "reboot: the legacy HTTP API has none");
	if (o->common.format == PK_FMT_PROM && o->verb != V_STATUS)
		return pk_err_set(err, PK_EUSAGE, "usage", "--format prom goes with status only");
	if ((o->accept_new || o->insecure) && o->proto != WB_SSH)
		return pk_err_set(err, PK_EUSAGE, "usage", "host key options go with --proto ssh");
	return 0;
}

static int
parse_args(struct opts *o, int argc, char **argv, struct pk_err *err)
{
	pk_common_defaults(&o->common);
	if (pk_parse_opts(argc, argv, wattctl_tables, TOOL, apply_opt, o, err) != 0)
		return PK_EUSAGE;
	if (o->common.help || o->common.version)
		return 0;
	return check_args(o, argc - optind, argv + optind, err);
}

static int
get_password(struct opts *o, const char *user, char *pw, size_t len, struct pk_err *err)
{
	char prompt[400];
	struct pk_secret_src src = { o->password, o->password_file, "WATTBOX_PASSWORD",
	                             o->comp ? NULL : prompt };
	int found;

	snprintf(prompt, sizeof prompt, "Password for %s@%s: ", user, o->target.host);
	if (pk_secret_get(&src, pw, len, &found, err) != 0)
		return PK_EUSAGE;
	if (!found)
		return pk_err_set(err, PK_EUSAGE, "usage", "no password: use --password-file, "
		                  "WATTBOX_PASSWORD or run on a terminal");
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

static int
run_verb(struct wb_client *c, const struct opts *o, struct pk_buf *b, struct pk_err *err)
{
	enum pk_format fmt = o->common.format;
	int rc;

	switch (o->verb) {
	case V_INFO: {
		struct wb_info in;
		rc = wb_info_full(c, &in, err);
		if (rc == 0 || (in.missing[0] && fmt == PK_FMT_TEXT))
			wb_render_info(b, fmt, &in);
		return rc;
	}
	case V_STATUS: {
		struct wb_status st;
		unsigned char sel[WB_MAX_OUTLETS];
		rc = wb_status_of(c, o->arg, &st, sel, err);
		if (rc == 0)
			wb_render_status(b, fmt, o->target.host, &st, sel);
		return rc;
	}
	case V_PING: {
		struct wb_ping p;
		rc = wb_ping_run(c, &p, err);
		if (rc == 0)
			wb_render_ping(b, fmt, &p);
		return rc;
	}
	case V_POWER: {
		struct wb_power p;
		rc = c->drv->power(c, &p, err);
		if (rc == 0)
			wb_render_power(b, fmt, &p);
		return rc;
	}
	case V_UPS: {
		struct wb_ups u;
		rc = c->drv->ups(c, &u, err);
		if (rc == 0)
			wb_render_ups(b, fmt, &u);
		return rc;
	}
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

/* The library's notes as "wattctl: HOST:PORT: line" on stderr. */
static void
warn_line(void *ctx, const char *line)
{
	const struct opts *o = ctx;

	pk_warn(TOOL, o->where, o->common.quiet, "%s", line);
}

/* What a run does once the client is open (run_verb, or a completion). */
typedef int (*run_fn)(struct wb_client *c, const struct opts *o,
                      struct pk_buf *b, struct pk_err *err);

static int
run(struct opts *o, run_fn body, struct pk_buf *out, struct pk_err *err)
{
	struct pk_trace trace = { o->common.verbose ? pk_trace_stderr : NULL, (void *)TOOL };
	const char *user = pk_user_get(o->user, "WATTBOX_USER", "wattbox");
	char pw[256], known_hosts[1024];
	struct wb_config cfg = { o->proto, o->target.host, o->target.port, user, pw,
	                         o->accept_new, o->insecure, known_hosts, o->dry_run };
	struct pk_session_opts sopts;
	struct wb_client c;
	int rc = get_password(o, user, pw, sizeof pw, err);

	if (rc != 0)
		return rc;
	known_hosts_path(known_hosts, sizeof known_hosts);
	if (o->insecure)
		pk_warn(TOOL, o->where, o->common.quiet,
		        "warning: --insecure-hostkey: the SSH host key is not checked");
	pk_session_opts_set(&sopts, pk_deadline_in(o->common.timeout_ms), &trace, warn_line, o);
	rc = wb_open(&c, &cfg, &sopts, err);
	if (rc == 0) {
		rc = body(&c, o, out, err);
		wb_close(&c);
	}
	pk_secret_wipe(pw, sizeof pw);
	return rc;
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
	static const char *const ports[] = { "23", "22", "80" };
	struct opts *o = tool;
	struct pk_buf none = { 0 };
	struct pk_err err;
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
	if (pk_target_parse(c->ops[0], PK_TARGET_HOST, ports[o->proto], &o->target, &err) == 0)
		run(o, offer_outlets, &none, &err);
	pk_buf_free(&none);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct pk_err err = { 0 };
	struct pk_buf out = { 0 };
	struct pk_comp_tool comp = { wattctl_tables, apply_opt, complete_operand, &o };
	int rc;

	if (pk_opts_dump_asked(argc, argv, wattctl_tables))
		return 0;
	pk_common_defaults(&o.common);
	if (pk_complete_asked(argc, argv, &comp)) {
		forget_password(&o);
		return 0;
	}
	rc = parse_args(&o, argc, argv, &err);
	if (rc == 0 && pk_help_or_version(&o.common, TOOL, usage_head, wattctl_tables, usage_tail))
		return 0;
	if (rc == 0)
		rc = run(&o, run_verb, &out, &err);
	/* Text output is shown even on failure (what was read); JSON and
	 * Prometheus documents only when complete. */
	if (rc == 0 && o.common.format == PK_FMT_PROM)
		pk_prom_finish(TOOL, o.where, &out, o.common.quiet);
	if (rc == 0 || o.common.format == PK_FMT_TEXT)
		pk_emit(&out);
	if (rc != 0)
		pk_report_error(TOOL, o.where, &err, o.common.format == PK_FMT_JSON,
		                o.common.quiet);
	pk_buf_free(&out);
	forget_password(&o);
	return rc;
}
