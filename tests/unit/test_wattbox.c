/* Unit tests for common/wattbox/session.c: IAC stripping, login, reply matching,
 * pushes, late replies, bounds, and the value parsers.  The device is a
 * scripted transport: each pump hands over the next chunk. */
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "tap.h"
#include "wattbox/actions.h"
#include "wattbox/client.h"

struct script {
	const char *const *chunks;   /* NULL-terminated; then "closed" */
	int next;
	struct pk_buf written;
	struct pk_buf given;         /* everything handed to the session so far */
	int written_before_prompt;   /* bytes written before "Username: " was handed over */
	int prompt_seen;
};

static int
s_send(void *ctx, const char *p, size_t n, struct pk_err *err)
{
	struct script *s = ctx;

	(void)err;
	if (!s->prompt_seen)
		s->written_before_prompt += (int)n;
	pk_buf_add(&s->written, p, n);
	return 0;
}

/* Always ready: each pump hands over the next chunk. */
static short
s_want(void *ctx, int *fd, int64_t *wake)
{
	(void)ctx;
	*fd = -1;
	*wake = pk_now_ms();
	return 0;
}

static int
s_pump(void *ctx, short revents, struct pk_buf *in, struct pk_err *err)
{
	struct script *s = ctx;
	const char *c = s->chunks[s->next];

	(void)revents;
	if (c == NULL)
		return pk_err_set(err, PK_ECOMM, "closed", "device closed the connection");
	s->next++;
	pk_buf_adds(&s->given, c);
	if (strstr(pk_buf_str(&s->given), "Username: ") != NULL)
		s->prompt_seen = 1;
	pk_buf_adds(in, c);
	return 0;
}

static int
s_timeout(void *ctx, struct pk_err *err)
{
	(void)ctx;
	return pk_err_set(err, PK_ECOMM, "timeout", "timed out");
}

static int
s_flush(void *ctx, int64_t deadline, struct pk_err *err)
{
	(void)ctx;
	(void)deadline;
	(void)err;
	return 0;
}

static void
s_close(void *ctx)
{
	struct script *s = ctx;
	pk_buf_free(&s->written);
	pk_buf_free(&s->given);
}

static const struct wb_io script_io = { s_send, s_want, s_pump, s_timeout, s_flush, s_close, NULL };

/* The settings the scripted sessions are given; within() sets the
 * deadline of the next call. */
static struct pk_session_opts session_opts;

static void
start(struct wb_session *ws, struct script *sc, const char *const *chunks)
{
	memset(sc, 0, sizeof *sc);
	sc->chunks = chunks;
	wb_session_init(ws, &script_io, sc, &session_opts);
}

static struct wb_session *
within(struct wb_session *ws, int64_t ms)
{
	session_opts.deadline = pk_deadline_in(ms);
	return ws;
}

static void
test_iac(void)
{
	struct pk_buf out = { 0 };
	const unsigned char a[] = "\xff\xfd\x01Please\xff\xfb\x03 Login\xff\xf1!";
	const unsigned char sb[] = "A\xff\xfa\x18\x01\xff\xf0" "B";
	const unsigned char part[] = "ok\xff\xfd";
	size_t rc;

	rc = wb_iac_strip(a, sizeof a - 1, &out);
	TAP_OK(rc == sizeof a - 1, "IAC: all input used");
	TAP_STREQ(pk_buf_str(&out), "Please Login!", "IAC DO/WILL/NOP dropped");
	pk_buf_reset(&out);
	wb_iac_strip(sb, sizeof sb - 1, &out);
	TAP_STREQ(pk_buf_str(&out), "AB", "IAC subnegotiation dropped");
	pk_buf_reset(&out);
	rc = wb_iac_strip(part, sizeof part - 1, &out);
	TAP_OK(rc == 2, "incomplete IAC left for later");
	TAP_STREQ(pk_buf_str(&out), "ok", "bytes before it kept");
	pk_buf_free(&out);
}

static void
test_login_ok(void)
{
	static const char *const chunks[] = { "Please Login to Continue\n", "User", "name: ",
	                                      "Password: ", "Successfully Logged In!\r\n",
	                                      "?Firmware=2.10.0.0\r\n", NULL };
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int rc;
	char v[64];

	start(&ws, &sc, chunks);
	rc = wb_login(within(&ws, 1000), "wattbox", "s3cret", &err);
	TAP_OK(rc == 0,
	       "login with split prompt");
	TAP_OK(sc.written_before_prompt == 0, "nothing written before Username:");
	TAP_STREQ(pk_buf_str(&sc.written), "wattbox\ns3cret\n", "user and password, LF each");
	rc = wb_command(within(&ws, 1000), "?Firmware", WB_QUERY, v, sizeof v, &err);
	TAP_OK(rc == 0,
	       "query after login (CRLF)");
	TAP_STREQ(v, "2.10.0.0", "firmware value");
	wb_session_close(&ws);
	TAP_OK(ws.io == NULL, "session closed");
}

