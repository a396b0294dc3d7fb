/* Unit tests for common/pdu/watch.c: a PDU's polls turned into change
 * events — outlets switched, bank load states, the PDU gone and back. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "pdu/watch.h"

/* A 3-outlet PDU with two banks at normal load, every outlet on. */
static void
reading(struct pdu *p)
{
	static const char *const names[] = { "nas", "web", "spare" };

	memset(p, 0, sizeof *p);
	p->prof = pdu_profiles[0];
	p->noutlets = 3;
	p->nbanks = 2;
	p->banks[0] = (struct pdu_bank){ 1, 2.2, "normal", 1, 1 };
	p->banks[1] = (struct pdu_bank){ 2, 2.9, "normal", 1, 1 };
	for (int i = 0; i < 3; i++) {
		p->outlets[i].number = i + 1;
		snprintf(p->outlets[i].name, sizeof p->outlets[i].name, "%s", names[i]);
		p->outlets[i].state = 1;
	}
}

/* The events of one poll as text lines after the time, joined by '|'. */
static const char *
poll(struct pk_watch *w, const struct pdu *p, const unsigned char *sel,
     const struct pk_err *err)
{
	static char out[2048];
	struct pk_events evs = { 0 };
	struct pk_buf b = { 0 };

	pdu_watch_poll(w, "pdu:161", p, sel, err, 0, &evs);
	out[0] = '\0';
	for (size_t i = 0; i < evs.n; i++) {
		pk_buf_reset(&b);
		pk_event_text(&b, &evs.v[i]);
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s", i ? "|" : "",
		         pk_buf_str(&b) + 21);  /* past "2026-...Z " */
	}
	pk_buf_free(&b);
	pk_events_free(&evs);
	return out;
}

int
main(void)
{
	struct pk_watch w = { 0 };
	struct pk_err ok = { 0 }, down = { 0 };
	unsigned char sel[PDU_MAX_OUTLETS] = { 0 };
	struct pdu p;

	pk_err_set(&down, PK_ECOMM, "timeout", "no answer within 5 s");
	reading(&p);
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "the first poll: no event for the initial states");
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "nothing changed: no event");
	p.outlets[1].state = 0;
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 OUTLET_OFF outlet=2 name=web",
	          "an outlet switched off: OUTLET_OFF with its number and name");
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "... once");
	p.outlets[1].state = -1;
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "a state the PDU did not say keeps the one before");
	p.outlets[1].state = 1;
	p.banks[1].load_state = "nearOverload";
	p.banks[1].load_a = 14.5;
	TAP_STREQ(poll(&w, &p, NULL, &ok),
	          "pdu:161 OUTLET_ON outlet=2 name=web|pdu:161 BANK_LOAD_NEAR_OVERLOAD bank=2 current=14.5A",
	          "outlets, then banks: OUTLET_ON, BANK_LOAD_NEAR_OVERLOAD with the bank's current");
	p.banks[1].load_state = "unknown";
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "an unknown load state keeps the one before");
	p.banks[1].load_state = "overload";
	p.banks[0].load_state = "low";
	TAP_STREQ(poll(&w, &p, NULL, &ok),
	          "pdu:161 BANK_LOAD_LOW bank=1 current=2.2A|pdu:161 BANK_LOAD_OVERLOAD bank=2 current=14.5A",
	          "BANK_LOAD_LOW and BANK_LOAD_OVERLOAD, in bank order");
	p.banks[0].load_state = "tripped";
	p.banks[0].load_a = 0;
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 BANK_TRIPPED bank=1 current=0A",
	          "a breaker tripped (Raritan PX1): BANK_TRIPPED");
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "... once");
	p.banks[0].load_state = "breakerTripped";
	TAP_STREQ(poll(&w, &p, NULL, &ok), "",
	          "Sentry4's breakerTripped is the same state: no event");
	p.banks[0].load_state = "low";
	p.banks[0].load_a = 2.2;
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 BANK_LOAD_LOW bank=1 current=2.2A",
	          "the breaker reset: the load state read then");
	TAP_STREQ(poll(&w, &p, NULL, &down), "pdu:161 COMMBAD no answer within 5 s",
	          "the PDU not answering: COMMBAD with the reason");
	TAP_STREQ(poll(&w, &p, NULL, &down), "", "... once");
	p.outlets[0].state = 0;
	p.banks[1].load_state = "normal";
	TAP_STREQ(poll(&w, &p, NULL, &ok),
	          "pdu:161 COMMOK|pdu:161 OUTLET_OFF outlet=1 name=nas|pdu:161 BANK_LOAD_NORMAL bank=2 current=14.5A",
	          "back: COMMOK, then what changed meanwhile");
	sel[2] = 1;
	p.outlets[0].state = 1;
	p.outlets[2].state = 0;
	TAP_STREQ(poll(&w, &p, sel, &ok), "pdu:161 OUTLET_OFF outlet=3 name=spare",
	          "only the outlets selected are followed");
	pk_watch_free(&w);

	w.report_initial = 1;
	reading(&p);
	TAP_STREQ(poll(&w, &p, sel, &ok),
	          "pdu:161 COMMOK|pdu:161 OUTLET_ON outlet=3 name=spare|"
	          "pdu:161 BANK_LOAD_NORMAL bank=1 current=2.2A|pdu:161 BANK_LOAD_NORMAL bank=2 current=2.9A",
	          "--initial: one event per state at the start");
	pk_watch_free(&w);

	/* a daisy chain of two units, both with an outlet 1 and 2 */
	memset(&w, 0, sizeof w);
	reading(&p);
	p.noutlets = 4;
	p.nunits = 2;
	p.unit_outlets[0] = p.unit_outlets[1] = 2;
	for (int i = 0; i < 4; i++) {
		p.outlets[i].unit = 1 + i / 2;
		p.outlets[i].number = 1 + i % 2;
		snprintf(p.outlets[i].name, sizeof p.outlets[i].name, "u%do%d", 1 + i / 2, 1 + i % 2);
		p.outlets[i].state = i != 2;
	}
	TAP_STREQ(poll(&w, &p, NULL, &ok), "", "a chain: no event for the initial states");
	TAP_STREQ(poll(&w, &p, NULL, &ok), "",
	          "a chain: unit 2's outlet 1 (off) is not unit 1's outlet 1 (on)");
	p.outlets[2].state = 1;
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 OUTLET_ON outlet=2:1 name=u2o1",
	          "a chain: the outlet is UNIT:N");
	/* each unit's banks 1 and 2: unit 2's bank 1 overloads alone */
	p.nbanks = 4;
	p.banks[2] = (struct pdu_bank){ 1, 6.6, "normal", 1, 2 };
	p.banks[3] = (struct pdu_bank){ 2, 8.7, "normal", 1, 2 };
	TAP_STREQ(poll(&w, &p, NULL, &ok), "",
	          "a chain: unit 2's banks start normal, as unit 1's are (no event)");
	p.banks[2].load_state = "overload";
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 BANK_LOAD_OVERLOAD bank=2:1 current=6.6A",
	          "a chain: the bank is UNIT:N, and unit 1's bank 1 stays as it was");
	p.banks[2].load_state = "breakerTripped";
	TAP_STREQ(poll(&w, &p, NULL, &ok), "pdu:161 BANK_TRIPPED bank=2:1 current=6.6A",
	          "a chain: BANK_TRIPPED names the bank UNIT:N");
	pk_watch_free(&w);
	return TAP_DONE();
}
