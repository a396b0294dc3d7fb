#include "core/watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/text.h"

struct pk_watch_target *
pk_watch_target(struct pk_watch *w, const char *target)
{
	struct pk_watch_target *t;
	size_t i;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->targets[i].target, target) == 0) {
			w->targets[i].seen = 1;
			return &w->targets[i];
		}
	if ((t = pk_array_grow(w->targets, &w->cap, w->n, sizeof *t)) == NULL) {
		w->oom = 1;
		return NULL;
	}
	w->targets = t;
	t = &w->targets[w->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->target, sizeof t->target, "%s", target);
	t->seen = 1;
	return t;
}

int
pk_watch_is_new(struct pk_watch *w, const char *target)
{
	const struct pk_watch_target *t = pk_watch_target(w, target);

	return t != NULL && t->n == 0;
}

struct pk_watch_key *
pk_watch_key(struct pk_watch *w, struct pk_watch_target *t, const char *key)
{
	struct pk_watch_key *k;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->keys[i].key, key) == 0)
			return &t->keys[i];
	if ((k = pk_array_grow(t->keys, &t->cap, t->n, sizeof *k)) == NULL) {
		w->oom = 1;
		return NULL;
	}
	t->keys = k;
	k = &t->keys[t->n++];
	memset(k, 0, sizeof *k);
	snprintf(k->key, sizeof k->key, "%s", key);
	return k;
}

/* Appends an event, or NULL when memory ran out. */
static struct pk_event *
event_add(struct pk_events *evs, const char *target, const char *event, const char *previous,
          enum pk_check_state level, time_t when)
{
	struct pk_event *e = pk_array_grow(evs->v, &evs->cap, evs->n, sizeof *e);

	if (e == NULL) {
		evs->oom = 1;
		return NULL;
	}
	evs->v = e;
	e = &evs->v[evs->n++];
	memset(e, 0, sizeof *e);
	e->when = when;
	e->state = level;
	snprintf(e->target, sizeof e->target, "%s", target);
	snprintf(e->event, sizeof e->event, "%s", event);
	snprintf(e->previous, sizeof e->previous, "%s", previous);
	return e;
}

struct pk_event *
pk_watch_set(struct pk_watch *w, struct pk_watch_target *t, const char *key,
             const char *state, enum pk_check_state level, time_t when, struct pk_events *evs)
{
	struct pk_watch_key *k = pk_watch_key(w, t, key);
	struct pk_event *e = NULL;

	if (k == NULL || strcmp(k->state, state) == 0)
		return NULL;
	if (k->state[0] != '\0' || w->report_initial) {
		e = event_add(evs, t->target, state,
		              strcmp(k->state, PK_WATCH_QUIET) == 0 ? "" : k->state, level, when);
		if (e == NULL)
			return NULL;  /* the state stays: the event comes at the next poll */
	}
	snprintf(k->state, sizeof k->state, "%s", state);
	k->level = level;
	return e;
}

void
pk_watch_quiet(struct pk_watch *w, struct pk_watch_target *t, const char *key)
{
	struct pk_watch_key *k = pk_watch_key(w, t, key);

	if (k != NULL) {
		snprintf(k->state, sizeof k->state, "%s", PK_WATCH_QUIET);
		k->level = PK_CHECK_OK;
	}
}

/* --- state files ------------------------------------------------------------ */

#define STATE_MAGIC "powerkit watch state 1"

void
pk_watch_save(const struct pk_watch *w, struct pk_buf *b)
{
	size_t i, k;

	pk_buf_printf(b, "%s\n", STATE_MAGIC);
	for (i = 0; i < w->n; i++) {
		const struct pk_watch_target *t = &w->targets[i];

		pk_buf_printf(b, "T\t%s\n", t->target);
		for (k = 0; k < t->n; k++)
			pk_buf_printf(b, "K\t%s\t%s\t%d\n", t->keys[k].key, t->keys[k].state,
			              (int)t->keys[k].level);
	}
}

/* Splits line (NUL-terminated, modified) at tabs into at most max
 * fields: their count. */
static size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = line;
		if ((line = strchr(line, '\t')) == NULL)
			break;
		*line++ = '\0';
	}
	return line == NULL ? n : max + 1;
}

/* One line of a state file into w: 0 or -1. */
static int
load_line(struct pk_watch *w, char *line, struct pk_watch_target **t)
{
	struct pk_watch_key *k;
	char *f[4];
	size_t n = split_tabs(line, f, 4);

	if (n == 2 && strcmp(f[0], "T") == 0 && f[1][0] != '\0' &&
	    strlen(f[1]) < sizeof (*t)->target) {
		if ((*t = pk_watch_target(w, f[1])) == NULL)
			return -1;
		(*t)->loaded = 1;
		(*t)->seen = 0;
		return 0;
	}
	if (n != 4 || strcmp(f[0], "K") != 0 || *t == NULL || f[1][0] == '\0' ||
	    strlen(f[1]) >= sizeof k->key || strlen(f[2]) >= sizeof k->state ||
	    strlen(f[3]) != 1 || f[3][0] < '0' || f[3][0] > '3')
		return -1;
	if ((k = pk_watch_key(w, *t, f[1])) == NULL)
		return -1;
	snprintf(k->state, sizeof k->state, "%s", f[2]);
	k->level = (enum pk_check_state)(f[3][0] - '0');
	return 0;
}

