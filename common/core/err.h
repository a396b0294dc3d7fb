/* core/err.h — typed errors shared by every protocol layer and tool.
 *
 * Library code never prints: it fills a struct pk_err and returns its
 * status.  The status values ARE the exit codes every tool documents
 * under EXIT STATUS, so main() can return err.status as is. */
#ifndef PK_ERR_H
#define PK_ERR_H

#include <stddef.h>

enum pk_status {
	PK_OK = 0,        /* done */
	PK_EREFUSED = 1,  /* peer refused or failed the operation, wait not met */
	PK_EUSAGE = 2,    /* bad option/target/value; nothing was sent */
	PK_ECOMM = 3,     /* resolve, connect, timeout, malformed reply */
	PK_EAUTH = 4,     /* authentication or permission refused */
	PK_ENOTFOUND = 5  /* unknown UPS, variable, command or outlet */
};

#define PK_ERR_MSG_MAX 512

struct pk_err {
	enum pk_status status;
	char kind[40];             /* stable machine word, e.g. "timeout", "ACCESS-DENIED" */
	char msg[PK_ERR_MSG_MAX];  /* one human line, no trailing newline, no secrets */
};

/* Sets status, kind and a printf-formatted message; returns status so
 * callers can write `return pk_err_set(err, PK_ECOMM, "timeout", ...)`.
 * err may be NULL. */
int pk_err_set(struct pk_err *err, enum pk_status status, const char *kind,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Prefixes the existing message with "context: " (e.g. a variable name). */
void pk_err_prefix(struct pk_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void pk_err_clear(struct pk_err *err);

/* The worse of two exit statuses, for a run over many targets: cannot
 * talk (3), then refused login (4), not found (5), a usage error (2),
 * refused (1); 0 is best.  Unknown values count as the worst. */
int pk_status_worse(int a, int b);

/* A short English name for a status ("usage error", "not found", ...). */
const char *pk_status_name(enum pk_status status);

#endif
