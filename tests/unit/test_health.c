/* Unit tests for nut/health: status flags, thresholds, the input
 * against its nominal values, battery charge estimation, errors. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "nut/health.h"
#include "tap.h"

/* A UPS's variables from "name=value" strings, NULL-terminated. */
static void
vars_of(struct nut_kvlist *l, ...)
{
	const char *s;
	va_list ap;

	memset(l, 0, sizeof *l);
	va_start(ap, l);
	while ((s = va_arg(ap, const char *)) != NULL) {
		char name[128];
		const char *eq = strchr(s, '=');
		snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
		nut_kvlist_add(l, name, eq + 1);
	}
	va_end(ap);
}

/* Frees the thresholds a test gave o, for the next set. */
static void
opts_reset(struct nut_health_opts *o, struct pk_thresholds *th)
{
	pk_thresholds_free(th);
	o->thresholds = NULL;
}

/* Evaluates vars with opts (NULL: defaults) and renders the check
 * line of one target into line (without the perfdata when no_perf). */
static enum pk_check_state
judge(const struct nut_kvlist *vars, const struct nut_health_opts *opts, char *line,
      size_t linelen, int no_perf)
{
	struct nut_health_opts defaults;
	struct nut_health h = { 0 };
	struct pk_check_report rep;
	struct pk_buf out = { 0 };
	enum pk_check_state s;
	char *bar;

	nut_health_opts_init(&defaults);
	nut_health_eval(vars, opts ? opts : &defaults, &h);
	s = nut_health_state(&h);
	pk_check_report_init(&rep, "NUT");
	nut_health_to_check(&h, pk_check_target_add(&rep, "ups@h"));
	pk_check_render(&rep, 0, &out);
	if (no_perf && (bar = strstr(out.data, " | ")) != NULL)
		*bar = '\0';
	else if (out.len > 0)
		out.data[out.len - 1] = '\0';
	snprintf(line, linelen, "%s", pk_buf_str(&out));
	pk_buf_free(&out);
	pk_check_report_free(&rep);
	nut_health_free(&h);
		return s;
}

/* The state of a UPS whose ups.status is status (and ups.alarm alarm). */
static enum pk_check_state
status_state(const char *status, const struct nut_health_opts *opts, char *line, size_t len)
{
	struct nut_kvlist l;
	char st[64];
	enum pk_check_state s;

	snprintf(st, sizeof st, "ups.status=%s", status);
	vars_of(&l, st, "ups.alarm=Replace battery!", (char *)NULL);
	s = judge(&l, opts, line, len, 1);
	nut_kvlist_free(&l);
	return s;
}

static void
test_flags(void)
{
	static const struct { const char *status; enum pk_check_state want; const char *line; } cases[] = {
		{ "OL", PK_CHECK_OK, "NUT OK - online" },
		{ "OL CHRG", PK_CHECK_OK, "NUT OK - online, charging" },
		{ "OB DISCHRG", PK_CHECK_WARNING, "NUT WARNING - on battery" },
		{ "OB LB", PK_CHECK_CRITICAL, "NUT CRITICAL - low battery" },
		{ "OL LB", PK_CHECK_CRITICAL, "NUT CRITICAL - low battery" },
		{ "FSD OB LB", PK_CHECK_CRITICAL, "NUT CRITICAL - forced shutdown, low battery" },
		{ "OFF", PK_CHECK_CRITICAL, "NUT CRITICAL - output off" },
		{ "OL OVER", PK_CHECK_CRITICAL, "NUT CRITICAL - overloaded" },
		{ "OL RB", PK_CHECK_CRITICAL, "NUT CRITICAL - replace battery" },
		{ "OL BYPASS", PK_CHECK_CRITICAL, "NUT CRITICAL - on bypass" },
		{ "OL ALARM", PK_CHECK_WARNING, "NUT WARNING - alarm: Replace battery!" },
		{ "OL TRIM", PK_CHECK_OK, "NUT OK - online, trimming voltage" },
		{ "OL BOOST CAL HB", PK_CHECK_OK,
		  "NUT OK - online, boosting voltage, calibrating, high battery" },
		{ "OL ECO", PK_CHECK_OK, "NUT OK - online, status ECO" },
		{ "  OL   CHRG ", PK_CHECK_OK, "NUT OK - online, charging" },
		{ "", PK_CHECK_UNKNOWN, "NUT UNKNOWN - empty ups.status" },
	};
	char line[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum pk_check_state s = status_state(cases[i].status, NULL, line, sizeof line);
		TAP_OK(s == cases[i].want && strcmp(line, cases[i].line) == 0,
		       "ups.status '%s' -> %s", cases[i].status, cases[i].line);
		if (strcmp(line, cases[i].line) != 0)
			printf("#   got '%s'\n", line);
	}

	struct nut_kvlist l;
	vars_of(&l, "ups.status=OL ALARM", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_WARNING &&
	       strcmp(line, "NUT WARNING - alarm") == 0, "ALARM without ups.alarm");
	nut_kvlist_free(&l);
	vars_of(&l, "battery.charge=100", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_UNKNOWN &&
	       strcmp(line, "NUT UNKNOWN - no ups.status") == 0, "no ups.status: UNKNOWN");
	nut_kvlist_free(&l);
}

