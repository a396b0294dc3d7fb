/* Unit tests for core/check: ranges, thresholds, states and the
 * monitoring-plugins report. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/check.h"
#include "tap.h"

/* 1 when text parses and alerts exactly for the values in alerting[]
 * among probes[] (n of each). */
static int
range_alerts_on(const char *text, const double *probes, const int *alerting, size_t n)
{
	struct pk_range r;
	struct pk_err err;
	size_t i;

	if (pk_range_parse(text, &r, &err) != 0)
		return 0;
	for (i = 0; i < n; i++)
		if (pk_range_alerts(&r, probes[i]) != alerting[i])
			return 0;
	return 1;
}

/* Hysteresis: ranges made stricter, never to nothing. */
static void
test_narrow(void)
{
	struct pk_threshold th = { 0 };
	struct pk_range r, n;
	struct pk_err err = { 0 };

	pk_range_parse("10:", &r, &err);
	pk_range_narrow(&r, 2, &n);
	TAP_OK(n.start == 10.2 && isinf(n.end), "'10:' narrowed by 2 %% is 10.2:");
	pk_range_parse("@10:20", &r, &err);
	pk_range_narrow(&r, 2, &n);
	TAP_OK(fabs(n.start - 9.8) < 1e-9 && fabs(n.end - 20.4) < 1e-9, "'@10:20' grows to 9.8:20.4");
	pk_range_make(&r, 216.2, 243.8);
	pk_range_narrow(&r, 2, &n);
	TAP_OK(fabs(n.start - 220.524) < 1e-9 && fabs(n.end - 238.924) < 1e-9,
	       "216.2:243.8 (a voltage within 6 %% of 230) narrowed by 2 %% of each bound");
	pk_range_make(&r, 49, 51);
	pk_range_narrow(&r, 2, &n);
	TAP_OK(n.start == 49.5 && n.end == 50.5,
	       "49:51 (a frequency within 2 %% of 50) keeps its middle half, not nothing");
	snprintf(th.var, sizeof th.var, "input.frequency");
	th.warn = r;
	th.has_warn = 1;
	TAP_OK(pk_threshold_eval_from(&th, 50.1, PK_CHECK_WARNING, 2) == PK_CHECK_OK &&
	       pk_threshold_eval_from(&th, 50.9, PK_CHECK_WARNING, 2) == PK_CHECK_WARNING,
	       "a frequency back near its nominal stops alerting; one just inside the limit not yet");
}

