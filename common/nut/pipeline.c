#include "nut/pipeline.h"

#include "core/clock.h"

#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
nut_kvlist_add(struct nut_kvlist *l, const char *name, const char *value)
{
	struct nut_kv *kv;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		struct nut_kv *v = realloc(l->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	kv = &l->v[l->n];
	kv->name = strdup(name);
	kv->value = value ? strdup(value) : NULL;
	if (kv->name == NULL || (value && kv->value == NULL)) {
		free(kv->name);
		free(kv->value);
		return -1;
	}
	l->n++;
	return 0;
}

void
nut_kvlist_free(struct nut_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *
nut_kvlist_find(const struct nut_kvlist *l, const char *name)
{
	int first = tolower((unsigned char)name[0]);
	size_t i;

	/* The first letter rules out most names before the full compare. */
	for (i = 0; i < l->n; i++)
		if (tolower((unsigned char)l->v[i].name[0]) == first &&
		    strcasecmp(l->v[i].name, name) == 0)
			return l->v[i].value;
	return NULL;
}

static int
oom(struct pk_err *err)
{
	return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
}

int
nut_list_send(struct nut_client *c, const char *what, const char *a1, const char *a2,
              struct pk_err *err)
{
	const char *args[3] = { what, a1, a2 };
	size_t n = a1 == NULL ? 1 : a2 == NULL ? 2 : 3;

	return nut_send(c, "LIST", n, args, 0, err);
}

int
nut_list_read(struct nut_client *c, const char *label, size_t name_idx, int value_idx,
              struct nut_kvlist *out, struct pk_err *err)
{
	int rc = nut_list_begin(c, label, err), done = 0;

	while (rc == 0) {
		const struct nut_words *w = &c->words;

		rc = nut_list_next(c, &done, err);
		if (rc != 0 || done)
			break;
		if (w->n <= name_idx || (value_idx >= 0 && w->n <= (size_t)value_idx))
			return pk_err_set(err, PK_ECOMM, "malformed", "%s: short list item '%s'",
			                  c->where, nut_excerpt(c));
		if (nut_kvlist_add(out, w->w[name_idx], value_idx >= 0 ? w->w[value_idx] : NULL))
			return oom(err);
	}
	return rc;
}

int
nut_list_get(struct nut_client *c, const char *what, const char *a1, const char *a2,
             size_t name_idx, int value_idx, struct nut_kvlist *out, struct pk_err *err)
{
	int rc = nut_list_send(c, what, a1, a2, err);

	if (rc == 0)
		rc = nut_flush(c, err);
	return rc ? rc : nut_list_read(c, a2, name_idx, value_idx, out, err);
}

/* An ERR about one variable is kept with it; anything else is fatal. */
static int
per_var_error(const struct pk_err *e)
{
	return e->status == PK_ENOTFOUND && strcmp(e->kind, "UNKNOWN-UPS") != 0;
}

/* An ERR that says the UPS as a whole cannot answer. */
static int
whole_ups_error(const struct pk_err *e)
{
	return strcmp(e->kind, "UNKNOWN-UPS") == 0 || strcmp(e->kind, "DATA-STALE") == 0 ||
	       strcmp(e->kind, "DRIVER-NOT-CONNECTED") == 0 || e->status == PK_EAUTH;
}

/* Reads the reply of a request that is optional (unsupported = empty). */
static int
optional_status(int rc, struct pk_err *e)
{
	if (rc != 0 && rc != PK_ECOMM && nut_err_is_unsupported(e->kind)) {
		pk_err_clear(e);
		return 0;
	}
	return rc;
}

static int
read_info(struct nut_client *c, struct nut_varinfo *vi, int want_desc, struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	struct pk_err e = { 0 };
	int rc, step;
	size_t i;

	for (step = 0; step < 3 + want_desc; step++) {
		pk_err_clear(&e);
		if (step == 0) {          /* GET TYPE */
			rc = optional_status(nut_reply(c, vi->name, &e), &e);
			if (rc == 0 && e.status == 0 && c->words.n > 0 && strcmp(c->words.w[0], "TYPE") == 0)
				nut_type_parse(&c->words, &vi->type);
		} else if (step < 3) {    /* LIST ENUM, LIST RANGE */
			l.n = 0;
			rc = optional_status(nut_list_read(c, vi->name, 3, step == 2 ? 4 : -1, &l, &e), &e);
			for (i = 0; rc == 0 && i < l.n; i++) {
				if (step == 1)
					rc = nut_varinfo_add_enum(vi, l.v[i].name) ? oom(&e) : 0;
				else if (vi->nrange < NUT_MAX_RANGES) {
					vi->range[vi->nrange][0] = strtol(l.v[i].name, NULL, 10);
					vi->range[vi->nrange++][1] = strtol(l.v[i].value, NULL, 10);
				}
			}
			nut_kvlist_free(&l);
		} else {                  /* GET DESC */
			rc = optional_status(nut_reply(c, vi->name, &e), &e);
			if (rc == 0 && c->words.n >= 4 && !vi->desc)
				vi->desc = strdup(c->words.w[c->words.n - 1]);
		}
		if (rc != 0 && per_var_error(&e)) {
			if (vi->err.status == 0)
				vi->err = e;
			rc = 0;
		}
		if (rc != 0) {
			*err = e;
			return rc;
		}
	}
	return 0;
}

int
nut_fetch_info(struct nut_client *c, const char *ups, struct nut_varinfo *vis, size_t n,
               int want_desc, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *args[3] = { "TYPE", ups, vis[i].name };

		rc = nut_send(c, "GET", 3, args, 0, err);
		if (rc == 0)
			rc = nut_list_send(c, "ENUM", ups, vis[i].name, err);
		if (rc == 0)
			rc = nut_list_send(c, "RANGE", ups, vis[i].name, err);
		if (rc == 0 && want_desc) {
			args[0] = "DESC";
			rc = nut_send(c, "GET", 3, args, 0, err);
		}
	}
	if (rc == 0)
		rc = nut_flush(c, err);
	for (i = 0; i < n && rc == 0; i++)
		rc = read_info(c, &vis[i], want_desc, err);
	return rc;
}

/* 1 when a GET reply repeats the query: "<WHAT> [ups] <name> <value>"
 * (names compared case-insensitively; upsd echoes the client's case). */
static int
echoes(const struct nut_words *w, const char *what, const char *ups, const char *name)
{
	size_t at = ups ? 2 : 1;

	return w->n >= at + 2 && strcmp(w->w[0], what) == 0 &&
	       (ups == NULL || strcasecmp(w->w[1], ups) == 0) && strcasecmp(w->w[at], name) == 0;
}

int
nut_get_many_send(struct nut_client *c, const char *what, const char *ups,
                  const struct nut_kvlist *items, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < items->n && rc == 0; i++) {
		const char *args[3] = { what, ups, items->v[i].name };

		if (ups == NULL)
			args[1] = items->v[i].name;  /* GET NUMLOGINS <ups> */
		rc = nut_send(c, "GET", ups ? 3 : 2, args, 0, err);
	}
	return rc;
}

