/* core/net.h — non-blocking sockets with deadlines.
 *
 * A pk_conn is one TCP (or connected UDP) endpoint.  Everything is
 * non-blocking and driven by poll(): pk_conn_begin() resolves and starts
 * the connect, pk_conn_events()/pk_conn_handle() let a caller drive many
 * connections from one poll loop (pk_conn_poll()), and pk_conn_step()
 * is the one-connection case.  The loop itself (pk_poll_tasks) drives
 * any mix of connections and other protocol state, such as SNMP requests
 * over UDP, from one thread.  Nothing here prints. */
#ifndef PK_NET_H
#define PK_NET_H

#include <netdb.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/tls.h"

enum pk_conn_state {
	PK_CONN_IDLE = 0,
	PK_CONN_CONNECTING,
	PK_CONN_OPEN,
	PK_CONN_FAILED,
	PK_CONN_CLOSED
};

/* The most one pk_conn_handle() reads; the rest waits for the next. */
#define PK_READ_MAX (128 * 1024)

struct pk_conn {
	int fd;
	enum pk_conn_state state;
	int socktype;                 /* SOCK_STREAM or SOCK_DGRAM */
	struct addrinfo *addrs;       /* from pk_resolve(), freed by close */
	struct addrinfo *trying;      /* address being connected */
	int64_t attempt_deadline;     /* when to give up on `trying` */
	int64_t deadline;             /* whole-connect deadline */
	char host[256], port[16];     /* as asked, for messages */
	struct pk_buf in;             /* received bytes; consumed from in_off */
	size_t in_off;
	struct pk_buf out;            /* queued bytes not yet written */
	size_t max_in;                /* bound on buffered unconsumed input */
	int peer_closed;              /* EOF seen */
	struct pk_err err;            /* why state is FAILED */
	struct pk_tls *tls;           /* TLS on the socket (pk_conn_start_tls), or NULL */
	int tls_handshaking;          /* queued output waits for the handshake */
	int errnum;                   /* the system error of that failure, or 0 */
};

/* Resolves host/port (numeric or by name) for socktype within the
 * deadline; a resolver that hangs is abandoned at the deadline.
 * Returns 0 or PK_ECOMM/PK_EUSAGE with err filled. */
int pk_resolve(const char *host, const char *port, int socktype,
               int64_t deadline, struct addrinfo **res, struct pk_err *err);

void pk_conn_init(struct pk_conn *c);

/* Resolves and starts connecting to the first address.  Later addresses
 * are tried in turn when one fails; each non-last one gets at most half
 * of the time left.  Returns 0 or a status with c->err / err filled. */
int pk_conn_begin(struct pk_conn *c, const char *host, const char *port,
                  int socktype, int64_t deadline, struct pk_err *err);

/* 1 when a connection that pk_conn_begin failed sent nothing at all:
 * the host did not resolve, or no socket, route or permission (a
 * discovery's "nothing could be sent"); a refused connect was sent. */
int pk_conn_unsent(const struct pk_conn *c);

/* Blocking convenience: begin + drive until open, or fail. */
int pk_conn_open(struct pk_conn *c, const char *host, const char *port,
                 int socktype, int64_t deadline, struct pk_err *err);

/* poll() events the connection wants now (0 when failed/closed). */
short pk_conn_events(const struct pk_conn *c);

/* Handles poll() revents: finishes connects, writes queued output, reads
 * input (at most PK_READ_MAX, so the owner parses between reads).  Returns 0, or a status (c->state is then FAILED, c->err says
 * why).  A peer close sets peer_closed and is not itself an error. */
int pk_conn_handle(struct pk_conn *c, short revents);

/* One poll over n connections until the deadline or any event; handles
 * what happened.  Returns 0, or PK_ECOMM if the deadline passed with no
 * event (every connection still pending gets a timeout error). */
int pk_conn_poll(struct pk_conn **cs, size_t n, int64_t deadline);

