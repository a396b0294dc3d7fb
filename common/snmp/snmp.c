#include "snmp/snmp.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/net.h"

/* ---- message codec -------------------------------------------------- */

static int
put_value(struct pk_buf *b, const struct snmp_vb *vb)
{
	switch (vb->type) {
	case BER_INTEGER:
		return ber_put_int(b, BER_INTEGER, vb->i);
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		return ber_put_uint(b, vb->type, vb->u);
	case BER_OCTETS:
	case BER_IPADDR:
	case BER_OPAQUE:
		return ber_put_bytes(b, vb->type, vb->v.s, vb->slen);
	case BER_OID:
		return ber_put_oid(b, &vb->v.oid);
	default:
		return ber_put_bytes(b, BER_NULL, NULL, 0);
	}
}

int
snmp_encode(struct pk_buf *out, int version, const char *community,
            uint8_t pdu_type, int32_t request_id, int a, int b,
            const struct snmp_vb *vbs, size_t n)
{
	struct pk_buf list = { 0 }, one = { 0 }, pdu = { 0 }, msg = { 0 };
	size_t i;
	int rc = -1;

	for (i = 0; i < n; i++) {
		pk_buf_reset(&one);
		if (ber_put_oid(&one, &vbs[i].oid) != 0 || put_value(&one, &vbs[i]) != 0 ||
		    ber_put_wrap(&list, BER_SEQUENCE, &one) != 0)
			goto out;
	}
	if (ber_put_int(&pdu, BER_INTEGER, request_id) != 0 ||
	    ber_put_int(&pdu, BER_INTEGER, a) != 0 ||
	    ber_put_int(&pdu, BER_INTEGER, b) != 0 ||
	    ber_put_wrap(&pdu, BER_SEQUENCE, &list) != 0)
		goto out;
	if (ber_put_int(&msg, BER_INTEGER, version) != 0 ||
	    ber_put_bytes(&msg, BER_OCTETS, community, strlen(community)) != 0 ||
	    ber_put_wrap(&msg, pdu_type, &pdu) != 0)
		goto out;
	rc = ber_put_wrap(out, BER_SEQUENCE, &msg);
out:
	pk_buf_free(&list);
	pk_buf_free(&one);
	pk_buf_free(&pdu);
	pk_buf_free(&msg);
	return rc;
}

/* Decodes one value TLV into vb.  Returns 0 or -1 with *why. */
static int
decode_value(uint8_t tag, const uint8_t *v, size_t n, struct snmp_vb *vb, const char **why)
{
	vb->type = tag;
	vb->slen = 0;
	vb->truncated = 0;
	switch (tag) {
	case BER_INTEGER:
		if (ber_decode_int(v, n, &vb->i) != 0 || n > 5) {
			*why = "bad INTEGER";
			return -1;
		}
		return 0;
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		if (ber_decode_uint(v, n, tag == BER_COUNTER64 ? 64 : 32, &vb->u) != 0) {
			*why = "bad unsigned value";
			return -1;
		}
		return 0;
	case BER_IPADDR:
		if (n != 4) {
			*why = "IpAddress is not 4 octets";
			return -1;
		}
		/* fall through */
	case BER_OCTETS:
	case BER_OPAQUE:
		vb->slen = n < SNMP_VB_STR_MAX ? n : SNMP_VB_STR_MAX;
		vb->truncated = n > SNMP_VB_STR_MAX;
		if (vb->slen)
			memcpy(vb->v.s, v, vb->slen);
		return 0;
	case BER_OID:
		if (ber_decode_oid(v, n, &vb->v.oid) != 0) {
			*why = "bad OBJECT IDENTIFIER value";
			return -1;
		}
		return 0;
	case BER_NULL:
	case BER_NOSUCHOBJECT:
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		if (n != 0) {
			*why = "NULL or exception with contents";
			return -1;
		}
		return 0;
	default:
		*why = "unknown value type";
		return -1;
	}
}

static int
decode_varbinds(struct ber_rd *list, struct snmp_vb *vbs, size_t cap, size_t *nvb,
                const char **why)
{
	*nvb = 0;
	while (list->off < list->len) {
		struct ber_rd vb;
		const uint8_t *v;
		size_t n;
		uint8_t tag;

		if (ber_expect(list, BER_SEQUENCE, &vb.p, &vb.len) != 0) {
			*why = "bad varbind";
			return -1;
		}
		vb.off = 0;
		if (*nvb >= cap) {
			*why = "too many varbinds";
			return -1;
		}
		if (ber_expect(&vb, BER_OID, &v, &n) != 0 ||
		    ber_decode_oid(v, n, &vbs[*nvb].oid) != 0) {
			*why = "bad varbind name";
			return -1;
		}
		if (ber_read_tlv(&vb, &tag, &v, &n) != 0) {
			*why = "bad varbind value length";
			return -1;
		}
		if (decode_value(tag, v, n, &vbs[*nvb], why) != 0)
			return -1;
		if (vb.off != vb.len) {
			*why = "trailing bytes in varbind";
			return -1;
		}
		(*nvb)++;
	}
	return 0;
}

