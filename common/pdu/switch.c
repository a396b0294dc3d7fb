/* switch.c — see pdu/switch.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
#include "pdu/switch.h"

#define POLL_MS 100

int
pdu_spec_has_names(const char *spec)
{
	return strcmp(spec, "all") != 0 && strspn(spec, "0123456789,-:") != strlen(spec);
}

/* The first outlet of unit u (1 up) in pdu->outlets. */
static int
unit_start(const struct pdu *pdu, int u)
{
	int first = 0;

	for (int k = 1; k < u; k++)
		first += pdu->unit_outlets[k - 1];
	return first;
}

/* One part of a chain's outlet list: "UNIT:OUTLETS" (OUTLETS as for a
 * single unit: numbers, ranges, all or names of that unit) or OUTLETS
 * of the first unit (the one at the address), added to sel. */
static int
select_chain_part(const struct pdu *pdu, const char *part, unsigned char *sel,
                  struct pk_err *err)
{
	unsigned char one[PDU_MAX_OUTLETS];
	const char *names[PDU_MAX_OUTLETS];
	const char *colon = strchr(part, ':');
	int units = pdu->nunits > 1 ? pdu->nunits : 1, u = 1, first, count, rc;
	char *end;

	if (colon != NULL && colon > part && strspn(part, "0123456789") == (size_t)(colon - part)) {
		long v = strtol(part, &end, 10);
		if (v < 1 || (v > units && units == 1))
			return pk_err_set(err, PK_EUSAGE, "usage", "outlet '%s': no unit %ld (this "
			                  "PDU is one unit, 1)", part, v);
		if (v > units)
			return pk_err_set(err, PK_EUSAGE, "usage", "outlet '%s': no unit %ld (units: "
			                  "1-%d)", part, v, units);
		u = (int)v;
		part = colon + 1;
	}
	first = unit_start(pdu, u);
	count = pdu->unit_outlets[u - 1];
	for (int i = 0; i < count; i++)
		names[i] = pdu->outlets[first + i].name;
	rc = pk_outlets_parse(part, count, names, one, err);
	if (rc != 0 && units > 1)
		pk_err_prefix(err, "unit %d", u);
	for (int i = 0; rc == 0 && i < count; i++)
		sel[first + i] |= one[i];
	return rc;
}

int
pdu_select_known(const struct pdu *pdu, const char *spec, unsigned char *sel,
                 struct pk_err *err)
{
	const char *names[PDU_MAX_OUTLETS];
	char copy[512], *part, *save = NULL;
	int rc = 0;

	if (pdu->nunits <= 1 && strchr(spec, ':') == NULL) {
		for (int i = 0; i < pdu->noutlets; i++)
			names[i] = pdu->outlets[i].name;
		return pk_outlets_parse(spec, pdu->noutlets, names, sel, err);
	}
	/* A chain, or UNIT:OUTLET on one unit: part by part. */
	memset(sel, 0, PDU_MAX_OUTLETS);
	if (strcmp(spec, "all") == 0) {
		memset(sel, 1, (size_t)pdu->noutlets);
		return 0;
	}
	if (strlen(spec) >= sizeof copy || spec[0] == '\0')
		return pk_err_set(err, PK_EUSAGE, "usage", "outlet list '%.40s...': too long or empty",
		                  spec);
	snprintf(copy, sizeof copy, "%s", spec);
	for (part = strtok_r(copy, ",", &save); rc == 0 && part != NULL;
	     part = strtok_r(NULL, ",", &save))
		rc = select_chain_part(pdu, part, sel, err);
	return rc;
}

int
pdu_select(struct pdu_sess *ps, const char *spec, unsigned char *sel,
           struct pk_err *err)
{
	int rc = 0;

	if (pdu_spec_has_names(spec))
		rc = pdu_sess_read(ps, pdu_step_names, NULL, 0, err);
	else if (ps->pdu->noutlets == 0)   /* a given profile: the count first */
		rc = pdu_sess_read(ps, pdu_step_detect, NULL, 0, err);
	return rc != 0 ? rc : pdu_select_known(ps->pdu, spec, sel, err);
}

