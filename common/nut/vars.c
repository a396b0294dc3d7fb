#include "nut/vars.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nut/client.h"

int
nut_type_parse(const struct nut_words *w, struct nut_type *t)
{
	size_t i;

	memset(t, 0, sizeof *t);
	if (w->n < 4 || strcmp(w->w[0], "TYPE") != 0)
		return -1;
	for (i = 3; i < w->n; i++) {
		const char *word = w->w[i];

		if (strcmp(word, "RW") == 0)
			t->rw = 1;
		else if (strcmp(word, "ENUM") == 0)
			t->is_enum = 1;
		else if (strcmp(word, "RANGE") == 0)
			t->is_range = 1;
		else if (strcmp(word, "NUMBER") == 0)
			t->known = 1;
		else if (strcmp(word, "STRING") == 0) {
			/* ESPHome: a string with no length limit. */
			t->is_string = 1;
			t->maxlen = -1;
			t->known = 1;
		}
		else if (strncmp(word, "STRING:", 7) == 0) {
			char *end;
			long n;

			errno = 0;
			n = strtol(word + 7, &end, 10);
			if (end == word + 7 || *end != '\0' || errno != 0 || n < 0)
				return -1;
			t->is_string = 1;
			t->maxlen = n;
			t->known = 1;
		}
		/* Unknown words (newer servers, ESPHome's "RO") are skipped:
		 * without RW the variable is read-only. */
	}
	return t->known ? 0 : -1;
}

void
nut_type_name(const struct nut_type *t, char *out, size_t outlen)
{
	if (!t->known) {
		snprintf(out, outlen, "Unknown type");
		return;
	}
	snprintf(out, outlen, "%s%s%s", t->is_enum ? "ENUM " : "", t->is_range ? "RANGE " : "",
	         t->is_string ? "STRING" : "NUMBER");
}

int
nut_varinfo_add_enum(struct nut_varinfo *vi, const char *value)
{
	if (pk_buf_add(&vi->enums, value, strlen(value) + 1) != 0)
		return -1;
	vi->nenum++;
	return 0;
}

void
nut_varinfo_free(struct nut_varinfo *vi)
{
	free(vi->name);
	free(vi->value);
	free(vi->desc);
	pk_buf_free(&vi->enums);
	memset(vi, 0, sizeof *vi);
}

static int
integer_syntax(const char *s)
{
	return pk_decimal_syntax(s) && strchr(s, '.') == NULL;
}

/* Appends the allowed values (quoted ENUM values or "min-max" ranges). */
static void
allowed_list(const struct nut_varinfo *vi, char *out, size_t outlen)
{
	size_t i, off = 0;
	const char *e = vi->enums.data;

	out[0] = '\0';
	for (i = 0; i < vi->nenum && off + 1 < outlen; i++, e += strlen(e) + 1)
		off += (size_t)snprintf(out + off, outlen - off, "%s\"%s\"", i ? ", " : "", e);
	for (i = 0; i < vi->nrange && off + 1 < outlen; i++)
		off += (size_t)snprintf(out + off, outlen - off, "%s%ld-%ld", off ? ", " : "",
		                        vi->range[i][0], vi->range[i][1]);
}

static int
in_enum(const struct nut_varinfo *vi, const char *value)
{
	const char *e = vi->enums.data;
	size_t i;

	for (i = 0; i < vi->nenum; i++, e += strlen(e) + 1)
		if (strcmp(e, value) == 0)
			return 1;
	return 0;
}

static int
in_range(const struct nut_varinfo *vi, const char *value)
{
	long v;
	size_t i;

	if (!integer_syntax(value))
		return 0;
	errno = 0;
	v = strtol(value, NULL, 10);
	if (errno != 0)
		return 0;
	for (i = 0; i < vi->nrange; i++)
		if (v >= vi->range[i][0] && v <= vi->range[i][1])
			return 1;
	return 0;
}

