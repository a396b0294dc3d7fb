/* client.h — a client for the NUT network protocol (upsd, TCP 3493), in
 * the spirit of NUT's libupsclient: a handle plus verbs, re-entrant,
 * never printing, returning typed errors (core/err.h) whose status is the
 * exit code.  Built on pk_conn, so many handles can share one poll loop
 * (nut_begin + nut_send, then pk_conn_events/pk_conn_handle on each
 * c->conn and nut_poll_line to take replies); the verbs below are the
 * one-connection case and block until the handle's deadline.
 *
 * Requests may be pipelined: upsd answers every request line with one
 * reply, in request order, so queue several with nut_send(), then read
 * the replies in order with nut_reply()/nut_list_*().  The server never
 * speaks first (no greeting); only LIST replies span several lines,
 * framed by "BEGIN LIST ..." and "END LIST ...", and an error is a single
 * "ERR CODE" line in place of BEGIN.  An idle connection is closed by
 * upsd after 60 s without a complete request line. */
#ifndef PK_NUT_H
#define PK_NUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/net.h"
#include "core/session.h"

#define NUT_DEFAULT_PORT "3493"
#define NUT_MAX_WORDS 32      /* parseconf keeps 32 words per line */
#define NUT_MAX_LINE 4096     /* upsd sends <= 512; longer is hostile */
/* The budget of one LIST reply (BEGIN to END), so that memory stays
 * bounded however fast a server streams items: a real UPS has a few
 * hundred variables and a big upsd a few thousand UPSes.  More is a
 * malformed reply (PK_ECOMM).  Documented in nutq(1), nutset(1), nutcmd(1). */
#define NUT_LIST_MAX_LINES 50000
#define NUT_LIST_MAX_BYTES (4 * 1024 * 1024)

/* One reply line split into words with the parseconf rules. */
struct nut_words {
	size_t n;
	char *w[NUT_MAX_WORDS];
	char store[NUT_MAX_LINE + NUT_MAX_WORDS];
};

/* Splits line (len bytes) into words: whitespace separates, "..." groups
 * (may be empty), a backslash takes the next byte literally, '#' outside
 * quotes starts a comment.  Returns 0, or -1 for an unterminated quote
 * or a trailing backslash, more than NUT_MAX_WORDS words or a line
 * longer than NUT_MAX_LINE. */
int nut_tokenize(const char *line, size_t len, struct nut_words *out);

/* 1 when every byte of s is in 0x20..0x7E (what upsd keeps). */
int nut_printable(const char *s);

/* Appends s as one protocol word: '\', '"' and '#' escaped, wrapped in
 * quotes when quote is set or s is empty or has a space.  Refuses bytes
 * outside 0x20..0x7E with PK_EUSAGE (nothing appended). */
int nut_append_word(struct pk_buf *b, const char *s, int quote, struct pk_err *err);

/* Fills err from an "ERR <WORD>" reply: status (exit code), kind = WORD,
 * message = what, a description and the server's word.  Returns status. */
int nut_err_from_word(struct pk_err *err, const char *word, const char *what);

/* 1 when word is an ERR code meaning "the server does not know this
 * request" (UNKNOWN-COMMAND, INVALID-ARGUMENT, FEATURE-NOT-*): an
 * optional request failing that way is not a failure. */
int nut_err_is_unsupported(const char *word);

struct nut_client {
	struct pk_session_opts opts;  /* deadline (bounds every wait), trace, warn */
	struct pk_conn conn;
	size_t pending;           /* requests sent whose reply is not read */
	struct pk_buf line;       /* last reply line */
	struct nut_words words;   /* last reply, tokenised */
	char where[300];          /* "host:port" for messages */
	char excerpt[84];         /* see nut_excerpt() */
	struct pk_tls_opts tls;   /* STARTTLS after connecting (nut_connect); off by default */
	int tls_traced;           /* the TLS version was traced */
	size_t list_lines;        /* items of the LIST reply being read */
	size_t list_bytes;        /* and their bytes, within the budget */
};