static void
test_status_map(void)
{
	struct nut_health_opts o;
	struct pk_thresholds th = { 0 };
	struct pk_err err;
	char line[256];

	nut_health_opts_init(&o);
	o.thresholds = &th;
	TAP_OK(nut_health_status_map_add(&o, "OB=critical", &err) == 0 &&
	       status_state("OB", &o, line, sizeof line) == PK_CHECK_CRITICAL,
	       "--status-map OB=critical");
	TAP_OK(nut_health_status_map_add(&o, "OB=ok", &err) == 0 && o.n_status_map == 1 &&
	       status_state("OB", &o, line, sizeof line) == PK_CHECK_OK,
	       "a later mapping of the same flag wins");
	TAP_OK(nut_health_status_map_add(&o, "chrg=WARNING", &err) == 0 &&
	       status_state("OL CHRG", &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strcmp(line, "NUT WARNING - charging") == 0, "flags in any case, states too");
	TAP_OK(nut_health_status_map_add(&o, "ECO=unknown", &err) == 0 &&
	       status_state("OL ECO", &o, line, sizeof line) == PK_CHECK_UNKNOWN,
	       "a flag nobody knows can be mapped");
	TAP_OK(nut_health_status_map_add(&o, "OB", &err) == PK_EUSAGE &&
	       strstr(err.msg, "FLAG=STATE") != NULL, "no '=': usage error");
	TAP_OK(nut_health_status_map_add(&o, "OB=bad", &err) == PK_EUSAGE &&
	       strcmp(err.msg, "OB: bad state 'bad' (ok, warning, critical or unknown)") == 0,
	       "bad state: usage error naming the flag");
	TAP_OK(nut_health_status_map_add(&o, "O B=ok", &err) == PK_EUSAGE &&
	       nut_health_status_map_add(&o, "=ok", &err) == PK_EUSAGE,
	       "bad flag: usage error");
	opts_reset(&o, &th);
}

/* The state and line (without perfdata) of an OL UPS with one more
 * variable. */
static enum pk_check_state
one_var(const char *var, const struct nut_health_opts *o, char *line, size_t len)
{
	struct nut_kvlist l;
	enum pk_check_state s;

	vars_of(&l, "ups.status=OL", var, (char *)NULL);
	s = judge(&l, o, line, len, 1);
	nut_kvlist_free(&l);
	return s;
}

static void
test_default_thresholds(void)
{
	static const struct { const char *var; enum pk_check_state want; const char *line; } cases[] = {
		{ "battery.charge=100", PK_CHECK_OK, "NUT OK - online, battery.charge 100%" },
		{ "battery.charge=20", PK_CHECK_OK, "NUT OK - online, battery.charge 20%" },
		{ "battery.charge=19.5", PK_CHECK_WARNING,
		  "NUT WARNING - battery.charge 19.5% (warning: 20:)" },
		{ "battery.charge=10", PK_CHECK_WARNING,
		  "NUT WARNING - battery.charge 10% (warning: 20:)" },
		{ "battery.charge=9", PK_CHECK_CRITICAL,
		  "NUT CRITICAL - battery.charge 9% (critical: 10:)" },
		{ "battery.runtime=2400", PK_CHECK_OK, "NUT OK - online, battery.runtime 2400s" },
		{ "battery.runtime=299", PK_CHECK_WARNING,
		  "NUT WARNING - battery.runtime 299s (warning: 300:)" },
		{ "battery.runtime=119", PK_CHECK_CRITICAL,
		  "NUT CRITICAL - battery.runtime 119s (critical: 120:)" },
		{ "ups.load=80", PK_CHECK_OK, "NUT OK - online, ups.load 80%" },
		{ "ups.load=81", PK_CHECK_WARNING, "NUT WARNING - ups.load 81% (warning: 80)" },
		{ "ups.load=95.5", PK_CHECK_CRITICAL, "NUT CRITICAL - ups.load 95.5% (critical: 95)" },
		{ "ups.load=abc", PK_CHECK_UNKNOWN, "NUT UNKNOWN - ups.load is not a number ('abc')" },
		{ "ups.temperature=90", PK_CHECK_OK, "NUT OK - online" },
	};
	char line[256];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum pk_check_state s = one_var(cases[i].var, NULL, line, sizeof line);
		TAP_OK(s == cases[i].want && strcmp(line, cases[i].line) == 0, "default: %s -> %s",
		       cases[i].var, cases[i].line);
		if (strcmp(line, cases[i].line) != 0)
			printf("#   got '%s'\n", line);
	}
}