/* 1 with sel set when spec is outlet numbers alone, few enough that
 * their states and two more objects fit in one request. */
static int
few_numbers(const char *spec, int with_names, unsigned char *sel)
{
	struct pk_err parse_err;

	return !with_names && !pdu_spec_has_names(spec) && strchr(spec, ':') == NULL &&
	       pk_outlets_parse(spec, PDU_MAX_OUTLETS, NULL, sel, &parse_err) == 0 &&
	       pk_outlets_count(sel, PDU_MAX_OUTLETS) + 2 <= SNMP_MAX_VB_PER_REQ;
}

void
pdu_get_ahead(struct pdu_sess *ps, const char *spec, int with_names)
{
	ps->has_ahead = few_numbers(spec, with_names, ps->ahead);
}

/* With a given profile the outlet count is not known yet: numbers that
 * select a few outlets some PDU may have are read with the count in one
 * request (what fits in one), then checked against it.  0 with the states read, 1 when this does not
 * apply, or a status. */
static int
get_with_count(struct pdu_sess *ps, const char *spec, int with_names, unsigned char *sel,
               struct pk_err *err)
{
	int rc;

	if (ps->pdu->noutlets != 0 || ps->pdu->prof->outlet_count == NULL ||
	    !few_numbers(spec, with_names, sel))
		return 1;
	rc = pdu_sess_read(ps, pdu_step_count_states, sel, 0, err);
	if (rc == 0 && ps->pdu->nunits > 1)
		return 1;   /* a chain: its outlets are laid out now, select again */
	return rc != 0 ? rc : pdu_select_known(ps->pdu, spec, sel, err);
}

/* The states detection carried (pdu_get_ahead) are those of sel. */
static int
states_carried(const struct pdu_sess *ps, const unsigned char *sel)
{
	return ps->has_ahead && ps->pdu->states_ahead &&
	       memcmp(sel, ps->ahead, (size_t)ps->pdu->noutlets) == 0;
}

int
pdu_get(struct pdu_sess *ps, const char *spec, int with_names, unsigned char *sel,
        struct pk_err *err)
{
	int rc = get_with_count(ps, spec, with_names, sel, err);

	if (rc != 1)
		return rc;
	rc = pdu_select(ps, spec, sel, err);
	if (rc == 0 && with_names && !pdu_spec_has_names(spec))
		rc = pdu_sess_read(ps, pdu_step_names, NULL, 0, err);
	if (rc == 0 && !states_carried(ps, sel))
		rc = pdu_sess_read(ps, pdu_step_states, sel, 0, err);
	return rc;
}

int
pdu_all_on(const struct pdu *pdu, const unsigned char *sel)
{
	for (int i = 0; i < pdu->noutlets; i++)
		if (sel[i] && pdu->outlets[i].state != 1)
			return 0;
	return 1;
}

int
pdu_reached(const struct pdu_outlet *o, enum pdu_action a, unsigned char *seen_off)
{
	if (a == PDU_REBOOT) {
		if (o->state == 0 || o->pending == 1)
			*seen_off = 1;
		return *seen_off && o->state == 1 && o->pending != 1;
	}
	return o->state == (a == PDU_ON ? 1 : 0) && o->pending != 1;
}

int64_t
pdu_reboot_deadline(const struct pdu *pdu, const unsigned char *sel, int delayed,
                    int64_t start, int64_t deadline)
{
	int longest = 0;

	for (int i = 0; i < pdu->noutlets; i++)
		if (sel[i] && pdu->outlets[i].reboot_s > longest)
			longest = pdu->outlets[i].reboot_s;
	if (delayed)
		longest += 60;
	if (start + (longest + 10) * 1000LL > deadline)
		return start + (longest + 10) * 1000LL;
	return deadline;
}

