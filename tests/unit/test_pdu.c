/* Unit tests for pductl's library side without a network: outlet
 * selection, the confirmation predicate, the reboot deadline, the SETs a
 * switch plans, action words, the v2c fallback decision, raw OID
 * requests and the outlet-state rendering. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/outlets.h"
#include "pdu/device.h"
#include "pdu/oid.h"
#include "pdu/render.h"
#include "pdu/session.h"
#include "pdu/switch.h"
#include "tap.h"

/* A four-outlet PDU of the given profile with names nas, web, db, fw. */
static struct pdu *
fake_pdu(const char *profile)
{
	static const char *const names[] = { "nas", "web", "db", "fw" };
	struct pdu *p = calloc(1, sizeof *p);

	if (p == NULL)
		abort();
	p->prof = pdu_profile_find(profile);
	p->noutlets = 4;
	for (int i = 0; i < 4; i++) {
		p->outlets[i].number = i + 1;
		snprintf(p->outlets[i].name, sizeof p->outlets[i].name, "%s", names[i]);
		p->outlets[i].state = i % 2 == 0;
		p->outlets[i].pending = -1;
		p->outlets[i].reboot_s = 5 * (i + 1);
	}
	return p;
}

static void
test_select(void)
{
	struct pdu *p = fake_pdu("cyberpower-epdu");
	unsigned char sel[PDU_MAX_OUTLETS];
	struct pk_err err;

	TAP_OK(!pdu_spec_has_names("3") && !pdu_spec_has_names("1,4-7") &&
	       !pdu_spec_has_names("all"), "numbers, ranges and all need no names");
	TAP_OK(pdu_spec_has_names("nas") && pdu_spec_has_names("1,nas") &&
	       pdu_spec_has_names("all,3"), "anything else may be a name");
	TAP_OK(pdu_select_known(p, "web", sel, &err) == 0 && sel[1] &&
	       pk_outlets_count(sel, 4) == 1, "a name selects its outlet");
	TAP_OK(pdu_select_known(p, "1,db", sel, &err) == 0 && sel[0] && sel[2] &&
	       pk_outlets_count(sel, 4) == 2, "numbers and names mix");
	TAP_OK(pdu_select_known(p, "2-4", sel, &err) == 0 && !sel[0] &&
	       pk_outlets_count(sel, 4) == 3, "a range");
	TAP_OK(pdu_select_known(p, "mail", sel, &err) == PK_EUSAGE, "an unknown name");
	TAP_OK(pdu_select_known(p, "5", sel, &err) == PK_EUSAGE, "beyond the outlet count");
	memset(sel, 0, sizeof sel);
	sel[0] = sel[2] = 1;
	TAP_OK(pdu_all_on(p, sel), "outlets 1 and 3 are on");
	sel[1] = 1;
	TAP_OK(!pdu_all_on(p, sel), "outlet 2 is off");
	free(p);
}

static int
reached(int state, int pending, enum pdu_action a, unsigned char *seen_off)
{
	struct pdu_outlet o = { .number = 1, .state = state, .pending = pending };

	return pdu_reached(&o, a, seen_off);
}

static void
test_reached(void)
{
	unsigned char seen = 0;

	TAP_OK(reached(1, 0, PDU_ON, &seen) && reached(1, -1, PDU_ON, &seen),
	       "on reached: on, nothing pending (or not reported)");
	TAP_OK(!reached(1, 1, PDU_ON, &seen), "on with a command pending is not yet reached");
	TAP_OK(!reached(0, 0, PDU_ON, &seen) && !reached(-1, -1, PDU_ON, &seen),
	       "off or unknown is not on");
	TAP_OK(reached(0, 0, PDU_OFF, &seen) && !reached(1, 0, PDU_OFF, &seen) &&
	       !reached(0, 1, PDU_OFF, &seen), "off reached only when off with nothing pending");
	TAP_OK(seen == 0, "on and off leave seen_off alone");
	TAP_OK(!reached(1, 0, PDU_REBOOT, &seen) && seen == 0,
	       "reboot: on before it was seen off is not done");
	TAP_OK(!reached(0, 0, PDU_REBOOT, &seen) && seen == 1, "reboot: seen off");
	TAP_OK(reached(1, 0, PDU_REBOOT, &seen), "reboot: on again after off is done");
	seen = 0;
	TAP_OK(!reached(1, 1, PDU_REBOOT, &seen) && seen == 1,
	       "reboot: a pending command counts as seen off");
	TAP_OK(reached(1, -1, PDU_REBOOT, &seen), "reboot: then on with nothing pending");
}

