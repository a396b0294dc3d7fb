/* snmp/snmp.h — SNMP v1/v2c over a connected UDP socket: message codec,
 * request/response exchange with retransmission, and GET/SET/walk on
 * top.
 *
 * The wire rules it follows: a random first request-id, the same id on
 * every retransmission, and any reply whose id, PDU type or version does
 * not match is dropped (late answers to an earlier try do arrive); the
 * connected socket makes the kernel drop datagrams from other addresses.
 * v2c reports a missing object per varbind (noSuchObject/noSuchInstance,
 * the rest still answered) and ends a walk with endOfMibView; v1 fails
 * the whole reply with noSuchName and an error-index instead, also at
 * the end of a walk and for Counter64 objects, which v1 cannot carry.
 * v1 maps SET errors down: wrong value/type/length become badValue, a
 * read-only object or community becomes noSuchName.  A wrong community
 * gets no reply at all, never an error PDU.  A SET reply echoes the
 * written values, so only a separate GET shows the resulting state.
 *
 * A session keeps one socket to one agent and has at most one request in
 * flight.  A request is a non-blocking state (snmp_request_*) that the
 * core poll loop drives (pk_poll_tasks with snmp_request_task), so many
 * sessions, and TCP connections too, run at once from one thread; the
 * blocking calls (exchange, get, set, walk) are that loop over one
 * session.  The session owns its deadline, trace and warning callback
 * (core/session.h).  Nothing here prints. */
#ifndef SNMP_H
#define SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "snmp/ber.h"
#include "snmp/usm.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/net.h"
#include "core/session.h"

enum {
	SNMP_V1 = 0,
	SNMP_V2C = 1,
	SNMP_V3 = 3
};

enum {
	SNMP_PDU_GET = 0xa0,
	SNMP_PDU_GETNEXT = 0xa1,
	SNMP_PDU_RESPONSE = 0xa2,
	SNMP_PDU_SET = 0xa3,
	SNMP_PDU_GETBULK = 0xa5,
	SNMP_PDU_REPORT = 0xa8
};

enum {
	SNMP_TOOBIG = 1,
	SNMP_NOSUCHNAME = 2,
	SNMP_GENERR = 5
};

/* Real CyberPower PDU41008 units refuse GETs with 13 or more varbinds
 * (12 pass); stay at 10, and split further on tooBig. */
#define SNMP_MAX_VB_PER_REQ 10
/* The most varbinds a decoded reply may hold (bulk replies are capped at
 * 10 repetitions by us, but an agent may answer with more). */
#define SNMP_MAX_VB 128
#define SNMP_VB_STR_MAX 1024

/* One variable binding.  In requests type is BER_NULL (or the SET type);
 * replies fill type and the matching value field. */
struct snmp_vb {
	struct ber_oid oid;
	uint8_t type;       /* BER tag of the value */
	int64_t i;          /* INTEGER */
	uint64_t u;         /* Counter32, Gauge32, TimeTicks, Counter64 */
	size_t slen;        /* OCTET STRING, IpAddress, Opaque: bytes in s */
	int truncated;      /* a string longer than SNMP_VB_STR_MAX was cut */
	union {
		uint8_t s[SNMP_VB_STR_MAX];
		struct ber_oid oid;  /* OBJECT IDENTIFIER value */
	} v;
};

/* A decoded message.  community points into the datagram. */
struct snmp_msg {
	int version;
	const uint8_t *community;
	size_t community_len;
	uint8_t pdu_type;
	int32_t request_id;
	int64_t error_status;   /* or non-repeaters in a GETBULK */
	int64_t error_index;    /* or max-repetitions */
	size_t nvb;
};

/* Encodes a whole message; a and b are error-status and error-index (0
 * in requests) or non-repeaters and max-repetitions for GETBULK.
 * Returns 0, or -1 (out of memory, unencodable OID or value). */
int snmp_encode(struct pk_buf *out, int version, const char *community,
                uint8_t pdu_type, int32_t request_id, int a, int b,
                const struct snmp_vb *vbs, size_t n);