int
snmp_decode(const uint8_t *p, size_t len, struct snmp_msg *m,
            struct snmp_vb *vbs, size_t cap, const char **why)
{
	struct ber_rd top = { p, len, 0 }, msg, pdu, list;
	const uint8_t *v;
	size_t n;
	int64_t x;

	*why = "not an SNMP message";
	if (ber_expect(&top, BER_SEQUENCE, &msg.p, &msg.len) != 0)
		return -1;
	if (top.off != top.len) {
		*why = "trailing bytes after the message";
		return -1;
	}
	msg.off = 0;
	if (ber_expect(&msg, BER_INTEGER, &v, &n) != 0 || ber_decode_int(v, n, &x) != 0) {
		*why = "bad version";
		return -1;
	}
	m->version = x == 0 || x == 1 ? (int)x : -1;
	if (ber_expect(&msg, BER_OCTETS, &m->community, &m->community_len) != 0) {
		*why = "bad community";
		return -1;
	}
	if (ber_read_tlv(&msg, &m->pdu_type, &pdu.p, &pdu.len) != 0 ||
	    (m->pdu_type & 0xe0) != 0xa0 || msg.off != msg.len) {
		*why = "bad PDU";
		return -1;
	}
	pdu.off = 0;
	if (ber_expect(&pdu, BER_INTEGER, &v, &n) != 0 || ber_decode_int(v, n, &x) != 0 ||
	    x < INT32_MIN || x > INT32_MAX) {
		*why = "bad request-id";
		return -1;
	}
	m->request_id = (int32_t)x;
	if (ber_expect(&pdu, BER_INTEGER, &v, &n) != 0 ||
	    ber_decode_int(v, n, &m->error_status) != 0 ||
	    ber_expect(&pdu, BER_INTEGER, &v, &n) != 0 ||
	    ber_decode_int(v, n, &m->error_index) != 0) {
		*why = "bad error-status or error-index";
		return -1;
	}
	if (ber_expect(&pdu, BER_SEQUENCE, &list.p, &list.len) != 0 || pdu.off != pdu.len) {
		*why = "bad varbind list";
		return -1;
	}
	list.off = 0;
	return decode_varbinds(&list, vbs, cap, &m->nvb, why);
}

/* ---- names and formatting ------------------------------------------- */

static const char *const status_names[] = {
	"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
	"noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue",
	"noCreation", "inconsistentValue", "resourceUnavailable", "commitFailed",
	"undoFailed", "authorizationError", "notWritable", "inconsistentName"
};

const char *
snmp_status_name(int64_t status)
{
	if (status >= 0 && status < (int64_t)(sizeof status_names / sizeof status_names[0]))
		return status_names[status];
	return "unknown error-status";
}

int
snmp_vb_missing(const struct snmp_vb *vb)
{
	return vb->type == BER_NOSUCHOBJECT || vb->type == BER_NOSUCHINSTANCE ||
	       vb->type == BER_ENDOFMIBVIEW;
}

/* net-snmp prints a string in quotes when every byte is printable or
 * whitespace, else as hex octets. */
static int
printable(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* A trailing NUL is tolerated by net-snmp, as it is here. */
		if (s[i] == 0 && i == n - 1 && n > 1)
			continue;
		if (!isprint(s[i]) && !isspace(s[i]))
			return 0;
	}
	return 1;
}

static void
format_string(const struct snmp_vb *vb, struct pk_buf *out)
{
	size_t i;

	if (vb->slen == 0) {
		pk_buf_adds(out, "\"\"");  /* net-snmp prints an empty string bare */
		return;
	}
	if (!printable(vb->v.s, vb->slen)) {
		pk_buf_adds(out, "Hex-STRING: ");
		for (i = 0; i < vb->slen; i++) {
			pk_buf_printf(out, "%02X ", vb->v.s[i]);
			if (i % 16 == 15 && i + 1 < vb->slen)
				pk_buf_addc(out, '\n');
		}
		return;
	}
	pk_buf_adds(out, "STRING: \"");
	for (i = 0; i < vb->slen; i++) {
		if (vb->v.s[i] == 0)
			break;
		if (vb->v.s[i] == '"' || vb->v.s[i] == '\\')
			pk_buf_addc(out, '\\');
		pk_buf_addc(out, (char)vb->v.s[i]);
	}
	pk_buf_addc(out, '"');
}