/* A switch on one PDU as the outlet engine (core/switching.h) drives it. */
struct pdu_switching {
	struct pdu_sess *ps;        /* NULL when only planning */
	const struct pdu *pdu;
	enum pdu_action action;
	int delayed;
	unsigned char seen_off[PDU_MAX_OUTLETS];  /* reboot: seen off (or pending) */
	pdu_vb_fn plan_fn;          /* -n: each SET goes here */
	void *plan_ctx;
};

static int
sw_read(void *dev, const unsigned char *left, int64_t deadline, struct pk_err *err)
{
	struct pdu_switching *x = dev;
	/* The engine's deadline bounds the session for this step. */
	int64_t own = pk_session_until(&x->ps->s->opts, deadline);
	int rc = pdu_sess_read(x->ps, pdu_step_states, left, 1, err);

	x->ps->s->opts.deadline = own;
	return rc;
}

static int
sw_reached(void *dev, int n)
{
	struct pdu_switching *x = dev;

	return pdu_reached(&x->pdu->outlets[n - 1], x->action, &x->seen_off[n - 1]);
}

static int
sw_describe(void *dev, int n, struct pk_err *err)
{
	struct pdu_switching *x = dev;
	struct snmp_vb vb;
	int rc = pdu_command_vb(x->pdu, n, x->action, x->delayed, &vb, err);

	if (rc == 0)
		x->plan_fn(x->plan_ctx, &vb);
	return rc;
}

/* After a failed SET: APC units answer genErr on SETs that worked, so
 * read the state and accept it (0, with a warning) when the command
 * visibly took effect; otherwise err and the status stay the SET's. */
static int
recheck_after_error(struct pdu_switching *x, int outlet, struct pk_err *err)
{
	unsigned char one[PDU_MAX_OUTLETS] = { 0 };
	struct pk_err set_err = *err;
	struct pdu_sess *ps = x->ps;
	const struct pdu_outlet *o = &ps->pdu->outlets[outlet - 1];
	enum pdu_action a = x->action;

	if (err->status == PK_ECOMM)
		return PK_ECOMM;  /* silence: the SET may not have arrived */
	one[outlet - 1] = 1;
	if (pdu_sess_read(ps, pdu_step_states, one, 1, err) == 0 &&
	    (a == PDU_REBOOT ? (o->state == 0 || o->pending == 1) :
	                          pdu_reached(o, a, &x->seen_off[outlet - 1]))) {
		if (a == PDU_REBOOT)
			x->seen_off[outlet - 1] = 1;
		char label[24];
		pk_session_warn(&ps->s->opts, "outlet %s: the PDU answered %s but the command "
		                "took effect", pdu_outlet_label(ps->pdu, outlet - 1, label,
		                                                sizeof label), set_err.kind);
		return 0;
	}
	*err = set_err;
	return set_err.status;
}

/* One SET; an error names the outlet. */
static int
sw_send(void *dev, int n, int64_t deadline, struct pk_err *err)
{
	struct pdu_switching *x = dev;
	struct snmp_vb vb;
	int rc = pdu_command_vb(x->pdu, n, x->action, x->delayed, &vb, err);

	(void)deadline;  /* the engine's is the session's: pdu_sess_set works to it */
	if (rc != 0)
		return rc;
	rc = pdu_sess_set(x->ps, &vb, err);
	if (rc != 0)
		rc = recheck_after_error(x, n, err);
	if (rc != 0) {
		char label[24];
		pk_err_prefix(err, "outlet %s", pdu_outlet_label(x->pdu, n - 1, label, sizeof label));
	}
	return rc;
}

static int
sw_unconfirmed(void *dev, int n, struct pk_err *err)
{
	struct pdu_switching *x = dev;

	char label[24];

	return pk_err_set(err, PK_EREFUSED, "not-confirmed",
	                  "outlet %s is %s, not confirmed %s within the timeout "
	                  "(use -t to wait longer)", pdu_outlet_label(x->pdu, n - 1, label,
	                                                              sizeof label),
	                  pdu_state_name(x->pdu->outlets[n - 1].state),
	                  x->action == PDU_REBOOT ? "rebooted" :
	                  x->action == PDU_ON ? "on" : "off");
}

