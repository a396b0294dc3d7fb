#include "nut/health.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"
#include "nut/prom_names.h"

/* --- options ------------------------------------------------------------ */

void
nut_health_opts_init(struct nut_health_opts *o)
{
	memset(o, 0, sizeof *o);
	o->volt_tol[0] = 6;
	o->volt_tol[1] = 10;
	o->freq_tol[0] = 2;
	o->freq_tol[1] = 4;
}

int
nut_health_status_map_add(struct nut_health_opts *o, const char *spec, struct pk_err *err)
{
	const char *eq = strchr(spec, '=');
	struct nut_status_override ov;
	size_t n = eq ? (size_t)(eq - spec) : 0, i;

	if (eq == NULL || n == 0 || n >= sizeof ov.flag ||
	    strspn(spec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "'%s' is not FLAG=STATE (e.g. OB=critical)", spec);
	memcpy(ov.flag, spec, n);
	ov.flag[n] = '\0';
	if (pk_check_state_parse(eq + 1, &ov.state, err) != 0) {
		pk_err_prefix(err, "%s", ov.flag);
		return PK_EUSAGE;
	}
	for (i = 0; i < o->n_status_map; i++)
		if (strcasecmp(o->status_map[i].flag, ov.flag) == 0)
			break;
	if (i == NUT_STATUS_MAP_MAX)
		return pk_err_set(err, PK_EUSAGE, "usage", "more than %d status flags mapped",
		                  NUT_STATUS_MAP_MAX);
	o->status_map[i] = ov;
	if (i == o->n_status_map)
		o->n_status_map++;
	return 0;
}

/* A positive plain decimal ("6", "2.5"): 0 or -1. */
static int
percent_value(const char *s, size_t n, double *out)
{
	char tmp[32];

	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (!pk_decimal_syntax(tmp) || tmp[0] == '-')
		return -1;
	*out = strtod(tmp, NULL);
	return *out > 0 && *out < 100 ? 0 : -1;
}

int
nut_health_tolerance_parse(const char *spec, double tol[2], struct pk_err *err)
{
	const char *comma = strchr(spec, ',');
	double w, c;

	if (comma == NULL || percent_value(spec, (size_t)(comma - spec), &w) != 0 ||
	    percent_value(comma + 1, strlen(comma + 1), &c) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "'%s' is not W,C (warning and critical percentages, "
		                  "above 0 and below 100, e.g. 6,10)", spec);
	if (w > c)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "'%s': the warning tolerance is wider than the critical one", spec);
	tol[0] = w;
	tol[1] = c;
	return 0;
}

/* --- recording ------------------------------------------------------------ */

