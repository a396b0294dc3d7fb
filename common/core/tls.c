#include "core/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dl.h"

/* OpenSSL is loaded at run time, so its headers are not needed to build
 * either: the few constants used are these, fixed by libssl.so.3's ABI
 * (<openssl/ssl.h>, <openssl/tls1.h>, <openssl/prov_ssl.h>). */
#define SSL_ERROR_SSL 1
#define SSL_ERROR_WANT_READ 2
#define SSL_ERROR_WANT_WRITE 3
#define SSL_ERROR_SYSCALL 5
#define SSL_ERROR_ZERO_RETURN 6
#define SSL_VERIFY_NONE 0
#define SSL_VERIFY_PEER 1
#define SSL_CTRL_MODE 33
#define SSL_MODE_ENABLE_PARTIAL_WRITE 0x1L
#define SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER 0x2L
#define SSL_CTRL_SET_TLSEXT_HOSTNAME 55
#define TLSEXT_NAMETYPE_host_name 0
#define SSL_CTRL_SET_MIN_PROTO_VERSION 123
#define TLS1_2_VERSION 0x0303
#define SSL_OP_IGNORE_UNEXPECTED_EOF ((uint64_t)1 << 7)
#define X509_V_OK 0

#define LIBSSL "libssl.so.3"

/* The functions used, looked up once by name. */
static struct {
	void *lib;
	const void *(*client_method)(void);
	void *(*ctx_new)(const void *method);
	void (*ctx_free)(void *ctx);
	long (*ctx_ctrl)(void *ctx, int cmd, long larg, void *parg);
	uint64_t (*ctx_set_options)(void *ctx, uint64_t op);
	void (*ctx_set_verify)(void *ctx, int mode, void *callback);
	int (*ctx_load_verify_locations)(void *ctx, const char *file, const char *dir);
	int (*ctx_set_default_verify_paths)(void *ctx);
	void *(*ssl_new)(void *ctx);
	void (*ssl_free)(void *ssl);
	int (*set_fd)(void *ssl, int fd);
	void (*set_connect_state)(void *ssl);
	long (*ssl_ctrl)(void *ssl, int cmd, long larg, void *parg);
	int (*set1_host)(void *ssl, const char *host);
	void *(*get0_param)(void *ssl);
	int (*param_set1_ip_asc)(void *param, const char *ip);
	int (*do_handshake)(void *ssl);
	int (*ssl_read)(void *ssl, void *buf, int n);
	int (*ssl_write)(void *ssl, const void *buf, int n);
	int (*get_error)(const void *ssl, int ret);
	long (*get_verify_result)(const void *ssl);
	const char *(*verify_error_string)(long code);
	unsigned long (*err_get_error)(void);
	const char *(*err_reason_string)(unsigned long e);
	void (*err_clear)(void);
	const char *(*get_version)(const void *ssl);
	const void *(*get_current_cipher)(const void *ssl);
	const char *(*cipher_name)(const void *cipher);
} ssl;

#define SYM(name, field) { name, (void **)&ssl.field }

static const struct pk_dl_sym syms[] = {
	SYM("TLS_client_method", client_method),
	SYM("SSL_CTX_new", ctx_new),
	SYM("SSL_CTX_free", ctx_free),
	SYM("SSL_CTX_ctrl", ctx_ctrl),
	SYM("SSL_CTX_set_options", ctx_set_options),
	SYM("SSL_CTX_set_verify", ctx_set_verify),
	SYM("SSL_CTX_load_verify_locations", ctx_load_verify_locations),
	SYM("SSL_CTX_set_default_verify_paths", ctx_set_default_verify_paths),
	SYM("SSL_new", ssl_new),
	SYM("SSL_free", ssl_free),
	SYM("SSL_set_fd", set_fd),
	SYM("SSL_set_connect_state", set_connect_state),
	SYM("SSL_ctrl", ssl_ctrl),
	SYM("SSL_set1_host", set1_host),
	SYM("SSL_get0_param", get0_param),
	SYM("X509_VERIFY_PARAM_set1_ip_asc", param_set1_ip_asc),
	SYM("SSL_do_handshake", do_handshake),
	SYM("SSL_read", ssl_read),
	SYM("SSL_write", ssl_write),
	SYM("SSL_get_error", get_error),
	SYM("SSL_get_verify_result", get_verify_result),
	SYM("X509_verify_cert_error_string", verify_error_string),
	SYM("ERR_get_error", err_get_error),
	SYM("ERR_reason_error_string", err_reason_string),
	SYM("ERR_clear_error", err_clear),
	SYM("SSL_get_version", get_version),
	SYM("SSL_get_current_cipher", get_current_cipher),
	SYM("SSL_CIPHER_get_name", cipher_name),
};

