/* ssh.c — the Integration Protocol over SSH with libssh: password
 * authentication at the SSH layer (no Username:/Password: prompts in the
 * channel; SSH needs firmware 1.3.0.4 or later and a password of at most
 * 13 characters, so the factory one may not work), a shell channel
 * without a PTY (with one, the device echoes every command line), host
 * keys checked against ~/.ssh/known_hosts.  The "Connecting..." /
 * "Successfully Logged In!" banner, which some firmware sends only after
 * the client's first write, and echoed command lines are skipped by the
 * session's reply matching; CRLF is handled there too. */
#include <libssh/libssh.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/net.h"
#include "wattbox/client.h"

/* How far the connection got.  Every phase ends on the poll loop: the
 * TCP connect is ours (core/net), then libssh runs non-blocking on that
 * socket, each call answering SSH_AGAIN (SSH_AUTH_AGAIN) until its
 * packets came, so many units connect at once and a dead one costs only
 * its own deadline. */
enum sh_phase {
	SH_TCP,        /* our non-blocking connect */
	SH_KEX,        /* ssh_connect: banners, key exchange; then the host key check */
	SH_AUTH,       /* password authentication */
	SH_CHANNEL,    /* opening the session channel */
	SH_SHELL,      /* the shell request */
	SH_READY       /* the channel carries the Integration Protocol */
};

/* What a phase's failure or timeout is called in messages. */
static const char *const phase_what[] = {
	"SSH connection failed", "SSH connection failed", "SSH authentication",
	"opening the SSH channel", "starting the shell", "ssh read"
};

/* A phase's step ended it (0 = wait for more, else a status). */
#define PHASE_DONE (-1)

struct ssh {
	struct wb_client *c;       /* its cfg and trace */
	ssh_session sess;
	ssh_channel ch;
	struct pk_conn tcp;        /* our connect; the socket's owner */
	enum sh_phase phase;
	char known_hosts[1024];
};

static int
ssh_fail(struct ssh *h, struct pk_err *err, enum pk_status st, const char *what)
{
	return pk_err_set(err, st, "ssh", "%s: %s", what, ssh_get_error(h->sess));
}

static int
sh_send(void *ctx, const char *p, size_t n, struct pk_err *err)
{
	struct ssh *h = ctx;

	/* A command line fits the channel's window: taken at once (the
	 * socket may keep some in libssh's buffer; the loop writes it). */
	if (ssh_channel_write(h->ch, p, (uint32_t)n) != (int)n)
		return ssh_fail(h, err, PK_ECOMM, "ssh write");
	return 0;
}

static short
sh_want(void *ctx, int *fd, int64_t *wake)
{
	struct ssh *h = ctx;
	short ev = POLLIN;

	if (h->phase == SH_TCP) {
		struct pk_task t = pk_conn_task(&h->tcp);

		ev = t.want(&h->tcp, fd, wake);
		if (h->tcp.state == PK_CONN_FAILED)
			*wake = pk_now_ms();   /* for the next pump to say */
		return ev;
	}
	*fd = ssh_get_fd(h->sess);
	*wake = 0;
	/* Packets libssh could not write yet wait for the socket. */
	if (ssh_get_poll_flags(h->sess) & SSH_WRITE_PENDING)
		ev |= POLLOUT;
	/* Bytes libssh has read already, or the channel's end, are for the
	 * next pump at once: the socket may have nothing more to say. */
	if (h->phase == SH_READY && ssh_channel_poll(h->ch, 0) != 0)
		*wake = pk_now_ms();
	return ev;
}

/* Our connect's failure, in the words libssh used when it connected
 * itself ("Connection refused", "Timeout connecting to HOST"). */
static int
tcp_failed(struct ssh *h, const struct pk_err *why, struct pk_err *err)
{
	if (strcmp(why->kind, "timeout") == 0)
		return pk_err_set(err, PK_ECOMM, "timeout", "SSH connection failed: Timeout "
		                  "connecting to %s", h->c->cfg->host);
	if (h->tcp.errnum != 0)
		return pk_err_set(err, PK_ECOMM, "ssh", "SSH connection failed: %s",
		                  strerror(h->tcp.errnum));
	*err = *why;
	pk_err_prefix(err, "SSH connection failed");
	return err->status;
}

/* Connected: libssh runs on the socket from here.  It never closes a
 * socket given with SSH_OPTIONS_FD (not even in ssh_disconnect or
 * ssh_free): the pk_conn keeps it and closes it last. */
static int
tcp_step(struct ssh *h, short revents, struct pk_err *err)
{
	struct pk_task t = pk_conn_task(&h->tcp);

	t.handle(&h->tcp, revents);
	if (h->tcp.state == PK_CONN_FAILED)
		return tcp_failed(h, &h->tcp.err, err);
	if (h->tcp.state != PK_CONN_OPEN)
		return 0;
	if (ssh_options_set(h->sess, SSH_OPTIONS_FD, &h->tcp.fd) != SSH_OK)
		return ssh_fail(h, err, PK_ECOMM, phase_what[SH_TCP]);
	return PHASE_DONE;
}

