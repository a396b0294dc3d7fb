/* health.c — a PDU judged for --check (pdu/health.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pdu/health.h"
#include "pdu/switch.h"

const char *const pdu_health_vars[] = {
	"bank.current", "phase.current", "outlet.current", "outlet.power", NULL
};

int
pdu_health_check_vars(const struct pk_thresholds *th, struct pk_err *err)
{
	for (size_t i = 0; i < th->n; i++) {
		int k;
		for (k = 0; pdu_health_vars[k] != NULL; k++)
			if (strcmp(th->items[i].var, pdu_health_vars[k]) == 0)
				break;
		if (pdu_health_vars[k] == NULL)
			return pk_err_set(err, PK_EUSAGE, "usage", "no variable '%s' to check (known: "
			                  "bank.current, phase.current, outlet.current, outlet.power)",
			                  th->items[i].var);
	}
	return 0;
}

/* Outlets of spec that are not in state on (1) or off (0); an outlet
 * whose state could not be read is UNKNOWN. */
static void
judge_expected(struct pk_check_target *t, const struct pdu *p, const char *spec, int on,
               const char *option)
{
	unsigned char sel[PDU_MAX_OUTLETS];
	struct pk_err err;

	if (spec == NULL)
		return;
	if (pdu_select_known(p, spec, sel, &err) != 0) {
		pk_check_finding(t, PK_CHECK_UNKNOWN, "%s: %s", option, err.msg);
		return;
	}
	for (int i = 0; i < p->noutlets; i++) {
		const struct pdu_outlet *o = &p->outlets[i];
		char n[24];
		if (!sel[i])
			continue;
		pdu_outlet_label(p, i, n, sizeof n);
		if (o->state < 0)
			pk_check_finding(t, PK_CHECK_UNKNOWN, "outlet %s (%s) state unknown, expected %s",
			                 n, o->name, on ? "on" : "off");
		else if (o->state != on)
			pk_check_finding(t, PK_CHECK_CRITICAL, "outlet %s (%s) is %s, expected %s",
			                 n, o->name, o->state ? "on" : "off", on ? "on" : "off");
	}
}

/* The load state each bank reports (every unit's, in a chain: bank
 * UNIT:N there), by its common name (pdu_load_common: a Raritan's
 * aboveUpperCritical is an overload as a CyberPower's overload is).  A
 * tripped breaker, a blown fuse or a breaker that is off or open (Eaton
 * says no more than off, a Raritan PX2 no more than open) is CRITICAL:
 * its outlets have no power, whatever the current (none) says. */
static void
judge_load_states(struct pk_check_target *t, const struct pdu *p)
{
	for (int i = 0; i < p->nbanks; i++) {
		const struct pdu_bank *b = &p->banks[i];
		const char *load = pdu_load_common(b->load_state);
		char n[24];
		pdu_bank_label(p, i, n, sizeof n);
		if (strcmp(b->load_state, "fuseBlown") == 0)
			pk_check_finding(t, PK_CHECK_CRITICAL, "bank %s fuse blown", n);
		else if (strcmp(b->load_state, "breakerOff") == 0)
			pk_check_finding(t, PK_CHECK_CRITICAL, "bank %s breaker off", n);
		else if (strcmp(b->load_state, "open") == 0)
			pk_check_finding(t, PK_CHECK_CRITICAL, "bank %s breaker open", n);
		else if (strcmp(load, "tripped") == 0)
			pk_check_finding(t, PK_CHECK_CRITICAL, "bank %s breaker tripped", n);
		else if (strcmp(load, "overload") == 0)
			pk_check_finding(t, PK_CHECK_CRITICAL, "bank %s overload (%gA)", n, b->load_a);
		else if (strcmp(load, "nearOverload") == 0)
			pk_check_finding(t, PK_CHECK_WARNING, "bank %s near overload (%gA)", n,
			                 b->load_a);
	}
}

/* One value against its threshold: "bank 2 current 13A (warning 12)";
 * n is the bank's or outlet's label (UNIT:N in a chain). */
static void
judge_value(struct pk_check_target *t, const struct pk_threshold *x, const char *what,
            const char *n, double v, const char *uom)
{
	enum pk_check_state s = pk_threshold_eval(x, v);

	if (s != PK_CHECK_OK)
		pk_check_finding(t, s, "%s %s %s %g%s (%s %s)", what, n, strchr(x->var, '.') + 1, v, uom,
		                 s == PK_CHECK_CRITICAL ? "critical" : "warning",
		                 s == PK_CHECK_CRITICAL ? x->crit.text : x->warn.text);
}