int
nut_validate(const struct nut_varinfo *vi, const char *value, struct pk_err *err)
{
	char allowed[400];

	if (!nut_printable(value))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "%s: only printable ASCII can be sent to upsd", vi->name);
	if (!vi->type.known || !vi->type.rw)
		return 0;
	allowed_list(vi, allowed, sizeof allowed);
	if (vi->nenum > 0 && !in_enum(vi, value))
		return pk_err_set(err, PK_EUSAGE, "INVALID-VALUE",
		                  "%s: '%s' is not allowed; allowed values: %s", vi->name, value,
		                  allowed);
	if (vi->nenum == 0 && vi->nrange > 0 && !in_range(vi, value))
		return pk_err_set(err, PK_EUSAGE, "INVALID-VALUE",
		                  "%s: '%s' is outside the allowed ranges: %s", vi->name, value,
		                  allowed);
	if (vi->type.is_string && vi->type.maxlen >= 0 && (long)strlen(value) > vi->type.maxlen)
		return pk_err_set(err, PK_EUSAGE, "TOO-LONG",
		                  "%s: '%s' is longer than the allowed %ld characters", vi->name,
		                  value, vi->type.maxlen);
	if (!vi->type.is_string && vi->nenum == 0 && !pk_decimal_syntax(value))
		return pk_err_set(err, PK_EUSAGE, "INVALID-VALUE",
		                  "%s: '%s' is not a number (allowed: a decimal number like 12 or 230.5)",
		                  vi->name, value);
	return 0;
}

/* The JSON typing rule keeps identifiers, indexes, codes and enums as
 * strings, even when their value is all digits (real devices report
 * ups.test.result 0, outlet.1.groupid 1, ups.powersummary.iproduct 2).
 * A variable is one when a component of its name, or a '_'-separated
 * word of a component, is one of these words: */
static const char *const ident_words[] = {
	"serial", "id", "model", "mfr", "firmware", "version", "date", "type", "name",
	"part", "macaddr", "productid", "vendorid", "vendor", "product", "desc",
	"description", "contact", "location", "uuid", "sku", "port", "host", "user",
	"mode", "status", "info", "sensitivity", "beeper", "result", "code", "index",
	"source", "bus",
	/* USB HID string descriptor indexes (usbhid-ups) */
	"iproduct", "imanufacturer", "iserialnumber", "idevicechemistry", "ioeminformation",
	"iname",
};

/* ... or such a word ends so: groupid, system_id, flowid, upstype,
 * capacitymode. */
static const char *const ident_endings[] = { "id", "type", "mode" };

/* ... or the name ends with one of these components: the alarm code of
 * ups.alarm and battery.alarm.threshold, where ambient.humidity.alarm.high
 * is a quantity. */
static const char *const ident_tails[] = { "alarm", "alarm.threshold" };

/* Prefixes that make a component an identifier: "firmware.aux",
 * "serialnumber", "versionstring". */
static const char *const ident_prefixes[] = { "firmware", "version", "serial" };

static int
word_in(const char *w, size_t len, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(w, list[i], len) == 0)
			return 1;
	return 0;
}

static int
ends_in(const char *w, size_t len, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t el = strlen(list[i]);

		if (len >= el && strncmp(w + len - el, list[i], el) == 0)
			return 1;
	}
	return 0;
}

#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static int
is_ident_component(const char *comp, size_t len)
{
	size_t i, wl;

	for (i = 0; i < COUNT(ident_prefixes); i++)
		if (len >= strlen(ident_prefixes[i]) &&
		    strncmp(comp, ident_prefixes[i], strlen(ident_prefixes[i])) == 0)
			return 1;
	for (i = 0; i < len; i += wl + 1) {
		wl = strcspn(comp + i, "_.");  /* comp ends at a '.' or the NUL */
		if (word_in(comp + i, wl, ident_words, COUNT(ident_words)) ||
		    ends_in(comp + i, wl, ident_endings, COUNT(ident_endings)))
			return 1;
	}
	return 0;
}

static int
has_ident_tail(const char *name)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < COUNT(ident_tails); i++) {
		size_t tl = strlen(ident_tails[i]);

		if (nl > tl && name[nl - tl - 1] == '.' && strcmp(name + nl - tl, ident_tails[i]) == 0)
			return 1;
	}
	return 0;
}

int
nut_is_quantity(const char *name, const char *value)
{
	const char *p = name;

	if (!pk_json_is_number(value) || has_ident_tail(name))
		return 0;
	while (*p) {
		size_t len = strcspn(p, ".");

		if (is_ident_component(p, len))
			return 0;
		p += len;
		if (*p == '.')
			p++;
	}
	return 1;
}

void
nut_json_value(struct pk_json *j, const char *name, const char *value)
{
	if (nut_is_quantity(name, value))
		pk_json_raw_number(j, value);
	else
		pk_json_str(j, value);
}

void
nut_json_flags(struct pk_json *j, const char *status)
{
	const char *p = status;

	pk_json_arr_begin(j);
	while (*p) {
		size_t len;

		while (*p == ' ')
			p++;
		len = strcspn(p, " ");
		if (len > 0)
			pk_json_strn(j, p, len);
		p += len;
	}
	pk_json_arr_end(j);
}
