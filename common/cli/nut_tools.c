#include "cli/nut_tools.h"
#include "nut/pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clock.h"
#include "core/session.h"
#include "cli/cred.h"
#include "cli/output.h"

const struct pk_opt nut_cli_cred_opts[] = {
	{ "user", 'u', "USER", "upsd.users name (default: $NUT_USER)", PK_VAL_NONE, NULL },
	{ "password", 'p', "PASS", "password (visible in ps; prefer the next two)",
	  PK_VAL_NONE, NULL },
	{ "password-file", PK_OPT_PASSWORD_FILE, "FILE",
	  "password from the first line of FILE ('-': stdin)", PK_VAL_FILE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

const struct pk_opt nut_cli_tls_opts[] = {
	{ "tls", PK_OPT_TLS, "[try]",
	  "STARTTLS and verify the server's certificate; fail without TLS\n"
	  "(=try: go on in clear when the server has no TLS)", PK_VAL_NONE, NULL },
	{ "cafile", PK_OPT_CAFILE, "FILE",
	  "with --tls: CA certificates (PEM) instead of the system's", PK_VAL_FILE, NULL },
	{ "insecure-tls", PK_OPT_INSECURE_TLS, NULL,
	  "with --tls: check no certificate (labs only)", PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

int
nut_cli_tls_opt(struct nut_cli *cli, int ch, const char *arg, struct pk_err *err)
{
	switch (ch) {
	case PK_OPT_TLS:
		if (arg != NULL && strcmp(arg, "try") != 0) {
			pk_err_set(err, PK_EUSAGE, "usage",
			           "--tls=%s: the only value --tls takes is 'try'", arg);
			return -1;
		}
		cli->tls.mode = arg != NULL ? PK_TLS_TRY : PK_TLS_REQUIRE;
		return 1;
	case PK_OPT_CAFILE:
		cli->tls.cafile = arg;
		return 1;
	case PK_OPT_INSECURE_TLS:
		cli->tls.insecure = 1;
		return 1;
	default:
		return 0;
	}
}

int
nut_cli_tls_check(const struct nut_cli *cli, struct pk_err *err)
{
	const char *cafile = cli->tls.cafile;
	struct stat st;

	if (cli->tls.mode == PK_TLS_OFF && (cafile != NULL || cli->tls.insecure))
		return pk_err_set(err, PK_EUSAGE, "usage", "%s needs --tls or --tls=try",
		                  cafile != NULL ? "--cafile" : "--insecure-tls");
	if (cafile != NULL && cli->tls.insecure)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--cafile and --insecure-tls exclude each other");
	if (cafile == NULL)
		return 0;
	if (stat(cafile, &st) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "--cafile %s: %s", cafile,
		                  strerror(errno));
	if (!S_ISREG(st.st_mode))
		return pk_err_set(err, PK_EUSAGE, "usage", "--cafile %s: not a regular file", cafile);
	return 0;
}

const struct pk_tls_opts *
nut_cli_tls(struct nut_cli *cli)
{
	if (cli->tls.mode != PK_TLS_OFF && cli->tls.insecure && !cli->tls_warned)
		pk_warn(cli->tool, NULL, cli->o.quiet,
		        "--insecure-tls: the server's certificate is not checked; anyone on the path "
		        "can read and change this session");
	cli->tls_warned = 1;
	return &cli->tls;
}

void
nut_cli_init(struct nut_cli *cli, const char *tool)
{
	memset(cli, 0, sizeof *cli);
	cli->tool = tool;
	pk_common_defaults(&cli->o);
}

/* upsd reads a command line of at most 512 bytes ("USERNAME " or
 * "PASSWORD " and the quoted value must fit); the tools' password buffer
 * holds 511. */
#define NUT_USER_MAX 255

int
nut_cli_cred_opt(struct nut_cli *cli, int ch, char *arg)
{
	switch (ch) {
	case 'u':
		cli->user = arg;
		return 1;
	case 'p':
		/* argv is blanked for ps(1); keep a copy. */
		snprintf(cli->pass_store, sizeof cli->pass_store, "%s", arg);
		pk_argv_blank(arg);
		cli->pass = cli->pass_store;
		return 1;
	case PK_OPT_PASSWORD_FILE:
		cli->pass_file = arg;
		return 1;
	default:
		return 0;
	}
}

int
nut_cli_target(struct nut_cli *cli, const char *spec, int need_ups, struct pk_err *err)
{
	int rc;

	if (need_ups || strchr(spec, '@') != NULL)
		rc = pk_target_parse(spec, PK_TARGET_NAMED, NUT_DEFAULT_PORT, &cli->t, err);
	else
		rc = pk_target_parse(spec, PK_TARGET_HOST, NUT_DEFAULT_PORT, &cli->t, err);
	if (rc != 0)
		return rc;
	if (need_ups && cli->t.name[0] == '\0')
		return pk_err_set(err, PK_EUSAGE, "usage", "%s: a UPS name is needed (ups@host)",
		                  spec);
	if (!nut_printable(cli->t.name) || strpbrk(cli->t.name, " \"\\#") != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s: bad UPS name", spec);
	pk_target_label(&cli->t, cli->label, sizeof cli->label);
	return 0;
}

/* The handle's notes as "tool: ups@host:port: line" on stderr. */
static void
cli_warn(void *ctx, const char *line)
{
	const struct nut_cli *cli = ctx;

	pk_warn(cli->tool, cli->label, cli->o.quiet, "%s", line);
}

int
nut_cli_connect(struct nut_cli *cli, struct pk_err *err)
{
	struct pk_session_opts opts;

	cli->trace.fn = cli->o.verbose ? pk_trace_stderr : NULL;
	cli->trace.ctx = (void *)cli->tool;
	pk_session_opts_set(&opts, pk_deadline_in(cli->o.timeout_ms), &cli->trace, cli_warn, cli);
	nut_init(&cli->c, &opts);
	nut_set_tls(&cli->c, nut_cli_tls(cli));
	cli->connected = 1;
	return nut_connect(&cli->c, cli->t.host, cli->t.port, err);
}

void
nut_cli_complete(struct nut_cli *cli, const struct pk_comp *c, const char *list,
                 const char *suffix)
{
	const char *at = c->nops == 0 ? strchr(c->cur, '@') : NULL;
	const char *spec = c->nops > 0 ? c->ops[0] : at ? at + 1 : NULL;
	struct pk_comp whole = *c;
	struct nut_kvlist l = { 0 };
	struct pk_err err;
	char word[600];
	size_t i;
	int rc;

	whole.cur = "";
	if (spec == NULL)
		return;
	cli->o.timeout_ms = PK_COMPLETE_TIMEOUT_MS;
	cli->o.verbose = 0;
	cli->tls_warned = 1;  /* completion is quiet */
	rc = nut_cli_target(cli, spec, c->nops > 0, &err);
	if (rc == 0)
		rc = nut_cli_connect(cli, &err);
	if (rc == 0 && c->nops == 0)
		rc = nut_list_get(&cli->c, "UPS", NULL, NULL, 1, -1, &l, &err);
	else if (rc == 0)
		rc = nut_list_get(&cli->c, list, cli->t.name, NULL, 2, -1, &l, &err);
	for (i = 0; rc == 0 && i < l.n; i++) {
		if (c->nops > 0) {
			snprintf(word, sizeof word, "%s%s", l.v[i].name, suffix);
			pk_comp_offer(c, word, NULL);
		} else if (strncmp(l.v[i].name, c->cur, (size_t)(at - c->cur)) == 0) {
			/* The name is completed before the '@' the user typed. */
			snprintf(word, sizeof word, "%s@%s", l.v[i].name, at + 1);
			pk_comp_offer(&whole, word, NULL);
		}
	}
	nut_kvlist_free(&l);
	if (cli->connected)
		nut_close(&cli->c);
	cli->connected = 0;
}

int
nut_cli_creds(struct nut_cli *cli, const char **user, char *pass, size_t passlen,
              struct pk_err *err)
{
	char prompt[400];
	struct pk_secret_src src = { 0 };
	int found = 0, rc;

	*user = pk_user_get(cli->user, "NUT_USER", NULL);
	if (*user == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "a user name is needed: give -u USER or set NUT_USER");
	if (pk_cred_check("user name", *user, strlen(*user), NUT_USER_MAX, err) != 0)
		return PK_EUSAGE;
	snprintf(prompt, sizeof prompt, "Password for %s@%s: ", *user, cli->t.host);
	src.cli = cli->pass;
	src.file = cli->pass_file;
	src.envname = "NUT_PASSWORD";
	src.prompt = prompt;
	rc = pk_secret_get(&src, pass, passlen, &found, err);
	if (rc == 0 && !found)
		rc = pk_err_set(err, PK_EUSAGE, "usage",
		                "a password is needed: use --password-file, NUT_PASSWORD or a terminal");
	return rc;
}

int
nut_cli_login(struct nut_cli *cli, const char *user, const char *pass, struct pk_err *err)
{
	return nut_auth(&cli->c, user, pass, err);
}

int
nut_cli_finish(struct nut_cli *cli, int rc, const struct pk_err *err)
{
	if (cli->connected)
		nut_close(&cli->c);
	/* A failure with a clear err was reported item by item already. */
	if (rc != 0 && err->status != 0)
		pk_report_error(cli->tool, cli->label, err, cli->o.format == PK_FMT_JSON,
		                cli->o.quiet);
	return rc;
}

static int
any_accepted(const struct nut_change *ch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ch[i].err.status == 0)
			return 1;
	return 0;
}

int
nut_cli_apply(struct nut_cli *cli, const char *verb, struct nut_change *ch, size_t n,
              int no_wait, int readback, struct pk_err *err)
{
	int tracking = 0, rc = 0;

	if (!no_wait)
		rc = nut_tracking_on(&cli->c, &tracking, err);
	if (rc == 0)
		rc = nut_send_changes(&cli->c, verb, cli->t.name, ch, n, err);
	if (rc == 0 && !tracking && !no_wait && !readback && !cli->o.quiet &&
	    any_accepted(ch, n))
		pk_warn(cli->tool, cli->label, 0,
		        "the server has no TRACKING: OK only means the request was accepted");
	if (rc == 0 && !no_wait)
		rc = nut_wait_changes(&cli->c, cli->t.name, ch, n, readback, err);
	return rc;
}

int
nut_cli_report_changes(struct nut_cli *cli, const struct nut_change *ch, size_t n)
{
	struct pk_buf b = { 0 };
	struct nut_doc d;
	size_t i;

	for (i = 0; i < n; i++)
		if (ch[i].err.status != 0)
			pk_warn(cli->tool, cli->label, cli->o.quiet, "%s", ch[i].err.msg);
	nut_cli_doc(cli, &d);
	nut_render_changes(&b, &d, ch, n);
	if (pk_emit(&b) != 0) {
		struct pk_err err = { 0 };

		pk_stdout_error(&err);
		pk_report_error(cli->tool, NULL, &err, 0, cli->o.quiet);
		pk_buf_free(&b);
		return PK_ECOMM;
	}
	pk_buf_free(&b);
	return nut_changes_status(ch, n);
}

int
nut_cli_print_dry(struct nut_cli *cli, const struct pk_buf *lines)
{
	struct pk_buf b = { 0 };
	int rc;

	pk_render_dry_run(&b, cli->label, lines->data, lines->len, cli->o.format == PK_FMT_JSON);
	if (pk_emit(&b) == 0) {
		rc = 0;
	} else {
		struct pk_err err = { 0 };

		rc = pk_stdout_error(&err);
		pk_report_error(cli->tool, NULL, &err, 0, cli->o.quiet);
	}
	pk_buf_free(&b);
	return rc;
}

int
nut_cli_dry_run(struct nut_cli *cli, const char *verb, const struct nut_change *ch, size_t n,
                struct pk_err *err)
{
	struct pk_buf b = { 0 };
	int rc = nut_change_requests(&b, verb, cli->t.name, ch, n, err);

	if (rc == 0)
		rc = nut_cli_print_dry(cli, &b);
	pk_buf_free(&b);
	return rc;
}

int
nut_cli_check_changes(struct nut_cli *cli, struct nut_change *ch, size_t n, struct pk_err *err)
{
	int rc = nut_check_changes(&cli->c, cli->t.name, ch, n, err);
	size_t i;

	/* In text mode every refused value gets its line, and err is
	 * cleared so that nut_cli_finish does not repeat the first; with -j
	 * the first one is the error document. */
	if (rc == 0 || nut_changes_status(ch, n) == 0 || cli->o.format == PK_FMT_JSON || cli->o.quiet)
		return rc;
	for (i = 0; i < n; i++)
		if (ch[i].err.status != 0)
			pk_warn(cli->tool, cli->label, 0, "%s", ch[i].err.msg);
	pk_err_clear(err);
	return rc;
}

void
nut_cli_doc(const struct nut_cli *cli, struct nut_doc *d)
{
	d->format = cli->o.format;
	d->target = &cli->t;
}

int
nut_cli_emit(struct pk_buf *b, struct pk_err *err)
{
	int rc = pk_emit_checked(b, err);

	pk_buf_reset(b);
	return rc;
}

int
nut_cli_show_rw(struct nut_cli *cli, struct pk_err *err)
{
	struct nut_varinfo *vis;
	struct pk_buf b = { 0 };
	struct nut_doc d;
	size_t n;
	int rc = nut_fetch_rw(&cli->c, cli->t.name, &vis, &n, err);

	nut_cli_doc(cli, &d);
	if (rc == 0) {
		nut_render_rw(&b, &d, vis, n);
		rc = nut_cli_emit(&b, err);
	}
	nut_varinfos_free(vis, n);
	pk_buf_free(&b);
	return rc;
}

int
nut_cli_show_cmds(struct nut_cli *cli, enum nut_cmds_text layout, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	struct pk_buf b = { 0 };
	struct nut_doc d;
	int rc = nut_fetch_cmds(&cli->c, cli->t.name, &l, err);

	nut_cli_doc(cli, &d);
	if (rc == 0) {
		nut_render_cmds(&b, &d, &l, layout);
		rc = nut_cli_emit(&b, err);
	}
	nut_kvlist_free(&l);
	pk_buf_free(&b);
	return rc;
}
