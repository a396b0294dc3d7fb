#include "nut/client.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/buf.h"

/* ---- words ---------------------------------------------------------- */

int
nut_tokenize(const char *line, size_t len, struct nut_words *out)
{
	char *o = out->store;
	size_t i = 0;

	out->n = 0;
	if (len > NUT_MAX_LINE)
		return -1;
	for (;;) {
		int quoted = 0, closed = 0;
		char *start;

		while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
			i++;
		if (i >= len || line[i] == '#')
			return 0;
		if (out->n == NUT_MAX_WORDS)
			return -1;
		start = o;
		out->w[out->n++] = o;
		for (; i < len; i++) {
			char ch = line[i];

			if (ch == '\\') {
				if (++i >= len)
					return -1;
				*o++ = line[i];
			} else if (quoted) {
				if (ch == '"') {
					closed = 1;
					i++;
					break;
				}
				*o++ = ch;
			} else if (ch == '"') {
				if (o != start)
					break;  /* a quote after text starts the next word */
				quoted = 1;
			} else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '#') {
				break;
			} else {
				*o++ = ch;
			}
		}
		if (quoted && !closed)
			return -1;
		*o++ = '\0';
	}
}

int
nut_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

int
nut_append_word(struct pk_buf *b, const char *s, int quote, struct pk_err *err)
{
	if (!nut_printable(s))
		/* No echo of the text: it may be a password. */
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "only printable ASCII (0x20-0x7E) can be sent to upsd");
	/* A word is sent bare unless it must be quoted, as upsclient sends
	 * USERNAME and PASSWORD: ESPHome's nut_server takes the rest of the
	 * line raw, so there "monitor" in quotes is a user with quotes. */
	if (s[0] == '\0' || strpbrk(s, " \"\\#") != NULL)
		quote = 1;
	if (quote)
		pk_buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '\\' || *s == '"' || *s == '#')
			pk_buf_addc(b, '\\');
		pk_buf_addc(b, *s);
	}
	if (quote)
		pk_buf_addc(b, '"');
	return 0;
}

/* ---- ERR words -------------------------------------------------------- */

struct nut_errmap {
	const char *word;
	enum pk_status status;
	const char *text;
};

/* Every ERR code upsd 2.8 sends (one word, nothing after it), plus the
 * ones it documents but never sends (INVALID-USERNAME, INVALID-PASSWORD)
 * and the legacy ones libupsclient still maps by prefix. */
static const struct nut_errmap nut_errors[] = {
	{ "ACCESS-DENIED", PK_EAUTH, "access denied" },
	{ "USERNAME-REQUIRED", PK_EAUTH, "user name required" },
	{ "PASSWORD-REQUIRED", PK_EAUTH, "password required" },
	{ "INVALID-PASSWORD", PK_EAUTH, "invalid password" },
	{ "INVALID-USERNAME", PK_EAUTH, "invalid user name" },
	{ "PASSWORD-INCORRECT", PK_EAUTH, "password incorrect" },
	{ "UNKNOWN-UPS", PK_ENOTFOUND, "unknown UPS" },
	{ "VAR-NOT-SUPPORTED", PK_ENOTFOUND, "variable not supported by the UPS" },
	{ "CMD-NOT-SUPPORTED", PK_ENOTFOUND, "instant command not supported by the UPS" },
	{ "VAR-UNKNOWN", PK_ENOTFOUND, "unknown variable" },
	{ "UNKNOWN-VAR", PK_ENOTFOUND, "unknown variable" },
	{ "UNKNOWN-INSTCMD", PK_ENOTFOUND, "unknown instant command" },
	{ "DATA-STALE", PK_EREFUSED, "data stale: the driver has no fresh data" },
	{ "DRIVER-NOT-CONNECTED", PK_EREFUSED, "driver not connected to upsd" },
	{ "READONLY", PK_EREFUSED, "read-only variable" },
	{ "TOO-LONG", PK_EREFUSED, "value too long for the variable" },
	{ "INVALID-VALUE", PK_EREFUSED, "invalid value for the variable" },
	{ "INVALID-ARGUMENT", PK_EREFUSED, "invalid argument" },
	{ "MISSING-ARGUMENT", PK_EREFUSED, "missing argument" },
	{ "UNKNOWN-TYPE", PK_EREFUSED, "unknown type" },
	{ "SET-FAILED", PK_EREFUSED, "set failed" },
	{ "INSTCMD-FAILED", PK_EREFUSED, "instant command failed" },
	{ "UNKNOWN-COMMAND", PK_EREFUSED, "unknown command" },
	{ "FEATURE-NOT-SUPPORTED", PK_EREFUSED, "feature not supported by the server" },
	{ "FEATURE-NOT-CONFIGURED", PK_EREFUSED, "feature not configured on the server" },
	{ "ALREADY-SSL-MODE", PK_EREFUSED, "already in TLS mode" },
	{ "ALREADY-LOGGED-IN", PK_EREFUSED, "already logged in" },
	{ "ALREADY-SET-PASSWORD", PK_EREFUSED, "password already set" },
	{ "ALREADY-SET-USERNAME", PK_EREFUSED, "user name already set" },
	{ "FAILED", PK_EREFUSED, "failed" },
	{ "UNKNOWN", PK_EREFUSED, "unknown error" },
};

