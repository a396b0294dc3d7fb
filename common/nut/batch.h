/* batch.h — the same question asked of many UPSes at once, from one
 * thread over the poll loop (core/net.h): every variable (LIST VAR) or
 * chosen variables (GET VAR) of each target.
 *
 * Targets on the same server share one connection, and every request for
 * that server is queued at once (pipelined).  The connections run
 * together, at most `parallel` in flight; each server gets the whole
 * timeout on its own from when its connection starts, so a dead or
 * silent server costs its own timeout and nothing more.  Replies are
 * counted as they arrive by a small framing scanner (a line "BEGIN LIST"
 * opens a block that "END LIST" closes; any other line is one reply);
 * when all the replies of a target are buffered, the usual parsers
 * (pipeline.h) read them without waiting.  A target "@host" (no UPS
 * name) is expanded: LIST UPS first, then every UPS it lists.  With a
 * user, USERNAME and PASSWORD go first on each connection, pipelined
 * with the rest; a refused login is the error of every target there.
 * With TLS, STARTTLS goes alone first; the rest is queued when its reply
 * came and goes out once the handshake is done.
 *
 * With opts.login (a watch's --login), each UPS gets a connection of its
 * own, and LOGIN ups follows the credentials on it: upsd takes one LOGIN
 * per connection and counts it in NUMLOGINS until the connection
 * closes.  Its refusal is the target's error (ACCESS-DENIED: the user's
 * password, or its missing LOGIN right, "upsmon secondary" in
 * upsd.users).  An @host target (no UPS name) gets no LOGIN.
 *
 * With opts.keep (a watch), each connection stays open after a run and
 * the next nut_batch_run asks again over it: the targets found by an
 * @host stay, each result is replaced, a server whose connection failed
 * connects anew, and a server held (nut_batch_hold) is left alone that
 * run, its targets marked skipped.
 *
 * Nothing here prints; each target keeps its variables and its error. */
#ifndef PK_NUT_BATCH_H
#define PK_NUT_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/target.h"
#include "core/trace.h"
#include "nut/pipeline.h"

struct nut_batch_opts {
	int64_t timeout_ms;            /* each server's deadline, from its connect */
	size_t parallel;               /* connections in flight at most (>= 1) */
	const struct pk_trace *trace;  /* -v, or NULL */
	char *const *vars;             /* GET VAR these of every UPS; NULL: LIST VAR */
	size_t nvars;
	const char *user, *pass;       /* USERNAME/PASSWORD first on each connection;
	                                * NULL: no login */
	int keep;                      /* keep connections open for the next run */
	int login;                     /* LOGIN each UPS, on a connection of its own */
	const struct pk_tls_opts *tls; /* STARTTLS before anything else; NULL: none */
	void (*warn)(void *ctx, const char *line);  /* notes ("host:port: ..."); NULL: dropped */
	void *warn_ctx;
};

/* One target and what it answered.  A fleet holds many of these, so
 * it stays small: the host and port are its server's
 * (nut_batch_target), the strings are sized to fit, and an error takes
 * room only when the target failed. */
struct nut_batch_ups {
	char *label;             /* "ups@host:port" ("host:port" for an @host) */
	const char *name;        /* the UPS (in label's block); "" for an @host
	                          * not yet expanded */
	struct nut_kvlist vars;  /* every variable, or the asked ones (value NULL: failed) */
	struct pk_err *errs;     /* with opts.vars: one per variable, status 0 = found */
	struct pk_err *err;      /* the target's failure; NULL: it answered */
	size_t origin, seq;      /* order: the target given, then LIST UPS order */
	size_t server;           /* index of its server */
	int expand;              /* an @host: LIST UPS, then every UPS listed */
	int skipped;             /* its server was held this run: no result */
};

struct nut_batch_server;

struct nut_batch {
	struct nut_batch_opts opts;
	struct nut_batch_ups *ups;   /* after nut_batch_run: in the order given, each
	                              * @host replaced by its UPSes (or kept with
	                              * its error) */
	size_t nups, capups;
	struct nut_batch_server *servers;
	size_t nservers, capservers;
	size_t runs;                 /* nut_batch_run calls so far */
};

void nut_batch_init(struct nut_batch *b, const struct nut_batch_opts *opts);

/* Adds a target: "ups@host:port", or "@host:port" (t->name "") for every
 * UPS on that server.  0, or PK_ECOMM "memory". */
int nut_batch_add(struct nut_batch *b, const struct pk_target *t, struct pk_err *err);

/* Makes room for n targets in all (before the nut_batch_add calls, when
 * their number is known).  0, or PK_ECOMM "memory". */
int nut_batch_reserve(struct nut_batch *b, size_t n, struct pk_err *err);

/* Runs every query to the end (each target's result in b->ups).  Returns
 * 0, or PK_ECOMM "memory" when the run itself could not go on. */
int nut_batch_run(struct nut_batch *b, struct pk_err *err);

/* With opts.keep: server (a nut_batch_ups's .server) is not asked by
 * the runs that start before until (pk_now_ms time). */
void nut_batch_hold(struct nut_batch *b, size_t server, int64_t until);

/* With opts.login: sends LOGOUT on server's connection and closes it at
 * once (upsd forgets the LOGIN), and the runs after ask that UPS over a
 * new connection without LOGIN.  1 when a LOGIN was held there. */
int nut_batch_logout(struct nut_batch *b, size_t server);

/* 1 when server's connection is open for the next run. */
int nut_batch_connected(const struct nut_batch *b, size_t server);

/* Fills t with target u as given: its name, its server's host and port. */
void nut_batch_target(const struct nut_batch *b, const struct nut_batch_ups *u,
                      struct pk_target *t);

/* u's failure, or an error of status 0 when it answered. */
const struct pk_err *nut_batch_error(const struct nut_batch_ups *u);

/* A target's exit status: its error's, else its first missing
 * variable's, else 0. */
int nut_batch_status(const struct nut_batch *b, const struct nut_batch_ups *u);

/* The worst status of the run: 0 when every target succeeded, else in
 * the order 3 > 4 > 5 > 2 > 1 (cannot talk beats refused login beats not
 * found beats refused). */
int nut_batch_worst(const struct nut_batch *b);

void nut_batch_free(struct nut_batch *b);

#endif
