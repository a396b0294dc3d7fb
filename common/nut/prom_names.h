/* prom_names.h — Prometheus names for NUT variables: "nut_" + the variable
 * in snake_case with dots as '_' + a base-unit suffix chosen by a small
 * rule table (Prometheus naming: one base unit per metric, plural suffix
 * such as _volts, _amperes, _seconds; the same names HON95's
 * prometheus-nut-exporter uses), percentages scaled to 0-1 ratios with a
 * _ratio suffix.  Indexes and phases become labels (outlet.3.current is
 * nut_outlet_current_amperes{outlet="3"}, input.L1-N.voltage is
 * nut_input_voltage_volts{phase="L1-N"}), and no name ends the way
 * `promtool check metrics` reserves for other metric types. */
#ifndef PK_NUTPROM_H
#define PK_NUTPROM_H

#include <stddef.h>

#define NUT_PROM_MAX_LABELS 2

struct nut_prom_label {
	char key[32];      /* "outlet", "group", "phase", ... */
	char value[64];    /* "3", "L1-N" */
};

struct nut_prom_metric {
	char name[330];    /* e.g. "nut_input_voltage_volts" */
	const char *type;  /* "gauge", or "counter" for a device's event counter */
	const char *value; /* the sample value: the variable's, or scaled */
	char scaled[64];   /* a ratio's value (value points here) */
	char help[400];    /* "NUT variable outlet.<outlet>.current (amperes)" */
	struct nut_prom_label label[NUT_PROM_MAX_LABELS];
	size_t nlabel;
};

/* The metric for a quantity (a numeric value, see nut_is_quantity):
 * the first rule that matches var gives the unit suffix and scale; a
 * variable no rule matches keeps the unit-less name and its value. */
void nut_prom_metric(const char *var, const char *value, struct nut_prom_metric *m);

/* The base-unit word nut_prom_metric gives var's name ("volts",
 * "ratio", "seconds"...), or NULL for a unit-less name; without building
 * the name, for callers that only need the unit. */
const char *nut_prom_unit(const char *var);

/* Label i of m as pk_prom_sample's key and value arguments; the key is
 * NULL past the last label, which ends pk_prom_sample's list. */
const char *nut_prom_label_key(const struct nut_prom_metric *m, size_t i);
const char *nut_prom_label_value(const struct nut_prom_metric *m, size_t i);

#endif