static const struct pk_range *
warn_of(const struct pk_threshold *x)
{
	return x != NULL && x->has_warn ? &x->warn : NULL;
}

static const struct pk_range *
crit_of(const struct pk_threshold *x)
{
	return x != NULL && x->has_crit ? &x->crit : NULL;
}

/* Banks: thresholds and perfdata. */
static void
judge_banks(struct pk_check_target *t, const struct pdu *p, const struct pk_thresholds *th)
{
	const struct pk_threshold *x = pk_thresholds_find(th, "bank.current");
	char label[48], n[24];

	if (x != NULL && p->nbanks == 0)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "bank.current: not reported by this PDU");
	for (int i = 0; i < p->nbanks; i++) {
		const struct pdu_bank *b = &p->banks[i];
		pdu_bank_label(p, i, n, sizeof n);
		if (x != NULL)
			judge_value(t, x, "bank", n, b->load_a, "A");
		snprintf(label, sizeof label, "bank.%s.current", n);
		pk_check_perf(t, label, b->load_a, "A", warn_of(x), crit_of(x), 0, NAN);
	}
	x = pk_thresholds_find(th, "phase.current");
	if (x != NULL)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "phase.current: not reported by this PDU "
		                 "(it reports bank currents)");
}

/* Metered outlets: thresholds and perfdata. */
static void
judge_outlets(struct pk_check_target *t, const struct pdu *p, const struct pk_thresholds *th)
{
	const struct pk_threshold *xc = pk_thresholds_find(th, "outlet.current");
	const struct pk_threshold *xp = pk_thresholds_find(th, "outlet.power");
	int any_c = 0, any_p = 0;
	char label[48], n[24];

	for (int i = 0; i < p->noutlets; i++) {
		const struct pdu_outlet *o = &p->outlets[i];
		pdu_outlet_label(p, i, n, sizeof n);
		if (o->has_current) {
			any_c = 1;
			if (xc != NULL)
				judge_value(t, xc, "outlet", n, o->current_a, "A");
			snprintf(label, sizeof label, "outlet.%s.current", n);
			pk_check_perf(t, label, o->current_a, "A", warn_of(xc), crit_of(xc), 0, NAN);
		}
		if (o->has_power) {
			any_p = 1;
			if (xp != NULL)
				judge_value(t, xp, "outlet", n, (double)o->power_w, "W");
			snprintf(label, sizeof label, "outlet.%s.power", n);
			pk_check_perf(t, label, (double)o->power_w, "W", warn_of(xp), crit_of(xp), 0,
			              NAN);
		}
	}
	if (xc != NULL && !any_c)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "outlet.current: not reported by this PDU");
	if (xp != NULL && !any_p)
		pk_check_finding(t, PK_CHECK_UNKNOWN, "outlet.power: not reported by this PDU");
}

/* The PDU at a glance, the text of an OK: "8 outlets, 7 on, 5.1A". */
static void
judge_summary(struct pk_check_target *t, const struct pdu *p)
{
	double amps = 0;
	int on = 0;

	for (int i = 0; i < p->noutlets; i++)
		on += p->outlets[i].state == 1;
	for (int i = 0; i < p->nbanks; i++)
		amps += p->banks[i].load_a;
	if (p->nbanks > 0)
		pk_check_finding(t, PK_CHECK_OK, "%d outlets, %d on, %gA", p->noutlets, on, amps);
	else
		pk_check_finding(t, PK_CHECK_OK, "%d outlets, %d on", p->noutlets, on);
}

void
pdu_health_judge(struct pk_check_target *t, const struct pdu *p,
                 const struct pdu_health_opts *opts)
{
	judge_summary(t, p);
	judge_expected(t, p, opts->expect_on, 1, "--expect-on");
	judge_expected(t, p, opts->expect_off, 0, "--expect-off");
	judge_load_states(t, p);
	judge_banks(t, p, opts->th);
	judge_outlets(t, p, opts->th);
}

void
pdu_health_error(struct pk_check_target *t, const struct pk_err *err,
                 enum pk_check_state unreachable)
{
	pk_check_finding(t, err->status == PK_ECOMM ? unreachable : PK_CHECK_UNKNOWN, "%s",
	                 err->msg[0] != '\0' ? err->msg : "cannot be read");
}
