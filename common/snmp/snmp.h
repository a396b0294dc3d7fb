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
 * A session keeps one socket to one agent; requests are serialized.
 * Nothing here prints: -v tracing goes through the session's pk_trace. */
#ifndef SNMP_H
#define SNMP_H

#include <stddef.h>
#include <stdint.h>

#include "snmp/ber.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/net.h"
#include "core/trace.h"

enum {
	SNMP_V1 = 0,
	SNMP_V2C = 1
};

enum {
	SNMP_PDU_GET = 0xa0,
	SNMP_PDU_GETNEXT = 0xa1,
	SNMP_PDU_RESPONSE = 0xa2,
	SNMP_PDU_SET = 0xa3,
	SNMP_PDU_GETBULK = 0xa5
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

struct snmp_session {
	struct pk_conn conn;     /* connected UDP: the kernel drops strangers */
	int version;             /* SNMP_V1 or SNMP_V2C */
	char community[256];     /* used by the next request */
	int retries;             /* retransmissions per request */
	int32_t next_id;
	int stale;               /* replies ignored (wrong id/type/version) */
	int answered;            /* matching replies so far */
	int64_t error_status;    /* of the last reply */
	int64_t error_index;
	struct pk_trace trace;
	uint8_t rx[65536];
	struct snmp_vb scratch[SNMP_MAX_VB];
};

/* Resolves host and makes the socket.  The session must be zeroed or
 * fresh; version, community, retries and trace are set by the caller. */
int snmp_open(struct snmp_session *s, const char *host, const char *port,
                 int64_t deadline, struct pk_err *err);
void snmp_close(struct snmp_session *s);

/* One exchange: sends the request, retransmits it with the same
 * request-id when no matching reply came, and returns 0 with the reply's
 * varbinds in s->scratch (*nout of them) and its error fields in
 * s->error_status/error_index.  Replies whose request-id, PDU type or
 * version do not match are ignored.  PK_ECOMM on timeout, a malformed
 * reply or an ICMP port unreachable. */
int snmp_exchange(struct snmp_session *s, uint8_t type, int a, int b,
                     const struct snmp_vb *vbs, size_t n, size_t *nout,
                     int64_t deadline, struct pk_err *err);

/* snmp_get flags */
enum {
	/* Missing objects (v2c exceptions, v1 noSuchName) are not errors:
	 * those varbinds come back with type BER_NOSUCHOBJECT. */
	SNMP_LENIENT = 1
};

/* GETs every vbs[i].oid (any n: requests of at most 10 varbinds, halved
 * again on tooBig) and fills the values in place.  Without
 * SNMP_LENIENT a missing object is PK_ENOTFOUND.  Error statuses are
 * reported by name and varbind. */
int snmp_get(struct snmp_session *s, struct snmp_vb *vbs, size_t n, int flags,
                int64_t deadline, struct pk_err *err);

/* One SET of n (<= 10) varbinds carrying their types and values.  An
 * error-status, or an exception in the reply, fails with its name and
 * varbind (PK_EREFUSED, PK_EAUTH for access errors, PK_ENOTFOUND for
 * noSuchName). */
int snmp_set(struct snmp_session *s, const struct snmp_vb *vbs, size_t n,
                int64_t deadline, struct pk_err *err);

/* Walks the subtree under root: GETBULK (10 repetitions) on v2c, GETNEXT
 * on v1.  Calls fn for each varbind in order; a non-zero return from fn
 * stops the walk and is returned.  Stops at the subtree end, endOfMibView
 * or v1 noSuchName; an agent returning a non-increasing OID is PK_ECOMM. */
int snmp_walk(struct snmp_session *s, const struct ber_oid *root,
                 int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx,
                 int64_t deadline, struct pk_err *err);

/* Name of an error-status ("genErr"), or "error-status N". */
const char *snmp_status_name(int64_t status);

/* 1 when vb holds a v2c exception (or our marker for v1 noSuchName). */
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