static void
test_user_thresholds(void)
{
	struct nut_health_opts o;
	struct pk_thresholds th = { 0 };
	struct pk_err err;
	char line[256];

	nut_health_opts_init(&o);
	o.thresholds = &th;
	pk_thresholds_add(&th, PK_CHECK_WARNING, "ups.load=50", &err);
	TAP_OK(one_var("ups.load=60", &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strcmp(line, "NUT WARNING - ups.load 60% (warning: 50)") == 0,
	       "the user's warning on ups.load");
	TAP_OK(one_var("ups.load=99", &o, line, sizeof line) == PK_CHECK_WARNING,
	       "the user's thresholds of a variable replace both defaults");
	TAP_OK(one_var("battery.charge=5", &o, line, sizeof line) == PK_CHECK_CRITICAL,
	       "the other defaults stay");
	opts_reset(&o, &th);

	nut_health_opts_init(&o);
	o.thresholds = &th;
	pk_thresholds_add(&th, PK_CHECK_CRITICAL, "ups.temperature=@40:50", &err);
	pk_thresholds_add(&th, PK_CHECK_WARNING, "ups.temperature=~:35", &err);
	TAP_OK(one_var("ups.temperature=30", &o, line, sizeof line) == PK_CHECK_OK &&
	       strcmp(line, "NUT OK - online, ups.temperature 30C") == 0, "~:35 at 30: OK");
	TAP_OK(one_var("ups.temperature=38", &o, line, sizeof line) == PK_CHECK_WARNING,
	       "~:35 at 38: WARNING");
	TAP_OK(one_var("ups.temperature=45", &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strcmp(line, "NUT CRITICAL - ups.temperature 45C (critical: @40:50)") == 0,
	       "@40:50 at 45: CRITICAL");
	TAP_OK(one_var("ups.temperature=51", &o, line, sizeof line) == PK_CHECK_WARNING,
	       "@40:50 at 51: not critical, still above ~:35");
	TAP_OK(one_var("battery.charge=100", &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strcmp(line, "NUT UNKNOWN - ups.temperature not reported by the UPS") == 0,
	       "a threshold on a variable the UPS does not report is UNKNOWN");
	opts_reset(&o, &th);

	nut_health_opts_init(&o);
	o.thresholds = &th;
	pk_thresholds_add(&th, PK_CHECK_CRITICAL, "battery.charge=50:", &err);
	TAP_OK(one_var("ups.load=10", &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strcmp(line, "NUT UNKNOWN - battery.charge not reported by the UPS") == 0,
	       "the user's threshold on a default variable: missing is UNKNOWN too");
	pk_thresholds_add(&th, PK_CHECK_WARNING, "battery.runtime=~:", &err);
	TAP_OK(one_var("battery.runtime=1", &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "battery.runtime") == NULL, "~: switches a default off");
	opts_reset(&o, &th);
}

static void
test_perfdata(void)
{
	struct nut_kvlist l;
	char line[512];

	vars_of(&l, "ups.status=OL CHRG", "battery.charge=95", "battery.runtime=2400",
	        "ups.load=12", "input.voltage=230.5", "input.voltage.nominal=230",
	        "input.frequency=50.0", "input.frequency.nominal=50", "output.voltage=230.0",
	        "ups.realpower=80", "ups.temperature=29.5", "device.serial=123", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 0) == PK_CHECK_OK, "a healthy UPS: OK");
	TAP_STREQ(line, "NUT OK - online, charging, battery.charge 95%, battery.runtime 2400s, "
	          "ups.load 12%, input.voltage 230.5V, input.frequency 50Hz | "
	          "'battery.charge'=95%;20:;10:;0;100 'battery.runtime'=2400s;300:;120: "
	          "'ups.load'=12%;80;95;0;100 'input.voltage'=230.5V;216.2:243.8;207:253 "
	          "'input.frequency'=50Hz;49:51;48:52 'output.voltage'=230V 'ups.realpower'=80W "
	          "'ups.temperature'=29.5C",
	          "the line and its perfdata with units, ranges and 0..100 for percentages");
	nut_kvlist_free(&l);
}

static void
test_input(void)
{
	struct nut_health_opts o;
	struct pk_thresholds th = { 0 };
	struct nut_kvlist l;
	struct pk_err err;
	char line[512];

	vars_of(&l, "ups.status=OL", "input.voltage=214", "input.voltage.nominal=230", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_WARNING, "7%% low: WARNING");
	TAP_STREQ(line, "NUT WARNING - input.voltage 214V, 7.0% below the nominal 230V "
	          "(warning beyond 6%)", "the text says by how much");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "input.voltage=254", "input.voltage.nominal=230", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_CRITICAL &&
	       strstr(line, "10.4% above the nominal 230V (critical beyond 10%)") != NULL,
	       "10.4%% high: CRITICAL");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "input.voltage=118", "input.voltage.nominal=120", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_OK,
	       "a 120 V UPS against its own nominal");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OB", "input.voltage=0", "input.voltage.nominal=230", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 0) == PK_CHECK_WARNING &&
	       strcmp(line, "NUT WARNING - on battery | 'input.voltage'=0V") == 0,
	       "on battery the input is not judged, only graphed");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "input.voltage=100", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 0) == PK_CHECK_OK &&
	       strcmp(line, "NUT OK - online | 'input.voltage'=100V") == 0,
	       "no nominal: not judged, never a hard-coded 120 V");
	nut_kvlist_free(&l);

	vars_of(&l, "ups.status=OL", "input.frequency=51.5", "input.frequency.nominal=50",
	        (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_WARNING &&
	       strstr(line, "input.frequency 51.5Hz, 3.0% above the nominal 50Hz") != NULL,
	       "frequency 3%% off: WARNING");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "input.frequency=47.9", "input.frequency.nominal=50",
	        (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_CRITICAL,
	       "frequency 4.2%% off: CRITICAL");

	nut_health_opts_init(&o);
	o.thresholds = &th;
	TAP_OK(nut_health_tolerance_parse("5,10", o.freq_tol, &err) == 0 &&
	       o.freq_tol[0] == 5 && o.freq_tol[1] == 10, "--frequency-tolerance 5,10");
	TAP_OK(judge(&l, &o, line, sizeof line, 0) == PK_CHECK_OK &&
	       strstr(line, "'input.frequency'=47.9Hz;47.5:52.5;45:55") != NULL,
	       "a wider tolerance: OK, and the perfdata ranges follow");
	nut_kvlist_free(&l);
	TAP_OK(nut_health_tolerance_parse("1.5,2.5", o.volt_tol, &err) == 0, "decimals");
	vars_of(&l, "ups.status=OL", "input.voltage=226", "input.voltage.nominal=230", (char *)NULL);
	TAP_OK(judge(&l, &o, line, sizeof line, 1) == PK_CHECK_WARNING,
	       "--voltage-tolerance 1.5,2.5: 1.7%% off is a WARNING");
	pk_thresholds_add(&th, PK_CHECK_CRITICAL, "input.voltage=225:235", &err);
	TAP_OK(judge(&l, &o, line, sizeof line, 0) == PK_CHECK_OK &&
	       strstr(line, "'input.voltage'=226V;;225:235") != NULL,
	       "the user's threshold on input.voltage replaces the tolerance");
	nut_kvlist_free(&l);
	opts_reset(&o, &th);

	static const char *const bad[] = { "10,6", "6", "x,10", "0,5", "6,", ",6", "6,100", "-1,5",
	                                   "6,10,12" };
	double tol[2] = { 1, 2 };
	size_t i;
	int all = 1;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (nut_health_tolerance_parse(bad[i], tol, &err) != PK_EUSAGE) {
			all = 0;
			printf("# accepted '%s'\n", bad[i]);
		}
	TAP_OK(all && tol[0] == 1 && tol[1] == 2, "bad tolerances are usage errors, nothing changed");
}

