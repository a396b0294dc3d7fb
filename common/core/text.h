/* core/text.h — text from a device or a server is data, never terminal
 * control.  One escaping rule for every text renderer and for stderr:
 * valid UTF-8 printable text passes unchanged; every C0 control, DEL, C1
 * control (U+0080-U+009F) and every byte that is not valid UTF-8 is shown
 * escaped, as ls -b and vis(3) do: \a \b \t \n \v \f \r, \e for ESC and
 * \xNN for the rest, one escape per byte.  Backslash itself passes, so
 * plain values stay byte-for-byte what upsc prints. */
#ifndef PK_TEXT_H
#define PK_TEXT_H

#include <stddef.h>

#include "core/buf.h"

enum {
	PK_TEXT_KEEP_TAB = 1  /* TAB passes (free text, not a tab-separated field) */
};

/* Appends n bytes of s to b, escaped as above. */
void pk_text_escape(struct pk_buf *b, const char *s, size_t n, int flags);

/* pk_text_escape of a NUL-terminated string (NULL appends nothing). */
void pk_text_escapes(struct pk_buf *b, const char *s, int flags);

/* pk_buf_printf where every %s argument is escaped as above (the format's
 * own text, newlines and tabs included, is not): renderers print device
 * strings with it.  Conversions: d i u x c f g e s with the l, ll and z
 * modifiers, flags, width and precision ('*' included), and %%. */
void pk_text_printf(struct pk_buf *b, int flags, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes s escaped into out (at most outlen - 1 bytes, never cutting an
 * escape in half) and returns out: for messages that quote device text. */
const char *pk_text_quote(const char *s, char *out, size_t outlen);

/* 1 when s holds nothing that pk_text_escape would change. */
int pk_text_is_clean(const char *s, size_t n, int flags);

/* The length (1-4) of the valid UTF-8 sequence at s, n bytes available;
 * 0 when the bytes there are not valid UTF-8 (overlong forms, UTF-16
 * surrogates and code points past U+10FFFF are not).  *cp gets the code
 * point when cp is not NULL. */
size_t pk_utf8_seq(const unsigned char *s, size_t n, unsigned long *cp);

/* Appends s with every invalid UTF-8 byte replaced by U+FFFD: for
 * formats that must be UTF-8 (JSON, Prometheus). */
void pk_utf8_sanitize(struct pk_buf *b, const char *s, size_t n);

#endif
