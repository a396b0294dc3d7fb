/* core/buf.h — a growable byte buffer, always NUL-terminated.  Used for
 * outgoing requests, received bytes and rendered output. */
#ifndef PK_BUF_H
#define PK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pk_buf {
	char *data;   /* NULL until something is added */
	size_t len;
	size_t cap;
};

/* Each returns 0, or -1 when memory ran out (the buffer is unchanged). */
int pk_buf_add(struct pk_buf *b, const void *p, size_t n);
int pk_buf_adds(struct pk_buf *b, const char *s);
int pk_buf_addc(struct pk_buf *b, char c);
int pk_buf_printf(struct pk_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int pk_buf_vprintf(struct pk_buf *b, const char *fmt, va_list ap);

/* Removes the first n bytes. */
void pk_buf_consume(struct pk_buf *b, size_t n);

/* The line in b from byte *off on, ended by LF or CRLF, into line without
 * its end, *off moved past it (the caller drops the bytes taken when it
 * likes: one move for many lines).  1 = taken, 0 = no line complete yet,
 * -1 = the line, complete or not, is longer than max bytes. */
int pk_buf_take_line(const struct pk_buf *b, size_t *off, struct pk_buf *line, size_t max);
void pk_buf_reset(struct pk_buf *b);
void pk_buf_free(struct pk_buf *b);

/* The contents as a string ("" when empty). */
const char *pk_buf_str(const struct pk_buf *b);

/* Makes room for one more item of size bytes in an array holding n of
 * *cap: returns the array (moved, *cap grown, when it was full), or
 * NULL when memory ran out (the old array is then still valid). */
void *pk_array_grow(void *items, size_t *cap, size_t n, size_t size);

/* Zeroes a secret buffer in a way the compiler keeps. */
void pk_secret_wipe(char *buf, size_t len);

#endif
