#include "snmp/ber.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
ber_read_tl(struct ber_rd *r, uint8_t *tag, size_t *len)
{
	size_t left = r->len - r->off, k, i, l = 0;
	const uint8_t *p = r->p + r->off;

	if (left < 2)
		return -1;
	*tag = p[0];
	if ((p[0] & 0x1f) == 0x1f)  /* multi-octet tag: never SNMP */
		return -1;
	if (p[1] < 0x80) {
		l = p[1];
		k = 0;
	} else {
		/* 0x80 alone is the indefinite form, forbidden in SNMP.  Non-minimal
		 * long forms (0x82 00 05) are accepted: some agents always send them. */
		k = p[1] & 0x7f;
		if (k == 0 || k > 4 || left < 2 + k)
			return -1;
		for (i = 0; i < k; i++)
			l = (l << 8) | p[2 + i];
	}
	if (l > left - 2 - k)
		return -1;
	r->off += 2 + k;
	*len = l;
	return 0;
}

int
ber_read_tlv(struct ber_rd *r, uint8_t *tag, const uint8_t **val, size_t *len)
{
	if (ber_read_tl(r, tag, len) != 0)
		return -1;
	*val = r->p + r->off;
	r->off += *len;
	return 0;
}

int
ber_expect(struct ber_rd *r, uint8_t want, const uint8_t **val, size_t *len)
{
	uint8_t tag;

	if (ber_read_tlv(r, &tag, val, len) != 0 || tag != want)
		return -1;
	return 0;
}

int
ber_decode_int(const uint8_t *v, size_t n, int64_t *out)
{
	uint64_t u;
	size_t i;

	if (n == 0 || n > 8)
		return -1;
	/* Sign-extend the first octet, then shift the rest in. */
	u = (v[0] & 0x80) ? UINT64_MAX : 0;
	for (i = 0; i < n; i++)
		u = (u << 8) | v[i];
	*out = (int64_t)u;
	return 0;
}

int
ber_decode_uint(const uint8_t *v, size_t n, unsigned maxbits, uint64_t *out)
{
	uint64_t u = 0;
	size_t i;

	if (n == 0)
		return -1;
	/* The sign octet 00 in front of a value with its top bit set. */
	if (n > 1 && v[0] == 0x00) {
		v++;
		n--;
	}
	if (n > maxbits / 8)
		return -1;
	for (i = 0; i < n; i++)
		u = (u << 8) | v[i];
	*out = u;
	return 0;
}

int
ber_decode_oid(const uint8_t *v, size_t n, struct ber_oid *out)
{
	size_t i = 0;
	int first = 1;

	out->n = 0;
	if (n == 0)
		return -1;
	while (i < n) {
		uint64_t arc = 0;
		if (v[i] == 0x80)  /* non-minimal arc encoding */
			return -1;
		for (;;) {
			if (i >= n)
				return -1;  /* last arc unterminated */
			arc = (arc << 7) | (v[i] & 0x7f);
			if (arc > UINT32_MAX)
				return -1;
			if (!(v[i++] & 0x80))
				break;
		}
		if (first) {
			/* The first subidentifier packs two arcs: 40 * a1 + a2. */
			uint32_t a1 = arc < 40 ? 0 : arc < 80 ? 1 : 2;
			out->arc[0] = a1;
			out->arc[1] = (uint32_t)(arc - 40u * a1);
			out->n = 2;
			first = 0;
			continue;
		}
		if (out->n >= BER_OID_MAX)
			return -1;
		out->arc[out->n++] = (uint32_t)arc;
	}
	return 0;
}

int
ber_put_tl(struct pk_buf *b, uint8_t tag, size_t len)
{
	uint8_t h[6];
	size_t n = 0;

	h[n++] = tag;
	if (len < 0x80) {
		h[n++] = (uint8_t)len;
	} else if (len <= 0xff) {
		h[n++] = 0x81;
		h[n++] = (uint8_t)len;
	} else if (len <= 0xffff) {
		h[n++] = 0x82;
		h[n++] = (uint8_t)(len >> 8);
		h[n++] = (uint8_t)len;
	} else {
		h[n++] = 0x83;
		h[n++] = (uint8_t)(len >> 16);
		h[n++] = (uint8_t)(len >> 8);
		h[n++] = (uint8_t)len;
	}
	return pk_buf_add(b, h, n);
}

int
ber_put_bytes(struct pk_buf *b, uint8_t tag, const void *p, size_t n)
{
	if (ber_put_tl(b, tag, n) != 0)
		return -1;
	return n ? pk_buf_add(b, p, n) : 0;
}

