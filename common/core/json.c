#include "core/json.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void
pk_json_init(struct pk_json *j, struct pk_buf *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
}

/* Emits the comma before a value when needed. */
static void
json_sep(struct pk_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0 && j->depth <= PK_JSON_MAX_DEPTH) {
		if (j->has_items[j->depth - 1])
			pk_buf_addc(j->out, ',');
		j->has_items[j->depth - 1] = 1;
	}
}

static void
json_open(struct pk_json *j, char c)
{
	json_sep(j);
	pk_buf_addc(j->out, c);
	if (j->depth < PK_JSON_MAX_DEPTH)
		j->has_items[j->depth] = 0;
	j->depth++;
}

static void
json_close(struct pk_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	pk_buf_addc(j->out, c);
}

void pk_json_obj_begin(struct pk_json *j) { json_open(j, '{'); }
void pk_json_obj_end(struct pk_json *j) { json_close(j, '}'); }
void pk_json_arr_begin(struct pk_json *j) { json_open(j, '['); }
void pk_json_arr_end(struct pk_json *j) { json_close(j, ']'); }

static void
json_escaped(struct pk_buf *b, const char *s, size_t n)
{
	size_t i;

	pk_buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': pk_buf_adds(b, "\\\""); break;
		case '\\': pk_buf_adds(b, "\\\\"); break;
		case '\n': pk_buf_adds(b, "\\n"); break;
		case '\r': pk_buf_adds(b, "\\r"); break;
		case '\t': pk_buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				pk_buf_printf(b, "\\u%04x", c);
			else
				pk_buf_addc(b, (char)c);
		}
	}
	pk_buf_addc(b, '"');
}

void
pk_json_key(struct pk_json *j, const char *key)
{
	json_sep(j);
	json_escaped(j->out, key, strlen(key));
	pk_buf_addc(j->out, ':');
	j->after_key = 1;
}

void
pk_json_strn(struct pk_json *j, const char *s, size_t n)
{
	json_sep(j);
	json_escaped(j->out, s, n);
}

void
pk_json_str(struct pk_json *j, const char *s)
{
	pk_json_strn(j, s, strlen(s));
}

void
pk_json_int(struct pk_json *j, long long v)
{
	json_sep(j);
	pk_buf_printf(j->out, "%lld", v);
}

void
pk_json_double(struct pk_json *j, double v)
{
	json_sep(j);
	if (v != v || v > 1e308 || v < -1e308)
		pk_buf_adds(j->out, "null");
	else
		pk_buf_printf(j->out, "%.15g", v);
}

void
pk_json_bool(struct pk_json *j, int v)
{
	json_sep(j);
	pk_buf_adds(j->out, v ? "true" : "false");
}

void
pk_json_null(struct pk_json *j)
{
	json_sep(j);
	pk_buf_adds(j->out, "null");
}

void
pk_json_kv_str(struct pk_json *j, const char *key, const char *s)
{
	pk_json_key(j, key);
	pk_json_str(j, s);
}

void
pk_json_kv_int(struct pk_json *j, const char *key, long long v)
{
	pk_json_key(j, key);
	pk_json_int(j, v);
}

void
pk_json_kv_double(struct pk_json *j, const char *key, double v)
{
	pk_json_key(j, key);
	pk_json_double(j, v);
}

void
pk_json_kv_bool(struct pk_json *j, const char *key, int v)
{
	pk_json_key(j, key);
	pk_json_bool(j, v);
}

void
pk_json_raw_number(struct pk_json *j, const char *num)
{
	json_sep(j);
	pk_buf_adds(j->out, num);
}

void
pk_json_auto(struct pk_json *j, const char *value)
{
	if (pk_json_is_number(value))
		pk_json_raw_number(j, value);
	else
		pk_json_str(j, value);
}

int
pk_decimal_syntax(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return 0;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

int
pk_json_is_number(const char *s)
{
	const char *digits = s[0] == '-' ? s + 1 : s;

	if (!pk_decimal_syntax(s))
		return 0;
	if (digits[0] == '0' && isdigit((unsigned char)digits[1]))
		return 0;  /* "024": a code or serial, not a quantity */
	return strlen(s) <= 20;  /* longer digit runs are identifiers, not quantities */
}

void
pk_json_error_value(struct pk_json *j, const struct pk_err *err)
{
	pk_json_obj_begin(j);
	pk_json_kv_int(j, "status", err->status);
	pk_json_kv_str(j, "kind", err->kind[0] ? err->kind : pk_status_name(err->status));
	pk_json_kv_str(j, "message", err->msg);
	pk_json_obj_end(j);
}
