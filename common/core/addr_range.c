/* addr_range.c — see core/addr_range.h. */
#include "core/addr_range.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/buf.h"

#define FORMS "ADDRESS/PREFIX, FIRST-LAST, ADDRESS or HOST"

static int
bad(struct pk_err *err, const char *spec, const char *why)
{
	return pk_err_set(err, PK_EUSAGE, "bad-range", "bad range '%s': %s", spec, why);
}

/* Parses a numeric address of either family into a; returns its family
 * or 0 when s is none. */
static int
parse_addr(const char *s, unsigned char a[16])
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, s, a) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, a) == 1)
		return AF_INET6;
	return 0;
}

static size_t
addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

/* The big-endian number in a[0..len) as 64 bits, or UINT64_MAX when the
 * bytes above the low eight are not zero. */
static uint64_t
low64(const unsigned char *a, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i + 8 < len && a[i] != 0)
			return UINT64_MAX;
		if (i + 8 >= len)
			v = v << 8 | a[i];
	}
	return v;
}

/* a += n, big-endian over len bytes (wrapping). */
static void
addr_add(unsigned char *a, size_t len, uint64_t n)
{
	unsigned carry = 0;
	size_t i = len;

	while (i-- > 0 && (n != 0 || carry != 0)) {
		unsigned sum = a[i] + (unsigned)(n & 0xff) + carry;

		a[i] = (unsigned char)sum;
		carry = sum >> 8;
		n >>= 8;
	}
}

/* b - a + 1 over len bytes (saturated), or 0 when b < a. */
static uint64_t
span(const unsigned char *a, const unsigned char *b, size_t len)
{
	unsigned char d[16];
	int borrow = 0;
	size_t i = len;
	uint64_t n;

	if (memcmp(a, b, len) > 0)
		return 0;
	while (i-- > 0) {
		int v = b[i] - a[i] - borrow;

		borrow = v < 0;
		d[i] = (unsigned char)(v + (borrow ? 256 : 0));
	}
	n = low64(d, len);
	return n == UINT64_MAX ? n : n + 1;
}

static int
parse_cidr(const char *spec, const char *slash, struct pk_addr_range *r, struct pk_err *err)
{
	char addr[64];
	size_t alen = (size_t)(slash - spec), bits, i;
	char *end;
	long prefix;

	if (alen >= sizeof addr)
		return bad(err, spec, "expected " FORMS);
	memcpy(addr, spec, alen);
	addr[alen] = '\0';
	if ((r->family = parse_addr(addr, r->first)) == 0)
		return bad(err, spec, "not a numeric address before '/'");
	bits = addr_len(r->family) * 8;
	prefix = isdigit((unsigned char)slash[1]) ? strtol(slash + 1, &end, 10) : -1;
	if (prefix < 0 || *end != '\0' || (size_t)prefix > bits)
		return pk_err_set(err, PK_EUSAGE, "bad-range", "bad range '%s': the prefix must be 0-%zu",
		                  spec, bits);
	/* The network address: host bits cleared. */
	for (i = (size_t)prefix; i < bits; i++)
		r->first[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	r->count = bits - (size_t)prefix >= 64 ? UINT64_MAX : (uint64_t)1 << (bits - (size_t)prefix);
	/* An IPv4 subnet's network and broadcast addresses are no hosts
	 * (a /31 or /32 has none of either). */
	if (r->family == AF_INET && prefix < 31) {
		addr_add(r->first, 4, 1);
		r->count -= 2;
	}
	return 0;
}

/* FIRST-LAST, or an IPv4 address whose last octet is a range. */
static int
parse_dash(const char *spec, const char *dash, struct pk_addr_range *r, struct pk_err *err)
{
	char first[64];
	unsigned char last[16];
	size_t flen = (size_t)(dash - spec);
	const char *tail = dash + 1;

	if (flen >= sizeof first)
		return bad(err, spec, "expected " FORMS);
	memcpy(first, spec, flen);
	first[flen] = '\0';
	r->family = parse_addr(first, r->first);
	memcpy(last, r->first, 16);
	if (r->family == AF_INET && *tail != '\0' && strspn(tail, "0123456789") == strlen(tail)) {
		long octet = strlen(tail) <= 3 ? strtol(tail, NULL, 10) : 256;

		if (octet > 255)
			return bad(err, spec, "the last octet must be 0-255");
		last[3] = (unsigned char)octet;
	} else if (parse_addr(tail, last) != r->family) {
		return bad(err, spec, "FIRST-LAST needs two addresses of one family");
	}
	if ((r->count = span(r->first, last, addr_len(r->family))) == 0)
		return bad(err, spec, "the last address comes before the first");
	return 0;
}

/* A host name: letters, digits, '-', '_' and dots, as resolvers take. */
static int
host_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 254 && s[0] != '-' && s[0] != '.' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == n;
}

