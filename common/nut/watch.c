#include "nut/watch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"

/* A ups.status flag followed as a state of its own, and the events it
 * sets (upsmon's names where upsmon has them). */
static const struct {
	const char *flag, *on, *off;
} flag_keys[] = {
	{ "LB", "LOWBATT", "NOTLOWBATT" },
	{ "FSD", "FSD", "NOTFSD" },
	{ "RB", "REPLBATT", "NOTREPLBATT" },
	{ "CAL", "CAL", "NOTCAL" },
	{ "OFF", "OFF", "NOTOFF" },
	{ "BYPASS", "BYPASS", "NOTBYPASS" },
	{ "OVER", "OVERLOAD", "OUTPUT_OK" },
};

/* One poll being judged. */
struct judge {
	struct pk_watch *w;
	const struct nut_watch_opts *o;
	struct pk_watch_target *t;
	const struct nut_kvlist *vars;
	struct nut_health h;
	time_t when;
	struct pk_events *evs;
};

static struct pk_event *
set(struct judge *j, const char *key, const char *state, enum pk_check_state level)
{
	return pk_watch_set(j->w, j->t, key, state, level, j->when, j->evs);
}

/* The state key had before this poll ("" when none). */
static enum pk_check_state
level_before(struct judge *j, const char *key, const char **state)
{
	struct pk_watch_key *k = pk_watch_key(j->w, j->t, key);

	*state = k != NULL ? k->state : "";
	return k != NULL ? k->level : PK_CHECK_OK;
}

static void
add_var(struct pk_event *e, const struct nut_kvlist *vars, const char *name)
{
	const char *v = nut_kvlist_find(vars, name);

	if (v != NULL)
		pk_event_value(e, name, v);
}

/* The values a status event shows: ups.status and the charge (or its
 * estimate, which nut/health.h records as a metric). */
static void
status_values(struct judge *j, struct pk_event *e)
{
	const struct nut_metric *m = nut_health_metric(&j->h, "battery.charge.estimated");
	char num[32];

	if (e == NULL)
		return;
	add_var(e, j->vars, "ups.status");
	add_var(e, j->vars, "battery.charge");
	if (nut_kvlist_find(j->vars, "battery.charge") == NULL && m != NULL) {
		snprintf(num, sizeof num, "%g", m->value);
		pk_event_value(e, m->label, num);
	}
}

/* The check state nut/health gave a status flag (--status-map applied). */
static enum pk_check_state
flag_level(struct judge *j, const char *flag, int *present)
{
	char key[40];
	const struct nut_condition *c;

	snprintf(key, sizeof key, "status.%s", flag);
	c = nut_health_find(&j->h, key);
	*present = c != NULL;
	return c != NULL ? c->state : PK_CHECK_OK;
}

static void
judge_flags(struct judge *j)
{
	int ob, ol, on;
	enum pk_check_state lob = flag_level(j, "OB", &ob), lol = flag_level(j, "OL", &ol);
	size_t i;

	if (nut_kvlist_find(j->vars, "ups.status") == NULL)
		return;
	if (ob || ol)
		status_values(j, set(j, "power", ob ? "ONBATT" : "ONLINE", ob ? lob : lol));
	for (i = 0; i < sizeof flag_keys / sizeof flag_keys[0]; i++) {
		enum pk_check_state l = flag_level(j, flag_keys[i].flag, &on);

		status_values(j, set(j, flag_keys[i].flag, on ? flag_keys[i].on : flag_keys[i].off,
		                     on ? l : PK_CHECK_OK));
	}
}

/* BATTFULL at 100 %, NOTBATTFULL once below 100 - hysteresis. */
static void
judge_full(struct judge *j)
{
	const struct nut_metric *m = nut_health_metric(&j->h, "battery.charge");
	const char *before;
	int full;

	if (m == NULL)
		m = nut_health_metric(&j->h, "battery.charge.estimated");
	if (m == NULL)
		return;
	level_before(j, "full", &before);
	full = m->value >= 100 ||
	       (strcmp(before, "BATTFULL") == 0 && m->value > 100 - j->o->hysteresis);
	status_values(j, set(j, "full", full ? "BATTFULL" : "NOTBATTFULL", PK_CHECK_OK));
}

/* 1 when s holds word, in any case (POSIX has no strcasestr). */
static int
contains(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return 1;
	return 0;
}

