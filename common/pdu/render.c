/* render.c — see pdu/render.h. */
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "pdu/render.h"
#include "core/prom.h"
#include "core/text.h"

/* One outlet's object; "unit" first in a chain (pdu->nunits > 1). */
static void
json_outlet(struct pk_json *j, const struct pdu *pdu, const struct pdu_outlet *o)
{
	pk_json_obj_begin(j);
	if (pdu->nunits > 1)
		pk_json_kv_int(j, "unit", o->unit);
	pk_json_kv_int(j, "outlet", o->number);
	if (o->name[0]) {
		pk_json_kv_str(j, "name", o->name);
	}
	pk_json_kv_str(j, "state", pdu_state_name(o->state));
	if (o->pending >= 0) {
		pk_json_kv_bool(j, "pending", o->pending);
	}
	if (o->has_current) {
		pk_json_kv_double(j, "current_a", o->current_a);
	}
	if (o->has_power) {
		pk_json_kv_int(j, "power_w", o->power_w);
	}
	pk_json_obj_end(j);
}

/* {"target":...,"outlets":[ — closed by json_outlets_end. */
static void
json_outlets_begin(struct pk_json *j, struct pk_buf *b, const char *target)
{
	pk_json_init(j, b);
	pk_json_obj_begin(j);
	pk_json_kv_str(j, "target", target);
	pk_json_key(j, "outlets");
	pk_json_arr_begin(j);
}

static void
json_outlets_end(struct pk_json *j, struct pk_buf *b)
{
	pk_json_arr_end(j);
	pk_json_obj_end(j);
	pk_buf_addc(b, '\n');
}

void
pdu_render_states(struct pk_buf *b, const char *target, const struct pdu *pdu,
                  const unsigned char *sel, int json)
{
	struct pk_json j;

	if (json)
		json_outlets_begin(&j, b, target);
	for (int i = 0; i < pdu->noutlets; i++) {
		const struct pdu_outlet *o = &pdu->outlets[i];
		char label[24];
		if (!sel[i])
			continue;
		if (json)
			json_outlet(&j, pdu, o);
		else
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s %s\n",
			               pdu_outlet_label(pdu, i, label, sizeof label),
			               pdu_state_name(o->state));
	}
	if (json)
		json_outlets_end(&j, b);
}

void
pdu_render_accepted(struct pk_buf *b, const char *target, const struct pdu *pdu,
                    const unsigned char *sel, int json)
{
	struct pk_json j;

	if (json)
		json_outlets_begin(&j, b, target);
	for (int i = 0; i < pdu->noutlets; i++) {
		char label[24];
		if (!sel[i])
			continue;
		if (!json) {
			pk_buf_printf(b, "%s accepted\n", pdu_outlet_label(pdu, i, label, sizeof label));
			continue;
		}
		pk_json_obj_begin(&j);
		if (pdu->nunits > 1)
			pk_json_kv_int(&j, "unit", pdu->outlets[i].unit);
		pk_json_kv_int(&j, "outlet", pdu->outlets[i].number);
		pk_json_kv_bool(&j, "accepted", 1);
		pk_json_obj_end(&j);
	}
	if (json)
		json_outlets_end(&j, b);
}

void
pdu_render_name(struct pk_buf *b, const char *target, const struct pdu *pdu,
                int outlet, int json)
{
	struct pk_json j;
	const char *name = pdu->outlets[outlet - 1].name;
	char label[24];

	if (!json) {
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s %s\n",
		               pdu_outlet_label(pdu, outlet - 1, label, sizeof label), name);
		return;
	}
	json_outlets_begin(&j, b, target);
	pk_json_obj_begin(&j);
	if (pdu->nunits > 1)
		pk_json_kv_int(&j, "unit", pdu->outlets[outlet - 1].unit);
	pk_json_kv_int(&j, "outlet", pdu->outlets[outlet - 1].number);
	pk_json_kv_str(&j, "name", name);
	pk_json_obj_end(&j);
	json_outlets_end(&j, b);
}

