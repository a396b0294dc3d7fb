/* Unit tests for the foundation: targets, outlet lists, JSON, options. */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"
#include "cli/options.h"
#include "core/outlets.h"
#include "core/prom.h"
#include "core/target.h"
#include "core/text.h"
#include "tap.h"

static void
test_targets(void)
{
	struct pk_target t;
	struct pk_err err;

	TAP_OK(pk_target_parse("ups1@db2:3494", PK_TARGET_NAMED, "3493", &t, &err) == 0,
	       "ups@host:port parses");
	TAP_STREQ(t.name, "ups1", "name");
	TAP_STREQ(t.host, "db2", "host");
	TAP_STREQ(t.port, "3494", "port");
	TAP_OK(pk_target_parse("ups", PK_TARGET_NAMED, "3493", &t, &err) == 0 &&
	       strcmp(t.host, "localhost") == 0 && strcmp(t.port, "3493") == 0,
	       "bare ups means ups@localhost:3493");
	TAP_OK(pk_target_parse("u@[::1]:3493", PK_TARGET_NAMED, "3493", &t, &err) == 0 &&
	       strcmp(t.host, "::1") == 0, "bracketed IPv6 with port");
	TAP_OK(pk_target_parse("u@[2001:db8::1]", PK_TARGET_NAMED, "3493", &t, &err) == 0 &&
	       strcmp(t.host, "2001:db8::1") == 0 && strcmp(t.port, "3493") == 0,
	       "bracketed IPv6 without port");
	TAP_OK(pk_target_parse("@nas", PK_TARGET_NAMED, "3493", &t, &err) == 0 &&
	       !t.has_name && strcmp(t.host, "nas") == 0, "@host has no UPS name");
	TAP_OK(pk_target_parse("u@h:0", PK_TARGET_NAMED, "3493", &t, &err) == PK_EUSAGE,
	       "port 0 refused");
	TAP_OK(pk_target_parse("u@h:65536", PK_TARGET_NAMED, "3493", &t, &err) == PK_EUSAGE,
	       "port 65536 refused");
	TAP_OK(pk_target_parse("u@h:", PK_TARGET_NAMED, "3493", &t, &err) == PK_EUSAGE,
	       "empty port refused");
	TAP_OK(pk_target_parse("u@[::1", PK_TARGET_NAMED, "3493", &t, &err) == PK_EUSAGE,
	       "unclosed bracket refused");
	TAP_OK(pk_target_parse("u@", PK_TARGET_NAMED, "3493", &t, &err) == PK_EUSAGE,
	       "empty host refused");
	TAP_OK(pk_target_parse("pdu1:1161", PK_TARGET_HOST, "161", &t, &err) == 0 &&
	       strcmp(t.host, "pdu1") == 0 && strcmp(t.port, "1161") == 0, "host:port");
	TAP_OK(pk_target_parse("fe80::1", PK_TARGET_HOST, "161", &t, &err) == 0 &&
	       strcmp(t.host, "fe80::1") == 0 && strcmp(t.port, "161") == 0,
	       "bare IPv6 host keeps default port");
	TAP_OK(pk_target_parse("a@b", PK_TARGET_HOST, "161", &t, &err) == PK_EUSAGE,
	       "host target refuses '@'");
}

