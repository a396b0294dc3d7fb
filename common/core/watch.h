/* core/watch.h — change events for `--watch`: what every watching tool
 * shares, whatever its device.
 *
 * A watcher follows, per target, a set of states, each under a key (the
 * "pair": "power" is ONLINE or ONBATT, "comm" is COMMOK or COMMBAD).
 * Each poll sets the current state of every key it can judge; a state
 * that differs from the one before is an event.  The first state seen
 * for a key is no event unless the caller wants the initial states
 * reported (--initial).  A key the poll could not judge (the device did
 * not answer) keeps its state, so what changed meanwhile is reported
 * when it answers again, against the last state seen.
 *
 * An event carries the values that explain it ("ups.status=OB DISCHRG
 * battery.charge=97") and a note; rendering (text line, JSON Lines) is
 * pk_event_text and pk_event_json.  Nothing here prints. */
#ifndef PK_WATCH_H
#define PK_WATCH_H

#include <stddef.h>
#include <time.h>

#include "core/buf.h"
#include "core/check.h"

#define PK_EVENT_NAME_MAX 40
#define PK_EVENT_VALUES 6

struct pk_event_value {
	char name[64];
	char value[160];
};

struct pk_event {
	time_t when;
	char target[300];                       /* "ups@host:3493" */
	char event[PK_EVENT_NAME_MAX];          /* "ONBATT" */
	char previous[PK_EVENT_NAME_MAX];       /* the key's state before, "" at the start */
	enum pk_check_state state;              /* how bad the new state is */
	struct pk_event_value values[PK_EVENT_VALUES];
	size_t nvalues;
	char note[240];                         /* "(range 300:)", an error message, or "" */
};

struct pk_events {
	struct pk_event *v;
	size_t n, cap;
	int oom;
};

/* One key of a target and its state ("" before the first poll judged it). */
struct pk_watch_key {
	char key[80];
	char state[PK_EVENT_NAME_MAX];
	enum pk_check_state level;   /* the state's check state, for hysteresis */
};

/* Everything followed about one target. */
struct pk_watch_target {
	char target[300];
	struct pk_watch_key *keys;
	size_t n, cap;
	int loaded;                  /* read from a state file (pk_watch_load) */
	int seen;                    /* looked up since the load */
};

struct pk_watch {
	struct pk_watch_target *targets;
	size_t n, cap;
	int report_initial;          /* --initial: the first state of each key is an event */
	int oom;
};

/* The target's record, created empty on first use; NULL when memory ran out. */
struct pk_watch_target *pk_watch_target(struct pk_watch *w, const char *target);

/* 1 when target has no state yet (the watch starts, or --once has no
 * state of it); its record is created. */
int pk_watch_is_new(struct pk_watch *w, const char *target);

/* The key's record in t (created with state ""), or NULL when memory ran out. */
struct pk_watch_key *pk_watch_key(struct pk_watch *w, struct pk_watch_target *t,
                                  const char *key);

/* Sets key's state in t.  When it changed (or is the first one and the
 * initial states are reported), appends an event to evs and returns it
 * for the caller to add values and a note; else NULL. */
struct pk_event *pk_watch_set(struct pk_watch *w, struct pk_watch_target *t, const char *key,
                              const char *state, enum pk_check_state level, time_t when,
                              struct pk_events *evs);

/* A key judged, but in no state an event names (a UPS with no battery
 * test to report): no event now, and the next state set is one, with
 * no previous state, even though it is the key's first. */
#define PK_WATCH_QUIET "-"
void pk_watch_quiet(struct pk_watch *w, struct pk_watch_target *t, const char *key);

/* Appends a value to an event (left out past PK_EVENT_VALUES). */
void pk_event_value(struct pk_event *e, const char *name, const char *value);

/* "2026-11-30T08:15:02Z ups@host:3493 ONBATT ups.status=OB DISCHRG
 * battery.charge=97", then the note; device text escaped (core/text). */
void pk_event_text(struct pk_buf *b, const struct pk_event *e);

/* The time as the text line writes it (UTC, seconds): out holds 21 bytes. */
void pk_event_time(time_t when, char out[21]);

/* One JSON object (no newline): {"time":..,"target":..,"event":..,
 * "state":"WARNING","previous":"ONLINE" or null,"values":{..},"note":..}
 * (values as numbers where they are numbers; note left out when empty). */
void pk_event_json(struct pk_buf *b, const struct pk_event *e);

/* The detail of an event as one line: its values "name=value" and its
 * note, separated by blanks (device text as it came; for --exec). */
void pk_event_detail(struct pk_buf *b, const struct pk_event *e);

/* The states as a state file: a first line naming the format and its
 * version, then per target "T<TAB>target" and per key
 * "K<TAB>key<TAB>state<TAB>level". */
void pk_watch_save(const struct pk_watch *w, struct pk_buf *b);

/* Reads a state file's text into w (empty before): 0, or -1 when it is
 * not one of this version or a line is malformed (w is then emptied:
 * the caller starts afresh and says so). */
int pk_watch_load(struct pk_watch *w, const char *text, size_t len);

/* After a poll of every target, against the states loaded from a file:
 * a loaded target the poll did not judge is gone (TARGET_GONE, and
 * forgotten), a target the file did not have is new (TARGET_ADDED) when
 * a file was read (had_file).  Each is reported once: the next state
 * file has the targets of this run. */
void pk_watch_membership(struct pk_watch *w, int had_file, time_t when,
                         struct pk_events *evs);

void pk_events_clear(struct pk_events *evs);
void pk_events_free(struct pk_events *evs);
void pk_watch_free(struct pk_watch *w);

#endif