/* Decodes a message into m and up to cap varbinds.  Returns 0, or -1
 * with *why set to a short reason (truncated, bad length, wrong tag,
 * too many varbinds...). */
int snmp_decode(const uint8_t *p, size_t len, struct snmp_msg *m,
                struct snmp_vb *vbs, size_t cap, const char **why);

/* ---- SNMPv3 messages (RFC 3412 6, RFC 3414 2.4) ----------------------
 * A v3 message carries its msgID, msgFlags (auth, priv, reportable), the
 * USM parameters (authoritative engine ID, boots, time, user, the
 * truncated HMAC and the privacy salt) and a scoped PDU (context engine
 * ID, context name, PDU), encrypted as an OCTET STRING with privacy.
 * The HMAC is computed over the whole message with its own place
 * zeroed. */

enum {
	SNMP_V3_AUTH = 1,
	SNMP_V3_PRIV = 2,
	SNMP_V3_REPORTABLE = 4
};

/* A decoded v3 header; the pointers are into the datagram. */
struct snmp_v3_hdr {
	int32_t msg_id;
	uint8_t flags;
	const uint8_t *engine_id;
	size_t engine_id_len;
	uint32_t boots, time;
	const uint8_t *user;
	size_t user_len;
	int authenticated;   /* the HMAC was checked with our key and matched */
};

/* Encodes a v3 message from the user u, stamped with the agent's boots
 * and time (now_ms is the present, core/clock.h), authenticated and
 * encrypted as u->level says, reportable.  discovery: the engine
 * discovery probe instead (noAuthNoPriv, empty engine ID and user).
 * Moves u's salt.  Returns 0, or -1 (out of memory, unencodable). */
int snmp_encode_v3(struct pk_buf *out, struct snmp_usm *u, int32_t msg_id, int discovery,
                   uint8_t pdu_type, int32_t request_id, int a, int b,
                   const struct snmp_vb *vbs, size_t n, int64_t now_ms);

enum {
	SNMP_V3_MALFORMED = -1,     /* *why says what */
	SNMP_V3_UNAUTHENTIC = -2,   /* says it is authenticated, but not by u's key */
	SNMP_V3_UNDECRYPTABLE = -3  /* encrypted, and u cannot read it */
};

/* Decodes a v3 message into h, m and up to cap varbinds, checking its
 * HMAC with u's localised key and decrypting it with u's privacy key;
 * p is modified (the HMAC's place zeroed, the scoped PDU decrypted in
 * place).  Returns 0 or one of the SNMP_V3_* codes with *why. */
int snmp_decode_v3(uint8_t *p, size_t len, const struct snmp_usm *u, struct snmp_v3_hdr *h,
                   struct snmp_msg *m, struct snmp_vb *vbs, size_t cap, const char **why);

enum snmp_req_state {
	SNMP_REQ_IDLE = 0,    /* none begun, or its result taken */
	SNMP_REQ_WAITING,     /* sent; waiting for the reply or the next try */
	SNMP_REQ_DONE         /* ended: result to take */
};

/* The request in flight on a session. */
struct snmp_request {
	enum snmp_req_state state;
	uint8_t type;
	int32_t id;                  /* the same for every try */
	const struct snmp_vb *vbs;   /* the caller's, traced again on each try */
	size_t n;
	int a, b;                    /* error-status/index or the GETBULK pair */
	struct pk_buf msg;           /* encoded once; a retransmission resends it */
	/* v3: each encoding has its own msgID; engine discovery goes first,
	 * and a notInTimeWindows report re-encodes the request once */
	int32_t msg_id;
	int discovering, resynced;
	int tries, sent;             /* tries allowed (retries + 1), sent so far */
	int64_t deadline;            /* the session's when the request began */
	int64_t try_deadline;        /* when the current try is given up */
	struct snmp_msg m;           /* the matching reply's header */
	size_t nvb;                  /* its varbinds, in the session's scratch */
	int rc;                      /* when DONE: 0 or a status, with err */
	struct pk_err err;
};

