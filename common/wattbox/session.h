/* session.h — the SnapAV WattBox Integration Protocol session (telnet or
 * SSH) over a byte transport (struct wb_io): login on prompts matched in
 * the byte buffer, one command in flight, replies matched by name, `~`
 * pushes collected aside, bounds on line length and total bytes; and the
 * parsers of the values the device sends.
 * Nothing here prints; every failure is a struct pk_err whose status is
 * the exit code. */
#ifndef PK_WATTBOX_SESSION_H
#define PK_WATTBOX_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/net.h"
#include "core/session.h"
#include "core/trace.h"

#define WB_MAX_OUTLETS 64
#define WB_NAME_MAX 96
#define WB_LINE_MAX 4096              /* longest line accepted from a device */
#define WB_TOTAL_MAX (1024 * 1024)    /* bytes accepted in one session */
/* Replies come within 100 ms on a LAN, a few commands much later; a
 * reply that misses this wait is dropped by name when it comes. */
#define WB_CMD_MS 2000                /* reply wait per command (within the deadline) */
/* After !OutletSet the unit needs about half a second before ?OutletStatus
 * shows the new state. */
#define WB_SETTLE_MS 600

/* ---- transports ----------------------------------------------------- */

/* A byte transport the session drives without blocking: the poll loop
 * waits for what want() asks, then pump() does the I/O.  Sending only
 * queues; the loop writes. */
struct wb_io {
	/* Queues n bytes for sending; 0 or a status. */
	int (*send)(void *ctx, const char *p, size_t n, struct pk_err *err);
	/* What to wait for now: poll events on *fd and, in *wake, a time to
	 * run even without an event (0: none). */
	short (*want)(void *ctx, int *fd, int64_t *wake);
	/* After a poll: does the I/O that revents allow and appends what
	 * arrived to in.  0, or a status: PK_ECOMM kind "closed" once the
	 * device closed and every byte it sent was handed over. */
	int (*pump)(void *ctx, short revents, struct pk_buf *in, struct pk_err *err);
	/* The transport's words for a wait that ran out (PK_ECOMM "timeout"). */
	int (*timeout)(void *ctx, struct pk_err *err);
	/* Writes what is queued, blocking until the deadline (the goodbye). */
	int (*flush)(void *ctx, int64_t deadline, struct pk_err *err);
	void (*close)(void *ctx);
	/* 1 once the transport's own connect and login are done (SSH logs in
	 * at the SSH layer, its pump driving the handshake); NULL where the
	 * session logs in on prompts (telnet). */
	int (*opened)(void *ctx);
};

/* Copies p[0..n) to out without telnet IAC sequences (none are expected;
 * a device or middlebox may still send some).  Returns how many input
 * bytes were used: an incomplete sequence at the end is left for later. */
size_t wb_iac_strip(const unsigned char *p, size_t n, struct pk_buf *out);

/* ---- Integration Protocol session ----------------------------------- */

enum wb_want {
	WB_QUERY,      /* ?Name[=arg]: done on ?Name=value (with arg echoed) */
	WB_CONTROL,    /* !Command: done on OK */
	WB_OUTLETSET   /* !OutletSet: done on OK or a ~OutletStatus= push */
};

/* What the session is doing: its machine runs one operation at a time. */
enum wb_op {
	WB_OP_NONE,      /* idle: the last operation's result is in rc, err */
	WB_OP_LINE,      /* taking one line */
	WB_OP_LOGIN,     /* the telnet login on prompts */
	WB_OP_OPEN,      /* the transport's own connect and login (SSH) */
	WB_OP_COMMAND,   /* one command, waiting for its reply */
	WB_OP_LISTEN     /* no command: taking pushes until a time */
};

#define WB_CMD_MAX 64                 /* longest command sent */

struct wb_session {
	const struct wb_io *io;
	void *io_ctx;
	const struct pk_session_opts *opts;  /* the client's: deadline, trace */
	const struct pk_trace *trace;        /* &opts->trace */
	struct pk_buf in;          /* received, not yet taken... */
	size_t in_taken;           /* ...but for this many bytes, taken as lines
	                            * during one look and dropped after it */
	size_t total;              /* bytes received so far */
	int logged_in;             /* !Exit is owed */
	int64_t cmd_ms;            /* reply wait per command */
	char push[WB_LINE_MAX];    /* value of the latest ~OutletStatus= */
	unsigned pushes;           /* how many `~` lines were collected */
	/* Called with the value of each ~OutletStatus= as it is taken
	 * (during any operation), when set. */
	void (*on_push)(void *ctx, const char *states);
	void *push_ctx;
	size_t bound_from;         /* total when the bound on bytes started counting */
	int lock_s;                /* the lockout's remaining seconds, -1 when it gave none */
	unsigned round_trips;      /* commands sent */
	/* the operation in flight (the machine's state) */
	enum wb_op op;
	int phase;                 /* login: the prompt waited for */
	const char *user, *pass;   /* login: the caller's, alive until it ends */
	char cmd[WB_CMD_MAX];      /* command: as sent */
	enum wb_want want;
	int64_t until;             /* the operation's wait ends */
	struct pk_buf line;        /* the line taken last */
	char value[WB_LINE_MAX];   /* command: the reply's text after '=' ("" for OK) */
	int rc;                    /* the last operation's result, with err */
	struct pk_err err;
};

