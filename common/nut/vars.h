/* vars.h — what NUT says about a variable (GET TYPE, LIST ENUM,
 * LIST RANGE, GET DESC), client-side validation of a new value against
 * it, and the typing rule for JSON and Prometheus output. */
#ifndef PK_NUTVAL_H
#define PK_NUTVAL_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

struct nut_words;

/* GET TYPE reply words after "TYPE <ups> <var>": in this fixed order RW
 * if writable, ENUM, RANGE if those lists exist, then exactly one of
 * STRING:<n> or NUMBER.  upsd says NUMBER for anything not flagged STRING,
 * read-only text like driver.name included, so NUMBER does not promise a
 * number; RANGE bounds are integers that upsd compares with atoi(). */
struct nut_type {
	int known;       /* a TYPE reply was parsed (0: server has no GET TYPE) */
	int rw, is_enum, is_range, is_string;
	long maxlen;     /* STRING:n; -1 for a bare STRING (no limit); else 0 */
};

#define NUT_MAX_RANGES 16

struct nut_varinfo {
	char *name;
	char *value;               /* current value, or NULL */
	char *desc;                /* GET DESC text, or NULL */
	struct nut_type type;
	struct pk_buf enums;       /* ENUM values, each NUL-terminated */
	size_t nenum;
	long range[NUT_MAX_RANGES][2];
	size_t nrange;
	struct pk_err err;         /* per-variable failure (status 0 = fine) */
};

/* Parses "TYPE ups var WORD..." into t.  Returns 0, or -1 when the reply
 * has no type word it knows (t->known stays 0). */
int nut_type_parse(const struct nut_words *w, struct nut_type *t);

/* "ENUM STRING", "RANGE NUMBER", ... as upsrw prints it after "Type: ". */
void nut_type_name(const struct nut_type *t, char *out, size_t outlen);

int nut_varinfo_add_enum(struct nut_varinfo *vi, const char *value);
void nut_varinfo_free(struct nut_varinfo *vi);

/* Checks value against what the server said of the variable: ENUM
 * membership, RANGE bounds (integers, as upsd compares with atoi),
 * STRING:n length, NUMBER syntax.  Variables that are not writable or
 * of unknown type are left to the server.  Returns 0 or PK_EUSAGE with
 * a message naming the allowed values. */
int nut_validate(const struct nut_varinfo *vi, const char *value, struct pk_err *err);

/* The JSON/Prometheus typing rule: a value is a number when
 * pk_json_is_number() accepts its text AND the variable names a
 * quantity — no component of its name is an identifier word (serial,
 * id, model, mfr, firmware, version, date, type, name, ...). */
int nut_is_quantity(const char *name, const char *value);

/* Writes value as a JSON number or string by nut_is_quantity(). */
void nut_json_value(struct pk_json *j, const char *name, const char *value);

/* Writes ups.status as a JSON array of its space-separated flags. */
void nut_json_flags(struct pk_json *j, const char *status);

#endif