int
nut_err_from_word(struct pk_err *err, const char *word, const char *what)
{
	const char *text = "error";
	enum pk_status status = PK_EREFUSED;
	size_t i;
	char kind[40];

	for (i = 0; i < sizeof nut_errors / sizeof nut_errors[0]; i++) {
		if (strcmp(word, nut_errors[i].word) == 0) {
			text = nut_errors[i].text;
			status = nut_errors[i].status;
			break;
		}
	}
	/* The kind is the server's word when it is a sane one. */
	snprintf(kind, sizeof kind, "%s", nut_printable(word) && word[0] ? word : "ERR");
	if (what != NULL && what[0] != '\0')
		return pk_err_set(err, status, kind, "%s: %s (server said ERR %.60s)",
		                  what, text, word);
	return pk_err_set(err, status, kind, "%s (server said ERR %.60s)", text, word);
}

int
nut_err_is_unsupported(const char *word)
{
	return strcmp(word, "UNKNOWN-COMMAND") == 0 || strcmp(word, "INVALID-ARGUMENT") == 0 ||
	       strcmp(word, "FEATURE-NOT-SUPPORTED") == 0 ||
	       strcmp(word, "FEATURE-NOT-CONFIGURED") == 0;
}

/* ---- the handle ------------------------------------------------------- */

void
nut_init(struct nut_client *c, const struct pk_session_opts *opts)
{
	memset(c, 0, sizeof *c);
	pk_conn_init(&c->conn);
	c->conn.max_in = 256 * 1024;
	c->opts = *opts;
}

int
nut_begin(struct nut_client *c, const char *host, const char *port, struct pk_err *err)
{
	if (strchr(host, ':') != NULL)
		snprintf(c->where, sizeof c->where, "[%s]:%s", host, port);
	else
		snprintf(c->where, sizeof c->where, "%s:%s", host, port);
	pk_trace(&c->opts.trace, '*', "connecting to %s", c->where);
	return pk_conn_begin(&c->conn, host, port, SOCK_STREAM, c->opts.deadline, err);
}

int
nut_connect(struct nut_client *c, const char *host, const char *port, struct pk_err *err)
{
	int rc = nut_begin(c, host, port, err);

	while (rc == 0 && c->conn.state == PK_CONN_CONNECTING)
		rc = pk_conn_step(&c->conn, c->opts.deadline, err);
	if (rc == 0)
		pk_trace(&c->opts.trace, '*', "connected");
	if (rc == 0 && c->tls.mode != PK_TLS_OFF)
		rc = nut_starttls(c, err);
	return rc;
}

void
nut_set_tls(struct nut_client *c, const struct pk_tls_opts *tls)
{
	c->tls = *tls;
}

/* ---- STARTTLS ------------------------------------------------------------ */

/* upsd answers STARTTLS with "OK STARTTLS" and then expects the client's
 * TLS handshake on the same socket; nothing else may be pipelined behind
 * the request, since upsd would read it as the start of the handshake.
 * A server without a certificate answers ERR FEATURE-NOT-CONFIGURED,
 * one built without TLS ERR FEATURE-NOT-SUPPORTED, an old or minimal
 * one ERR UNKNOWN-COMMAND; upsd never requires TLS of a client. */