static void
test_ranges(void)
{
	static const double p[] = { -1, 0, 5, 10, 10.5, 15, 20, 20.01, 30 };
	static const int bare[] = { 1, 0, 0, 1, 1, 1, 1, 1, 1 };
	static const int bare10[] = { 1, 0, 0, 0, 1, 1, 1, 1, 1 };
	static const int from10[] = { 1, 1, 1, 0, 0, 0, 0, 0, 0 };
	static const int upto10[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1 };
	static const int between[] = { 1, 1, 1, 0, 0, 0, 0, 1, 1 };
	static const int inside[] = { 0, 0, 0, 1, 1, 1, 1, 0, 0 };
	static const int decimals[] = { 1, 1, 1, 1, 0, 0, 0, 1, 1 };
	static const int negative[] = { 0, 0, 0, 1, 1, 1, 1, 1, 1 };
	static const int colon_end[] = { 1, 0, 0, 0, 1, 1, 1, 1, 1 };
	static const int never[] = { 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	struct pk_range r;
	struct pk_err err;
	size_t n = sizeof p / sizeof p[0];

	TAP_OK(range_alerts_on("5", p, bare, n), "'5' is 0:5: alerts below 0 and above 5");
	TAP_OK(range_alerts_on("10", p, bare10, n), "'10' alerts below 0 and above 10 (ends inclusive)");
	TAP_OK(range_alerts_on("10:", p, from10, n), "'10:' alerts below 10 only");
	TAP_OK(range_alerts_on("~:10", p, upto10, n), "'~:10' alerts above 10 only");
	TAP_OK(range_alerts_on("10:20", p, between, n), "'10:20' alerts outside 10..20");
	TAP_OK(range_alerts_on("@10:20", p, inside, n), "'@10:20' alerts inside 10..20");
	TAP_OK(range_alerts_on("10.25:20.005", p, decimals, n), "decimal ends");
	TAP_OK(range_alerts_on("-5:5", p, (const int[]){ 0, 0, 0, 1, 1, 1, 1, 1, 1 }, n),
	       "a negative start");
	TAP_OK(range_alerts_on("-1.5:9.99", p, negative, n) &&
	       !range_alerts_on("-0.5:9.99", p, negative, n), "negative decimal start");
	TAP_OK(range_alerts_on(":10", p, colon_end, n), "':10' is 0:10, as in monitoring-plugins");
	TAP_OK(range_alerts_on("~:", p, never, n), "'~:' never alerts");
	TAP_OK(pk_range_parse("@~:10", &r, &err) == 0 && r.inside && isinf(r.start) &&
	       r.end == 10 && pk_range_alerts(&r, -1e9) && !pk_range_alerts(&r, 11),
	       "'@~:10' alerts at 10 and below");
	TAP_OK(pk_range_parse("20:", &r, &err) == 0 && strcmp(r.text, "20:") == 0,
	       "the text is kept for perfdata");
	TAP_OK(pk_range_parse("+3:4.", &r, &err) == 0 && r.start == 3 && r.end == 4,
	       "'+3' and '4.' are numbers");

	static const char *const bad[] = {
		"", "abc", "20:10", "@", "1e3", "inf", "nan", "10:x", "~", "-5",
		"0x10", "1:2:3", "~:~", "10 ", " 10", "@@5", ".", "-", "5:-",
		"123456789012345678901234567890123456789012345678901234567890",
	};
	size_t i;
	int all_refused = 1;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pk_err_clear(&err);
		if (pk_range_parse(bad[i], &r, &err) != PK_EUSAGE || err.status != PK_EUSAGE ||
		    strstr(err.msg, "bad range") == NULL) {
			all_refused = 0;
			printf("# accepted or no message: '%s' -> '%s'\n", bad[i], err.msg);
		}
	}
	TAP_OK(all_refused, "bad ranges are usage errors with a message");
	pk_range_parse("20:10", &r, &err);
	TAP_STREQ(err.msg, "bad range '20:10': start above the end "
	          "(forms: 10, 10:, ~:10, 10:20, @10:20)", "the message names the range and why");

	pk_range_make(&r, 216.2, 243.8);
	TAP_OK(strcmp(r.text, "216.2:243.8") == 0 && !pk_range_alerts(&r, 230) &&
	       pk_range_alerts(&r, 244), "a made range: text and evaluation");
	pk_range_make(&r, 20, INFINITY);
	TAP_STREQ(r.text, "20:", "a made open range");
	pk_range_make(&r, -INFINITY, 95);
	TAP_STREQ(r.text, "~:95", "a made range from minus infinity");
	test_narrow();
}

static void
test_numbers(void)
{
	static const struct { double v; const char *want; } cases[] = {
		{ 230.5, "230.5" }, { 12, "12" }, { -0.25, "-0.25" }, { 0, "0" },
		{ -0.0, "0" }, { 1e9, "1000000000" }, { 0.0000001, "0" }, { 1.5e-6, "0.000002" },
		{ 100.0 / 3, "33.333333" }, { -40, "-40" }, { 999999999999999.0, "999999999999999" },
		{ 1e15, "1000000000000000" }, { -1e15, "-1000000000000000" }, { -1e300, "U" },
		{ -0.0000001, "0" },
	};
	size_t i;
	int ok = 1;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pk_buf b = { 0 };
		pk_check_format_num(&b, cases[i].v);
		if (strcmp(pk_buf_str(&b), cases[i].want) != 0) {
			ok = 0;
			printf("# %g -> '%s', want '%s'\n", cases[i].v, pk_buf_str(&b), cases[i].want);
		}
		pk_buf_free(&b);
	}
	TAP_OK(ok, "perfdata numbers: C locale, no exponent, no trailing zeros");
}

