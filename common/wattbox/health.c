/* health.c — a WattBox judged for --check (wattbox/health.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wattbox/health.h"

const char *const wb_health_vars[] = {
	"power", "current", "voltage", "ups.charge", "ups.load", "ups.runtime", NULL
};

/* One checkable value of a reading. */
struct value {
	const char *var;
	int have;
	double v;
	const char *uom;
	double min, max;
};

/* The UPS's status values, when the unit has a UPS that reports them. */
static int
ups_read(const struct wb_reading *r)
{
	return (r->have & WB_PART_UPS) && r->ups.supported && r->ups.connected &&
	       r->ups.have_status;
}

/* The values of r in the order of wb_health_vars. */
static void
values_of(const struct wb_reading *r, struct value *v)
{
	int power = (r->have & WB_PART_POWER) && r->power.supported, ups = ups_read(r);

	v[0] = (struct value){ "power", power, r->power.watts, "W", NAN, NAN };
	v[1] = (struct value){ "current", power, r->power.amps, "A", NAN, NAN };
	v[2] = (struct value){ "voltage", power, r->power.volts, "V", NAN, NAN };
	v[3] = (struct value){ "ups.charge", ups, r->ups.charge, "%", 0, 100 };
	v[4] = (struct value){ "ups.load", ups, r->ups.load, "%", 0, 100 };
	/* The unit says minutes; perfdata wants seconds. */
	v[5] = (struct value){ "ups.runtime", ups, r->ups.runtime_min * 60, "s", NAN, NAN };
}

#define N_VARS 6

/* The ups.charge threshold in force: the user's, its missing levels
 * from the defaults 20: (warning) and 10: (critical). */
static void
charge_threshold(const struct pk_thresholds *th, struct pk_threshold *out)
{
	const struct pk_threshold *user = pk_thresholds_find(th, "ups.charge");

	memset(out, 0, sizeof *out);
	if (user != NULL)
		*out = *user;
	if (!out->has_warn)
		pk_range_make(&out->warn, 20, INFINITY);
	if (!out->has_crit)
		pk_range_make(&out->crit, 10, INFINITY);
	out->has_warn = out->has_crit = 1;
	snprintf(out->var, sizeof out->var, "ups.charge");
}

int
wb_health_check_vars(const struct pk_thresholds *th, struct pk_err *err)
{
	for (size_t i = 0; i < th->n; i++) {
		int k;
		for (k = 0; wb_health_vars[k] != NULL; k++)
			if (strcmp(th->items[i].var, wb_health_vars[k]) == 0)
				break;
		if (wb_health_vars[k] == NULL)
			return pk_err_set(err, PK_EUSAGE, "usage", "no variable '%s' to check (known: "
			                  "power, current, voltage, ups.charge, ups.load, ups.runtime)",
			                  th->items[i].var);
	}
	return 0;
}

/* Outlets of spec that are not in state on (1) or off (0). */
static void
judge_expected(struct pk_check_target *t, const struct wb_reading *r, const char *spec,
               int on, const char *option)
{
	int want[WB_MAX_OUTLETS];
	struct pk_err err;

	if (spec == NULL)
		return;
	if (wb_outlets_select(&r->st, spec, WB_ON, want, &err) != 0) {
		pk_check_finding(t, PK_CHECK_UNKNOWN, "%s: %s", option, err.msg);
		return;
	}
	for (int i = 0; i < r->st.count; i++)
		if (want[i] >= 0 && r->st.o[i].on != on)
			pk_check_finding(t, PK_CHECK_CRITICAL, "outlet %d (%s) is %s, expected %s",
			                 i + 1, r->st.o[i].name, r->st.o[i].on ? "on" : "off",
			                 on ? "on" : "off");
}

/* On battery is WARNING; with the charge in its critical range, the
 * battery is low: CRITICAL (the WattBox reports no low-battery flag). */