static void
test_reboot_deadline(void)
{
	struct pdu *p = fake_pdu("apc-rpdu2");
	unsigned char sel[PDU_MAX_OUTLETS] = { 1, 1, 0, 0 };

	TAP_OK(pdu_reboot_deadline(p, sel, 0, 1000, 6000) == 1000 + 20000,
	       "longest selected reboot (10 s) plus 10 s from the start");
	TAP_OK(pdu_reboot_deadline(p, sel, 1, 1000, 6000) == 1000 + 80000,
	       "delayed commands add 60 s");
	TAP_OK(pdu_reboot_deadline(p, sel, 0, 1000, 90000) == 90000,
	       "a later deadline stays");
	sel[3] = 1;
	TAP_OK(pdu_reboot_deadline(p, sel, 0, 0, 0) == 30000, "outlet 4 (20 s) counts");
	p->outlets[3].reboot_s = -1;
	p->outlets[1].reboot_s = -1;
	p->outlets[0].reboot_s = -1;
	TAP_OK(pdu_reboot_deadline(p, sel, 0, 0, 0) == 10000, "unknown durations: 10 s");
	free(p);
}

static void
test_switch_plan(void)
{
	struct pdu *p = fake_pdu("cyberpower-epdu");
	struct pdu_profile nodelay = *pdu_profile_find("apc-rpdu2");
	unsigned char sel[PDU_MAX_OUTLETS] = { 0, 1, 0, 1 };
	struct pk_buf b = { 0 };
	struct pk_err err;

	TAP_OK(pdu_switch_plan(p, sel, PDU_OFF, 0, snmp_vb_line, &b, &err) == 0,
	       "a plain off plans");
	TAP_STREQ(pk_buf_str(&b), ".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.2 = INTEGER: 2\n"
	          ".1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.4 = INTEGER: 2\n",
	          "one SET per selected outlet: the command column, immediate off");
	b.len = 0;
	TAP_OK(pdu_switch_plan(p, sel, PDU_REBOOT, 1, snmp_vb_line, &b, &err) == 0,
	       "a delayed reboot plans");
	TAP_OK(strstr(pk_buf_str(&b), ".4.4 = INTEGER: 6\n") != NULL, "with the delayed value");
	b.len = 0;
	memset(sel, 1, 4);
	TAP_OK(pdu_switch_plan(p, sel, PDU_OFF, 0, snmp_vb_line, &b, &err) == 0 &&
	       strstr(pk_buf_str(&b), ".4.1 = INTEGER: 2\n") != NULL &&
	       strstr(pk_buf_str(&b), ".4.4 = INTEGER: 2\n") != NULL,
	       "a plan of every outlet needs no --yes: it sends nothing");
	sel[0] = sel[2] = 0;
	b.len = 0;
	memset(nodelay.cmd_delayed, 0, sizeof nodelay.cmd_delayed);
	p->prof = &nodelay;
	TAP_OK(pdu_action_cuts(PDU_ON) == NULL && strcmp(pdu_action_cuts(PDU_OFF), "switches off") == 0 &&
	       strcmp(pdu_action_cuts(PDU_REBOOT), "cycles") == 0,
	       "safety policy: off and reboot cut power, on does not");
	TAP_OK(pdu_switch_plan(p, sel, PDU_ON, 1, snmp_vb_line, &b, &err) == PK_EUSAGE &&
	       b.len == 0, "no delayed variant: usage error, nothing planned");
	TAP_OK(strstr(err.msg, "no delayed commands") != NULL, "and says so");
	pk_buf_free(&b);
	free(p);
}

static void
test_actions(void)
{
	enum pdu_action a = PDU_ACTIONS;

	TAP_OK(pdu_action_parse("on", &a) && a == PDU_ON, "on");
	TAP_OK(pdu_action_parse("off", &a) && a == PDU_OFF, "off");
	TAP_OK(pdu_action_parse("reboot", &a) && a == PDU_REBOOT, "reboot");
	TAP_OK(!pdu_action_parse("ON", &a) && !pdu_action_parse("status", &a) &&
	       !pdu_action_parse("", &a) && a == PDU_REBOOT,
	       "anything else is no action and leaves *a alone");
}