int
pk_watch_load(struct pk_watch *w, const char *text, size_t len)
{
	struct pk_watch_target *t = NULL;
	struct pk_buf line = { 0 };
	size_t at = 0, n;
	int rc = 0, first = 1;

	while (rc == 0 && at < len) {
		const char *nl = memchr(text + at, '\n', len - at);

		n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
		pk_buf_reset(&line);
		if (memchr(text + at, '\0', n) != NULL || pk_buf_add(&line, text + at, n) != 0)
			rc = -1;
		else if (first)
			rc = strcmp(pk_buf_str(&line), STATE_MAGIC) == 0 ? 0 : -1;
		else if (n > 0)
			rc = load_line(w, line.data, &t);
		first = 0;
		at += n + 1;
	}
	pk_buf_free(&line);
	if (first)
		rc = -1;  /* empty */
	if (rc != 0) {
		int initial = w->report_initial;

		pk_watch_free(w);
		w->report_initial = initial;
	}
	return rc;
}

void
pk_watch_membership(struct pk_watch *w, int had_file, time_t when, struct pk_events *evs)
{
	size_t i = 0, n = 0;

	for (i = 0; i < w->n; i++) {
		struct pk_watch_target *t = &w->targets[i];

		if (t->loaded && !t->seen) {
			event_add(evs, t->target, "TARGET_GONE", "", PK_CHECK_OK, when);
			free(t->keys);
			continue;
		}
		if (!t->loaded && had_file)
			event_add(evs, t->target, "TARGET_ADDED", "", PK_CHECK_OK, when);
		w->targets[n++] = *t;
	}
	w->n = n;
}

void
pk_event_value(struct pk_event *e, const char *name, const char *value)
{
	struct pk_event_value *v;

	if (e == NULL || e->nvalues == PK_EVENT_VALUES)
		return;
	v = &e->values[e->nvalues++];
	snprintf(v->name, sizeof v->name, "%s", name);
	snprintf(v->value, sizeof v->value, "%s", value);
}

void
pk_event_time(time_t when, char out[21])
{
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
pk_event_text(struct pk_buf *b, const struct pk_event *e)
{
	char when[21];
	size_t i;

	pk_event_time(e->when, when);
	pk_text_printf(b, 0, "%s %s %s", when, e->target, e->event);
	for (i = 0; i < e->nvalues; i++)
		pk_text_printf(b, 0, " %s=%s", e->values[i].name, e->values[i].value);
	if (e->note[0] != '\0')
		pk_text_printf(b, 0, " %s", e->note);
}

void
pk_event_detail(struct pk_buf *b, const struct pk_event *e)
{
	size_t i;

	for (i = 0; i < e->nvalues; i++)
		pk_buf_printf(b, "%s%s=%s", i > 0 ? " " : "", e->values[i].name, e->values[i].value);
	if (e->note[0] != '\0')
		pk_buf_printf(b, "%s%s", e->nvalues > 0 ? " " : "", e->note);
}

void
pk_event_json(struct pk_buf *b, const struct pk_event *e)
{
	struct pk_json j;
	char when[21];
	size_t i;

	pk_event_time(e->when, when);
	pk_json_init(&j, b);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "time", when);
	pk_json_kv_str(&j, "target", e->target);
	pk_json_kv_str(&j, "event", e->event);
	pk_json_kv_str(&j, "state", pk_check_state_name(e->state));
	pk_json_key(&j, "previous");
	if (e->previous[0] != '\0')
		pk_json_str(&j, e->previous);
	else
		pk_json_null(&j);
	pk_json_key(&j, "values");
	pk_json_obj_begin(&j);
	for (i = 0; i < e->nvalues; i++) {
		pk_json_key(&j, e->values[i].name);
		pk_json_auto(&j, e->values[i].value);
	}
	pk_json_obj_end(&j);
	if (e->note[0] != '\0')
		pk_json_kv_str(&j, "note", e->note);
	pk_json_obj_end(&j);
}

void
pk_events_clear(struct pk_events *evs)
{
	evs->n = 0;
	evs->oom = 0;
}

void
pk_events_free(struct pk_events *evs)
{
	free(evs->v);
	memset(evs, 0, sizeof *evs);
}

void
pk_watch_free(struct pk_watch *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->targets[i].keys);
	free(w->targets);
	memset(w, 0, sizeof *w);
}