void
snmp_vb_format_value(const struct snmp_vb *vb, struct pk_buf *out)
{
	char oid[BER_OID_MAX * 11 + 1];
	uint64_t t;

	switch (vb->type) {
	case BER_INTEGER:
		pk_buf_printf(out, "INTEGER: %" PRId64, vb->i);
		break;
	case BER_OCTETS:
		format_string(vb, out);
		break;
	case BER_NULL:
		pk_buf_adds(out, "NULL");
		break;
	case BER_OID:
		ber_oid_format(&vb->v.oid, oid, sizeof oid);
		pk_buf_printf(out, "OID: %s", oid);
		break;
	case BER_IPADDR:
		pk_buf_printf(out, "IpAddress: %u.%u.%u.%u", vb->v.s[0], vb->v.s[1],
		              vb->v.s[2], vb->v.s[3]);
		break;
	case BER_COUNTER32:
		pk_buf_printf(out, "Counter32: %" PRIu64, vb->u);
		break;
	case BER_GAUGE32:
		pk_buf_printf(out, "Gauge32: %" PRIu64, vb->u);
		break;
	case BER_TIMETICKS:
		t = vb->u;
		pk_buf_printf(out, "Timeticks: (%" PRIu64 ") ", t);
		if (t >= 8640000)
			pk_buf_printf(out, "%" PRIu64 " day%s, ", t / 8640000,
			              t / 8640000 == 1 ? "" : "s");
		pk_buf_printf(out, "%" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%02" PRIu64,
		              t / 360000 % 24, t / 6000 % 60, t / 100 % 60, t % 100);
		break;
	case BER_COUNTER64:
		pk_buf_printf(out, "Counter64: %" PRIu64, vb->u);
		break;
	case BER_OPAQUE:
		pk_buf_adds(out, "OPAQUE: ");
		for (size_t i = 0; i < vb->slen; i++)
			pk_buf_printf(out, "%02X ", vb->v.s[i]);
		break;
	case BER_NOSUCHOBJECT:
		pk_buf_adds(out, "No Such Object available on this agent at this OID");
		break;
	case BER_NOSUCHINSTANCE:
		pk_buf_adds(out, "No Such Instance currently exists at this OID");
		break;
	case BER_ENDOFMIBVIEW:
		pk_buf_adds(out, "No more variables left in this MIB View (It is past the end of the MIB tree)");
		break;
	default:
		pk_buf_printf(out, "type 0x%02x", vb->type);
	}
}

int
snmp_vb_line(void *ctx, const struct snmp_vb *vb)
{
	snmp_vb_format(vb, ctx);
	pk_buf_addc(ctx, '\n');
	return 0;
}

void
snmp_vb_format(const struct snmp_vb *vb, struct pk_buf *out)
{
	char oid[BER_OID_MAX * 11 + 1];

	ber_oid_format(&vb->oid, oid, sizeof oid);
	pk_buf_printf(out, "%s = ", oid);
	snmp_vb_format_value(vb, out);
}

void
snmp_vb_set_string(struct snmp_vb *vb, const char *s)
{
	size_t n = strlen(s);

	vb->type = BER_OCTETS;
	vb->slen = n < SNMP_VB_STR_MAX ? n : SNMP_VB_STR_MAX;
	memcpy(vb->v.s, s, vb->slen);
}

static int
parse_hex(struct snmp_vb *vb, const char *s)
{
	size_t n = 0;

	while (*s) {
		unsigned int byte;
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) ||
		    n >= SNMP_VB_STR_MAX || sscanf(s, "%2x", &byte) != 1)
			return -1;
		vb->v.s[n++] = (uint8_t)byte;
		s += 2;
	}
	vb->slen = n;
	return 0;
}