/* ---- the poll loop ------------------------------------------------- */

/* One thing the poll loop drives: a connection (pk_conn_task), or a
 * protocol's request state over a socket (an SNMP request).  want says
 * what to wait for now: poll events on *fd (0: none) and, in *wake, the
 * next time it must run even without an event (a connect attempt's end,
 * a retransmission; 0: none).  A task with neither is not waited for.
 * handle runs after each poll with the revents that came (0 when none:
 * the task then checks its own timers) and returns 0 or a status, which
 * the task also keeps for its owner. */
struct pk_task {
	short (*want)(void *ctx, int *fd, int64_t *wake);
	int (*handle)(void *ctx, short revents);
	void *ctx;
};

/* The task that drives c (connects, writes queued bytes, reads input). */
struct pk_task pk_conn_task(struct pk_conn *c);

/* One poll over any number of tasks, until an event, the earliest wake
 * time or the deadline; then every waiting task is handled.  Returns 0
 * (also when no task waits for anything), or PK_ECOMM when the deadline
 * passed with no event; what a timeout means is each owner's business. */
int pk_poll_tasks(const struct pk_task *ts, size_t n, int64_t deadline);

/* Many devices read at once: item i runs as a task of the loop from its
 * start until it ends, at most parallel items in flight, started in
 * order as others end.  start returns 1 when item i runs (0: it ended
 * already, or had nothing to do); advance runs after each poll and
 * returns 1 while item i still runs.  Each item ends itself at its own
 * deadline; poll_ms bounds one poll only. */
struct pk_fleet_ops {
	int (*start)(void *ctx, size_t i);
	struct pk_task (*task)(void *ctx, size_t i);
	int (*advance)(void *ctx, size_t i);
};

void pk_poll_fleet(const struct pk_fleet_ops *ops, void *ctx, size_t n, size_t parallel,
                   int64_t poll_ms);

/* One-connection step: poll + handle.  Returns 0 or a status, with err
 * filled (a timeout is PK_ECOMM "timeout"). */
int pk_conn_step(struct pk_conn *c, int64_t deadline, struct pk_err *err);

/* Queues bytes for writing (sent by the next handle/step). */
int pk_conn_queue(struct pk_conn *c, const void *p, size_t n);

/* Writes everything queued, blocking until the deadline. */
int pk_conn_flush(struct pk_conn *c, int64_t deadline, struct pk_err *err);

/* Takes one complete line (LF-terminated; a CR before the LF is dropped)
 * from the input into line (reset first).  Returns 1 when a line was
 * taken, 0 when none is complete yet, -1 when the pending partial line
 * is longer than max_line (a hostile or broken peer). */
int pk_conn_take_line(struct pk_conn *c, struct pk_buf *line, size_t max_line);

/* Unconsumed input bytes (for protocols with prompts that have no LF). */
const char *pk_conn_pending(const struct pk_conn *c, size_t *len);
void pk_conn_consume(struct pk_conn *c, size_t n);

/* Switches an open connection to TLS (after a STARTTLS exchange): the
 * handshake starts now and the poll loop drives it like any other I/O;
 * output queued meanwhile is sent once it is done, and a failed
 * handshake fails the connection with the reason in c->err.  Input
 * already buffered must have been consumed: bytes a peer sent in clear
 * before the handshake are no part of the TLS stream.  Returns 0 or
 * PK_ECOMM with err filled. */
int pk_conn_start_tls(struct pk_conn *c, const struct pk_tls_opts *o, struct pk_err *err);
/* Gives up on a connection the protocol above found unusable (a reply
 * over its budget): closes the socket, drops unread input and keeps why
 * as the error every later step returns. */
void pk_conn_fail(struct pk_conn *c, const struct pk_err *why);

/* Closes the socket and frees buffers; safe to call twice. */
void pk_conn_close(struct pk_conn *c);

#endif
