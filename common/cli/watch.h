/* cli/watch.h — the command-line side of `--watch`, shared by the tools
 * that watch: the options (--watch[=SECONDS], --initial, --count N,
 * --for SECONDS, --exec COMMAND, --hysteresis PERCENT, --once, --state
 * FILE), the state file of --once runs, the run's clock
 * and its end (SIGINT and SIGTERM end it cleanly), and each event
 * printed (a text line or, with -j, a JSON Lines object) and handed to
 * --exec; the run itself (pk_watch_main), whatever the tool polls.
 *
 * --exec COMMAND is the user's own command line: it runs with /bin/sh
 * -c, once per event, with the event only in the environment
 * (POWERKIT_EVENT, POWERKIT_TARGET, POWERKIT_PREVIOUS, POWERKIT_TIME,
 * POWERKIT_DETAIL, POWERKIT_JSON), never in the command line, so no
 * device string is ever interpreted by a shell.  Commands run in the
 * background, their stdin /dev/null and their stdout on our stderr (the
 * event stream on stdout stays clean); the watch never waits for them.
 * At most PK_EXEC_MAX run at once: an event beyond that runs no command
 * and says so on stderr.  A command that fails or is killed is reported
 * on stderr when it ends; nothing about it is fatal. */
#ifndef PK_CLI_WATCH_H
#define PK_CLI_WATCH_H

#include <stdint.h>
#include <sys/types.h>

#include "cli/options.h"
#include "core/watch.h"

extern const struct pk_opt pk_opts_watch[];

#define PK_WATCH_DEFAULT_MS 5000
#define PK_EXEC_MAX 8

struct pk_watch_opts {
	int enabled;            /* --watch */
	int64_t interval_ms;    /* its SECONDS, default 5 */
	int initial;            /* --initial */
	long count;             /* --count: stop after this many events; 0: never */
	int64_t for_ms;         /* --for: stop after this long; 0: never */
	const char *exec;       /* --exec COMMAND, or NULL */
	double hysteresis;      /* --hysteresis PERCENT, default 2 */
	int once;               /* --once: one poll, against --state */
	const char *state;      /* --state FILE, or NULL */
	const char *other;      /* a watch option other than --watch given (its name) */
};

void pk_watch_opts_init(struct pk_watch_opts *o);

/* Handles one option of pk_opts_watch: 1 when it was one and applied, 0
 * when it is not one, -1 on a bad value (err filled, PK_EUSAGE). */
int pk_watch_opt(struct pk_watch_opts *o, int id, const char *arg, struct pk_err *err);

/* After parsing: the other options without --watch are a usage error,
 * and so is --format prom with it.  0 or PK_EUSAGE. */
int pk_watch_opts_validate(const struct pk_watch_opts *o, const struct pk_common_opts *c,
                           struct pk_err *err);

/* --state FILE: its states into w (empty).  Returns 1 when a state file
 * was read, 0 when there is none yet, or when it is not one of this
 * version (said on stderr: the run starts afresh and writes a new one);
 * PK_EUSAGE when it cannot be read (err filled). */
int pk_watch_state_read(const char *tool, const char *path, struct pk_watch *w, int quiet,
                        struct pk_err *err);

/* Writes w to the state file atomically, mode 0600: 0 or PK_ECOMM. */
int pk_watch_state_write(const char *path, const struct pk_watch *w, struct pk_err *err);

/* One watch run: its states, what it printed, its commands. */
struct pk_watch_run {
	const char *tool;
	const struct pk_watch_opts *o;
	int json, quiet;
	struct pk_watch w;      /* the states of every target */
	int64_t started, ends;  /* pk_now_ms; ends 0: no --for */
	long printed;
	pid_t kids[PK_EXEC_MAX];
	char kid_event[PK_EXEC_MAX][PK_EVENT_NAME_MAX + 300];
};

/* What a tool watches, for pk_watch_main: its own context and how to
 * poll it.  poll asks every target (that is not held back) once and
 * judges each answer into r->w, appending the events to evs: 0, or a
 * status that ends the run (err filled).  A stop requested while it
 * runs makes the runner drop its events: the answers cut short by the
 * stop are no news.  emitted (may be NULL) sees the events of a poll
 * after they were printed and their --exec commands started.  close
 * (may be NULL) ends every session politely (LOGOUT), once, at the
 * end. */
struct pk_watch_source {
	void *ctx;
	int (*poll)(void *ctx, struct pk_watch_run *r, struct pk_events *evs, struct pk_err *err);
	void (*emitted)(void *ctx, struct pk_watch_run *r, const struct pk_events *evs);
	void (*close)(void *ctx);
	int64_t keepalive_ms;   /* the longest wait between polls (a server that
	                         * drops idle clients); 0: the interval alone */
};

/* A whole watch run: --once (the states of --state, one poll, what
 * changed and the targets added or gone printed, the states written
 * back) or the loop (a poll every interval, its events printed, until
 * SIGINT, SIGTERM, --count or --for).  A signal is the loop's normal
 * end: the sessions are closed and 0 returned, and the stop request is
 * then forgotten so the tool exits 0.  Returns 0 or the status of what
 * ended the run early (err filled: stdout or the state file could not
 * be written (3), the state file could not be read (2), a stop during
 * --once (reported as the stop, the tool then ends by the signal)). */
int pk_watch_main(const char *tool, const struct pk_watch_opts *o,
                  const struct pk_common_opts *c, const struct pk_watch_source *src,
                  struct pk_err *err);

/* For a poll: a target that cannot be read when it has no state yet
 * has no state to change from, so no event says it: its error is said
 * on stderr instead (unless --initial reports it as COMMBAD). */
void pk_watch_first_error(struct pk_watch_run *r, const char *target, const struct pk_err *err);

/* Starts the run's clock; its states empty, --initial set on them. */
void pk_watch_start(struct pk_watch_run *r, const char *tool, const struct pk_watch_opts *o,
                    const struct pk_common_opts *c);

/* Prints each event and starts its command; stops at --count.  0, or
 * PK_ECOMM when stdout cannot be written (err filled). */
int pk_watch_emit(struct pk_watch_run *r, const struct pk_events *evs, struct pk_err *err);

/* 1 when the run is over: a stop was requested (SIGINT, SIGTERM),
 * --count was reached or --for is past. */
int pk_watch_over(const struct pk_watch_run *r);

/* Waits until pk_now_ms() reaches until (or --for ends, or a signal),
 * reporting the commands that end meanwhile. */
void pk_watch_wait(struct pk_watch_run *r, int64_t until);

/* The delay before reconnecting after the n-th failure in a row (n >=
 * 1): 1, 2, 4 ... 60 s, each jittered by up to a quarter either way, so
 * that many watchers restarted together do not come back in step. */
int64_t pk_watch_backoff_ms(unsigned n);

/* A peer's reconnection backoff across polls. */
struct pk_watch_retry {
	unsigned fails;         /* failures in a row */
};

/* After a poll that asked the peer: when it could not be talked to, the
 * time (pk_now_ms) before which it is left alone (the backoff grows
 * with each failure in a row); 0 when it answered (the count starts
 * again from nothing). */
int64_t pk_watch_retry_after(struct pk_watch_retry *rt, int failed);

#endif
