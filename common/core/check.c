#include "core/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/json.h"

static const char *const state_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

const char *
pk_check_state_name(enum pk_check_state s)
{
	return (unsigned)s < 4 ? state_names[s] : "UNKNOWN";
}

int
pk_check_state_parse(const char *word, enum pk_check_state *out, struct pk_err *err)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(word, state_names[i]) == 0) {
			*out = (enum pk_check_state)i;
			return 0;
		}
	}
	return pk_err_set(err, PK_EUSAGE, "usage",
	                  "bad state '%s' (ok, warning, critical or unknown)", word);
}

/* Rank for "worst of": OK < UNKNOWN < WARNING < CRITICAL. */
static int
state_rank(enum pk_check_state s)
{
	switch (s) {
	case PK_CHECK_OK: return 0;
	case PK_CHECK_UNKNOWN: return 1;
	case PK_CHECK_WARNING: return 2;
	case PK_CHECK_CRITICAL: return 3;
	}
	return 1;
}

enum pk_check_state
pk_check_worst(enum pk_check_state a, enum pk_check_state b)
{
	return state_rank(b) > state_rank(a) ? b : a;
}

/* --- ranges ----------------------------------------------------------- */

/* A plain decimal with an optional sign: "-5", "+0.5", "10.", ".5". */
static int
range_number(const char *s, size_t n, double *out)
{
	char tmp[PK_RANGE_TEXT_MAX];
	size_t i = 0, digits = 0;

	if (n == 0 || n >= sizeof tmp)
		return -1;
	if (s[0] == '-' || s[0] == '+')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (i != n || digits == 0)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	return 0;
}

static int
range_bad(const char *text, const char *why, struct pk_err *err)
{
	return pk_err_set(err, PK_EUSAGE, "usage",
	                  "bad range '%s': %s (forms: 10, 10:, ~:10, 10:20, @10:20)",
	                  text, why);
}

int
pk_range_parse(const char *text, struct pk_range *r, struct pk_err *err)
{
	const char *p = text, *colon;
	size_t len = strlen(text);

	if (len == 0)
		return range_bad(text, "empty", err);
	if (len >= sizeof r->text)
		return range_bad(text, "too long", err);
	memset(r, 0, sizeof *r);
	memcpy(r->text, text, len + 1);
	if (*p == '@') {
		r->inside = 1;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		r->start = 0;
		if (range_number(p, strlen(p), &r->end) != 0)
			return range_bad(text, "not a number", err);
		return r->end < 0 ? range_bad(text, "end below the start 0", err) : 0;
	}
	if (colon == p)
		r->start = 0;
	else if (colon - p == 1 && *p == '~')
		r->start = -INFINITY;
	else if (range_number(p, (size_t)(colon - p), &r->start) != 0)
		return range_bad(text, "start is not a number or ~", err);
	if (colon[1] == '\0')
		r->end = INFINITY;
	else if (range_number(colon + 1, strlen(colon + 1), &r->end) != 0)
		return range_bad(text, "end is not a number", err);
	if (r->start > r->end)
		return range_bad(text, "start above the end", err);
	return 0;
}

void
pk_check_format_num(struct pk_buf *b, double v)
{
	char tmp[64];
	size_t n;

	if (v == 0)
		v = 0;  /* no "-0" */
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		/* Most readings are whole numbers: written without printf's
		 * floating-point path, which is most of a fleet check's time. */
		unsigned long long u = v < 0 ? (unsigned long long)-(long long)v : (unsigned long long)v;

		n = sizeof tmp;
		tmp[--n] = '\0';
		do {
			tmp[--n] = (char)('0' + u % 10);
			u /= 10;
		} while (u > 0);
		if (v < 0)
			tmp[--n] = '-';
		pk_buf_adds(b, tmp + n);
		return;
	}
	n = (size_t)snprintf(tmp, sizeof tmp, "%.6f", v);
	if (n >= sizeof tmp) {  /* beyond any device's numbers */
		pk_buf_adds(b, "U");
		return;
	}
	while (n > 0 && tmp[n - 1] == '0')
		n--;
	if (n > 0 && tmp[n - 1] == '.')
		n--;
	tmp[n] = '\0';
	pk_buf_adds(b, strcmp(tmp, "-0") == 0 ? "0" : tmp);
}