static void
test_login_fail(void)
{
	static const char *const bad[] = { "Please Login to Continue\nUsername: ", "Password: ",
	                                   "Invalid Login\nUsername: ", NULL };
	static const char *const locked[] = { "API is locked for 4 min", "utes and 39 seconds.\n",
	                                      NULL };
	static const char *const locked_eof[] = { "API is locked for 1 minutes and 2 seconds.",
	                                          NULL };
	static const char *const gone[] = { "Please Login to Continue\n", NULL };
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int rc;

	start(&ws, &sc, bad);
	rc = wb_login(within(&ws, 1000), "wattbox", "x", &err);
	TAP_OK(rc == PK_EAUTH,
	       "Invalid Login is exit 4");
	TAP_STREQ(pk_buf_str(&sc.written), "wattbox\nx\n", "credentials sent once, never retried");
	TAP_OK(ws.logged_in == 0, "no !Exit owed");
	wb_session_close(&ws);

	start(&ws, &sc, locked);
	rc = wb_login(within(&ws, 1000), "wattbox", "x", &err);
	TAP_OK(rc == PK_EAUTH &&
	       strcmp(err.kind, "locked") == 0, "lockout split across reads is exit 4");
	TAP_OK(strstr(err.msg, "4 min 39 s") != NULL, "remaining time in the message");
	TAP_OK(sc.written.len == 0, "nothing sent to a locked API");
	wb_session_close(&ws);

	start(&ws, &sc, locked_eof);
	rc = wb_login(within(&ws, 1000), "wattbox", "x", &err);
	TAP_OK(rc == PK_EAUTH &&
	       strstr(err.msg, "1 min 2 s") != NULL, "lockout without newline, then close");
	wb_session_close(&ws);

	start(&ws, &sc, gone);
	rc = wb_login(within(&ws, 1000), "wattbox", "x", &err);
	TAP_OK(rc == PK_ECOMM &&
	       strstr(err.msg, "10 sessions") != NULL, "close before the prompt hints at the cap");
	wb_session_close(&ws);
}

static void
test_match(void)
{
	const char *v;

	TAP_OK(wb_match_reply("?Model", WB_QUERY, "?Model=WB-800", &v) == 1 &&
	       strcmp(v, "WB-800") == 0, "?Name= matches");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "?Firmware=2.1", &v) == 0,
	       "a late reply to another query is not ours");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "?ModelX=1", &v) == 0, "prefix is not a match");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "?Model", &v) == 0, "the echo is skipped");
	TAP_OK(wb_match_reply("?OutletPowerStatus=1", WB_QUERY, "?OutletPowerStatus=1", &v) == 0,
	       "an echo that looks like a reply is skipped");
	TAP_OK(wb_match_reply("?OutletPowerStatus=1", WB_QUERY,
	                      "?OutletPowerStatus=12,1.00,0.01,118.00", &v) == 0,
	       "the argument must match (12 is not 1)");
	TAP_OK(wb_match_reply("?OutletPowerStatus=1", WB_QUERY,
	                      "?OutletPowerStatus=1,1.00,0.01,118.00", &v) == 1 &&
	       strcmp(v, "1,1.00,0.01,118.00") == 0, "argument echoed first");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "#Error", &v) == -1, "#Error");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "~OutletStatus=1,0", &v) == 0,
	       "a push is not a query reply");
	TAP_OK(wb_match_reply("?Model", WB_QUERY, "OK", &v) == 0, "OK is not a query reply");
	TAP_OK(wb_match_reply("!OutletSet=1,ON", WB_OUTLETSET, "~OutletStatus=1,0", &v) == 1,
	       "!OutletSet is done on a push");
	TAP_OK(wb_match_reply("!OutletSet=1,ON", WB_OUTLETSET, "OK", &v) == 1, "or on OK");
	TAP_OK(wb_match_reply("!AutoReboot=1", WB_CONTROL, "~OutletStatus=1,0", &v) == 0,
	       "other controls wait for OK");
	TAP_OK(wb_match_reply("!AutoReboot=1", WB_CONTROL, "", &v) == 0, "blank lines skipped");
}

