#include "core/trace.h"

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

