/* core/json.h — a small streaming JSON writer into a pk_buf (compact output,
 * commas and nesting tracked for the caller), and the number rule. */
#ifndef PK_JSON_H
#define PK_JSON_H

#include "core/buf.h"
#include "core/err.h"

#define PK_JSON_MAX_DEPTH 32

/* One key per name in every object: a key already written in the same
 * object (a device that sends a variable twice) leaves out the repeated
 * member, value and all, and counts it in dropped; the first one stays.
 * The keys seen are kept until the outermost value is closed. */
struct pk_json {
	struct pk_buf *out;
	int depth;
	unsigned char has_items[PK_JSON_MAX_DEPTH];
	int after_key;
	unsigned long obj_serial[PK_JSON_MAX_DEPTH];  /* which object is open at a depth */
	unsigned long objects;                        /* objects opened so far */
	unsigned long long *seen;                     /* hashes of (object, key) */
	size_t nseen, capseen;
	int dropping, drop_depth;  /* a repeated member is being written, to be cut */
	size_t drop_at;
	unsigned char drop_had_items;
	unsigned dropped;          /* repeated keys left out */
};

void pk_json_init(struct pk_json *j, struct pk_buf *out);
void pk_json_obj_begin(struct pk_json *j);
void pk_json_obj_end(struct pk_json *j);
void pk_json_arr_begin(struct pk_json *j);
void pk_json_arr_end(struct pk_json *j);
void pk_json_key(struct pk_json *j, const char *key);
void pk_json_str(struct pk_json *j, const char *s);
void pk_json_strn(struct pk_json *j, const char *s, size_t n);
void pk_json_int(struct pk_json *j, long long v);
void pk_json_double(struct pk_json *j, double v);
void pk_json_bool(struct pk_json *j, int v);
void pk_json_null(struct pk_json *j);
/* A member "key": value in one call (pk_json_key, then the value). */
void pk_json_kv_str(struct pk_json *j, const char *key, const char *s);
void pk_json_kv_int(struct pk_json *j, const char *key, long long v);
void pk_json_kv_double(struct pk_json *j, const char *key, double v);
void pk_json_kv_bool(struct pk_json *j, const char *key, int v);
/* Writes a typed error as an object {"status":N,"kind":"WORD","message":".."}
 * (kind falls back to the status's name): the value of the current key. */
void pk_json_error_value(struct pk_json *j, const struct pk_err *err);
/* Writes number text verbatim; the caller checked pk_json_is_number(). */
void pk_json_raw_number(struct pk_json *j, const char *num);
/* A string when the text is not a plain decimal number, else a number. */
void pk_json_auto(struct pk_json *j, const char *value);

/* 1 when s is a plain decimal: optional '-', digits, optional '.' and
 * digits ("024" and "-0.50" count; "1e3", ".5", "5.", "+5" do not).  NUT
 * writes numbers this way; it is also the base of the JSON rule below. */
int pk_decimal_syntax(const char *s);

/* Reads a device's reading strictly: a plain decimal (pk_decimal_syntax)
 * of at most PK_READING_MAX characters, so never an exponent, hex,
 * "inf" or "nan", and always finite.  Returns 0, or -1 with *out
 * untouched. */
#define PK_READING_MAX 20
int pk_reading_parse(const char *s, double *out);

/* 1 when s is a plain decimal number that JSON can carry unchanged and
 * that reads back as the same text: optional '-', digits without a
 * leading zero (except "0" itself), optional '.' and digits.  "024",
 * "1.02a", "+5", "1e3", ".5", "5." are not. */
int pk_json_is_number(const char *s);

#endif
