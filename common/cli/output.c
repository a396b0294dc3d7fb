#include "cli/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --output: the file and what the run has emitted so far. */
static struct {
	const char *path;
	struct pk_buf data;
} output_file;

/* The first write error on stdout (its errno, 0 when none) and whether
 * it has been reported on stderr. */
static struct {
	int err;
	int reported;
} stdout_state;

#include "core/clock.h"
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

static const char *
stop_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}

static void
on_stop_signal(int sig)
{
	pk_stop_request(sig);
}

void
pk_catch_stop_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM };
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;  /* no SA_RESTART: poll() must return with EINTR */
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

void
pk_report_error(const char *tool, const char *target, const struct pk_err *err,
                int json, int quiet)
{
	struct pk_err stopped;

	if (pk_stop_signal() != 0 && strcmp(err->kind, PK_STDOUT_KIND) != 0) {
		/* Whatever the wait that ended said (a timeout, mostly), the
		 * reason is the signal. */
		pk_err_set(&stopped, PK_ECOMM, "stopped", "stopped by %s",
		           stop_name(pk_stop_signal()));
		err = &stopped;
	}
	if (strcmp(err->kind, PK_STDOUT_KIND) == 0) {
		/* Not about the target, and no document can follow. */
		if (!quiet)
			print_line(tool, NULL, err->msg);
		stdout_state.reported = 1;
		return;
	}
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
	if (output_file.path != NULL)
		return pk_buf_add(&output_file.data, b->data, b->len);
	errno = 0;
	if ((b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
		if (stdout_state.err == 0)
			stdout_state.err = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

int
pk_stdout_error(struct pk_err *err)
{
	return pk_err_set(err, PK_ECOMM, PK_STDOUT_KIND, "cannot write to stdout: %s",
	                  strerror(stdout_state.err != 0 ? stdout_state.err : EIO));
}

int
pk_emit_checked(const struct pk_buf *b, struct pk_err *err)
{
	return pk_emit(b) == 0 ? 0 : pk_stdout_error(err);
}

int
pk_stdout_finish(const char *tool, int rc, int quiet)
{
	struct pk_err err = { 0 };

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (stdout_state.err == 0)
			stdout_state.err = errno != 0 ? errno : EIO;
	}
	if (fclose(stdout) != 0 && stdout_state.err == 0)
		stdout_state.err = errno != 0 ? errno : EIO;
	if (pk_stop_signal() != 0) {
		int sig = pk_stop_signal();

		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (stdout_state.err == 0)
		return rc;
	if (!stdout_state.reported) {
		pk_stdout_error(&err);
		pk_report_error(tool, NULL, &err, 0, quiet);
	}
	return rc == 0 ? PK_ECOMM : rc;
}

void
pk_output_to(const char *path)
{
	output_file.path = path;
}

int
pk_output_commit(int rc, struct pk_err *err)
{
	const char *path = output_file.path;
	int wrc = 0;

	if (path == NULL)
		return rc;
	output_file.path = NULL;
	if (rc == 0 || output_file.data.len > 0)
		wrc = pk_write_atomic(path, output_file.data.data ? output_file.data.data : "",
		                      output_file.data.len, rc == 0 ? err : NULL);
	pk_buf_free(&output_file.data);
	return rc != 0 ? rc : wrc;
}

/* Splits path into its directory ("." when none) and its last name. */
static void
split_path(const char *path, char *dir, size_t dirlen, const char **base)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		snprintf(dir, dirlen, ".");
		*base = path;
	} else {
		snprintf(dir, dirlen, "%.*s", slash == path ? 1 : (int)(slash - path), path);
		*base = slash + 1;
	}
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A directory's fsync makes the rename itself durable; a file system
 * that cannot fsync a directory is no reason to fail. */
static void
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int
pk_write_atomic(const char *path, const char *data, size_t len, struct pk_err *err)
{
	return pk_write_atomic_mode(path, data, len, 0644, err);
}

int
pk_write_atomic_mode(const char *path, const char *data, size_t len, mode_t mode,
                     struct pk_err *err)
{
	char dir[4096], tmp[4096 + 64];
	const char *base, *step;
	int fd;

	split_path(path, dir, sizeof dir, &base);
	if (base[0] == '\0')
		return pk_err_set(err, PK_ECOMM, "output", "output %s: not a file name", path);
	/* A dot file beside the target: the textfile collector reads only
	 * *.prom, and the rename stays within one file system. */
	if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base) >= sizeof tmp)
		return pk_err_set(err, PK_ECOMM, "output", "output %s: name too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return pk_err_set(err, PK_ECOMM, "output", "output %s: cannot create a file in %s: %s",
		                  path, dir, strerror(errno));
	if (write_all(fd, data, len) != 0)
		step = "write";
	else if (fchmod(fd, mode) != 0)
		step = "chmod";
	else if (fsync(fd) != 0)
		step = "fsync";
	else
		step = NULL;
	if (close(fd) != 0 && step == NULL)
		step = "close";
	if (step == NULL && rename(tmp, path) != 0)
		step = "rename";
	if (step != NULL) {
		int e = errno;

		unlink(tmp);
		return pk_err_set(err, PK_ECOMM, "output", "output %s: %s failed: %s", path, step,
		                  strerror(e));
	}
	sync_dir(dir);
	return 0;
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

void
pk_add_prefixed(struct pk_buf *out, const char *prefix, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);

		pk_buf_printf(out, "%s: ", prefix);
		pk_buf_add(out, p, n);
		p += n;
	}
}