static void
test_command(void)
{
	static const char *const chunks[] = {
		"Connecting...\r\nSuccessfully Logged In!\r\n~OutletStatus=1,0\r\n",
		"?Hostname=late\n", "?Outlet", "Name={A, b},{C}\n", "~OutletStatus=0,0\n",
		"#Error\n", NULL };
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int rc;
	char v[128];

	start(&ws, &sc, chunks);
	rc = wb_command(within(&ws, 1000), "?OutletName", WB_QUERY, v, sizeof v, &err);
	TAP_OK(rc == 0,
	       "reply found past banner, push and a late reply");
	TAP_STREQ(v, "{A, b},{C}", "reply split across reads");
	TAP_OK(ws.pushes == 1 && strcmp(ws.push, "1,0") == 0, "the push was collected aside");
	rc = wb_command(within(&ws, 1000), "?PowerStatus", WB_QUERY, v, sizeof v, &err);
	TAP_OK(rc ==
	       PK_EREFUSED, "#Error is refused (1)");
	TAP_OK(ws.pushes == 2 && strcmp(ws.push, "0,0") == 0, "the second push too");
	rc = wb_command(within(&ws, 1000), "?Model", WB_QUERY, v, sizeof v, &err);
	TAP_OK(rc ==
	       PK_ECOMM, "close while waiting is exit 3");
	TAP_OK(ws.round_trips == 3, "three round trips counted");
	ws.logged_in = 1;
	wb_session_close(&ws);
}

static void
test_ssh_lockout(void)
{
	static const char *const chunks[] = { "Connecting...\r\n",
	                                      "API is locked for 0 minutes and 9 seconds.\r\n", NULL };
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int rc;

	start(&ws, &sc, chunks);
	rc = wb_command(within(&ws, 1000), "?Firmware", WB_QUERY, NULL, 0, &err);
	TAP_OK(rc == PK_EAUTH && strstr(err.msg, "0 min 9 s") != NULL,
	       "a lockout in place of the SSH banner is exit 4");
	wb_session_close(&ws);
}

static void
test_bounds(void)
{
	char *big = malloc(WB_LINE_MAX + 100);
	const char *chunks[] = { big, NULL };
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int rc;
	struct pk_buf line = { 0 };

	memset(big, 'x', WB_LINE_MAX + 99);
	big[WB_LINE_MAX + 99] = '\0';
	start(&ws, &sc, chunks);
	rc = wb_next_line(within(&ws, 1000), &line, &err);
	TAP_OK(rc == PK_ECOMM &&
	       strcmp(err.kind, "overflow") == 0, "an over-long line is exit 3");
	wb_session_close(&ws);
	start(&ws, &sc, chunks);
	rc = wb_login(within(&ws, 1000), "u", "p", &err);
	TAP_OK(rc == PK_ECOMM &&
	       sc.written.len == 0, "no prompt in a flood: exit 3, nothing sent");
	wb_session_close(&ws);
	pk_buf_free(&line);
	free(big);
}

/* Endless short lines (pushes) are bounded by the session's byte limit. */
static void
test_total_bound(void)
{
	enum { N = WB_TOTAL_MAX / 1000 + 10 };
	const char **chunks = calloc(N + 1, sizeof *chunks);
	char *push = malloc(1001);
	struct script sc;
	struct wb_session ws;
	struct pk_err err = { 0 };
	int i, rc;

	memset(push, '1', 1000);
	memcpy(push, "~OutletStatus=", 14);
	push[999] = '\n';
	push[1000] = '\0';
	for (i = 0; i < N; i++)
		chunks[i] = push;
	start(&ws, &sc, chunks);
	rc = wb_command(within(&ws, 5000), "?Model", WB_QUERY, NULL, 0, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "overflow") == 0,
	       "more than %d bytes in a session is exit 3", WB_TOTAL_MAX);
	TAP_OK(ws.pushes > 1000, "the pushes were collected until then (%u)", ws.pushes);
	wb_session_close(&ws);
	free(chunks);
	free(push);
}

static void
test_values(void)
{
	char names[4][WB_NAME_MAX], x[64];
	int st[8];
	double f[4];
	const char *xml = "3f2\r\n<?xml version='1.0'?>\n<request>\n<host_name>RackA</host_name>\n"
	                  "<outlet_name>TV,Amp</outlet_name>\n</request>\n";

	TAP_OK(wb_parse_names("{Dish Hopper},{PS5, Xbox},{},{x}", names, 4) == 4,
	       "names with spaces, commas and an empty one");
	TAP_STREQ(names[1], "PS5, Xbox", "comma kept inside braces");
	TAP_STREQ(names[2], "", "empty name");
	TAP_OK(wb_parse_names("{a},{b}", names, 1) == -1, "too many names refused");
	TAP_OK(wb_parse_names("a,b", names, 4) == -1, "names without braces refused");
	TAP_OK(wb_parse_names("{a},{b", names, 4) == -1, "unclosed brace refused");
	TAP_OK(wb_parse_states("1,0,1", st, 8) == 3 && st[0] == 1 && st[1] == 0, "states");
	TAP_OK(wb_parse_states("1,2", st, 8) == -1, "state 2 refused");
	TAP_OK(wb_parse_states("1,", st, 8) == -1, "trailing comma refused");
	TAP_OK(wb_parse_numbers("4,0.00,0.5,118.78", f, 4) == 4 && f[3] > 118.77 && f[3] < 118.79,
	       "numbers of any precision");
	TAP_OK(wb_parse_numbers("4,abc", f, 4) == -1, "non-number refused");
	TAP_OK(wb_parse_numbers("1,2,3,4,5", f, 4) == -1, "too many numbers refused");
	TAP_OK(wb_xml_tag(xml, "host_name", x, sizeof x) == 0, "XML tag after junk");
	TAP_STREQ(x, "RackA", "XML value");
	TAP_OK(wb_xml_tag(xml, "hasUPS", x, sizeof x) == -1, "absent tag");
	wb_xml_tag(xml, "outlet_name", x, sizeof x);
	TAP_OK(wb_parse_plain_names(x, names, 4) == 2, "plain names");
	TAP_STREQ(names[1], "Amp", "plain name value");
}

