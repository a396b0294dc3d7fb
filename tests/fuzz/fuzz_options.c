/* fuzz_options — option values as users type them: numbers and seconds
 * (cli/options.c: -t, --parallel, ...), monitoring ranges and
 * thresholds (core/check.c: -w/-c VAR=RANGE, "10:", "~:20", "@5:9"),
 * check states, strict readings and JSON numbers (core/json.c), and the
 * SNMPv3 protocol names (-a, -x, -l).  The first byte picks the parser.
 * Properties: what is accepted lies within the bounds asked for,
 * ranges never have start > end, readings are finite. */
#include <math.h>

#include "cli/options.h"
#include "core/check.h"
#include "core/json.h"
#include "snmp/usm.h"
#include "fuzz.h"

static void
numbers(const char *s)
{
	struct pk_err err;
	int64_t ms;
	long n;
	double d;

	if (pk_parse_long(s, -1000, 1000, "--number", &n, &err) == 0)
		FUZZ_ASSERT(n >= -1000 && n <= 1000);
	if (pk_parse_seconds(s, 3600, "-t", &ms, &err) == 0)
		FUZZ_ASSERT(ms > 0 && ms <= 3600 * 1000);
	if (pk_reading_parse(s, &d) == 0) {
		struct pk_buf b = { 0 };

		FUZZ_ASSERT(isfinite(d) && pk_decimal_syntax(s));
		pk_check_format_num(&b, d);
		pk_buf_free(&b);
	}
	if (pk_json_is_number(s))
		FUZZ_ASSERT(pk_decimal_syntax(s));
}

static void
range(const char *s)
{
	struct pk_range r, narrow;
	struct pk_err err;

	if (pk_range_parse(s, &r, &err) != 0)
		return;
	FUZZ_ASSERT(!isnan(r.start) && !isnan(r.end) && r.start <= r.end);
	/* narrowed for hysteresis, a range thinner than the margin may end
	 * up empty: then every value alerts, which is what it means */
	pk_range_narrow(&r, 2, &narrow);
	pk_range_alerts(&narrow, r.start);
	pk_range_alerts(&r, 0);
	pk_range_alerts(&r, r.start);
	pk_range_alerts(&r, r.end);
}

static void
thresholds(const char *s)
{
	struct pk_thresholds t = { 0 };
	struct pk_err err;
	enum pk_check_state state;

	pk_check_state_parse(s, &state, &err);
	if (pk_thresholds_add(&t, PK_CHECK_WARNING, s, &err) == 0 &&
	    pk_thresholds_add(&t, PK_CHECK_CRITICAL, s, &err) == 0) {
		FUZZ_ASSERT(t.n == 1);
		pk_threshold_eval(&t.items[0], 42.5);
	}
	pk_thresholds_free(&t);
}

static void
usm_names(const char *s)
{
	enum snmp_auth a;
	enum snmp_priv p;
	enum snmp_level l;

	if (snmp_usm_auth_parse(s, &a) == 0)
		FUZZ_ASSERT(snmp_usm_hash_len(a) <= SNMP_USM_HASH_MAX);
	if (snmp_usm_priv_parse(s, &p) == 0)
		snmp_usm_priv_name(p);
	if (snmp_usm_level_parse(s, &l) == 0)
		FUZZ_ASSERT(l >= SNMP_NOAUTH && l <= SNMP_AUTHPRIV);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	s = fuzz_str(data + 1, size - 1);
	switch (data[0] % 4) {
	case 0: numbers(s); break;
	case 1: range(s); break;
	case 2: thresholds(s); break;
	default: usm_names(s); break;
	}
	free(s);
	return 0;
}