int
nut_starttls_send(struct nut_client *c, struct pk_err *err)
{
	return nut_send(c, "STARTTLS", 0, NULL, 0, err);
}

int
nut_starttls_read(struct nut_client *c, struct pk_err *err)
{
	int rc = nut_reply(c, NULL, err);

	if (rc == PK_EREFUSED || rc == PK_EAUTH || rc == PK_ENOTFOUND) {
		/* The server's refusal; the connection itself is fine. */
		char why[PK_ERR_MSG_MAX];

		snprintf(why, sizeof why, "%s", err->msg);
		if (c->tls.mode == PK_TLS_TRY) {
			pk_session_warn(&c->opts, "no TLS: the server refused STARTTLS: %s; going on in clear",
			                why);
			pk_err_clear(err);
			return 0;
		}
		return pk_err_set(err, PK_ECOMM, "tls", "TLS required, but %s refused STARTTLS: %.300s",
		                  c->where, why);
	}
	if (rc != 0)
		return rc;
	if (c->words.n != 2 || strcmp(c->words.w[0], "OK") != 0 ||
	    strcmp(c->words.w[1], "STARTTLS") != 0)
		return pk_err_set(err, PK_ECOMM, "malformed", "%s: unexpected reply to STARTTLS: '%s'",
		                  c->where, nut_excerpt(c));
	pk_trace(&c->opts.trace, '*', "TLS handshake%s",
	         c->tls.insecure ? " (certificate not checked)" : "");
	return pk_conn_start_tls(&c->conn, &c->tls, err);
}

int
nut_starttls(struct nut_client *c, struct pk_err *err)
{
	int rc = nut_starttls_send(c, err);

	if (rc == 0)
		rc = nut_starttls_read(c, err);
	while (rc == 0 && c->conn.tls_handshaking)
		rc = pk_conn_step(&c->conn, c->opts.deadline, err);
	if (rc == 0)
		nut_trace_tls(c);
	return rc;
}

void
nut_trace_tls(struct nut_client *c)
{
	char desc[120];

	if (c->tls_traced || c->conn.tls == NULL || c->conn.tls_handshaking)
		return;
	pk_tls_describe(c->conn.tls, desc, sizeof desc);
	pk_trace(&c->opts.trace, '*', "TLS: %s", desc);
	c->tls_traced = 1;
}

int
nut_send(struct nut_client *c, const char *verb, size_t nargs, const char *const *args,
         int quote_last, struct pk_err *err)
{
	struct pk_buf req = { 0 };
	size_t i;
	int rc = 0;

	pk_buf_adds(&req, verb);
	for (i = 0; i < nargs && rc == 0; i++) {
		pk_buf_addc(&req, ' ');
		rc = nut_append_word(&req, args[i], quote_last && i + 1 == nargs, err);
	}
	if (rc == 0) {
		if (strcmp(verb, "PASSWORD") == 0)
			pk_trace(&c->opts.trace, '>', "PASSWORD ********");
		else
			pk_trace(&c->opts.trace, '>', "%s", pk_buf_str(&req));
		pk_buf_addc(&req, '\n');
		if (pk_conn_queue(&c->conn, req.data, req.len) != 0)
			rc = pk_err_set(err, PK_ECOMM, "memory", "out of memory");
		else
			c->pending++;
	}
	if (req.data != NULL)
		pk_secret_wipe(req.data, req.len);  /* it may hold a password */
	pk_buf_free(&req);
	return rc;
}

int
nut_flush(struct nut_client *c, struct pk_err *err)
{
	return pk_conn_flush(&c->conn, c->opts.deadline, err);
}

int
nut_poll_line(struct nut_client *c, struct pk_err *err)
{
	int r = pk_conn_take_line(&c->conn, &c->line, NUT_MAX_LINE);

	if (r < 0)
		return -pk_err_set(err, PK_ECOMM, "malformed",
		                   "%s sent a reply line longer than %d bytes", c->where,
		                   NUT_MAX_LINE);
	if (r == 0) {
		if (c->conn.peer_closed)
			return -pk_err_set(err, PK_ECOMM, "closed",
			                   "%s closed the connection before replying", c->where);
		return 0;
	}
	pk_trace(&c->opts.trace, '<', "%s", pk_buf_str(&c->line));
	if (c->pending > 0)
		c->pending--;
	/* A NUL would silently cut words short: that is no NUT reply. */
	if (memchr(pk_buf_str(&c->line), '\0', c->line.len) != NULL ||
	    nut_tokenize(pk_buf_str(&c->line), c->line.len, &c->words) != 0 || c->words.n == 0)
		return -pk_err_set(err, PK_ECOMM, "malformed", "%s sent a malformed reply",
		                   c->where);
	return 1;
}