static void
status_text(struct pk_buf *b, const struct pdu *p)
{
	pk_text_printf(b, PK_TEXT_KEEP_TAB, "pdu.profile: %s\npdu.model: %s\npdu.name: %s\npdu.firmware: %s\n"
	              "pdu.serial: %s\npdu.outlets: %d\n", p->prof->name, p->model, p->name,
	              p->firmware, p->serial, p->noutlets);
	/* A chain: how many units, each one's identity and outlets (pdu.*
	 * being the first unit's); its banks and outlets are then
	 * UNIT:NUMBER, as outlets are given on the command line. */
	if (p->nunits > 1)
		pk_buf_printf(b, "pdu.units: %d\n", p->nunits);
	for (int u = 0; p->nunits > 1 && u < p->nunits; u++) {
		const struct pdu_unit_ident *id = &p->units[u];
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "unit.%d.model: %s\nunit.%d.name: %s\n"
		               "unit.%d.firmware: %s\nunit.%d.serial: %s\n", u + 1, id->model, u + 1,
		               id->name, u + 1, id->firmware, u + 1, id->serial);
		pk_buf_printf(b, "unit.%d.outlets: %d\n", u + 1, p->unit_outlets[u]);
	}
	for (int i = 0; i < p->nbanks; i++) {
		char n[24];
		pdu_bank_label(p, i, n, sizeof n);
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "bank.%s.current: %.1f\nbank.%s.load: %s\n", n,
		               p->banks[i].load_a, n, p->banks[i].load_state);
	}
	for (int i = 0; i < p->noutlets; i++) {
		const struct pdu_outlet *o = &p->outlets[i];
		char n[24];
		pdu_outlet_label(p, i, n, sizeof n);
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "outlet.%s.name: %s\noutlet.%s.state: %s\n", n,
		               o->name, n, pdu_state_name(o->state));
		if (o->has_current)
			pk_buf_printf(b, "outlet.%s.current: %.1f\n", n, o->current_a);
		if (o->has_power)
			pk_buf_printf(b, "outlet.%s.power: %ld\n", n, o->power_w);
	}
}

/* "chain": every unit's identity and outlet count, unit 1 first. */
static void
json_chain(struct pk_json *j, const struct pdu *p)
{
	pk_json_key(j, "chain");
	pk_json_arr_begin(j);
	for (int u = 0; u < p->nunits; u++) {
		const struct pdu_unit_ident *id = &p->units[u];
		pk_json_obj_begin(j);
		pk_json_kv_int(j, "unit", u + 1);
		pk_json_kv_str(j, "model", id->model);
		pk_json_kv_str(j, "name", id->name);
		pk_json_kv_str(j, "firmware", id->firmware);
		pk_json_kv_str(j, "serial", id->serial);
		pk_json_kv_int(j, "outlet_count", p->unit_outlets[u]);
		pk_json_obj_end(j);
	}
	pk_json_arr_end(j);
}

static void
status_json(struct pk_buf *b, const char *target, const struct pdu *p)
{
	struct pk_json j;
	const char *keys[] = { "model", "name", "firmware", "serial" };
	const char *vals[] = { p->model, p->name, p->firmware, p->serial };

	pk_json_init(&j, b);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "target", target);
	pk_json_kv_str(&j, "profile", p->prof->name);
	for (int i = 0; i < 4; i++) {
		pk_json_key(&j, keys[i]);
		pk_json_str(&j, vals[i]);
	}
	pk_json_kv_int(&j, "outlet_count", p->noutlets);
	if (p->nunits > 1) {
		pk_json_kv_int(&j, "units", p->nunits);
		json_chain(&j, p);
	}
	pk_json_key(&j, "banks");
	pk_json_arr_begin(&j);
	for (int i = 0; i < p->nbanks; i++) {
		pk_json_obj_begin(&j);
		if (p->nunits > 1)
			pk_json_kv_int(&j, "unit", p->banks[i].unit);
		pk_json_kv_int(&j, "bank", p->banks[i].number);
		pk_json_kv_double(&j, "current_a", p->banks[i].load_a);
		pk_json_kv_str(&j, "load_state", p->banks[i].load_state);
		pk_json_obj_end(&j);
	}
	pk_json_arr_end(&j);
	pk_json_key(&j, "outlets");
	pk_json_arr_begin(&j);
	for (int i = 0; i < p->noutlets; i++)
		json_outlet(&j, p, &p->outlets[i]);
	pk_json_arr_end(&j);
	pk_json_obj_end(&j);
	pk_buf_addc(b, '\n');
}

