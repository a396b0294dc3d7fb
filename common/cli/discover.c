/* discover.c — see cli/discover.h. */
#include "cli/discover.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/output.h"
#include "core/target.h"
#include "core/text.h"

/* A scan larger than this is refused even with --max-hosts: a /8. */
#define MAX_HOSTS_LIMIT (1L << 24)
#define RATE_MAX 100000

const struct pk_opt pk_opts_discover[] = {
	{ "port", PK_OPT_PORT, "PORT", "probe PORT, not the protocol's own", PK_VAL_NONE, NULL },
	{ "rate", PK_OPT_RATE, "N", "start at most N probes a second (default 500)",
	  PK_VAL_NONE, NULL },
	{ "max-hosts", PK_OPT_MAX_HOSTS, "N", "scan up to N addresses (default 4096)",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

void
pk_discover_defaults(struct pk_discover_opts *o)
{
	memset(o, 0, sizeof *o);
	o->rate = PK_PROBE_RATE_DEFAULT;
	o->max_hosts = PK_ADDRS_MAX_DEFAULT;
}

int
pk_discover_opt(struct pk_discover_opts *o, int ch, const char *arg, struct pk_err *err)
{
	long port;

	switch (ch) {
	case 't':
		o->timeout_given = 1;
		return 0;
	case PK_OPT_PARALLEL:
		o->parallel_given = 1;
		return 0;
	case PK_OPT_PORT:
		o->port = arg;
		return pk_parse_long(arg, 1, 65535, "--port", &port, err) == 0 ? 1 : -1;
	case PK_OPT_RATE:
		return pk_parse_long(arg, 1, RATE_MAX, "--rate", &o->rate, err) == 0 ? 1 : -1;
	case PK_OPT_MAX_HOSTS:
		return pk_parse_long(arg, 1, MAX_HOSTS_LIMIT, "--max-hosts", &o->max_hosts, err) == 0
		       ? 1 : -1;
	default:
		return 0;
	}
}

int
pk_discover_init(struct pk_discover *d, const char *tool, const char *default_port,
                 char *const *ranges, size_t nranges, const struct pk_discover_opts *o,
                 const struct pk_common_opts *co, const struct pk_fleet_opts *fo,
                 struct pk_err *err)
{
	size_t i;
	int rc = 0;

	memset(d, 0, sizeof *d);
	d->tool = tool;
	d->port = o->port != NULL ? o->port : default_port;
	d->probe.parallel = o->parallel_given ? (size_t)fo->parallel : PK_PROBE_PARALLEL_DEFAULT;
	d->probe.rate = o->rate;
	d->probe.timeout_ms = o->timeout_given ? co->timeout_ms : PK_PROBE_TIMEOUT_DEFAULT_MS;
	d->tty = isatty(STDERR_FILENO) && !co->quiet;
	if (nranges == 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "a RANGE to scan is needed; try '%s --help'",
		                  tool);
	for (i = 0; rc == 0 && i < nranges; i++)
		rc = pk_addrs_add(&d->addrs, ranges[i], (uint64_t)o->max_hosts, err);
	return rc;
}

void
pk_discover_addr(void *ctx, size_t i, char *out, size_t outlen)
{
	const struct pk_discover *d = ctx;

	pk_addrs_nth(&d->addrs, i, out, outlen);
}

/* The one-line counter, rewritten in place. */
static void
show_progress(void *ctx, const struct pk_probe_count *c)
{
	const struct pk_discover *d = ctx;

	fprintf(stderr, "\r%s: %zu/%zu probed, %zu answered, %zu found, %.1f s\033[K", d->tool,
	        c->started, c->total, c->answered, c->found, (double)c->elapsed_ms / 1000);
	fflush(stderr);
}

int
pk_discover_run(struct pk_discover *d, const struct pk_probe_ops *ops, struct pk_err *err)
{
	int rc;

	if (d->tty) {
		d->probe.progress = show_progress;
		d->probe.progress_ctx = d;
	}
	rc = pk_probe_run(ops, (size_t)d->addrs.total, &d->probe, &d->count);
	if (d->tty) {
		fputs("\r\033[K", stderr);  /* the counter goes; the results stay */
		fflush(stderr);
	}
	return rc == 0 ? 0 : pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

int
pk_discover_status(const struct pk_discover *d, size_t found, struct pk_err *err)
{
	if (found > 0)
		return 0;
	if (d->count.total > 0 && d->count.sent == 0)
		return pk_err_set(err, PK_ECOMM, "unsent",
		                  "nothing could be sent to any address (no route, or no such host)");
	return PK_ENOTFOUND;
}

/* A value a targets file line can carry as KEY=VALUE: no blank, no '#',
 * nothing to escape. */
static int
setting_ok(const char *v)
{
	return v[0] != '\0' && strpbrk(v, " \t#") == NULL && pk_text_is_clean(v, strlen(v), 0);
}

void
pk_discover_emit(struct pk_buf *out, struct pk_json *j, const char *target,
                 const struct pk_found_fact *facts, size_t n, const char *note)
{
	size_t i;

	if (j != NULL) {
		pk_json_obj_begin(j);
		pk_json_kv_str(j, "target", target);
		for (i = 0; i < n; i++) {
			if (facts[i].value == NULL)
				continue;
			pk_json_key(j, facts[i].key);
			if (facts[i].raw)
				pk_json_raw_number(j, facts[i].value);
			else
				pk_json_str(j, facts[i].value);
		}
		pk_json_obj_end(j);
		return;
	}
	pk_text_escapes(out, target, 0);
	for (i = 0; i < n; i++)
		if (facts[i].setting && facts[i].value != NULL && setting_ok(facts[i].value))
			pk_buf_printf(out, " %s=%s", facts[i].key, facts[i].value);
	if (note != NULL && note[0] != '\0') {
		pk_buf_adds(out, "  # ");
		pk_text_escapes(out, note, 0);
	}
	pk_buf_addc(out, '\n');
}

struct pk_json *
pk_discover_begin(struct pk_buf *out, int json, struct pk_json *j)
{
	if (!json)
		return NULL;
	pk_json_init(j, out);
	pk_json_arr_begin(j);
	return j;
}

int
pk_discover_end(const struct pk_discover *d, struct pk_buf *out, struct pk_json *j,
                size_t found, const char *what, struct pk_err *err)
{
	int rc = pk_discover_status(d, found, err);

	if (j != NULL) {
		pk_json_arr_end(j);
		pk_buf_addc(out, '\n');
	}
	if (rc == PK_ENOTFOUND)
		return pk_err_set(err, PK_ENOTFOUND, "none-found", "no %s found in %llu addresses",
		                  what, (unsigned long long)d->addrs.total);
	if (rc == 0 && pk_emit(out) != 0)
		return pk_stdout_error(err);
	return rc;
}

void
pk_discover_free(struct pk_discover *d)
{
	pk_addrs_free(&d->addrs);
}
