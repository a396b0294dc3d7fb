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
};

/* Fills out with the secret.  Returns 0 with *found = 1 when one was
 * obtained, 0 with *found = 0 when none is available (not a terminal, no
 * source), or PK_EUSAGE when a password file cannot be read. */
int pk_secret_get(const struct pk_secret_src *src, char *out, size_t outlen,
                  int *found, struct pk_err *err);

/* The first non-empty of cli, getenv(envname), fallback (may be NULL). */
const char *pk_user_get(const char *cli, const char *envname, const char *fallback);

/* Overwrites a command-line secret in place so that ps(1) shows no
 * secret (curl's cleanarg). */
void pk_argv_blank(char *arg);


#endif