static void
test_outlets(void)
{
	unsigned char sel[8];
	const char *names[8] = { "nas", "web", "fw, core", NULL, "dup", "dup", "", "x" };
	struct pk_err err;

	TAP_OK(pk_outlets_parse("3", 8, NULL, sel, &err) == 0 && sel[2] && pk_outlets_count(sel, 8) == 1,
	       "single outlet");
	TAP_OK(pk_outlets_parse("1,4,7", 8, NULL, sel, &err) == 0 && sel[0] && sel[3] && sel[6] &&
	       pk_outlets_count(sel, 8) == 3, "list");
	TAP_OK(pk_outlets_parse("2-5", 8, NULL, sel, &err) == 0 && pk_outlets_count(sel, 8) == 4 &&
	       sel[1] && sel[4], "range");
	TAP_OK(pk_outlets_parse("all", 8, NULL, sel, &err) == 0 && pk_outlets_count(sel, 8) == 8, "all");
	TAP_OK(pk_outlets_parse("9", 8, NULL, sel, &err) == PK_EUSAGE && strstr(err.msg, "1-8") != NULL,
	       "out of range names the valid range");
	TAP_OK(pk_outlets_parse("0", 8, NULL, sel, &err) == PK_EUSAGE, "outlet 0 refused");
	TAP_OK(pk_outlets_parse("5-2", 8, NULL, sel, &err) == PK_EUSAGE, "backwards range refused");
	TAP_OK(pk_outlets_parse("nas", 8, names, sel, &err) == 0 && sel[0] && pk_outlets_count(sel, 8) == 1,
	       "name selects its outlet");
	TAP_OK(pk_outlets_parse("fw, core", 8, names, sel, &err) == 0 && sel[2], "name with comma");
	TAP_OK(pk_outlets_parse("nas,2", 8, names, sel, &err) == 0 && sel[0] && sel[1], "name in list");
	TAP_OK(pk_outlets_parse("dup", 8, names, sel, &err) == PK_EUSAGE && strstr(err.msg, "ambiguous"),
	       "ambiguous name refused");
	TAP_OK(pk_outlets_parse("NAS", 8, names, sel, &err) == PK_EUSAGE && strstr(err.msg, "1=nas"),
	       "names match exactly; message lists outlets");
	TAP_OK(pk_outlets_parse("", 8, names, sel, &err) == PK_EUSAGE, "empty refused");
	TAP_OK(pk_outlets_parse("1,,2", 8, NULL, sel, &err) == 0 && pk_outlets_count(sel, 8) == 2,
	       "empty list items are skipped");
}

static void
test_json(void)
{
	struct pk_buf b = { 0 };
	struct pk_json j;

	TAP_OK(pk_json_is_number("230"), "230 is a number");
	TAP_OK(pk_json_is_number("-12.5"), "-12.5 is a number");
	TAP_OK(pk_json_is_number("0"), "0 is a number");
	TAP_OK(pk_json_is_number("0.75"), "0.75 is a number");
	TAP_OK(!pk_json_is_number("024"), "024 is not");
	TAP_OK(!pk_json_is_number("1.02a"), "1.02a is not");
	TAP_OK(!pk_json_is_number("1e3"), "1e3 is not");
	TAP_OK(!pk_json_is_number(".5") && !pk_json_is_number("5.") && !pk_json_is_number("+5"),
	       ".5, 5. and +5 are not");
	TAP_OK(!pk_json_is_number("") && !pk_json_is_number("-"), "empty and - are not");
	TAP_OK(!pk_json_is_number("123456789012345678901"), "21 digits is an identifier");
	TAP_OK(pk_decimal_syntax("024") && pk_decimal_syntax("-0.50") && pk_decimal_syntax("7"),
	       "decimal syntax takes leading zeros and signs");
	TAP_OK(!pk_decimal_syntax("1e3") && !pk_decimal_syntax(".5") && !pk_decimal_syntax("5.") &&
	       !pk_decimal_syntax("+5") && !pk_decimal_syntax("") && !pk_decimal_syntax("1.2.3"),
	       "decimal syntax refuses exponents, bare dots, '+', empty, two dots");

	{
		double v = 7;
		TAP_OK(pk_reading_parse("118.78", &v) == 0 && v > 118.77 && v < 118.79 &&
		       pk_reading_parse("-0.5", &v) == 0 && v == -0.5, "readings: plain decimals");
		v = 7;
		TAP_OK(pk_reading_parse("1e300", &v) != 0 && pk_reading_parse("-inf", &v) != 0 &&
		       pk_reading_parse("nan", &v) != 0 && pk_reading_parse("0x10", &v) != 0 &&
		       pk_reading_parse("", &v) != 0 && pk_reading_parse(" 5", &v) != 0 &&
		       pk_reading_parse("123456789012345678901", &v) != 0 && v == 7,
		       "readings: exponent, inf, nan, hex, empty, space, 21 digits refused (defect 1)");
	}

	pk_json_init(&j, &b);
	pk_json_obj_begin(&j);
	pk_json_key(&j, "a");
	pk_json_auto(&j, "12");
	pk_json_key(&j, "b\"q");
	pk_json_str(&j, "x\\y\n\x01");
	pk_json_key(&j, "c");
	pk_json_arr_begin(&j);
	pk_json_str(&j, "OL");
	pk_json_bool(&j, 1);
	pk_json_null(&j);
	pk_json_arr_end(&j);
	pk_json_key(&j, "d");
	pk_json_obj_begin(&j);
	pk_json_obj_end(&j);
	pk_json_obj_end(&j);
	TAP_STREQ(pk_buf_str(&b),
	          "{\"a\":12,\"b\\\"q\":\"x\\\\y\\n\\u0001\",\"c\":[\"OL\",true,null],\"d\":{}}",
	          "writer escapes and separates");
	pk_buf_free(&b);
}