void
pk_range_make(struct pk_range *r, double start, double end)
{
	struct pk_buf b = { 0 };

	memset(r, 0, sizeof *r);
	r->start = start;
	r->end = end;
	if (isinf(start))
		pk_buf_addc(&b, '~');
	else
		pk_check_format_num(&b, start);
	pk_buf_addc(&b, ':');
	if (!isinf(end))
		pk_check_format_num(&b, end);
	snprintf(r->text, sizeof r->text, "%s", pk_buf_str(&b));
	pk_buf_free(&b);
}

void
pk_range_narrow(const struct pk_range *r, double percent, struct pk_range *out)
{
	/* Outside-alerting ranges shrink, inside-alerting ones grow: either
	 * way more values alert.  Open (infinite) bounds stay open. */
	double dir = r->inside ? -1 : 1, k = percent / 100;
	double start_by = fabs(r->start) * k, end_by = fabs(r->end) * k;

	*out = *r;
	/* A narrow band far from 0 (a frequency within 2 % of 50 Hz, 49:51)
	 * would shrink to nothing, and never stop alerting: each bound moves
	 * a quarter of the band at most, so its middle half stays good. */
	if (!r->inside && !isinf(r->start) && !isinf(r->end)) {
		double most = (r->end - r->start) / 4;

		start_by = start_by < most ? start_by : most;
		end_by = end_by < most ? end_by : most;
	}
	if (!isinf(r->start))
		out->start = r->start + dir * start_by;
	if (!isinf(r->end))
		out->end = r->end - dir * end_by;
}

int
pk_range_alerts(const struct pk_range *r, double value)
{
	int in = value >= r->start && value <= r->end;

	return r->inside ? in : !in;
}

/* --- thresholds --------------------------------------------------------- */

struct pk_threshold *
pk_thresholds_find(const struct pk_thresholds *t, const char *var)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->items[i].var, var) == 0)
			return &t->items[i];
	return NULL;
}

/* The threshold of var, added empty when missing; NULL out of memory. */
static struct pk_threshold *
thresholds_slot(struct pk_thresholds *t, const char *var)
{
	struct pk_threshold *th = pk_thresholds_find(t, var);

	void *items;

	if (th != NULL)
		return th;
	items = pk_array_grow(t->items, &t->cap, t->n, sizeof *t->items);
	if (items == NULL)
		return NULL;
	t->items = items;
	th = &t->items[t->n++];
	memset(th, 0, sizeof *th);
	snprintf(th->var, sizeof th->var, "%s", var);
	return th;
}

int
pk_thresholds_set(struct pk_thresholds *t, enum pk_check_state level,
                  const char *var, const struct pk_range *r)
{
	struct pk_threshold *th = thresholds_slot(t, var);

	if (th == NULL)
		return -1;
	if (level == PK_CHECK_CRITICAL) {
		th->crit = *r;
		th->has_crit = 1;
	} else {
		th->warn = *r;
		th->has_warn = 1;
	}
	return 0;
}

int
pk_thresholds_add(struct pk_thresholds *t, enum pk_check_state level,
                  const char *spec, struct pk_err *err)
{
	const char *eq = strchr(spec, '=');
	char var[PK_CHECK_VAR_MAX];
	struct pk_range r;
	size_t n;

	if (eq == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "'%s' is not VAR=RANGE (e.g. battery.charge=20:)", spec);
	n = (size_t)(eq - spec);
	if (n == 0 || n >= sizeof var || strcspn(spec, " \t'") < n)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "'%s': the variable name is empty, too long or has blanks",
		                  spec);
	memcpy(var, spec, n);
	var[n] = '\0';
	if (pk_range_parse(eq + 1, &r, err) != 0) {
		pk_err_prefix(err, "%s", var);
		return PK_EUSAGE;
	}
	if (pk_thresholds_set(t, level, var, &r) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "out of memory");
	return 0;
}

void
pk_thresholds_free(struct pk_thresholds *t)
{
	free(t->items);
	memset(t, 0, sizeof *t);
}

enum pk_check_state
pk_threshold_eval(const struct pk_threshold *th, double value)
{
	if (th->has_crit && pk_range_alerts(&th->crit, value))
		return PK_CHECK_CRITICAL;
	if (th->has_warn && pk_range_alerts(&th->warn, value))
		return PK_CHECK_WARNING;
	return PK_CHECK_OK;
}

/* OK < WARNING < CRITICAL, UNKNOWN apart (ranked lowest here: a
 * threshold never evaluates to it). */
static int
alert_rank(enum pk_check_state s)
{
	return s == PK_CHECK_CRITICAL ? 2 : s == PK_CHECK_WARNING ? 1 : 0;
}

