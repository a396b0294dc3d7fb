/* watch.c — a PDU's change events (pdu/watch.h). */
#include <stdio.h>
#include <string.h>

#include "pdu/watch.h"

/* The load states the profiles read (pdu/profiles.c) that are events,
 * and how bad each is; any other ("unknown", "notSupported", a sensor
 * state of a profile without load states) keeps the state before.  A
 * tripped breaker is "tripped" here whatever the profile calls it
 * (pdu_load_tripped); its reset is the load state read after it. */
static const struct {
	const char *load, *event;
	enum pk_check_state level;
} load_events[] = {
	{ "normal", "BANK_LOAD_NORMAL", PK_CHECK_OK },
	{ "low", "BANK_LOAD_LOW", PK_CHECK_OK },
	{ "nearOverload", "BANK_LOAD_NEAR_OVERLOAD", PK_CHECK_WARNING },
	{ "overload", "BANK_LOAD_OVERLOAD", PK_CHECK_CRITICAL },
	{ "tripped", "BANK_TRIPPED", PK_CHECK_CRITICAL },
};

static void
judge_outlets(struct pk_watch *w, struct pk_watch_target *t, const struct pdu *p,
              const unsigned char *sel, time_t when, struct pk_events *evs)
{
	for (int i = 0; i < p->noutlets; i++) {
		const struct pdu_outlet *o = &p->outlets[i];
		char key[32], num[16];
		struct pk_event *e;

		if ((sel != NULL && !sel[i]) || o->state < 0)
			continue;
		/* On a daisy chain every unit has its outlet 1: the outlet is
		 * UNIT:N there, as get prints it, so units keep states apart. */
		if (p->nunits > 1)
			snprintf(num, sizeof num, "%d:%d", o->unit, o->number);
		else
			snprintf(num, sizeof num, "%d", o->number);
		snprintf(key, sizeof key, "outlet.%s", num);
		e = pk_watch_set(w, t, key, o->state ? "OUTLET_ON" : "OUTLET_OFF", PK_CHECK_OK, when,
		                 evs);
		pk_event_value(e, "outlet", num);
		pk_event_value(e, "name", o->name);
	}
}

static void
judge_banks(struct pk_watch *w, struct pk_watch_target *t, const struct pdu *p, time_t when,
            struct pk_events *evs)
{
	for (int i = 0; i < p->nbanks; i++) {
		const struct pdu_bank *b = &p->banks[i];
		char key[32], num[32];
		struct pk_event *e;
		const char *load = pdu_load_common(b->load_state);
		size_t k;

		for (k = 0; k < sizeof load_events / sizeof load_events[0]; k++)
			if (load != NULL && strcmp(load, load_events[k].load) == 0)
				break;
		if (k == sizeof load_events / sizeof load_events[0])
			continue;
		/* a chain: every unit has its bank 1, so the bank is UNIT:N */
		pdu_bank_label(p, i, num, sizeof num);
		snprintf(key, sizeof key, "bank.%s", num);
		e = pk_watch_set(w, t, key, load_events[k].event, load_events[k].level, when, evs);
		pk_event_value(e, "bank", num);
		snprintf(num, sizeof num, "%gA", b->load_a);
		pk_event_value(e, "current", num);
	}
}

void
pdu_watch_poll(struct pk_watch *w, const char *target, const struct pdu *p,
               const unsigned char *sel, const struct pk_err *err, time_t when,
               struct pk_events *evs)
{
	struct pk_watch_target *t = pk_watch_target(w, target);
	struct pk_event *e;

	if (t == NULL)
		return;
	if (err->status != 0) {
		e = pk_watch_set(w, t, "comm", "COMMBAD", PK_CHECK_CRITICAL, when, evs);
		if (e != NULL)
			snprintf(e->note, sizeof e->note, "%s",
			         err->msg[0] ? err->msg : pk_status_name(err->status));
		return;
	}
	pk_watch_set(w, t, "comm", "COMMOK", PK_CHECK_OK, when, evs);
	judge_outlets(w, t, p, sel, when, evs);
	judge_banks(w, t, p, when, evs);
}
