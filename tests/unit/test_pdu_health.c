/* Unit tests for common/pdu/health.c: a PDU's status read judged for
 * --check, each mapping on its own, through core/check.h's report. */
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "pdu/health.h"

/* A 4-outlet PDU with two banks (normal load) and metered outlets:
 * outlets 1, 2 and 4 on, 3 ("spare") off. */
static void
reading(struct pdu *p)
{
	static const char *const names[] = { "nas", "web", "spare", "lab" };

	memset(p, 0, sizeof *p);
	p->prof = pdu_profiles[0];
	p->noutlets = 4;
	p->nbanks = 2;
	p->metered = 1;
	p->banks[0] = (struct pdu_bank){ 1, 2.2, "normal", 1, 1 };
	p->banks[1] = (struct pdu_bank){ 2, 2.9, "normal", 1, 1 };
	for (int i = 0; i < 4; i++) {
		struct pdu_outlet *o = &p->outlets[i];
		o->number = i + 1;
		snprintf(o->name, sizeof o->name, "%s", names[i]);
		o->state = i != 2;
		o->has_current = o->has_power = 1;
		o->current_a = o->state ? 0.5 * (i + 1) : 0;
		o->power_w = o->state ? 115 * (i + 1) : 0;
	}
}

/* The same 4 outlets as two chained units of two (1:1, 1:2, 2:1, 2:2),
 * each with its banks 1 and 2. */

/* Bank 2's load state, as a family names it, and --check's verdict:
 * the common name decides (pdu_load_common). */
