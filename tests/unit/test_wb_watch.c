/* Unit tests for common/wattbox/watch.c: the unit's ~OutletStatus pushes
 * turned into outlet events. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "wattbox/watch.h"

/* The events the push gave, as text lines after the time, joined by '|';
 * taken tells whether the push was taken. */
static const char *
push(struct wb_watcher *w, const char *states, int *taken)
{
	static char out[1024];
	struct pk_buf line = { 0 };

	pk_events_clear(w->evs);
	*taken = wb_watch_push(w, states, 0);
	out[0] = '\0';
	for (size_t i = 0; i < w->evs->n; i++) {
		pk_buf_reset(&line);
		pk_event_text(&line, &w->evs->v[i]);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "|" : "",
		         pk_buf_str(&line) + 21);   /* past the time */
	}
	pk_buf_free(&line);
	return out;
}

int
main(void)
{
	struct pk_watch states = { 0 };
	struct pk_events evs = { 0 };
	struct wb_watcher w;
	int taken;

	memset(&w, 0, sizeof w);
	w.target = "wb:23";
	w.states = &states;
	w.evs = &evs;
	w.r.st.count = 3;
	snprintf(w.r.st.o[0].name, WB_NAME_MAX, "NAS");
	snprintf(w.r.st.o[1].name, WB_NAME_MAX, "Amp, Rack");
	snprintf(w.r.st.o[2].name, WB_NAME_MAX, "Fan");

	TAP_STREQ(push(&w, "1,0,1", &taken), "", "before the read is judged: kept, no event");
	TAP_OK(taken && w.r.st.o[1].on == 0, "... its states are kept");
	w.judged = 1;
	TAP_STREQ(push(&w, "1,0,1", &taken), "", "the first judgement: the initial states, no event");
	TAP_STREQ(push(&w, "1,0,1", &taken), "", "a push that changes nothing: no event");
	TAP_STREQ(push(&w, "0,1,1", &taken),
	          "wb:23 OUTLET_OFF outlet=1 name=NAS|wb:23 OUTLET_ON outlet=2 name=Amp, Rack",
	          "two outlets changed: one event each, with number and name, in order");
	TAP_STREQ(push(&w, "0,1", &taken), "", "a push of another outlet count: ignored");
	TAP_OK(!taken, "... not taken");
	TAP_STREQ(push(&w, "0,x,1", &taken), "", "a malformed push: ignored");
	TAP_OK(!taken && w.r.st.o[1].on == 1, "... the states stay");
	TAP_STREQ(push(&w, "0,1,0", &taken), "wb:23 OUTLET_OFF outlet=3 name=Fan",
	          "then the next change");
	pk_events_free(&evs);
	pk_watch_free(&states);
	return TAP_DONE();
}