static void
count_note(void *ctx, const char *line)
{
	(void)line;
	(*(int *)ctx)++;
}

/* The legacy HTTP API's /wattbox_info.xml, read without a connection. */
static void
test_http_info(void)
{
	static struct wb_reading r;
	const char *xml = "<?xml version='1.0'?>\n<request>\n<host_name>RackA</host_name>\n"
	                  "<hardware_version>WB-300-IP-3</hardware_version>\n"
	                  "<serial_number>ST19150068</serial_number>\n"
	                  "<outlet_name>TV,Amp,Router</outlet_name>\n"
	                  "<outlet_status>1,0,1</outlet_status>\n"
	                  "<safe_voltage_status>1</safe_voltage_status>\n"
	                  "<voltage_value>1187</voltage_value>\n<current_value>15</current_value>\n"
	                  "<power_value>46</power_value>\n<hasUPS>0</hasUPS>\n</request>\n";
	const char *bad_volts = "<request><host_name>A</host_name><hardware_version>B"
	                        "</hardware_version><serial_number>C</serial_number>"
	                        "<outlet_name>a,b</outlet_name><outlet_status>1,0</outlet_status>"
	                        "<voltage_value>1e300</voltage_value></request>";
	const char *comma = "<request><host_name>A</host_name><hardware_version>B"
	                    "</hardware_version><serial_number>C</serial_number>"
	                    "<outlet_name>PS5, Xbox,b</outlet_name><outlet_status>1,0</outlet_status>"
	                    "</request>";
	struct pk_session_opts opts = { 0 };
	struct pk_err err;
	int notes = 0;

	opts.warn = count_note;
	opts.warn_ctx = &notes;
	TAP_OK(wb_http_parse_info(xml, NULL, &r, &opts, &err) == 0, "http: info XML read");
	TAP_OK(r.have == (WB_PART_INFO | WB_PART_STATUS | WB_PART_POWER | WB_PART_UPS |
	                  WB_PART_PING), "http: info, status, power, ups and ping read");
	TAP_STREQ(r.info.hostname, "RackA", "http: host name");
	TAP_STREQ(r.info.model, "WB-300-IP-3", "http: model");
	TAP_OK(r.info.outlets == 3 && r.st.count == 3, "http: three outlets");
	TAP_STREQ(r.st.o[2].name, "Router", "http: outlet name");
	TAP_OK(r.st.o[0].on == 1 && r.st.o[1].on == 0, "http: outlet states");
	TAP_OK(r.power.volts > 118.69 && r.power.volts < 118.71 && r.power.amps > 1.49 &&
	       r.power.amps < 1.51 && r.power.watts == 46, "http: tenths of volts and amps");
	TAP_OK(r.ups.supported && !r.ups.connected, "http: no UPS connected");
	TAP_OK(notes == 0, "http: no note");
	TAP_OK(wb_http_parse_info(xml, "Router,1", &r, &opts, &err) == 0 && r.sel[0] && !r.sel[1] &&
	       r.sel[2], "http: outlets selected by name and number");
	TAP_OK(wb_http_parse_info(xml, "4", &r, &opts, &err) == PK_EUSAGE &&
	       r.have == WB_PART_INFO, "http: an outlet the unit lacks is a usage error");
	TAP_OK(wb_http_parse_info(bad_volts, NULL, &r, &opts, &err) == PK_ECOMM &&
	       r.have == (WB_PART_INFO | WB_PART_STATUS), "http: a reading that is no decimal fails");
	TAP_OK(wb_http_parse_info(comma, NULL, &r, &opts, &err) == PK_ECOMM && r.st.count == 2 &&
	       r.st.o[0].name[0] == '\0' && notes > 0,
	       "http: a comma in a name: outlets by number, with a note");
}

int
main(void)
{
	test_iac();
	test_login_ok();
	test_login_fail();
	test_match();
	test_command();
	test_ssh_lockout();
	test_bounds();
	test_total_bound();
	test_values();
	test_http_info();
	return TAP_DONE();
}
