/* core/trace.h — protocol tracing for -v without printing from protocol code:
 * a layer calls pk_trace() with a direction and one line; the tool
 * decides where it goes (pk_trace_stderr prints "tool: > line").
 * Layers mask secrets before tracing. */
#ifndef PK_TRACE_H
#define PK_TRACE_H

struct pk_trace {
	void (*fn)(void *ctx, char dir, const char *line);  /* NULL: off */
	void *ctx;
};

/* dir: '>' sent, '<' received, '*' a note (connect, retry, ...). */
void pk_trace(const struct pk_trace *t, char dir, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));


#endif