int
nut_get_many_read(struct nut_client *c, const char *what, const char *ups,
                  struct nut_kvlist *items, struct pk_err *errs, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < items->n && rc == 0; i++) {
		struct pk_err *e = &errs[i];

		pk_err_clear(e);
		rc = nut_reply(c, items->v[i].name, e);
		if (rc == 0 && !echoes(&c->words, what, ups, items->v[i].name)) {
			rc = pk_err_set(e, PK_ECOMM, "malformed",
			                "%s: reply does not answer GET %s %s: '%s'", c->where, what,
			                items->v[i].name, nut_excerpt(c));
		}
		if (rc == 0) {
			free(items->v[i].value);
			items->v[i].value = strdup(c->words.w[c->words.n - 1]);
		} else if (rc != PK_ECOMM && !whole_ups_error(e)) {
			rc = 0;  /* kept in errs[i] */
		} else {
			*err = *e;
		}
	}
	return rc;
}

int
nut_get_many(struct nut_client *c, const char *what, const char *ups,
             struct nut_kvlist *items, struct pk_err *errs, struct pk_err *err)
{
	int rc = nut_get_many_send(c, what, ups, items, err);

	if (rc == 0)
		rc = nut_flush(c, err);
	return rc ? rc : nut_get_many_read(c, what, ups, items, errs, err);
}

int
nut_first_failure(const struct pk_err *errs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (errs[i].status != 0)
			return errs[i].status;
	return 0;
}

/* ESPHome answers every SET VAR with CMD-NOT-SUPPORTED: the server
 * refuses to set anything, the variable is not missing (exit 1, not 5). */
