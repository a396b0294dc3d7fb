/* core/addr_range.h — the address ranges a discovery scans:
 *   192.168.1.0/24, fd00::/120    CIDR (IPv4: without the network and
 *                                 broadcast addresses below /31)
 *   192.168.1.10-60               the last IPv4 octet as a range
 *   192.168.1.250-192.168.2.5     first-last, either family
 *   10.0.0.7, ::1, pdu3.lan       one address, or a host name (resolved
 *                                 when probed)
 * Ranges are kept as first address and count, never expanded, so a
 * refused /8 costs nothing; pk_addrs_nth() names the i-th address
 * of the whole set.  Nothing here resolves, prints or sends. */
#ifndef PK_ADDR_RANGE_H
#define PK_ADDR_RANGE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Without --max-hosts a scan may cover this many addresses at most: a
 * typo must not become a /8 scan. */
#define PK_ADDRS_MAX_DEFAULT 4096

struct pk_addr_range {
	int family;                /* AF_INET, AF_INET6, or 0 for a host name */
	unsigned char first[16];   /* the first address, network order */
	uint64_t count;            /* addresses in the range (saturated) */
	char name[256];            /* the host name (family 0) */
};

struct pk_addrs {
	struct pk_addr_range *v;
	size_t n, cap;
	uint64_t total;            /* addresses in every range */
};

/* Parses one RANGE.  PK_EUSAGE with a message naming it when it is none
 * of the forms above (a reversed range, a prefix out of bounds, ...). */
int pk_addr_range_parse(const char *spec, struct pk_addr_range *r, struct pk_err *err);

/* Parses spec and appends it; refuses (PK_EUSAGE) when the set would
 * hold more than max_hosts addresses, naming --max-hosts.  PK_ECOMM
 * "memory" when memory ran out. */
int pk_addrs_add(struct pk_addrs *s, const char *spec, uint64_t max_hosts,
                 struct pk_err *err);

/* Writes the i-th address of the set (0 <= i < s->total) as numeric
 * text (or the host name) into out. */
void pk_addrs_nth(const struct pk_addrs *s, uint64_t i, char *out, size_t outlen);

void pk_addrs_free(struct pk_addrs *s);

#endif