int
snmp_vb_parse_value(struct snmp_vb *vb, const char *type, const char *value, struct pk_err *err)
{
	char *end;
	long long ll;
	unsigned long long ull;
	unsigned a[4];
	char extra;
	int bad = 0;

	if (strlen(type) != 1)
		bad = 1;
	errno = 0;
	switch (bad ? '?' : type[0]) {
	case 'i':
		ll = strtoll(value, &end, 10);
		bad = *value == '\0' || *end != '\0' || errno || ll < INT32_MIN || ll > INT32_MAX;
		vb->type = BER_INTEGER;
		vb->i = ll;
		break;
	case 'u':
	case 'c':
	case 't':
		ull = strtoull(value, &end, 10);
		bad = !isdigit((unsigned char)*value) || *end != '\0' || errno || ull > UINT32_MAX;
		vb->type = type[0] == 'u' ? BER_GAUGE32 : type[0] == 'c' ? BER_COUNTER32 : BER_TIMETICKS;
		vb->u = ull;
		break;
	case 'a':
		bad = sscanf(value, "%u.%u.%u.%u%c", &a[0], &a[1], &a[2], &a[3], &extra) != 4 ||
		      a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255;
		vb->type = BER_IPADDR;
		vb->slen = 4;
		for (int k = 0; k < 4; k++)
			vb->v.s[k] = (uint8_t)a[k];
		break;
	case 'o':
		vb->type = BER_OID;
		bad = ber_oid_parse(value, &vb->v.oid) != 0;
		break;
	case 's':
		if (strlen(value) > SNMP_VB_STR_MAX)
			return pk_err_set(err, PK_EUSAGE, "usage", "string value too long (maximum %d bytes)",
			                  SNMP_VB_STR_MAX);
		snmp_vb_set_string(vb, value);
		break;
	case 'x':
		vb->type = BER_OCTETS;
		bad = parse_hex(vb, value) != 0;
		break;
	default:
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "value type '%s': expected i, u, c, t, a, o, s or x", type);
	}
	if (bad)
		return pk_err_set(err, PK_EUSAGE, "usage", "value '%s' is not valid for type %s",
		                  value, type);
	return 0;
}

/* ---- transport ------------------------------------------------------ */

void
snmp_init(struct snmp_session *s, const struct pk_session_opts *opts)
{
	struct timespec ts;
	uint32_t seed;

	pk_conn_init(&s->conn);
	s->opts = *opts;
	/* A random first request-id, so that a late reply to an earlier
	 * run (same source port reused) cannot be taken for ours. */
	clock_gettime(CLOCK_REALTIME, &ts);
	seed = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec ^ ((uint32_t)getpid() << 16);
	s->next_id = (int32_t)((seed * 2654435761u) & 0x3fffffff) + 1;
}

int
snmp_open(struct snmp_session *s, const char *host, const char *port, struct pk_err *err)
{
	return pk_conn_open(&s->conn, host, port, SOCK_DGRAM, s->opts.deadline, err);
}

void
snmp_close(struct snmp_session *s)
{
	pk_buf_free(&s->req.msg);
	pk_conn_close(&s->conn);
}

static void
trace_request(struct snmp_session *s, uint8_t type, int32_t id, const struct snmp_vb *vbs, size_t n,
              int attempt)
{
	char oid[BER_OID_MAX * 11 + 1];
	const char *name = type == SNMP_PDU_GET ? "GET" : type == SNMP_PDU_GETNEXT ? "GETNEXT" :
	                   type == SNMP_PDU_GETBULK ? "GETBULK" : type == SNMP_PDU_SET ? "SET" : "PDU";

	if (s->opts.trace.fn == NULL)
		return;
	pk_trace(&s->opts.trace, '>', "%s v%s community=*** id=%d%s (%zu varbind%s)", name,
	         s->version == SNMP_V1 ? "1" : "2c", id, attempt ? " retransmission" : "", n,
	         n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		struct pk_buf b = { 0 };
		if (type == SNMP_PDU_SET) {
			snmp_vb_format(&vbs[i], &b);
			pk_trace(&s->opts.trace, '>', "  %s", pk_buf_str(&b));
		} else {
			ber_oid_format(&vbs[i].oid, oid, sizeof oid);
			pk_trace(&s->opts.trace, '>', "  %s", oid);
		}
		pk_buf_free(&b);
	}
}

static void
trace_reply(struct snmp_session *s, const struct snmp_msg *m)
{
	if (s->opts.trace.fn == NULL)
		return;
	pk_trace(&s->opts.trace, '<', "RESPONSE id=%d error-status=%s error-index=%" PRId64
	         " (%zu varbind%s)", m->request_id, snmp_status_name(m->error_status),
	         m->error_index, m->nvb, m->nvb == 1 ? "" : "s");
	for (size_t i = 0; i < m->nvb; i++) {
		struct pk_buf b = { 0 };
		snmp_vb_format(&s->scratch[i], &b);
		pk_trace(&s->opts.trace, '<', "  %s", pk_buf_str(&b));
		pk_buf_free(&b);
	}
}

