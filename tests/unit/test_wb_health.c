/* Unit tests for common/wattbox/health.c: a unit's reading judged for
 * --check, each mapping on its own, through core/check.h's report. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "wattbox/health.h"

/* A 3-outlet unit with metering and a UPS on line: outlets 1 and 3 on. */
static void
reading(struct wb_reading *r)
{
	memset(r, 0, sizeof *r);
	r->have = WB_HEALTH_PARTS;
	r->st.count = 3;
	r->st.o[0].on = r->st.o[2].on = 1;
	strcpy(r->st.o[1].name, "NAS");
	r->power = (struct wb_power){ .supported = 1, .amps = 2.5, .watts = 300, .volts = 120 };
	r->ups = (struct wb_ups){ .supported = 1, .connected = 1, .have_status = 1, .charge = 90,
	                          .load = 20, .runtime_min = 30 };
	strcpy(r->ups.health, "Good");
	strcpy(r->ups.power_lost, "False");
}

/* Judges r with opts; returns the state, the status line in line. */
static enum pk_check_state
judge(const struct wb_reading *r, const struct wb_health_opts *opts, char *line, size_t len)
{
	struct pk_check_report rep;
	struct pk_buf out = { 0 };
	enum pk_check_state s;

	pk_check_report_init(&rep, "WATTBOX");
	wb_health_judge(pk_check_target_add(&rep, "h:23"), r, opts);
	pk_check_render(&rep, 0, &out);
	snprintf(line, len, "%.*s", (int)strcspn(pk_buf_str(&out), "\n"), pk_buf_str(&out));
	s = pk_check_report_state(&rep);
	pk_check_report_free(&rep);
	pk_buf_free(&out);
	return s;
}

int
main(void)
{
	struct pk_thresholds th = { 0 };
	struct wb_health_opts o = { NULL, NULL, &th };
	struct wb_reading r;
	struct pk_err err;
	char line[600];

	reading(&r);
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_OK, "healthy: OK");
	TAP_STREQ(line, "WATTBOX OK - 3 outlets, 2 on, 300W, UPS 90% | 'power'=300W 'current'=2.5A "
	          "'voltage'=120V 'ups.charge'=90%;20:;10:;0;100 'ups.load'=20%;;;0;100 "
	          "'ups.runtime'=1800s", "healthy: summary and perfdata");
	strcpy(r.ups.power_lost, "True");
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_WARNING, "on battery: WARNING");
	r.ups.charge = 9;
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "low battery (9%)") != NULL, "on battery, charge under 10: CRITICAL");
	strcpy(r.ups.power_lost, "False");
	r.ups.charge = 15;
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "ups.charge 15% (warning 20:)") != NULL,
	       "on line, charge under the default 20: WARNING");
	reading(&r);
	strcpy(r.ups.health, "Bad");
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_WARNING, "battery health Bad: WARNING");
	reading(&r);
	o.expect_on = "NAS";
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "outlet 2 (NAS) is off, expected on") != NULL,
	       "--expect-on by name: CRITICAL");
	o.expect_on = NULL;
	o.expect_off = "1";
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_CRITICAL, "--expect-off: CRITICAL");
	o.expect_off = "4";
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_UNKNOWN,
	       "--expect-off of an outlet the unit lacks: UNKNOWN");
	o.expect_off = NULL;
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_CRITICAL, "power=@250:350", &err) == 0 &&
	       judge(&r, &o, line, sizeof line) == PK_CHECK_CRITICAL,
	       "an @ range on power alerts inside it");
	pk_thresholds_free(&th);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "ups.runtime=3600:", &err) == 0 &&
	       judge(&r, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "ups.runtime 1800s (warning 3600:)") != NULL,
	       "ups.runtime in seconds");
	r.have &= ~(unsigned)WB_PART_UPS;
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "ups.runtime: not reported by this unit") != NULL,
	       "a threshold on a value not reported: UNKNOWN");
	pk_thresholds_free(&th);
	TAP_OK(judge(&r, &o, line, sizeof line) == PK_CHECK_OK,
	       "no UPS and no threshold on it: the default charge threshold does not apply");
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "watts=3", &err) == 0 &&
	       wb_health_check_vars(&th, &err) == PK_EUSAGE, "an unknown variable is refused");
	pk_thresholds_free(&th);
	return TAP_DONE();
}
