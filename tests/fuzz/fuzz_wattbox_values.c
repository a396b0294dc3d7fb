/* fuzz_wattbox_values — the value parsers of wattbox/session.c, each on
 * a device's text as it comes: outlet names "{A},{B, c}" (Integration
 * Protocol) and plain "A,B" (legacy XML), states "1,0,1", readings
 * "11.62,0.09" (strict decimals), an XML element's text, telnet IAC
 * sequences stripped from a byte stream, and a line matched as the
 * reply to each kind of command.  The first byte picks the parser.
 * Properties: counts stay within the room given, names are
 * NUL-terminated, readings are finite, stripping IAC never grows the
 * text and leaves no IAC byte. */
#include <math.h>

#include "wattbox/session.h"
#include "fuzz.h"

#define MAXN 16

static void
names(const char *v, int braced)
{
	static char out[MAXN][WB_NAME_MAX];
	int n = braced ? wb_parse_names(v, out, MAXN) : wb_parse_plain_names(v, out, MAXN);

	FUZZ_ASSERT(n <= MAXN);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(memchr(out[i], '\0', WB_NAME_MAX) != NULL);
}

static void
numbers(const char *v)
{
	double f[MAXN];
	int states[MAXN];
	int n = wb_parse_numbers(v, f, MAXN);

	FUZZ_ASSERT(n <= MAXN);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(isfinite(f[i]));
	n = wb_parse_states(v, states, MAXN);
	FUZZ_ASSERT(n <= MAXN);
	for (int i = 0; i < n; i++)
		FUZZ_ASSERT(states[i] == 0 || states[i] == 1);
}

static void
xml(const char *body)
{
	static const char *const tags[] = { "outlet_name", "outlet_status", "hasUPS",
		                            "voltage_value", "host_name", "request" };
	char out[64];

	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (wb_xml_tag(body, tags[i], out, sizeof out) == 0)
			FUZZ_ASSERT(memchr(out, '\0', sizeof out) != NULL);
}

static void
iac(const uint8_t *p, size_t n)
{
	struct pk_buf out = { 0 };
	size_t used = wb_iac_strip(p, n, &out);

	FUZZ_ASSERT(used <= n && out.len <= used);
	FUZZ_ASSERT(out.len == 0 || memchr(out.data, 0xff, out.len) == NULL);
	pk_buf_free(&out);
}

static void
match(const char *line)
{
	static const char *const cmds[] = { "?OutletPowerStatus=1", "?Firmware",
		                            "!OutletSet=1,ON", "!Reboot" };
	const char *value;

	for (int w = WB_QUERY; w <= WB_OUTLETSET; w++)
		for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
			if (wb_match_reply(cmds[i], (enum wb_want)w, line, &value) == 1 && value)
				FUZZ_ASSERT(value >= line && value <= line + strlen(line));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size < 1)
		return 0;
	if (data[0] % 7 == 5) {
		iac(data + 1, size - 1);
		return 0;
	}
	s = fuzz_str(data + 1, size - 1);
	switch (data[0] % 7) {
	case 0: names(s, 1); break;
	case 1: /* fall through: states are numbers too */
	case 2: numbers(s); break;
	case 3: names(s, 0); break;
	case 4: xml(s); break;
	default: match(s); break;
	}
	free(s);
	return 0;
}