static int
timeout_error(struct snmp_session *s, struct pk_err *err)
{
	if (s->stale > 0)
		return pk_err_set(err, PK_ECOMM, "timeout",
		                  "no matching SNMP reply (%d replies with a wrong request-id, "
		                  "PDU type or version ignored)", s->stale);
	if (s->answered > 0)
		return pk_err_set(err, PK_ECOMM, "timeout",
		                  "no SNMP reply in the time left (the agent answered %d requests "
		                  "before)", s->answered);
	return pk_err_set(err, PK_ECOMM, "timeout",
	                  "no SNMP reply (SNMP v%s); a wrong community looks exactly like "
	                  "this, since agents drop such requests silently",
	                  s->version == SNMP_V1 ? "1" : "2c");
}

/* Ends the request in flight with rc (0: s->scratch holds the reply). */
static int
request_finish(struct snmp_session *s, int rc)
{
	s->req.state = SNMP_REQ_DONE;
	s->req.rc = rc;
	return rc;
}

/* Sends the next try of the request, or ends it when the tries or the
 * deadline are used up.  Each try waits for an even share of the time
 * left over the tries still to come. */
static int
request_send(struct snmp_session *s)
{
	struct snmp_request *r = &s->req;

	if (r->sent >= r->tries || pk_ms_left(r->deadline) == 0)
		return request_finish(s, timeout_error(s, &r->err));
	r->try_deadline = pk_now_ms() + pk_ms_left(r->deadline) / (r->tries - r->sent);
	trace_request(s, r->type, r->id, r->vbs, r->n, r->sent);
	r->sent++;
	/* An ICMP port unreachable from an earlier try surfaces here as
	 * ECONNREFUSED; the recv that follows reports it. */
	if (send(s->conn.fd, r->msg.data, r->msg.len, 0) < 0 && errno != ECONNREFUSED)
		return request_finish(s, pk_err_set(&r->err, PK_ECOMM, "send", "%s", strerror(errno)));
	return 0;
}

int
snmp_request_begin(struct snmp_session *s, uint8_t type, int a, int b,
                   const struct snmp_vb *vbs, size_t n, struct pk_err *err)
{
	struct snmp_request *r = &s->req;

	if (r->state != SNMP_REQ_IDLE)
		return pk_err_set(err, PK_ECOMM, "busy", "an SNMP request is already in flight");
	r->type = type;
	r->vbs = vbs;
	r->n = n;
	r->id = s->next_id;
	r->tries = s->retries + 1;
	r->sent = 0;
	r->nvb = 0;
	r->deadline = s->opts.deadline;
	r->state = SNMP_REQ_WAITING;
	s->next_id = s->next_id == INT32_MAX ? 1 : s->next_id + 1;
	pk_buf_reset(&r->msg);
	if (snmp_encode(&r->msg, s->version, s->community, type, r->id, a, b, vbs, n) != 0) {
		request_finish(s, pk_err_set(&r->err, PK_EUSAGE, "usage",
		                             "cannot encode the request"));
	} else {
		request_send(s);
	}
	if (r->state == SNMP_REQ_DONE && err != NULL)
		*err = r->err;
	return r->state == SNMP_REQ_DONE ? r->rc : 0;
}

/* Takes one datagram: 1 when it is the matching reply (decoded into
 * s->scratch), 0 when it was skipped, -1 when nothing more is queued, or
 * ends the request with an error (returning 2). */
static int
request_take_datagram(struct snmp_session *s)
{
	struct snmp_request *r = &s->req;
	const char *why;
	ssize_t got = recv(s->conn.fd, s->rx, sizeof s->rx, 0);

	if (got < 0) {
		if (errno == EINTR)
			return 0;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return -1;
		if (errno == ECONNREFUSED)
			pk_err_set(&r->err, PK_ECOMM, "refused",
			           "port unreachable (no SNMP agent listening there)");
		else
			pk_err_set(&r->err, PK_ECOMM, "recv", "%s", strerror(errno));
		request_finish(s, PK_ECOMM);
		return 2;
	}
	if (snmp_decode(s->rx, (size_t)got, &r->m, s->scratch, SNMP_MAX_VB, &why) != 0) {
		pk_trace(&s->opts.trace, '<', "malformed reply (%zd bytes): %s", got, why);
		request_finish(s, pk_err_set(&r->err, PK_ECOMM, "malformed",
		                             "malformed SNMP reply (%s)", why));
		return 2;
	}
	if (r->m.request_id != r->id || r->m.pdu_type != SNMP_PDU_RESPONSE ||
	    r->m.version != s->version) {
		/* A late answer to an earlier request, or not ours: skip it. */
		s->stale++;
		pk_trace(&s->opts.trace, '<', "ignored reply id=%d type=0x%02x version=%d",
		         r->m.request_id, r->m.pdu_type, r->m.version);
		return 0;
	}
	return 1;
}

