/* core/prom.h — Prometheus text exposition (for the node_exporter textfile
 * collector): HELP/TYPE headers and samples with escaped labels. */
#ifndef PK_PROM_H
#define PK_PROM_H

#include "core/buf.h"

/* "# HELP name help\n# TYPE name type\n" */
void pk_prom_header(struct pk_buf *b, const char *name, const char *help,
                    const char *type);

/* "name{k1="v1",k2="v2"} value\n"; the label list is pairs of strings
 * ending in NULL.  value is number text (e.g. from pk_json_is_number
 * checked data) or formatted by the caller. */
void pk_prom_sample(struct pk_buf *b, const char *name, const char *value, ...);

/* Appends s with Prometheus label escaping (\\, \", \n). */
void pk_prom_escape(struct pk_buf *b, const char *s);

/* Turns "battery.charge" into "battery_charge" (any byte outside
 * [a-zA-Z0-9_] becomes '_'), into out. */
void pk_prom_name(const char *in, char *out, size_t outlen);

#endif