static void
add_condition(struct nut_health *h, enum pk_check_state state, const char *key,
              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
add_condition(struct nut_health *h, enum pk_check_state state, const char *key,
              const char *fmt, ...)
{
	struct nut_condition *c;
	void *cond = pk_array_grow(h->cond, &h->cap_cond, h->n_cond, sizeof *h->cond);
	va_list ap;

	if (cond == NULL) {
		h->oom = 1;
		return;
	}
	h->cond = cond;
	c = &h->cond[h->n_cond++];
	c->state = state;
	snprintf(c->key, sizeof c->key, "%s", key);
	va_start(ap, fmt);
	vsnprintf(c->text, sizeof c->text, fmt, ap);
	va_end(ap);
}

static struct nut_metric *
add_metric(struct nut_health *h, const char *label, double value, const char *uom)
{
	struct nut_metric *m;
	void *metrics = pk_array_grow(h->metrics, &h->cap_metrics, h->n_metrics,
	                              sizeof *h->metrics);

	if (metrics == NULL) {
		h->oom = 1;
		return NULL;
	}
	h->metrics = metrics;
	m = &h->metrics[h->n_metrics++];
	memset(m, 0, sizeof *m);
	snprintf(m->label, sizeof m->label, "%s", label);
	m->value = value;
	m->uom = uom;
	m->min = m->max = NAN;
	if (strcmp(uom, "%") == 0) {
		m->min = 0;
		m->max = 100;
	}
	return m;
}

const struct nut_metric *
nut_health_metric(const struct nut_health *h, const char *label)
{
	size_t i;

	for (i = 0; i < h->n_metrics; i++)
		if (strcmp(h->metrics[i].label, label) == 0)
			return &h->metrics[i];
	return NULL;
}

/* --- status flags ----------------------------------------------------------- */

/* The flags of ups.status (NUT's docs/nut-names.txt and drivers). */
static const struct {
	const char *flag;
	enum pk_check_state state;
	const char *text;
} flags[] = {
	{ "OL", PK_CHECK_OK, "online" },
	{ "OB", PK_CHECK_WARNING, "on battery" },
	{ "LB", PK_CHECK_CRITICAL, "low battery" },
	{ "HB", PK_CHECK_OK, "high battery" },
	{ "RB", PK_CHECK_CRITICAL, "replace battery" },
	{ "CHRG", PK_CHECK_OK, "charging" },
	{ "DISCHRG", PK_CHECK_OK, "discharging" },
	{ "BYPASS", PK_CHECK_CRITICAL, "on bypass" },
	{ "CAL", PK_CHECK_OK, "calibrating" },
	{ "OFF", PK_CHECK_CRITICAL, "output off" },
	{ "OVER", PK_CHECK_CRITICAL, "overloaded" },
	{ "TRIM", PK_CHECK_OK, "trimming voltage" },
	{ "BOOST", PK_CHECK_OK, "boosting voltage" },
	{ "FSD", PK_CHECK_CRITICAL, "forced shutdown" },
	{ "ALARM", PK_CHECK_WARNING, "alarm" },
	{ "TEST", PK_CHECK_OK, "testing" },
};

static void
judge_flag(const char *flag, const struct nut_kvlist *vars,
           const struct nut_health_opts *o, struct nut_health *h)
{
	enum pk_check_state state = PK_CHECK_OK;
	char key[40], text[160];
	const char *alarm;
	size_t i;

	snprintf(text, sizeof text, "status %s", flag);
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strcmp(flags[i].flag, flag) == 0) {
			state = flags[i].state;
			snprintf(text, sizeof text, "%s", flags[i].text);
		}
	for (i = 0; i < o->n_status_map; i++)
		if (strcasecmp(o->status_map[i].flag, flag) == 0)
			state = o->status_map[i].state;
	alarm = nut_kvlist_find(vars, "ups.alarm");
	if (strcmp(flag, "ALARM") == 0 && alarm != NULL && alarm[0] != '\0')
		snprintf(text, sizeof text, "alarm: %s", alarm);
	snprintf(key, sizeof key, "status.%s", flag);
	add_condition(h, state, key, "%s", text);
}

static void
judge_status(const struct nut_kvlist *vars, const struct nut_health_opts *o,
             struct nut_health *h)
{
	const char *status = nut_kvlist_find(vars, "ups.status");
	char flag[16];
	int any = 0;

	if (status == NULL) {
		add_condition(h, PK_CHECK_UNKNOWN, "status", "no ups.status");
		return;
	}
	while (*status != '\0') {
		size_t n = strcspn(status, " ");
		if (n > 0) {
			snprintf(flag, sizeof flag, "%.*s", (int)n, status);
			judge_flag(flag, vars, o, h);
			any = 1;
		}
		status += n;
		status += strspn(status, " ");
	}
	if (!any)
		add_condition(h, PK_CHECK_UNKNOWN, "status", "empty ups.status");
}

/* 1 when ups.status holds flag. */
static int
status_has(const struct nut_kvlist *vars, const char *flag)
{
	const char *s = nut_kvlist_find(vars, "ups.status");
	size_t fl = strlen(flag);

	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, " ");
		if (n == fl && strncmp(s, flag, n) == 0)
			return 1;
		s += n;
		s += strspn(s, " ");
	}
	return 0;
}

/* --- numbers and units ------------------------------------------------------- */

/* The value of var as a number: 1 when it is reported and numeric, 0
 * when absent, -1 when it is not a plain decimal. */
static int
var_number(const struct nut_kvlist *vars, const char *var, double *out)
{
	const char *v = nut_kvlist_find(vars, var);

	if (v == NULL)
		return 0;
	if (!pk_decimal_syntax(v))
		return -1;
	*out = strtod(v, NULL);
	return 1;
}