/* Sets up a handle with its deadline, trace and warning callback (copied
 * from opts, as every protocol handle is: core/session.h). */
void nut_init(struct nut_client *c, const struct pk_session_opts *opts);

/* Resolves and connects (every address getaddrinfo gives, TCP_NODELAY,
 * TCP_QUICKACK before each read) before the deadline; then STARTTLS
 * when the handle's TLS settings ask for it (nut_set_tls). */
int nut_connect(struct nut_client *c, const char *host, const char *port,
                struct pk_err *err);

/* Sets the TLS settings nut_connect uses (copied); call after nut_init. */
void nut_set_tls(struct nut_client *c, const struct pk_tls_opts *tls);

/* STARTTLS in two halves, for a caller's own poll loop: the request
 * (nothing else may be queued behind it before the reply), then the
 * reading of its reply, which on "OK STARTTLS" starts the handshake on
 * the connection (the loop drives it; requests queued meanwhile go out
 * inside TLS).  A refusal is PK_ECOMM "tls" when TLS is required; with
 * PK_TLS_TRY it is a note (the warn callback) and the connection goes on
 * in clear. */
int nut_starttls_send(struct nut_client *c, struct pk_err *err);
int nut_starttls_read(struct nut_client *c, struct pk_err *err);

/* Both halves and the whole handshake, blocking to the deadline. */
int nut_starttls(struct nut_client *c, struct pk_err *err);

/* Traces the TLS version and cipher once the handshake is done (once). */
void nut_trace_tls(struct nut_client *c);

/* Starts the connect without waiting (for a caller's own poll loop). */
int nut_begin(struct nut_client *c, const char *host, const char *port,
              struct pk_err *err);

/* Queues one request line: verb words sent bare (e.g. "GET VAR"), then
 * nargs arguments, each escaped; the last one quoted when quote_last
 * (values).  Refuses unprintable bytes with PK_EUSAGE before queueing.
 * The line goes out on the next flush/read; PASSWORD is traced masked. */
int nut_send(struct nut_client *c, const char *verb, size_t nargs,
             const char *const *args, int quote_last, struct pk_err *err);

/* Writes everything queued. */
int nut_flush(struct nut_client *c, struct pk_err *err);

/* Non-blocking: takes the next complete reply line into c->words if one
 * is buffered.  Returns 1 (taken), 0 (need more input; drive the conn),
 * or -status with err filled (peer closed, over-long or bad line). */
int nut_poll_line(struct nut_client *c, struct pk_err *err);

/* Reads the next reply line (blocking to the deadline) into c->words.
 * Returns 0 or a status (timeout, closed, malformed: PK_ECOMM). */
int nut_read_line(struct nut_client *c, struct pk_err *err);

/* Reads the reply of one single-line request.  "ERR X" becomes the
 * mapped error (prefixed with what, when given); else 0 with c->words. */
int nut_reply(struct nut_client *c, const char *what, struct pk_err *err);

/* Reads the start of a LIST reply: "BEGIN LIST ..." (0) or an ERR
 * (mapped, prefixed with what). */
int nut_list_begin(struct nut_client *c, const char *what, struct pk_err *err);

/* Reads the next LIST line: 0 with *done = 0 and the item in c->words,
 * 0 with *done = 1 at "END LIST", or a status (an ERR, a close, a line
 * that is neither, or a list over NUT_LIST_MAX_LINES items or
 * NUT_LIST_MAX_BYTES bytes: PK_ECOMM). */
int nut_list_next(struct nut_client *c, int *done, struct pk_err *err);

/* The start of the last reply line, safe to print (bytes outside
 * 0x20..0x7E shown as '?'), for error messages. */
const char *nut_excerpt(struct nut_client *c);

/* Sends LOGOUT without waiting, closes the socket, frees buffers. */
void nut_close(struct nut_client *c);

/* ---- verbs (one request, one reply, blocking) -------------------- */

