#include "core/outlets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* Appends " (1 nas, 2 web, ...)" for messages about names. */
static void
describe_names(struct pk_buf *b, int count, const char *const *names)
{
	int i, any = 0;

	if (names == NULL)
		return;
	for (i = 0; i < count; i++) {
		if (names[i] == NULL || names[i][0] == '\0')
			continue;
		pk_buf_printf(b, "%s%d=%s", any ? ", " : "; outlets: ", i + 1, names[i]);
		any = 1;
		if (b->len > 300) {
			pk_buf_adds(b, ", ...");
			break;
		}
	}
}

static int
outlet_error(struct pk_err *err, const char *part, const char *why, int count,
             const char *const *names)
{
	struct pk_buf b = { 0 };

	pk_buf_printf(&b, "outlet '%s': %s (valid: 1-%d or all", part, why, count);
	describe_names(&b, count, names);
	pk_buf_addc(&b, ')');
	pk_err_set(err, PK_EUSAGE, "usage", "%s", pk_buf_str(&b));
	pk_buf_free(&b);
	return PK_EUSAGE;
}

/* Returns the outlet number named exactly name, 0 if none, -1 if several. */
static int
find_name(const char *name, int count, const char *const *names)
{
	int i, found = 0;

	if (names == NULL)
		return 0;
	for (i = 0; i < count; i++) {
		if (names[i] != NULL && strcmp(names[i], name) == 0) {
			if (found)
				return -1;
			found = i + 1;
		}
	}
	return found;
}

static int
parse_number(const char *s, long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	*out = strtol(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int
parse_part(const char *part, int count, const char *const *names,
           unsigned char *sel, struct pk_err *err)
{
	const char *dash;
	long a, b;
	int n;

	if (strcmp(part, "all") == 0) {
		memset(sel, 1, (size_t)count);
		return 0;
	}
	if (parse_number(part, &a) == 0) {
		if (a < 1 || a > count)
			return outlet_error(err, part, "no such outlet", count, names);
		sel[a - 1] = 1;
		return 0;
	}
	dash = strchr(part, '-');
	if (dash != NULL && dash != part) {
		char left[32];
		size_t llen = (size_t)(dash - part);
		if (llen < sizeof left) {
			memcpy(left, part, llen);
			left[llen] = '\0';
			if (parse_number(left, &a) == 0 && parse_number(dash + 1, &b) == 0) {
				if (a > b)
					return outlet_error(err, part, "range runs backwards", count, names);
				if (a < 1 || b > count)
					return outlet_error(err, part, "no such outlet", count, names);
				for (; a <= b; a++)
					sel[a - 1] = 1;
				return 0;
			}
		}
	}
	n = find_name(part, count, names);
	if (n < 0)
		return outlet_error(err, part, "name is ambiguous", count, names);
	if (n == 0)
		return outlet_error(err, part, "no such outlet", count, names);
	sel[n - 1] = 1;
	return 0;
}

int
pk_outlets_parse(const char *spec, int count, const char *const *names,
                 unsigned char *sel, struct pk_err *err)
{
	char *copy, *part, *save = NULL;
	int n, rc = 0;

	memset(sel, 0, (size_t)(count > 0 ? count : 0));
	if (count <= 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "the device reports no outlets");
	if (spec[0] == '\0')
		return outlet_error(err, spec, "empty", count, names);
	n = find_name(spec, count, names);
	if (n > 0) {
		sel[n - 1] = 1;
		return 0;
	}
	if (n < 0)
		return outlet_error(err, spec, "name is ambiguous", count, names);
	copy = strdup(spec);
	if (copy == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "out of memory");
	for (part = strtok_r(copy, ",", &save); part != NULL && rc == 0;
	     part = strtok_r(NULL, ",", &save))
		rc = parse_part(part, count, names, sel, err);
	if (rc == 0 && pk_outlets_count(sel, count) == 0)
		rc = outlet_error(err, spec, "selects nothing", count, names);
	free(copy);
	return rc;
}

int
pk_outlets_count(const unsigned char *sel, int count)
{
	int i, n = 0;

	for (i = 0; i < count; i++)
		n += sel[i] != 0;
	return n;
}

int
pk_outlets_spec_all(const char *spec)
{
	size_t n;

	for (;;) {
		n = strcspn(spec, ",");
		if (n == 3 && strncmp(spec, "all", 3) == 0)
			return 1;
		if (spec[n] == '\0')
			return 0;
		spec += n + 1;
	}
}