int
nut_read_line(struct nut_client *c, struct pk_err *err)
{
	for (;;) {
		int r = nut_poll_line(c, err);

		if (r > 0)
			return 0;
		if (r < 0)
			return -r;
		r = pk_conn_step(&c->conn, c->opts.deadline, err);
		if (r != 0) {
			if (err && strcmp(err->kind, "timeout") == 0)
				pk_err_set(err, PK_ECOMM, "timeout", "timed out %s %s",
				           c->conn.tls_handshaking ? "in the TLS handshake with"
				                                   : "waiting for", c->where);
			return r;
		}
	}
}

const char *
nut_excerpt(struct nut_client *c)
{
	size_t i, n = c->line.len < sizeof c->excerpt - 1 ? c->line.len : sizeof c->excerpt - 1;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)c->line.data[i];
		c->excerpt[i] = (ch >= 0x20 && ch <= 0x7e) ? (char)ch : '?';
	}
	c->excerpt[n] = '\0';
	return c->excerpt;
}

static int
words_is_err(const struct nut_client *c)
{
	return strcmp(c->words.w[0], "ERR") == 0;
}

static int
words_err(struct nut_client *c, const char *what, struct pk_err *err)
{
	return nut_err_from_word(err, c->words.n > 1 ? c->words.w[1] : "", what);
}

int
nut_reply(struct nut_client *c, const char *what, struct pk_err *err)
{
	int rc = nut_read_line(c, err);

	if (rc != 0)
		return rc;
	if (words_is_err(c))
		return words_err(c, what, err);
	return 0;
}

static int
words_are(const struct nut_client *c, const char *a, const char *b)
{
	return c->words.n >= 2 && strcmp(c->words.w[0], a) == 0 &&
	       strcmp(c->words.w[1], b) == 0;
}

int
nut_list_begin(struct nut_client *c, const char *what, struct pk_err *err)
{
	int rc = nut_reply(c, what, err);

	if (rc != 0)
		return rc;
	if (!words_are(c, "BEGIN", "LIST"))
		return pk_err_set(err, PK_ECOMM, "malformed",
		                  "%s: expected BEGIN LIST, got '%s'", c->where,
		                  nut_excerpt(c));
	c->list_lines = 0;
	c->list_bytes = 0;
	return 0;
}

/* Counts one more item of the list being read against its budget.  Over
 * it, the connection is given up: what follows is more of the same
 * list, never the reply to a later request. */
static int
list_budget(struct nut_client *c, struct pk_err *err)
{
	struct pk_err over = { 0 };

	c->list_lines++;
	c->list_bytes += c->line.len + 1;
	if (c->list_lines > NUT_LIST_MAX_LINES)
		pk_err_set(&over, PK_ECOMM, "overflow", "%s sent a list longer than %d lines",
		           c->where, NUT_LIST_MAX_LINES);
	else if (c->list_bytes > NUT_LIST_MAX_BYTES)
		pk_err_set(&over, PK_ECOMM, "overflow", "%s sent a list larger than %d bytes",
		           c->where, NUT_LIST_MAX_BYTES);
	else
		return 0;
	pk_conn_fail(&c->conn, &over);
	if (err)
		*err = over;
	return over.status;
}

int
nut_list_next(struct nut_client *c, int *done, struct pk_err *err)
{
	int rc = nut_read_line(c, err);

	*done = 0;
	if (rc != 0)
		return rc;
	if (words_is_err(c))
		return words_err(c, NULL, err);
	if (words_are(c, "END", "LIST")) {
		*done = 1;
		return 0;
	}
	/* Inside a list every line is one more reply to the same request. */
	c->pending++;
	return list_budget(c, err);
}

