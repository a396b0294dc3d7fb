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
#include <unistd.h>

#include "core/clock.h"
#include "wattbox/client.h"

struct ssh {
	ssh_session sess;
	ssh_channel ch;
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

	/* A command line fits the channel's window: written at once. */
	if (ssh_channel_write(h->ch, p, (uint32_t)n) != (int)n)
		return ssh_fail(h, err, PK_ECOMM, "ssh write");
	return 0;
}

static short
sh_want(void *ctx, int *fd, int64_t *wake)
{
	struct ssh *h = ctx;

	*fd = ssh_get_fd(h->sess);
	*wake = 0;
	/* Bytes libssh has read already, or the channel's end, are for the
	 * next pump at once: the socket may have nothing more to say. */
	if (ssh_channel_poll(h->ch, 0) != 0)
		*wake = pk_now_ms();
	return POLLIN;
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

	(void)revents;
	while (in->len - before < SH_PUMP_MAX &&
	       (n = ssh_channel_read_nonblocking(h->ch, chunk, sizeof chunk, 0)) > 0)
		pk_buf_add(in, chunk, (size_t)n);
	if (in->len > before)
		return 0;
	if (ssh_channel_is_eof(h->ch) || !ssh_channel_is_open(h->ch))
		return pk_err_set(err, PK_ECOMM, "closed", "device closed the SSH channel");
	if (n == SSH_ERROR)
		return ssh_fail(h, err, PK_ECOMM, "ssh read");
	return 0;
}

static int
sh_timeout(void *ctx, struct pk_err *err)
{
	(void)ctx;
	return pk_err_set(err, PK_ECOMM, "timeout", "timed out waiting for the device");
}

static int
sh_flush(void *ctx, int64_t deadline, struct pk_err *err)
{
	(void)ctx;
	(void)deadline;
	(void)err;
	return 0;      /* sh_send wrote already */
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
	free(h);
	ssh_finalize();
}

static const struct wb_io sh_io = { sh_send, sh_want, sh_pump, sh_timeout, sh_flush, sh_close };

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


static int
ssh_connect_checked(struct wb_client *c, struct ssh *h, int64_t deadline, struct pk_err *err)
{
	long ms = pk_ms_left(deadline), sec = ms / 1000, usec = (ms % 1000) * 1000;
	bool no_config = false;
	int rc;

	snprintf(h->known_hosts, sizeof h->known_hosts, "%s", c->cfg->known_hosts);
	ssh_options_set(h->sess, SSH_OPTIONS_HOST, c->cfg->host);
	ssh_options_set(h->sess, SSH_OPTIONS_PORT_STR, c->cfg->port);
	ssh_options_set(h->sess, SSH_OPTIONS_USER, c->cfg->user);
	ssh_options_set(h->sess, SSH_OPTIONS_KNOWNHOSTS, h->known_hosts);
	ssh_options_set(h->sess, SSH_OPTIONS_PROCESS_CONFIG, &no_config);
	ssh_options_set(h->sess, SSH_OPTIONS_TIMEOUT, &sec);
	ssh_options_set(h->sess, SSH_OPTIONS_TIMEOUT_USEC, &usec);
	pk_trace(&c->opts.trace, '*', "ssh to %s port %s", c->cfg->host, c->cfg->port);
	if (ssh_connect(h->sess) != SSH_OK) {
		const char *e = ssh_get_error(h->sess);
		return pk_err_set(err, PK_ECOMM, strstr(e, "imeout") ? "timeout" : "ssh",
		                  "SSH connection failed%s: %s",
		                  strstr(e, "no match") ? " (no common key algorithm)" : "", e);
	}
	rc = check_hostkey(c, h, err);
	if (rc != 0)
		return rc;
	rc = ssh_userauth_password(h->sess, NULL, c->cfg->password);
	pk_trace(&c->opts.trace, '>', "ssh password auth as %s: %s", c->cfg->user,
	         rc == SSH_AUTH_SUCCESS ? "accepted" : "refused");
	if (rc == SSH_AUTH_DENIED || rc == SSH_AUTH_PARTIAL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "SSH password refused for user '%s' (not retried; WattBox SSH "
		                  "needs a password of at most 13 characters)", c->cfg->user);
	if (rc != SSH_AUTH_SUCCESS)
		return ssh_fail(h, err, PK_ECOMM, "SSH authentication");
	return 0;
}

/* A shell channel without a PTY: no echo, no line editing. */
static int
open_shell(struct ssh *h, struct pk_err *err)
{
	h->ch = ssh_channel_new(h->sess);
	if (h->ch == NULL || ssh_channel_open_session(h->ch) != SSH_OK)
		return ssh_fail(h, err, PK_ECOMM, "opening the SSH channel");
	if (ssh_channel_request_shell(h->ch) != SSH_OK)
		return ssh_fail(h, err, PK_ECOMM, "starting the shell");
	return 0;
}

int
wb_ssh_open(struct wb_client *c, struct pk_err *err)
{
	struct ssh *h = calloc(1, sizeof *h);
	int rc;

	if (h == NULL || ssh_init() != SSH_OK) {
		free(h);
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libssh");
	}
	h->sess = ssh_new();
	wb_session_init(&c->s, &sh_io, h, &c->opts);
	if (h->sess == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libssh");
	rc = ssh_connect_checked(c, h, c->opts.deadline, err);
	if (rc == 0)
		rc = open_shell(h, err);
	if (rc != 0)
		return rc;
	/* Logged in: from here on !Exit is owed.  The banner comes after the
	 * first command is written and is skipped while matching its reply. */
	c->s.logged_in = 1;
	c->drv = &wb_integration_driver;
	return 0;
}