int
snmp_request_handle(struct snmp_session *s, short revents)
{
	struct snmp_request *r = &s->req;

	if (r->state != SNMP_REQ_WAITING)
		return r->state == SNMP_REQ_DONE ? r->rc : 0;
	if (revents != 0) {
		for (;;) {
			int took = request_take_datagram(s);

			if (took == 2)
				return r->rc;
			if (took < 0)
				break;
			if (took == 1) {
				trace_reply(s, &r->m);
				s->answered++;
				s->error_status = r->m.error_status;
				s->error_index = r->m.error_index;
				r->nvb = r->m.nvb;
				return request_finish(s, 0);
			}
		}
	}
	if (pk_now_ms() >= r->try_deadline)
		return request_send(s);  /* same bytes, same request-id */
	return 0;
}

short
snmp_request_events(const struct snmp_session *s, int *fd, int64_t *wake)
{
	*fd = s->conn.fd;
	*wake = s->req.state == SNMP_REQ_WAITING ? s->req.try_deadline : 0;
	return s->req.state == SNMP_REQ_WAITING && s->conn.fd >= 0 ? POLLIN : 0;
}

int
snmp_request_done(const struct snmp_session *s)
{
	return s->req.state != SNMP_REQ_WAITING;
}

int
snmp_request_result(struct snmp_session *s, size_t *nout, struct pk_err *err)
{
	struct snmp_request *r = &s->req;

	if (r->state != SNMP_REQ_DONE)
		return pk_err_set(err, PK_ECOMM, "busy", "no SNMP request has ended");
	r->state = SNMP_REQ_IDLE;
	if (r->rc != 0) {
		if (err != NULL)
			*err = r->err;
		return r->rc;
	}
	*nout = r->nvb;
	return 0;
}

static short
request_task_want(void *ctx, int *fd, int64_t *wake)
{
	return snmp_request_events(ctx, fd, wake);
}

static int
request_task_handle(void *ctx, short revents)
{
	return snmp_request_handle(ctx, revents);
}

struct pk_task
snmp_request_task(struct snmp_session *s)
{
	struct pk_task t = { request_task_want, request_task_handle, s };

	return t;
}

int
snmp_exchange(struct snmp_session *s, uint8_t type, int a, int b, const struct snmp_vb *vbs,
              size_t n, size_t *nout, struct pk_err *err)
{
	struct pk_task t = snmp_request_task(s);
	int rc = snmp_request_begin(s, type, a, b, vbs, n, err);

	if (rc != 0 && s->req.state != SNMP_REQ_DONE)
		return rc;  /* another request is in flight: leave it be */
	/* The request ends itself at its deadline: no timeout of its own here. */
	while (!snmp_request_done(s))
		pk_poll_tasks(&t, 1, s->req.deadline);
	return snmp_request_result(s, nout, err);
}

/* ---- GET / SET / walk ----------------------------------------------- */

static int
status_error(struct snmp_session *s, const struct snmp_vb *vbs, size_t n, const char *op,
             struct pk_err *err)
{
	char oid[BER_OID_MAX * 11 + 1] = "";
	enum pk_status st = PK_EREFUSED;
	int64_t es = s->error_status, ei = s->error_index;

	if (ei >= 1 && (size_t)ei <= n)
		ber_oid_format(&vbs[ei - 1].oid, oid, sizeof oid);
	if (es == 2)
		st = PK_ENOTFOUND;
	else if (es == 4 || es == 6 || es == 16)
		st = PK_EAUTH;
	return pk_err_set(err, st, snmp_status_name(es), "%s failed: %s (%" PRId64 ")%s%s",
	                  op, snmp_status_name(es), es, oid[0] ? " at " : "", oid);
}

static void
mark_missing(struct snmp_vb *vb)
{
	vb->type = BER_NOSUCHOBJECT;
	vb->slen = 0;
}

/* ---- a GET of any size, non-blocking --------------------------------
 * Requests of at most SNMP_MAX_VB_PER_REQ varbinds, one after the other:
 * op->left[pos..pos+batch) is the request in flight.  tooBig splits it in
 * two, the second half waiting on op->split (innermost on top); with
 * SNMP_LENIENT a v1 noSuchName marks that varbind missing, drops it from
 * left and asks again for the rest. */

