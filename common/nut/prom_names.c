#include "nut/prom_names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum match { WHOLE_PREFIX, COMPONENT };

/* WHOLE_PREFIX: var is pattern or starts with "pattern.";
 * COMPONENT: one dot-separated component of var is pattern. */
struct unit_rule {
	enum match how;
	const char *pattern;
	const char *suffix;   /* appended as "_suffix" */
	int percent;          /* the value is a percentage: divided by 100 */
	int drop_word;        /* the component is the unit itself: left out */
};

/* First match wins, so the percentages come before the components
 * ("output.power.percent" is a ratio, not volt-amperes). */
static const struct unit_rule rules[] = {
	{ COMPONENT, "percent", "ratio", 1, 1 },
	{ WHOLE_PREFIX, "battery.charge", "ratio", 1, 0 },
	{ COMPONENT, "load", "ratio", 1, 0 },
	{ COMPONENT, "humidity", "ratio", 1, 0 },
	{ COMPONENT, "voltage", "volts", 0, 0 },
	{ COMPONENT, "current", "amperes", 0, 0 },
	{ COMPONENT, "frequency", "hertz", 0, 0 },
	{ COMPONENT, "realpower", "watts", 0, 0 },
	{ COMPONENT, "power", "voltamperes", 0, 0 },
	{ COMPONENT, "temperature", "celsius", 0, 0 },
	{ COMPONENT, "runtime", "seconds", 0, 0 },
	{ COMPONENT, "delay", "seconds", 0, 0 },
	{ COMPONENT, "timer", "seconds", 0, 0 },
};

/* Label names the output already uses, or that Prometheus reserves for
 * histograms and summaries: an index after such a word stays in the name. */
static const char *const reserved_keys[] = { "ups", "server", "flag", "le", "quantile" };

/* Metric type words: promtool refuses them inside a metric name. */
static const char *const type_words[] = { "counter", "gauge", "summary", "histogram" };

/* Suffixes promtool reserves for counters, summaries and histograms. */
static const char *const reserved_suffixes[] = { "_total", "_sum", "_bucket", "_count" };

/* The variable cut into components: those that stay in the name, and the
 * help pattern (var with each labelled component as "<key>"). */
#define MAX_PARTS 160

struct parts {
	char buf[320];            /* var, a NUL after each component */
	char *part[MAX_PARTS];    /* the components kept in the name */
	size_t n;
	char plural[72];          /* "outlets" for outlet.count */
	char pattern[330];
};

static int
has_component(const char *var, const char *word)
{
	size_t wl = strlen(word);
	const char *p = var;

	for (;;) {
		size_t len = strcspn(p, ".");

		if (len == wl && strncmp(p, word, wl) == 0)
			return 1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

static int
rule_matches(const struct unit_rule *r, const char *var)
{
	size_t pl = strlen(r->pattern);

	if (r->how == COMPONENT)
		return has_component(var, r->pattern);
	return strncmp(var, r->pattern, pl) == 0 && (var[pl] == '\0' || var[pl] == '.');
}

static const struct unit_rule *
find_rule(const char *var)
{
	size_t i;

	for (i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rule_matches(&rules[i], var))
			return &rules[i];
	return NULL;
}

static int
in_list(const char *word, size_t len, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(word, list[i], len) == 0)
			return 1;
	return 0;
}

/* Appends in to out (at *off, bounded by outlen) in snake_case: '_' before
 * an upper-case letter that follows a lower-case one or a digit
 * ("numOfBytesFromUPS" is "num_of_bytes_from_ups"), everything lower case,
 * any byte outside [a-z0-9_] as '_'. */
static void
snake_append(const char *in, char *out, size_t outlen, size_t *off)
{
	size_t i;

	for (i = 0; in[i] != '\0' && *off + 2 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];
		unsigned char prev = i > 0 ? (unsigned char)in[i - 1] : 0;

		if (isupper(c) && (islower(prev) || isdigit(prev)))
			out[(*off)++] = '_';
		out[(*off)++] = isalnum(c) ? (char)tolower(c) : '_';
	}
	out[*off] = '\0';
}

/* An outlet, group or sensor number: digits only. */
static int
is_index(const char *s)
{
	size_t i;

	for (i = 0; isdigit((unsigned char)s[i]); i++)
		;
	return i > 0 && s[i] == '\0';
}

/* A phase or line-to-line/line-to-neutral pair: L1, L2-N, L3-L1. */
static int
is_phase(const char *s)
{
	if (s[0] != 'L' || s[1] < '1' || s[1] > '3')
		return 0;
	if (s[2] == '\0')
		return 1;
	if (s[2] != '-')
		return 0;
	return strcmp(s + 3, "N") == 0 ||
	       (s[3] == 'L' && s[4] >= '1' && s[4] <= '3' && s[5] == '\0');
}

