/* Unit tests for the BER codec and SNMP messages: byte vectors checked
 * against net-snmp's encoding (minimal two's-complement INTEGERs, the
 * leading 00 of unsigned values with the top bit set, long-form lengths,
 * base-128 OID arcs, a complete v2c GET and its reply) and the malformed
 * inputs a hostile or broken agent may send. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "snmp/ber.h"
#include "core/buf.h"
#include "snmp/snmp.h"
#include "tap.h"

/* 1 when b holds exactly the n bytes want. */
static int
bytes_eq(const struct pk_buf *b, const uint8_t *want, size_t n)
{
	return b->len == n && memcmp(b->data, want, n) == 0;
}

#define ENC_INT(v, ...) do { \
	const uint8_t w[] = { __VA_ARGS__ }; \
	struct pk_buf b = { 0 }; \
	int64_t back = 0; \
	TAP_OK(ber_put_int(&b, BER_INTEGER, (v)) == 0 && bytes_eq(&b, w, sizeof w), \
	       "INTEGER %lld encodes minimally", (long long)(v)); \
	TAP_OK(ber_decode_int((const uint8_t *)b.data + 2, b.len - 2, &back) == 0 && back == (v), \
	       "INTEGER %lld decodes back", (long long)(v)); \
	pk_buf_free(&b); \
} while (0)

static void
test_integers(void)
{
	ENC_INT(0, 0x02, 0x01, 0x00);
	ENC_INT(127, 0x02, 0x01, 0x7f);
	ENC_INT(128, 0x02, 0x02, 0x00, 0x80);
	ENC_INT(-1, 0x02, 0x01, 0xff);
	ENC_INT(-128, 0x02, 0x01, 0x80);
	ENC_INT(-129, 0x02, 0x02, 0xff, 0x7f);
	ENC_INT(2147483647, 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff);
	ENC_INT(-2147483648LL, 0x02, 0x04, 0x80, 0x00, 0x00, 0x00);
}

