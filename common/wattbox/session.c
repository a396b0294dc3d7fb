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

/* Takes one line from s->in (after the s->in_taken bytes already taken)
 * into line: 1 = taken, 0 = none complete yet, else PK_ECOMM for a line
 * longer than WB_LINE_MAX.  The lines taken leave the buffer in one move
 * after the look (session_handle): a line at a time, a device that sends
 * thousands of lines at once would have them moved thousands of times. */
static int
take_line(struct wb_session *s, struct pk_buf *line, struct pk_err *err)
{
	int rc = pk_buf_take_line(&s->in, &s->in_taken, line, WB_LINE_MAX);

	if (rc < 0)
		return pk_err_set(err, PK_ECOMM, "overflow",
		                  "device sent a line longer than %d bytes", WB_LINE_MAX);
	return rc;
}

static int
session_write_line(struct wb_session *s, const char *text, int secret, struct pk_err *err)
{
	struct pk_buf b = { 0 };
	int rc;

	pk_trace(s->trace, '>', "%s", secret ? "********" : text);
	pk_buf_adds(&b, text);
	pk_buf_addc(&b, '\n');
	rc = s->io->send(s->io_ctx, b.data, b.len, err);
	pk_buf_free(&b);
	return rc;
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

/* "API is locked for 4 minutes and 39 seconds." -> exit 4 with the time
 * (also in s->lock_s, for a watch that waits it out). */
static int
lockout_error(struct wb_session *s, const char *at, struct pk_err *err)
{
	const char *p = at;
	int min = -1, sec = -1;

	while (*p && *p != '\n' && !isdigit((unsigned char)*p))
		p++;
	s->lock_s = -1;
	if (sscanf(p, "%d minutes and %d seconds", &min, &sec) == 2 && min >= 0 && sec >= 0) {
		s->lock_s = min * 60 + sec;
		return pk_err_set(err, PK_EAUTH, "locked",
		                  "API locked after failed logins; try again in %d min %d s "
		                  "(never retried automatically)", min, sec);
	}
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
	return lockout_error(s, at, err);
}

/* Drops everything up to and including needle's end. */
static void
consume_through(struct wb_session *s, const char *at, const char *needle)
{
	pk_buf_consume(&s->in, (size_t)(at - s->in.data) + strlen(needle));
}

enum login_phase { WANT_USER, WANT_PASS, WANT_RESULT };

/* What an operation's look at the input returns when it ended well (0
 * is "wait for more", a status a failure; PK_EREFUSED is 1). */
#define OP_DONE (-1)

/* One look at the buffer: OP_DONE = logged in, 0 = wait for more, else a
 * status. */
static int
login_step(struct wb_session *s, struct pk_err *err)
{
	const char *at;
	int rc = login_check_locked(s, 0, err);

	if (rc != 0)
		return rc;
	if (s->phase != WANT_USER && find_cs(&s->in, "Invalid Login") != NULL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "Invalid Login for user '%s' (not retried: a few failures "
		                  "lock the API)", s->user);
	if (s->phase == WANT_USER && (at = find_cs(&s->in, "Username:")) != NULL) {
		consume_through(s, at, "Username:");
		s->phase = WANT_PASS;
		return session_write_line(s, s->user, 0, err);
	}
	if (s->phase == WANT_PASS && (at = find_cs(&s->in, "Password:")) != NULL) {
		consume_through(s, at, "Password:");
		s->phase = WANT_RESULT;
		return session_write_line(s, s->pass, 1, err);
	}
	if (s->phase != WANT_USER && find_cs(&s->in, "Username:") != NULL)
		return pk_err_set(err, PK_EAUTH, "login",
		                  "login refused for user '%s' (prompted again)", s->user);
	if (s->phase == WANT_RESULT &&
	    (at = find_cs(&s->in, "Successfully Logged In!")) != NULL) {
		consume_through(s, at, "Successfully Logged In!");
		return OP_DONE;   /* the line's end is skipped as a blank line later */
	}
	if (s->in.len > WB_LINE_MAX)
		return pk_err_set(err, PK_ECOMM, "protocol",
		                  "no login prompt in %zu bytes: not a WattBox?", s->in.len);
	return 0;
}

/* The login's reading of a transport failure: a close may carry the
 * lockout text, or hint at the session cap. */
static int
login_failed(struct wb_session *s, struct pk_err *err)
{
	if (strcmp(err->kind, "closed") != 0)
		return err->status;
	if (login_check_locked(s, 1, err) != 0)
		return err->status;
	return pk_err_set(err, PK_ECOMM, "closed",
	                  s->phase == WANT_USER
	                  ? "device closed the connection before the login prompt "
	                    "(it allows 10 sessions; are others left open?)"
	                  : "device closed the connection during login");
}

void
wb_login_start(struct wb_session *s, const char *user, const char *pass)
{
	s->op = WB_OP_LOGIN;
	s->phase = WANT_USER;
	s->user = user;
	s->pass = pass;
	s->until = s->opts->deadline;
	s->rc = 0;
	pk_err_clear(&s->err);
}

int
wb_login(struct wb_session *s, const char *user, const char *pass, struct pk_err *err)
{
	wb_login_start(s, user, pass);
	return wb_session_wait(s, err);
}

void
wb_open_start(struct wb_session *s)
{
	s->op = WB_OP_OPEN;
	s->until = s->opts->deadline;
	s->rc = 0;
	pk_err_clear(&s->err);
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
	if (strncmp(line, "~OutletStatus=", 14) != 0)
		return;
	snprintf(s->push, sizeof s->push, "%s", line + 14);
	if (s->on_push != NULL)
		s->on_push(s->push_ctx, line + 14);
}

/* The command's look at each complete line: OP_DONE = its reply came
 * (value in s->value), 0 = wait for more, else a status. */
static int
command_step(struct wb_session *s, struct pk_err *err)
{
	int rc;

	while ((rc = take_line(s, &s->line, err)) == 1) {
		const char *line = pk_buf_str(&s->line), *v;
		int m;

		pk_trace(s->trace, '<', "%s", line);
		m = wb_match_reply(s->cmd, s->want, line, &v);
		if (line[0] == '~')
			collect_push(s, line);
		if (m == 0 && strchr("?~#", line[0]) == NULL && find_ci(&s->line, "locked"))
			/* Over SSH the lockout comes in place of the banner. */
			return lockout_error(s, line, err);
		if (m < 0)
			return pk_err_set(err, PK_EREFUSED, "error", "device answered #Error to %s",
			                  s->cmd);
		if (m > 0) {
			snprintf(s->value, sizeof s->value, "%s", v ? v : "");
			return OP_DONE;
		}
	}
	return rc;
}

/* A command's wait that ran out, however the transport put it. */
static int
command_failed(struct wb_session *s, struct pk_err *err)
{
	if (err->status == PK_ECOMM && strcmp(err->kind, "timeout") == 0)
		pk_err_set(err, PK_ECOMM, "timeout", "no reply to %s within %lld ms", s->cmd,
		           (long long)s->cmd_ms);
	return err->status;
}

void
wb_command_start(struct wb_session *s, const char *cmd, enum wb_want want)
{
	int64_t deadline = s->opts->deadline;

	snprintf(s->cmd, sizeof s->cmd, "%s", cmd);
	s->want = want;
	s->value[0] = '\0';
	s->rc = 0;
	pk_err_clear(&s->err);
	/* Over SSH the device says nothing before the first command (its
	 * banner follows that write) and its shell may still be starting: on
	 * a slow or busy unit the first reply takes longer than a command's
	 * usual wait.  Until the device has sent anything, only the deadline
	 * bounds the wait. */
	s->until = pk_now_ms() + s->cmd_ms;
	if (s->until > deadline || s->total == 0)
		s->until = deadline;
	s->round_trips++;
	s->op = WB_OP_COMMAND;
	if (session_write_line(s, cmd, 0, &s->err) != 0) {
		s->op = WB_OP_NONE;
		s->rc = s->err.status;
	}
}

int
wb_command(struct wb_session *s, const char *cmd, enum wb_want want, char *value,
           size_t vlen, struct pk_err *err)
{
	int rc;

	wb_command_start(s, cmd, want);
	rc = wb_session_wait(s, err);
	if (rc == 0 && value != NULL)
		snprintf(value, vlen, "%s", s->value);
	return rc;
}

/* ---- listening -------------------------------------------------------- */

void
wb_listen_start(struct wb_session *s, int64_t until)
{
	s->op = WB_OP_LISTEN;
	s->until = until;
	s->rc = 0;
	pk_err_clear(&s->err);
	s->bound_from = s->total;
}

/* Between commands the device sends only pushes; anything else is a
 * reply that came too late for its command, dropped.  OP_DONE once the
 * listening time is over. */
static int
listen_step(struct wb_session *s, struct pk_err *err)
{
	int rc;

	while ((rc = take_line(s, &s->line, err)) == 1) {
		const char *line = pk_buf_str(&s->line);

		if (line[0] == '\0')
			continue;
		pk_trace(s->trace, '<', "%s", line);
		if (line[0] == '~')
			collect_push(s, line);
	}
	if (rc == 0 && pk_now_ms() >= s->until)
		return OP_DONE;
	return rc;
}

/* ---- the machine -------------------------------------------------------- */

/* The operation's look at what was received: OP_DONE = ended well, 0 =
 * wait for more, else a status with err. */
static int
op_step(struct wb_session *s, struct pk_err *err)
{
	int rc;

	switch (s->op) {
	case WB_OP_LOGIN:
		return login_step(s, err);
	case WB_OP_COMMAND:
		return command_step(s, err);
	case WB_OP_OPEN:
		return s->io->opened(s->io_ctx) ? OP_DONE : 0;
	case WB_OP_LISTEN:
		return listen_step(s, err);
	default:
		rc = take_line(s, &s->line, err);
		return rc == 1 ? OP_DONE : rc;
	}
}

/* The operation's reading of a failed transport. */
static int
op_failed(struct wb_session *s, struct pk_err *err)
{
	if (s->op == WB_OP_LOGIN)
		return login_failed(s, err);
	if (s->op == WB_OP_COMMAND)
		return command_failed(s, err);
	return err->status;
}

/* The operation's reading of its wait running out (err holds the
 * transport's words for it).  A connect that timed out is the
 * transport's failure, said as it is. */
static int
op_timed_out(struct wb_session *s, struct pk_err *err)
{
	if (s->op == WB_OP_LOGIN)
		pk_err_prefix(err, s->phase == WANT_USER ? "no login prompt" : "login");
	return op_failed(s, err);
}

static void
op_end(struct wb_session *s, int rc)
{
	if (rc == 0 && s->op == WB_OP_LOGIN) {
		s->logged_in = 1;
		pk_trace(s->trace, '*', "logged in");
	}
	if (rc == 0 && s->op == WB_OP_OPEN)
		s->logged_in = 1;
	s->op = WB_OP_NONE;
	s->rc = rc;
}

static short
session_want(void *ctx, int *fd, int64_t *wake)
{
	struct wb_session *s = ctx;
	short ev;

	*fd = -1;
	*wake = 0;
	if (s->op == WB_OP_NONE)
		return 0;
	ev = s->io->want(s->io_ctx, fd, wake);
	if (*wake == 0 || s->until < *wake)
		*wake = s->until;
	return ev;
}

/* Pumps the transport and lets the operation look at what came, then
 * enforces the bound on total bytes; a transport failure or the end of
 * the wait counts only once what arrived before it was looked at. */
static int
session_handle(void *ctx, short revents)
{
	struct wb_session *s = ctx;
	size_t before = s->in.len;
	int io_rc, rc;

	if (s->op == WB_OP_NONE)
		return s->rc;
	io_rc = s->io->pump(s->io_ctx, revents, &s->in, &s->err);
	s->total += s->in.len - before;
	rc = op_step(s, &s->err);
	pk_buf_consume(&s->in, s->in_taken);
	s->in_taken = 0;
	if (rc <= 0 && s->total - s->bound_from > WB_TOTAL_MAX)
		rc = pk_err_set(&s->err, PK_ECOMM, "overflow",
		                "device sent more than %d bytes in one session", WB_TOTAL_MAX);
	else if (rc == OP_DONE)
		rc = 0;
	else if (rc == 0 && io_rc != 0)
		rc = op_failed(s, &s->err);
	else if (rc == 0 && pk_ms_left(s->until) == 0 && pk_stop_signal() != 0) {
		rc = pk_err_set(&s->err, PK_ECOMM, "stopped", "stopped by signal %d",
		                pk_stop_signal());
	} else if (rc == 0 && pk_ms_left(s->until) == 0) {
		s->io->timeout(s->io_ctx, &s->err);
		rc = op_timed_out(s, &s->err);
	} else if (rc == 0) {
		return 0;                  /* still waiting */
	}
	op_end(s, rc);
	return rc;
}

struct pk_task
wb_session_task(struct wb_session *s)
{
	struct pk_task t = { session_want, session_handle, s };

	return t;
}

int
wb_session_wait(struct wb_session *s, struct pk_err *err)
{
	struct pk_task t = wb_session_task(s);

	while (s->op != WB_OP_NONE)
		pk_poll_tasks(&t, 1, s->until);
	if (s->rc != 0)
		*err = s->err;
	return s->rc;
}

int
wb_next_line(struct wb_session *s, struct pk_buf *line, struct pk_err *err)
{
	int rc;

	s->op = WB_OP_LINE;
	s->until = s->opts->deadline;
	s->rc = 0;
	pk_err_clear(&s->err);
	rc = wb_session_wait(s, err);
	if (rc == 0) {
		pk_buf_reset(line);
		pk_buf_add(line, s->line.data, s->line.len);
	}
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
		if (session_write_line(s, "!Exit", 0, &ignored) == 0)
			s->io->flush(s->io_ctx, pk_deadline_in(500), &ignored);
		s->logged_in = 0;
	}
	s->io->close(s->io_ctx);
	s->io = NULL;
	s->op = WB_OP_NONE;
	pk_buf_free(&s->in);
	pk_buf_free(&s->line);
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