/* opts (the owning client's, which outlives the session) gives the
 * deadline every wait is bounded by, read at each call, and the trace. */
void wb_session_init(struct wb_session *s, const struct wb_io *io, void *io_ctx,
                     const struct pk_session_opts *opts);

/* ---- the machine: operations started here end on the poll loop ------
 * wb_session_task() is the session as a task of the poll loop
 * (core/net.h): it waits for what the transport and the operation's timer
 * ask, pumps the transport and moves the operation on.  While op is not
 * WB_OP_NONE the operation is in flight; once it ended, rc and err say
 * how.  Many sessions run at once on one loop; the blocking calls below
 * start an operation and drive it with its session's task alone. */

/* Start an operation (any earlier one must have ended).  A failure to
 * send ends the operation at once, with rc and err set. */
void wb_login_start(struct wb_session *s, const char *user, const char *pass);
void wb_command_start(struct wb_session *s, const char *cmd, enum wb_want want);
/* Waits for the transport's own connect and login (io->opened), within
 * the deadline; logged in (!Exit owed) once it ended well. */
void wb_open_start(struct wb_session *s);

/* Listens until the time until (pk_now_ms): each `~` push is taken as
 * it comes (on_push), other lines (a late reply) are dropped.  Ends
 * well at until; a close or a failure ends it with the status.  The
 * bound on bytes (WB_TOTAL_MAX) counts from here: a watch keeps its
 * session for days. */
void wb_listen_start(struct wb_session *s, int64_t until);

struct pk_task wb_session_task(struct wb_session *s);

/* Drives the operation in flight alone until it ended; its rc, with err. */
int wb_session_wait(struct wb_session *s, struct pk_err *err);

/* Takes one line (LF or CRLF ended, CR dropped) from what was received,
 * reading more until the deadline.  Returns 0 with line filled, or a
 * status: PK_ECOMM for timeout, close, an over-long line or too many bytes. */
int wb_next_line(struct wb_session *s, struct pk_buf *line, struct pk_err *err);

/* Telnet login: waits for `Username: ` before writing anything, then
 * `Password: `, then `Successfully Logged In!`.  The device first sends
 * "Please Login to Continue", and its prompts end in ": " with no
 * newline, so they are matched in the raw buffer; a byte written before
 * the prompt is taken as (part of) the user name.  Never retries: one bad
 * password spoils the connection and a few lock the API for minutes
 * (telnet, SSH and the web UI count separately).  `Invalid Login` or a
 * second prompt: PK_EAUTH "login"; the lockout text ("API is locked for
 * M minutes and S seconds.", before the prompt or after the password;
 * matched on "locked", any case): PK_EAUTH "locked" with the remaining
 * time in the message (and in lock_s). */
int wb_login(struct wb_session *s, const char *user, const char *pass,
             struct pk_err *err);

/* Classifies a received line against the command in flight: 1 = it is the
 * reply (value points into line after '='; NULL for OK), 0 = not ours
 * (echo, push, late reply, banner), -1 = #Error.  Pure, for tests. */
int wb_match_reply(const char *cmd, enum wb_want want, const char *line,
                   const char **value);

/* Sends one command and waits for its reply (at most cmd_ms, within the
 * session's deadline).  value (may be NULL) gets the text after '=' (or "" for OK).
 * #Error: PK_EREFUSED kind "error"; no reply: PK_ECOMM kind "timeout". */
int wb_command(struct wb_session *s, const char *cmd, enum wb_want want,
               char *value, size_t vlen, struct pk_err *err);

/* Sends !Exit when logged in (errors ignored) and closes the transport. */
void wb_session_close(struct wb_session *s);

/* ---- values ---------------------------------------------------------- */

/* Parses "{A},{B, c},{}" into names; returns how many, or -1 if malformed. */
int wb_parse_names(const char *v, char names[][WB_NAME_MAX], int max);

/* Parses "1,0,1" into states; returns how many, or -1 if malformed. */
int wb_parse_states(const char *v, int *states, int max);

/* Parses comma-separated decimal numbers; returns how many, or -1. */
int wb_parse_numbers(const char *v, double *out, int max);

/* Text of <tag>...</tag> in an XML body into out; 0, or -1 when absent. */
int wb_xml_tag(const char *body, const char *tag, char *out, size_t outlen);

/* Splits a comma list without braces (legacy HTTP outlet names). */
int wb_parse_plain_names(const char *v, char names[][WB_NAME_MAX], int max);

#endif