static void
test_opts(void)
{
	struct pk_common_opts o;
	struct pk_err err;
	long v;

	pk_common_defaults(&o);
	TAP_OK(o.timeout_ms == 5000, "default timeout 5 s");
	TAP_OK(pk_common_opt(&o, 't', "0.5", &err) == 1 && o.timeout_ms == 500, "-t 0.5");
	TAP_OK(pk_common_opt(&o, 't', "0", &err) == -1 && err.status == PK_EUSAGE, "-t 0 refused");
	TAP_OK(pk_common_opt(&o, 't', "abc", &err) == -1, "-t abc refused");
	TAP_OK(pk_common_opt(&o, 't', "-1", &err) == -1, "-t -1 refused");
	TAP_OK(pk_common_opt(&o, PK_OPT_FORMAT, "prom", &err) == 1 && o.format == PK_FMT_PROM,
	       "--format prom");
	TAP_OK(pk_common_opt(&o, PK_OPT_FORMAT, "xml", &err) == -1, "--format xml refused");
	TAP_OK(pk_parse_long("10", 1, 10, "retries", &v, &err) == 0 && v == 10, "bounded long");
	TAP_OK(pk_parse_long("11", 1, 10, "retries", &v, &err) == PK_EUSAGE &&
	       strstr(err.msg, "maximum 10"), "too large names the bound");
	TAP_OK(pk_parse_long("1x", 1, 10, "retries", &v, &err) == PK_EUSAGE, "junk refused");
}

/* Runs pk_getopt over argv until it ends or fails; returns the last
 * result and leaves the message in err. */
static int
getopt_all(int argc, char **argv, const char *shortopts, struct pk_err *err)
{
	static const struct option longopts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "password", required_argument, NULL, 'p' },
		{ "password-file", required_argument, NULL, 0x1000 },
		{ NULL, 0, NULL, 0 }
	};
	int ch;

	optind = 0;  /* glibc: a full re-initialisation */
	pk_err_clear(err);
	while ((ch = pk_getopt(argc, argv, shortopts, longopts, "tool", err)) != -1)
		if (ch == '?')
			return ch;
	return ch;
}

