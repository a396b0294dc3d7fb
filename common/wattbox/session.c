/* session.c — the WattBox Integration Protocol session (telnet and SSH
 * share it) and the value parsers.
 *
 * The protocol is plain ASCII, one message per line; the device ends
 * lines with LF over telnet and CRLF over SSH (both accepted, blank lines
 * skipped).  It does not pipeline (a second command before the first
 * reply gets garbage), so one command is in flight.  A line's first byte
 * says what it is: '?' a query reply "?Name=value", '~' an unsolicited
 * push (~OutletStatus=1,0,... whenever any outlet changes, from any
 * session, the front panel or a schedule), '#' for "#Error", and plain
 * text for "OK" and the login texts.  Replies are matched by name, never
 * by position: a late reply to an earlier command or a push arriving in
 * between would otherwise shift every value by one.  A few commands
 * answer slowly; the per-command wait (WB_CMD_MS) bounds them.  The unit
 * allows 10 sessions at once and leaked ones pile up, hence !Exit on
 * every way out. */
#include "wattbox/session.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/clock.h"
#include "core/json.h"

#define IAC 0xff
#define IAC_SB 0xfa
#define IAC_SE 0xf0
#define IAC_WILL 0xfb
#define IAC_DONT 0xfe

size_t
wb_iac_strip(const unsigned char *p, size_t n, struct pk_buf *out)
{
	size_t i = 0, start = 0;

	while (i < n) {
		size_t j;

		if (p[i] != IAC) {
			i++;
			continue;
		}
		pk_buf_add(out, p + start, i - start);
		if (i + 1 >= n)
			return i;              /* IAC alone: wait for the rest */
		if (p[i + 1] >= IAC_WILL && p[i + 1] <= IAC_DONT) {
			if (i + 2 >= n)
				return i;
			i += 3;
		} else if (p[i + 1] == IAC_SB) {
			/* Subnegotiation runs to IAC SE. */
			for (j = i + 2; j + 1 < n; j++)
				if (p[j] == IAC && p[j + 1] == IAC_SE)
					break;
			if (j + 1 >= n)
				return i;
			i = j + 2;
		} else {
			i += 2;                /* two-byte command, or IAC IAC */
		}
		start = i;
	}
	pk_buf_add(out, p + start, n - start);
	return n;
}

void
wb_session_init(struct wb_session *s, const struct wb_io *io, void *io_ctx,
                const struct pk_session_opts *opts)
{
	memset(s, 0, sizeof *s);
	s->io = io;
	s->io_ctx = io_ctx;
	s->opts = opts;
	s->trace = &opts->trace;
	s->cmd_ms = WB_CMD_MS;
}

/* Reads more bytes into s->in, enforcing the bound on total bytes. */
static int
session_fill(struct wb_session *s, int64_t deadline, struct pk_err *err)
{
	size_t before = s->in.len;
	int rc = s->io->read(s->io_ctx, &s->in, deadline, err);

	if (rc != 0)
		return rc;
	s->total += s->in.len - before;
	if (s->total > WB_TOTAL_MAX)
		return pk_err_set(err, PK_ECOMM, "overflow",
		                  "device sent more than %d bytes in one session", WB_TOTAL_MAX);
	return 0;
}

/* wb_next_line until deadline (a command's own, shorter one). */
static int
next_line(struct wb_session *s, struct pk_buf *line, int64_t deadline, struct pk_err *err)
{
	for (;;) {
		const char *nl = s->in.data ? memchr(s->in.data, '\n', s->in.len) : NULL;

		if (nl != NULL) {
			size_t len = (size_t)(nl - s->in.data);

			if (len > WB_LINE_MAX)
				break;
			pk_buf_reset(line);
			pk_buf_add(line, s->in.data, len > 0 && nl[-1] == '\r' ? len - 1 : len);
			pk_buf_consume(&s->in, len + 1);
			return 0;
		}
		if (s->in.len > WB_LINE_MAX)
			break;
		int rc = session_fill(s, deadline, err);
		if (rc != 0)
			return rc;
	}
	return pk_err_set(err, PK_ECOMM, "overflow", "device sent a line longer than %d bytes",
	                  WB_LINE_MAX);
}