/* Loads libssl (and with it libcrypto, whose functions dlsym finds
 * through libssl's handle) once. */
static int
load_libssl(struct pk_err *err)
{
	return pk_dl_load(&ssl.lib, LIBSSL, syms, sizeof syms / sizeof syms[0], "tls",
	                  "TLS needs OpenSSL's " LIBSSL " (Debian package libssl3)", err);
}

/* OpenSSL's reason for the oldest error queued, or NULL. */
static const char *
ssl_reason(void)
{
	unsigned long e = ssl.err_get_error();
	const char *r = e != 0 ? ssl.err_reason_string(e) : NULL;

	return r;
}

/* ---- the context: one per process and settings ------------------------ */

/* Every connection of a run has the same settings, so the context (and
 * the CA certificates it loaded) is made once and shared; each session
 * holds its own reference to it. */
static struct {
	void *ctx;
	char cafile[4096];
	int insecure;
} shared;

static int
ctx_load_cas(void *ctx, const struct pk_tls_opts *o, struct pk_err *err)
{
	const char *why;

	if (o->insecure)
		return 0;
	if (o->cafile != NULL) {
		if (ssl.ctx_load_verify_locations(ctx, o->cafile, NULL) == 1)
			return 0;
		why = ssl_reason();
		return pk_err_set(err, PK_ECOMM, "tls", "cannot load CA certificates from %s: %s",
		                  o->cafile, why != NULL ? why : "no certificate in it");
	}
	if (ssl.ctx_set_default_verify_paths(ctx) == 1)
		return 0;
	why = ssl_reason();
	return pk_err_set(err, PK_ECOMM, "tls", "cannot use the system's CA certificates: %s",
	                  why != NULL ? why : "unknown error");
}

static void *
get_ctx(const struct pk_tls_opts *o, struct pk_err *err)
{
	const char *cafile = o->cafile != NULL ? o->cafile : "";
	void *ctx;

	if (shared.ctx != NULL && shared.insecure == o->insecure &&
	    strcmp(shared.cafile, cafile) == 0)
		return shared.ctx;
	ctx = ssl.ctx_new(ssl.client_method());
	if (ctx == NULL) {
		pk_err_set(err, PK_ECOMM, "tls", "cannot set up TLS: out of memory");
		return NULL;
	}
	/* TLS 1.2 at least: what every server with a current library speaks. */
	ssl.ctx_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_2_VERSION, NULL);
	/* A write may end part-way on a full socket and be retried from a
	 * buffer that moved (pk_conn's output buffer). */
	ssl.ctx_ctrl(ctx, SSL_CTRL_MODE,
	             SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER, NULL);
	/* upsd closes the socket after LOGOUT without a close_notify; that
	 * is the end of the replies, not an attack on them (every NUT reply
	 * is framed by lines and LISTs by END LIST anyway). */
	ssl.ctx_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	ssl.ctx_set_verify(ctx, o->insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
	if (ctx_load_cas(ctx, o, err) != 0) {
		ssl.ctx_free(ctx);
		return NULL;
	}
	if (shared.ctx != NULL)
		ssl.ctx_free(shared.ctx);  /* sessions keep their own reference */
	shared.ctx = ctx;
	shared.insecure = o->insecure;
	snprintf(shared.cafile, sizeof shared.cafile, "%s", cafile);
	return ctx;
}

/* ---- sessions ------------------------------------------------------------ */

struct pk_tls {
	void *ssl;
	short events;  /* what the last operation waits for */
};