/* The perfdata unit of a NUT variable, from the unit its Prometheus
 * name carries (nut/prom_names.h holds the one table of NUT's units), so
 * both outputs always agree. */
static const char *
var_uom(const char *var)
{
	static const struct { const char *unit, *uom; } units[] = {
		{ "ratio", "%" }, { "seconds", "s" }, { "volts", "V" },
		{ "amperes", "A" }, { "hertz", "Hz" }, { "watts", "W" },
		{ "voltamperes", "VA" }, { "celsius", "C" },
	};
	const char *unit = nut_prom_unit(var);
	size_t i;

	for (i = 0; unit != NULL && i < sizeof units / sizeof units[0]; i++)
		if (strcmp(unit, units[i].unit) == 0)
			return units[i].uom;
	return "";
}

static void
num_text(char *out, size_t outlen, double v)
{
	struct pk_buf b = { 0 };

	pk_check_format_num(&b, v);
	snprintf(out, outlen, "%s", pk_buf_str(&b));
	pk_buf_free(&b);
}

/* --- thresholds ------------------------------------------------------------ */

/* The defaults, for a variable with no threshold of the user's. */
static const struct {
	const char *var, *warn, *crit;
} default_thresholds[] = {
	{ "battery.charge", "20:", "10:" },
	{ "battery.runtime", "300:", "120:" },
	{ "ups.load", "80", "95" },
};

/* Lead-acid battery limits per cell, for a UPS that reports only
 * battery.voltage.nominal.  A lead-acid cell is nominally 2 V; under a
 * UPS's load it is empty at about 1.75 V (10.5 V for a 12 V block) and
 * full at rest at about 2.15 V (12.9 V).  NUT's own drivers (blazer,
 * nutdrv_qx) guess battery.voltage.low and .high as 104/120 and 130/120
 * of the nominal voltage, 1.733 and 2.167 V a cell: the same numbers
 * here, so the estimate agrees with a driver that publishes its guess. */
#define LEAD_ACID_LOW_OF_NOMINAL (104.0 / 120.0)
#define LEAD_ACID_HIGH_OF_NOMINAL (130.0 / 120.0)

/* battery.charge from battery.voltage, linear between the empty and the
 * full voltage, 0..100: 1 when estimated, else 0. */
static int
estimate_charge(const struct nut_kvlist *vars, double *charge)
{
	double v, low, high, nominal;

	if (var_number(vars, "battery.voltage", &v) != 1)
		return 0;
	if (var_number(vars, "battery.voltage.low", &low) != 1 ||
	    var_number(vars, "battery.voltage.high", &high) != 1 || high <= low) {
		if (var_number(vars, "battery.voltage.nominal", &nominal) != 1 || nominal <= 0)
			return 0;
		low = nominal * LEAD_ACID_LOW_OF_NOMINAL;
		high = nominal * LEAD_ACID_HIGH_OF_NOMINAL;
	}
	*charge = (v - low) / (high - low) * 100;
	*charge = *charge < 0 ? 0 : *charge > 100 ? 100 : (double)(long)(*charge + 0.5);
	return 1;
}

/* Records a judged value: its metric with the ranges, and a condition
 * "var 15% (warning: 20:)" naming the range that alerted. */
static void
record_judged(struct nut_health *h, const char *var, const char *label, double value,
              const struct pk_threshold *th, const char *note)
{
	enum pk_check_state s = pk_threshold_eval(th, value);
	struct nut_metric *m = add_metric(h, label, value, var_uom(var));
	char num[48], key[96], why[80] = "";

	if (m != NULL) {
		m->warn = th->warn;
		m->crit = th->crit;
		m->has_warn = th->has_warn;
		m->has_crit = th->has_crit;
	}
	num_text(num, sizeof num, value);
	if (s != PK_CHECK_OK)
		snprintf(why, sizeof why, " (%s: %s)", s == PK_CHECK_CRITICAL ? "critical" : "warning",
		         s == PK_CHECK_CRITICAL ? th->crit.text : th->warn.text);
	snprintf(key, sizeof key, "var.%s", var);
	add_condition(h, s, key, "%s %s%s%s%s", var, num, var_uom(var), note, why);
}

