#include "cli/watch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/output.h"
#include "core/clock.h"

extern char **environ;

const struct pk_opt pk_opts_watch[] = {
	{ "watch", PK_OPT_WATCH, "[SECONDS]",
	  "print an event whenever a state changes, polling every SECONDS\n(default 5)",
	  PK_VAL_NONE, NULL },
	{ "initial", PK_OPT_INITIAL, NULL, "with --watch: an event for each state at the start",
	  PK_VAL_NONE, NULL },
	{ "count", PK_OPT_COUNT, "N", "with --watch: stop after N events", PK_VAL_NONE, NULL },
	{ "for", PK_OPT_FOR, "SECONDS", "with --watch: stop after SECONDS", PK_VAL_NONE, NULL },
	{ "exec", PK_OPT_EXEC, "COMMAND",
	  "with --watch: run COMMAND (sh -c) per event, the event in\nPOWERKIT_* variables",
	  PK_VAL_NONE, NULL },
	{ "once", PK_OPT_ONCE, NULL,
	  "poll once and print what changed since the run that wrote\n--state (for cron)",
	  PK_VAL_NONE, NULL },
	{ "state", PK_OPT_STATE, "FILE", "with --once: the states of the last run (created 0600)",
	  PK_VAL_FILE, NULL },
	{ "hysteresis", PK_OPT_HYSTERESIS, "PERCENT",
	  "with --watch: how far back inside a limit a value must come\n(default 2)",
	  PK_VAL_NONE, NULL },
	{ NULL, 0, NULL, NULL, PK_VAL_NONE, NULL }
};

/* Longest --watch and --for: a day, and a year. */
#define WATCH_MAX_S 86400
#define FOR_MAX_S (366.0 * 86400)

void
pk_watch_opts_init(struct pk_watch_opts *o)
{
	memset(o, 0, sizeof *o);
	o->interval_ms = PK_WATCH_DEFAULT_MS;
	o->hysteresis = 2;
}

static int
parse_percent(const char *arg, double *out, struct pk_err *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || !(v >= 0 && v < 50))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "--hysteresis: '%s' is not a percentage from 0 to below 50", arg);
	*out = v;
	return 0;
}

int
pk_watch_opt(struct pk_watch_opts *o, int id, const char *arg, struct pk_err *err)
{
	int rc = 0;

	switch (id) {
	case PK_OPT_WATCH:
		o->enabled = 1;
		if (arg != NULL)
			rc = pk_parse_seconds(arg, WATCH_MAX_S, "--watch", &o->interval_ms, err);
		return rc == 0 ? 1 : -1;
	case PK_OPT_INITIAL: o->initial = 1; o->other = "--initial"; return 1;
	case PK_OPT_COUNT:
		o->other = "--count";
		rc = pk_parse_long(arg, 1, 1000000000L, "--count", &o->count, err);
		break;
	case PK_OPT_FOR:
		o->other = "--for";
		rc = pk_parse_seconds(arg, FOR_MAX_S, "--for", &o->for_ms, err);
		break;
	case PK_OPT_EXEC:
		o->other = "--exec";
		o->exec = arg;
		if (arg[0] == '\0')
			rc = pk_err_set(err, PK_EUSAGE, "usage", "--exec needs a command");
		break;
	case PK_OPT_ONCE:
		o->once = o->enabled = 1;
		return 1;
	case PK_OPT_STATE:
		o->state = arg;
		break;
	case PK_OPT_HYSTERESIS:
		o->other = "--hysteresis";
		rc = parse_percent(arg, &o->hysteresis, err);
		break;
	default:
		return 0;
	}
	return rc == 0 ? 1 : -1;
}