void
nut_close(struct nut_client *c)
{
	if (c->conn.state == PK_CONN_OPEN && !c->conn.peer_closed) {
		/* Polite but without waiting: the server closes on its side. */
		static const char bye[] = "LOGOUT\n";
		pk_buf_reset(&c->conn.out);
		pk_conn_queue(&c->conn, bye, sizeof bye - 1);
		pk_trace(&c->opts.trace, '>', "LOGOUT");
		pk_conn_handle(&c->conn, 0);
	}
	pk_conn_close(&c->conn);
	pk_buf_free(&c->line);
}

/* ---- verbs ------------------------------------------------------------ */

static int
send_args(struct nut_client *c, const char *verb, int quote_last, struct pk_err *err,
          const char *a0, const char *a1, const char *a2)
{
	const char *args[3] = { a0, a1, a2 };
	size_t n = a0 == NULL ? 0 : a1 == NULL ? 1 : a2 == NULL ? 2 : 3;

	return nut_send(c, verb, n, args, quote_last, err);
}

int
nut_get_var(struct nut_client *c, const char *ups, const char *var, char *out,
            size_t outlen, struct pk_err *err)
{
	int rc = send_args(c, "GET VAR", 0, err, ups, var, NULL);

	if (rc == 0)
		rc = nut_reply(c, var, err);
	if (rc != 0)
		return rc;
	if (c->words.n < 4 || strcmp(c->words.w[0], "VAR") != 0)
		return pk_err_set(err, PK_ECOMM, "malformed", "%s: unexpected reply to GET VAR",
		                  c->where);
	snprintf(out, outlen, "%s", c->words.w[3]);
	return 0;
}

int
nut_auth_send(struct nut_client *c, const char *user, const char *pass, size_t *sent,
              struct pk_err *err)
{
	int rc = 0;

	*sent = 0;
	if (user != NULL && (rc = send_args(c, "USERNAME", 0, err, user, NULL, NULL)) == 0)
		(*sent)++;
	if (rc == 0 && pass != NULL && (rc = send_args(c, "PASSWORD", 0, err, pass, NULL, NULL)) == 0)
		(*sent)++;
	return rc;
}

int
nut_auth_read(struct nut_client *c, size_t sent, struct pk_err *err)
{
	int rc = 0;

	while (rc == 0 && sent-- > 0)
		rc = nut_reply(c, "login", err);
	/* Minimal servers (ESPHome) check the password at once. */
	if (rc == PK_EAUTH && err != NULL && strcmp(err->kind, "ACCESS-DENIED") == 0)
		pk_err_set(err, PK_EAUTH, "ACCESS-DENIED",
		           "login refused: wrong user name or password (server said ERR ACCESS-DENIED)");
	return rc;
}

int
nut_auth(struct nut_client *c, const char *user, const char *pass, struct pk_err *err)
{
	size_t sent;
	int rc = nut_auth_send(c, user, pass, &sent, err);

	return rc != 0 ? rc : nut_auth_read(c, sent, err);
}

/* Joins words[from..] with single spaces into out. */
static void
words_join(const struct nut_words *w, size_t from, char *out, size_t outlen)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = from; i < w->n && off + 1 < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%s", i > from ? " " : "", w->w[i]);
}

int
nut_ask_text(struct nut_client *c, const char *verb, char *out, size_t outlen,
             int *supported, struct pk_err *err)
{
	int rc = send_args(c, verb, 0, err, NULL, NULL, NULL);

	*supported = 1;
	out[0] = '\0';
	if (rc == 0)
		rc = nut_reply(c, verb, err);
	if (rc != 0 && err != NULL && strcmp(err->kind, "UNKNOWN-COMMAND") == 0) {
		*supported = 0;
		return 0;
	}
	if (rc == 0)
		words_join(&c->words, 0, out, outlen);
	return rc;
}

void
nut_version_text(const struct nut_words *w, char *out, size_t outlen)
{
	if (w->n == 2 && strcmp(w->w[0], "VERSION") == 0)
		snprintf(out, outlen, "%s", w->w[1]);
	else
		words_join(w, 0, out, outlen);
}

int
nut_server_version(struct nut_client *c, char *out, size_t outlen, int *supported,
                   struct pk_err *err)
{
	static const char *const verbs[] = { "VER", "VERSION", "UPSDVER" };
	size_t i;
	int rc = 0;