int
ber_put_int(struct pk_buf *b, uint8_t tag, int64_t v)
{
	uint8_t c[8];
	size_t n = 8, i;
	uint64_t u = (uint64_t)v;

	for (i = 0; i < 8; i++)
		c[7 - i] = (uint8_t)(u >> (8 * i));
	/* Minimal two's complement: drop a leading octet while it only
	 * repeats the sign of the next one. */
	i = 0;
	while (n - i > 1 && ((c[i] == 0x00 && !(c[i + 1] & 0x80)) ||
	                     (c[i] == 0xff && (c[i + 1] & 0x80))))
		i++;
	return ber_put_bytes(b, tag, c + i, n - i);
}

int
ber_put_uint(struct pk_buf *b, uint8_t tag, uint64_t v)
{
	uint8_t c[9];
	size_t i = 1;

	c[0] = 0;
	for (size_t k = 0; k < 8; k++)
		c[8 - k] = (uint8_t)(v >> (8 * k));
	/* Skip leading zeros but keep one 00 before a top-bit-set octet. */
	while (i < 8 && c[i] == 0)
		i++;
	if (c[i] & 0x80)
		i--;
	return ber_put_bytes(b, tag, c + i, 9 - i);
}

int
ber_put_oid(struct pk_buf *b, const struct ber_oid *o)
{
	uint8_t c[BER_OID_MAX * 5 + 5];
	size_t n = 0, i;

	if (o->n == 1 && o->arc[0] <= 2) {
		/* BER has no one-arc OID: the first two arcs share one
		 * subidentifier, so ".1" goes out as 1.0, the first OID of the
		 * subtree (what a walk from the root of the tree needs). */
		c[n++] = (uint8_t)(40u * o->arc[0]);
		return ber_put_bytes(b, BER_OID, c, n);
	}
	if (o->n < 2 || o->arc[0] > 2 || (o->arc[0] < 2 && o->arc[1] > 39) ||
	    o->arc[1] > UINT32_MAX - 80)
		return -1;
	for (i = 1; i < o->n; i++) {
		uint64_t arc = i == 1 ? 40u * o->arc[0] + (uint64_t)o->arc[1] : o->arc[i];
		uint8_t tmp[5];
		size_t k = 0;
		do {
			tmp[k++] = (uint8_t)(arc & 0x7f);
			arc >>= 7;
		} while (arc);
		while (k > 0) {
			k--;
			c[n++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
		}
	}
	return ber_put_bytes(b, BER_OID, c, n);
}

int
ber_put_wrap(struct pk_buf *b, uint8_t tag, const struct pk_buf *inner)
{
	return ber_put_bytes(b, tag, inner->data, inner->len);
}

int
ber_oid_parse(const char *s, struct ber_oid *o)
{
	o->n = 0;
	if (*s == '.')
		s++;
	while (*s) {
		char *end;
		unsigned long long v;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno == ERANGE || v > UINT32_MAX || o->n >= BER_OID_MAX)
			return -1;
		o->arc[o->n++] = (uint32_t)v;
		s = end;
		if (*s == '.') {
			s++;
			if (*s == '\0')
				return -1;
		} else if (*s != '\0') {
			return -1;
		}
	}
	/* A single arc (".1", the whole tree, as snmpwalk takes it) is kept;
	 * ber_put_oid sends it as its first OID. */
	if (o->n == 0 || o->arc[0] > 2 || (o->n > 1 && o->arc[0] < 2 && o->arc[1] > 39))
		return -1;
	return 0;
}

void
ber_oid_format(const struct ber_oid *o, char *out, size_t outlen)
{
	size_t i, used = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < o->n && used < outlen; i++) {
		int w = snprintf(out + used, outlen - used, ".%u", (unsigned)o->arc[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int
ber_oid_append(struct ber_oid *o, uint32_t arc)
{
	if (o->n >= BER_OID_MAX)
		return -1;
	o->arc[o->n++] = arc;
	return 0;
}

int
ber_oid_cmp(const struct ber_oid *a, const struct ber_oid *b)
{
	size_t i, n = a->n < b->n ? a->n : b->n;

	for (i = 0; i < n; i++)
		if (a->arc[i] != b->arc[i])
			return a->arc[i] < b->arc[i] ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

int
ber_oid_has_prefix(const struct ber_oid *o, const struct ber_oid *prefix)
{
	size_t i;

	if (o->n < prefix->n)
		return 0;
	for (i = 0; i < prefix->n; i++)
		if (o->arc[i] != prefix->arc[i])
			return 0;
	return 1;
}