static void
test_estimate(void)
{
	struct nut_kvlist l;
	char line[512];

	vars_of(&l, "ups.status=OL", "battery.voltage=12.5", "battery.voltage.low=10.4",
	        "battery.voltage.high=13", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 0) == PK_CHECK_OK, "estimated from low/high");
	TAP_STREQ(line, "NUT OK - online, battery.charge 81% (estimated) | "
	          "'battery.charge.estimated'=81%;20:;10:;0;100 'battery.voltage'=12.5V",
	          "(2.1 / 2.6) of the way: 81%%, marked and labelled estimated");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OB", "battery.voltage=22", "battery.voltage.nominal=24",
	        (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_WARNING &&
	       strcmp(line, "NUT WARNING - on battery") == 0, "24 V nominal, 22 V: on battery is the reason");
	judge(&l, NULL, line, sizeof line, 0);
	TAP_OK(strstr(line, "'battery.charge.estimated'=23%") != NULL,
	       "lead-acid limits from the nominal: 20.8 V empty, 26 V full, 22 V is 23%%");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OB", "battery.voltage=10.6", "battery.voltage.nominal=12",
	        (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_CRITICAL &&
	       strcmp(line, "NUT CRITICAL - battery.charge 8% (estimated) (critical: 10:)") == 0,
	       "a low estimate raises the default thresholds");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "battery.voltage=14.2", "battery.voltage.nominal=12",
	        (char *)NULL);
	judge(&l, NULL, line, sizeof line, 0);
	TAP_OK(strstr(line, "battery.charge 100% (estimated)") != NULL, "clamped at 100%%");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "battery.voltage=9", "battery.voltage.low=10.4",
	        "battery.voltage.high=13", (char *)NULL);
	judge(&l, NULL, line, sizeof line, 0);
	TAP_OK(strstr(line, "battery.charge 0% (estimated)") != NULL, "clamped at 0%%");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "battery.voltage=12.5", "battery.voltage.low=13",
	        "battery.voltage.high=13", "battery.voltage.nominal=12", (char *)NULL);
	judge(&l, NULL, line, sizeof line, 0);
	TAP_OK(strstr(line, "battery.charge 81% (estimated)") != NULL,
	       "low/high that make no range: the nominal is used");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "battery.charge=50", "battery.voltage=10",
	        "battery.voltage.nominal=12", (char *)NULL);
	judge(&l, NULL, line, sizeof line, 0);
	TAP_OK(strstr(line, "estimated") == NULL && strstr(line, "battery.charge 50%") != NULL,
	       "a reported battery.charge is never estimated");
	nut_kvlist_free(&l);
	vars_of(&l, "ups.status=OL", "battery.voltage=12", (char *)NULL);
	TAP_OK(judge(&l, NULL, line, sizeof line, 1) == PK_CHECK_OK &&
	       strcmp(line, "NUT OK - online") == 0, "nothing to estimate from: no charge");
	nut_kvlist_free(&l);
}

