#include "core/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
pk_session_opts_set(struct pk_session_opts *o, int64_t deadline, const struct pk_trace *trace,
                    void (*warn)(void *ctx, const char *line), void *warn_ctx)
{
	memset(o, 0, sizeof *o);
	o->deadline = deadline;
	if (trace != NULL)
		o->trace = *trace;
	o->warn = warn;
	o->warn_ctx = warn_ctx;
}

int64_t
pk_session_until(struct pk_session_opts *o, int64_t deadline)
{
	int64_t own = o->deadline;

	o->deadline = deadline;
	return own;
}

void
pk_session_warn(const struct pk_session_opts *o, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (o->warn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	o->warn(o->warn_ctx, line);
}