enum pk_check_state
pk_threshold_eval_from(const struct pk_threshold *th, double value,
                       enum pk_check_state prev, double percent)
{
	enum pk_check_state now = pk_threshold_eval(th, value), strict;
	struct pk_threshold narrow = *th;

	if (alert_rank(now) >= alert_rank(prev))
		return now;
	pk_range_narrow(&th->warn, percent, &narrow.warn);
	pk_range_narrow(&th->crit, percent, &narrow.crit);
	strict = pk_threshold_eval(&narrow, value);
	return alert_rank(strict) < alert_rank(prev) ? strict : prev;
}

/* --- the report --------------------------------------------------------- */

void
pk_check_report_init(struct pk_check_report *r, const char *service)
{
	memset(r, 0, sizeof *r);
	r->service = service;
}

static void
target_free(struct pk_check_target *t)
{
	size_t i;

	for (i = 0; i < t->n_findings; i++)
		free(t->findings[i].text);
	for (i = 0; i < t->n_perf; i++)
		free(t->perf[i].label);
	free(t->findings);
	free(t->perf);
	free(t->name);
}

void
pk_check_report_free(struct pk_check_report *r)
{
	size_t i;

	for (i = 0; i < r->n_targets; i++)
		target_free(&r->targets[i]);
	free(r->targets);
	r->targets = NULL;
	r->n_targets = r->cap_targets = 0;
}

struct pk_check_target *
pk_check_target_add(struct pk_check_report *r, const char *name)
{
	struct pk_check_target *t;
	char *copy = strdup(name);
	void *targets = copy == NULL ? NULL :
		pk_array_grow(r->targets, &r->cap_targets, r->n_targets, sizeof *r->targets);

	if (targets == NULL) {
		free(copy);
		r->oom = 1;
		return NULL;
	}
	r->targets = targets;
	t = &r->targets[r->n_targets++];
	memset(t, 0, sizeof *t);
	t->name = copy;
	return t;
}

/* Device text on one line: control characters become '?', and '|'
 * (the perfdata separator) '/'. */
static void
one_line(char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			*s = '?';
		else if (c == '|')
			*s = '/';
	}
}

void
pk_check_finding(struct pk_check_target *t, enum pk_check_state state,
                 const char *fmt, ...)
{
	struct pk_buf text = { 0 };
	void *findings;
	va_list ap;

	va_start(ap, fmt);
	pk_buf_vprintf(&text, fmt, ap);
	va_end(ap);
	findings = text.data == NULL ? NULL :
		pk_array_grow(t->findings, &t->cap_findings, t->n_findings, sizeof *t->findings);
	if (findings == NULL) {
		pk_buf_free(&text);
		t->oom = 1;
		return;
	}
	t->findings = findings;
	one_line(text.data);
	t->findings[t->n_findings].state = state;
	t->findings[t->n_findings].text = text.data;  /* the buffer's memory */
	t->n_findings++;
}

void
pk_check_perf(struct pk_check_target *t, const char *label, double value,
              const char *uom, const struct pk_range *warn,
              const struct pk_range *crit, double min, double max)
{
	struct pk_check_perf *p;
	char *copy = strdup(label);
	void *perf = copy == NULL ? NULL :
		pk_array_grow(t->perf, &t->cap_perf, t->n_perf, sizeof *t->perf);

	if (perf == NULL) {
		free(copy);
		t->oom = 1;
		return;
	}
	t->perf = perf;
	p = &t->perf[t->n_perf++];
	memset(p, 0, sizeof *p);
	p->label = copy;
	p->value = value;
	snprintf(p->uom, sizeof p->uom, "%s", uom ? uom : "");
	if (warn != NULL)
		snprintf(p->warn, sizeof p->warn, "%s", warn->text);
	if (crit != NULL)
		snprintf(p->crit, sizeof p->crit, "%s", crit->text);
	p->min = min;
	p->max = max;
}

enum pk_check_state
pk_check_target_state(const struct pk_check_target *t)
{
	enum pk_check_state s = t->oom ? PK_CHECK_UNKNOWN : PK_CHECK_OK;
	size_t i;

	for (i = 0; i < t->n_findings; i++)
		s = pk_check_worst(s, t->findings[i].state);
	return s;
}

enum pk_check_state
pk_check_report_state(const struct pk_check_report *r)
{
	enum pk_check_state s;
	size_t i;

	if (r->n_targets == 0 || r->oom)
		return PK_CHECK_UNKNOWN;
	s = PK_CHECK_OK;
	for (i = 0; i < r->n_targets; i++)
		s = pk_check_worst(s, pk_check_target_state(&r->targets[i]));
	return s;
}