static void
test_states(void)
{
	enum pk_check_state s;
	struct pk_err err;

	TAP_OK(PK_CHECK_OK == 0 && PK_CHECK_WARNING == 1 && PK_CHECK_CRITICAL == 2 &&
	       PK_CHECK_UNKNOWN == 3, "states are the plugin exit codes");
	TAP_STREQ(pk_check_state_name(PK_CHECK_CRITICAL), "CRITICAL", "state names");
	TAP_OK(pk_check_state_parse("Critical", &s, &err) == 0 && s == PK_CHECK_CRITICAL &&
	       pk_check_state_parse("ok", &s, &err) == 0 && s == PK_CHECK_OK &&
	       pk_check_state_parse("UNKNOWN", &s, &err) == 0 && s == PK_CHECK_UNKNOWN,
	       "state words in any case");
	TAP_OK(pk_check_state_parse("bad", &s, &err) == PK_EUSAGE &&
	       strstr(err.msg, "'bad'") != NULL, "a bad state word is a usage error");
	TAP_OK(pk_check_worst(PK_CHECK_OK, PK_CHECK_UNKNOWN) == PK_CHECK_UNKNOWN &&
	       pk_check_worst(PK_CHECK_UNKNOWN, PK_CHECK_WARNING) == PK_CHECK_WARNING &&
	       pk_check_worst(PK_CHECK_WARNING, PK_CHECK_UNKNOWN) == PK_CHECK_WARNING &&
	       pk_check_worst(PK_CHECK_CRITICAL, PK_CHECK_WARNING) == PK_CHECK_CRITICAL &&
	       pk_check_worst(PK_CHECK_UNKNOWN, PK_CHECK_CRITICAL) == PK_CHECK_CRITICAL &&
	       pk_check_worst(PK_CHECK_OK, PK_CHECK_OK) == PK_CHECK_OK,
	       "worst of: OK < UNKNOWN < WARNING < CRITICAL");
}

static void
test_thresholds(void)
{
	struct pk_thresholds t = { 0 };
	struct pk_threshold *th;
	struct pk_range r;
	struct pk_err err;

	TAP_OK(pk_thresholds_add(&t, PK_CHECK_WARNING, "battery.charge=20:", &err) == 0 &&
	       pk_thresholds_add(&t, PK_CHECK_CRITICAL, "battery.charge=10:", &err) == 0 &&
	       pk_thresholds_add(&t, PK_CHECK_WARNING, "ups.load=80", &err) == 0,
	       "VAR=RANGE thresholds parse");
	th = pk_thresholds_find(&t, "battery.charge");
	TAP_OK(th != NULL && th->has_warn && th->has_crit && t.n == 2, "one entry per variable");
	TAP_OK(th != NULL && pk_threshold_eval(th, 50) == PK_CHECK_OK &&
	       pk_threshold_eval(th, 20) == PK_CHECK_OK &&
	       pk_threshold_eval(th, 15) == PK_CHECK_WARNING &&
	       pk_threshold_eval(th, 10) == PK_CHECK_WARNING &&
	       pk_threshold_eval(th, 9.9) == PK_CHECK_CRITICAL, "warning and critical levels");
	th = pk_thresholds_find(&t, "ups.load");
	TAP_OK(th != NULL && th->has_warn && !th->has_crit &&
	       pk_threshold_eval(th, 81) == PK_CHECK_WARNING, "a warning alone");
	TAP_OK(pk_thresholds_add(&t, PK_CHECK_WARNING, "ups.load=90", &err) == 0 &&
	       (th = pk_thresholds_find(&t, "ups.load")) != NULL &&
	       pk_threshold_eval(th, 85) == PK_CHECK_OK && t.n == 2,
	       "a later threshold replaces the earlier one");
	TAP_OK(pk_thresholds_find(&t, "ups.temperature") == NULL, "no threshold: NULL");
	pk_range_make(&r, 0, 50);
	TAP_OK(pk_thresholds_set(&t, PK_CHECK_CRITICAL, "ups.temperature", &r) == 0 &&
	       (th = pk_thresholds_find(&t, "ups.temperature")) != NULL &&
	       pk_threshold_eval(th, 51) == PK_CHECK_CRITICAL, "a threshold from a made range");

	TAP_OK(pk_thresholds_add(&t, PK_CHECK_WARNING, "battery.charge", &err) == PK_EUSAGE &&
	       strstr(err.msg, "VAR=RANGE") != NULL, "no '=': usage error");
	TAP_OK(pk_thresholds_add(&t, PK_CHECK_WARNING, "=10", &err) == PK_EUSAGE,
	       "empty name: usage error");
	TAP_OK(pk_thresholds_add(&t, PK_CHECK_WARNING, "a b=10", &err) == PK_EUSAGE,
	       "name with a blank: usage error");
	TAP_OK(pk_thresholds_add(&t, PK_CHECK_CRITICAL, "ups.load=x", &err) == PK_EUSAGE,
	       "bad range: usage error");
	TAP_STREQ(err.msg, "ups.load: bad range 'x': not a number "
	          "(forms: 10, 10:, ~:10, 10:20, @10:20)", "the message names the variable");
	TAP_OK(pk_thresholds_add(&t, PK_CHECK_CRITICAL, "ups.load=", &err) == PK_EUSAGE,
	       "empty range: usage error");
	TAP_OK((th = pk_thresholds_find(&t, "ups.load")) != NULL && !th->has_crit,
	       "a refused threshold changes nothing");
	pk_thresholds_free(&t);
	TAP_OK(t.n == 0 && t.items == NULL, "freed");
}