/* One threshold: the variable's value judged, estimated for a missing
 * battery.charge; missing is UNKNOWN for the user's own thresholds and
 * nothing for a default. */
static void
judge_threshold(const struct nut_kvlist *vars, const struct pk_threshold *th,
                int is_default, struct nut_health *h)
{
	char key[96];
	double value;
	int found = var_number(vars, th->var, &value);

	snprintf(key, sizeof key, "var.%s", th->var);
	if (found == 1) {
		record_judged(h, th->var, th->var, value, th, "");
	} else if (found == 0 && strcmp(th->var, "battery.charge") == 0 &&
	           estimate_charge(vars, &value)) {
		record_judged(h, th->var, "battery.charge.estimated", value, th, " (estimated)");
	} else if (found < 0) {
		add_condition(h, PK_CHECK_UNKNOWN, key, "%s is not a number ('%.40s')", th->var,
		              nut_kvlist_find(vars, th->var));
	} else if (!is_default) {
		add_condition(h, PK_CHECK_UNKNOWN, key, "%s not reported by the UPS", th->var);
	}
}

static void
judge_thresholds(const struct nut_kvlist *vars, const struct nut_health_opts *o,
                 struct nut_health *h)
{
	static const struct pk_thresholds none;
	const struct pk_thresholds *user = o->thresholds ? o->thresholds : &none;
	struct pk_err err;
	size_t i;

	/* The defaults' variables first, in their order, by the user's
	 * thresholds where given; then the rest of the user's. */
	for (i = 0; i < sizeof default_thresholds / sizeof default_thresholds[0]; i++) {
		const struct pk_threshold *th = pk_thresholds_find(user, default_thresholds[i].var);
		struct pk_threshold def;

		if (th != NULL) {
			judge_threshold(vars, th, 0, h);
			continue;
		}
		memset(&def, 0, sizeof def);
		snprintf(def.var, sizeof def.var, "%s", default_thresholds[i].var);
		def.has_warn = pk_range_parse(default_thresholds[i].warn, &def.warn, &err) == 0;
		def.has_crit = pk_range_parse(default_thresholds[i].crit, &def.crit, &err) == 0;
		judge_threshold(vars, &def, 1, h);
	}
	for (i = 0; i < user->n; i++) {
		size_t k;
		int is_default_var = 0;

		for (k = 0; k < sizeof default_thresholds / sizeof default_thresholds[0]; k++)
			is_default_var |= strcmp(user->items[i].var, default_thresholds[k].var) == 0;
		if (!is_default_var)
			judge_threshold(vars, &user->items[i], 0, h);
	}
}

/* --- input against the nominal values ----------------------------------------- */

/* var against var.nominal within tol[0] (warning) and tol[1] (critical)
 * percent.  Skipped where the user set a threshold on var (judged
 * above), and for the input while the UPS is on battery; without a
 * nominal value it is only a metric. */
static void
judge_input(const struct nut_kvlist *vars, const char *var, const double tol[2],
            const struct nut_health_opts *o, struct nut_health *h)
{
	char nominal_var[64], num[48], nom[48];
	struct pk_threshold th;
	struct nut_metric *m;
	double value, nominal, dev;
	enum pk_check_state s;

	if ((o->thresholds != NULL && pk_thresholds_find(o->thresholds, var) != NULL) ||
	    var_number(vars, var, &value) != 1)
		return;
	snprintf(nominal_var, sizeof nominal_var, "%s.nominal", var);
	if ((strncmp(var, "input.", 6) == 0 && status_has(vars, "OB")) ||
	    var_number(vars, nominal_var, &nominal) != 1 || nominal <= 0) {
		add_metric(h, var, value, var_uom(var));
		return;
	}
	memset(&th, 0, sizeof th);
	pk_range_make(&th.warn, nominal * (1 - tol[0] / 100), nominal * (1 + tol[0] / 100));
	pk_range_make(&th.crit, nominal * (1 - tol[1] / 100), nominal * (1 + tol[1] / 100));
	th.has_warn = th.has_crit = 1;
	s = pk_threshold_eval(&th, value);
	m = add_metric(h, var, value, var_uom(var));
	if (m != NULL) {
		m->warn = th.warn;
		m->crit = th.crit;
		m->has_warn = m->has_crit = 1;
	}
	num_text(num, sizeof num, value);
	num_text(nom, sizeof nom, nominal);
	dev = (value - nominal) / nominal * 100;
	if (s == PK_CHECK_OK) {
		add_condition(h, s, var, "%s %s%s", var, num, var_uom(var));
		return;
	}
	add_condition(h, s, var, "%s %s%s, %.1f%% %s the nominal %s%s (%s beyond %g%%)",
	              var, num, var_uom(var), dev < 0 ? -dev : dev, dev < 0 ? "below" : "above", nom,
	              var_uom(var), s == PK_CHECK_CRITICAL ? "critical" : "warning",
	              tol[s == PK_CHECK_CRITICAL]);
}