static int
session_write_line(struct wb_session *s, const char *text, int secret, int64_t deadline,
                   struct pk_err *err)
{
	struct pk_buf b = { 0 };
	int rc;

	pk_trace(s->trace, '>', "%s", secret ? "********" : text);
	pk_buf_adds(&b, text);
	pk_buf_addc(&b, '\n');
	rc = s->io->write(s->io_ctx, b.data, b.len, deadline, err);
	pk_buf_free(&b);
	return rc;
}

int
wb_next_line(struct wb_session *s, struct pk_buf *line, struct pk_err *err)
{
	return next_line(s, line, s->opts->deadline, err);
}

/* ---- login ------------------------------------------------------------ */

/* Case-insensitive search in a buffer that may hold NUL bytes. */
static const char *
find_ci(const struct pk_buf *b, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; b->data != NULL && i + n <= b->len; i++)
		if (strncasecmp(b->data + i, needle, n) == 0)
			return b->data + i;
	return NULL;
}

static const char *
find_cs(const struct pk_buf *b, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; b->data != NULL && i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return b->data + i;
	return NULL;
}

/* "API is locked for 4 minutes and 39 seconds." -> exit 4 with the time. */
static int
lockout_error(const char *at, struct pk_err *err)
{
	const char *p = at;
	int min = -1, sec = -1;

	while (*p && *p != '\n' && !isdigit((unsigned char)*p))
		p++;
	if (sscanf(p, "%d minutes and %d seconds", &min, &sec) == 2)
		return pk_err_set(err, PK_EAUTH, "locked",
		                  "API locked after failed logins; try again in %d min %d s "
		                  "(never retried automatically)", min, sec);
	return pk_err_set(err, PK_EAUTH, "locked",
	                  "API locked after failed logins (device gave no time); wait "
	                  "before trying again");
}

/* The lockout text is acted on once its line is complete (or the device
 * closed), so the remaining time is in hand. */
static int
login_check_locked(struct wb_session *s, int closed, struct pk_err *err)
{
	const char *at = find_ci(&s->in, "locked");

	if (at == NULL)
		return 0;
	if (!closed && memchr(at, '\n', (size_t)(s->in.data + s->in.len - at)) == NULL)
		return 0;
	return lockout_error(at, err);
}

/* Drops everything up to and including needle's end. */
static void
consume_through(struct wb_session *s, const char *at, const char *needle)
{
	pk_buf_consume(&s->in, (size_t)(at - s->in.data) + strlen(needle));
}

enum login_phase { WANT_USER, WANT_PASS, WANT_RESULT };

/* One look at the buffer: 1 = logged in, 0 = wait for more, else a status. */
static int
login_step(struct wb_session *s, enum login_phase *ph, const char *user,
           const char *pass, int64_t deadline, struct pk_err *err)
{
	const char *at;
	int rc = login_check_locked(s, 0, err);

	if (rc != 0)
		return rc;
	if (*ph != WANT_USER && find_cs(&s->in, "Invalid Login") != NULL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "Invalid Login for user '%s' (not retried: a few failures "
		                  "lock the API)", user);
	if (*ph == WANT_USER && (at = find_cs(&s->in, "Username:")) != NULL) {
		consume_through(s, at, "Username:");
		*ph = WANT_PASS;
		return session_write_line(s, user, 0, deadline, err);
	}
	if (*ph == WANT_PASS && (at = find_cs(&s->in, "Password:")) != NULL) {
		consume_through(s, at, "Password:");
		*ph = WANT_RESULT;
		return session_write_line(s, pass, 1, deadline, err);
	}
	if (*ph != WANT_USER && find_cs(&s->in, "Username:") != NULL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "login refused for user '%s' (prompted again)", user);
	if (*ph == WANT_RESULT && (at = find_cs(&s->in, "Successfully Logged In!")) != NULL) {
		consume_through(s, at, "Successfully Logged In!");
		return 1;   /* the line's end is skipped as a blank line later */
	}
	if (s->in.len > WB_LINE_MAX)
		return pk_err_set(err, PK_ECOMM, "protocol",
		                  "no login prompt in %zu bytes: not a WattBox?", s->in.len);
	return 0;
}