/* The battery test: running while TEST is in ups.status or the result
 * says "In progress"; then passed or failed by ups.test.result's words
 * (NUT drivers write "Done and passed", "Done and warning", "Done and
 * error", "Aborted", "Failed"...).  Other results ("No test
 * initiated") set nothing. */
static void
judge_test(struct judge *j)
{
	const char *r = nut_kvlist_find(j->vars, "ups.test.result");
	const char *state = NULL;
	enum pk_check_state level = PK_CHECK_OK;
	int testing;
	struct pk_event *e;

	flag_level(j, "TEST", &testing);
	if (testing || (r != NULL && contains(r, "progress")))
		state = "BATTERY_TEST_STARTED";
	else if (r != NULL && contains(r, "pass"))
		state = "BATTERY_TEST_PASSED";
	else if (r != NULL && (contains(r, "fail") || contains(r, "error") ||
	                       contains(r, "warning") || contains(r, "abort"))) {
		state = "BATTERY_TEST_FAILED";
		level = PK_CHECK_WARNING;
	}
	if (state == NULL)
		pk_watch_quiet(j->w, j->t, "test");  /* so the first test is an event */
	else if ((e = set(j, "test", state, level)) != NULL)
		add_var(e, j->vars, "ups.test.result");
}

/* A metric's ranges as a threshold, for hysteresis. */
static void
metric_threshold(const struct nut_metric *m, struct pk_threshold *th)
{
	memset(th, 0, sizeof *th);
	snprintf(th->var, sizeof th->var, "%s", m->label);
	th->warn = m->warn;
	th->crit = m->crit;
	th->has_warn = m->has_warn;
	th->has_crit = m->has_crit;
}

/* A judged value's state with hysteresis against the key's state
 * before. */
static enum pk_check_state
judged_level(struct judge *j, const char *key, const struct nut_metric *m,
             enum pk_check_state now)
{
	struct pk_threshold th;
	const char *before;
	enum pk_check_state prev = level_before(j, key, &before);

	if (before[0] == '\0')
		return now;
	metric_threshold(m, &th);
	return pk_threshold_eval_from(&th, m->value, prev, j->o->hysteresis);
}

/* var against its nominal (nut/health.h judged it): high, low or OK. */
static void
judge_nominal(struct judge *j, const char *var, const char *high, const char *low,
              const char *ok)
{
	const struct nut_condition *c = nut_health_find(&j->h, var);
	const struct nut_metric *m = nut_health_metric(&j->h, var);
	enum pk_check_state level;
	struct pk_event *e;
	char nominal[64];

	if (c == NULL || m == NULL || !m->has_warn)
		return;  /* no nominal, or on battery: the state stays */
	level = judged_level(j, var, m, c->state);
	e = set(j, var, level == PK_CHECK_OK ? ok
	                : m->value > (m->warn.start + m->warn.end) / 2 ? high : low, level);
	snprintf(nominal, sizeof nominal, "%s.nominal", var);
	add_var(e, j->vars, var);
	add_var(e, j->vars, nominal);
}

static const char *const threshold_states[] = {
	"THRESHOLD_OK", "THRESHOLD_WARNING", "THRESHOLD_CRITICAL", NULL
};

/* The user's thresholds: THRESHOLD_* per variable, and TEMP_* for
 * ups.temperature. */
static void
judge_thresholds(struct judge *j)
{
	const struct pk_thresholds *ths = j->o->health->thresholds;
	size_t i;

	for (i = 0; ths != NULL && i < ths->n; i++) {
		const struct pk_threshold *th = &ths->items[i];
		const struct nut_metric *m = nut_health_metric(&j->h, th->var);
		char key[96], num[32];
		enum pk_check_state level;
		struct pk_event *e;

		if (m == NULL && strcmp(th->var, "battery.charge") == 0)
			m = nut_health_metric(&j->h, "battery.charge.estimated");
		if (m == NULL)
			continue;  /* not reported: no state */
		snprintf(key, sizeof key, "threshold.%s", th->var);
		level = judged_level(j, key, m, pk_threshold_eval(th, m->value));
		if (level == PK_CHECK_UNKNOWN)
			continue;
		snprintf(num, sizeof num, "%g", m->value);
		if ((e = set(j, key, threshold_states[level], level)) != NULL) {
			pk_event_value(e, m->label, num);
			if (level != PK_CHECK_OK)
				snprintf(e->note, sizeof e->note, "(range %s)",
				         level == PK_CHECK_CRITICAL ? th->crit.text : th->warn.text);
		}
		if (strcmp(th->var, "ups.temperature") == 0 &&
		    (e = set(j, "temp", level == PK_CHECK_OK ? "TEMP_OK" : "TEMP_HIGH", level)) != NULL)
			pk_event_value(e, m->label, num);
	}
}