/* Metrics graphed when reported, besides the judged ones. */
static const char *const extra_metrics[] = {
	"output.voltage", "battery.voltage", "ups.realpower", "ups.power", "ups.temperature",
	"battery.temperature",
};

static void
add_extra_metrics(const struct nut_kvlist *vars, struct nut_health *h)
{
	size_t i;
	double value;

	for (i = 0; i < sizeof extra_metrics / sizeof extra_metrics[0]; i++)
		if (nut_health_metric(h, extra_metrics[i]) == NULL &&
		    var_number(vars, extra_metrics[i], &value) == 1)
			add_metric(h, extra_metrics[i], value, var_uom(extra_metrics[i]));
}

void
nut_health_eval(const struct nut_kvlist *vars, const struct nut_health_opts *o,
                struct nut_health *h)
{
	judge_status(vars, o, h);
	judge_thresholds(vars, o, h);
	judge_input(vars, "input.voltage", o->volt_tol, o, h);
	judge_input(vars, "input.frequency", o->freq_tol, o, h);
	if (o->judge_output)
		judge_input(vars, "output.voltage", o->volt_tol, o, h);
	add_extra_metrics(vars, h);
}

void
nut_health_from_error(const struct pk_err *err, enum pk_check_state unreachable,
                      struct nut_health *h)
{
	enum pk_check_state s = PK_CHECK_UNKNOWN;

	if (strcmp(err->kind, "DATA-STALE") == 0 || strcmp(err->kind, "DRIVER-NOT-CONNECTED") == 0)
		s = PK_CHECK_CRITICAL;
	else if (err->status == PK_ECOMM)
		s = unreachable;
	add_condition(h, s, "ups", "%s", err->msg[0] ? err->msg : pk_status_name(err->status));
}

enum pk_check_state
nut_health_state(const struct nut_health *h)
{
	enum pk_check_state s = h->oom ? PK_CHECK_UNKNOWN : PK_CHECK_OK;
	size_t i;

	for (i = 0; i < h->n_cond; i++)
		s = pk_check_worst(s, h->cond[i].state);
	return s;
}

const struct nut_condition *
nut_health_find(const struct nut_health *h, const char *key)
{
	size_t i;

	for (i = 0; i < h->n_cond; i++)
		if (strcmp(h->cond[i].key, key) == 0)
			return &h->cond[i];
	return NULL;
}

void
nut_health_to_check(const struct nut_health *h, struct pk_check_target *t)
{
	size_t i;

	for (i = 0; i < h->n_cond; i++)
		pk_check_finding(t, h->cond[i].state, "%s", h->cond[i].text);
	if (h->oom)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "out of memory");
	for (i = 0; i < h->n_metrics; i++) {
		const struct nut_metric *m = &h->metrics[i];
		pk_check_perf(t, m->label, m->value, m->uom, m->has_warn ? &m->warn : NULL,
		              m->has_crit ? &m->crit : NULL, m->min, m->max);
	}
}

void
nut_health_free(struct nut_health *h)
{
	free(h->cond);
	free(h->metrics);
	memset(h, 0, sizeof *h);
}
