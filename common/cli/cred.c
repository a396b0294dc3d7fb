#include "cli/cred.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void
strip_eol(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

static int
read_secret_file(const char *path, char *out, size_t outlen, struct pk_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (f == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "password file %s: %s", path,
		                  strerror(errno));
	if (fgets(out, (int)outlen, f) == NULL)
		out[0] = '\0';
	if (f != stdin)
		fclose(f);
	strip_eol(out);
	return 0;
}

/* Reads a line from the terminal with echo off. */
static int
prompt_secret(const char *prompt, char *out, size_t outlen)
{
	struct termios old, noecho;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	FILE *tty;
	int ok;

	if (fd < 0)
		return -1;
	tty = fdopen(fd, "r+");
	if (tty == NULL) {
		close(fd);
		return -1;
	}
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fd, &old) == 0) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &noecho);
	}
	ok = fgets(out, (int)outlen, tty) != NULL;
	tcsetattr(fd, TCSAFLUSH, &old);
	fputs("\n", tty);
	fclose(tty);
	if (!ok)
		return -1;
	strip_eol(out);
	return 0;
}

int
pk_secret_get(const struct pk_secret_src *src, char *out, size_t outlen, int *found,
              struct pk_err *err)
{
	const char *env;

	*found = 0;
	out[0] = '\0';
	if (src->cli != NULL) {
		snprintf(out, outlen, "%s", src->cli);
		*found = 1;
		return 0;
	}
	if (src->file != NULL) {
		int rc = read_secret_file(src->file, out, outlen, err);
		if (rc == 0)
			*found = 1;
		return rc;
	}
	if (src->envname != NULL && (env = getenv(src->envname)) != NULL && env[0] != '\0') {
		snprintf(out, outlen, "%s", env);
		*found = 1;
		return 0;
	}
	if (src->prompt != NULL && isatty(STDIN_FILENO) &&
	    prompt_secret(src->prompt, out, outlen) == 0)
		*found = 1;
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