/* "SHA256:..." of the server's key into out. */
static void
fingerprint(struct ssh *h, char *out, size_t len)
{
	ssh_key key = NULL;
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	snprintf(out, len, "(unknown)");
	if (ssh_get_server_publickey(h->sess, &key) != SSH_OK)
		return;
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) == 0) {
		fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
		if (fp != NULL)
			snprintf(out, len, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), fp);
		ssh_string_free_char(fp);
		ssh_clean_pubkey_hash(&hash);
	}
	ssh_key_free(key);
}

/* Known key: go on.  Unknown: refused unless accept_new (then recorded).
 * Changed or of another type: always refused. */
static int
check_hostkey(struct wb_client *c, struct ssh *h, struct pk_err *err)
{
	char fp[256];
	enum ssh_known_hosts_e st;

	if (c->cfg->insecure_hostkey)
		return 0;
	st = ssh_session_is_known_server(h->sess);
	fingerprint(h, fp, sizeof fp);
	switch (st) {
	case SSH_KNOWN_HOSTS_OK:
		return 0;
	case SSH_KNOWN_HOSTS_CHANGED:
	case SSH_KNOWN_HOSTS_OTHER:
		return pk_err_set(err, PK_ECOMM, "hostkey",
		                  "HOST KEY CHANGED for %s port %s: now %s; refusing (if the unit "
		                  "was replaced, remove its line from %s)", c->cfg->host,
		                  c->cfg->port, fp, h->known_hosts);
	case SSH_KNOWN_HOSTS_UNKNOWN:
	case SSH_KNOWN_HOSTS_NOT_FOUND:
		if (!c->cfg->accept_new_hostkey)
			return pk_err_set(err, PK_ECOMM, "hostkey",
			                  "unknown host key %s; check it, then rerun with "
			                  "--accept-new-hostkey to record it", fp);
		if (ssh_session_update_known_hosts(h->sess) != SSH_OK)
			return ssh_fail(h, err, PK_ECOMM, "recording the host key");
		pk_trace(&c->opts.trace, '*', "recorded host key %s in %s", fp, h->known_hosts);
		return 0;
	default:
		return ssh_fail(h, err, PK_ECOMM, "checking known hosts");
	}
}

/* libssh 0.10 keeps a call that answered SSH_AGAIN pending: calling it
 * again with the same arguments goes on where it stopped. */
static int
kex_step(struct ssh *h, struct pk_err *err)
{
	int rc = ssh_connect(h->sess);
	const char *e;

	if (rc == SSH_AGAIN)
		return 0;
	if (rc != SSH_OK) {
		e = ssh_get_error(h->sess);
		return pk_err_set(err, PK_ECOMM, strstr(e, "imeout") ? "timeout" : "ssh",
		                  "SSH connection failed%s: %s",
		                  strstr(e, "no match") ? " (no common key algorithm)" : "", e);
	}
	rc = check_hostkey(h->c, h, err);
	return rc != 0 ? rc : PHASE_DONE;
}

static int
auth_step(struct ssh *h, struct pk_err *err)
{
	const struct wb_config *cfg = h->c->cfg;
	int rc = ssh_userauth_password(h->sess, NULL, cfg->password);

	if (rc == SSH_AUTH_AGAIN)
		return 0;
	pk_trace(&h->c->opts.trace, '>', "ssh password auth as %s: %s", cfg->user,
	         rc == SSH_AUTH_SUCCESS ? "accepted" : "refused");
	if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "SSH password refused for user '%s' (not retried; WattBox SSH "
		                  "needs a password of at most 13 characters)", cfg->user);
	if (rc != SSH_AUTH_SUCCESS)
		return ssh_fail(h, err, PK_ECOMM, phase_what[SH_AUTH]);
	return PHASE_DONE;
}

/* A shell channel without a PTY: no echo, no line editing. */
static int
channel_step(struct ssh *h, struct pk_err *err)
{
	int rc;

	if (h->ch == NULL && (h->ch = ssh_channel_new(h->sess)) == NULL)
		return ssh_fail(h, err, PK_ECOMM, phase_what[SH_CHANNEL]);
	rc = ssh_channel_open_session(h->ch);
	if (rc == SSH_AGAIN)
		return 0;
	return rc == SSH_OK ? PHASE_DONE : ssh_fail(h, err, PK_ECOMM, phase_what[SH_CHANNEL]);
}

static int
shell_step(struct ssh *h, struct pk_err *err)
{
	int rc = ssh_channel_request_shell(h->ch);

	if (rc == SSH_AGAIN)
		return 0;
	return rc == SSH_OK ? PHASE_DONE : ssh_fail(h, err, PK_ECOMM, phase_what[SH_SHELL]);
}

static int
phase_step(struct ssh *h, short revents, struct pk_err *err)
{
	switch (h->phase) {
	case SH_TCP:
		return tcp_step(h, revents, err);
	case SH_KEX:
		return kex_step(h, err);
	case SH_AUTH:
		return auth_step(h, err);
	case SH_CHANNEL:
		return channel_step(h, err);
	default:
		return shell_step(h, err);
	}
}