enum prom_what { PROM_ON, PROM_CURRENT, PROM_POWER };

/* One per-outlet metric family's samples; outlets without the value are
 * left out. */
static void
prom_outlets(struct pk_buf *b, const char *target, const struct pdu *p, const char *name,
             enum prom_what what)
{
	char num[32], val[32], unit[32];

	for (int i = 0; i < p->noutlets; i++) {
		const struct pdu_outlet *o = &p->outlets[i];
		int have = what == PROM_ON ? o->state >= 0 :
		           what == PROM_CURRENT ? o->has_current : o->has_power;
		if (!have)
			continue;
		if (what == PROM_ON)
			snprintf(val, sizeof val, "%d", o->state);
		else if (what == PROM_CURRENT)
			snprintf(val, sizeof val, "%.1f", o->current_a);
		else
			snprintf(val, sizeof val, "%ld", o->power_w);
		snprintf(num, sizeof num, "%d", o->number);
		snprintf(unit, sizeof unit, "%d", o->unit);
		if (p->nunits > 1)   /* a chain: outlet numbers repeat from unit to unit */
			pk_prom_sample(b, name, val, "server", target, "unit", unit, "outlet", num,
			               "name", o->name, NULL);
		else
			pk_prom_sample(b, name, val, "server", target, "outlet", num, "name", o->name,
			               NULL);
	}
}

static void
prom_outlet_on(struct pk_buf *b, const char *target, const struct pdu *p, const char *name)
{
	prom_outlets(b, target, p, name, PROM_ON);
}

static void
prom_outlet_current(struct pk_buf *b, const char *target, const struct pdu *p,
                    const char *name)
{
	prom_outlets(b, target, p, name, PROM_CURRENT);
}

static void
prom_outlet_power(struct pk_buf *b, const char *target, const struct pdu *p,
                  const char *name)
{
	prom_outlets(b, target, p, name, PROM_POWER);
}

/* One series per load state and bank, 1 for the bank's current state:
 * a state kept in the current's labels would start a new series at every
 * change, and alerts want `pductl_bank_load_state{state="overload"} == 1`.
 * A family whose banks can read a tripped breaker (Raritan PX1, Sentry4,
 * Eaton) has a fifth, state="tripped", whatever the profile calls it;
 * the others keep their four. */
static void
prom_bank_states(struct pk_buf *b, const char *target, const struct pdu *p, const char *name)
{
	static const char *const states[] = { "low", "normal", "nearOverload", "overload",
	                                      "tripped" };
	size_t nstates = sizeof states / sizeof states[0] - !pdu_profile_trips(p->prof);
	char num[32], unit[32];

	for (int i = 0; i < p->nbanks; i++) {
		const char *load = pdu_load_common(p->banks[i].load_state);
		snprintf(num, sizeof num, "%d", p->banks[i].number);
		snprintf(unit, sizeof unit, "%d", p->banks[i].unit);
		for (size_t k = 0; k < nstates; k++) {
			const char *v = strcmp(load, states[k]) == 0 ? "1" : "0";
			if (p->nunits > 1)   /* a chain: bank numbers repeat from unit to unit */
				pk_prom_sample(b, name, v, "server", target, "unit", unit, "bank", num,
				               "state", states[k], NULL);
			else
				pk_prom_sample(b, name, v, "server", target, "bank", num, "state",
				               states[k], NULL);
		}
	}
}

static void
prom_bank_current(struct pk_buf *b, const char *target, const struct pdu *p,
                  const char *name)
{
	char num[32], val[32], unit[32];

	for (int i = 0; i < p->nbanks; i++) {
		snprintf(num, sizeof num, "%d", p->banks[i].number);
		snprintf(unit, sizeof unit, "%d", p->banks[i].unit);
		snprintf(val, sizeof val, "%.1f", p->banks[i].load_a);
		if (p->nunits > 1)
			pk_prom_sample(b, name, val, "server", target, "unit", unit, "bank", num, NULL);
		else
			pk_prom_sample(b, name, val, "server", target, "bank", num, NULL);
	}
}

