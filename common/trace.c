#include "trace.h"

#include <stdarg.h>
#include <stdio.h>

void
pk_trace(const struct pk_trace *t, char dir, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (t == NULL || t->fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	t->fn(t->ctx, dir, line);
}

void
pk_trace_stderr(void *ctx, char dir, const char *line)
{
	const unsigned char *p;

	fprintf(stderr, "%s: %c ", (const char *)ctx, dir);
	for (p = (const unsigned char *)line; *p; p++) {
		if (*p < 0x20 || *p >= 0x7f)
			fprintf(stderr, "\\x%02x", *p);
		else
			fputc(*p, stderr);
	}
	fputc('\n', stderr);
}