/* The next request from left[pos]: a waiting half, else the next ten. */
static size_t
getop_next_batch(struct snmp_get_op *op)
{
	size_t rest = op->nleft - op->pos;

	if (op->nsplit > 0)
		return op->split[--op->nsplit];
	return rest < SNMP_MAX_VB_PER_REQ ? rest : SNMP_MAX_VB_PER_REQ;
}

static int
getop_finish(struct snmp_get_op *op, int rc)
{
	op->state = SNMP_GET_DONE;
	op->rc = rc;
	return rc;
}

static int getop_send(struct snmp_get_op *op);

/* The current batch settled, answered ones of it: on to the next. */
static int
getop_advance(struct snmp_get_op *op, size_t answered)
{
	op->pos += answered;
	op->batch = 0;
	return getop_send(op);
}

/* Begins the request for the current batch, or ends the GET when nothing
 * is left to ask. */
static int
getop_send(struct snmp_get_op *op)
{
	size_t i;
	int rc;

	if (op->batch == 0)
		op->batch = getop_next_batch(op);
	if (op->batch == 0)
		return getop_finish(op, 0);
	for (i = 0; i < op->batch; i++) {
		op->req[i].oid = op->left[op->pos + i]->oid;
		op->req[i].type = BER_NULL;
	}
	rc = snmp_request_begin(op->s, SNMP_PDU_GET, 0, 0, op->req, op->batch, &op->err);
	if (rc != 0 && op->s->req.state == SNMP_REQ_DONE)
		op->s->req.state = SNMP_REQ_IDLE;   /* its result is rc, taken here */
	return rc != 0 ? getop_finish(op, rc) : 0;
}

/* Takes the reply to the current batch (got varbinds in s->scratch). */
static int
getop_take(struct snmp_get_op *op, size_t got)
{
	struct snmp_session *s = op->s;
	struct snmp_vb **left = op->left + op->pos;
	size_t nask = op->batch, i;

	if (s->error_status == SNMP_TOOBIG && nask > 1 && op->nsplit < SNMP_GET_SPLITS) {
		op->split[op->nsplit++] = nask - nask / 2;
		op->batch = nask / 2;
		return getop_send(op);
	}
	if (s->error_status == SNMP_NOSUCHNAME && (op->flags & SNMP_LENIENT) &&
	    s->error_index >= 1 && (size_t)s->error_index <= nask) {
		size_t bad = (size_t)s->error_index - 1;
		mark_missing(left[bad]);
		memmove(&left[bad], &left[bad + 1],
		        (op->nleft - op->pos - bad - 1) * sizeof left[0]);
		op->nleft--;
		op->batch--;
		return op->batch > 0 ? getop_send(op) : getop_advance(op, 0);
	}
	if (s->error_status != 0)
		return getop_finish(op, status_error(s, op->req, nask, "GET", &op->err));
	if (got != nask)
		return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "malformed",
		                                   "GET reply has %zu varbinds for %zu asked",
		                                   got, nask));
	for (i = 0; i < nask; i++) {
		char oid[BER_OID_MAX * 11 + 1];
		if (ber_oid_cmp(&s->scratch[i].oid, &left[i]->oid) != 0)
			return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "malformed",
			                                   "GET reply names other objects than asked"));
		if (snmp_vb_missing(&s->scratch[i]) && !(op->flags & SNMP_LENIENT)) {
			ber_oid_format(&left[i]->oid, oid, sizeof oid);
			return getop_finish(op, pk_err_set(&op->err, PK_ENOTFOUND, "noSuchObject",
			                                   "%s: %s", oid,
			                                   s->scratch[i].type == BER_NOSUCHINSTANCE ?
			                                   "no such instance" : "no such object"));
		}
		*left[i] = s->scratch[i];
	}
	return getop_advance(op, nask);
}

int
snmp_get_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
               size_t n, int flags)
{
	size_t i;

	free(op->left);
	*op = (struct snmp_get_op){ .s = s, .flags = flags, .state = SNMP_GET_WAITING };
	op->left = malloc((n ? n : 1) * sizeof *op->left);
	if (op->left == NULL)
		return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "memory", "out of memory"));
	for (i = 0; i < n; i++)
		op->left[i] = &vbs[i];
	op->nleft = n;
	return getop_send(op);
}

short
snmp_get_events(const struct snmp_get_op *op, int *fd, int64_t *wake)
{
	*fd = -1;
	*wake = 0;
	return op->state == SNMP_GET_WAITING ? snmp_request_events(op->s, fd, wake) : 0;
}