int
pk_watch_opts_validate(const struct pk_watch_opts *o, const struct pk_common_opts *c,
                       struct pk_err *err)
{
	if (!o->enabled && o->other != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s goes with --watch", o->other);
	if (o->state != NULL && !o->once)
		return pk_err_set(err, PK_EUSAGE, "usage", "--state goes with --once");
	if (o->enabled && c->format == PK_FMT_PROM)
		return pk_err_set(err, PK_EUSAGE, "usage", "--watch prints events: no --format prom");
	return 0;
}

/* --- the state file of --once ------------------------------------------------ */

/* A state file larger than this is no state file of ours. */
#define STATE_MAX (16 * 1024 * 1024)

int
pk_watch_state_read(const char *tool, const char *path, struct pk_watch *w, int quiet,
                    struct pk_err *err)
{
	FILE *f = fopen(path, "r");
	struct pk_buf text = { 0 };
	char chunk[8192];
	size_t n;
	int rc = 0;

	if (f == NULL)
		return errno == ENOENT ? 0
		       : pk_err_set(err, PK_EUSAGE, "usage", "--state %s: %s", path, strerror(errno));
	while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (text.len + n > STATE_MAX || pk_buf_add(&text, chunk, n) != 0)
			rc = -1;
	if (ferror(f))
		rc = pk_err_set(err, PK_EUSAGE, "usage", "--state %s: %s", path, strerror(errno));
	fclose(f);
	if (rc == 0 && pk_watch_load(w, text.data != NULL ? text.data : "", text.len) == 0)
		rc = 1;
	else if (rc <= 0 && err->status == 0) {
		pk_warn(tool, NULL, quiet, "--state %s: not a state file of this version: starting afresh",
		        path);
		rc = 0;
	}
	pk_buf_free(&text);
	return rc;
}

int
pk_watch_state_write(const char *path, const struct pk_watch *w, struct pk_err *err)
{
	struct pk_buf text = { 0 };
	int rc;

	pk_watch_save(w, &text);
	rc = pk_write_atomic_mode(path, text.data != NULL ? text.data : "", text.len, 0600, err);
	pk_buf_free(&text);
	return rc;
}

/* --- the run's end --------------------------------------------------------- */

void
pk_watch_start(struct pk_watch_run *r, const char *tool, const struct pk_watch_opts *o,
               const struct pk_common_opts *c)
{
	memset(r, 0, sizeof *r);
	r->tool = tool;
	r->o = o;
	r->json = c->format == PK_FMT_JSON;
	r->quiet = c->quiet;
	r->w.report_initial = o->initial;
	r->started = pk_now_ms();
	r->ends = o->for_ms > 0 ? r->started + o->for_ms : 0;
	srand((unsigned)(r->started ^ getpid()));
}

int
pk_watch_over(const struct pk_watch_run *r)
{
	return pk_stop_signal() != 0 || (r->o->count > 0 && r->printed >= r->o->count) ||
	       (r->ends != 0 && pk_now_ms() >= r->ends);
}

int64_t
pk_watch_backoff_ms(unsigned n)
{
	int64_t ms = n >= 7 ? 60000 : (int64_t)1000 << (n > 0 ? n - 1 : 0);

	if (ms > 60000)
		ms = 60000;
	return ms * 3 / 4 + (int64_t)(rand() % (int)(ms / 2 + 1));
}

int64_t
pk_watch_retry_after(struct pk_watch_retry *rt, int failed)
{
	rt->fails = failed ? rt->fails + 1 : 0;
	return failed ? pk_now_ms() + pk_watch_backoff_ms(rt->fails) : 0;
}

/* --- --exec ---------------------------------------------------------------- */

/* Reports the commands that ended, waiting for none. */
static void
reap(struct pk_watch_run *r)
{
	size_t i;
	int st;

	for (i = 0; i < PK_EXEC_MAX; i++) {
		if (r->kids[i] <= 0 || waitpid(r->kids[i], &st, WNOHANG) != r->kids[i])
			continue;
		r->kids[i] = 0;
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
			pk_warn(r->tool, NULL, r->quiet, "--exec for %s exited with status %d",
			        r->kid_event[i], WEXITSTATUS(st));
		else if (WIFSIGNALED(st))
			pk_warn(r->tool, NULL, r->quiet, "--exec for %s was killed by signal %d",
			        r->kid_event[i], WTERMSIG(st));
	}
}

/* Appends "NAME=value" and its NUL to strs, its offset to offs[*k]. */
static void
add_env(struct pk_buf *strs, size_t *offs, size_t *k, const char *name, const char *value)
{
	offs[(*k)++] = strs->len;
	pk_buf_printf(strs, "%s=%s", name, value);
	pk_buf_addc(strs, '\0');
}

/* environ plus the event's variables, ours first (an inherited
 * POWERKIT_* is left out); NULL when memory ran out.  The strings are
 * in strs (freed by the caller, after the fork). */
static char **
event_environ(const struct pk_event *e, struct pk_buf *strs)
{
	struct pk_buf detail = { 0 }, json = { 0 };
	char when[21], **env;
	size_t n = 0, k = 0, i, offs[6];

	while (environ[n] != NULL)
		n++;
	if ((env = calloc(n + 7, sizeof *env)) == NULL)
		return NULL;
	pk_event_time(e->when, when);
	pk_event_detail(&detail, e);
	pk_event_json(&json, e);
	add_env(strs, offs, &k, "POWERKIT_EVENT", e->event);
	add_env(strs, offs, &k, "POWERKIT_TARGET", e->target);
	add_env(strs, offs, &k, "POWERKIT_PREVIOUS", e->previous);
	add_env(strs, offs, &k, "POWERKIT_TIME", when);
	add_env(strs, offs, &k, "POWERKIT_DETAIL", pk_buf_str(&detail));
	add_env(strs, offs, &k, "POWERKIT_JSON", pk_buf_str(&json));
	pk_buf_free(&detail);
	pk_buf_free(&json);
	for (i = 0; i < k; i++)
		env[i] = strs->data + offs[i];
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "POWERKIT_", 9) != 0)
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