/* GET VAR ups var: the value into out (outlen >= 512 recommended). */
int nut_get_var(struct nut_client *c, const char *ups, const char *var,
                char *out, size_t outlen, struct pk_err *err);

/* USERNAME + PASSWORD, pipelined.  Either may be NULL (not sent). */
int nut_auth(struct nut_client *c, const char *user, const char *pass,
             struct pk_err *err);

/* nut_auth in two halves, for a pipeline that queues more behind the
 * login: the send (*sent = how many replies to read), then the read of
 * those replies. */
int nut_auth_send(struct nut_client *c, const char *user, const char *pass, size_t *sent,
                  struct pk_err *err);
int nut_auth_read(struct nut_client *c, size_t sent, struct pk_err *err);

/* Simple commands answering a line: VER, NETVER/PROTVER, HELP; the
 * reply's text into out.  *supported = 0 (and 0 returned) when the
 * server answered ERR UNKNOWN-COMMAND. */
int nut_ask_text(struct nut_client *c, const char *verb, char *out, size_t outlen,
                 int *supported, struct pk_err *err);

/* The version in a VER-like reply: x of 'VERSION "x"' (ESPHome's answer
 * to VER and VERSION), else the whole line. */
void nut_version_text(const struct nut_words *w, char *out, size_t outlen);

/* The server's version: VER, then VERSION, then UPSDVER for servers
 * that answer ERR UNKNOWN-COMMAND; *supported = 0 when none is known. */
int nut_server_version(struct nut_client *c, char *out, size_t outlen, int *supported,
                       struct pk_err *err);

/* SET TRACKING ON; *on = 0 when the server has no TRACKING (old or
 * minimal servers), which is not an error.  TRACKING (upsd 2.8.0,
 * protocol 1.3) is per connection and needs USERNAME and PASSWORD sent
 * first; with it on, SET VAR and INSTCMD answer "OK TRACKING <id>"
 * instead of a bare "OK", which only means "forwarded to the driver". */
int nut_tracking_on(struct nut_client *c, int *on, struct pk_err *err);

/* Polls GET TRACKING id until it is no longer PENDING or the handle's
 * deadline passes (PK_EREFUSED "timeout", result "PENDING").  result
 * gets "SUCCESS", "FAILED", "UNKNOWN", "INVALID-ARGUMENT", ... (the
 * server's ERR words here are the driver's outcome, not errors of the
 * query).  A driver that does not implement tracking never answers, so
 * the id stays PENDING until upsd forgets it (TRACKINGDELAY, an hour by
 * default): only our own deadline ends the wait. */
int nut_tracking_wait(struct nut_client *c, const char *id, int interval_ms,
                      char *result, size_t rlen, struct pk_err *err);

/* Reads an "OK" or "OK TRACKING <id>" reply (SET VAR, INSTCMD); id
 * gets "" when the server did not track it. */
int nut_reply_tracked(struct nut_client *c, const char *what, char *id, size_t idlen,
                      struct pk_err *err);

/* LOGIN ups (counts in NUMLOGINS until the connection closes). */
int nut_login(struct nut_client *c, const char *ups, struct pk_err *err);

/* LOGIN ups, then PRIMARY ups (MASTER on ERR UNKNOWN-COMMAND), then
 * FSD ups.  Credentials must have been sent.  PRIMARY exists since upsd
 * 2.8.0 ("OK PRIMARY-GRANTED"); older servers know only MASTER and may
 * answer a plain "OK", so only the OK prefix is checked.  FSD latches:
 * ups.status reads "FSD ..." until upsd restarts. */
int nut_fsd(struct nut_client *c, const char *ups, struct pk_err *err);

/* Appends the request lines nut_fsd sends ("LOGIN ups\n", "PRIMARY
 * ups\n", "FSD ups\n"), for a dry run. */
int nut_fsd_requests(struct pk_buf *b, const char *ups, struct pk_err *err);

#endif
