/* core/session.h — what every protocol handle (a NUT connection, an SNMP
 * session, a WattBox client) owns, and is given the same way: the
 * deadline that bounds each of its waits, its protocol trace (-v) and the
 * callback for notes the user may want to see.  A tool fills one
 * pk_session_opts and hands it to each handle's init. */
#ifndef PK_SESSION_H
#define PK_SESSION_H

#include <stdint.h>

#include "core/trace.h"

struct pk_session_opts {
	int64_t deadline;                           /* absolute, core/clock.h */
	struct pk_trace trace;                      /* fn NULL: off */
	void (*warn)(void *ctx, const char *line);  /* NULL: notes dropped */
	void *warn_ctx;
};

/* Fills o in one call; trace may be NULL (off), warn may be NULL. */
void pk_session_opts_set(struct pk_session_opts *o, int64_t deadline,
                         const struct pk_trace *trace,
                         void (*warn)(void *ctx, const char *line), void *warn_ctx);

/* Moves o's deadline to deadline for one step that has its own (an
 * outlet engine's confirmation may run past the handle's); returns the
 * deadline it had, for the caller to put back. */
int64_t pk_session_until(struct pk_session_opts *o, int64_t deadline);

/* Hands one formatted note to o's warn callback (dropped without one). */
void pk_session_warn(const struct pk_session_opts *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