/* The texts of t's findings at its own state, joined by ", ". */
static void
target_reason(struct pk_buf *b, const struct pk_check_target *t)
{
	enum pk_check_state s = pk_check_target_state(t);
	const char *sep = "";
	size_t i;

	for (i = 0; i < t->n_findings; i++) {
		if (t->findings[i].state != s)
			continue;
		pk_buf_printf(b, "%s%s", sep, t->findings[i].text);
		sep = ", ";
	}
	if (*sep == '\0' && t->oom)
		pk_buf_adds(b, "out of memory");
}

/* At most this many targets are named per state in the fleet line; -v
 * lists them all. */
#define SUMMARY_NAMED_MAX 5

/* "98 OK, 1 WARNING (ups3@h2: on battery), ...": counts in the order of
 * the states' codes, each non-OK one followed by its targets. */
static void
fleet_summary(struct pk_buf *b, const struct pk_check_report *r)
{
	const char *sep = "";
	int s;

	for (s = PK_CHECK_OK; s <= PK_CHECK_UNKNOWN; s++) {
		size_t i, count = 0, named = 0;

		for (i = 0; i < r->n_targets; i++)
			count += pk_check_target_state(&r->targets[i]) == (enum pk_check_state)s;
		if (count == 0)
			continue;
		pk_buf_printf(b, "%s%zu %s", sep, count, state_names[s]);
		sep = ", ";
		if (s == PK_CHECK_OK)
			continue;
		pk_buf_adds(b, " (");
		for (i = 0; i < r->n_targets && named < SUMMARY_NAMED_MAX; i++) {
			const struct pk_check_target *t = &r->targets[i];
			if (pk_check_target_state(t) != (enum pk_check_state)s)
				continue;
			pk_buf_printf(b, "%s%s: ", named ? "; " : "", t->name);
			target_reason(b, t);
			named++;
		}
		if (count > named)
			pk_buf_printf(b, "; %zu more", count - named);
		pk_buf_addc(b, ')');
	}
}

/* The status line's text after "SERVICE STATE - ". */
static void
report_summary(struct pk_buf *b, const struct pk_check_report *r)
{
	if (r->n_targets == 1)
		target_reason(b, &r->targets[0]);
	else if (r->n_targets == 0)
		pk_buf_adds(b, r->oom ? "out of memory" : "nothing to check");
	else
		fleet_summary(b, r);
}

/* A perfdata label, always quoted: a quote doubled, '=' (never allowed
 * in a label) written as '_'. */
static void
perf_label(struct pk_buf *b, const char *prefix, const char *label)
{
	const char *parts[2] = { prefix, label };
	int k;

	pk_buf_addc(b, '\'');
	for (k = 0; k < 2; k++) {
		const char *s;
		if (parts[k] == NULL)
			continue;
		for (s = parts[k]; *s != '\0'; s++) {
			unsigned char c = (unsigned char)*s;
			if (c == '\'')
				pk_buf_adds(b, "''");
			else if (c == '=')
				pk_buf_addc(b, '_');
			else
				pk_buf_addc(b, c < 0x20 || c == 0x7f ? '?' : (char)c);
		}
		if (k == 0)
			pk_buf_addc(b, '/');
	}
	pk_buf_addc(b, '\'');
}

/* 'label'=value[UOM];warn;crit;min;max with trailing empty fields
 * dropped. */
static void
perf_item(struct pk_buf *b, const char *prefix, const struct pk_check_perf *p)
{
	const char *fields[2] = { p->warn, p->crit };
	double limits[2] = { p->min, p->max };
	int last, k;

	perf_label(b, prefix, p->label);
	pk_buf_addc(b, '=');
	if (isnan(p->value))
		pk_buf_addc(b, 'U');
	else
		pk_check_format_num(b, p->value);
	pk_buf_adds(b, p->uom);
	last = !isnan(p->max) ? 4 : !isnan(p->min) ? 3 : p->crit[0] ? 2 : p->warn[0] ? 1 : 0;
	for (k = 1; k <= last; k++) {
		pk_buf_addc(b, ';');
		if (k <= 2)
			pk_buf_adds(b, fields[k - 1]);
		else if (!isnan(limits[k - 3]))
			pk_check_format_num(b, limits[k - 3]);
	}
}

