#include "cli/output.h"

#include <stdarg.h>
#include <string.h>

#include "core/prom.h"
#include "core/text.h"

/* "tool: [target: ]message\n" on stderr, the target and message shown
 * with device text escaped (core/text.h): a message may quote what a
 * peer sent. */
static void
print_line(const char *tool, const char *target, const char *msg)
{
	struct pk_buf b = { 0 };

	pk_buf_printf(&b, "%s: ", tool);
	if (target != NULL && target[0] != '\0') {
		pk_text_escapes(&b, target, PK_TEXT_KEEP_TAB);
		pk_buf_adds(&b, ": ");
	}
	pk_text_escapes(&b, msg, PK_TEXT_KEEP_TAB);
	pk_buf_addc(&b, '\n');
	fputs(pk_buf_str(&b), stderr);
	pk_buf_free(&b);
}

void
pk_report_error(const char *tool, const char *target, const struct pk_err *err,
                int json, int quiet)
{
	if (!quiet)
		print_line(tool, target, err->msg);
	if (json) {
		struct pk_buf b = { 0 };
		struct pk_json j;

		pk_json_init(&j, &b);
		pk_json_obj_begin(&j);
		if (target != NULL && target[0] != '\0') {
			pk_json_kv_str(&j, "target", target);
		}
		pk_json_key(&j, "error");
		pk_json_error_value(&j, err);
		pk_json_obj_end(&j);
		pk_buf_addc(&b, '\n');
		pk_emit(&b);
		pk_buf_free(&b);
	}
}

void
pk_warn(const char *tool, const char *target, int quiet, const char *fmt, ...)
{
	va_list ap;
	struct pk_buf msg = { 0 };

	if (quiet)
		return;
	va_start(ap, fmt);
	pk_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	print_line(tool, target, pk_buf_str(&msg));
	pk_buf_free(&msg);
}

void
pk_prom_finish(const char *tool, const char *target, struct pk_buf *b, int quiet)
{
	char first[200];
	size_t n = pk_prom_tidy(b, first, sizeof first);

	if (n > 0)
		pk_warn(tool, target, quiet, "the device repeated %zu series; the first of each is kept (%s)",
		        n, first);
}

void
pk_render_dry_run(struct pk_buf *out, const char *target, const char *lines, size_t len,
                  int json)
{
	struct pk_json j;
	size_t i = 0, n;
	const char *nl;

	if (!json) {
		pk_buf_add(out, lines, len);
		return;
	}
	pk_json_init(&j, out);
	pk_json_obj_begin(&j);
	pk_json_kv_bool(&j, "dry_run", 1);
	pk_json_kv_str(&j, "target", target != NULL ? target : "");
	pk_json_key(&j, "requests");
	pk_json_arr_begin(&j);
	while (i < len) {
		nl = memchr(lines + i, '\n', len - i);
		n = nl != NULL ? (size_t)(nl - (lines + i)) : len - i;
		pk_json_strn(&j, lines + i, n);
		i += n + 1;
	}
	pk_json_arr_end(&j);
	pk_json_obj_end(&j);
	pk_buf_addc(out, '\n');
}

int
pk_emit(const struct pk_buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len)
		return -1;
	return fflush(stdout) == 0 ? 0 : -1;
}

void
pk_print_version(const char *tool)
{
	printf("%s (powerkit) %s\n", tool, PK_VERSION);
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
