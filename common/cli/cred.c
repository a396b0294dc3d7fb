#include "cli/cred.h"

#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

int
pk_cred_check(const char *what, const char *value, size_t len, size_t max, struct pk_err *err)
{
	/* A line break would end the protocol line early and let the rest
	 * be read as a command of its own (a WattBox password
	 * "x\n!OutletSet=6,OFF"); a NUL would cut it short. */
	if (memchr(value, '\r', len) != NULL || memchr(value, '\n', len) != NULL ||
	    memchr(value, '\0', len) != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "the %s holds a line break or NUL byte (CR, LF, NUL), which cannot "
		                  "be sent; nothing was sent", what);
	if (len > max)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "the %s is %zu bytes long; the limit is %zu; nothing was sent", what,
		                  len, max);
	return 0;
}

/* A password file is refused as ssh refuses a key file: when others may
 * read or write it (group access stays allowed, for service accounts),
 * and when it is a directory or empty. */
static int
check_secret_file(const char *what, const char *path, int fd, struct pk_err *err)
{
	struct stat st;

	if (fstat(fd, &st) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s file %s: %s", what, path,
		                  strerror(errno));
	if (S_ISDIR(st.st_mode))
		return pk_err_set(err, PK_EUSAGE, "usage", "%s file %s is a directory", what, path);
	if (S_ISREG(st.st_mode) && (st.st_mode & (S_IROTH | S_IWOTH)))
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "%s file %s is accessible by others (mode %04o); "
		                  "run: chmod o-rw %s", what, path, (unsigned)(st.st_mode & 07777), path);
	return 0;
}

/* The first line of a password file ("-": stdin), checked as above;
 * without its line end. */
static int
read_secret_file(const char *what, const char *path, char *out, size_t outlen,
                 struct pk_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc;

	if (f == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "%s file %s: %s", what, path,
		                  strerror(errno));
	rc = f == stdin ? 0 : check_secret_file(what, path, fileno(f), err);
	if (rc == 0) {
		n = getline(&line, &cap, f);
		if (n < 0 && ferror(f))
			rc = pk_err_set(err, PK_EUSAGE, "usage", "%s file %s: %s", what, path,
			                strerror(errno));
		else if (n <= 0)
			rc = pk_err_set(err, PK_EUSAGE, "usage", "%s file %s is empty", what, path);
	}
	if (rc == 0) {
		size_t len = (size_t)n;

		if (len > 0 && line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		rc = pk_cred_check(what, line, len, outlen - 1, err);
		if (rc == 0) {
			memcpy(out, line, len);
			out[len] = '\0';
		}
	}
	if (line != NULL)
		pk_secret_wipe(line, cap);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* The terminal as it was before the prompt turned echo off, restored by
 * the handler when a signal ends the program during the prompt. */
static int prompt_fd = -1;
static struct termios prompt_saved;

static void
prompt_signal(int sig)
{
	if (prompt_fd >= 0)
		tcsetattr(prompt_fd, TCSAFLUSH, &prompt_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define N_PROMPT_SIGNALS (sizeof prompt_signals / sizeof prompt_signals[0])

/* Reads a line from the terminal with echo off; any of prompt_signals
 * puts the terminal back before the program ends. */
static int
prompt_secret(const char *prompt, char *out, size_t outlen)
{
	struct termios noecho;
	struct sigaction sa, old[N_PROMPT_SIGNALS];
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	int have_tty, ok;
	size_t i;
	FILE *tty;

	if (fd < 0)
		return -1;
	tty = fdopen(fd, "r+");
	if (tty == NULL) {
		close(fd);
		return -1;
	}
	fputs(prompt, tty);
	fflush(tty);
	have_tty = tcgetattr(fd, &prompt_saved) == 0;
	if (have_tty) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = prompt_signal;
		sigemptyset(&sa.sa_mask);
		prompt_fd = fd;
		for (i = 0; i < N_PROMPT_SIGNALS; i++)
			sigaction(prompt_signals[i], &sa, &old[i]);
		noecho = prompt_saved;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &noecho);
	}
	ok = fgets(out, (int)outlen, tty) != NULL;
	if (have_tty) {
		tcsetattr(fd, TCSAFLUSH, &prompt_saved);
		for (i = 0; i < N_PROMPT_SIGNALS; i++)
			sigaction(prompt_signals[i], &old[i], NULL);
		prompt_fd = -1;
	}
	fputs("\n", tty);
	fclose(tty);
	if (!ok)
		return -1;
	/* A line that filled out without its newline was longer than the
	 * limit: refused below rather than cut. */
	if (strchr(out, '\n') == NULL && strlen(out) == outlen - 1)
		return 1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

int
pk_secret_get(const struct pk_secret_src *src, char *out, size_t outlen, int *found,
              struct pk_err *err)
{
	const char *what = src->what != NULL ? src->what : "password";
	const char *env;
	int rc;

	*found = 0;
	out[0] = '\0';
	if (src->cli != NULL) {
		if (pk_cred_check(what, src->cli, strlen(src->cli), outlen - 1, err) != 0)
			return PK_EUSAGE;
		snprintf(out, outlen, "%s", src->cli);
		*found = 1;
		return 0;
	}
	if (src->file != NULL) {
		rc = read_secret_file(what, src->file, out, outlen, err);
		if (rc == 0)
			*found = 1;
		return rc;
	}
	if (src->envname != NULL && (env = getenv(src->envname)) != NULL && env[0] != '\0') {
		if (pk_cred_check(src->envname, env, strlen(env), outlen - 1, err) != 0)
			return PK_EUSAGE;
		snprintf(out, outlen, "%s", env);
		*found = 1;
		return 0;
	}
	if (src->prompt != NULL && isatty(STDIN_FILENO)) {
		rc = prompt_secret(src->prompt, out, outlen);
		if (rc == 1) {
			pk_secret_wipe(out, outlen);
			out[0] = '\0';
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "the %s typed is longer than %zu bytes; nothing was sent",
			                  what, outlen - 1);
		}
		if (rc == 0)
			*found = 1;
	}
	return 0;
}

const char *
pk_user_get(const char *cli, const char *envname, const char *fallback)
{
	const char *env;

	if (cli != NULL && cli[0] != '\0')
		return cli;
	if (envname != NULL && (env = getenv(envname)) != NULL && env[0] != '\0')
		return env;
	return fallback;
}

void
pk_argv_blank(char *arg)
{
	if (arg == NULL)
		return;
	while (*arg)
		*arg++ = '*';
}

