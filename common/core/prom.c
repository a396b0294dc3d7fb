#include "core/prom.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* A metric name as the format allows it: [a-zA-Z_:][a-zA-Z0-9_:]*; any
 * other byte becomes '_', and a leading digit gets a '_' before it. */
static void
put_name(struct pk_buf *b, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;

	if (*p == '\0' || isdigit(*p))
		pk_buf_addc(b, '_');
	for (; *p; p++)
		pk_buf_addc(b, (isalnum(*p) && *p < 0x80) || *p == '_' || *p == ':' ? (char)*p : '_');
}

/* Escaped text in valid UTF-8; quote also escapes '"' (label values). */
static void
put_text(struct pk_buf *b, const char *s, int quote)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	unsigned long c;

	while (i < n) {
		len = pk_utf8_seq(p + i, n - i, &c);
		if (len == 0 || (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f))
			pk_buf_adds(b, "\xef\xbf\xbd");  /* U+FFFD */
		else if (c == '\\')
			pk_buf_adds(b, "\\\\");
		else if (c == '\n')
			pk_buf_adds(b, "\\n");
		else if (c == '"' && quote)
			pk_buf_adds(b, "\\\"");
		else
			pk_buf_add(b, s + i, len);
		i += len ? len : 1;
	}
}

void
pk_prom_header(struct pk_buf *b, const char *name, const char *help, const char *type)
{
	pk_buf_adds(b, "# HELP ");
	put_name(b, name);
	pk_buf_addc(b, ' ');
	put_text(b, help, 0);
	pk_buf_adds(b, "\n# TYPE ");
	put_name(b, name);
	pk_buf_printf(b, " %s\n", type);
}

void
pk_prom_escape(struct pk_buf *b, const char *s)
{
	put_text(b, s, 1);
}

void
pk_prom_sample(struct pk_buf *b, const char *name, const char *value, ...)
{
	va_list ap;
	const char *k;
	int first = 1;

	put_name(b, name);
	va_start(ap, value);
	while ((k = va_arg(ap, const char *)) != NULL) {
		const char *v = va_arg(ap, const char *);
		pk_buf_adds(b, first ? "{" : ",");
		pk_buf_printf(b, "%s=\"", k);
		pk_prom_escape(b, v ? v : "");
		pk_buf_addc(b, '"');
		first = 0;
	}
	va_end(ap);
	if (!first)
		pk_buf_addc(b, '}');
	pk_buf_printf(b, " %s\n", value);
}

void
pk_prom_name(const char *in, char *out, size_t outlen)
{
	size_t i;

	if (outlen == 0)
		return;
	for (i = 0; in[i] != '\0' && i + 1 < outlen; i++) {
		unsigned char c = (unsigned char)in[i];
		out[i] = (isalnum(c) || c == '_') ? (char)c : '_';
	}
	out[i] = '\0';
}

/* ---- pk_prom_tidy -------------------------------------------------------- */

struct prom_line {
	const char *p;
	size_t len;       /* without the newline */
	size_t family;    /* index in order of first appearance */
	int rank;         /* 0 HELP, 1 TYPE, 2 sample or other */
	size_t seq;
};

static unsigned long long
hash_bytes(const char *p, size_t n)
{
	unsigned long long h = 14695981039346656037ull;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

/* A set of 64-bit hashes with a value each (open addressing). */
struct hset {
	unsigned long long *key;
	size_t *val;
	size_t cap;
};

/* Finds h; inserts it with val when absent.  Returns the stored value. */
static size_t
hset_get(struct hset *s, unsigned long long h, size_t val, int *found)
{
	size_t i = (size_t)(h % s->cap);

	while (s->key[i] != 0 && s->key[i] != h)
		i = (i + 1) % s->cap;
	*found = s->key[i] == h;
	if (!*found) {
		s->key[i] = h;
		s->val[i] = val;
	}
	return s->val[i];
}

static int
line_cmp(const void *a, const void *b)
{
	const struct prom_line *x = a, *y = b;

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The family name a line belongs to, and its rank. */
static void
line_family(const char *p, size_t len, const char **name, size_t *nlen, int *rank)
{
	*rank = 2;
	if (len > 7 && (memcmp(p, "# HELP ", 7) == 0 || memcmp(p, "# TYPE ", 7) == 0)) {
		*rank = p[2] == 'H' ? 0 : 1;
		p += 7;
		len -= 7;
	}
	*name = p;
	for (*nlen = 0; *nlen < len && p[*nlen] != '{' && p[*nlen] != ' '; (*nlen)++)
		;
}

/* The series of a sample: the line without its value. */
static size_t
series_len(const char *p, size_t len)
{
	while (len > 0 && p[len - 1] != ' ')
		len--;
	return len > 0 ? len - 1 : 0;
}

size_t
pk_prom_tidy(struct pk_buf *b, char *first_dup, size_t duplen)
{
	struct prom_line *lines = NULL;
	struct hset fam = { 0 }, ser = { 0 };
	struct pk_buf out = { 0 };
	size_t n = 0, nfam = 0, dups = 0, i, pos = 0, cap;
	int found;

	if (first_dup != NULL && duplen > 0)
		first_dup[0] = '\0';
	if (b->len == 0)
		return 0;
	for (i = 0, cap = 1; i < b->len; i++)
		cap += b->data[i] == '\n';
	lines = calloc(cap, sizeof *lines);
	fam.cap = ser.cap = 2 * cap + 1;
	fam.key = calloc(fam.cap, sizeof *fam.key);
	fam.val = calloc(fam.cap, sizeof *fam.val);
	ser.key = calloc(ser.cap, sizeof *ser.key);
	ser.val = calloc(ser.cap, sizeof *ser.val);
	if (lines == NULL || fam.key == NULL || fam.val == NULL || ser.key == NULL ||
	    ser.val == NULL)
		goto done;  /* out of memory: leave the exposition as it is */
	while (pos < b->len) {
		const char *p = b->data + pos, *nl = memchr(p, '\n', b->len - pos), *name;
		size_t len = nl != NULL ? (size_t)(nl - p) : b->len - pos, nlen;
		struct prom_line *l = &lines[n];

		pos += len + 1;
		if (len == 0)
			continue;
		line_family(p, len, &name, &nlen, &l->rank);
		l->p = p;
		l->len = len;
		l->seq = n;
		l->family = hset_get(&fam, hash_bytes(name, nlen), nfam, &found);
		nfam += !found;
		n++;
	}
	qsort(lines, n, sizeof *lines, line_cmp);
	for (i = 0; i < n; i++) {
		const struct prom_line *l = &lines[i];
		int repeated = i > 0 && l->rank < 2 && lines[i - 1].family == l->family &&
		               lines[i - 1].rank == l->rank;

		if (!repeated && l->rank == 2 && l->p[0] != '#') {
			size_t slen = series_len(l->p, l->len);

			hset_get(&ser, hash_bytes(l->p, slen), 0, &repeated);
			if (repeated && dups++ == 0 && first_dup != NULL && duplen > 0)
				snprintf(first_dup, duplen, "%.*s", (int)slen, l->p);
		}
		if (!repeated) {
			pk_buf_add(&out, l->p, l->len);
			pk_buf_addc(&out, '\n');
		}
	}
	if (out.len > 0) {
		pk_buf_free(b);
		*b = out;
		out.data = NULL;
	}
done:
	pk_buf_free(&out);
	free(lines);
	free(fam.key);
	free(fam.val);
	free(ser.key);
	free(ser.val);
	return dups;
}
