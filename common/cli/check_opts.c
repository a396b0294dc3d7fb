#include "cli/check_opts.h"

#include <string.h>

#include "cli/output.h"

const struct pk_opt pk_opts_check[] = {
	{ "check", PK_OPT_CHECK, NULL,
	  "monitoring-plugins mode: one status line, perfdata, exit 0-3", PK_VAL_NONE, NULL },
	{ "warning", PK_OPT_WARNING, "VAR=RANGE",
	  "with --check: WARNING when VAR is outside RANGE (repeatable)", PK_VAL_NONE, NULL },
	{ "critical", PK_OPT_CRITICAL, "VAR=RANGE",
	  "with --check: CRITICAL when VAR is outside RANGE (repeatable)", PK_VAL_NONE, NULL },
	{ "unreachable", PK_OPT_UNREACHABLE, "STATE",
	  "with --check: state of a device that cannot be reached\n(unknown or critical; default unknown)",
	  PK_VAL_WORDS, "unknown critical" },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

void
pk_check_opts_init(struct pk_check_opts *c)
{
	memset(c, 0, sizeof *c);
	c->unreachable = PK_CHECK_UNKNOWN;
}

void
pk_check_opts_free(struct pk_check_opts *c)
{
	pk_thresholds_free(&c->thresholds);
}

int
pk_check_opt(struct pk_check_opts *c, int id, const char *arg, struct pk_err *err)
{
	const char *name = id == PK_OPT_WARNING ? "--warning" : "--critical";

	switch (id) {
	case PK_OPT_CHECK:
		c->enabled = 1;
		return 1;
	case PK_OPT_WARNING:
	case PK_OPT_CRITICAL:
		c->other = 1;
		if (pk_thresholds_add(&c->thresholds,
		                      id == PK_OPT_WARNING ? PK_CHECK_WARNING : PK_CHECK_CRITICAL,
		                      arg, err) == 0)
			return 1;
		pk_err_prefix(err, "%s", name);
		return -1;
	case PK_OPT_UNREACHABLE:
		c->other = 1;
		if (strcmp(arg, "unknown") == 0)
			c->unreachable = PK_CHECK_UNKNOWN;
		else if (strcmp(arg, "critical") == 0)
			c->unreachable = PK_CHECK_CRITICAL;
		else {
			pk_err_set(err, PK_EUSAGE, "usage",
			           "--unreachable %s: expected unknown or critical", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int
pk_check_opts_validate(const struct pk_check_opts *c, const struct pk_common_opts *o,
                       struct pk_err *err)
{
	if (!c->enabled && c->other)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--warning, --critical and --unreachable go with --check");
	if (c->enabled && o->format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--check and --format prom exclude each other");
	return 0;
}

int
pk_check_asked(int argc, char *const argv[])
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--check") == 0)
			return 1;
	return 0;
}

int
pk_check_print(const struct pk_check_report *r, const struct pk_common_opts *o)
{
	struct pk_buf out = { 0 };
	int rc = o->format == PK_FMT_JSON ? pk_check_render_json(r, &out)
	                                  : pk_check_render(r, o->verbose > 0, &out);

	if (rc == 0)
		rc = pk_emit(&out);
	pk_buf_free(&out);
	return rc == 0 ? (int)pk_check_report_state(r) : PK_CHECK_UNKNOWN;
}

int
pk_check_usage_error(const char *service, const char *tool, const struct pk_err *err)
{
	struct pk_check_report r;
	struct pk_check_target *t;
	struct pk_buf out = { 0 };

	/* A report of one finding: the message kept on one line. */
	pk_check_report_init(&r, service);
	t = pk_check_target_add(&r, tool);
	if (t != NULL)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "%s: %s", tool, err->msg);
	if (pk_check_render(&r, 0, &out) == 0)
		pk_emit(&out);
	pk_buf_free(&out);
	pk_check_report_free(&r);
	return PK_CHECK_UNKNOWN;
}