static void
test_errors(void)
{
	struct nut_health h = { 0 };
	struct pk_err err;

	pk_err_set(&err, PK_EREFUSED, "DATA-STALE", "data stale: the driver has no fresh data");
	nut_health_from_error(&err, PK_CHECK_UNKNOWN, &h);
	TAP_OK(nut_health_state(&h) == PK_CHECK_CRITICAL && h.n_cond == 1 &&
	       strcmp(h.cond[0].text, err.msg) == 0 && strcmp(h.cond[0].key, "ups") == 0,
	       "DATA-STALE: CRITICAL with the message");
	nut_health_free(&h);
	pk_err_set(&err, PK_EREFUSED, "DRIVER-NOT-CONNECTED", "driver not connected");
	nut_health_from_error(&err, PK_CHECK_UNKNOWN, &h);
	TAP_OK(nut_health_state(&h) == PK_CHECK_CRITICAL, "DRIVER-NOT-CONNECTED: CRITICAL");
	nut_health_free(&h);
	pk_err_set(&err, PK_ECOMM, "timeout", "timeout");
	nut_health_from_error(&err, PK_CHECK_UNKNOWN, &h);
	TAP_OK(nut_health_state(&h) == PK_CHECK_UNKNOWN, "timeout: UNKNOWN");
	nut_health_free(&h);
	nut_health_from_error(&err, PK_CHECK_CRITICAL, &h);
	TAP_OK(nut_health_state(&h) == PK_CHECK_CRITICAL, "timeout with --unreachable=critical");
	nut_health_free(&h);
	pk_err_set(&err, PK_ENOTFOUND, "UNKNOWN-UPS", "unknown UPS");
	nut_health_from_error(&err, PK_CHECK_CRITICAL, &h);
	TAP_OK(nut_health_state(&h) == PK_CHECK_UNKNOWN && nut_health_find(&h, "ups") != NULL,
	       "unknown UPS: UNKNOWN, whatever --unreachable says");
	nut_health_free(&h);
}

int
main(void)
{
	test_flags();
	test_status_map();
	test_default_thresholds();
	test_user_thresholds();
	test_perfdata();
	test_input();
	test_estimate();
	test_errors();
	return TAP_DONE();
}