/* Moves the handshake on; a phase that ends starts the next at once (its
 * first packet goes out now).  0 or a status. */
static int
sh_handshake(struct ssh *h, short revents, struct pk_err *err)
{
	int rc = 0;

	while (h->phase != SH_READY && (rc = phase_step(h, revents, err)) == PHASE_DONE)
		h->phase++;
	return h->phase == SH_READY ? 0 : rc;
}

static int
sh_opened(void *ctx)
{
	return ((struct ssh *)ctx)->phase == SH_READY;
}

/* Bytes taken from libssh in one pump at most; the session bounds the rest. */
#define SH_PUMP_MAX (64 * 1024)

static int
sh_pump(void *ctx, short revents, struct pk_buf *in, struct pk_err *err)
{
	struct ssh *h = ctx;
	size_t before = in->len;
	char chunk[4096];
	int n = 0;

	if (h->phase != SH_READY)
		return sh_handshake(h, revents, err);
	while (in->len - before < SH_PUMP_MAX &&
	       (n = ssh_channel_read_nonblocking(h->ch, chunk, sizeof chunk, 0)) > 0)
		pk_buf_add(in, chunk, (size_t)n);
	if (in->len > before)
		return 0;
	if (ssh_channel_is_eof(h->ch) || !ssh_channel_is_open(h->ch))
		return pk_err_set(err, PK_ECOMM, "closed", "device closed the SSH channel");
	if (n == SSH_ERROR)
		return ssh_fail(h, err, PK_ECOMM, phase_what[SH_READY]);
	return 0;
}

static int
sh_timeout(void *ctx, struct pk_err *err)
{
	struct ssh *h = ctx;

	if (h->phase <= SH_KEX)    /* libssh's words when it connected itself */
		return pk_err_set(err, PK_ECOMM, "timeout", "SSH connection failed: Timeout "
		                  "connecting to %s", h->c->cfg->host);
	if (h->phase < SH_READY)
		return pk_err_set(err, PK_ECOMM, "timeout", "%s: timed out waiting for the device",
		                  phase_what[h->phase]);
	return pk_err_set(err, PK_ECOMM, "timeout", "timed out waiting for the device");
}

/* What ssh_channel_write took may still wait in libssh's buffer. */
static int
sh_flush(void *ctx, int64_t deadline, struct pk_err *err)
{
	struct ssh *h = ctx;

	if (h->phase == SH_READY && ssh_blocking_flush(h->sess, (int)pk_ms_left(deadline)) ==
	    SSH_ERROR)
		return ssh_fail(h, err, PK_ECOMM, "ssh write");
	return 0;
}

static void
sh_close(void *ctx)
{
	struct ssh *h = ctx;

	if (h->ch != NULL) {
		ssh_channel_send_eof(h->ch);
		ssh_channel_close(h->ch);
		ssh_channel_free(h->ch);
	}
	if (h->sess != NULL) {
		ssh_disconnect(h->sess);
		ssh_free(h->sess);
	}
	pk_conn_close(&h->tcp);    /* after libssh's goodbye on the socket */
	free(h);
	ssh_finalize();
}

static const struct wb_io sh_io = {
	sh_send, sh_want, sh_pump, sh_timeout, sh_flush, sh_close, sh_opened
};

int
wb_ssh_begin(struct wb_client *c, struct pk_err *err)
{
	struct ssh *h = calloc(1, sizeof *h);
	const struct wb_config *cfg = c->cfg;
	bool no_config = false;
	struct pk_err why;

	if (h == NULL || ssh_init() != SSH_OK) {
		free(h);
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libssh");
	}
	h->c = c;
	pk_conn_init(&h->tcp);
	h->sess = ssh_new();
	wb_session_init(&c->s, &sh_io, h, &c->opts);
	c->drv = &wb_integration_driver;
	if (h->sess == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libssh");
	snprintf(h->known_hosts, sizeof h->known_hosts, "%s", cfg->known_hosts);
	/* The host and port name the unit in known_hosts; the socket is ours. */
	ssh_options_set(h->sess, SSH_OPTIONS_HOST, cfg->host);
	ssh_options_set(h->sess, SSH_OPTIONS_PORT_STR, cfg->port);
	ssh_options_set(h->sess, SSH_OPTIONS_USER, cfg->user);
	ssh_options_set(h->sess, SSH_OPTIONS_KNOWNHOSTS, h->known_hosts);
	ssh_options_set(h->sess, SSH_OPTIONS_PROCESS_CONFIG, &no_config);
	ssh_set_blocking(h->sess, 0);
	pk_trace(&c->opts.trace, '*', "ssh to %s port %s", cfg->host, cfg->port);
	if (pk_conn_begin(&h->tcp, cfg->host, cfg->port, SOCK_STREAM, c->opts.deadline, &why) != 0)
		return tcp_failed(h, &why, err);
	/* Logged in once the shell is open: from there on !Exit is owed.  The
	 * banner comes after the first command is written and is skipped
	 * while matching its reply. */
	wb_open_start(&c->s);
	return 0;
}
