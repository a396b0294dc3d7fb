/* core/prom.h — Prometheus text exposition (for the node_exporter textfile
 * collector): HELP/TYPE headers and samples with escaped labels.  The
 * output stays valid whatever a device sends: metric names are
 * sanitised, HELP text and label values escaped and made valid UTF-8,
 * and pk_prom_tidy merges repeated families and series. */
#ifndef PK_PROM_H
#define PK_PROM_H

#include <stddef.h>

#include "core/buf.h"

/* "# HELP name help\n# TYPE name type\n" */
void pk_prom_header(struct pk_buf *b, const char *name, const char *help,
                    const char *type);

/* "name{k1="v1",k2="v2"} value\n"; the label list is pairs of strings
 * ending in NULL.  value is number text (e.g. from pk_json_is_number
 * checked data) or formatted by the caller. */
void pk_prom_sample(struct pk_buf *b, const char *name, const char *value, ...);

/* Appends s as a label value: \\, \" and \n escaped, other control
 * characters (C0, DEL, C1) and bytes that are not valid UTF-8 replaced
 * by U+FFFD. */
void pk_prom_escape(struct pk_buf *b, const char *s);

/* Turns "battery.charge" into "battery_charge" (any byte outside
 * [a-zA-Z0-9_] becomes '_'), into out. */
void pk_prom_name(const char *in, char *out, size_t outlen);

/* Makes a rendered exposition valid when a device repeated itself (a
 * variable sent twice, two names that sanitise alike): each family once,
 * with its first HELP and TYPE and all its samples together, and each
 * series (name and labels) once, the first kept.  Returns how many
 * samples were left out; the first one's series goes to first_dup
 * (when not NULL) for the warning. */
size_t pk_prom_tidy(struct pk_buf *b, char *first_dup, size_t duplen);

#endif