static void
run_command(struct pk_watch_run *r, const struct pk_event *e)
{
	struct pk_buf strs = { 0 };
	char **env;
	size_t slot;
	pid_t pid;

	reap(r);
	for (slot = 0; slot < PK_EXEC_MAX && r->kids[slot] > 0; slot++)
		;
	if (slot == PK_EXEC_MAX) {
		pk_warn(r->tool, e->target, r->quiet, "%s: --exec not run: %d commands still running",
		        e->event, PK_EXEC_MAX);
		return;
	}
	if ((env = event_environ(e, &strs)) == NULL || strs.data == NULL) {
		pk_warn(r->tool, e->target, r->quiet, "%s: --exec not run: out of memory", e->event);
		free(env);
		pk_buf_free(&strs);
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (null >= 0)
			dup2(null, 0);
		dup2(2, 1);
		execve("/bin/sh", (char *const[]){ "sh", "-c", (char *)r->o->exec, NULL }, env);
		_exit(127);
	}
	if (pid < 0) {
		pk_warn(r->tool, e->target, r->quiet, "%s: --exec not run: %s", e->event, strerror(errno));
	} else {
		r->kids[slot] = pid;
		snprintf(r->kid_event[slot], sizeof r->kid_event[slot], "%s %s", e->event, e->target);
	}
	free(env);
	pk_buf_free(&strs);
}

/* --- printing ---------------------------------------------------------------- */

int
pk_watch_emit(struct pk_watch_run *r, const struct pk_events *evs, struct pk_err *err)
{
	struct pk_buf line = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < evs->n && !(r->o->count > 0 && r->printed >= r->o->count); i++) {
		pk_buf_reset(&line);
		if (r->json)
			pk_event_json(&line, &evs->v[i]);
		else
			pk_event_text(&line, &evs->v[i]);
		pk_buf_addc(&line, '\n');
		rc = pk_emit_checked(&line, err);
		r->printed++;
		if (rc == 0 && r->o->exec != NULL)
			run_command(r, &evs->v[i]);
	}
	pk_buf_free(&line);
	return rc;
}

/* Waits a little at a time: a command's end is reported soon after it
 * happens, and a signal ends the wait at once. */
#define WAIT_SLICE_MS 100