/* A target with a status finding and perfdata, as a NUT check makes. */
static void
ups_on_battery(struct pk_check_report *rep, const char *name)
{
	struct pk_check_target *t = pk_check_target_add(rep, name);
	struct pk_range w, c;
	struct pk_err err;

	pk_range_parse("20:", &w, &err);
	pk_range_parse("10:", &c, &err);
	pk_check_finding(t, PK_CHECK_WARNING, "on battery");
	pk_check_finding(t, PK_CHECK_OK, "discharging");
	pk_check_perf(t, "battery.charge", 95, "%", &w, &c, 0, 100);
	pk_check_perf(t, "input.voltage", 230.5, "V", NULL, NULL, NAN, NAN);
}

static void
test_report_one(void)
{
	struct pk_check_report rep;
	struct pk_check_target *t;
	struct pk_buf out = { 0 };

	pk_check_report_init(&rep, "NUT");
	TAP_OK(pk_check_report_state(&rep) == PK_CHECK_UNKNOWN, "an empty report is UNKNOWN");
	t = pk_check_target_add(&rep, "ups@h");
	pk_check_finding(t, PK_CHECK_OK, "online");
	pk_check_finding(t, PK_CHECK_OK, "charging");
	pk_check_perf(t, "ups.load", 12, "%", NULL, NULL, 0, 100);
	TAP_OK(pk_check_report_state(&rep) == PK_CHECK_OK, "all OK: OK");
	TAP_OK(pk_check_render(&rep, 0, &out) == 0, "renders");
	TAP_STREQ(pk_buf_str(&out), "NUT OK - online, charging | 'ups.load'=12%;;;0;100\n",
	          "one OK target: the OK texts, perfdata with empty warn/crit kept before min/max");
	pk_check_report_free(&rep);

	pk_buf_reset(&out);
	pk_check_report_init(&rep, "NUT");
	ups_on_battery(&rep, "ups@h");
	TAP_OK(pk_check_report_state(&rep) == PK_CHECK_WARNING, "the worst finding decides");
	pk_check_render(&rep, 0, &out);
	TAP_STREQ(pk_buf_str(&out),
	          "NUT WARNING - on battery | 'battery.charge'=95%;20:;10:;0;100 "
	          "'input.voltage'=230.5V\n",
	          "the reason holds only the findings at the target's state; "
	          "trailing empty fields dropped");
	pk_buf_reset(&out);
	pk_check_render(&rep, 1, &out);
	TAP_STREQ(pk_buf_str(&out),
	          "NUT WARNING - on battery | 'battery.charge'=95%;20:;10:;0;100 "
	          "'input.voltage'=230.5V\n"
	          "ups@h: WARNING - on battery\n"
	          "ups@h: WARNING: on battery\n",
	          "verbose: a line for the target and one per problem");
	pk_check_report_free(&rep);

	pk_buf_reset(&out);
	pk_check_report_init(&rep, "PDU");
	t = pk_check_target_add(&rep, "pdu1");
	pk_check_finding(t, PK_CHECK_UNKNOWN, "bad\nline | with pipe");
	pk_check_perf(t, "it's=odd", NAN, "", NULL, NULL, NAN, NAN);
	pk_check_perf(t, "outlet\t3", 1, NULL, NULL, NULL, NAN, NAN);
	pk_check_render(&rep, 0, &out);
	TAP_STREQ(pk_buf_str(&out),
	          "PDU UNKNOWN - bad?line / with pipe | 'it''s_odd'=U 'outlet?3'=1\n",
	          "text kept on one line, labels quoted, quote doubled, '=' replaced, U value");
	pk_check_report_free(&rep);
	pk_buf_free(&out);
}