int
pk_addr_range_parse(const char *spec, struct pk_addr_range *r, struct pk_err *err)
{
	const char *slash = strchr(spec, '/'), *dash = strrchr(spec, '-');
	char head[64];

	memset(r, 0, sizeof *r);
	if (*spec == '\0')
		return bad(err, spec, "expected " FORMS);
	if (slash != NULL)
		return parse_cidr(spec, slash, r, err);
	if ((r->family = parse_addr(spec, r->first)) != 0) {
		r->count = 1;
		return 0;
	}
	/* A dash after a numeric address is a range; in any other word it
	 * belongs to a host name (pdu-3.lan). */
	if (dash != NULL && (size_t)(dash - spec) < sizeof head) {
		unsigned char a[16];

		memcpy(head, spec, (size_t)(dash - spec));
		head[dash - spec] = '\0';
		if (parse_addr(head, a) != 0)
			return parse_dash(spec, dash, r, err);
	}
	if (!host_name_ok(spec))
		return bad(err, spec, "expected " FORMS);
	snprintf(r->name, sizeof r->name, "%s", spec);
	r->count = 1;
	return 0;
}

int
pk_addrs_add(struct pk_addrs *s, const char *spec, uint64_t max_hosts, struct pk_err *err)
{
	struct pk_addr_range r, *v;
	int rc = pk_addr_range_parse(spec, &r, err);

	if (rc != 0)
		return rc;
	if (r.count > max_hosts || s->total + r.count > max_hosts)
		return pk_err_set(err, PK_EUSAGE, "too-many-hosts",
		                  "range '%s' brings the scan to %s%llu addresses, more than %llu "
		                  "(--max-hosts N allows more)", spec,
		                  r.count == UINT64_MAX ? "over " : "",
		                  (unsigned long long)(r.count > max_hosts ? r.count : s->total + r.count),
		                  (unsigned long long)max_hosts);
	if ((v = pk_array_grow(s->v, &s->cap, s->n, sizeof *v)) == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	s->v = v;
	s->v[s->n++] = r;
	s->total += r.count;
	return 0;
}

void
pk_addrs_nth(const struct pk_addrs *s, uint64_t i, char *out, size_t outlen)
{
	size_t k;

	for (k = 0; k < s->n && i >= s->v[k].count; k++)
		i -= s->v[k].count;
	if (outlen == 0)
		return;
	out[0] = '\0';
	if (k == s->n)
		return;
	if (s->v[k].family == 0) {
		snprintf(out, outlen, "%s", s->v[k].name);
	} else {
		unsigned char a[16];
		char text[INET6_ADDRSTRLEN];

		memcpy(a, s->v[k].first, sizeof a);
		addr_add(a, addr_len(s->v[k].family), i);
		if (inet_ntop(s->v[k].family, a, text, sizeof text) != NULL)
			snprintf(out, outlen, "%s", text);
	}
}

void
pk_addrs_free(struct pk_addrs *s)
{
	free(s->v);
	memset(s, 0, sizeof *s);
}
