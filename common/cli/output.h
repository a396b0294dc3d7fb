/* cli/output.h — how tools report results and failures: one stderr line
 * "tool: target: message", and in JSON mode a stable error document on
 * stdout: {"error":{"status":N,"kind":"...","message":"..."}}. */
#ifndef PK_OUTPUT_H
#define PK_OUTPUT_H

#include <stdio.h>
#include <sys/types.h>

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

/* Writes a buffer to stdout in one go (or, after pk_output_to(), to the
 * output file's contents); returns 0, or PK_ECOMM-style -1 on a write
 * error (e.g. EPIPE or a full disk), which tools report. */
int pk_emit(const struct pk_buf *b);

/* The kind of the error a write to stdout failed with. */
#define PK_STDOUT_KIND "stdout"

/* pk_emit(), and on a write error fills err: PK_ECOMM, kind
 * PK_STDOUT_KIND, "cannot write to stdout: REASON".  pk_report_error()
 * says it without the target (it is about this run's stdout, not the
 * device) and prints no JSON document after it. */
int pk_emit_checked(const struct pk_buf *b, struct pk_err *err);

/* Fills err as pk_emit_checked() does, after a pk_emit() that failed. */
int pk_stdout_error(struct pk_err *err);

/* The first step of every tool's main once its options are read:
 * SIGINT and SIGTERM from now on only request a stop (core/clock.h), so
 * a session under way ends politely; pk_stdout_finish then ends the
 * process by that signal. */
void pk_catch_stop_signals(void);

/* The last step of every tool's main: flushes and closes stdout (what
 * printf wrote too: help, version, completions); when any write to
 * stdout failed, prints "tool: cannot write to stdout: REASON" unless
 * it was reported already (or quiet) and returns PK_ECOMM in place of
 * a 0; any other rc is kept.  After a stop request it does not return:
 * the process ends by the signal that asked for the stop (the shell's
 * status 128 + the signal number, as without the handler). */
int pk_stdout_finish(const char *tool, int rc, int quiet);

/* --output FILE: from now on pk_emit() collects what the run prints, and
 * pk_output_commit() writes it to path in one atomic step. */
void pk_output_to(const char *path);

/* Ends a run started with pk_output_to(): writes what was emitted with
 * pk_write_atomic(), unless the run failed (rc != 0) and printed nothing,
 * which leaves the file as it was.  Without pk_output_to() it does
 * nothing.  Returns rc, or PK_ECOMM with err filled when the file cannot
 * be written (a failed rc is kept: its error is the one to report). */
int pk_output_commit(int rc, struct pk_err *err);

/* Replaces path with data in one step, so that a reader (the
 * node_exporter textfile collector) sees the old file or the new one,
 * never a part: writes a temporary file in path's directory, mode 0644,
 * fsyncs it, renames it over path and fsyncs the directory.  On any
 * failure the temporary file is removed and path is untouched.  Returns
 * 0 or PK_ECOMM ("output") with err saying what failed. */
int pk_write_atomic(const char *path, const char *data, size_t len, struct pk_err *err);

/* pk_write_atomic with the file's mode given (0600 for a file only its
 * owner may read). */
int pk_write_atomic_mode(const char *path, const char *data, size_t len, mode_t mode,
                         struct pk_err *err);

/* Prints "tool version" on stdout. */
void pk_print_version(const char *tool);

/* A ready callback: ctx is the tool name; prints "tool: D line" on stderr
 * with non-printable bytes shown as \xNN. */
void pk_trace_stderr(void *ctx, char dir, const char *line);

/* Appends text (len bytes of lines) with "PREFIX: " before each line. */
void pk_add_prefixed(struct pk_buf *out, const char *prefix, const char *text, size_t len);

#endif