static void
test_report_fleet(void)
{
	struct pk_check_report rep;
	struct pk_check_target *t;
	struct pk_buf out = { 0 };
	char name[32];
	int i;

	pk_check_report_init(&rep, "NUT");
	t = pk_check_target_add(&rep, "ups1@h1");
	pk_check_finding(t, PK_CHECK_OK, "online");
	pk_check_perf(t, "ups.load", 12, "%", NULL, NULL, NAN, NAN);
	ups_on_battery(&rep, "ups3@h2");
	t = pk_check_target_add(&rep, "ups9@h4");
	pk_check_finding(t, PK_CHECK_UNKNOWN, "timeout");
	TAP_OK(pk_check_report_state(&rep) == PK_CHECK_WARNING,
	       "a WARNING outranks an UNKNOWN");
	pk_check_render(&rep, 0, &out);
	TAP_STREQ(pk_buf_str(&out),
	          "NUT WARNING - 1 OK, 1 WARNING (ups3@h2: on battery), 1 UNKNOWN (ups9@h4: timeout)"
	          " | 'ups1@h1/ups.load'=12% 'ups3@h2/battery.charge'=95%;20:;10:;0;100"
	          " 'ups3@h2/input.voltage'=230.5V\n",
	          "the fleet line; perfdata labels prefixed with the target");
	pk_buf_reset(&out);
	pk_check_render(&rep, 1, &out);
	TAP_OK(strstr(pk_buf_str(&out), "\nups1@h1: OK - online\nups3@h2: WARNING - on battery\n"
	              "ups3@h2: WARNING: on battery\nups9@h4: UNKNOWN - timeout\n"
	              "ups9@h4: UNKNOWN: timeout\n") != NULL, "verbose fleet: long output");

	t = pk_check_target_add(&rep, "ups5@h2");
	pk_check_finding(t, PK_CHECK_CRITICAL, "on battery");
	pk_check_finding(t, PK_CHECK_CRITICAL, "low battery");
	TAP_OK(pk_check_report_state(&rep) == PK_CHECK_CRITICAL, "a CRITICAL makes the fleet CRITICAL");
	pk_buf_reset(&out);
	pk_check_render(&rep, 0, &out);
	TAP_OK(strncmp(pk_buf_str(&out), "NUT CRITICAL - 1 OK, 1 WARNING (ups3@h2: on battery), "
	               "1 CRITICAL (ups5@h2: on battery, low battery), 1 UNKNOWN (ups9@h4: timeout) | ",
	               110) == 0, "states counted in code order, each with its targets");
	pk_check_report_free(&rep);

	pk_buf_reset(&out);
	pk_check_report_init(&rep, "NUT");
	for (i = 0; i < 7; i++) {
		snprintf(name, sizeof name, "u%d@h", i);
		t = pk_check_target_add(&rep, name);
		pk_check_finding(t, PK_CHECK_UNKNOWN, "timeout");
	}
	pk_check_render(&rep, 0, &out);
	TAP_STREQ(pk_buf_str(&out), "NUT UNKNOWN - 7 UNKNOWN (u0@h: timeout; u1@h: timeout; "
	          "u2@h: timeout; u3@h: timeout; u4@h: timeout; 2 more)\n",
	          "at most five targets named per state");
	pk_check_report_free(&rep);
	pk_buf_free(&out);
}

static void
test_report_json(void)
{
	struct pk_check_report rep;
	struct pk_buf out = { 0 };

	pk_check_report_init(&rep, "NUT");
	ups_on_battery(&rep, "ups@h");
	pk_check_perf(&rep.targets[0], "battery.runtime", NAN, "s", NULL, NULL, NAN, NAN);
	TAP_OK(pk_check_render_json(&rep, &out) == 0, "JSON renders");
	TAP_STREQ(pk_buf_str(&out),
	          "{\"service\":\"NUT\",\"state\":\"WARNING\",\"code\":1,\"summary\":\"on battery\","
	          "\"targets\":[{\"target\":\"ups@h\",\"state\":\"WARNING\",\"code\":1,"
	          "\"reason\":\"on battery\",\"findings\":[{\"state\":\"WARNING\",\"text\":\"on battery\"},"
	          "{\"state\":\"OK\",\"text\":\"discharging\"}],\"perfdata\":["
	          "{\"label\":\"battery.charge\",\"value\":95,\"uom\":\"%\",\"warn\":\"20:\","
	          "\"crit\":\"10:\",\"min\":0,\"max\":100},"
	          "{\"label\":\"input.voltage\",\"value\":230.5,\"uom\":\"V\"},"
	          "{\"label\":\"battery.runtime\",\"value\":null,\"uom\":\"s\"}]}]}\n",
	          "the JSON document");
	pk_check_report_free(&rep);
	pk_buf_free(&out);
}

int
main(void)
{
	test_ranges();
	test_numbers();
	test_states();
	test_thresholds();
	test_report_one();
	test_report_fleet();
	test_report_json();
	return TAP_DONE();
}