static void
report_perfdata(struct pk_buf *b, const struct pk_check_report *r)
{
	int several = r->n_targets > 1;
	const char *sep = " | ";
	size_t i, k;

	for (i = 0; i < r->n_targets; i++) {
		const struct pk_check_target *t = &r->targets[i];
		for (k = 0; k < t->n_perf; k++) {
			pk_buf_adds(b, sep);
			sep = " ";
			perf_item(b, several ? t->name : NULL, &t->perf[k]);
		}
	}
}

static void
long_output(struct pk_buf *b, const struct pk_check_report *r)
{
	size_t i, k;

	for (i = 0; i < r->n_targets; i++) {
		const struct pk_check_target *t = &r->targets[i];
		pk_buf_printf(b, "%s: %s - ", t->name,
		              pk_check_state_name(pk_check_target_state(t)));
		target_reason(b, t);
		pk_buf_addc(b, '\n');
		for (k = 0; k < t->n_findings; k++)
			if (t->findings[k].state != PK_CHECK_OK)
				pk_buf_printf(b, "%s: %s: %s\n", t->name,
				              state_names[t->findings[k].state & 3],
				              t->findings[k].text);
	}
}

int
pk_check_render(const struct pk_check_report *r, int verbose, struct pk_buf *out)
{
	size_t start = out->len;

	pk_buf_printf(out, "%s %s - ", r->service,
	              pk_check_state_name(pk_check_report_state(r)));
	report_summary(out, r);
	report_perfdata(out, r);
	pk_buf_addc(out, '\n');
	if (verbose)
		long_output(out, r);
	/* pk_buf keeps its contents when it cannot grow: a short result
	 * means memory ran out somewhere above. */
	return out->data != NULL && out->len > start && out->data[out->len - 1] == '\n' ? 0 : -1;
}

static void
json_perf(struct pk_json *j, const struct pk_check_perf *p)
{
	pk_json_obj_begin(j);
	pk_json_kv_str(j, "label", p->label);
	pk_json_key(j, "value");
	if (isnan(p->value))
		pk_json_null(j);
	else
		pk_json_double(j, p->value);
	if (p->uom[0])
		pk_json_kv_str(j, "uom", p->uom);
	if (p->warn[0])
		pk_json_kv_str(j, "warn", p->warn);
	if (p->crit[0])
		pk_json_kv_str(j, "crit", p->crit);
	if (!isnan(p->min))
		pk_json_kv_double(j, "min", p->min);
	if (!isnan(p->max))
		pk_json_kv_double(j, "max", p->max);
	pk_json_obj_end(j);
}

static void
json_target(struct pk_json *j, const struct pk_check_target *t)
{
	enum pk_check_state s = pk_check_target_state(t);
	struct pk_buf reason = { 0 };
	size_t k;

	target_reason(&reason, t);
	pk_json_obj_begin(j);
	pk_json_kv_str(j, "target", t->name);
	pk_json_kv_str(j, "state", pk_check_state_name(s));
	pk_json_kv_int(j, "code", s);
	pk_json_kv_str(j, "reason", pk_buf_str(&reason));
	pk_json_key(j, "findings");
	pk_json_arr_begin(j);
	for (k = 0; k < t->n_findings; k++) {
		pk_json_obj_begin(j);
		pk_json_kv_str(j, "state", pk_check_state_name(t->findings[k].state));
		pk_json_kv_str(j, "text", t->findings[k].text);
		pk_json_obj_end(j);
	}
	pk_json_arr_end(j);
	pk_json_key(j, "perfdata");
	pk_json_arr_begin(j);
	for (k = 0; k < t->n_perf; k++)
		json_perf(j, &t->perf[k]);
	pk_json_arr_end(j);
	pk_json_obj_end(j);
	pk_buf_free(&reason);
}

int
pk_check_render_json(const struct pk_check_report *r, struct pk_buf *out)
{
	enum pk_check_state s = pk_check_report_state(r);
	struct pk_buf summary = { 0 };
	struct pk_json j;
	size_t i, start = out->len;

	report_summary(&summary, r);
	pk_json_init(&j, out);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "service", r->service);
	pk_json_kv_str(&j, "state", pk_check_state_name(s));
	pk_json_kv_int(&j, "code", s);
	pk_json_kv_str(&j, "summary", pk_buf_str(&summary));
	pk_json_key(&j, "targets");
	pk_json_arr_begin(&j);
	for (i = 0; i < r->n_targets; i++)
		json_target(&j, &r->targets[i]);
	pk_json_arr_end(&j);
	pk_json_obj_end(&j);
	pk_buf_addc(out, '\n');
	pk_buf_free(&summary);
	return out->data != NULL && out->len > start && out->data[out->len - 1] == '\n' ? 0 : -1;
}
