#include "core/prom.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>

void
pk_prom_header(struct pk_buf *b, const char *name, const char *help, const char *type)
{
	pk_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
pk_prom_escape(struct pk_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			pk_buf_adds(b, "\\\\");
		else if (*s == '"')
			pk_buf_adds(b, "\\\"");
		else if (*s == '\n')
			pk_buf_adds(b, "\\n");
		else
			pk_buf_addc(b, *s);
	}
}

void
pk_prom_sample(struct pk_buf *b, const char *name, const char *value, ...)
{
	va_list ap;
	const char *k;
	int first = 1;

	pk_buf_adds(b, name);
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