	*supported = 0;
	out[0] = '\0';
	for (i = 0; rc == 0 && !*supported && i < sizeof verbs / sizeof verbs[0]; i++) {
		rc = nut_ask_text(c, verbs[i], out, outlen, supported, err);
		if (rc == 0 && *supported)
			nut_version_text(&c->words, out, outlen);
	}
	return rc;
}

int
nut_tracking_on(struct nut_client *c, int *on, struct pk_err *err)
{
	int rc = send_args(c, "SET TRACKING", 0, err, "ON", NULL, NULL);

	*on = 0;
	if (rc == 0)
		rc = nut_reply(c, "SET TRACKING", err);
	if (rc == 0) {
		*on = 1;
		return 0;
	}
	if (err != NULL && nut_err_is_unsupported(err->kind)) {
		pk_trace(&c->opts.trace, '*', "server has no TRACKING");
		pk_err_clear(err);
		return 0;
	}
	return rc;
}

int
nut_reply_tracked(struct nut_client *c, const char *what, char *id, size_t idlen,
                  struct pk_err *err)
{
	int rc = nut_reply(c, what, err);

	id[0] = '\0';
	if (rc != 0)
		return rc;
	if (strcmp(c->words.w[0], "OK") != 0)
		return pk_err_set(err, PK_ECOMM, "malformed", "%s: %s: unexpected reply '%s'",
		                  c->where, what, nut_excerpt(c));
	if (c->words.n >= 3 && strcmp(c->words.w[1], "TRACKING") == 0)
		snprintf(id, idlen, "%s", c->words.w[2]);
	return 0;
}

int
nut_tracking_wait(struct nut_client *c, const char *id, int interval_ms, char *result,
                  size_t rlen, struct pk_err *err)
{
	for (;;) {
		int rc = send_args(c, "GET TRACKING", 0, err, id, NULL, NULL);

		if (rc == 0)
			rc = nut_read_line(c, err);
		if (rc != 0)
			return rc;
		if (words_is_err(c)) {
			snprintf(result, rlen, "%s", c->words.n > 1 ? c->words.w[1] : "ERR");
			return 0;
		}
		snprintf(result, rlen, "%s", c->words.w[0]);
		if (strcmp(result, "PENDING") != 0)
			return 0;
		if (pk_ms_left(c->opts.deadline) <= interval_ms)
			return pk_err_set(err, PK_EREFUSED, "timeout",
			                  "no result before the timeout (still PENDING)");
		pk_sleep_ms(interval_ms, c->opts.deadline);
	}
}

int
nut_login(struct nut_client *c, const char *ups, struct pk_err *err)
{
	int rc = send_args(c, "LOGIN", 0, err, ups, NULL, NULL);

	return rc ? rc : nut_reply(c, "LOGIN", err);
}

/* Forced shutdown is three requests on one logged-in connection: LOGIN
 * (the connection becomes a client of the UPS), PRIMARY (the right to
 * set FSD), FSD. */
static const char *const fsd_verbs[] = { "LOGIN", "PRIMARY", "FSD" };

int
nut_fsd_requests(struct pk_buf *b, const char *ups, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof fsd_verbs / sizeof fsd_verbs[0]; i++) {
		pk_buf_printf(b, "%s ", fsd_verbs[i]);
		rc = nut_append_word(b, ups, 0, err);
		pk_buf_addc(b, '\n');
	}
	return rc;
}

int
nut_fsd(struct nut_client *c, const char *ups, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof fsd_verbs / sizeof fsd_verbs[0]; i++) {
		rc = send_args(c, fsd_verbs[i], 0, err, ups, NULL, NULL);
		if (rc == 0)
			rc = nut_reply(c, fsd_verbs[i], err);
		/* Servers before 2.8.0 only know PRIMARY's deprecated name MASTER. */
		if (rc != 0 && strcmp(fsd_verbs[i], "PRIMARY") == 0 && err != NULL &&
		    strcmp(err->kind, "UNKNOWN-COMMAND") == 0) {
			rc = send_args(c, "MASTER", 0, err, ups, NULL, NULL);
			if (rc == 0)
				rc = nut_reply(c, "MASTER", err);
		}
	}
	if (rc == 0 && strcmp(c->words.w[0], "OK") != 0)
		rc = pk_err_set(err, PK_ECOMM, "malformed", "%s: unexpected reply to FSD",
		                c->where);
	return rc;
}