static void
judge_ups(struct pk_check_target *t, const struct wb_reading *r,
          const struct pk_threshold *charge)
{
	if (!ups_read(r))
		return;
	if (wb_flag(r->ups.power_lost) == 1) {
		if (pk_range_alerts(&charge->crit, r->ups.charge))
			pk_check_finding(t, PK_CHECK_CRITICAL, "UPS on battery, low battery (%g%%)",
			                 r->ups.charge);
		else
			pk_check_finding(t, PK_CHECK_WARNING, "UPS on battery (%g%%, %g min left)",
			                 r->ups.charge, r->ups.runtime_min);
	}
	if (strcmp(r->ups.health, "Bad") == 0)
		pk_check_finding(t, PK_CHECK_WARNING, "UPS battery health Bad");
}

/* One threshold against its value. */
static void
judge_threshold(struct pk_check_target *t, const struct pk_threshold *x, const struct value *val)
{
	enum pk_check_state s = pk_threshold_eval(x, val->v);

	if (s != PK_CHECK_OK)
		pk_check_finding(t, s, "%s %g%s (%s %s)", x->var, val->v, val->uom,
		                 s == PK_CHECK_CRITICAL ? "critical" : "warning",
		                 s == PK_CHECK_CRITICAL ? x->crit.text : x->warn.text);
}

/* The thresholds the user gave, and the default one on ups.charge where
 * the unit has a UPS that reports it.  A value the unit does not report
 * is UNKNOWN for a threshold the user gave, never ignored. */
static void
judge_thresholds(struct pk_check_target *t, const struct value *v, const struct pk_thresholds *th,
                 const struct pk_threshold *charge)
{
	for (int k = 0; k < N_VARS; k++) {
		const struct pk_threshold *x = pk_thresholds_find(th, v[k].var);

		if (k == 3 && v[k].have)
			judge_threshold(t, charge, &v[k]);
		else if (x != NULL && !v[k].have)
			pk_check_finding(t, PK_CHECK_UNKNOWN, "%s: not reported by this unit", x->var);
		else if (x != NULL)
			judge_threshold(t, x, &v[k]);
	}
}

/* The unit at a glance, the text of an OK: "12 outlets, 11 on, 590W,
 * UPS 100%". */
static void
judge_summary(struct pk_check_target *t, const struct wb_reading *r, const struct value *v)
{
	char text[160];
	int on = 0, n;

	for (int i = 0; i < r->st.count; i++)
		on += r->st.o[i].on;
	n = snprintf(text, sizeof text, "%d outlets, %d on", r->st.count, on);
	if (v[0].have && n < (int)sizeof text)
		n += snprintf(text + n, sizeof text - (size_t)n, ", %gW", v[0].v);
	if (v[3].have && n < (int)sizeof text)
		snprintf(text + n, sizeof text - (size_t)n, ", UPS %g%%", v[3].v);
	pk_check_finding(t, PK_CHECK_OK, "%s", text);
}

void
wb_health_judge(struct pk_check_target *t, const struct wb_reading *r,
                const struct wb_health_opts *opts)
{
	struct value v[N_VARS];
	struct pk_threshold charge;

	values_of(r, v);
	charge_threshold(opts->th, &charge);
	judge_summary(t, r, v);
	judge_expected(t, r, opts->expect_on, 1, "--expect-on");
	judge_expected(t, r, opts->expect_off, 0, "--expect-off");
	judge_ups(t, r, &charge);
	judge_thresholds(t, v, opts->th, &charge);
	for (int k = 0; k < N_VARS; k++) {
		const struct pk_threshold *x = k == 3 ? &charge : pk_thresholds_find(opts->th, v[k].var);
		if (v[k].have)
			pk_check_perf(t, v[k].var, v[k].v, v[k].uom,
			              x && x->has_warn ? &x->warn : NULL,
			              x && x->has_crit ? &x->crit : NULL, v[k].min, v[k].max);
	}
}