static void
set_unsupported(const char *verb, struct nut_change *ch)
{
	if (strcmp(verb, "SET VAR") == 0 && strcmp(ch->err.kind, "CMD-NOT-SUPPORTED") == 0)
		pk_err_set(&ch->err, PK_EREFUSED, "CMD-NOT-SUPPORTED",
		           "%s: the server does not support SET VAR (server said ERR CMD-NOT-SUPPORTED)",
		           ch->name);
}

int
nut_send_changes(struct nut_client *c, const char *verb, const char *ups,
                 struct nut_change *ch, size_t n, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *args[3] = { ups, ch[i].name, ch[i].value };
		rc = nut_send(c, verb, ch[i].value ? 3 : 2, args, ch[i].value != NULL, err);
	}
	if (rc == 0)
		rc = nut_flush(c, err);
	for (i = 0; i < n && rc == 0; i++) {
		rc = nut_reply_tracked(c, ch[i].name, ch[i].id, sizeof ch[i].id, &ch[i].err);
		if (rc == 0)
			snprintf(ch[i].result, sizeof ch[i].result, "OK");
		else if (rc != PK_ECOMM) {
			set_unsupported(verb, &ch[i]);
			rc = 0;  /* a refusal of this change only */
		}
		else
			*err = ch[i].err;
	}
	return rc;
}

static int
wait_readback(struct nut_client *c, const char *ups, struct nut_change *ch,
              struct pk_err *err)
{
	char now[512];

	for (;;) {
		int rc = nut_get_var(c, ups, ch->name, now, sizeof now, &ch->err);

		if (rc == PK_ECOMM) {
			*err = ch->err;
			return rc;
		}
		if (rc == 0 && strcmp(now, ch->value) == 0) {
			snprintf(ch->result, sizeof ch->result, "CONFIRMED");
			return 0;
		}
		if (pk_ms_left(c->opts.deadline) <= 200) {
			pk_err_set(&ch->err, PK_EREFUSED, "timeout",
			           "%s: still '%s', not '%s', at the timeout", ch->name, now,
			           ch->value);
			return 0;
		}
		pk_sleep_ms(200, c->opts.deadline);
	}
}

int
nut_wait_changes(struct nut_client *c, const char *ups, struct nut_change *ch, size_t n,
                 int readback, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		struct nut_change *x = &ch[i];

		if (x->err.status != 0)
			continue;
		if (x->id[0] == '\0') {
			if (readback && x->value != NULL)
				rc = wait_readback(c, ups, x, err);
			continue;
		}
		rc = nut_tracking_wait(c, x->id, 100, x->result, sizeof x->result, &x->err);
		if (rc == PK_ECOMM) {
			*err = x->err;
			break;
		}
		if (rc != 0) {
			snprintf(x->result, sizeof x->result, "PENDING");
			pk_err_prefix(&x->err, "%s", x->name);
			rc = 0;
		} else if (strcmp(x->result, "SUCCESS") != 0) {
			pk_err_set(&x->err, PK_EREFUSED, x->result, "%s: the driver reported %s",
			           x->name, x->result);
		}
	}
	return rc;
}

int
nut_changes_status(const struct nut_change *ch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ch[i].err.status != 0)
			return ch[i].err.status;
	return 0;
}

int
nut_names_sendable(const struct nut_kvlist *l, const char *what, struct pk_err *err)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const unsigned char *p = (const unsigned char *)l->v[i].name;
		char shown[160];
		size_t n = 0;

		if (nut_printable(l->v[i].name))
			continue;
		/* Shown escaped as \xNN, cut with "..." when long. */
		for (; *p && n + 8 < sizeof shown; p++) {
			if (*p < 0x20 || *p > 0x7e || *p == '\\')
				n += (size_t)snprintf(shown + n, sizeof shown - n, "\\x%02x", *p);
			else
				shown[n++] = (char)*p;
		}
		snprintf(shown + n, sizeof shown - n, "%s", *p ? "..." : "");
		return pk_err_set(err, PK_ECOMM, "malformed",
		                  "the server sent a %s name that cannot be sent back to it "
		                  "(only printable ASCII can): \"%s\"", what, shown);
	}
	return 0;
}

