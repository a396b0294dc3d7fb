#include "core/json.h"

#include "core/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Called when a value is complete: a repeated member ends here and is cut
 * off again, the comma before it included. */
static void
json_value_done(struct pk_json *j)
{
	if (!j->dropping || j->depth != j->drop_depth)
		return;
	j->out->len = j->drop_at;
	if (j->out->data != NULL)
		j->out->data[j->out->len] = '\0';
	j->has_items[j->depth - 1] = j->drop_had_items;
	j->dropping = 0;
}

static void
json_open(struct pk_json *j, char c)
{
	json_sep(j);
	pk_buf_addc(j->out, c);
	if (j->depth < PK_JSON_MAX_DEPTH) {
		j->has_items[j->depth] = 0;
		j->obj_serial[j->depth] = c == '{' ? ++j->objects : 0;
	}
	j->depth++;
}

static void
json_close(struct pk_json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	pk_buf_addc(j->out, c);
	if (j->depth == 0) {
		free(j->seen);
		j->seen = NULL;
		j->nseen = j->capseen = 0;
	}
	json_value_done(j);
}

/* FNV-1a over the object's serial and the key; never 0 (the empty slot). */
static unsigned long long
key_hash(unsigned long serial, const char *key)
{
	unsigned long long h = 14695981039346656037ull;
	const unsigned char *p = (const unsigned char *)key;
	int i;

	for (i = 0; i < (int)sizeof serial; i++) {
		h ^= (serial >> (8 * i)) & 0xff;
		h *= 1099511628211ull;
	}
	for (; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static int
seen_insert(unsigned long long *tab, size_t cap, unsigned long long h)
{
	size_t i = (size_t)(h % cap);

	while (tab[i] != 0) {
		if (tab[i] == h)
			return 1;
		i = (i + 1) % cap;
	}
	tab[i] = h;
	return 0;
}

/* 1 when key was already written in the object open at this depth. */
static int
key_repeated(struct pk_json *j, const char *key)
{
	unsigned long long h;

	if (j->depth < 1 || j->depth > PK_JSON_MAX_DEPTH)
		return 0;
	if (2 * (j->nseen + 1) > j->capseen) {
		size_t cap = j->capseen ? 2 * j->capseen : 64, i;
		unsigned long long *tab = calloc(cap, sizeof *tab);

		if (tab == NULL)
			return 0;  /* out of memory: no check rather than no output */
		for (i = 0; i < j->capseen; i++)
			if (j->seen[i] != 0)
				seen_insert(tab, cap, j->seen[i]);
		free(j->seen);
		j->seen = tab;
		j->capseen = cap;
	}
	h = key_hash(j->obj_serial[j->depth - 1], key);
	if (seen_insert(j->seen, j->capseen, h))
		return 1;
	j->nseen++;
	return 0;
}

void pk_json_obj_begin(struct pk_json *j) { json_open(j, '{'); }
void pk_json_obj_end(struct pk_json *j) { json_close(j, '}'); }
void pk_json_arr_begin(struct pk_json *j) { json_open(j, '['); }
void pk_json_arr_end(struct pk_json *j) { json_close(j, ']'); }

/* A JSON string, always valid UTF-8: control characters (C0, DEL and
 * the C1 range) as \uXXXX, every byte that is not part of valid UTF-8
 * replaced by U+FFFD (devices send Latin-1 names; JSON readers such as
 * Python's json refuse the raw bytes). */
static void
json_escaped(struct pk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;
	unsigned long c;

	pk_buf_addc(b, '"');
	while (i < n) {
		len = pk_utf8_seq(p + i, n - i, &c);
		if (len == 0) {
			pk_buf_adds(b, "\\ufffd");
			i++;
			continue;
		}
		if (c == '"')
			pk_buf_adds(b, "\\\"");
		else if (c == '\\')
			pk_buf_adds(b, "\\\\");
		else if (c == '\n')
			pk_buf_adds(b, "\\n");
		else if (c == '\r')
			pk_buf_adds(b, "\\r");
		else if (c == '\t')
			pk_buf_adds(b, "\\t");
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
			pk_buf_printf(b, "\\u%04lx", c);
		else
			pk_buf_add(b, s + i, len);
		i += len;
	}
	pk_buf_addc(b, '"');
}

void
pk_json_key(struct pk_json *j, const char *key)
{
	if (!j->dropping && key_repeated(j, key)) {
		j->dropping = 1;
		j->drop_depth = j->depth;
		j->drop_at = j->out->len;
		j->drop_had_items = j->has_items[j->depth - 1];
		j->dropped++;
	}
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
	json_value_done(j);
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
	json_value_done(j);
}

void
pk_json_double(struct pk_json *j, double v)
{
	json_sep(j);
	if (v != v || v > 1e308 || v < -1e308)
		pk_buf_adds(j->out, "null");
	else
		pk_buf_printf(j->out, "%.15g", v);
	json_value_done(j);
}

void
pk_json_bool(struct pk_json *j, int v)
{
	json_sep(j);
	pk_buf_adds(j->out, v ? "true" : "false");
	json_value_done(j);
}

void
pk_json_null(struct pk_json *j)
{
	json_sep(j);
	pk_buf_adds(j->out, "null");
	json_value_done(j);
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
	json_value_done(j);
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
pk_reading_parse(const char *s, double *out)
{
	if (strlen(s) > PK_READING_MAX || !pk_decimal_syntax(s))
		return -1;
	*out = strtod(s, NULL);
	return 0;
}

int
pk_json_is_number(const char *s)
{
	const char *digits = s[0] == '-' ? s + 1 : s;
	size_t ndigits = 0;

	if (!pk_decimal_syntax(s))
		return 0;
	if (digits[0] == '0' && isdigit((unsigned char)digits[1]))
		return 0;  /* "024": a code or serial, not a quantity */
	for (; *digits != '\0'; digits++)
		ndigits += isdigit((unsigned char)*digits) != 0;
	return ndigits <= 20;  /* longer digit runs are identifiers, not quantities */
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
