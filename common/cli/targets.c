#include "cli/targets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"

/* Keys whose value is a secret, in every tool's targets file. */
static const char *const secret_keys[] = {
	"password", "community", "write-community", "auth-password", "priv-password",
	"secret", NULL
};

/* A targets file larger than this is not a list of devices. */
#define TARGETS_MAX_BYTES (4 * 1024 * 1024)

static int
oom(struct pk_err *err)
{
	return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

int
pk_targets_secret_key(const char *key)
{
	size_t i;

	for (i = 0; secret_keys[i] != NULL; i++)
		if (strcmp(key, secret_keys[i]) == 0)
			return 1;
	return 0;
}

static struct pk_target_entry *
new_entry(struct pk_target_list *l, const char *spec, size_t len)
{
	struct pk_target_entry *e;

	if ((e = pk_array_grow(l->v, &l->cap, l->n, sizeof *e)) == NULL)
		return NULL;
	l->v = e;
	e = &l->v[l->n];
	memset(e, 0, sizeof *e);
	if ((e->spec = strndup(spec, len)) == NULL)
		return NULL;
	l->n++;
	return e;
}

int
pk_targets_add(struct pk_target_list *l, const char *spec, struct pk_err *err)
{
	return new_entry(l, spec, strlen(spec)) != NULL ? 0 : oom(err);
}

static int
add_setting(struct pk_target_entry *e, const char *word, size_t len, size_t eq)
{
	struct pk_target_kv *kv = realloc(e->kv, (e->nkv + 1) * sizeof *kv);

	if (kv == NULL)
		return -1;
	e->kv = kv;
	kv = &e->kv[e->nkv];
	kv->key = strndup(word, eq);
	kv->value = strndup(word + eq + 1, len - eq - 1);
	if (kv->key == NULL || kv->value == NULL) {
		free(kv->key);
		free(kv->value);
		return -1;
	}
	e->nkv++;
	return 0;
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line (no newline) into its target and settings; words are
 * separated by blanks, and a word starting with '#' starts a comment. */
static int
parse_line(struct pk_target_list *l, const char *s, size_t len, const char *where,
           size_t lineno, size_t *secret, struct pk_err *err)
{
	struct pk_target_entry *e = NULL;
	size_t i = 0;

	/* A NUL would end a word early in silence (a target "ups@nas\0x" read
	 * as "ups@nas", a secret cut short, a line "\0..." read as an empty
	 * target): no text file holds one. */
	if (memchr(s, '\0', len) != NULL)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "%s:%zu: a NUL byte (not a text file?)", where, lineno);
	for (;;) {
		size_t start, wlen;
		const char *eq;

		while (i < len && is_blank(s[i]))
			i++;
		if (i >= len || s[i] == '#')
			return 0;
		start = i;
		while (i < len && !is_blank(s[i]))
			i++;
		wlen = i - start;
		if (e == NULL) {
			if ((e = new_entry(l, s + start, wlen)) == NULL)
				return oom(err);
			snprintf(e->where, sizeof e->where, "%s:%zu", where, lineno);
			continue;
		}
		eq = memchr(s + start, '=', wlen);
		if (eq == NULL || eq == s + start)
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "%s: '%.*s' is not a setting KEY=VALUE", e->where,
			                  (int)(wlen > 60 ? 60 : wlen), s + start);
		if (add_setting(e, s + start, wlen, (size_t)(eq - (s + start))) != 0)
			return oom(err);
		if (*secret == 0 && pk_targets_secret_key(e->kv[e->nkv - 1].key))
			*secret = lineno;
	}
}

int
pk_targets_parse(struct pk_target_list *l, const char *text, size_t len, const char *name,
                 size_t *secret, struct pk_err *err)
{
	size_t off = 0, lineno = 0;

	*secret = 0;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - (text + off)) : len - off;
		int rc = parse_line(l, text + off, n, name, ++lineno, secret, err);

		if (rc != 0)
			return rc;
		off += n + 1;
	}
	return 0;
}

static int
slurp(FILE *f, const char *path, struct pk_buf *b, struct pk_err *err)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > TARGETS_MAX_BYTES)
			return pk_err_set(err, PK_EUSAGE, "usage",
			                  "targets file %s: larger than %d MiB", path,
			                  TARGETS_MAX_BYTES >> 20);
		if (pk_buf_add(b, chunk, n) != 0)
			return oom(err);
	}
	if (ferror(f))
		return pk_err_set(err, PK_EUSAGE, "usage", "targets file %s: %s", path,
		                  strerror(errno));
	return 0;
}

/* A file on disk that holds a secret must be private to its owner; a
 * pipe or terminal on stdin has no such file. */
static int
check_private(FILE *f, const char *path, size_t secret_line, struct pk_err *err)
{
	struct stat st;

	if (secret_line == 0 || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((st.st_mode & 077) == 0)
		return 0;
	return pk_err_set(err, PK_EUSAGE, "usage",
	                  "targets file %s holds a secret (line %zu) but its mode is %04o: "
	                  "run 'chmod 600 %s' first", path, secret_line,
	                  (unsigned)(st.st_mode & 07777), path);
}

int
pk_targets_read(struct pk_target_list *l, const char *path, struct pk_err *err)
{
	int from_stdin = strcmp(path, "-") == 0;
	FILE *f = from_stdin ? stdin : fopen(path, "r");
	const char *name = from_stdin ? "(stdin)" : path;
	struct pk_buf b = { 0 };
	size_t secret = 0;
	int rc;

	if (f == NULL)
		return pk_err_set(err, PK_EUSAGE, "usage", "targets file %s: %s", path,
		                  strerror(errno));
	rc = slurp(f, name, &b, err);
	if (rc == 0)
		rc = pk_targets_parse(l, b.data != NULL ? b.data : "", b.len, name, &secret, err);
	if (rc == 0)
		rc = check_private(f, path, secret, err);
	if (!from_stdin)
		fclose(f);
	pk_secret_wipe(b.data, b.len);
	pk_buf_free(&b);
	return rc;
}

int
pk_targets_check_keys(const struct pk_target_list *l, const char *const *known,
                      struct pk_err *err)
{
	size_t i, k, j;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < l->v[i].nkv; k++) {
			const char *key = l->v[i].kv[k].key;

			for (j = 0; known[j] != NULL && strcmp(known[j], key) != 0; j++)
				;
			if (known[j] == NULL)
				return pk_err_set(err, PK_EUSAGE, "usage", "%s: unknown setting '%.60s'",
				                  l->v[i].where, key);
		}
	return 0;
}

const char *
pk_target_setting(const struct pk_target_entry *e, const char *key)
{
	const char *v = NULL;
	size_t k;

	for (k = 0; k < e->nkv; k++)
		if (strcmp(e->kv[k].key, key) == 0)
			v = e->kv[k].value;
	return v;
}

void
pk_targets_free(struct pk_target_list *l)
{
	size_t i, k;

	for (i = 0; i < l->n; i++) {
		struct pk_target_entry *e = &l->v[i];

		for (k = 0; k < e->nkv; k++) {
			if (e->kv[k].value != NULL)
				pk_secret_wipe(e->kv[k].value, strlen(e->kv[k].value));
			free(e->kv[k].key);
			free(e->kv[k].value);
		}
		free(e->kv);
		free(e->spec);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
