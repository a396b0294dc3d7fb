/* switch.c — see pdu/switch.h. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/outlets.h"
#include "pdu/switch.h"

#define POLL_MS 100

int
pdu_spec_has_names(const char *spec)
{
	return strcmp(spec, "all") != 0 && strspn(spec, "0123456789,-") != strlen(spec);
}

int
pdu_select_known(const struct pdu *pdu, const char *spec, unsigned char *sel,
                    struct pk_err *err)
{
	const char *names[PDU_MAX_OUTLETS];

	for (int i = 0; i < pdu->noutlets; i++)
		names[i] = pdu->outlets[i].name;
	return pk_outlets_parse(spec, pdu->noutlets, names, sel, err);
}

int
pdu_select(struct pdu_sess *ps, const char *spec, unsigned char *sel,
              struct pk_err *err)
{
	int rc = 0;

	if (pdu_spec_has_names(spec))
		rc = pdu_read_names(ps->s, ps->pdu, ps->deadline, err);
	return rc != 0 ? rc : pdu_select_known(ps->pdu, spec, sel, err);
}

int
pdu_get(struct pdu_sess *ps, const char *spec, int with_names, unsigned char *sel,
           struct pk_err *err)
{
	int rc = pdu_select(ps, spec, sel, err);

	if (rc == 0 && with_names && !pdu_spec_has_names(spec))
		rc = pdu_read_names(ps->s, ps->pdu, ps->deadline, err);
	if (rc == 0)
		rc = pdu_read_states(ps->s, ps->pdu, sel, 0, ps->deadline, err);
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

int
pdu_switch_plan(const struct pdu *pdu, const unsigned char *sel, enum pdu_action a,
                   int delayed, pdu_vb_fn fn, void *ctx, struct pk_err *err)
{
	struct snmp_vb vb;
	int rc = 0;

	for (int i = 0; rc == 0 && i < pdu->noutlets; i++)
		if (sel[i] && (rc = pdu_command_vb(pdu, i + 1, a, delayed, &vb, err)) == 0)
			fn(ctx, &vb);
	return rc;
}

/* PK_EREFUSED naming the first outlet still left. */
static int
not_confirmed(const struct pdu *pdu, const unsigned char *left, enum pdu_action a,
              struct pk_err *err)
{
	int i = 0;

	while (i < pdu->noutlets - 1 && !left[i])
		i++;
	return pk_err_set(err, PK_EREFUSED, "not-confirmed",
	                  "outlet %d is %s, not confirmed %s within the timeout "
	                  "(use -t to wait longer)", i + 1,
	                  pdu_state_name(pdu->outlets[i].state),
	                  a == PDU_REBOOT ? "rebooted" : a == PDU_ON ? "on" : "off");
}

/* Polls the states until every selected outlet reached its end state
 * (0) or the deadline passed (PK_EREFUSED). */
static int
confirm(struct pdu_sess *ps, const unsigned char *sel, enum pdu_action a,
        unsigned char *seen_off, struct pk_err *err)
{
	unsigned char left[PDU_MAX_OUTLETS];
	int n = ps->pdu->noutlets;

	memcpy(left, sel, (size_t)n);
	for (;;) {
		int rc = pdu_read_states(ps->s, ps->pdu, left, 1, ps->deadline, err), todo = 0;
		/* Time running out in the middle of a poll is "not confirmed". */
		if (rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0 &&
		    pk_ms_left(ps->deadline) == 0)
			return not_confirmed(ps->pdu, left, a, err);
		if (rc != 0)
			return rc;
		for (int i = 0; i < n; i++) {
			if (left[i] && pdu_reached(&ps->pdu->outlets[i], a, &seen_off[i]))
				left[i] = 0;
			todo += left[i];
		}
		if (todo == 0)
			return 0;
		if (pk_ms_left(ps->deadline) == 0)
			return not_confirmed(ps->pdu, left, a, err);
		pk_sleep_ms(POLL_MS, ps->deadline);
	}
}

static void
warn(const struct pdu_sess *ps, const char *line)
{
	if (ps->warn != NULL)
		ps->warn(ps->warn_ctx, line);
}

/* After a failed SET: APC units answer genErr on SETs that worked, so
 * read the state and accept it (0, with a warning) when the command
 * visibly took effect; otherwise err and the status stay the SET's. */
static int
recheck_after_error(struct pdu_sess *ps, int outlet, enum pdu_action a,
                    unsigned char *seen_off, struct pk_err *err)
{
	unsigned char one[PDU_MAX_OUTLETS] = { 0 };
	struct pk_err set_err = *err;
	const struct pdu_outlet *o = &ps->pdu->outlets[outlet - 1];
	char line[PK_ERR_MSG_MAX];

	if (err->status == PK_ECOMM)
		return PK_ECOMM;  /* silence: the SET may not have arrived */
	one[outlet - 1] = 1;
	if (pdu_read_states(ps->s, ps->pdu, one, 1, ps->deadline, err) == 0 &&
	    (a == PDU_REBOOT ? (o->state == 0 || o->pending == 1) :
	                          pdu_reached(o, a, &seen_off[outlet - 1]))) {
		if (a == PDU_REBOOT)
			seen_off[outlet - 1] = 1;
		snprintf(line, sizeof line, "outlet %d: the PDU answered %s but the command "
		         "took effect", outlet, set_err.kind);
		warn(ps, line);
		return 0;
	}
	*err = set_err;
	return set_err.status;
}

/* Reboot waits for the outlets' reboot duration (read from the PDU). */
static int
extend_for_reboot(struct pdu_sess *ps, const unsigned char *sel, int delayed,
                  int64_t start, struct pk_err *err)
{
	int rc = pdu_read_reboot(ps->s, ps->pdu, sel, ps->deadline, err);

	if (rc == 0)
		ps->deadline = pdu_reboot_deadline(ps->pdu, sel, delayed, start, ps->deadline);
	return rc;
}

int
pdu_switch(struct pdu_sess *ps, const struct pdu_switch *sw,
              const unsigned char *sel, struct pk_err *err)
{
	unsigned char seen_off[PDU_MAX_OUTLETS] = { 0 };
	enum pdu_action a = sw->action;
	int rc = 0;

	if (a == PDU_REBOOT && sw->extend)
		rc = extend_for_reboot(ps, sel, sw->delayed, sw->start, err);
	for (int i = 0; rc == 0 && i < ps->pdu->noutlets; i++) {
		struct snmp_vb vb;
		if (!sel[i])
			continue;
		rc = pdu_command_vb(ps->pdu, i + 1, a, sw->delayed, &vb, err);
		if (rc != 0)
			break;
		rc = pdu_sess_set(ps, &vb, err);
		if (rc != 0)
			rc = recheck_after_error(ps, i + 1, a, seen_off, err);
		if (rc != 0)
			pk_err_prefix(err, "outlet %d", i + 1);
	}
	if (rc != 0 || !sw->wait)
		return rc;
	return confirm(ps, sel, a, seen_off, err);
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
	int rc = pdu_name_vb(ps->pdu, outlet, name, &vb, err);

	if (rc == 0)
		rc = pdu_sess_set(ps, &vb, err);
	if (rc == 0)
		rc = pdu_read_names(ps->s, ps->pdu, ps->deadline, err);
	if (rc == 0 && strcmp(now, name) != 0)
		rc = pk_err_set(err, PK_EREFUSED, "not-confirmed",
		                "outlet %d: the PDU accepted the name but reads back '%s'",
		                outlet, now);
	return rc;
}
