/* Unit tests for discovery ranges (core/addr_range.h). */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/addr_range.h"
#include "tap.h"

/* The i-th address of a set holding spec alone. */
static const char *
nth(const char *spec, uint64_t i)
{
	static char out[300];
	struct pk_addrs s = { 0 };
	struct pk_err err = { 0 };

	out[0] = '\0';
	if (pk_addrs_add(&s, spec, UINT64_MAX, &err) == 0)
		pk_addrs_nth(&s, i, out, sizeof out);
	pk_addrs_free(&s);
	return out;
}

static uint64_t
count(const char *spec)
{
	struct pk_addr_range r;
	struct pk_err err = { 0 };

	return pk_addr_range_parse(spec, &r, &err) == 0 ? r.count : 0;
}

static void
test_cidr(void)
{
	TAP_OK(count("192.168.1.0/24") == 254, "a /24 holds 254 hosts (got %llu)",
	       (unsigned long long)count("192.168.1.0/24"));
	TAP_STREQ(nth("192.168.1.0/24", 0), "192.168.1.1", "the network address is skipped");
	TAP_STREQ(nth("192.168.1.0/24", 253), "192.168.1.254", "the broadcast address is skipped");
	TAP_STREQ(nth("192.168.1.77/24", 0), "192.168.1.1", "host bits of the address are cleared");
	TAP_OK(count("127.0.0.0/28") == 14, "a /28 holds 14 hosts");
	TAP_OK(count("10.0.0.8/31") == 2, "a /31 holds both its addresses");
	TAP_STREQ(nth("10.0.0.8/31", 1), "10.0.0.9", "a /31's second address");
	TAP_OK(count("10.0.0.8/32") == 1, "a /32 is one address");
	TAP_STREQ(nth("10.0.0.8/32", 0), "10.0.0.8", "a /32's address");
	TAP_OK(count("0.0.0.0/0") == 4294967294ULL, "a /0 counts every IPv4 host");
	TAP_OK(count("fd00::/120") == 256, "an IPv6 /120 holds 256 addresses");
	TAP_STREQ(nth("fd00::/120", 0), "fd00::", "IPv6 keeps its first address");
	TAP_STREQ(nth("fd00::/120", 255), "fd00::ff", "and its last");
	TAP_STREQ(nth("fd00::ff00/119", 300), "fd00::ff2c", "IPv6 addition carries across bytes");
	TAP_OK(count("fd00::/64") == UINT64_MAX, "a huge IPv6 prefix saturates");
	TAP_OK(count("::1/128") == 1, "::1/128 is one address");
}

static void
test_dash_and_single(void)
{
	TAP_OK(count("192.168.1.10-60") == 51, "a last-octet range counts both ends");
	TAP_STREQ(nth("192.168.1.10-60", 50), "192.168.1.60", "its last address");
	TAP_OK(count("192.168.1.250-192.168.2.5") == 12, "a full range crosses an octet");
	TAP_STREQ(nth("192.168.1.250-192.168.2.5", 6), "192.168.2.0", "and carries");
	TAP_OK(count("fd00::1-fd00::20") == 32, "an IPv6 FIRST-LAST range");
	TAP_OK(count("10.0.0.7") == 1, "a single IPv4 address");
	TAP_OK(count("::1") == 1, "a single IPv6 address");
	TAP_STREQ(nth("pdu-3.lan", 0), "pdu-3.lan", "a host name with a dash is a name");
	TAP_STREQ(nth("127.0.0.5-5", 0), "127.0.0.5", "a one-address dash range");
}

static void
refused(const char *spec, const char *want)
{
	struct pk_addr_range r;
	struct pk_err err = { 0 };
	int rc = pk_addr_range_parse(spec, &r, &err);

	TAP_OK(rc == PK_EUSAGE, "'%s' is a usage error", spec);
	TAP_STREQ(err.msg, want, "'%s': its message", spec);
}

static void
test_bad(void)
{
	refused("10.0.0.0/33", "bad range '10.0.0.0/33': the prefix must be 0-32");
	refused("fd00::/129", "bad range 'fd00::/129': the prefix must be 0-128");
	refused("10.0.0.0/", "bad range '10.0.0.0/': the prefix must be 0-32");
	refused("10.0.0.0/2x", "bad range '10.0.0.0/2x': the prefix must be 0-32");
	refused("pdu/24", "bad range 'pdu/24': not a numeric address before '/'");
	refused("10.0.0.60-10", "bad range '10.0.0.60-10': the last address comes before the first");
	refused("10.0.0.1-256", "bad range '10.0.0.1-256': the last octet must be 0-255");
	refused("10.0.0.1-fd00::1", "bad range '10.0.0.1-fd00::1': FIRST-LAST needs two addresses of one family");
	refused("10.0.0.1-", "bad range '10.0.0.1-': FIRST-LAST needs two addresses of one family");
	refused("", "bad range '': expected ADDRESS/PREFIX, FIRST-LAST, ADDRESS or HOST");
	refused("a b", "bad range 'a b': expected ADDRESS/PREFIX, FIRST-LAST, ADDRESS or HOST");
	refused("-h", "bad range '-h': expected ADDRESS/PREFIX, FIRST-LAST, ADDRESS or HOST");
}

static void
test_cap(void)
{
	struct pk_addrs s = { 0 };
	struct pk_err err = { 0 };
	char addr[64];

	TAP_OK(pk_addrs_add(&s, "10.0.0.0/8", PK_ADDRS_MAX_DEFAULT, &err) == PK_EUSAGE,
	       "a /8 is refused under the default cap");
	TAP_STREQ(err.msg, "range '10.0.0.0/8' brings the scan to 16777214 addresses, more than 4096 "
	          "(--max-hosts N allows more)", "the message names --max-hosts");
	TAP_OK(s.n == 0 && s.total == 0, "nothing was added");
	TAP_OK(pk_addrs_add(&s, "10.0.0.0/20", PK_ADDRS_MAX_DEFAULT, &err) == 0,
	       "a /20 (4094 hosts) fits under 4096");
	TAP_OK(pk_addrs_add(&s, "10.1.0.1-3", PK_ADDRS_MAX_DEFAULT, &err) == PK_EUSAGE,
	       "ranges together above the cap are refused");
	TAP_OK(pk_addrs_add(&s, "10.1.0.1-2", PK_ADDRS_MAX_DEFAULT, &err) == 0,
	       "up to the cap exactly is allowed");
	TAP_OK(s.total == 4096, "the set counts 4096");
	pk_addrs_nth(&s, 4094, addr, sizeof addr);
	TAP_STREQ(addr, "10.1.0.1", "the second range follows the first");
	pk_addrs_free(&s);
	TAP_OK(pk_addrs_add(&s, "fd00::/64", PK_ADDRS_MAX_DEFAULT, &err) == PK_EUSAGE,
	       "a saturated IPv6 prefix is refused");
	TAP_STREQ(err.msg, "range 'fd00::/64' brings the scan to over 18446744073709551615 addresses, "
	          "more than 4096 (--max-hosts N allows more)", "it says 'over'");
	TAP_OK(pk_addrs_add(&s, "10.0.0.0/8", 1 << 24, &err) == 0, "a /8 with a higher cap");
	pk_addrs_free(&s);
}

int
main(void)
{
	test_cidr();
	test_dash_and_single();
	test_bad();
	test_cap();
	return TAP_DONE();
}