int
wb_login(struct wb_session *s, const char *user, const char *pass, struct pk_err *err)
{
	enum login_phase ph = WANT_USER;
	int64_t deadline = s->opts->deadline;

	for (;;) {
		int rc = login_step(s, &ph, user, pass, deadline, err);

		if (rc == 1)
			break;
		if (rc != 0)
			return rc;
		rc = session_fill(s, deadline, err);
		if (rc != 0 && strcmp(err->kind, "closed") == 0) {
			if (login_check_locked(s, 1, err) != 0)
				return err->status;
			return pk_err_set(err, PK_ECOMM, "closed",
			                  ph == WANT_USER
			                  ? "device closed the connection before the login prompt "
			                    "(it allows 10 sessions; are others left open?)"
			                  : "device closed the connection during login");
		}
		if (rc != 0) {
			if (strcmp(err->kind, "timeout") == 0)
				pk_err_prefix(err, ph == WANT_USER ? "no login prompt" : "login");
			return rc;
		}
	}
	s->logged_in = 1;
	pk_trace(s->trace, '*', "logged in");
	return 0;
}

/* ---- commands ----------------------------------------------------------- */

int
wb_match_reply(const char *cmd, enum wb_want want, const char *line, const char **value)
{
	*value = NULL;
	if (line[0] == '\0' || strcmp(line, cmd) == 0)
		return 0;                     /* blank, or the echo of cmd */
	if (strcmp(line, "#Error") == 0)
		return -1;
	if (want == WB_OUTLETSET && strncmp(line, "~OutletStatus=", 14) == 0) {
		*value = line + 14;
		return 1;
	}
	if (want != WB_QUERY)
		return strcmp(line, "OK") == 0 ? 1 : 0;
	/* ?Name=value; a query with an argument gets it echoed first. */
	const char *eq = strchr(cmd, '=');
	size_t nlen = eq ? (size_t)(eq - cmd) : strlen(cmd);
	if (strncmp(line, cmd, nlen) != 0 || line[nlen] != '=')
		return 0;
	if (eq != NULL) {
		size_t alen = strlen(eq + 1);
		if (strncmp(line + nlen + 1, eq + 1, alen) != 0 || line[nlen + 1 + alen] != ',')
			return 0;
	}
	*value = line + nlen + 1;
	return 1;
}

static void
collect_push(struct wb_session *s, const char *line)
{
	s->pushes++;
	if (strncmp(line, "~OutletStatus=", 14) == 0)
		snprintf(s->push, sizeof s->push, "%s", line + 14);
}