struct snmp_session {
	struct pk_session_opts opts;  /* deadline, trace, warn: snmp_init */
	struct pk_conn conn;     /* connected UDP: the kernel drops strangers */
	int version;             /* SNMP_V1, SNMP_V2C or SNMP_V3 */
	char community[256];     /* used by the next request (v1, v2c) */
	struct snmp_usm usm;     /* v3: the user, filled by the caller; the
	                          * engine ID, boots and time are learned */
	int retries;             /* retransmissions per request */
	int32_t next_id;
	int stale;               /* replies ignored (wrong id/type/version) */
	int answered;            /* matching replies so far */
	int64_t error_status;    /* of the last reply */
	int64_t error_index;
	struct snmp_request req;
	uint8_t rx[65536];
	struct snmp_vb scratch[SNMP_MAX_VB];
};

/* Sets up a zeroed session with its deadline, trace and warning callback
 * (copied from opts) and a random first request-id.  version, community
 * and retries are set by the caller; opts.deadline may be moved later
 * (each request reads it when it begins). */
void snmp_init(struct snmp_session *s, const struct pk_session_opts *opts);

/* Resolves host and makes the socket, before the session's deadline. */
int snmp_open(struct snmp_session *s, const char *host, const char *port,
              struct pk_err *err);
void snmp_close(struct snmp_session *s);

/* ---- one request, non-blocking ---------------------------------------
 * begin encodes and sends it; then, from the caller's poll loop, events
 * gives the fd, the events and the next retransmission time (wake), and
 * handle takes what arrived (revents) or, when the current try's share
 * of the time is up, retransmits the same bytes with the same
 * request-id.  Replies whose request-id, PDU type or version do not
 * match are ignored (counted in s->stale).  Once done, result takes the
 * outcome and the session is free for the next request. */

/* Returns 0 (in flight, or already ended: see snmp_request_done), or a
 * status when it cannot begin (one is in flight; the request does not
 * encode: PK_EUSAGE). */
int snmp_request_begin(struct snmp_session *s, uint8_t type, int a, int b,
                       const struct snmp_vb *vbs, size_t n, struct pk_err *err);

/* poll() events on *fd (0 once ended) and, in *wake, when handle must run
 * without an event (0 once ended). */
short snmp_request_events(const struct snmp_session *s, int *fd, int64_t *wake);

/* Returns 0 while in flight or after a matching reply, else the status
 * the request ended with. */
int snmp_request_handle(struct snmp_session *s, short revents);

/* 1 once the request ended (a reply, an error, or out of tries/time). */
int snmp_request_done(const struct snmp_session *s);

/* The outcome: 0 with the reply's varbinds in s->scratch (*nout of them)
 * and its error fields in s->error_status/error_index; or PK_ECOMM on
 * timeout (its message says whether any reply came), a malformed reply
 * or an ICMP port unreachable. */
int snmp_request_result(struct snmp_session *s, size_t *nout, struct pk_err *err);

/* The poll-loop task driving s's request (core/net.h). */
struct pk_task snmp_request_task(struct snmp_session *s);

/* ---- blocking, on the session's deadline ---------------------------- */

/* One exchange: begin, drive until done, result. */
int snmp_exchange(struct snmp_session *s, uint8_t type, int a, int b,
                  const struct snmp_vb *vbs, size_t n, size_t *nout,
                  struct pk_err *err);

/* snmp_get flags */
enum {
	/* Missing objects (v2c exceptions, v1 noSuchName) are not errors:
	 * those varbinds come back with type BER_NOSUCHOBJECT. */
	SNMP_LENIENT = 1,
	/* GETNEXT instead of GET: each answer carries the OID that followed
	 * the one asked (the caller compares); endOfMibView, and with
	 * SNMP_LENIENT a v1 noSuchName (the end of the agent's view), mark
	 * it missing. */
	SNMP_NEXT = 2
};

/* GETs every vbs[i].oid (any n: requests of at most 10 varbinds, halved
 * again on tooBig) and fills the values in place.  Without
 * SNMP_LENIENT a missing object is PK_ENOTFOUND.  Error statuses are
 * reported by name and varbind.  Blocking: snmp_get_op driven over this
 * one session. */