void
pk_watch_wait(struct pk_watch_run *r, int64_t until)
{
	if (r->ends != 0 && until > r->ends)
		until = r->ends;
	for (;;) {
		int64_t left = until - pk_now_ms();
		struct timespec ts;

		reap(r);
		if (left <= 0 || pk_stop_signal() != 0)
			return;
		if (left > WAIT_SLICE_MS)
			left = WAIT_SLICE_MS;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000000;
		nanosleep(&ts, NULL);  /* EINTR: the loop looks at the signal */
	}
}

/* --- the run ------------------------------------------------------------------ */

void
pk_watch_first_error(struct pk_watch_run *r, const char *target, const struct pk_err *err)
{
	if (err->status != 0 && !r->o->initial && pk_watch_is_new(&r->w, target))
		pk_warn(r->tool, target, r->quiet, "%s", err->msg);
}

/* One poll: 0 with its events in evs, or the status that ends the run.
 * A stop that came meanwhile cut the answers short: they are dropped. */
static int
poll_once(struct pk_watch_run *r, const struct pk_watch_source *src, struct pk_events *evs,
          struct pk_err *err)
{
	int rc = src->poll(src->ctx, r, evs, err);

	if (rc == 0 && pk_stop_signal() != 0)
		pk_events_clear(evs);
	return rc;
}

/* Prints a poll's events, then hands them to the source. */
static int
emit(struct pk_watch_run *r, const struct pk_watch_source *src, struct pk_events *evs,
     struct pk_err *err)
{
	int rc = pk_watch_emit(r, evs, err);

	if (rc == 0 && src->emitted != NULL)
		src->emitted(src->ctx, r, evs);
	pk_events_clear(evs);
	return rc;
}

/* --once: the states of the last run from --state, one poll, what
 * changed printed (targets added or gone too), the states written back. */
static int
run_once(struct pk_watch_run *r, const struct pk_watch_source *src, struct pk_err *err)
{
	const char *state = r->o->state;
	struct pk_events evs = { 0 };
	int had_file = 0, rc = 0;

	if (state != NULL && (had_file = pk_watch_state_read(r->tool, state, &r->w, r->quiet,
	                                                     err)) > 1)
		return had_file;
	rc = poll_once(r, src, &evs, err);
	if (rc == 0 && pk_stop_signal() != 0)
		rc = pk_err_set(err, PK_ECOMM, "stopped", "stopped");  /* said as the signal */
	if (rc == 0) {
		pk_watch_membership(&r->w, had_file, time(NULL), &evs);
		rc = emit(r, src, &evs, err);
	}
	if (rc == 0 && state != NULL)
		rc = pk_watch_state_write(state, &r->w, err);
	pk_events_free(&evs);
	return rc;
}

/* The loop: a poll every interval (at most keepalive_ms apart), the
 * changes printed, until a signal, --count or --for ends the run. */
static int
run_loop(struct pk_watch_run *r, const struct pk_watch_source *src, struct pk_err *err)
{
	int64_t period = r->o->interval_ms;
	struct pk_events evs = { 0 };
	int rc = 0;

	if (src->keepalive_ms > 0 && src->keepalive_ms < period)
		period = src->keepalive_ms;
	for (;;) {
		int64_t round = pk_now_ms();

		rc = poll_once(r, src, &evs, err);
		if (rc == 0)
			rc = emit(r, src, &evs, err);
		if (rc != 0 || pk_watch_over(r))
			break;
		pk_watch_wait(r, round + period);
		if (pk_watch_over(r))
			break;
	}
	pk_events_free(&evs);
	return rc;
}

int
pk_watch_main(const char *tool, const struct pk_watch_opts *o, const struct pk_common_opts *c,
              const struct pk_watch_source *src, struct pk_err *err)
{
	struct pk_watch_run r;
	int rc;

	pk_watch_start(&r, tool, o, c);
	rc = o->once ? run_once(&r, src, err) : run_loop(&r, src, err);
	if (src->close != NULL)
		src->close(src->ctx);
	/* A signal is how a watch is meant to end: its sessions are closed
	 * (LOGOUT sent), and the tool exits 0 rather than by the signal. */
	if (!o->once && rc == 0)
		pk_stop_clear();
	pk_watch_free(&r.w);
	return rc;
}