int
wb_command(struct wb_session *s, const char *cmd, enum wb_want want, char *value,
           size_t vlen, struct pk_err *err)
{
	struct pk_buf line = { 0 };
	int64_t deadline = s->opts->deadline, until = pk_now_ms() + s->cmd_ms;
	int rc;

	/* Over SSH the device says nothing before the first command (its
	 * banner follows that write) and its shell may still be starting: on
	 * a slow or busy unit the first reply takes longer than a command's
	 * usual wait.  Until the device has sent anything, only the deadline
	 * bounds the wait. */
	if (until > deadline || s->total == 0)
		until = deadline;
	s->round_trips++;
	rc = session_write_line(s, cmd, 0, deadline, err);
	while (rc == 0) {
		const char *v;
		int m;

		rc = next_line(s, &line, until, err);
		if (rc != 0)
			break;
		pk_trace(s->trace, '<', "%s", pk_buf_str(&line));
		m = wb_match_reply(cmd, want, pk_buf_str(&line), &v);
		if (line.data != NULL && line.data[0] == '~')
			collect_push(s, line.data);
		if (m == 0 && strchr("?~#", pk_buf_str(&line)[0]) == NULL && find_ci(&line, "locked")) {
			/* Over SSH the lockout comes in place of the banner. */
			rc = lockout_error(line.data, err);
			break;
		}
		if (m < 0) {
			rc = pk_err_set(err, PK_EREFUSED, "error", "device answered #Error to %s", cmd);
			break;
		}
		if (m > 0) {
			if (value != NULL)
				snprintf(value, vlen, "%s", v ? v : "");
			break;
		}
	}
	if (rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0)
		pk_err_set(err, PK_ECOMM, "timeout", "no reply to %s within %lld ms", cmd,
		           (long long)s->cmd_ms);
	pk_buf_free(&line);
	return rc;
}

void
wb_session_close(struct wb_session *s)
{
	if (s->io == NULL)
		return;
	if (s->logged_in) {
		struct pk_err ignored;
		/* The session cap is 10: always say goodbye, briefly. */
		session_write_line(s, "!Exit", 0, pk_deadline_in(500), &ignored);
		s->logged_in = 0;
	}
	s->io->close(s->io_ctx);
	s->io = NULL;
	pk_buf_free(&s->in);
}

/* ---- values ------------------------------------------------------------- */

int
wb_parse_names(const char *v, char names[][WB_NAME_MAX], int max)
{
	int n = 0;

	if (*v == '\0')
		return 0;
	while (*v) {
		const char *end;

		if (*v != '{' || n >= max)
			return -1;
		v++;
		/* A name ends at "}," + "{" or at a final "}": names may hold
		 * commas and spaces (and, in theory, braces). */
		for (end = v; *end; end++)
			if (end[0] == '}' && (end[1] == '\0' || (end[1] == ',' && end[2] == '{')))
				break;
		if (*end == '\0')
			return -1;
		snprintf(names[n++], WB_NAME_MAX, "%.*s", (int)(end - v), v);
		v = end + 1;
		if (*v == ',')
			v++;
	}
	return n;
}

int
wb_parse_states(const char *v, int *states, int max)
{
	int n = 0;

	while (*v) {
		if ((*v != '0' && *v != '1') || n >= max)
			return -1;
		states[n++] = *v++ - '0';
		if (*v == ',' && v[1] != '\0')
			v++;
		else if (*v != '\0')
			return -1;
	}
	return n;
}

int
wb_parse_numbers(const char *v, double *out, int max)
{
	int n = 0;

	for (;;) {
		size_t len = strcspn(v, ",");
		char num[PK_READING_MAX + 1];

		/* Strict: a plain finite decimal ("1e300", "0x10", "nan" are
		 * malformed, never readings). */
		if (n >= max || len > PK_READING_MAX)
			return -1;
		memcpy(num, v, len);
		num[len] = '\0';
		if (pk_reading_parse(num, &out[n++]) != 0)
			return -1;
		v += len;
		if (*v == '\0')
			return n;
		v++;
	}
}

int
wb_parse_plain_names(const char *v, char names[][WB_NAME_MAX], int max)
{
	int n = 0;

	for (;;) {
		size_t len = strcspn(v, ",");

		if (n >= max)
			return -1;
		snprintf(names[n++], WB_NAME_MAX, "%.*s", (int)len, v);
		if (v[len] == '\0')
			return n;
		v += len + 1;
	}
}

int
wb_xml_tag(const char *body, const char *tag, char *out, size_t outlen)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	a = strstr(body, open);
	if (a == NULL)
		return -1;
	a += strlen(open);
	b = strstr(a, close);
	if (b == NULL)
		return -1;
	snprintf(out, outlen, "%.*s", (int)(b - a), a);
	return 0;
}
