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
	case BER_NOSUCHOBJECT:   /* an agent's exceptions (the tests' agents) */
	case BER_NOSUCHINSTANCE:
	case BER_ENDOFMIBVIEW:
		return ber_put_bytes(b, vb->type, NULL, 0);
	default:
		return ber_put_bytes(b, BER_NULL, NULL, 0);
	}
}

/* The PDU alone: its tag, request-id, a, b and the varbind list. */
static int
encode_pdu(struct pk_buf *out, uint8_t pdu_type, int32_t request_id, int a, int b,
           const struct snmp_vb *vbs, size_t n)
{
	struct pk_buf list = { 0 }, one = { 0 }, pdu = { 0 };
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
	rc = ber_put_wrap(out, pdu_type, &pdu);
out:
	pk_buf_free(&list);
	pk_buf_free(&one);
	pk_buf_free(&pdu);
	return rc;
}

int
snmp_encode(struct pk_buf *out, int version, const char *community,
            uint8_t pdu_type, int32_t request_id, int a, int b,
            const struct snmp_vb *vbs, size_t n)
{
	struct pk_buf msg = { 0 };
	int rc = -1;

	if (ber_put_int(&msg, BER_INTEGER, version) == 0 &&
	    ber_put_bytes(&msg, BER_OCTETS, community, strlen(community)) == 0 &&
	    encode_pdu(&msg, pdu_type, request_id, a, b, vbs, n) == 0)
		rc = ber_put_wrap(out, BER_SEQUENCE, &msg);
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

/* The PDU TLV at msg's cursor, which must be the last thing in msg. */
static int
decode_pdu(struct ber_rd *msg, struct snmp_msg *m, struct snmp_vb *vbs, size_t cap,
           const char **why)
{
	struct ber_rd pdu, list;
	const uint8_t *v;
	size_t n;
	int64_t x;

	if (ber_read_tlv(msg, &m->pdu_type, &pdu.p, &pdu.len) != 0 ||
	    (m->pdu_type & 0xe0) != 0xa0 || msg->off != msg->len) {
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

/* The outer SEQUENCE of a message, alone in p; msg reads its contents. */
static int
open_message(const uint8_t *p, size_t len, struct ber_rd *msg, const char **why)
{
	struct ber_rd top = { p, len, 0 };

	*why = "not an SNMP message";
	if (ber_expect(&top, BER_SEQUENCE, &msg->p, &msg->len) != 0)
		return -1;
	if (top.off != top.len) {
		*why = "trailing bytes after the message";
		return -1;
	}
	msg->off = 0;
	return 0;
}

int
snmp_decode(const uint8_t *p, size_t len, struct snmp_msg *m,
            struct snmp_vb *vbs, size_t cap, const char **why)
{
	struct ber_rd msg;
	const uint8_t *v;
	size_t n;
	int64_t x;

	if (open_message(p, len, &msg, why) != 0)
		return -1;
	if (ber_expect(&msg, BER_INTEGER, &v, &n) != 0 || ber_decode_int(v, n, &x) != 0) {
		*why = "bad version";
		return -1;
	}
	m->version = x == 0 || x == 1 ? (int)x : -1;
	if (ber_expect(&msg, BER_OCTETS, &m->community, &m->community_len) != 0) {
		*why = "bad community";
		return -1;
	}
	return decode_pdu(&msg, m, vbs, cap, why);
}

/* ---- SNMPv3 ---------------------------------------------------------- */

/* msgMaxSize: the largest UDP payload over IPv4. */
#define V3_MAX_SIZE 65507
#define V3_USM 3   /* msgSecurityModel: USM */

/* The scoped PDU: context engine ID, context name, the PDU. */
static int
encode_scoped(struct pk_buf *out, const struct snmp_usm *u, int discovery, uint8_t pdu_type,
              int32_t request_id, int a, int b, const struct snmp_vb *vbs, size_t n)
{
	struct pk_buf sc = { 0 };
	size_t elen = discovery ? 0 : u->engine_id_len;
	const char *ctx = discovery ? "" : u->context;
	int rc = -1;

	if (ber_put_bytes(&sc, BER_OCTETS, u->engine_id, elen) == 0 &&
	    ber_put_bytes(&sc, BER_OCTETS, ctx, strlen(ctx)) == 0 &&
	    encode_pdu(&sc, pdu_type, request_id, a, b, vbs, n) == 0)
		rc = ber_put_wrap(out, BER_SEQUENCE, &sc);
	pk_buf_free(&sc);
	return rc;
}

/* msgData: the scoped PDU as it is, or encrypted into an OCTET STRING
 * (priv_params gets the salt). */
static int
encode_data(struct pk_buf *out, struct snmp_usm *u, const struct pk_buf *scoped, int priv,
            uint32_t boots, uint32_t time, uint8_t priv_params[8])
{
	uint8_t *enc;
	size_t n = 0;
	int rc;

	if (!priv)
		return pk_buf_add(out, scoped->data, scoped->len);
	enc = malloc(scoped->len + 8);
	if (enc == NULL)
		return -1;
	rc = snmp_usm_encrypt(u, boots, time, (const uint8_t *)scoped->data, scoped->len, enc, &n,
	                      priv_params);
	if (rc == 0)
		rc = ber_put_bytes(out, BER_OCTETS, enc, n);
	free(enc);
	return rc;
}

/* UsmSecurityParameters, wrapped in the OCTET STRING that carries them;
 * the HMAC's place is mac_len zeros. */
static int
encode_usm_params(struct pk_buf *out, const struct snmp_usm *u, int discovery, uint32_t boots,
                  uint32_t time, size_t mac_len, const uint8_t *priv_params, size_t priv_len)
{
	static const uint8_t zeros[SNMP_USM_HASH_MAX];
	struct pk_buf sp = { 0 }, seq = { 0 };
	const char *user = discovery ? "" : u->user;
	int rc = -1;

	if (ber_put_bytes(&sp, BER_OCTETS, u->engine_id, discovery ? 0 : u->engine_id_len) == 0 &&
	    ber_put_int(&sp, BER_INTEGER, discovery ? 0 : boots) == 0 &&
	    ber_put_int(&sp, BER_INTEGER, discovery ? 0 : time) == 0 &&
	    ber_put_bytes(&sp, BER_OCTETS, user, strlen(user)) == 0 &&
	    ber_put_bytes(&sp, BER_OCTETS, zeros, mac_len) == 0 &&
	    ber_put_bytes(&sp, BER_OCTETS, priv_params, priv_len) == 0 &&
	    ber_put_wrap(&seq, BER_SEQUENCE, &sp) == 0)
		rc = ber_put_wrap(out, BER_OCTETS, &seq);
	pk_buf_free(&sp);
	pk_buf_free(&seq);
	return rc;
}

/* The parts of a v3 message that decoding and signing need. */
struct v3_parts {
	struct snmp_v3_hdr h;
	uint8_t *auth;          /* msgAuthenticationParameters, in the message */
	size_t auth_len;
	const uint8_t *priv;    /* msgPrivacyParameters */
	size_t priv_len;
	uint8_t data_tag;       /* msgData: SEQUENCE, or OCTET STRING when encrypted */
	uint8_t *data;
	size_t data_len;
};

/* An INTEGER TLV that must lie within lo..hi. */
static int
expect_int(struct ber_rd *r, int64_t lo, int64_t hi, int64_t *out)
{
	const uint8_t *v;
	size_t n;

	return ber_expect(r, BER_INTEGER, &v, &n) != 0 || ber_decode_int(v, n, out) != 0 ||
	       *out < lo || *out > hi ? -1 : 0;
}

/* Reads the USM parameters out of the OCTET STRING's contents. */
static int
parse_usm_params(const uint8_t *v, size_t n, struct v3_parts *pp, const char **why)
{
	struct ber_rd outer = { v, n, 0 }, sp;
	const uint8_t *a;
	int64_t x;

	*why = "bad USM security parameters";
	if (ber_expect(&outer, BER_SEQUENCE, &sp.p, &sp.len) != 0 || outer.off != outer.len)
		return -1;
	sp.off = 0;
	if (ber_expect(&sp, BER_OCTETS, &pp->h.engine_id, &pp->h.engine_id_len) != 0 ||
	    pp->h.engine_id_len > SNMP_USM_ENGINE_MAX || expect_int(&sp, 0, INT32_MAX, &x) != 0)
		return -1;
	pp->h.boots = (uint32_t)x;
	if (expect_int(&sp, 0, INT32_MAX, &x) != 0)
		return -1;
	pp->h.time = (uint32_t)x;
	if (ber_expect(&sp, BER_OCTETS, &pp->h.user, &pp->h.user_len) != 0 ||
	    pp->h.user_len > SNMP_USM_NAME_MAX ||
	    ber_expect(&sp, BER_OCTETS, &a, &pp->auth_len) != 0 ||
	    ber_expect(&sp, BER_OCTETS, &pp->priv, &pp->priv_len) != 0 || sp.off != sp.len)
		return -1;
	pp->auth = (uint8_t *)(uintptr_t)a;  /* inside the caller's writable message */
	return 0;
}

/* The header of a v3 message in p, up to msgData.  -1 with *why. */
static int
parse_v3(uint8_t *p, size_t len, struct v3_parts *pp, const char **why)
{
	struct ber_rd msg, gd;
	const uint8_t *v;
	size_t n;
	int64_t x;

	memset(pp, 0, sizeof *pp);
	if (open_message(p, len, &msg, why) != 0)
		return -1;
	if (expect_int(&msg, 3, 3, &x) != 0) {
		*why = "not SNMP v3";
		return -1;
	}
	*why = "bad v3 header";
	if (ber_expect(&msg, BER_SEQUENCE, &gd.p, &gd.len) != 0)
		return -1;
	gd.off = 0;
	if (expect_int(&gd, 0, INT32_MAX, &x) != 0)
		return -1;
	pp->h.msg_id = (int32_t)x;
	if (expect_int(&gd, 484, INT32_MAX, &x) != 0 ||
	    ber_expect(&gd, BER_OCTETS, &v, &n) != 0 || n != 1)
		return -1;
	pp->h.flags = v[0];
	if ((pp->h.flags & (SNMP_V3_AUTH | SNMP_V3_PRIV)) == SNMP_V3_PRIV) {
		*why = "v3 message encrypted without authentication";
		return -1;
	}
	if (expect_int(&gd, V3_USM, V3_USM, &x) != 0 || gd.off != gd.len) {
		*why = "not a USM message";
		return -1;
	}
	if (ber_expect(&msg, BER_OCTETS, &v, &n) != 0 || parse_usm_params(v, n, pp, why) != 0)
		return -1;
	if (ber_read_tlv(&msg, &pp->data_tag, &v, &pp->data_len) != 0 || msg.off != msg.len ||
	    pp->data_tag != ((pp->h.flags & SNMP_V3_PRIV) ? BER_OCTETS : BER_SEQUENCE)) {
		*why = "bad v3 msgData";
		return -1;
	}
	pp->data = (uint8_t *)(uintptr_t)v;
	return 0;
}

int
snmp_encode_v3(struct pk_buf *out, struct snmp_usm *u, int32_t msg_id, int discovery,
               uint8_t pdu_type, int32_t request_id, int a, int b,
               const struct snmp_vb *vbs, size_t n, int64_t now_ms)
{
	struct pk_buf scoped = { 0 }, body = { 0 }, gd = { 0 };
	enum snmp_level level = discovery ? SNMP_NOAUTH : u->level;
	uint32_t boots = u->boots, time = snmp_usm_time_now(u, now_ms);
	uint8_t flags = SNMP_V3_REPORTABLE, salt[8];
	size_t mac_len = level >= SNMP_AUTHNOPRIV ? snmp_usm_mac_len(u->auth) : 0;
	size_t start = out->len;
	int rc = -1;

	flags |= level >= SNMP_AUTHNOPRIV ? SNMP_V3_AUTH : 0;
	flags |= level == SNMP_AUTHPRIV ? SNMP_V3_PRIV : 0;
	if (encode_scoped(&scoped, u, discovery, pdu_type, request_id, a, b, vbs, n) != 0 ||
	    ber_put_int(&gd, BER_INTEGER, msg_id) != 0 ||
	    ber_put_int(&gd, BER_INTEGER, V3_MAX_SIZE) != 0 ||
	    ber_put_bytes(&gd, BER_OCTETS, &flags, 1) != 0 ||
	    ber_put_int(&gd, BER_INTEGER, V3_USM) != 0 ||
	    ber_put_int(&body, BER_INTEGER, SNMP_V3) != 0 ||
	    ber_put_wrap(&body, BER_SEQUENCE, &gd) != 0)
		goto out;
	/* The data is encrypted first: the salt goes into the parameters. */
	{
		struct pk_buf data = { 0 };
		int priv = level == SNMP_AUTHPRIV;

		rc = encode_data(&data, u, &scoped, priv, boots, time, salt);
		if (rc == 0)
			rc = encode_usm_params(&body, u, discovery, boots, time, mac_len, salt,
			                       priv ? 8 : 0);
		if (rc == 0)
			rc = pk_buf_add(&body, data.data, data.len);
		pk_buf_free(&data);
		if (rc != 0 || (rc = ber_put_wrap(out, BER_SEQUENCE, &body)) != 0)
			goto out;
	}
	if (mac_len > 0) {
		/* Sign the whole message: find the zeroed place by decoding it. */
		struct v3_parts pp;
		const char *why;
		uint8_t *m = (uint8_t *)out->data + start;

		rc = parse_v3(m, out->len - start, &pp, &why) != 0 || pp.auth_len != mac_len ? -1 : 0;
		if (rc == 0)
			snmp_usm_hmac(u->auth, u->auth_key, m, out->len - start, pp.auth);
	}
out:
	pk_buf_free(&scoped);
	pk_buf_free(&body);
	pk_buf_free(&gd);
	return rc;
}

/* Compares n bytes in time that does not depend on where they differ. */
static int
same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;

	for (size_t i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return d == 0;
}

/* RFC 3414 3.2 step 6: the HMAC with its place zeroed. */
static int
check_digest(uint8_t *p, size_t len, const struct snmp_usm *u, struct v3_parts *pp)
{
	uint8_t got[SNMP_USM_HASH_MAX], want[SNMP_USM_HASH_MAX];
	size_t mac_len = snmp_usm_mac_len(u->auth);

	if (u->level < SNMP_AUTHNOPRIV || !u->discovered || pp->auth_len != mac_len)
		return -1;
	memcpy(got, pp->auth, mac_len);
	memset(pp->auth, 0, mac_len);
	snmp_usm_hmac(u->auth, u->auth_key, p, len, want);
	return same_bytes(got, want, mac_len) ? 0 : -1;
}

int
snmp_decode_v3(uint8_t *p, size_t len, const struct snmp_usm *u, struct snmp_v3_hdr *h,
               struct snmp_msg *m, struct snmp_vb *vbs, size_t cap, const char **why)
{
	struct v3_parts pp;
	struct ber_rd data, scoped;
	const uint8_t *v;
	size_t n;

	if (parse_v3(p, len, &pp, why) != 0)
		return SNMP_V3_MALFORMED;
	*h = pp.h;
	if (pp.h.flags & SNMP_V3_AUTH) {
		if (check_digest(p, len, u, &pp) != 0) {
			*why = "the reply's HMAC does not match our key";
			return SNMP_V3_UNAUTHENTIC;
		}
		h->authenticated = 1;
	}
	if (pp.h.flags & SNMP_V3_PRIV) {
		if (u->level != SNMP_AUTHPRIV ||
		    snmp_usm_decrypt(u, pp.h.boots, pp.h.time, pp.priv, pp.priv_len, pp.data,
		                     pp.data_len, pp.data) != 0) {
			*why = "cannot decrypt the reply";
			return SNMP_V3_UNDECRYPTABLE;
		}
	}
	/* DES pads the scoped PDU to its block: bytes after it are padding. */
	data = (struct ber_rd){ pp.data, pp.data_len, 0 };
	if (pp.h.flags & SNMP_V3_PRIV) {
		if (ber_expect(&data, BER_SEQUENCE, &scoped.p, &scoped.len) != 0) {
			*why = "bad scoped PDU (wrong privacy key?)";
			return SNMP_V3_UNDECRYPTABLE;
		}
	} else {
		scoped = data;
	}
	scoped.off = 0;
	m->version = SNMP_V3;
	m->community = NULL;
	m->community_len = 0;
	if (ber_expect(&scoped, BER_OCTETS, &v, &n) != 0 || n > SNMP_USM_ENGINE_MAX ||
	    ber_expect(&scoped, BER_OCTETS, &v, &n) != 0) {
		*why = "bad scoped PDU";
		return SNMP_V3_MALFORMED;
	}
	return decode_pdu(&scoped, m, vbs, cap, why) == 0 ? 0 : SNMP_V3_MALFORMED;
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
	return vb->type == 0 || vb->type == BER_NOSUCHOBJECT || vb->type == BER_NOSUCHINSTANCE ||
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
	/* zeroed: a malformed address stops sscanf early, and the copy below
	 * must not read what it never set */
	unsigned a[4] = { 0 };
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

static const char *
version_name(int version)
{
	return version == SNMP_V1 ? "1" : version == SNMP_V2C ? "2c" : "3";
}

static void
trace_request(struct snmp_session *s, uint8_t type, int32_t id, const struct snmp_vb *vbs, size_t n,
              int attempt)
{
	char oid[BER_OID_MAX * 11 + 1];
	const char *name = type == SNMP_PDU_GET ? "GET" : type == SNMP_PDU_GETNEXT ? "GETNEXT" :
	                   type == SNMP_PDU_GETBULK ? "GETBULK" : type == SNMP_PDU_SET ? "SET" : "PDU";
	const char *again = attempt ? " retransmission" : "";
	char bulk[64] = "";

	if (s->opts.trace.fn == NULL)
		return;
	if (type == SNMP_PDU_GETBULK)   /* snmpbulkget's -Cn and -Cr */
		snprintf(bulk, sizeof bulk, " non-repeaters=%d max-repetitions=%d", s->req.a, s->req.b);
	if (s->version == SNMP_V3 && s->req.discovering) {
		pk_trace(&s->opts.trace, '>', "engine discovery v3 msgID=%d%s", s->req.msg_id, again);
		return;
	}
	if (s->version == SNMP_V3)
		pk_trace(&s->opts.trace, '>', "%s v3 user=%s %s msgID=%d id=%d%s%s (%zu varbind%s)",
		         name, s->usm.user, snmp_usm_level_name(s->usm.level), s->req.msg_id, id,
		         again, bulk, n, n == 1 ? "" : "s");
	else
		pk_trace(&s->opts.trace, '>', "%s v%s community=*** id=%d%s%s (%zu varbind%s)", name,
		         version_name(s->version), id, again, bulk, n, n == 1 ? "" : "s");
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
	/* net-snmp's agent drops a request it decrypts to garbage without a
	 * usmStatsDecryptionErrors report: silence after a discovery. */
	if (s->version == SNMP_V3 && s->usm.discovered && s->usm.level == SNMP_AUTHPRIV)
		return pk_err_set(err, PK_ECOMM, "timeout",
		                  "no SNMP reply (SNMP v3 authPriv) although the agent answered the "
		                  "engine discovery; a wrong privacy password (-X, "
		                  "--priv-password-file, PDU_PRIV_PASSWORD) or protocol (-x %s) looks "
		                  "exactly like this, since agents drop what they cannot decrypt",
		                  snmp_usm_priv_name(s->usm.priv));
	if (s->version == SNMP_V3)
		return pk_err_set(err, PK_ECOMM, "timeout",
		                  "no SNMP reply (SNMP v3%s); agents answer wrong v3 credentials "
		                  "with a report, so check the address, the port and whether the "
		                  "agent speaks v3", s->req.discovering ? ", engine discovery" : "");
	return pk_err_set(err, PK_ECOMM, "timeout",
	                  "no SNMP reply (SNMP v%s); a wrong community looks exactly like "
	                  "this, since agents drop such requests silently",
	                  version_name(s->version));
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

/* Encodes the request in flight into r->msg: v1/v2c with the
 * community, v3 with a new msgID, as the engine discovery probe (an
 * empty GET) while the agent's engine ID is unknown. */
static int
request_encode(struct snmp_session *s)
{
	struct snmp_request *r = &s->req;

	pk_buf_reset(&r->msg);
	if (s->version != SNMP_V3)
		return snmp_encode(&r->msg, s->version, s->community, r->type, r->id, r->a, r->b,
		                   r->vbs, r->n);
	r->msg_id = s->next_id;
	s->next_id = s->next_id == INT32_MAX ? 1 : s->next_id + 1;
	r->discovering = !s->usm.discovered;
	if (r->discovering)
		return snmp_encode_v3(&r->msg, &s->usm, r->msg_id, 1, SNMP_PDU_GET, r->id, 0, 0,
		                      NULL, 0, pk_now_ms());
	return snmp_encode_v3(&r->msg, &s->usm, r->msg_id, 0, r->type, r->id, r->a, r->b, r->vbs,
	                      r->n, pk_now_ms());
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
	r->a = a;
	r->b = b;
	r->id = s->next_id;
	r->tries = s->retries + 1;
	r->sent = 0;
	r->nvb = 0;
	r->resynced = 0;
	r->deadline = s->opts.deadline;
	r->state = SNMP_REQ_WAITING;
	s->next_id = s->next_id == INT32_MAX ? 1 : s->next_id + 1;
	if (request_encode(s) != 0) {
		request_finish(s, pk_err_set(&r->err, PK_EUSAGE, "usage",
		                             "cannot encode the request"));
	} else {
		request_send(s);
	}
	if (r->state == SNMP_REQ_DONE && err != NULL)
		*err = r->err;
	return r->state == SNMP_REQ_DONE ? r->rc : 0;
}

/* v3: sends the request again, encoded anew after the agent told us its
 * engine ID, boots or time; the tries start over. */
static void
request_restart(struct snmp_session *s)
{
	struct snmp_request *r = &s->req;

	if (request_encode(s) != 0) {
		request_finish(s, pk_err_set(&r->err, PK_EUSAGE, "usage",
		                             "cannot encode the request"));
		return;
	}
	r->sent = 0;
	request_send(s);
}

/* v3: what the agent's boots and time say, learned now. */
static void
usm_learn_time(struct snmp_usm *u, const struct snmp_v3_hdr *h)
{
	u->boots = h->boots;
	u->time = h->time;
	u->time_at = pk_now_ms();
}

/* The usmStats counters a report names (RFC 3414 5, usmStats 1..6) and
 * what each means for the user; %s is the user or the protocol. */
static const struct {
	const char *name, *why;
} usm_reports[] = {
	{ NULL, NULL },
	{ "usmStatsUnsupportedSecLevels", "the user %s does not have this security level (-l) "
	  "on the agent" },
	{ "usmStatsNotInTimeWindows", "the request was outside the agent's time window%s" },
	{ "usmStatsUnknownUserNames", "the agent has no user %s (-u)" },
	{ "usmStatsUnknownEngineIDs", "the agent does not know the engine ID we used%s" },
	{ "usmStatsWrongDigests", "wrong digest: the authentication password (-A, "
	  "--auth-password-file, PDU_AUTH_PASSWORD) or protocol (-a %s) is not the agent's" },
	{ "usmStatsDecryptionErrors", "the agent cannot decrypt the request: the privacy "
	  "password (-X, --priv-password-file, PDU_PRIV_PASSWORD) or protocol (-x %s) is not "
	  "the agent's" },
};

/* Which usmStats counter (1..6) a report's first varbind names; 0 for
 * another report. */
static int
report_counter(const struct snmp_session *s, size_t nvb)
{
	static const uint32_t usm_stats[] = { 1, 3, 6, 1, 6, 3, 15, 1, 1 };
	const struct ber_oid *o = &s->scratch[0].oid;

	if (nvb == 0 || o->n != 11 || memcmp(o->arc, usm_stats, sizeof usm_stats) != 0 ||
	    o->arc[9] < 1 || o->arc[9] > 6)
		return 0;
	return (int)o->arc[9];
}

/* A report that ends the request: exit 4 for the user's credentials,
 * exit 3 for anything else the agent reports. */
static void
report_error(struct snmp_session *s, int counter, size_t nvb)
{
	struct snmp_request *r = &s->req;
	char oid[BER_OID_MAX * 11 + 1], why[256];
	const char *arg = counter == 1 || counter == 3 ? s->usm.user :
	                  counter == 5 ? snmp_usm_auth_name(s->usm.auth) :
	                  counter == 6 ? snmp_usm_priv_name(s->usm.priv) : "";

	if (counter > 0) {
		snprintf(why, sizeof why, usm_reports[counter].why, arg);
		request_finish(s, pk_err_set(&r->err, PK_EAUTH, usm_reports[counter].name,
		                             "SNMPv3 report %s: %s", usm_reports[counter].name, why));
		return;
	}
	oid[0] = '\0';
	if (nvb > 0)
		ber_oid_format(&s->scratch[0].oid, oid, sizeof oid);
	request_finish(s, pk_err_set(&r->err, PK_ECOMM, "report", "the agent sent a report (%s)",
	                             oid[0] ? oid : "no varbind"));
}

/* A report answering our msgID (RFC 3412 7.2.11): the engine ID learned
 * by discovery, boots and time resynchronised once, or the end. */
static void
request_take_report(struct snmp_session *s, const struct snmp_v3_hdr *h, size_t nvb)
{
	struct snmp_request *r = &s->req;
	struct snmp_usm *u = &s->usm;
	int counter = report_counter(s, nvb);

	pk_trace(&s->opts.trace, '<', "REPORT %s%s", counter ? usm_reports[counter].name : "",
	         h->authenticated ? " (authenticated)" : "");
	if (counter == 4 && r->discovering && h->engine_id_len > 0) {
		memcpy(u->engine_id, h->engine_id, h->engine_id_len);
		u->engine_id_len = h->engine_id_len;
		usm_learn_time(u, h);
		u->discovered = 1;
		if (u->level >= SNMP_AUTHNOPRIV)
			snmp_usm_localize(u);
		pk_trace(&s->opts.trace, '*', "engine ID of %zu bytes, boots %u, time %u",
		         u->engine_id_len, (unsigned)u->boots, (unsigned)u->time);
		request_restart(s);
		return;
	}
	/* RFC 3414 3.2 step 7b: only an authenticated report moves our clock. */
	if (counter == 2 && h->authenticated && !r->resynced) {
		usm_learn_time(u, h);
		r->resynced = 1;
		pk_trace(&s->opts.trace, '*', "resynchronised: boots %u, time %u",
		         (unsigned)u->boots, (unsigned)u->time);
		request_restart(s);
		return;
	}
	report_error(s, counter, nvb);
}

/* RFC 3414 3.2 step 7b for an authenticated reply: later boots or time
 * move our notion of the agent's clock; 0, or -1 when the reply lies
 * outside the time window (then it is not taken). */
static int
usm_time_check(struct snmp_usm *u, const struct snmp_v3_hdr *h)
{
	uint32_t now = snmp_usm_time_now(u, pk_now_ms());

	if (h->boots > u->boots || (h->boots == u->boots && h->time > now)) {
		usm_learn_time(u, h);
		return 0;
	}
	if (h->boots < u->boots || (uint64_t)h->time + SNMP_USM_TIME_WINDOW < now)
		return -1;
	return 0;
}

/* 1 when an authenticated reply comes from the engine we discovered and
 * lies in its time window. */
static int
usm_reply_timely(struct snmp_usm *u, const struct snmp_v3_hdr *h)
{
	return h->engine_id_len == u->engine_id_len &&
	       memcmp(h->engine_id, u->engine_id, h->engine_id_len) == 0 &&
	       usm_time_check(u, h) == 0;
}

/* A v3 datagram, as request_take_datagram returns. */
static int
request_take_v3(struct snmp_session *s, size_t got)
{
	struct snmp_request *r = &s->req;
	struct snmp_v3_hdr h;
	const char *why = "";
	int rc = snmp_decode_v3(s->rx, got, &s->usm, &h, &r->m, s->scratch, SNMP_MAX_VB, &why);
	int want_auth = s->usm.level >= SNMP_AUTHNOPRIV && !r->discovering;

	if (rc == SNMP_V3_MALFORMED) {
		pk_trace(&s->opts.trace, '<', "malformed reply (%zu bytes): %s", got, why);
		request_finish(s, pk_err_set(&r->err, PK_ECOMM, "malformed",
		                             "malformed SNMP reply (%s)", why));
		return 2;
	}
	if (rc != 0 || h.msg_id != r->msg_id) {
		/* Not ours, or not from the agent that holds our key: skip it. */
		s->stale++;
		pk_trace(&s->opts.trace, '<', "ignored v3 reply msgID=%d%s%s", h.msg_id,
		         rc != 0 ? ": " : "", rc != 0 ? why : "");
		return 0;
	}
	if (r->m.pdu_type == SNMP_PDU_REPORT) {
		request_take_report(s, &h, r->m.nvb);
		return r->state == SNMP_REQ_DONE ? 2 : 0;
	}
	if (r->discovering || r->m.pdu_type != SNMP_PDU_RESPONSE || r->m.request_id != r->id ||
	    (want_auth && !h.authenticated) || (h.authenticated && !usm_reply_timely(&s->usm, &h))) {
		s->stale++;
		pk_trace(&s->opts.trace, '<', "ignored v3 reply id=%d type=0x%02x%s", r->m.request_id,
		         r->m.pdu_type, want_auth && !h.authenticated ? " (not authenticated)" : "");
		return 0;
	}
	return 1;
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
	if (s->version == SNMP_V3)
		return request_take_v3(s, (size_t)got);
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

/* GETBULK max-repetitions: snmpbulkwalk's 10 to begin with, then as
 * many as keep a reply within one Ethernet frame (embedded agents often
 * cap their messages near 1472 bytes, and a fragmented reply is lost
 * whole when one fragment is), never above what the agent showed it
 * takes: half after a tooBig, the count of a reply it shortened. */
#define WALK_REPS_FIRST 10
#define WALK_REPS_MAX 100       /* net-snmp's snmpd caps max-repetitions at 100 */
#define WALK_REPLY_BUDGET 1400  /* bytes */

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
static int rows_send(struct snmp_get_op *op);
static int rows_take(struct snmp_get_op *op, size_t got);

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

	if (op->ncols > 0)
		return rows_send(op);
	if (op->batch == 0)
		op->batch = getop_next_batch(op);
	if (op->batch == 0)
		return getop_finish(op, 0);
	for (i = 0; i < op->batch; i++) {
		op->req[i].oid = op->left[op->pos + i]->oid;
		op->req[i].type = BER_NULL;
	}
	rc = snmp_request_begin(op->s, (op->flags & SNMP_NEXT) ? SNMP_PDU_GETNEXT : SNMP_PDU_GET,
	                        0, 0, op->req, op->batch, &op->err);
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

	if (op->ncols > 0)
		return rows_take(op, got);
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
		if (!(op->flags & SNMP_NEXT) && ber_oid_cmp(&s->scratch[i].oid, &left[i]->oid) != 0)
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

/* ---- a table's slice down its columns (GETBULK) ---------------------
 * Each request asks after at[c] for every column still read, with as
 * many repetitions as the rows left, SNMP_MAX_VB and the reply budget
 * allow; each reply moves every column on to the last object it gave
 * there.  A column is through at its last row, at an object outside it
 * or an exception, or at one not after the last (an agent out of order
 * would otherwise keep us asking). */

/* a and b agree in their first n arcs */
static int
same_arcs(const struct ber_oid *a, const struct ber_oid *b, size_t n)
{
	return a->n >= n && b->n >= n && memcmp(a->arc, b->arc, n * sizeof a->arc[0]) == 0;
}

/* About how many bytes vb takes in a reply (its sequence, OID and value). */
static size_t
vb_size(const struct snmp_vb *vb)
{
	size_t value = vb->type == BER_OID ? vb->v.oid.n : vb->slen > 0 ? vb->slen : 6;

	return 6 + vb->oid.n + vb->oid.n / 4 + value;
}

static int
rows_send(struct snmp_get_op *op)
{
	uint32_t last = op->first + (uint32_t)(op->nrows - 1), most = 0;
	size_t per_row = 0, nn = op->nnext, fixed = 64;
	int reps, rc;

	for (size_t k = 0; k < nn; k++) {   /* the non-repeaters come first */
		op->req[k].oid = op->next[k].oid;
		op->req[k].type = BER_NULL;
		fixed += 6 + op->next[k].oid.n + op->next[k].oid.n / 4 + 16;
	}
	for (size_t k = 0; k < op->ncur; k++) {
		const struct ber_oid *at = &op->at[op->cols[k]];
		size_t pfx = op->pfx[op->cols[k]];
		/* asked after the column itself, or a row before the first: every row left */
		uint32_t left = at->n <= pfx || at->arc[pfx] < op->first ? last - op->first + 1 :
		                last - at->arc[pfx];
		if (left > most)
			most = left;
		op->req[nn + k].oid = *at;
		op->req[nn + k].type = BER_NULL;
		per_row += op->vb_bytes > 0 ? op->vb_bytes : 6 + at->n + at->n / 4 + 16;
	}
	reps = fixed < WALK_REPLY_BUDGET ? (int)((WALK_REPLY_BUDGET - fixed) / per_row) : 1;
	if (reps > (int)((SNMP_MAX_VB - nn) / op->ncur))
		reps = (int)((SNMP_MAX_VB - nn) / op->ncur);
	if (reps > op->reps_max)
		reps = op->reps_max;
	if ((uint32_t)reps > most)
		reps = (int)most;
	if (reps < 1)
		reps = 1;
	op->batch = (size_t)reps;
	rc = snmp_request_begin(op->s, SNMP_PDU_GETBULK, (int)nn, reps, op->req, nn + op->ncur,
	                        &op->err);
	if (rc != 0 && op->s->req.state == SNMP_REQ_DONE)
		op->s->req.state = SNMP_REQ_IDLE;
	return rc != 0 ? getop_finish(op, rc) : 0;
}

/* The reply's varbind vb, for column c: into its row, or c is through
 * (1). */
static int
rows_place(struct snmp_get_op *op, size_t c, const struct snmp_vb *vb)
{
	uint32_t last = op->first + (uint32_t)(op->nrows - 1), row;

	if (snmp_vb_missing(vb) || !same_arcs(&vb->oid, &op->at[c], op->pfx[c]) ||
	    vb->oid.n == op->pfx[c] || ber_oid_cmp(&vb->oid, &op->at[c]) <= 0)
		return 1;
	op->at[c] = vb->oid;
	row = vb->oid.arc[op->pfx[c]];
	if (vb->oid.n == op->pfx[c] + 1 && row >= op->first && row <= last)
		*op->left[(size_t)(row - op->first) * op->ncols + c] = *vb;
	return row >= last;
}

static int
rows_take(struct snmp_get_op *op, size_t got)
{
	struct snmp_session *s = op->s;
	unsigned char through[SNMP_ROWS_COLS] = { 0 };
	size_t bytes = 0, k, n;

	if (s->error_status == SNMP_TOOBIG && op->batch > 1) {
		op->reps_max = (int)(op->batch / 2);
		return rows_send(op);
	}
	if (s->error_status != 0 && op->nnext > 0)
		return getop_finish(op, status_error(s, op->req, op->nnext + op->ncur, "GETBULK",
		                                     &op->err));
	if (s->error_status != 0) {
		/* Refused (an embedded agent's genErr for GETBULK, a row too big
		 * for one reply): the whole slice by GETs, as over v1, whose
		 * errors are then reported as a GET's. */
		op->ncols = 0;
		op->pos = op->batch = op->nsplit = 0;
		return getop_send(op);
	}
	if (got == 0 || got < op->nnext)
		return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "malformed",
		                                   "GETBULK reply has %zu varbinds for %zu "
		                                   "non-repeaters", got, op->nnext));
	for (size_t i = 0; i < op->nnext; i++)   /* answered once: the columns go on alone */
		op->next[i] = s->scratch[i];
	for (size_t i = op->nnext; i < got; i++) {
		size_t c = op->cols[(i - op->nnext) % op->ncur];
		bytes += vb_size(&s->scratch[i]);
		if (!through[c])
			through[c] = (unsigned char)rows_place(op, c, &s->scratch[i]);
	}
	if (got > op->nnext)
		op->vb_bytes = bytes / (got - op->nnext) + 1;
	op->nnext = 0;
	for (k = n = 0; k < op->ncur; k++)
		if (!through[op->cols[k]])
			op->cols[n++] = op->cols[k];
	op->ncur = n;
	if (n > 0)
		return rows_send(op);
	for (k = 0; k < op->nrows * op->ncols && !(op->flags & SNMP_LENIENT); k++)
		if (snmp_vb_missing(op->left[k])) {
			char oid[BER_OID_MAX * 11 + 1];
			ber_oid_format(&op->left[k]->oid, oid, sizeof oid);
			return getop_finish(op, pk_err_set(&op->err, PK_ENOTFOUND, "noSuchObject",
			                                   "%s: no such instance", oid));
		}
	/* the columns that are not rows (from pos), by GET */
	op->ncols = 0;
	op->batch = 0;
	return getop_send(op);
}

/* Column c of vbs (nrows rows of ncols columns) is rows first.. of one
 * table column: the same prefix with the row appended; its prefix
 * length into *pfx. */
static int
column_laid_out(const struct snmp_vb *vbs, size_t nrows, size_t ncols, size_t c,
                uint32_t first, size_t *pfx)
{
	const struct ber_oid *col = &vbs[c].oid;

	if (col->n < 2 || first > UINT32_MAX - nrows)
		return 0;
	*pfx = col->n - 1;
	for (size_t r = 0; r < nrows; r++) {
		const struct ber_oid *o = &vbs[r * ncols + c].oid;
		if (o->n != col->n || !same_arcs(o, col, *pfx) || o->arc[*pfx] != first + (uint32_t)r)
			return 0;
	}
	return 1;
}

/* Which columns of vbs are rows first.. (column_laid_out), first being
 * the last arc of the first column laid out so: their indexes into
 * down[], their prefix lengths into pfx[]; returns how many, 0 when
 * none. */
static size_t
rows_laid_out(const struct snmp_vb *vbs, size_t nrows, size_t ncols, uint32_t *first,
              size_t *down, size_t *pfx)
{
	size_t n = 0;
	int have_first = 0;

	for (size_t c = 0; c < ncols; c++) {
		const struct ber_oid *col = &vbs[c].oid;
		if (!have_first && col->n >= 2) {
			uint32_t f = col->arc[col->n - 1];
			if (!column_laid_out(vbs, nrows, ncols, c, f, &pfx[n]))
				continue;
			*first = f;
			have_first = 1;
			down[n++] = c;
		} else if (have_first && column_laid_out(vbs, nrows, ncols, c, *first, &pfx[n])) {
			down[n++] = c;
		}
	}
	return n;
}

/* Lays out op for the rows read of snmp_get_rows_begin: down[0..ndown)
 * the columns of vbs down by GETBULK (their prefix lengths in pfx[]),
 * from row first; 0, or the status it ended with (op DONE). */
static int
rows_start(struct snmp_get_op *op, struct snmp_session *s, struct snmp_vb *vbs, size_t nrows,
           size_t ncols, uint32_t first, const size_t *down, size_t ndown, const size_t *pfx,
           int flags)
{
	size_t n = nrows * ncols, k = 0;

	free(op->left);
	*op = (struct snmp_get_op){ .s = s, .flags = flags, .state = SNMP_GET_WAITING,
	                            .ncols = ndown, .nrows = nrows, .ncur = ndown,
	                            .reps_max = WALK_REPS_MAX };
	op->left = malloc(n * sizeof *op->left);
	if (op->left == NULL)
		return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "memory", "out of memory"));
	op->first = first;
	/* left: the columns down by GETBULK, rows first (rows_place), then
	 * the others' objects, asked by GET once the columns are through
	 * (from pos) */
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ndown; c++)
			op->left[k++] = &vbs[r * ncols + down[c]];
	op->pos = k;
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0, d = 0; c < ncols; c++) {
			if (d < ndown && down[d] == c)
				d++;
			else
				op->left[k++] = &vbs[r * ncols + c];
		}
	for (size_t i = 0; i < n; i++)
		mark_missing(&vbs[i]);
	op->nleft = n;
	for (size_t c = 0; c < ndown; c++) {
		op->cols[c] = c;
		op->pfx[c] = pfx[c];
		op->at[c] = vbs[down[c]].oid;   /* row first - 1: what precedes row first */
		if (op->first > 0)
			op->at[c].arc[pfx[c]] = op->first - 1;
		else
			op->at[c].n = pfx[c];
	}
	return 0;
}

