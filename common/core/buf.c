#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
buf_reserve(struct pk_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
pk_buf_add(struct pk_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
pk_buf_adds(struct pk_buf *b, const char *s)
{
	return pk_buf_add(b, s, strlen(s));
}

int
pk_buf_addc(struct pk_buf *b, char c)
{
	return pk_buf_add(b, &c, 1);
}

int
pk_buf_vprintf(struct pk_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int
pk_buf_printf(struct pk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pk_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void
pk_buf_consume(struct pk_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
	} else {
		memmove(b->data, b->data + n, b->len - n);
		b->len -= n;
	}
	if (b->data)
		b->data[b->len] = '\0';
}

int
pk_buf_take_line(const struct pk_buf *b, size_t *off, struct pk_buf *line, size_t max)
{
	const char *from = b->data != NULL ? b->data + *off : NULL;
	size_t left = b->len - *off;
	const char *nl = from != NULL ? memchr(from, '\n', left) : NULL;
	size_t len = nl != NULL ? (size_t)(nl - from) : left;

	if (len > max)
		return -1;
	if (nl == NULL)
		return 0;
	pk_buf_reset(line);
	pk_buf_add(line, from, len > 0 && nl[-1] == '\r' ? len - 1 : len);
	*off += len + 1;
	return 1;
}

void
pk_buf_reset(struct pk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
pk_buf_free(struct pk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
pk_buf_str(const struct pk_buf *b)
{
	return b->data ? b->data : "";
}

void
pk_secret_wipe(char *buf, size_t len)
{
	volatile char *p = buf;

	while (len--)
		*p++ = 0;
}

void *
pk_array_grow(void *items, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return items;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > (size_t)-1 / size)
		return NULL;
	p = realloc(items, ncap * size);
	if (p != NULL)
		*cap = ncap;
	return p;
}
