/* snmp/ber.h — the subset of ASN.1 BER that SNMP v1/v2c uses (X.690 definite
 * lengths only): a bounds-checked reader and an appending writer.
 * Nothing here prints or allocates except through the caller's pk_buf.
 *
 * What real agents send and a decoder must take: long-form lengths that
 * are not minimal (some embedded agents always write 0x82 NN NN), never
 * the indefinite form 0x80 (forbidden in SNMP) and never a length past
 * the datagram.  INTEGERs are minimal two's complement and PDUs do send
 * negatives (-1 for "never" or "not supported").  Counter32, Gauge32,
 * TimeTicks and Counter64 are unsigned: a value with the top bit set
 * carries a leading 00 (up to 5 content bytes, 9 for Counter64), and
 * agents that omit it are tolerated.  OIDs: first byte 40 * arc1 + arc2,
 * then base-128 arcs; an arc starting with 0x80, an arc above 2^32-1 or
 * an empty OID is refused.  OCTET STRINGs are raw bytes (names may end
 * in spaces or NULs). */
#ifndef BER_H
#define BER_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum {
	BER_INTEGER = 0x02,
	BER_OCTETS = 0x04,
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQUENCE = 0x30,
	BER_IPADDR = 0x40,
	BER_COUNTER32 = 0x41,
	BER_GAUGE32 = 0x42,
	BER_TIMETICKS = 0x43,
	BER_OPAQUE = 0x44,
	BER_COUNTER64 = 0x46,
	BER_NOSUCHOBJECT = 0x80,   /* v2c exceptions: context-primitive, empty */
	BER_NOSUCHINSTANCE = 0x81,
	BER_ENDOFMIBVIEW = 0x82
};

/* SMI caps OIDs at 128 arcs, each at most 2^32-1. */
#define BER_OID_MAX 128

struct ber_oid {
	uint32_t arc[BER_OID_MAX];
	size_t n;
};

/* A read cursor over bytes that are not ours. */
struct ber_rd {
	const uint8_t *p;
	size_t len;
	size_t off;
};

/* Reads one tag and length.  The tag must be a single octet (SNMP uses no
 * others); the length must be definite and fit in what is left.  Returns 0,
 * or -1 for truncated input, an indefinite (0x80) length, a length longer
 * than 4 octets or one that runs past the end. */
int ber_read_tl(struct ber_rd *r, uint8_t *tag, size_t *len);

/* ber_read_tl plus the contents: *val points at len bytes, the cursor
 * moves past them. */
int ber_read_tlv(struct ber_rd *r, uint8_t *tag, const uint8_t **val, size_t *len);

/* Reads a TLV that must carry tag want; -1 otherwise. */
int ber_expect(struct ber_rd *r, uint8_t want, const uint8_t **val, size_t *len);

/* INTEGER contents, two's complement, 1..8 octets.  -1 on empty/too long. */
int ber_decode_int(const uint8_t *v, size_t n, int64_t *out);

/* Unsigned application types: up to maxbits (32 or 64) of value, a
 * leading 0x00 allowed (and tolerated when missing).  -1 when empty or
 * the value does not fit. */
int ber_decode_uint(const uint8_t *v, size_t n, unsigned maxbits, uint64_t *out);

/* OID contents: -1 when empty, an arc starts with 0x80, an arc exceeds
 * 2^32-1, the last arc is unterminated or there are more than 128 arcs. */
int ber_decode_oid(const uint8_t *v, size_t n, struct ber_oid *out);

/* Writers append one complete TLV; each returns 0 or -1 (out of memory or
 * an OID that cannot be encoded). */
int ber_put_tl(struct pk_buf *b, uint8_t tag, size_t len);
int ber_put_int(struct pk_buf *b, uint8_t tag, int64_t v);
int ber_put_uint(struct pk_buf *b, uint8_t tag, uint64_t v);
int ber_put_bytes(struct pk_buf *b, uint8_t tag, const void *p, size_t n);
int ber_put_oid(struct pk_buf *b, const struct ber_oid *o);
/* Wraps the contents of inner as one TLV with tag (a SEQUENCE or PDU). */
int ber_put_wrap(struct pk_buf *b, uint8_t tag, const struct pk_buf *inner);

/* Dotted text ("1.3.6.1", a leading dot allowed) to OID.  -1 when
 * malformed, empty or an arc is out of range.  A single arc (".1", the
 * whole tree, as snmpwalk takes it) is kept: ber_put_oid sends it as
 * ".1.0". */
int ber_oid_parse(const char *s, struct ber_oid *o);
/* ".1.3.6.1..." into out (truncated to fit). */
void ber_oid_format(const struct ber_oid *o, char *out, size_t outlen);
/* Appends arc to o; -1 when full. */
int ber_oid_append(struct ber_oid *o, uint32_t arc);
/* <0, 0, >0 in lexicographic OID order. */
int ber_oid_cmp(const struct ber_oid *a, const struct ber_oid *b);
/* 1 when prefix is a (not necessarily proper) prefix of o. */
int ber_oid_has_prefix(const struct ber_oid *o, const struct ber_oid *prefix);

#endif
