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
		if (strcmp(w->targets[i].target, target) == 0)
			return &w->targets[i];
	if ((t = pk_array_grow(w->targets, &w->cap, w->n, sizeof *t)) == NULL) {
		w->oom = 1;
		return NULL;
	}
	w->targets = t;
	t = &w->targets[w->n++];
	memset(t, 0, sizeof *t);
	snprintf(t->target, sizeof t->target, "%s", target);
	return t;
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

struct pk_event *
pk_watch_set(struct pk_watch *w, struct pk_watch_target *t, const char *key,
             const char *state, enum pk_check_state level, time_t when, struct pk_events *evs)
{
	struct pk_watch_key *k = pk_watch_key(w, t, key);
	struct pk_event *e;
	int first;

	if (k == NULL || strcmp(k->state, state) == 0)
		return NULL;
	first = k->state[0] == '\0';
	if (first && !w->report_initial) {
		snprintf(k->state, sizeof k->state, "%s", state);
		k->level = level;
		return NULL;
	}
	if ((e = pk_array_grow(evs->v, &evs->cap, evs->n, sizeof *e)) == NULL) {
		evs->oom = 1;
		return NULL;  /* the state stays: the event comes at the next poll */
	}
	evs->v = e;
	e = &evs->v[evs->n++];
	memset(e, 0, sizeof *e);
	e->when = when;
	e->state = level;
	snprintf(e->target, sizeof e->target, "%s", t->target);
	snprintf(e->event, sizeof e->event, "%s", state);
	snprintf(e->previous, sizeof e->previous, "%s", k->state);
	snprintf(k->state, sizeof k->state, "%s", state);
	k->level = level;
	return e;
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
