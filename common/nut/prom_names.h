/* prom_names.h — Prometheus names for NUT variables: "nut_" + the variable
 * with dots as '_' + a base-unit suffix chosen by a small rule table
 * (Prometheus naming: one base unit per metric, plural suffix such as
 * _volts, _amperes, _seconds; the same names HON95's prometheus-nut-
 * exporter uses), percentages scaled to 0-1 ratios with a _ratio suffix. */
#ifndef PK_NUTPROM_H
#define PK_NUTPROM_H

#include <stddef.h>

struct nut_prom_metric {
	char name[330];    /* e.g. "nut_input_voltage_volts" */
	const char *value; /* the sample value: the variable's, or scaled */
	char scaled[64];   /* a ratio's value (value points here) */
	char help[400];    /* "NUT variable input.voltage (volts)" */
};

/* The metric for a quantity (a numeric value, see nut_is_quantity):
 * the first rule that matches var gives the unit suffix and scale; a
 * variable no rule matches keeps the unit-less name and its value. */
void nut_prom_metric(const char *var, const char *value, struct nut_prom_metric *m);

#endif