/* Every series carries server="host:port", which names the PDU
 * whatever it calls itself; the PDU's own name is the pdu label of
 * pductl_info alone, so that renaming the device starts no new series
 * (join it in: ... * on(server) group_left(pdu) pductl_info). */
static void
prom_info(struct pk_buf *b, const char *target, const struct pdu *p, const char *name)
{
	char unit[32];

	if (p->nunits <= 1) {
		pk_prom_sample(b, name, "1", "server", target, "pdu", p->name, "profile",
		               p->prof->name, "model", p->model, "firmware", p->firmware, "serial",
		               p->serial, NULL);
		return;
	}
	for (int u = 0; u < p->nunits; u++) {   /* a chain: one series a unit */
		const struct pdu_unit_ident *id = &p->units[u];
		snprintf(unit, sizeof unit, "%d", u + 1);
		pk_prom_sample(b, name, "1", "server", target, "unit", unit, "pdu", id->name,
		               "profile", p->prof->name, "model", id->model, "firmware",
		               id->firmware, "serial", id->serial, NULL);
	}
}

/* The families after pductl_up, in order: each is printed once (one
 * HELP/TYPE per name, as the exposition format wants) with the samples
 * of every PDU that was read; the metered ones only when one PDU is. */
static const struct {
	const char *name, *help;
	void (*samples)(struct pk_buf *b, const char *target, const struct pdu *p,
	                const char *name);
	int metered;
} prom_families[] = {
	{ "pductl_info", "PDU identity (value always 1)", prom_info, 0 },
	{ "pductl_bank_current_amperes", "Bank load current", prom_bank_current, 0 },
	{ "pductl_bank_load_state",
	  "1 for the bank's load state (low, normal, nearOverload, overload; tripped where the "
	  "banks report a tripped breaker)", prom_bank_states, 0 },
	{ "pductl_outlet_on", "1 when the outlet is on, 0 when off", prom_outlet_on, 0 },
	{ "pductl_outlet_current_amperes", "Outlet current", prom_outlet_current, 1 },
	{ "pductl_outlet_power_watts", "Outlet active power", prom_outlet_power, 1 },
};

void
pdu_render_prom(struct pk_buf *b, const char *const *targets, const struct pdu *const *pdus,
                size_t n)
{
	int any = 0, metered = 0;

	/* pductl_up: 1 when the PDU answered everything status reads, else 0
	 * and no other series for it (the textfile collector then shows the
	 * PDU as down instead of its last good values). */
	pk_prom_header(b, "pductl_up", "1 when the PDU answered", "gauge");
	for (size_t i = 0; i < n; i++) {
		pk_prom_sample(b, "pductl_up", pdus[i] != NULL ? "1" : "0", "server", targets[i],
		               NULL);
		any |= pdus[i] != NULL;
		metered |= pdus[i] != NULL && pdus[i]->metered;
	}
	for (size_t f = 0; any && f < sizeof prom_families / sizeof prom_families[0]; f++) {
		if (prom_families[f].metered && !metered)
			continue;
		pk_prom_header(b, prom_families[f].name, prom_families[f].help, "gauge");
		for (size_t i = 0; i < n; i++)
			if (pdus[i] != NULL && (!prom_families[f].metered || pdus[i]->metered))
				prom_families[f].samples(b, targets[i], pdus[i], prom_families[f].name);
	}
}

void
pdu_render_status(struct pk_buf *b, const char *target, const struct pdu *pdu,
                  enum pk_format fmt)
{
	if (fmt == PK_FMT_JSON)
		status_json(b, target, pdu);
	else if (fmt == PK_FMT_PROM)
		pdu_render_prom(b, &target, &pdu, 1);
	else
		status_text(b, pdu);
}

void
pdu_render_down(struct pk_buf *b, const char *target)
{
	const struct pdu *none = NULL;

	pdu_render_prom(b, &target, &none, 1);
}