static void
test_unsigned(void)
{
	const uint8_t g[] = { 0x42, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff };
	const uint8_t c64[] = { 0x46, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const uint8_t nolead[] = { 0xff, 0xff, 0xff, 0xff };
	const uint8_t six[] = { 0x01, 0x00, 0x00, 0x00, 0x00, 0x00 };
	struct pk_buf b = { 0 };
	uint64_t u = 0;

	TAP_OK(ber_put_uint(&b, BER_GAUGE32, 4294967295u) == 0 && bytes_eq(&b, g, sizeof g),
	       "Gauge32 4294967295 encodes with a leading 00");
	TAP_OK(ber_decode_uint(g + 2, 5, 32, &u) == 0 && u == 4294967295u, "Gauge32 max decodes");
	pk_buf_reset(&b);
	TAP_OK(ber_put_uint(&b, BER_COUNTER64, UINT64_MAX) == 0 && bytes_eq(&b, c64, sizeof c64),
	       "Counter64 max encodes in 9 content octets");
	TAP_OK(ber_decode_uint(c64 + 2, 9, 64, &u) == 0 && u == UINT64_MAX, "Counter64 max decodes");
	TAP_OK(ber_decode_uint(nolead, 4, 32, &u) == 0 && u == 4294967295u,
	       "unsigned without the 00 octet is tolerated (not negative)");
	TAP_OK(ber_decode_uint(six, 6, 32, &u) == -1, "32-bit value of 6 octets refused");
	TAP_OK(ber_decode_uint(six, 0, 32, &u) == -1, "empty unsigned refused");
	pk_buf_reset(&b);
	TAP_OK(ber_put_uint(&b, BER_TIMETICKS, 0) == 0 && b.len == 3 && b.data[2] == 0,
	       "TimeTicks 0 is one 00 octet");
	pk_buf_free(&b);
}

static void
test_lengths(void)
{
	uint8_t big[300];
	const uint8_t long1[] = { 0x04, 0x81, 0x80 };
	const uint8_t nonmin[] = { 0x04, 0x82, 0x00, 0x02, 'h', 'i' };
	const uint8_t indef[] = { 0x30, 0x80, 0x00, 0x00 };
	const uint8_t over[] = { 0x04, 0x05, 'a', 'b' };
	const uint8_t overlong[] = { 0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00 };
	const uint8_t trunc[] = { 0x04, 0x82, 0x01 };
	struct pk_buf b = { 0 };
	struct ber_rd r;
	uint8_t tag;
	size_t len;
	const uint8_t *v;

	memset(big, 'x', sizeof big);
	TAP_OK(ber_put_bytes(&b, BER_OCTETS, big, 128) == 0 && bytes_eq(&b, long1, 3) == 0 &&
	       memcmp(b.data, long1, 3) == 0 && b.len == 131, "length 128 uses 81 80");
	pk_buf_reset(&b);
	TAP_OK(ber_put_bytes(&b, BER_OCTETS, big, 300) == 0 && (uint8_t)b.data[1] == 0x82 &&
	       (uint8_t)b.data[2] == 0x01 && (uint8_t)b.data[3] == 0x2c, "length 300 uses 82 01 2c");
	r = (struct ber_rd){ (const uint8_t *)b.data, b.len, 0 };
	TAP_OK(ber_read_tlv(&r, &tag, &v, &len) == 0 && len == 300 && r.off == b.len,
	       "long length reads back");
	pk_buf_free(&b);
	r = (struct ber_rd){ nonmin, sizeof nonmin, 0 };
	TAP_OK(ber_read_tlv(&r, &tag, &v, &len) == 0 && len == 2 && v[0] == 'h',
	       "non-minimal long form accepted");
	r = (struct ber_rd){ indef, sizeof indef, 0 };
	TAP_OK(ber_read_tl(&r, &tag, &len) == -1, "indefinite length refused");
	r = (struct ber_rd){ over, sizeof over, 0 };
	TAP_OK(ber_read_tl(&r, &tag, &len) == -1, "length running past the input refused");
	r = (struct ber_rd){ overlong, sizeof overlong, 0 };
	TAP_OK(ber_read_tl(&r, &tag, &len) == -1, "4 GB length refused");
	r = (struct ber_rd){ trunc, sizeof trunc, 0 };
	TAP_OK(ber_read_tl(&r, &tag, &len) == -1, "truncated long length refused");
	r = (struct ber_rd){ trunc, 1, 0 };
	TAP_OK(ber_read_tl(&r, &tag, &len) == -1, "lone tag refused");
}

static void
test_oids(void)
{
	const uint8_t state1[] = { 0x06, 0x10, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x9d, 0x60, 0x01,
	                           0x01, 0x03, 0x03, 0x03, 0x01, 0x01, 0x04, 0x01 };
	const uint8_t maxarc[] = { 0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f };
	const uint8_t toobig[] = { 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00 };
	const uint8_t lead80[] = { 0x2b, 0x80, 0x01 };
	const uint8_t unterm[] = { 0x2b, 0x9d };
	struct ber_oid o, back;
	struct pk_buf b = { 0 };
	char text[64];

	TAP_OK(ber_oid_parse(".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.1", &o) == 0 && o.n == 16,
	       "dotted OID parses");
	TAP_OK(ber_put_oid(&b, &o) == 0 && bytes_eq(&b, state1, sizeof state1),
	       "ePDU outlet command OID encodes as net-snmp does (3808 = 9d 60)");
	TAP_OK(ber_decode_oid(state1 + 2, sizeof state1 - 2, &back) == 0 && ber_oid_cmp(&o, &back) == 0,
	       "and decodes back");
	ber_oid_format(&back, text, sizeof text);
	TAP_STREQ(text, ".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.1", "formats with leading dot");
	TAP_OK(ber_decode_oid(maxarc, sizeof maxarc, &back) == 0 && back.n == 3 &&
	       back.arc[2] == 4294967295u, "arc 4294967295 = 8f ff ff ff 7f");
	pk_buf_reset(&b);
	TAP_OK(ber_oid_parse("1.3.4294967295", &o) == 0 && ber_put_oid(&b, &o) == 0 &&
	       b.len == 8 && memcmp(b.data + 2, maxarc, 6) == 0, "arc 4294967295 encodes");
	TAP_OK(ber_decode_oid(toobig, sizeof toobig, &back) == -1, "arc 2^32 refused");
	TAP_OK(ber_decode_oid(lead80, sizeof lead80, &back) == -1, "arc with leading 80 refused");
	TAP_OK(ber_decode_oid(unterm, sizeof unterm, &back) == -1, "unterminated arc refused");
	TAP_OK(ber_decode_oid(unterm, 0, &back) == -1, "empty OID refused");
	TAP_OK(ber_oid_parse("1.3.4294967296", &o) == -1, "text arc 2^32 refused");
	TAP_OK(ber_oid_parse("1.3..6", &o) == -1 && ber_oid_parse("3", &o) == -1 &&
	       ber_oid_parse("1.3.a", &o) == -1 && ber_oid_parse("1.3.", &o) == -1 &&
	       ber_oid_parse("", &o) == -1 && ber_oid_parse("1.40", &o) == -1,
	       "malformed dotted OIDs refused");
	pk_buf_reset(&b);
	TAP_OK(ber_oid_parse(".1", &o) == 0 && o.n == 1 && ber_put_oid(&b, &o) == 0 && b.len == 3 &&
	       b.data[0] == 0x06 && b.data[1] == 1 && b.data[2] == 40,
	       "one-arc .1 kept as one arc, sent as 1.0 (06 01 28)");
	pk_buf_reset(&b);
	TAP_OK(ber_oid_parse("2", &o) == 0 && ber_put_oid(&b, &o) == 0 && b.data[2] == 80,
	       "one-arc 2 sent as 2.0");
	pk_buf_free(&b);
}

/* A v2c GET of two OIDs and its reply, as captured against net-snmp's snmpd. */
static void
test_message(void)
{
	const uint8_t head[] = { 0x30, 0x47, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i',
	                         'c', 0xa0, 0x3a, 0x02, 0x04, 0x09, 0x9a, 0x45, 0x25, 0x02, 0x01,
	                         0x00, 0x02, 0x01, 0x00, 0x30, 0x2c, 0x30, 0x14, 0x06, 0x10, 0x2b };
	struct snmp_vb *vbs = calloc(4, sizeof *vbs), *out = calloc(4, sizeof *out);
	struct pk_buf b = { 0 };
	struct snmp_msg m;
	const char *why;

	ber_oid_parse("1.3.6.1.4.1.3808.1.1.3.3.5.1.1.4.1", &vbs[0].oid);
	ber_oid_parse("1.3.6.1.4.1.3808.1.1.3.3.4.1.1.5.2", &vbs[1].oid);
	vbs[0].type = vbs[1].type = BER_NULL;
	TAP_OK(snmp_encode(&b, SNMP_V2C, "public", SNMP_PDU_GET, 0x099a4525, 0, 0, vbs, 2) == 0 &&
	       b.len == 73 && memcmp(b.data, head, sizeof head) == 0,
	       "v2c GET of two OIDs is the 73 bytes of the capture");
	TAP_OK(snmp_decode((const uint8_t *)b.data, b.len, &m, out, 4, &why) == 0 &&
	       m.version == 1 && m.request_id == 0x099a4525 && m.pdu_type == SNMP_PDU_GET &&
	       m.nvb == 2 && out[1].type == BER_NULL && ber_oid_cmp(&out[1].oid, &vbs[1].oid) == 0,
	       "and decodes back");
	TAP_OK(snmp_decode((const uint8_t *)b.data, b.len - 1, &m, out, 4, &why) == -1,
	       "truncated message refused");
	TAP_OK(snmp_decode((const uint8_t *)b.data, b.len, &m, out, 1, &why) == -1,
	       "more varbinds than room refused");

	/* A reply with every value type, then exceptions. */
	pk_buf_reset(&b);
	vbs[0].type = BER_INTEGER;
	vbs[0].i = -1;
	snmp_vb_set_string(&vbs[1], "rack \"A\"");
	vbs[2].oid = vbs[0].oid;
	vbs[2].type = BER_COUNTER64;
	vbs[2].u = UINT64_MAX;
	vbs[3].oid = vbs[0].oid;
	vbs[3].type = BER_TIMETICKS;
	vbs[3].u = 8640000 + 360000 + 6000 + 123;
	TAP_OK(snmp_encode(&b, SNMP_V1, "private", SNMP_PDU_RESPONSE, -5, 5, 2, vbs, 4) == 0 &&
	       snmp_decode((const uint8_t *)b.data, b.len, &m, out, 4, &why) == 0 &&
	       m.request_id == -5 && m.error_status == 5 && m.error_index == 2 &&
	       out[0].i == -1 && out[2].u == UINT64_MAX && out[1].slen == 8,
	       "response with error fields and values round-trips");
	pk_buf_reset(&b);
	snmp_vb_format_value(&out[0], &b);
	TAP_STREQ(pk_buf_str(&b), "INTEGER: -1", "INTEGER formats like snmpget");
	pk_buf_reset(&b);
	snmp_vb_format_value(&out[1], &b);
	TAP_STREQ(pk_buf_str(&b), "STRING: \"rack \\\"A\\\"\"", "STRING formats like snmpget");
	pk_buf_reset(&b);
	snmp_vb_format_value(&out[3], &b);
	TAP_STREQ(pk_buf_str(&b), "Timeticks: (9006123) 1 day, 1:01:01.23", "TimeTicks formats");
	TAP_STREQ(snmp_status_name(5), "genErr", "error-status names");
	free(vbs);
	free(out);
	pk_buf_free(&b);
}

static void
test_exceptions(void)
{
	/* Varbind list of three exceptions in a v2c response. */
	const uint8_t msg[] = {
		0x30, 0x2d, 0x02, 0x01, 0x01, 0x04, 0x01, 'p', 0xa2, 0x25,
		0x02, 0x01, 0x07, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x1a,
		0x30, 0x07, 0x06, 0x03, 0x2b, 0x06, 0x01, 0x80, 0x00,
		0x30, 0x07, 0x06, 0x03, 0x2b, 0x06, 0x02, 0x81, 0x00,
		0x30, 0x06, 0x06, 0x02, 0x2b, 0x07, 0x82, 0x00 };
	uint8_t bad[sizeof msg];
	struct snmp_vb *out = calloc(3, sizeof *out);
	struct snmp_msg m;
	const char *why;

	TAP_OK(snmp_decode(msg, sizeof msg, &m, out, 3, &why) == 0 && m.nvb == 3 &&
	       out[0].type == BER_NOSUCHOBJECT && out[1].type == BER_NOSUCHINSTANCE &&
	       out[2].type == BER_ENDOFMIBVIEW && snmp_vb_missing(&out[1]),
	       "noSuchObject, noSuchInstance, endOfMibView decode");
	memcpy(bad, msg, sizeof msg);
	bad[sizeof bad - 1] = 0x01;
	TAP_OK(snmp_decode(bad, sizeof bad, &m, out, 3, &why) == -1,
	       "exception with an overrunning length refused");
	memcpy(bad, msg, sizeof msg);
	bad[1] = 0x7f;
	TAP_OK(snmp_decode(bad, sizeof bad, &m, out, 3, &why) == -1,
	       "message length past the datagram refused");
	TAP_OK(snmp_decode(msg, 20, &m, out, 3, &why) == -1, "truncated datagram refused");
	free(out);
}

static void
test_values(void)
{
	struct snmp_vb *vb = calloc(1, sizeof *vb);
	struct pk_err err;

	TAP_OK(snmp_vb_parse_value(vb, "i", "-129", &err) == 0 && vb->type == BER_INTEGER &&
	       vb->i == -129, "i -129 parses");
	TAP_OK(snmp_vb_parse_value(vb, "u", "4294967295", &err) == 0 && vb->u == 4294967295u,
	       "u max parses");
	TAP_OK(snmp_vb_parse_value(vb, "u", "4294967296", &err) == PK_EUSAGE, "u 2^32 refused");
	TAP_OK(snmp_vb_parse_value(vb, "i", "12x", &err) == PK_EUSAGE, "i 12x refused");
	TAP_OK(snmp_vb_parse_value(vb, "x", "de ad", &err) == 0 && vb->slen == 2 && vb->v.s[0] == 0xde,
	       "x hex parses");
	TAP_OK(snmp_vb_parse_value(vb, "a", "10.0.0.300", &err) == PK_EUSAGE, "bad IpAddress refused");
	TAP_OK(snmp_vb_parse_value(vb, "q", "1", &err) == PK_EUSAGE, "unknown type refused");
	free(vb);
}

int
main(void)
{
	test_integers();
	test_unsigned();
	test_lengths();
	test_oids();
	test_message();
	test_exceptions();
	test_values();
	return TAP_DONE();
}