static int
is_ip_literal(const char *host)
{
	unsigned char addr[16];

	return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

/* The name the certificate must carry: an address literal must be one
 * of its IP SANs, a name one of its DNS names (wildcards as RFC 6125);
 * only names go in SNI. */
static int
set_peer_name(struct pk_tls *t, const char *host)
{
	if (is_ip_literal(host))
		return ssl.param_set1_ip_asc(ssl.get0_param(t->ssl), host) == 1 ? 0 : -1;
	ssl.ssl_ctrl(t->ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
	             (void *)host);
	return ssl.set1_host(t->ssl, host) == 1 ? 0 : -1;
}

struct pk_tls *
pk_tls_new(int fd, const char *host, const struct pk_tls_opts *o, struct pk_err *err)
{
	struct pk_tls *t;
	void *ctx;

	if (load_libssl(err) != 0)
		return NULL;
	ssl.err_clear();
	if ((ctx = get_ctx(o, err)) == NULL)
		return NULL;
	if ((t = calloc(1, sizeof *t)) == NULL || (t->ssl = ssl.ssl_new(ctx)) == NULL) {
		free(t);
		pk_err_set(err, PK_ECOMM, "tls", "cannot set up TLS: out of memory");
		return NULL;
	}
	if (ssl.set_fd(t->ssl, fd) != 1 || (!o->insecure && set_peer_name(t, host) != 0)) {
		pk_tls_free(t);
		pk_err_set(err, PK_ECOMM, "tls", "cannot set up TLS for %s", host);
		return NULL;
	}
	ssl.set_connect_state(t->ssl);
	t->events = POLLOUT;
	return t;
}

/* Why an operation failed, into err: the certificate check's own words
 * when that was it, else OpenSSL's reason, else the socket's. */
static int
tls_fail(struct pk_tls *t, int code, const char *doing, const char *where,
         struct pk_err *err)
{
	long verify = ssl.get_verify_result(t->ssl);
	const char *reason = ssl_reason();

	if (verify != X509_V_OK && strcmp(doing, "handshake") == 0)
		return pk_err_set(err, PK_ECOMM, "tls",
		                  "TLS handshake with %s failed: certificate not accepted: %s",
		                  where, ssl.verify_error_string(verify));
	if (reason != NULL)
		return pk_err_set(err, PK_ECOMM, "tls", "TLS %s with %s failed: %s", doing, where,
		                  reason);
	if (code == SSL_ERROR_SYSCALL && errno != 0)
		return pk_err_set(err, PK_ECOMM, "tls", "TLS %s with %s failed: %s", doing, where,
		                  strerror(errno));
	return pk_err_set(err, PK_ECOMM, "tls", "TLS %s with %s failed: the peer closed the connection",
	                  doing, where);
}

/* Sorts an operation's result: 1 waiting (events set), 0 a clean close,
 * -1 an error (err filled). */
static int
tls_wait_or_fail(struct pk_tls *t, int ret, const char *doing, const char *where,
                 struct pk_err *err)
{
	int code = ssl.get_error(t->ssl, ret);

	switch (code) {
	case SSL_ERROR_WANT_READ:
		t->events = POLLIN;
		return 1;
	case SSL_ERROR_WANT_WRITE:
		t->events = POLLOUT;
		return 1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	default:
		tls_fail(t, code, doing, where, err);
		return -1;
	}
}

int
pk_tls_handshake(struct pk_tls *t, const char *where, struct pk_err *err)
{
	int ret, r;

	ssl.err_clear();
	errno = 0;
	ret = ssl.do_handshake(t->ssl);
	if (ret == 1) {
		t->events = POLLIN;
		return 0;
	}
	r = tls_wait_or_fail(t, ret, "handshake", where, err);
	if (r == 1)
		return 1;
	if (r == 0)
		pk_err_set(err, PK_ECOMM, "tls",
		           "TLS handshake with %s failed: the peer closed the connection", where);
	return PK_ECOMM;
}

short
pk_tls_events(const struct pk_tls *t)
{
	return t->events;
}

ssize_t
pk_tls_read(struct pk_tls *t, void *buf, size_t n, const char *where, struct pk_err *err)
{
	int ret, r;

	ssl.err_clear();
	errno = 0;
	ret = ssl.ssl_read(t->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0)
		return ret;
	r = tls_wait_or_fail(t, ret, "read", where, err);
	return r == 1 ? -1 : r == 0 ? 0 : -2;
}

ssize_t
pk_tls_write(struct pk_tls *t, const void *buf, size_t n, const char *where,
             struct pk_err *err)
{
	int ret, r;

	ssl.err_clear();
	errno = 0;
	ret = ssl.ssl_write(t->ssl, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0) {
		t->events = POLLIN;
		return ret;
	}
	r = tls_wait_or_fail(t, ret, "write", where, err);
	if (r == 0)
		pk_err_set(err, PK_ECOMM, "tls", "TLS write to %s failed: the peer closed the connection",
		           where);
	return r == 1 ? -1 : -2;
}

void
pk_tls_describe(const struct pk_tls *t, char *out, size_t outlen)
{
	const void *cipher = ssl.get_current_cipher(t->ssl);

	snprintf(out, outlen, "%s %s", ssl.get_version(t->ssl),
	         cipher != NULL ? ssl.cipher_name(cipher) : "(no cipher)");
}

void
pk_tls_free(struct pk_tls *t)
{
	if (t == NULL)
		return;
	if (t->ssl != NULL)
		ssl.ssl_free(t->ssl);
	free(t);
}
