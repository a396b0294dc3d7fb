/* cli/cred.h — secrets and user names, in the one precedence every tool
 * documents: command line, --password-file (first line), environment,
 * then a prompt with echo off, only when stdin is a terminal.  Secrets
 * never appear in output, traces or error messages. */
#ifndef PK_CRED_H
#define PK_CRED_H

#include <stddef.h>

#include "core/err.h"

struct pk_secret_src {
	const char *cli;      /* -p value, or NULL */
	const char *file;     /* --password-file path ("-" = stdin), or NULL */
	const char *envname;  /* e.g. "NUT_PASSWORD", or NULL */
	const char *prompt;   /* e.g. "Password for admin@host: ", or NULL = never prompt */
	const char *what;     /* its name in messages; NULL = "password" */
};

/* Fills out with the secret.  Returns 0 with *found = 1 when one was
 * obtained, 0 with *found = 0 when none is available (not a terminal, no
 * source), or PK_EUSAGE when it cannot be used: a CR, LF or NUL in it,
 * longer than outlen - 1 bytes (never cut), a password file that others
 * may read or write (the message gives the chmod), a directory, an
 * empty or unreadable file.  ^C or another ending signal at the prompt
 * restores the terminal's echo before the program ends. */
int pk_secret_get(const struct pk_secret_src *src, char *out, size_t outlen,
                  int *found, struct pk_err *err);

/* Refuses a credential (what names it in the message) that holds CR,
 * LF or NUL in its len bytes, or is longer than max bytes: PK_EUSAGE,
 * as nothing may be sent with it. */
int pk_cred_check(const char *what, const char *value, size_t len, size_t max,
                  struct pk_err *err);

/* The first non-empty of cli, getenv(envname), fallback (may be NULL). */
const char *pk_user_get(const char *cli, const char *envname, const char *fallback);

/* Overwrites a command-line secret in place so that ps(1) shows no
 * secret (curl's cleanarg). */
void pk_argv_blank(char *arg);


#endif
