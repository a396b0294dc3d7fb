/* core/tls.h — TLS on a connection that is already open (STARTTLS),
 * through OpenSSL's libssl.so.3 loaded with dlopen() the first time TLS
 * is asked for: a run without TLS never maps the library, so it starts
 * as fast as a binary that links only libc.
 *
 * The client side only: the server's certificate is verified against a
 * CA file or the system's store and must name the host that was asked
 * for (an IP address literal must be one of its IP addresses), unless
 * the caller asks for no check at all (labs).  Everything is
 * non-blocking: pk_conn (core/net.h) drives the handshake, reads and
 * writes from the poll loop, and owns the pk_tls.  Nothing here prints. */
#ifndef PK_TLS_H
#define PK_TLS_H

#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"

enum pk_tls_mode {
	PK_TLS_OFF = 0,
	PK_TLS_TRY,       /* use TLS when the server offers it, else go on in clear */
	PK_TLS_REQUIRE    /* TLS or nothing */
};

struct pk_tls_opts {
	enum pk_tls_mode mode;
	const char *cafile;  /* PEM CA certificates; NULL: the system's store */
	int insecure;        /* no certificate or name check (labs only) */
};

struct pk_tls;

/* Starts a client handshake on the connected socket fd, for host (the
 * name or address the user gave: SNI and the name check).  NULL with
 * err filled (PK_ECOMM: no libssl, an unusable CA file, no memory). */
struct pk_tls *pk_tls_new(int fd, const char *host, const struct pk_tls_opts *o,
                          struct pk_err *err);

/* Goes on with the handshake: 0 when it is done, 1 while it waits for
 * the socket (pk_tls_events says for what), else PK_ECOMM with err
 * saying why (the verification failure, the peer's close, ...). */
int pk_tls_handshake(struct pk_tls *t, const char *where, struct pk_err *err);

/* The poll() events the last operation waits for (POLLIN or POLLOUT). */
short pk_tls_events(const struct pk_tls *t);

/* Reads or writes at most n bytes: > 0 bytes moved, 0 the peer closed
 * (reads only), -1 the socket is not ready (see pk_tls_events), -2 an
 * error (err filled). */
ssize_t pk_tls_read(struct pk_tls *t, void *buf, size_t n, const char *where,
                    struct pk_err *err);
ssize_t pk_tls_write(struct pk_tls *t, const void *buf, size_t n, const char *where,
                     struct pk_err *err);

/* "TLSv1.3 TLS_AES_256_GCM_SHA384" once the handshake is done. */
void pk_tls_describe(const struct pk_tls *t, char *out, size_t outlen);

/* Frees the session (no close_notify is waited for). */
void pk_tls_free(struct pk_tls *t);

#endif