int
nut_list_then_get(struct nut_client *c, const char *what, const char *ups, size_t name_idx,
                  const char *get, const char *get_ups, struct nut_kvlist *out,
                  struct pk_err *err)
{
	struct pk_err *errs = NULL;
	int rc = nut_list_get(c, what, ups, NULL, name_idx, -1, out, err);

	if (rc == 0)
		rc = nut_names_sendable(out, what, err);
	if (rc == 0 && out->n > 0 && (errs = calloc(out->n, sizeof *errs)) == NULL)
		rc = oom(err);
	if (rc == 0 && out->n > 0)
		rc = nut_get_many(c, get, get_ups, out, errs, err);
	free(errs);
	return rc;
}

/* GET NUMATTACH for the items whose NUMLOGINS was refused as unknown. */
static int
retry_numattach(struct nut_client *c, struct nut_kvlist *out, const struct pk_err *errs,
                struct pk_err *err)
{
	struct nut_kvlist retry = { 0 };
	struct pk_err *rerrs = NULL;
	size_t i, k;
	int rc = 0;

	for (i = 0; rc == 0 && i < out->n; i++)
		if (errs[i].status != 0 && nut_err_is_unsupported(errs[i].kind) &&
		    nut_kvlist_add(&retry, out->v[i].name, NULL) != 0)
			rc = oom(err);
	if (rc == 0 && retry.n > 0 && (rerrs = calloc(retry.n, sizeof *rerrs)) == NULL)
		rc = oom(err);
	if (rc == 0 && retry.n > 0)
		rc = nut_get_many(c, "NUMATTACH", NULL, &retry, rerrs, err);
	for (i = 0, k = 0; rc == 0 && i < out->n && k < retry.n; i++) {
		if (strcmp(out->v[i].name, retry.v[k].name) != 0)
			continue;
		if (retry.v[k].value != NULL && (out->v[i].value = strdup(retry.v[k].value)) == NULL)
			rc = oom(err);
		k++;
	}
	free(rerrs);
	nut_kvlist_free(&retry);
	return rc;
}

int
nut_fetch_logins(struct nut_client *c, struct nut_kvlist *out, struct pk_err *err)
{
	struct pk_err *errs = NULL;
	int rc = nut_list_get(c, "UPS", NULL, NULL, 1, -1, out, err);

	if (rc == 0)
		rc = nut_names_sendable(out, "UPS", err);
	if (rc == 0 && out->n > 0 && (errs = calloc(out->n, sizeof *errs)) == NULL)
		rc = oom(err);
	if (rc == 0 && out->n > 0)
		rc = nut_get_many(c, "NUMLOGINS", NULL, out, errs, err);
	if (rc == 0 && out->n > 0)
		rc = retry_numattach(c, out, errs, err);
	free(errs);
	return rc;
}

void
nut_varinfos_free(struct nut_varinfo *vis, size_t n)
{
	size_t i;

	for (i = 0; vis != NULL && i < n; i++)
		nut_varinfo_free(&vis[i]);
	free(vis);
}

int
nut_fetch_rw(struct nut_client *c, const char *ups, struct nut_varinfo **vis, size_t *n,
             struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	size_t i;
	int rc = nut_list_get(c, "RW", ups, NULL, 2, 3, &l, err);

	if (rc == 0)
		rc = nut_names_sendable(&l, "RW", err);
	*vis = NULL;
	*n = 0;
	if (rc == 0 && l.n > 0 && (*vis = calloc(l.n, sizeof **vis)) == NULL)
		rc = oom(err);
	for (i = 0; rc == 0 && i < l.n; i++) {
		/* Ownership of the strings moves from the list. */
		(*vis)[i].name = l.v[i].name;
		(*vis)[i].value = l.v[i].value;
		l.v[i].name = l.v[i].value = NULL;
		(*n)++;
	}
	if (rc == 0)
		rc = nut_fetch_info(c, ups, *vis, *n, 1, err);
	nut_kvlist_free(&l);
	return rc;
}

int
nut_fetch_cmds(struct nut_client *c, const char *ups, struct nut_kvlist *out,
               struct pk_err *err)
{
	return nut_list_then_get(c, "CMD", ups, 2, "CMDDESC", ups, out, err);
}

int
nut_fetch_clients(struct nut_client *c, const char *ups, struct nut_kvlist *out,
                  struct pk_err *err)
{
	int rc = nut_list_get(c, "CLIENT", ups, NULL, 2, -1, out, err);