/* Adds label key=value to m when key makes a usable, unused label name
 * (a word starting with a letter, not one the output uses otherwise).
 * Returns 0, or -1: the component then stays in the name. */
static int
add_label(struct nut_prom_metric *m, const char *raw_key, const char *value)
{
	struct nut_prom_label *l = &m->label[m->nlabel];
	size_t off = 0, i;

	if (m->nlabel == NUT_PROM_MAX_LABELS || !isalpha((unsigned char)raw_key[0]) ||
	    strlen(raw_key) >= sizeof l->key || strlen(value) >= sizeof l->value)
		return -1;
	snake_append(raw_key, l->key, sizeof l->key, &off);
	if (in_list(l->key, off, reserved_keys, sizeof reserved_keys / sizeof reserved_keys[0]))
		return -1;
	for (i = 0; i < m->nlabel; i++)
		if (strcmp(m->label[i].key, l->key) == 0)
			return -1;
	snprintf(l->value, sizeof l->value, "%s", value);
	m->nlabel++;
	return 0;
}

static void
pattern_append(struct parts *p, const char *comp, int as_label)
{
	size_t off = strlen(p->pattern);

	snprintf(p->pattern + off, sizeof p->pattern - off, "%s%s%s%s", off ? "." : "",
	         as_label ? "<" : "", comp, as_label ? ">" : "");
}

/* Cuts var into components: a phase becomes label "phase", an index a
 * label named by the component before it (outlet.3 -> outlet="3",
 * outlet.group.2 -> group="2"); the others stay in the name. */
static void
split_var(const char *var, struct nut_prom_metric *m, struct parts *p)
{
	char *s, *next;
	const char *prev = NULL;

	snprintf(p->buf, sizeof p->buf, "%s", var);
	p->n = 0;
	p->pattern[0] = '\0';
	for (s = p->buf; s != NULL; s = next) {
		const char *key = NULL;

		next = strchr(s, '.');
		if (next != NULL)
			*next++ = '\0';
		if (is_phase(s))
			key = "phase";
		else if (is_index(s) && prev != NULL)
			key = prev;
		if (key != NULL && add_label(m, key, s) == 0) {
			pattern_append(p, m->label[m->nlabel - 1].key, 1);
			prev = NULL;
			continue;
		}
		pattern_append(p, s, 0);
		if (p->n < MAX_PARTS)
			p->part[p->n++] = s;
		prev = s;
	}
}

/* A device's event counter (experimental.statistics.discharge_counter):
 * the word "counter" is dropped and the metric is a counter, whose name
 * ends in _total.  Returns 1 when the variable is one. */
static int
take_counter(struct parts *p)
{
	char *last = p->part[p->n - 1];
	size_t len = strlen(last);

	if (strcmp(last, "counter") == 0 && p->n > 1) {
		p->n--;
		return 1;
	}
	if (len > 8 && strcmp(last + len - 8, "_counter") == 0) {
		last[len - 8] = '\0';
		return 1;
	}
	return 0;
}

/* "X.count" is a number of Xs: outlet.count is nut_outlets,
 * input.count nut_inputs; outlet.group.N.count counts the outlets of
 * group N (nut_outlet_group_outlets{group="N"}). */
static void
take_count(struct parts *p)
{
	if (p->n < 2 || strcmp(p->part[p->n - 1], "count") != 0)
		return;
	p->n--;
	if (strcmp(p->pattern, "outlet.group.<group>.count") == 0) {
		snprintf(p->plural, sizeof p->plural, "outlets");
		p->part[p->n++] = p->plural;
		return;
	}
	snprintf(p->plural, sizeof p->plural, "%ss", p->part[p->n - 1]);
	p->part[p->n - 1] = p->plural;
}

static void
drop_part(struct parts *p, const char *word)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (strcmp(p->part[i], word) == 0) {
			memmove(&p->part[i], &p->part[i + 1], (p->n - i - 1) * sizeof p->part[0]);
			p->n--;
			return;
		}
	}
}

static void
join_parts(const struct parts *p, char sep, char *out, size_t outlen)
{
	size_t i, off = 0;

	out[0] = '\0';
	for (i = 0; i < p->n && off + 1 < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%s", i ? (sep == '.' ? "." : "_") : "",
		                        p->part[i]);
}

/* "nut_" + the parts in snake_case + "_suffix"; a type word inside gets
 * an 's' (promtool refuses "counter" in a gauge's name), and a gauge
 * never ends in a suffix reserved for other types (then "_value"). */