static void
test_getopt(void)
{
	struct pk_err err;
	char a0[] = "tool", a1[16], a2[16], a3[16];
	char *argv[] = { a0, a1, a2, a3, NULL };

	snprintf(a1, sizeof a1, "-j");
	snprintf(a2, sizeof a2, "-Z");
	TAP_OK(getopt_all(3, argv, "t:jp:", &err) == '?', "unknown short option fails");
	TAP_STREQ(err.msg, "unknown option '-Z' (try 'tool --help')", "names the short option");
	TAP_OK(err.status == PK_EUSAGE, "a usage error");
	snprintf(a1, sizeof a1, "--bogus=1");
	TAP_OK(getopt_all(2, argv, "t:jp:", &err) == '?', "unknown long option fails");
	TAP_STREQ(err.msg, "unknown option '--bogus' (try 'tool --help')", "names the long option");
	snprintf(a1, sizeof a1, "--json");
	snprintf(a2, sizeof a2, "-t");
	TAP_OK(getopt_all(3, argv, "t:jp:", &err) == '?', "missing value fails");
	TAP_STREQ(err.msg, "option '-t' needs a value (try 'tool --help')", "short option needs a value");
	snprintf(a1, sizeof a1, "--timeout");
	TAP_OK(getopt_all(2, argv, "t:jp:", &err) == '?', "missing long value fails");
	TAP_STREQ(err.msg, "option '--timeout' needs a value (try 'tool --help')",
	          "long option needs a value");
	snprintf(a1, sizeof a1, "--json=yes");
	TAP_OK(getopt_all(2, argv, "t:jp:", &err) == '?', "value for a flag fails");
	TAP_STREQ(err.msg, "option '--json' takes no value (try 'tool --help')", "flag takes no value");
	snprintf(a1, sizeof a1, "--pass");
	snprintf(a2, sizeof a2, "x");
	TAP_OK(getopt_all(3, argv, "t:jp:", &err) == '?', "ambiguous prefix fails");
	TAP_STREQ(err.msg, "unknown option '--pass' (try 'tool --help')", "names the ambiguous word");
	snprintf(a1, sizeof a1, "--json");
	snprintf(a2, sizeof a2, "-Zj");
	TAP_OK(getopt_all(3, argv, "t:jp:", &err) == '?', "unknown option inside a cluster");
	TAP_STREQ(err.msg, "unknown option '-Z' (try 'tool --help')", "names the clustered option");
	snprintf(a1, sizeof a1, "-t5");
	snprintf(a2, sizeof a2, "host");
	snprintf(a3, sizeof a3, "-j");
	TAP_OK(getopt_all(4, argv, "+t:jp:", &err) == -1 && optind == 2,
	       "'+' stops at the first operand");
	TAP_OK(getopt_all(4, argv, "t:jp:", &err) == -1 && optind == 3, "without '+' options are permuted");
}

static void
test_prom(void)
{
	struct pk_buf b = { 0 };
	char name[64];

	pk_prom_sample(&b, "nut_x", "1", "ups", "a\"b\\c\nd", "flag", "OL", (const char *)NULL);
	TAP_STREQ(pk_buf_str(&b), "nut_x{ups=\"a\\\"b\\\\c\\nd\",flag=\"OL\"} 1\n", "label escaping");
	pk_prom_name("battery.charge-low", name, sizeof name);
	TAP_STREQ(name, "battery_charge_low", "metric names");
	pk_buf_free(&b);
}

/* Device data never makes an exposition invalid (issue 11, defect 2). */
static void
test_prom_hostile(void)
{
	struct pk_buf b = { 0 };
	char dup[128];
	size_t n;

	pk_prom_sample(&b, "nut_device_info", "1", "mfr", "caf\xe9 \x1b[2J\x7f", (const char *)NULL);
	TAP_STREQ(pk_buf_str(&b), "nut_device_info{mfr=\"caf\xef\xbf\xbd \xef\xbf\xbd[2J\xef\xbf\xbd\"} 1\n",
	          "label values: invalid UTF-8 and controls become U+FFFD");
	pk_buf_reset(&b);
	pk_prom_header(&b, "nut_a\\b", "NUT variable a\\b\nx", "gauge");
	TAP_STREQ(pk_buf_str(&b), "# HELP nut_a_b NUT variable a\\\\b\\nx\n# TYPE nut_a_b gauge\n",
	          "HELP text escaped, metric name sanitised");
	pk_buf_reset(&b);
	pk_prom_sample(&b, "9lives", "1", (const char *)NULL);
	TAP_STREQ(pk_buf_str(&b), "_9lives 1\n", "a leading digit gets an underscore");
	pk_buf_reset(&b);
	pk_buf_adds(&b, "# HELP up x\n# TYPE up gauge\nup{u=\"a\"} 1\n"
	                "# HELP v y\n# TYPE v gauge\nv 2\n"
	                "# HELP up x\n# TYPE up gauge\nup{u=\"a\"} 3\nup{u=\"b\"} 4\n");
	n = pk_prom_tidy(&b, dup, sizeof dup);
	TAP_OK(n == 1, "one repeated series found (%zu)", n);
	TAP_STREQ(dup, "up{u=\"a\"}", "the repeated series is named");
	TAP_STREQ(pk_buf_str(&b), "# HELP up x\n# TYPE up gauge\nup{u=\"a\"} 1\nup{u=\"b\"} 4\n"
	          "# HELP v y\n# TYPE v gauge\nv 2\n",
	          "families once, samples together, first series kept");
	pk_buf_reset(&b);
	pk_buf_adds(&b, "# HELP a x\n# TYPE a gauge\na 1\n# HELP b y\n# TYPE b gauge\nb 2\n");
	TAP_OK(pk_prom_tidy(&b, dup, sizeof dup) == 0 && dup[0] == '\0', "a clean exposition has no repeats");
	TAP_STREQ(pk_buf_str(&b), "# HELP a x\n# TYPE a gauge\na 1\n# HELP b y\n# TYPE b gauge\nb 2\n",
	          "and stays byte for byte");
	pk_buf_free(&b);
}