	/* ESPHome refuses LIST CLIENT <ups> and has a non-standard LIST
	 * CLIENTS instead, for the whole server (it serves one UPS), answered
	 * "BEGIN LIST CLIENT", "CLIENT <ip> <seconds> <state>" lines and
	 * "END LIST CLIENT": the address is word 1. */
	if (rc != 0 && rc != PK_ECOMM && nut_err_is_unsupported(err->kind))
		rc = nut_list_get(c, "CLIENTS", NULL, NULL, 1, -1, out, err);
	if (rc != 0 && rc != PK_ECOMM && nut_err_is_unsupported(err->kind)) {
		char word[sizeof err->kind];

		snprintf(word, sizeof word, "%s", err->kind);
		rc = pk_err_set(err, PK_EREFUSED, word,
		                "the server offers neither LIST CLIENT nor LIST CLIENTS (server said ERR %s)",
		                word);
	}
	return rc;
}

int
nut_check_cmd_listed(struct nut_client *c, const char *ups, const char *cmd,
                     struct pk_err *err)
{
	struct nut_kvlist l = { 0 };
	/* Value word = name word, so that nut_kvlist_find says "listed". */
	int rc = nut_list_get(c, "CMD", ups, NULL, 2, 2, &l, err);

	if (rc != 0 && rc != PK_ECOMM && nut_err_is_unsupported(err->kind)) {
		pk_err_clear(err);
		rc = 0;
	} else if (rc == 0 && nut_kvlist_find(&l, cmd) == NULL) {
		rc = pk_err_set(err, PK_ENOTFOUND, "CMD-NOT-SUPPORTED",
		                "%s: instant command not supported by the UPS (not in LIST CMD)",
		                cmd);
	}
	nut_kvlist_free(&l);
	return rc;
}

int
nut_check_changes(struct nut_client *c, const char *ups, struct nut_change *ch, size_t n,
                  struct pk_err *err)
{
	struct nut_varinfo *vis = calloc(n ? n : 1, sizeof *vis);
	size_t i;
	int rc = vis ? 0 : oom(err);

	for (i = 0; rc == 0 && i < n; i++)
		if ((vis[i].name = strdup(ch[i].name)) == NULL)
			rc = oom(err);
	if (rc == 0)
		rc = nut_fetch_info(c, ups, vis, n, 0, err);
	for (i = 0; rc == 0 && i < n; i++) {
		if (vis[i].err.status != 0)
			ch[i].err = vis[i].err;
		else
			nut_validate(&vis[i], ch[i].value, &ch[i].err);
	}
	nut_varinfos_free(vis, n);
	for (i = 0; rc == 0 && i < n; i++)
		if (ch[i].err.status != 0) {
			*err = ch[i].err;
			rc = err->status;
		}
	return rc;
}

int
nut_change_requests(struct pk_buf *b, const char *verb, const char *ups,
                    const struct nut_change *ch, size_t n, struct pk_err *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		pk_buf_printf(b, "%s ", verb);
		rc = nut_append_word(b, ups, 0, err);
		pk_buf_addc(b, ' ');
		if (rc == 0)
			rc = nut_append_word(b, ch[i].name, 0, err);
		if (rc == 0 && ch[i].value != NULL) {
			pk_buf_addc(b, ' ');
			rc = nut_append_word(b, ch[i].value, 1, err);
		}
		pk_buf_addc(b, '\n');
	}
	return rc;
}

int
nut_fetch_server(struct nut_client *c, struct nut_server_info *s, struct pk_err *err)
{
	int sup, rc;

	memset(s, 0, sizeof *s);
	/* nut_ask_text leaves "" (unknown) when the server lacks the verb. */
	rc = nut_server_version(c, s->version, sizeof s->version, &sup, err);
	/* NETVER; newer servers call it PROTVER. */
	if (rc == 0)
		rc = nut_ask_text(c, "NETVER", s->protocol, sizeof s->protocol, &sup, err);
	if (rc == 0 && !sup)
		rc = nut_ask_text(c, "PROTVER", s->protocol, sizeof s->protocol, &sup, err);
	if (rc == 0)
		rc = nut_ask_text(c, "HELP", s->help, sizeof s->help, &sup, err);
	if (rc == 0)
		rc = nut_fetch_logins(c, &s->logins, err);
	return rc;
}

void
nut_server_info_free(struct nut_server_info *s)
{
	nut_kvlist_free(&s->logins);
}