static void
test_v2c_fallback(void)
{
	struct pk_err err;

	pk_err_set(&err, PK_ECOMM, "timeout", "no answer");
	TAP_OK(pdu_v2c_unanswered(PK_ECOMM, &err), "no answer over v2c: try v1");
	TAP_OK(!pdu_v2c_unanswered(0, &err), "an answer: stay");
	pk_err_set(&err, PK_ECOMM, "malformed", "bad reply");
	TAP_OK(!pdu_v2c_unanswered(PK_ECOMM, &err), "a bad reply is no reason for v1");
	pk_err_set(&err, PK_EAUTH, "authorizationError", "refused");
	TAP_OK(!pdu_v2c_unanswered(PK_EAUTH, &err), "nor is a refusal");
}

static int
oid_parse(const char *words, struct pdu_oid_req *req, struct pk_err *err)
{
	char buf[256], *argv[8];
	int argc = 0;

	snprintf(buf, sizeof buf, "%s", words);
	for (char *w = strtok(buf, " "); w != NULL && argc < 8; w = strtok(NULL, " "))
		argv[argc++] = w;
	return pdu_oid_parse(argc, argv, req, err);
}

static void
test_oid_parse(void)
{
	const char *bad[] = { "get", "walk", "walk 1.3.6 1.3.7", "set 1.3.6.1 i",
	                      "frob 1.3.6", "get 1.3.6 sysName.0", "set 1.3.6.1 i ten" };
	struct pdu_oid_req req = { 0 };
	struct pk_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		TAP_OK(oid_parse(bad[i], &req, &err) == PK_EUSAGE, "'oid %s' is a usage error",
		       bad[i]);
		pdu_oid_free(&req);
	}
	TAP_OK(oid_parse("get 1.3.6 sysName.0", &req, &err) == PK_EUSAGE &&
	       strcmp(err.msg, "'sysName.0' is not a numeric OID") == 0, "names the bad OID");
	pdu_oid_free(&req);
	TAP_OK(oid_parse("get 1.3.6.1.2.1.1.5.0 .1.3.6.1.2.1.1.1.0", &req, &err) == 0 &&
	       req.op == PDU_OID_GET && req.n == 2 && req.vbs[1].type == BER_NULL,
	       "get takes any number of OIDs");
	pdu_oid_free(&req);
	TAP_OK(oid_parse("walk .1.3.6.1.4.1.3808", &req, &err) == 0 &&
	       req.op == PDU_OID_WALK && req.n == 1, "walk takes one root");
	pdu_oid_free(&req);
	TAP_OK(oid_parse("set 1.3.6.1.4.1.3808.1.1.3.3.3.1.1.4.2 i 2", &req, &err) == 0 &&
	       req.op == PDU_OID_SET && req.n == 1 && req.vbs[0].type == BER_INTEGER &&
	       req.vbs[0].i == 2, "set carries its typed value");
	pdu_oid_free(&req);
	TAP_OK(req.vbs == NULL && req.n == 0, "free leaves an empty request");
}

