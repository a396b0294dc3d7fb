#include "core/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t
pk_utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	unsigned long c, min;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		len = 1, c = s[0], min = 0;
	else if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = c;
	return len;
}

/* The escape for one control byte or stray byte, into out (>= 5 bytes). */
static void
escape_byte(unsigned char c, char out[5])
{
	static const char letters[] = "abtnvfr";
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	if (c >= '\a' && c <= '\r') {
		out[1] = letters[c - '\a'];
		out[2] = '\0';
	} else if (c == 0x1b) {
		out[1] = 'e';
		out[2] = '\0';
	} else {
		out[1] = 'x';
		out[2] = hex[c >> 4];
		out[3] = hex[c & 15];
		out[4] = '\0';
	}
}

/* How many bytes at s pass unchanged (0: the first byte needs escaping). */
static size_t
clean_run(const unsigned char *s, size_t n, int flags)
{
	unsigned long cp;
	size_t len;

	if (s[0] == '\t' && (flags & PK_TEXT_KEEP_TAB))
		return 1;
	len = pk_utf8_seq(s, n, &cp);
	if (len == 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
		return 0;
	return len;
}

void
pk_text_escape(struct pk_buf *b, const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t start = i, len;
		char esc[5];

		while (i < n && (len = clean_run(p + i, n - i, flags)) > 0)
			i += len;
		pk_buf_add(b, s + start, i - start);
		if (i >= n)
			break;
		/* A C1 control is two bytes in UTF-8: both are shown. */
		len = pk_utf8_seq(p + i, n - i, NULL);
		for (len = len ? len : 1; len > 0; len--, i++) {
			escape_byte(p[i], esc);
			pk_buf_adds(b, esc);
		}
	}
}

void
pk_text_escapes(struct pk_buf *b, const char *s, int flags)
{
	if (s != NULL)
		pk_text_escape(b, s, strlen(s), flags);
}

int
pk_text_is_clean(const char *s, size_t n, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len;

	while (i < n && (len = clean_run(p + i, n - i, flags)) > 0)
		i += len;
	return i == n;
}

const char *
pk_text_quote(const char *s, char *out, size_t outlen)
{
	struct pk_buf b = { 0 };
	size_t i = 0, n = strlen(s);

	if (outlen == 0)
		return out;
	/* Escaped one character (or invalid byte) at a time, so the cut
	 * never falls inside an escape or a UTF-8 sequence: the escaped text
	 * cannot be walked back, since a backslash from the device passes
	 * as it is (a device's "\\x7f" and an escaped DEL look alike). */
	while (i < n) {
		size_t step = pk_utf8_seq((const unsigned char *)s + i, n - i, NULL);
		size_t before = b.len;

		step = step > 0 ? step : 1;
		pk_text_escape(&b, s + i, step, PK_TEXT_KEEP_TAB);
		if (b.len > outlen - 1) {
			b.len = before;
			break;
		}
		i += step;
	}
	if (b.len > 0)
		memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	pk_buf_free(&b);
	return out;
}

void
pk_utf8_sanitize(struct pk_buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t start = i, len;

		while (i < n && (len = pk_utf8_seq(p + i, n - i, NULL)) > 0)
			i += len;
		pk_buf_add(b, s + start, i - start);
		if (i < n) {
			pk_buf_adds(b, "\xef\xbf\xbd");  /* U+FFFD */
			i++;
		}
	}
}

/* One conversion of pk_text_printf: spec is "%...X" (NUL-terminated),
 * its arguments come from ap. */
static void
text_conversion(struct pk_buf *b, int flags, const char *spec, size_t len, va_list *ap)
{
	char conv = spec[len - 1];
	int stars[2], nstars = 0;
	size_t i;
	int longs = 0, size_t_mod = 0;

	for (i = 1; i + 1 < len; i++) {
		if (spec[i] == '*' && nstars < 2)
			stars[nstars++] = va_arg(*ap, int);
		else if (spec[i] == 'l')
			longs++;
		else if (spec[i] == 'z')
			size_t_mod = 1;
	}
	/* The arguments go to pk_buf_printf through a spec whose '*' are
	 * already read: nstars (0-2) is passed in front. */
#define PK_TEXT_CALL(buf, arg) \
	(nstars == 2 ? pk_buf_printf(buf, spec, stars[0], stars[1], arg) : \
	 nstars == 1 ? pk_buf_printf(buf, spec, stars[0], arg) : pk_buf_printf(buf, spec, arg))
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (conv == 's') {
		const char *s = va_arg(*ap, const char *);
		struct pk_buf tmp = { 0 };

		if (len == 2) {
			pk_text_escapes(b, s, flags);
			return;
		}
		PK_TEXT_CALL(&tmp, s);
		pk_text_escape(b, pk_buf_str(&tmp), tmp.len, flags);
		pk_buf_free(&tmp);
	} else if (conv == 'f' || conv == 'g' || conv == 'e') {
		PK_TEXT_CALL(b, va_arg(*ap, double));
	} else if (size_t_mod) {
		PK_TEXT_CALL(b, va_arg(*ap, size_t));
	} else if (longs >= 2) {
		PK_TEXT_CALL(b, va_arg(*ap, long long));
	} else if (longs == 1) {
		PK_TEXT_CALL(b, va_arg(*ap, long));
	} else {
		PK_TEXT_CALL(b, va_arg(*ap, int));
	}
#pragma GCC diagnostic pop
#undef PK_TEXT_CALL
}

void
pk_text_printf(struct pk_buf *b, int flags, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	while (*fmt) {
		size_t lit = strcspn(fmt, "%"), len;
		char spec[32];

		pk_buf_add(b, fmt, lit);
		fmt += lit;
		if (*fmt == '\0')
			break;
		if (fmt[1] == '%') {
			pk_buf_addc(b, '%');
			fmt += 2;
			continue;
		}
		len = 1 + strcspn(fmt + 1, "diuxcfgesX");
		if (fmt[len] == '\0' || len + 1 >= sizeof spec)
			break;  /* not a conversion this function knows: the rest is dropped */
		memcpy(spec, fmt, len + 1);
		spec[len + 1] = '\0';
		text_conversion(b, flags, spec, len + 1, &ap);
		fmt += len + 1;
	}
	va_end(ap);
}