/* Device strings are data (issue 11, defect 4). */
static void
test_text(void)
{
	struct pk_buf b = { 0 };
	char q[16];

	pk_text_escapes(&b, "PDU41008\x1b[2J\x07\t\n\r\x7f\x01 caf\xc3\xa9 \xc2\x9b \xe9\\", 0);
	TAP_STREQ(pk_buf_str(&b), "PDU41008\\e[2J\\a\\t\\n\\r\\x7f\\x01 caf\xc3\xa9 \\xc2\\x9b \\xe9\\",
	          "controls, DEL, C1 and stray bytes escaped; UTF-8 and backslash pass");
	pk_buf_reset(&b);
	pk_text_escapes(&b, "a\tb", PK_TEXT_KEEP_TAB);
	TAP_STREQ(pk_buf_str(&b), "a\tb", "TAB passes in free text");
	pk_buf_reset(&b);
	pk_text_escape(&b, "a\0b", 3, 0);
	TAP_STREQ(pk_buf_str(&b), "a\\x00b", "NUL escaped");
	pk_buf_reset(&b);
	pk_text_printf(&b, 0, "%d\t%s\t%.2f\t%-4s|%.*s|%zu %ld %lld %x %c %g %%\n", 3, "a\tb\x1b", 1.5, "x",
	               2, "y\x1bz", (size_t)7, -8L, 9LL, 255, 'q', 0.25);
	TAP_STREQ(pk_buf_str(&b), "3\ta\\tb\\e\t1.50\tx   |y\\e|7 -8 9 ff q 0.25 %\n",
	          "pk_text_printf escapes string arguments only");
	TAP_STREQ(pk_text_quote("abcdefgh\x1b\x1b", q, 12), "abcdefgh\\e", "quote never cuts an escape");
	pk_buf_reset(&b);
	pk_text_printf(&b, 0, "%d\t%s\t%.2f\t%-4s|%.*s|%zu %ld %lld %x %c %g %%\n", 3, "a\tb\x1b", 1.5, "x",
	               2, "y\x1bz", (size_t)7, -8L, 9LL, 255, 'q', 0.25);
	TAP_STREQ(pk_buf_str(&b), "3\ta\\tb\\e\t1.50\tx   |y\\e|7 -8 9 ff q 0.25 %\n",
	          "pk_text_printf escapes string arguments only");
	TAP_STREQ(pk_text_quote("abcdefghij\xc3\xa9", q, 12), "abcdefghij", "nor a UTF-8 sequence");
	/* found by fuzzing: a device's backslash was taken for an escape, and
	 * the cut fell inside the UTF-8 sequence after it */
	TAP_STREQ(pk_text_quote("abcdefghi\\\xc3\xa9", q, 12), "abcdefghi\\",
	          "a backslash from the device is no escape when cutting");
	TAP_STREQ(pk_text_quote("\\\xcb\xad" "abcdefghijk", q, 12), "\\\xcb\xad" "abcdefgh",
	          "a backslash before a UTF-8 sequence does not cut the quote short");
	TAP_OK(pk_text_is_clean("caf\xc3\xa9", 5, 0) && !pk_text_is_clean("a\tb", 3, 0) &&
	       pk_text_is_clean("a\tb", 3, PK_TEXT_KEEP_TAB), "is_clean");
	TAP_OK(pk_utf8_seq((const unsigned char *)"\xc0\xaf", 2, NULL) == 0 &&
	       pk_utf8_seq((const unsigned char *)"\xed\xa0\x80", 3, NULL) == 0 &&
	       pk_utf8_seq((const unsigned char *)"\xf4\x90\x80\x80", 4, NULL) == 0 &&
	       pk_utf8_seq((const unsigned char *)"\xf0\x9f\x94\x8c", 4, NULL) == 4,
	       "overlong, surrogate and past U+10FFFF are invalid; a plug emoji is not");
	pk_buf_free(&b);
}