int
snmp_get_rows_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
                    size_t nrows, size_t ncols, int flags)
{
	size_t pfx[SNMP_ROWS_COLS], down[SNMP_ROWS_COLS], ndown = 0, n = nrows * ncols;
	uint32_t first = 0;

	if (s->version != SNMP_V1 && !(flags & SNMP_NEXT) && ncols > 0 &&
	    ncols <= SNMP_ROWS_COLS && n > SNMP_MAX_VB_PER_REQ)
		ndown = rows_laid_out(vbs, nrows, ncols, &first, down, pfx);
	/* the columns down by GETBULK must save a GET at least */
	if (ndown == 0 || nrows * ndown <= SNMP_MAX_VB_PER_REQ)
		return snmp_get_begin(s, op, vbs, n, flags);
	return rows_start(op, s, vbs, nrows, ncols, first, down, ndown, pfx, flags) != 0 ? op->rc :
	       rows_send(op);
}

int
snmp_get_bulk_begin(struct snmp_session *s, struct snmp_get_op *op, struct snmp_vb *vbs,
                    size_t nnext, size_t nrows, size_t ncols, int flags)
{
	size_t pfx[SNMP_ROWS_COLS], down[SNMP_ROWS_COLS];
	uint32_t first = 0;
	struct snmp_vb *rows = vbs + nnext;

	if (s->version == SNMP_V1 || nnext == 0 || nrows == 0 || ncols == 0 ||
	    ncols > SNMP_ROWS_COLS || nnext + ncols > SNMP_MAX_VB_PER_REQ ||
	    rows_laid_out(rows, nrows, ncols, &first, down, pfx) != ncols) {
		free(op->left);
		*op = (struct snmp_get_op){ .s = s };
		return getop_finish(op, pk_err_set(&op->err, PK_ECOMM, "internal",
		                                   "no GETBULK of %zu objects and %zu columns "
		                                   "(SNMP v1, too many, or not a table's rows)",
		                                   nnext, ncols));
	}
	if (rows_start(op, s, rows, nrows, ncols, first, down, ncols, pfx, flags) != 0)
		return op->rc;
	op->next = vbs;
	op->nnext = nnext;
	for (size_t i = 0; i < nnext; i++)
		mark_missing(&vbs[i]);
	return rows_send(op);
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


struct walk_reps {
	int cur;       /* for the next request */
	int ceiling;   /* the most the agent is known to take */
	struct pk_buf sizing;
};

/* After a full reply of got varbinds (in s->scratch): as many as fit the
 * budget at this reply's size per varbind. */
static void
reps_fit(struct snmp_session *s, struct walk_reps *r, size_t got)
{
	size_t per;
	int want;

	pk_buf_reset(&r->sizing);
	if (got == 0 || snmp_encode(&r->sizing, s->version, s->community, SNMP_PDU_RESPONSE, 0,
	                            0, 0, s->scratch, got) != 0)
		return;
	per = r->sizing.len / got + 1;
	want = (int)(WALK_REPLY_BUDGET / per);
	r->cur = want < 1 ? 1 : want > r->ceiling ? r->ceiling : want;
}

/* After a reply of got varbinds that did not end the walk: an agent that
 * sends fewer than asked shortened its reply to fit its buffer. */
static void
reps_adapt(struct snmp_session *s, struct walk_reps *r, size_t got)
{
	if (got < (size_t)r->cur) {
		r->ceiling = got > 0 ? (int)got : 1;
		r->cur = r->ceiling;
	} else {
		reps_fit(s, r, got);
	}
}

/* One varbind of a walk reply, snmpwalk's way: outside the subtree ends
 * the walk unseen (-1); in it, it is passed on, then an exception ends
 * the walk (-1) and a non-increasing OID fails it unless allowed.
 * *prev is the OID asked after, moved on.  0: go on. */
static int
walk_one(const struct snmp_vb *vb, const struct ber_oid *root, struct ber_oid *prev,
         struct snmp_walk *w, int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx,
         struct pk_err *err)
{
	char was[BER_OID_MAX * 11 + 1], got[BER_OID_MAX * 11 + 1];
	int cmp, rc;

	if (!ber_oid_has_prefix(&vb->oid, root))
		return -1;
	w->count++;
	rc = fn(ctx, vb);
	if (rc != 0)
		return rc;
	if (snmp_vb_missing(vb))
		return -1;
	cmp = ber_oid_cmp(&vb->oid, prev);
	if (cmp < 0 && w->no_check_increasing) {
		*prev = vb->oid;
		return 0;
	}
	if (cmp <= 0) {
		ber_oid_format(prev, was, sizeof was);
		ber_oid_format(&vb->oid, got, sizeof got);
		return pk_err_set(err, PK_ECOMM, "malformed",
		                  "agent returned a non-increasing OID (%s after %s)%s", got, was,
		                  cmp == 0 && w->no_check_increasing ?
		                  "; the same OID again would never end the walk" : "");
	}
	*prev = vb->oid;
	return 0;
}

static int
walk_loop(struct snmp_session *s, const struct ber_oid *root, struct snmp_walk *w,
          struct walk_reps *reps, int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx,
          struct pk_err *err)
{
	struct snmp_vb cur;
	int bulk = s->version != SNMP_V1;   /* GETBULK on v2c and v3 */
	int64_t whole = s->opts.deadline;

	memset(&cur, 0, sizeof cur);
	cur.oid = *root;
	cur.type = BER_NULL;
	for (int first = 1;; first = 0) {
		size_t got, i;
		int rc;

		if (w->silence_ms > 0)
			s->opts.deadline = pk_now_ms() + w->silence_ms;
		if (first && w->first_wait_ms > 0 &&
		    pk_ms_left(s->opts.deadline) > w->first_wait_ms)
			s->opts.deadline = pk_now_ms() + w->first_wait_ms;
		rc = snmp_exchange(s, bulk ? SNMP_PDU_GETBULK : SNMP_PDU_GETNEXT, 0,
		                   bulk ? reps->cur : 0, &cur, 1, &got, err);
		if (first && w->silence_ms == 0)
			s->opts.deadline = whole;
		if (rc != 0)
			return rc;
		if (s->error_status == SNMP_TOOBIG && bulk && reps->cur > 1) {
			reps->cur /= 2;
			reps->ceiling = reps->cur;
			continue;
		}
		if (s->error_status == SNMP_NOSUCHNAME && !bulk) {
			w->v1_end = 1;  /* v1's end of the MIB view */
			return 0;
		}
		if (s->error_status != 0)
			return status_error(s, &cur, 1, bulk ? "GETBULK" : "GETNEXT", err);
		if (got == 0)
			return pk_err_set(err, PK_ECOMM, "malformed", "empty walk reply");
		for (i = 0; i < got; i++) {
			rc = walk_one(&s->scratch[i], root, &cur.oid, w, fn, ctx, err);
			if (rc != 0)
				break;
		}
		if (w->replied != NULL)
			w->replied(ctx);
		if (rc != 0)
			return rc < 0 ? 0 : rc;
		if (bulk)
			reps_adapt(s, reps, got);
	}
}

int
snmp_walk(struct snmp_session *s, const struct ber_oid *root, struct snmp_walk *w,
          int (*fn)(void *ctx, const struct snmp_vb *vb), void *ctx, struct pk_err *err)
{
	struct walk_reps reps = { WALK_REPS_FIRST, WALK_REPS_MAX, { 0 } };
	int rc;

	w->count = 0;
	w->v1_end = 0;
	rc = walk_loop(s, root, w, &reps, fn, ctx, err);
	pk_buf_free(&reps.sizing);
	return rc;
}