static void
test_render_states(void)
{
	struct pdu *p = fake_pdu("cyberpower-epdu");
	unsigned char sel[PDU_MAX_OUTLETS] = { 1, 1, 0, 0 };
	struct pk_buf b = { 0 };

	pdu_render_states(&b, "pdu1:161", p, sel, 0);
	TAP_STREQ(pk_buf_str(&b), "1 on\n2 off\n", "text: one line per selected outlet");
	b.len = 0;
	p->outlets[1].pending = 0;
	pdu_render_states(&b, "pdu1:161", p, sel, 1);
	TAP_STREQ(pk_buf_str(&b), "{\"target\":\"pdu1:161\",\"outlets\":[{\"outlet\":1,\"name\":\"nas\","
	          "\"state\":\"on\"},{\"outlet\":2,\"name\":\"web\",\"state\":\"off\","
	          "\"pending\":false}]}\n", "JSON: target and the selected outlets");
	b.len = 0;
	sel[3] = 1;
	pdu_render_accepted(&b, "pdu1:161", p, sel, 0);
	TAP_STREQ(pk_buf_str(&b), "1 accepted\n2 accepted\n4 accepted\n",
	          "--no-wait: one accepted line per selected outlet");
	b.len = 0;
	pdu_render_accepted(&b, "pdu1:161", p, sel, 1);
	TAP_STREQ(pk_buf_str(&b), "{\"target\":\"pdu1:161\",\"outlets\":[{\"outlet\":1,"
	          "\"accepted\":true},{\"outlet\":2,\"accepted\":true},{\"outlet\":4,"
	          "\"accepted\":true}]}\n", "--no-wait -j: one JSON document");
	b.len = 0;
	pdu_render_name(&b, "pdu1:161", p, 2, 0);
	TAP_STREQ(pk_buf_str(&b), "2 web\n", "name: the outlet and its name read back");
	b.len = 0;
	pdu_render_name(&b, "pdu1:161", p, 2, 1);
	TAP_STREQ(pk_buf_str(&b), "{\"target\":\"pdu1:161\",\"outlets\":[{\"outlet\":2,"
	          "\"name\":\"web\"}]}\n", "name -j: one JSON document");
	pk_buf_free(&b);
	free(p);
}

static void
test_session(void)
{
	struct pdu_sess ps = { .version = -1 };
	struct pk_session_opts opts;
	struct pk_err err;

	pk_session_opts_set(&opts, 12345, NULL, NULL, NULL);
	snprintf(ps.read_comm, sizeof ps.read_comm, "public");
	TAP_OK(pdu_sess_init(&ps, &opts, &err) == 0 && ps.s != NULL && ps.pdu != NULL,
	       "a session allocates its SNMP state and PDU data");
	TAP_OK(ps.s->opts.deadline == 12345, "the SNMP session owns the deadline it was given");
	pdu_sess_free(&ps);
	TAP_OK(ps.s == NULL && ps.pdu == NULL && ps.read_comm[0] == '\0',
	       "free releases them and wipes the communities");
	pdu_sess_free(&ps);
	TAP_OK(1, "free twice is harmless");
}

/* The tripped breaker's names (and the blown fuse), and the families
 * that read one. */
static void
test_tripped(void)
{
	static const char *const tripping[] = { "raritan-px1", "sentry4", "sentry4-metered",
	                                        "eaton-epdu", "eaton-epdu-metered", "raritan-px2",
	                                        "raritan-px1-metered" };
	int others = 0, expected = 1;

	TAP_OK(pdu_load_tripped("tripped") && pdu_load_tripped("breakerTripped") &&
	       pdu_load_tripped("fuseBlown") && pdu_load_tripped("breakerOff") &&
	       pdu_load_tripped("open"),
	       "tripped (PX1), breakerTripped and fuseBlown (Sentry4), breakerOff (Eaton), open "
	       "(PX2's trip sensor) are a trip");
	TAP_OK(!pdu_load_tripped("overload") && !pdu_load_tripped("highAlarm") &&
	       !pdu_load_tripped("normal") && !pdu_load_tripped("breakerOn") &&
	       !pdu_load_tripped("notApplicable") && !pdu_load_tripped("closed") &&
	       !pdu_load_tripped(NULL),
	       "no other state is (Eaton's breakerOn and notApplicable, PX2's closed neither), "
	       "nor none");
	TAP_STREQ(pdu_load_common("breakerTripped"), "tripped", "breakerTripped is called tripped");
	TAP_STREQ(pdu_load_common("nearOverload"), "nearOverload", "other states keep their name");
	for (size_t i = 0; i < sizeof tripping / sizeof tripping[0]; i++)
		expected &= pdu_profile_trips(pdu_profile_find(tripping[i]));
	TAP_OK(expected, "both PX1, PX2 and both Sentry4 and Eaton profiles read a tripped breaker");
	for (int i = 0; pdu_profiles[i] != NULL; i++)
		others += pdu_profile_trips(pdu_profiles[i]);
	TAP_OK(others == 7, "...and no other profile (%d in all)", others);
}

int
main(void)
{
	test_select();
	test_reached();
	test_reboot_deadline();
	test_switch_plan();
	test_actions();
	test_v2c_fallback();
	test_oid_parse();
	test_render_states();
	test_session();
	test_tripped();
	return TAP_DONE();
}
