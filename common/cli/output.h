/* cli/output.h — how tools report results and failures: one stderr line
 * "tool: target: message", and in JSON mode a stable error document on
 * stdout: {"error":{"status":N,"kind":"...","message":"..."}}. */
#ifndef PK_OUTPUT_H
#define PK_OUTPUT_H

#include <stdio.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/json.h"

/* Prints "tool: [target: ]message" on stderr unless quiet.  In JSON mode
 * also prints {"error":{...}} as the one document on stdout. */
void pk_report_error(const char *tool, const char *target, const struct pk_err *err,
                     int json, int quiet);

/* Prints "tool: [target: ]text" on stderr unless quiet (warnings, notes). */
void pk_warn(const char *tool, const char *target, int quiet, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Makes a rendered Prometheus exposition valid when the device repeated
 * a name (pk_prom_tidy), with a warning naming the first repeat. */
void pk_prom_finish(const char *tool, const char *target, struct pk_buf *b, int quiet);

/* A dry run's requests, shared by every tool: lines holds the request
 * lines ("\n"-terminated) that would be sent.  Text mode appends them
 * unchanged; with json appends one document
 * {"dry_run":true,"target":"...","requests":["line",...]} and a newline. */
void pk_render_dry_run(struct pk_buf *out, const char *target, const char *lines, size_t len,
                       int json);

/* Writes a buffer to stdout in one go; returns 0, or PK_ECOMM-style -1 on
 * a write error (e.g. EPIPE or a full disk), which tools report. */
int pk_emit(const struct pk_buf *b);

/* Prints "tool version" on stdout. */
void pk_print_version(const char *tool);

/* A ready callback: ctx is the tool name; prints "tool: D line" on stderr
 * with non-printable bytes shown as \xNN. */
void pk_trace_stderr(void *ctx, char dir, const char *line);

#endif