int snmp_get(struct snmp_session *s, struct snmp_vb *vbs, size_t n, int flags,
             struct pk_err *err);

/* ---- a GET of any size as non-blocking state ---------------------------
 * What snmp_get does, as requests one after the other on s, driven by a
 * poll loop (snmp_get_task), so that many sessions read at once: begin,
 * then events/handle until the state is SNMP_GET_DONE, then result. */
enum snmp_get_state { SNMP_GET_IDLE = 0, SNMP_GET_WAITING, SNMP_GET_DONE };

/* tooBig halves a request: 10, 5, 3, 2, 1 needs at most 4 waiting halves. */
#define SNMP_GET_SPLITS 8
/* The most columns a rows read (snmp_get_rows_begin) takes down at once. */
#define SNMP_ROWS_COLS 8

struct snmp_get_op {
	struct snmp_session *s;
	enum snmp_get_state state;
	int flags;
	struct snmp_vb **left;     /* the caller's varbinds not yet settled, in order */
	size_t nleft, pos;         /* left[pos..] are still to ask */
	size_t batch;              /* left[pos..pos+batch) are in flight */
	size_t split[SNMP_GET_SPLITS];   /* sizes of halves waiting after a tooBig */
	size_t nsplit;
	struct snmp_vb req[SNMP_MAX_VB_PER_REQ];   /* the request in flight */
	/* rows (snmp_get_rows_begin with GETBULK): left[r * ncols + c] is
	 * row first + r of column c, a column being at[c]'s first pfx[c]
	 * arcs; at[c] is the last object seen down it (where the next
	 * request asks after), cols[] the columns still read; the objects
	 * of the caller's other columns follow in left, from pos */
	size_t ncols, nrows;
	uint32_t first;
	struct ber_oid at[SNMP_ROWS_COLS];
	size_t pfx[SNMP_ROWS_COLS];
	size_t cols[SNMP_ROWS_COLS], ncur;
	struct snmp_vb *next;      /* snmp_get_bulk_begin's non-repeaters, until answered */
	size_t nnext;
	int reps_max;              /* the most the agent took (halved on tooBig) */
	size_t vb_bytes;           /* a varbind's size in the last reply, about */
	int rc;
	struct pk_err err;
};

/* Begins the GET of vbs (filled in place, as snmp_get does; they must
 * stay valid until the result is taken) on s, which has no request in
 * flight.  A zeroed op, or one whose result was taken, may be used.
 * Returns 0, or the status it ended with at once (op->state DONE). */
int snmp_get_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
                   size_t n, int flags);
/* The same GET of a table's slice: vbs[r * ncols + c] is row first + r
 * of column c (the column's OID with first + r appended), for nrows
 * rows.  On v2c and v3, when it would take more than one GET, it goes
 * down the columns with GETBULK instead, as many rows a request as keep
 * a reply within one Ethernet frame; a row the agent skips is missing
 * (as a GET would find it); a GETBULK refused with an error-status
 * (other than a tooBig it can halve) makes it GET the slice instead.
 * Columns whose objects do not end in the row (a sensor type after it)
 * are asked by GET once the others are through.  Anything else is an
 * snmp_get_begin. */
int snmp_get_rows_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
                        size_t nrows, size_t ncols, int flags);
/* One GETBULK for a table's slice and a few objects of its own (v2c and
 * v3): vbs[0..nnext) are its non-repeaters, each answered in place by the
 * object that follows it (missing at the end of the view), as a GETNEXT
 * would; vbs[nnext..) are nrows rows of ncols columns, every one a
 * table's slice, read as snmp_get_rows_begin reads them by GETBULK (the
 * first request carrying the non-repeaters, any more after it the columns
 * alone).  nnext + ncols is at most SNMP_MAX_VB_PER_REQ.  An error-status
 * other than a tooBig it can halve is the op's error: the non-repeaters
 * cannot be asked by GET as the slice could. */
int snmp_get_bulk_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
                        size_t nnext, size_t nrows, size_t ncols, int flags);