static const struct {
	const char *state;
	enum pk_check_state verdict;
	const char *line;   /* how the line begins */
} bank_states[] = {
	{ "tripped", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 breaker tripped | " },        /* PX1 */
	{ "breakerTripped", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 breaker tripped | " }, /* Sentry4 */
	{ "fuseBlown", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 fuse blown | " },           /* Sentry4 */
	{ "breakerOff", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 breaker off | " },         /* Eaton */
	{ "breakerOn", PK_CHECK_OK, "PDU OK - " },           /* Eaton's, never a load state */
	{ "open", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 breaker open | " },       /* PX2 trip sensor */
	{ "closed", PK_CHECK_OK, "PDU OK - " },              /* PX2's, never a load state */
	{ "aboveUpperWarning", PK_CHECK_WARNING, "PDU WARNING - bank 2 near overload (0A) | " }, /* PX2 */
	{ "highCritical", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 overload (0A) | " },     /* Eaton */
	{ "highAlarm", PK_CHECK_CRITICAL, "PDU CRITICAL - bank 2 overload (0A) | " },        /* Sentry4 */
	{ "belowLowerCritical", PK_CHECK_OK, "PDU OK - " },  /* a low current is only low */
	{ "overLimit", PK_CHECK_OK, "PDU OK - " },           /* no common meaning */
};

static void
chain_reading(struct pdu *p)
{
	reading(p);
	p->nunits = 2;
	p->unit_outlets[0] = p->unit_outlets[1] = 2;
	for (int i = 0; i < 4; i++) {
		p->outlets[i].unit = i / 2 + 1;
		p->outlets[i].number = i % 2 + 1;
	}
	p->nbanks = 4;
	p->banks[2] = (struct pdu_bank){ 1, 6.6, "normal", 1, 2 };
	p->banks[3] = (struct pdu_bank){ 2, 8.7, "normal", 1, 2 };
}

/* The report's state, its status line in line; frees the report. */
static enum pk_check_state
finish(struct pk_check_report *rep, char *line, size_t len)
{
	struct pk_buf out = { 0 };
	enum pk_check_state s;

	pk_check_render(rep, 0, &out);
	snprintf(line, len, "%.*s", (int)strcspn(pk_buf_str(&out), "\n"), pk_buf_str(&out));
	s = pk_check_report_state(rep);
	pk_check_report_free(rep);
	pk_buf_free(&out);
	return s;
}

/* Judges p with opts; returns the state, the status line in line. */
static enum pk_check_state
judge(const struct pdu *p, const struct pdu_health_opts *opts, char *line, size_t len)
{
	struct pk_check_report rep;

	pk_check_report_init(&rep, "PDU");
	pdu_health_judge(pk_check_target_add(&rep, "h:161"), p, opts);
	return finish(&rep, line, len);
}

/* Judges an error the way pductl does for a PDU it could not read. */
static enum pk_check_state
judge_error(int status, enum pk_check_state unreachable, char *line, size_t len)
{
	struct pk_check_report rep;
	struct pk_err err;

	pk_err_set(&err, status, "snmp", "no SNMP reply within 1 s");
	pk_check_report_init(&rep, "PDU");
	pdu_health_error(pk_check_target_add(&rep, "h:161"), &err, unreachable);
	return finish(&rep, line, len);
}

int
main(void)
{
	struct pk_thresholds th = { 0 };
	struct pdu_health_opts o = { NULL, NULL, &th };
	struct pdu p;
	struct pk_err err;
	char line[1200];

	reading(&p);
	p.metered = 0;
	for (int i = 0; i < 4; i++)
		p.outlets[i].has_current = p.outlets[i].has_power = 0;
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_OK, "healthy: OK");
	TAP_STREQ(line, "PDU OK - 4 outlets, 3 on, 5.1A | 'bank.1.current'=2.2A;;;0 "
	          "'bank.2.current'=2.9A;;;0", "healthy: summary and perfdata with units");
	reading(&p);
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_OK &&
	       strstr(line, "'outlet.2.current'=1A;;;0 'outlet.2.power'=230W;;;0") != NULL,
	       "metered outlets: current (A) and power (W) in perfdata");

	o.expect_on = "spare";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "outlet 3 (spare) is off, expected on") != NULL,
	       "--expect-on by name, outlet off: CRITICAL");
	o.expect_on = "1,2,4";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_OK, "--expect-on, all on: OK");
	o.expect_on = "9";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "--expect-on: ") != NULL,
	       "--expect-on of an outlet the PDU lacks: UNKNOWN");
	o.expect_on = "all";
	p.outlets[3].state = -1;
	p.outlets[2].state = 1;
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "outlet 4 (lab) state unknown, expected on") != NULL,
	       "an outlet whose state is unknown: UNKNOWN");
	o.expect_on = NULL;
	reading(&p);
	o.expect_off = "3";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_OK, "--expect-off, outlet off: OK");
	o.expect_off = "2-3";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "outlet 2 (web) is on, expected off") != NULL,
	       "--expect-off, outlet on: CRITICAL");
	o.expect_off = NULL;

	p.banks[1].load_state = "nearOverload";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "bank 2 near overload (2.9A)") != NULL, "bank nearOverload: WARNING");
	p.banks[0].load_state = "overload";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "bank 1 overload (2.2A)") != NULL, "bank overload: CRITICAL");
	p.banks[0].load_state = "low";
	p.banks[1].load_state = "unknown";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_OK, "bank low or unknown: OK");
	p.banks[1].load_a = 0;
	for (size_t k = 0; k < sizeof bank_states / sizeof bank_states[0]; k++) {
		p.banks[1].load_state = bank_states[k].state;
		TAP_OK(judge(&p, &o, line, sizeof line) == bank_states[k].verdict &&
		       strstr(line, bank_states[k].line) == line,
		       "bank 2 %s: %s", bank_states[k].state, bank_states[k].line);
	}
	TAP_STREQ(pdu_load_common("aboveUpperCritical"), "overload", "the common name of a Raritan's");
	TAP_STREQ(pdu_load_common("lowWarning"), "low", "...of an Eaton's or Sentry4's");
	TAP_STREQ(pdu_load_common("closed"), "closed", "...any other name as it is");
	reading(&p);

	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "bank.current=2.5", &err) == 0 &&
	       pk_thresholds_add(&th, PK_CHECK_CRITICAL, "bank.current=3", &err) == 0 &&
	       judge(&p, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "bank 2 current 2.9A (warning 2.5)") != NULL &&
	       strstr(line, "'bank.2.current'=2.9A;2.5;3;0") != NULL,
	       "bank.current over its warning: WARNING, thresholds in perfdata");
	p.banks[0].load_a = 3.5;
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "bank 1 current 3.5A (critical 3)") != NULL,
	       "bank.current over its critical: CRITICAL");
	p.nbanks = 0;
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "bank.current: not reported by this PDU") != NULL,
	       "bank.current on a PDU without banks: UNKNOWN, saying so");
	pk_thresholds_free(&th);
	reading(&p);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_CRITICAL, "phase.current=16", &err) == 0 &&
	       judge(&p, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "phase.current: not reported by this PDU") != NULL,
	       "phase.current: UNKNOWN, saying so");
	pk_thresholds_free(&th);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "outlet.power=@100:200", &err) == 0 &&
	       judge(&p, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "outlet 1 power 115W (warning @100:200)") != NULL &&
	       strstr(line, "outlet 2 power") == NULL,
	       "an @ range on outlet.power alerts inside it only");
	for (int i = 0; i < 4; i++)
		p.outlets[i].has_current = p.outlets[i].has_power = 0;
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strstr(line, "outlet.power: not reported by this PDU") != NULL,
	       "outlet.power on a PDU that does not meter outlets: UNKNOWN");
	pk_thresholds_free(&th);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "outlet.current=1:", &err) == 0 &&
	       pdu_health_check_vars(&th, &err) == 0, "outlet.current is a known variable");
	pk_thresholds_free(&th);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "watts=3", &err) == 0 &&
	       pdu_health_check_vars(&th, &err) == PK_EUSAGE &&
	       strstr(err.msg, "'watts'") != NULL, "an unknown variable is refused, named");
	pk_thresholds_free(&th);

	chain_reading(&p);
	TAP_OK(pk_thresholds_add(&th, PK_CHECK_WARNING, "bank.current=8", &err) == 0 &&
	       judge(&p, &o, line, sizeof line) == PK_CHECK_WARNING &&
	       strstr(line, "bank 2:2 current 8.7A (warning 8)") != NULL &&
	       strstr(line, "'bank.1:2.current'=2.9A;8;;0 'bank.2:1.current'=6.6A;8;;0 "
	                    "'bank.2:2.current'=8.7A;8;;0") != NULL &&
	       strstr(line, "'outlet.2:2.current'=2A;;;0") != NULL,
	       "a chain: unit 2's bank judged, banks and outlets labelled UNIT:N");
	pk_thresholds_free(&th);
	p.banks[2].load_state = "overload";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "bank 2:1 overload (6.6A)") != NULL,
	       "a chain: unit 2's bank overload: CRITICAL naming 2:1");
	p.banks[2].load_state = "breakerTripped";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "PDU CRITICAL - bank 2:1 breaker tripped | ") == line,
	       "a chain: unit 2's bank tripped: CRITICAL naming 2:1");
	chain_reading(&p);
	o.expect_off = "2:2";
	TAP_OK(judge(&p, &o, line, sizeof line) == PK_CHECK_CRITICAL &&
	       strstr(line, "outlet 2:2 (lab) is on, expected off") != NULL,
	       "a chain: --expect-off names the outlet UNIT:N");
	o.expect_off = NULL;

	TAP_OK(judge_error(PK_ECOMM, PK_CHECK_UNKNOWN, line, sizeof line) == PK_CHECK_UNKNOWN &&
	       strcmp(line, "PDU UNKNOWN - no SNMP reply within 1 s") == 0,
	       "unreachable: UNKNOWN with the reason");
	TAP_OK(judge_error(PK_ECOMM, PK_CHECK_CRITICAL, line, sizeof line) == PK_CHECK_CRITICAL,
	       "unreachable with --unreachable=critical: CRITICAL");
	TAP_OK(judge_error(PK_EAUTH, PK_CHECK_CRITICAL, line, sizeof line) == PK_CHECK_UNKNOWN,
	       "access refused: UNKNOWN even with --unreachable=critical");
	return TAP_DONE();
}