static const struct pk_switch_ops pdu_switch_ops = {
	sw_read, sw_reached, sw_send, sw_describe, sw_unconfirmed
};

const char *
pdu_action_cuts(enum pdu_action a)
{
	return a == PDU_OFF ? "switches off" : a == PDU_REBOOT ? "cycles" : NULL;
}

int
pdu_switch_plan(const struct pdu *pdu, const unsigned char *sel, enum pdu_action a,
                int delayed, pdu_vb_fn fn, void *ctx, struct pk_err *err)
{
	struct pdu_switching x = { .pdu = pdu, .action = a, .delayed = delayed,
	                           .plan_fn = fn, .plan_ctx = ctx };
	struct pk_switch_job job = { .sel = sel, .count = pdu->noutlets, .dry_run = 1 };

	return pk_switch_run(&pdu_switch_ops, &x, &job, NULL, err);
}

/* Reboot waits for the outlets' reboot duration (read from the PDU). */
static int
extend_for_reboot(struct pdu_sess *ps, const unsigned char *sel, int delayed,
                  int64_t start, struct pk_err *err)
{
	int rc = pdu_sess_read(ps, pdu_step_reboot, sel, 0, err);

	if (rc == 0)
		ps->s->opts.deadline = pdu_reboot_deadline(ps->pdu, sel, delayed, start,
		                                           ps->s->opts.deadline);
	return rc;
}

int
pdu_switch(struct pdu_sess *ps, const struct pdu_switch *sw,
           const unsigned char *sel, struct pk_err *err)
{
	struct pdu_switching x = { .ps = ps, .pdu = ps->pdu, .action = sw->action,
	                           .delayed = sw->delayed };
	struct pk_switch_job job = {
		.sel = sel, .count = ps->pdu->noutlets, .wait = sw->wait,
		.poll_ms = POLL_MS, .guard = sw->guard
	};
	int rc = pdu_can_switch(ps->pdu, err);

	if (rc == 0)
		rc = pk_switch_allowed(&sw->guard, sel, ps->pdu->noutlets, err);
	/* Checked here as well, before the reboot durations are read. */
	if (rc == 0 && sw->action == PDU_REBOOT && sw->extend)
		rc = extend_for_reboot(ps, sel, sw->delayed, sw->start, err);
	if (rc != 0)
		return rc;
	job.deadline = ps->s->opts.deadline;
	return pk_switch_run(&pdu_switch_ops, &x, &job, NULL, err);
}

int
pdu_name_target(struct pdu_sess *ps, const char *spec, int *outlet,
                struct pk_err *err)
{
	unsigned char sel[PDU_MAX_OUTLETS];
	int rc = pdu_select(ps, spec, sel, err), n = 0;

	if (rc != 0)
		return rc;
	for (int i = 0; i < ps->pdu->noutlets; i++)
		if (sel[i])
			n = n ? -1 : i + 1;
	if (n < 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "name: give exactly one outlet");
	*outlet = n;
	return 0;
}

int
pdu_rename(struct pdu_sess *ps, int outlet, const char *name, struct pk_err *err)
{
	struct snmp_vb vb;
	const char *now = ps->pdu->outlets[outlet - 1].name;
	char label[24];
	int rc = pdu_name_vb(ps->pdu, outlet, name, &vb, err);

	if (rc == 0)
		rc = pdu_sess_set(ps, &vb, err);
	if (rc == 0)
		rc = pdu_sess_read(ps, pdu_step_names, NULL, 0, err);
	if (rc == 0 && strcmp(now, name) != 0)
		rc = pk_err_set(err, PK_EREFUSED, "not-confirmed",
		                "outlet %s: the PDU accepted the name but reads back '%s'",
		                pdu_outlet_label(ps->pdu, outlet - 1, label, sizeof label), now);
	return rc;
}