/* JSON is valid UTF-8 with one key per name (issue 11, defect 3). */
static void
test_json_hostile(void)
{
	struct pk_buf b = { 0 };
	struct pk_json j;

	pk_json_init(&j, &b);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "mfr", "caf\xe9 \xc3\xa9 \xc2\x9b\x7f");
	pk_json_kv_str(&j, "a", "1");
	pk_json_key(&j, "a");
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "x", "y");
	pk_json_obj_end(&j);
	pk_json_key(&j, "o");
	pk_json_obj_begin(&j);
	pk_json_kv_int(&j, "a", 2);
	pk_json_kv_int(&j, "a", 3);
	pk_json_obj_end(&j);
	pk_json_kv_str(&j, "caf\xe9", "k");
	pk_json_obj_end(&j);
	TAP_STREQ(pk_buf_str(&b), "{\"mfr\":\"caf\\ufffd \xc3\xa9 \\u009b\\u007f\",\"a\":\"1\",\"o\":{\"a\":2},"
	          "\"caf\\ufffd\":\"k\"}", "invalid bytes as U+FFFD, C1 escaped, repeated keys left out");
	TAP_OK(j.dropped == 2 && j.seen == NULL, "two repeats counted, key table freed");
	pk_buf_free(&b);
}

/* The exit status of a run over many targets: 3 > 4 > 5 > 2 > 1 > 0. */
static void
test_status_worse(void)
{
	static const int order[] = { PK_OK, PK_EREFUSED, PK_EUSAGE, PK_ENOTFOUND, PK_EAUTH, PK_ECOMM };
	size_t i, k;
	int ok = 1;

	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		for (k = 0; k < sizeof order / sizeof order[0]; k++)
			ok = ok && pk_status_worse(order[i], order[k]) == order[i > k ? i : k];
	TAP_OK(ok, "worst status: 3 > 4 > 5 > 2 > 1 > 0, either argument order");
	TAP_OK(pk_status_worse(PK_ECOMM, 99) == 99, "an unknown status counts as the worst");
}

/* Lines taken from a buffer at an offset: LF and CRLF ends, a line not
 * complete yet, the length bound with and without an end. */
static void
test_take_line(void)
{
	struct pk_buf in = { 0 }, line = { 0 };
	size_t off = 0;

	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 0 && off == 0, "empty buffer: no line");
	pk_buf_adds(&in, "ab\r\n\ncd\nef");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 1 && off == 4 &&
	       strcmp(pk_buf_str(&line), "ab") == 0, "a CRLF line, without its end");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 1 && off == 5 && line.len == 0,
	       "an empty line");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 1 && off == 8 &&
	       strcmp(pk_buf_str(&line), "cd") == 0, "an LF line");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 0 && off == 8, "ef: not complete yet");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 1) == -1 && off == 8,
	       "...and already longer than the bound");
	pk_buf_adds(&in, "ghijkl\n");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == 1 && strcmp(pk_buf_str(&line), "efghijkl") == 0,
	       "a line of exactly the bound");
	pk_buf_adds(&in, "123456789\n");
	TAP_OK(pk_buf_take_line(&in, &off, &line, 8) == -1, "a complete line past the bound");
	pk_buf_free(&in);
	pk_buf_free(&line);
}

int
main(void)
{
	test_targets();
	test_status_worse();
	test_outlets();
	test_json();
	test_opts();
	test_getopt();
	test_prom();
	test_prom_hostile();
	test_text();
	test_json_hostile();
	test_take_line();
	return TAP_DONE();
}
