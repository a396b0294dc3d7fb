/* fuzz_snmp — SNMP v1/v2c as an agent sends it and as a user types it
 * (snmp/ber.c, snmp/snmp.c).  The first byte picks: a whole message
 * decoded (snmp_decode) and every varbind formatted as pductl oid prints
 * it; a dotted OID (ber_oid_parse); a SET value as snmpset spells it
 * (snmp_vb_parse_value: TYPE letter, then the value).  Properties: an
 * OID formats and parses back to itself; a parsed value encodes into a
 * message that decodes to the same value. */
#include "snmp/snmp.h"
#include "fuzz.h"

static struct snmp_vb vbs[SNMP_MAX_VB];

static void
decode(const uint8_t *p, size_t n)
{
	struct snmp_msg m;
	struct pk_buf out = { 0 };
	const char *why;

	if (snmp_decode(p, n, &m, vbs, SNMP_MAX_VB, &why) != 0)
		return;
	FUZZ_ASSERT(m.nvb <= SNMP_MAX_VB);
	for (size_t i = 0; i < m.nvb; i++) {
		snmp_vb_format(&vbs[i], &out);
		snmp_vb_missing(&vbs[i]);
	}
	snmp_status_name(m.error_status);
	pk_buf_free(&out);
}

static void
oid(const char *s)
{
	struct ber_oid o, again;
	char text[BER_OID_MAX * 11 + 2];
	struct pk_buf b = { 0 };

	if (ber_oid_parse(s, &o) != 0)
		return;
	ber_oid_format(&o, text, sizeof text);
	FUZZ_ASSERT(ber_oid_parse(text, &again) == 0 && ber_oid_cmp(&o, &again) == 0);
	/* An OID the parser takes may still be one BER cannot carry
	 * (first arcs over 2.39, say): the writer refuses it then. */
	ber_put_oid(&b, &o);
	pk_buf_free(&b);
}

/* snmpset's TYPE VALUE, then the SET request carrying it, decoded back. */
static void
set_value(const char *type, const char *value)
{
	struct snmp_vb vb = { 0 };
	struct snmp_msg m;
	struct pk_buf msg = { 0 };
	struct pk_err err;
	const char *why;

	if (ber_oid_parse("1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.1", &vb.oid) != 0 ||
	    snmp_vb_parse_value(&vb, type, value, &err) != 0)
		return;
	if (snmp_encode(&msg, SNMP_V2C, "private", SNMP_PDU_SET, 7, 0, 0, &vb, 1) == 0) {
		FUZZ_ASSERT(snmp_decode((const uint8_t *)msg.data, msg.len, &m, vbs, 1, &why) == 0);
		FUZZ_ASSERT(m.nvb == 1 && vbs[0].type == vb.type);
		if (vb.type == BER_OCTETS || vb.type == BER_IPADDR)
			FUZZ_ASSERT(vbs[0].slen == vb.slen && memcmp(vbs[0].v.s, vb.v.s, vb.slen) == 0);
		else if (vb.type == BER_OID && vb.v.oid.n == 1)
			/* BER has no one-arc OID: ".2" goes out as .2.0 */
			FUZZ_ASSERT(vbs[0].v.oid.n == 2 && vbs[0].v.oid.arc[0] == vb.v.oid.arc[0] &&
			            vbs[0].v.oid.arc[1] == 0);
		else if (vb.type == BER_OID)
			FUZZ_ASSERT(ber_oid_cmp(&vbs[0].v.oid, &vb.v.oid) == 0);
		else if (vb.type == BER_INTEGER)
			FUZZ_ASSERT(vbs[0].i == vb.i);
		else
			FUZZ_ASSERT(vbs[0].u == vb.u);
	}
	pk_buf_free(&msg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *type;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		decode(data + 1, size - 1);
		break;
	case 1:
		s = fuzz_str(data + 1, size - 1);
		oid(s);
		free(s);
		break;
	default:
		data++, size--;
		type = fuzz_take(&data, &size, ' ');
		s = fuzz_str(data, size);
		set_value(type, s);
		free(type);
		free(s);
		break;
	}
	return 0;
}