static void
build_name(const struct parts *p, const char *suffix, int counter, struct nut_prom_metric *m)
{
	char joined[330], snake[330];
	size_t off = 0, len, i;
	const char *w;

	join_parts(p, '_', joined, sizeof joined);
	snake_append(joined, snake, sizeof snake, &off);
	off = (size_t)snprintf(m->name, sizeof m->name, "nut");
	for (w = snake; *w != '\0' && off + 1 < sizeof m->name; w += len + (w[len] == '_')) {
		len = strcspn(w, "_");
		off += (size_t)snprintf(m->name + off, sizeof m->name - off, "_%.*s%s", (int)len, w,
		                        in_list(w, len, type_words,
		                                sizeof type_words / sizeof type_words[0]) ? "s" : "");
	}
	if (suffix != NULL && off + 1 < sizeof m->name)
		off += (size_t)snprintf(m->name + off, sizeof m->name - off, "_%s", suffix);
	for (i = 0; !counter && i < sizeof reserved_suffixes / sizeof reserved_suffixes[0]; i++) {
		size_t sl = strlen(reserved_suffixes[i]);

		if (off >= sl && off < sizeof m->name && strcmp(m->name + off - sl, reserved_suffixes[i]) == 0) {
			snprintf(m->name + off, sizeof m->name - off, "_value");
			break;
		}
	}
}

void
nut_prom_metric(const char *var, const char *value, struct nut_prom_metric *m)
{
	struct parts p;
	const struct unit_rule *r = NULL;
	char dotted[330];

	memset(m, 0, sizeof *m);
	m->type = "gauge";
	m->value = value;
	split_var(var, m, &p);
	if (p.n == 0) {
		/* Nothing but indexes: the name keeps them. */
		snprintf(p.buf, sizeof p.buf, "%s", var);
		p.part[0] = p.buf;
		p.n = 1;
		snprintf(p.pattern, sizeof p.pattern, "%s", var);
		m->nlabel = 0;
	}
	if (take_counter(&p)) {
		m->type = "counter";
		build_name(&p, "total", 1, m);
		snprintf(m->help, sizeof m->help, "NUT variable %s (events counted by the device)",
		         p.pattern);
		return;
	}
	take_count(&p);
	join_parts(&p, '.', dotted, sizeof dotted);
	r = find_rule(dotted);
	if (r != NULL && r->drop_word && p.n > 1)
		drop_part(&p, r->pattern);
	build_name(&p, r ? r->suffix : NULL, 0, m);
	if (r == NULL) {
		snprintf(m->help, sizeof m->help, "NUT variable %s", p.pattern);
	} else if (r->percent) {
		/* 15 significant digits give back the decimal a percentage had. */
		snprintf(m->scaled, sizeof m->scaled, "%.15g", strtod(value, NULL) / 100.0);
		m->value = m->scaled;
		snprintf(m->help, sizeof m->help, "NUT variable %s (percent / 100)", p.pattern);
	} else {
		snprintf(m->help, sizeof m->help, "NUT variable %s (%s)", p.pattern, r->suffix);
	}
}

/* The last component of var that stays in the name, and how many do:
 * indexes and phases become labels (outlet.3 ends in "outlet"). */
static const char *
last_named_component(const char *var, size_t *len, size_t *named)
{
	char comp[320];
	const char *p = var, *last = NULL;

	*len = 0;
	*named = 0;
	for (;;) {
		size_t n = strcspn(p, "."), kept = n < sizeof comp ? n : sizeof comp - 1;

		memcpy(comp, p, kept);
		comp[kept] = '\0';
		if (!is_index(comp) && !is_phase(comp)) {
			last = p;
			*len = n;
			(*named)++;
		}
		if (p[n] == '\0')
			return last;
		p += n + 1;
	}
}

const char *
nut_prom_unit(const char *var)
{
	const struct unit_rule *r;
	size_t len, named;
	const char *last = last_named_component(var, &len, &named);

	/* A device's event counter is a unit-less _total (see take_counter). */
	if (last != NULL && ((len == 7 && strncmp(last, "counter", 7) == 0 && named > 1) ||
	                     (len > 8 && strncmp(last + len - 8, "_counter", 8) == 0)))
		return NULL;
	r = find_rule(var);
	return r != NULL ? r->suffix : NULL;
}

const char *
nut_prom_label_key(const struct nut_prom_metric *m, size_t i)
{
	return i < m->nlabel ? m->label[i].key : NULL;
}

const char *
nut_prom_label_value(const struct nut_prom_metric *m, size_t i)
{
	return i < m->nlabel ? m->label[i].value : NULL;
}
