#include "nut/prom_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/prom.h"

enum match { WHOLE_PREFIX, COMPONENT };

/* WHOLE_PREFIX: var is pattern or starts with "pattern.";
 * COMPONENT: one dot-separated component of var is pattern. */
struct unit_rule {
	enum match how;
	const char *pattern;
	const char *suffix;   /* appended as "_suffix" */
	int percent;          /* the value is a percentage: divided by 100 */
};

/* First match wins, so the percentages come before the components. */
static const struct unit_rule rules[] = {
	{ WHOLE_PREFIX, "battery.charge", "ratio", 1 },
	{ WHOLE_PREFIX, "ups.load", "ratio", 1 },
	{ COMPONENT, "voltage", "volts", 0 },
	{ COMPONENT, "current", "amperes", 0 },
	{ COMPONENT, "frequency", "hertz", 0 },
	{ COMPONENT, "realpower", "watts", 0 },
	{ COMPONENT, "power", "voltamperes", 0 },
	{ COMPONENT, "temperature", "celsius", 0 },
	{ COMPONENT, "runtime", "seconds", 0 },
	{ COMPONENT, "delay", "seconds", 0 },
	{ COMPONENT, "timer", "seconds", 0 },
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

void
nut_prom_metric(const char *var, const char *value, struct nut_prom_metric *m)
{
	const struct unit_rule *r = find_rule(var);
	char base[300];

	pk_prom_name(var, base, sizeof base);
	if (r == NULL) {
		snprintf(m->name, sizeof m->name, "nut_%s", base);
		m->value = value;
		snprintf(m->help, sizeof m->help, "NUT variable %s", var);
		return;
	}
	snprintf(m->name, sizeof m->name, "nut_%s_%s", base, r->suffix);
	if (r->percent) {
		/* 15 significant digits give back the decimal a percentage had. */
		snprintf(m->scaled, sizeof m->scaled, "%.15g", strtod(value, NULL) / 100.0);
		m->value = m->scaled;
		snprintf(m->help, sizeof m->help, "NUT variable %s (percent / 100)", var);
	} else {
		m->value = value;
		snprintf(m->help, sizeof m->help, "NUT variable %s (%s)", var, r->suffix);
	}
}