short snmp_get_events(const struct snmp_get_op *op, int *fd, int64_t *wake);
int snmp_get_handle(struct snmp_get_op *op, short revents);

/* The outcome (snmp_get's statuses, err filled on failure); the op is
 * free again. */
int snmp_get_result(struct snmp_get_op *op, struct pk_err *err);

/* The poll-loop task driving op (core/net.h). */
struct pk_task snmp_get_task(struct snmp_get_op *op);

/* One SET of n (<= 10) varbinds carrying their types and values.  An
 * error-status, or an exception in the reply, fails with its name and
 * varbind (PK_EREFUSED, PK_EAUTH for access errors, PK_ENOTFOUND for
 * noSuchName). */
int snmp_set(struct snmp_session *s, const struct snmp_vb *vbs, size_t n,
             struct pk_err *err);

/* How a walk goes (snmp_walk): set by the caller, then what it found. */
struct snmp_walk {
	/* in */
	int no_check_increasing;  /* go on past a non-increasing OID (snmpwalk -Cc) */
	int64_t silence_ms;       /* > 0: each request may wait this long from when
	                           * it begins (the session's deadline is moved for
	                           * each, and left at the last), so only silence
	                           * ends the walk; 0: the session's deadline bounds
	                           * the whole walk */
	int64_t first_wait_ms;    /* > 0: the first request waits at most this long
	                           * (a try over v2c that may go on over v1), and
	                           * the deadline is as above from its reply on */
	/* called after each reply's varbinds went to fn, before the next
	 * request waits (a chance to print what arrived); may be NULL */
	void (*replied)(void *ctx);
	/* out */
	size_t count;             /* varbinds passed to fn */
	int v1_end;               /* ended by SNMP v1's noSuchName (its end of view) */
};

/* Walks the subtree under root the way net-snmp's snmpwalk does: GETBULK
 * on v2c (max-repetitions halved on tooBig, shrunk to what an agent that
 * shortens its replies sends, grown while replies stay small), GETNEXT
 * on v1.  Calls fn for each varbind in the subtree, in the order they
 * come, including a last v2c exception (endOfMibView where the walk
 * meets the end of the agent's view), as snmpwalk prints them; a
 * non-zero return from fn stops the walk and is returned.  Ends at the
 * subtree end, an exception or v1 noSuchName (w->v1_end).  An OID that
 * does not increase is passed on, then PK_ECOMM, unless
 * w->no_check_increasing (the same OID as the one asked for is PK_ECOMM
 * even then: the walk would never end). */
int snmp_walk(struct snmp_session *s, const struct ber_oid *root, struct snmp_walk *w,
              int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx,
              struct pk_err *err);

/* Name of an error-status ("genErr"), or "error-status N". */
const char *snmp_status_name(int64_t status);

/* 1 when vb holds a v2c exception (or our marker for v1 noSuchName), or
 * was never filled: type 0, which no decoded value has (decode_value
 * refuses tag 0), so a zeroed array of varbinds reads as all missing. */
int snmp_vb_missing(const struct snmp_vb *vb);

/* Appends "OID = TYPE: value" in the form of net-snmp's snmpget -On. */
void snmp_vb_format(const struct snmp_vb *vb, struct pk_buf *out);

/* A ready varbind callback (snmp_walk and the like): appends
 * snmp_vb_format's line and a newline to the struct pk_buf ctx; returns 0. */
int snmp_vb_line(void *ctx, const struct snmp_vb *vb);

/* Appends the value alone in the same form (after "= "). */
void snmp_vb_format_value(const struct snmp_vb *vb, struct pk_buf *out);

/* Fills vb's type and value from snmpset-style TYPE and VALUE text:
 * i INTEGER, u Gauge32, c Counter32, t TimeTicks, a IpAddress, o OID,
 * s string, x hex string.  PK_EUSAGE when they do not parse. */
int snmp_vb_parse_value(struct snmp_vb *vb, const char *type, const char *value,
                        struct pk_err *err);

/* Sets vb to an OCTET STRING holding s (cut at SNMP_VB_STR_MAX). */
void snmp_vb_set_string(struct snmp_vb *vb, const char *s);

#endif