int
snmp_get_handle(struct snmp_get_op *op, short revents)
{
	size_t got = 0;
	int rc;

	if (op->state != SNMP_GET_WAITING)
		return op->state == SNMP_GET_DONE ? op->rc : 0;
	snmp_request_handle(op->s, revents);
	if (!snmp_request_done(op->s))
		return 0;
	rc = snmp_request_result(op->s, &got, &op->err);
	return rc != 0 ? getop_finish(op, rc) : getop_take(op, got);
}

int
snmp_get_result(struct snmp_get_op *op, struct pk_err *err)
{
	int rc = op->state == SNMP_GET_DONE ? op->rc :
	         pk_err_set(&op->err, PK_ECOMM, "busy", "the GET has not ended");

	if (rc != 0 && err != NULL)
		*err = op->err;
	free(op->left);
	op->left = NULL;
	op->state = SNMP_GET_IDLE;
	return rc;
}

static short
getop_task_want(void *ctx, int *fd, int64_t *wake)
{
	return snmp_get_events(ctx, fd, wake);
}

static int
getop_task_handle(void *ctx, short revents)
{
	return snmp_get_handle(ctx, revents);
}

struct pk_task
snmp_get_task(struct snmp_get_op *op)
{
	struct pk_task t = { getop_task_want, getop_task_handle, op };

	return t;
}

int
snmp_get(struct snmp_session *s, struct snmp_vb *vbs, size_t n, int flags, struct pk_err *err)
{
	struct snmp_get_op *op = calloc(1, sizeof *op);
	struct pk_task t = snmp_get_task(op);
	int rc;

	if (op == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	snmp_get_begin(s, op, vbs, n, flags);
	/* Each request ends itself at its deadline: no timeout of its own here. */
	while (op->state == SNMP_GET_WAITING)
		pk_poll_tasks(&t, 1, s->req.deadline);
	rc = snmp_get_result(op, err);
	free(op);
	return rc;
}

int
snmp_set(struct snmp_session *s, const struct snmp_vb *vbs, size_t n, struct pk_err *err)
{
	size_t got, i;
	int rc;

	if (n > SNMP_MAX_VB_PER_REQ)
		return pk_err_set(err, PK_EUSAGE, "usage", "at most %d varbinds per SET",
		                  SNMP_MAX_VB_PER_REQ);
	rc = snmp_exchange(s, SNMP_PDU_SET, 0, 0, vbs, n, &got, err);
	if (rc != 0)
		return rc;
	if (s->error_status != 0)
		return status_error(s, vbs, n, "SET", err);
	/* snmpsim answers a wrong-type SET with noError and an exception. */
	for (i = 0; i < got; i++) {
		if (snmp_vb_missing(&s->scratch[i])) {
			char oid[BER_OID_MAX * 11 + 1];
			ber_oid_format(&s->scratch[i].oid, oid, sizeof oid);
			return pk_err_set(err, PK_ENOTFOUND, "noSuchObject",
			                  "SET failed: no such object at %s", oid);
		}
	}
	return 0;
}

int
snmp_walk(struct snmp_session *s, const struct ber_oid *root,
          int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx, struct pk_err *err)
{
	struct snmp_vb cur;
	int reps = SNMP_MAX_VB_PER_REQ;

	memset(&cur, 0, sizeof cur);
	cur.oid = *root;
	cur.type = BER_NULL;
	for (;;) {
		size_t got, i;
		int bulk = s->version == SNMP_V2C;
		int rc = snmp_exchange(s, bulk ? SNMP_PDU_GETBULK : SNMP_PDU_GETNEXT, 0,
		                       bulk ? reps : 0, &cur, 1, &got, err);
		if (rc != 0)
			return rc;
		if (s->error_status == SNMP_TOOBIG && bulk && reps > 1) {
			reps /= 2;
			continue;
		}
		if (s->error_status == SNMP_NOSUCHNAME && !bulk)
			return 0;  /* v1's end of the MIB view */
		if (s->error_status != 0)
			return status_error(s, &cur, 1, bulk ? "GETBULK" : "GETNEXT", err);
		if (got == 0)
			return pk_err_set(err, PK_ECOMM, "malformed", "empty walk reply");
		for (i = 0; i < got; i++) {
			const struct snmp_vb *vb = &s->scratch[i];
			if (vb->type == BER_ENDOFMIBVIEW || !ber_oid_has_prefix(&vb->oid, root))
				return 0;
			if (ber_oid_cmp(&vb->oid, &cur.oid) <= 0)
				return pk_err_set(err, PK_ECOMM, "malformed",
				                  "agent returned a non-increasing OID");
			cur.oid = vb->oid;
			rc = fn(ctx, vb);
			if (rc != 0)
				return rc;
		}
	}
}