/* The UPS could not be read: COMMBAD (the message as note), or, when
 * upsd answers that the driver's data is stale, DATA_STALE. */
static void
judge_error(struct judge *j, const struct pk_err *err)
{
	struct pk_event *e;

	if (strcmp(err->kind, "DATA-STALE") == 0 || strcmp(err->kind, "DRIVER-NOT-CONNECTED") == 0) {
		set(j, "comm", "COMMOK", PK_CHECK_OK);
		e = set(j, "data", "DATA_STALE", PK_CHECK_CRITICAL);
	} else {
		e = set(j, "comm", "COMMBAD", PK_CHECK_CRITICAL);
	}
	if (e != NULL)
		snprintf(e->note, sizeof e->note, "%s", err->msg[0] ? err->msg : pk_status_name(err->status));
}

static int
s_equal(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

void
nut_watch_poll(struct pk_watch *w, const struct nut_watch_opts *o, const char *target,
               const struct nut_kvlist *vars, const struct pk_err *err, time_t when,
               struct pk_events *evs)
{
	struct judge j = { w, o, pk_watch_target(w, target), vars, { 0 }, when, evs };

	if (j.t == NULL)
		return;
	if (err->status != 0) {
		judge_error(&j, err);
		return;
	}
	/* upsd says WAIT for a UPS whose driver has not sent its data yet
	 * (just after upsd or the driver started): the UPS is there, its
	 * states are not known yet, so they stay as they were. */
	if (s_equal(nut_kvlist_find(vars, "ups.status"), "WAIT")) {
		set(&j, "comm", "COMMOK", PK_CHECK_OK);
		return;
	}
	nut_health_eval(vars, o->health, &j.h);
	status_values(&j, set(&j, "comm", "COMMOK", PK_CHECK_OK));
	set(&j, "data", "DATA_OK", PK_CHECK_OK);
	judge_flags(&j);
	judge_full(&j);
	judge_test(&j);
	judge_nominal(&j, "input.voltage", "INPUT_VOLTAGE_HIGH", "INPUT_VOLTAGE_LOW",
	              "INPUT_VOLTAGE_OK");
	judge_nominal(&j, "input.frequency", "INPUT_FREQ_ERROR", "INPUT_FREQ_ERROR",
	              "INPUT_FREQ_OK");
	judge_nominal(&j, "output.voltage", "OUTPUT_VOLTAGE_HIGH", "OUTPUT_VOLTAGE_LOW",
	              "OUTPUT_VOLTAGE_OK");
	judge_thresholds(&j);
	nut_health_free(&j.h);
}

void
nut_watch_values(struct pk_watch *w, const char *target, const struct nut_kvlist *vars,
                 char *const *names, size_t n, double min_change, time_t when,
                 struct pk_events *evs)
{
	struct pk_watch_target *t = pk_watch_target(w, target);
	size_t i;

	for (i = 0; t != NULL && i < n; i++) {
		const char *v = nut_kvlist_find(vars, names[i]);
		struct pk_watch_key *k;
		char key[96];
		struct pk_event *e;

		if (v == NULL || !pk_decimal_syntax(v) || strlen(v) >= PK_EVENT_NAME_MAX)
			continue;
		snprintf(key, sizeof key, "value.%s", names[i]);
		if ((k = pk_watch_key(w, t, key)) == NULL)
			return;
		/* Within min_change of the last value reported: not a change. */
		if (k->state[0] != '\0' && fabs(strtod(v, NULL) - strtod(k->state, NULL)) <= min_change)
			continue;
		if ((e = pk_watch_set(w, t, key, v, PK_CHECK_OK, when, evs)) != NULL) {
			snprintf(e->event, sizeof e->event, "VALUE");
			pk_event_value(e, names[i], v);
		}
	}
}
