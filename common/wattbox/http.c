/* http.c — the legacy HTTP XML API of WB-300/700 units ("WB10" firmware)
 * with libcurl: GET /wattbox_info.xml for everything read, GET
 * /control.cgi?outlet=N&command=C (0 off, 1 on, 3 reset, 4/5 auto-reboot
 * on/off; outlet 0 = all, valid only with reset) to act.  Basic auth on
 * every request, and "User-Agent: APP", which some units require.
 *
 * The device's HTTP is not quite HTTP: strict parsers reject its
 * framing, it often closes before the body is complete, a reused
 * keep-alive socket gets 400, and a reset answers late or with nothing
 * valid, although the command may still have run.  So: one connection
 * per request, a body that ends at </request> is accepted even when the
 * transport complains, and every action is confirmed by the caller
 * re-reading /wattbox_info.xml.  WB-800 units have no XML API and answer
 * 401 there even with good credentials. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/net.h"
#include "wattbox/actions.h"
#include "wattbox/client.h"

#define BODY_MAX (256 * 1024)

struct http {
	CURL *curl;
	char base[320];              /* http://host:port */
};

struct sink {
	struct pk_buf *body;
	int overflow;
};

static size_t
on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;

	if (s->body->len + size * n > BODY_MAX) {
		s->overflow = 1;
		return 0;                    /* aborts the transfer */
	}
	pk_buf_add(s->body, p, size * n);
	return size * n;
}

/* A stop request (core/clock.h) aborts a transfer: libcurl calls this
 * often while it waits, and its own poll() retries after EINTR. */
static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
            curl_off_t ulnow)
{
	(void)ctx, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return pk_stop_signal() != 0;
}

static void
http_setup(struct wb_client *c, struct http *h, const char *url, struct sink *sink)
{
	CURL *k = h->curl;
	long ms = pk_ms_left(c->opts.deadline);

	curl_easy_reset(k);
	curl_easy_setopt(k, CURLOPT_URL, url);
	curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(k, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(k, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(k, CURLOPT_USERNAME, c->cfg->user);
	curl_easy_setopt(k, CURLOPT_PASSWORD, c->cfg->password);
	/* Some firmware answers 400 to anything else (am80l's fork). */
	curl_easy_setopt(k, CURLOPT_USERAGENT, "APP");
	/* Stale keep-alive sockets get a 400: never reuse one. */
	curl_easy_setopt(k, CURLOPT_FORBID_REUSE, 1L);
	curl_easy_setopt(k, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(k, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(k, CURLOPT_NOPROGRESS, 0L);
}

/* The HTTP status turned into our errors; 0 for 200. */
static int
http_status_error(long code, const char *path, struct pk_err *err)
{
	if (code == 200)
		return 0;
	if (code == 401 && strcmp(path, "/wattbox_info.xml") == 0)
		return pk_err_set(err, PK_EAUTH, "auth",
		                  "HTTP 401 on /wattbox_info.xml: wrong user or password, or an "
		                  "800-series unit (no XML API): try --proto telnet");
	if (code == 401)
		return pk_err_set(err, PK_EAUTH, "auth", "HTTP 401 on %s: wrong user or password",
		                  path);
	return pk_err_set(err, PK_ECOMM, "http", "HTTP %ld on %s", code, path);
}

/* GET path into body.  tolerant: a transport failure without a usable
 * body is not an error (reset answers with no valid HTTP at all). */
static int
http_get(struct wb_client *c, const char *path, struct pk_buf *body, int tolerant,
         struct pk_err *err)
{
	struct http *h = c->transport;
	struct sink sink = { body, 0 };
	char url[1024];
	long code = 0;
	CURLcode res;

	snprintf(url, sizeof url, "%s%s", h->base, path);
	pk_buf_reset(body);
	http_setup(c, h, url, &sink);
	c->http_requests++;
	pk_trace(&c->opts.trace, '>', "GET %s", path);
	res = curl_easy_perform(h->curl);
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	pk_trace(&c->opts.trace, '<', "HTTP %ld, %zu bytes%s%s", code, body->len,
	         res == CURLE_OK ? "" : ", transport: ", res == CURLE_OK ? "" : curl_easy_strerror(res));
	if (sink.overflow)
		return pk_err_set(err, PK_ECOMM, "overflow", "%s: more than %d bytes", path, BODY_MAX);
	if (res != CURLE_OK && strstr(pk_buf_str(body), "</request>") != NULL && code == 200)
		res = CURLE_OK;   /* the device closes early; the document is whole */
	if (res == CURLE_OPERATION_TIMEDOUT)
		return pk_err_set(err, PK_ECOMM, "timeout", "timed out on %s", path);
	if (res != CURLE_OK && tolerant)
		return 0;
	if (res != CURLE_OK)
		return pk_err_set(err, PK_ECOMM, "http", "%s: %s", path, curl_easy_strerror(res));
	if (http_status_error(code, path, err) != 0)
		return err->status;
	if (strstr(pk_buf_str(body), "</request>") == NULL)
		return pk_err_set(err, PK_ECOMM, "protocol", "%s: no </request> in the reply", path);
	return 0;
}

static int
tag_or_fail(const char *xml, const char *tag, char *out, size_t len, struct pk_err *err)
{
	if (wb_xml_tag(xml, tag, out, len) == 0)
		return 0;
	return pk_err_set(err, PK_ECOMM, "protocol", "/wattbox_info.xml has no <%s>", tag);
}

static int
fetch_info(struct wb_client *c, struct pk_buf *xml, struct pk_err *err)
{
	return http_get(c, "/wattbox_info.xml", xml, 0, err);
}

/* Outlet names and states from a /wattbox_info.xml body. */
static int
parse_outlets(const char *xml, struct wb_status *st, const struct pk_session_opts *opts,
              struct pk_err *err)
{
	char names[WB_MAX_OUTLETS][WB_NAME_MAX], v[4096];
	int states[WB_MAX_OUTLETS], n = 0, i;
	int rc = tag_or_fail(xml, "outlet_status", v, sizeof v, err);

	memset(st, 0, sizeof *st);
	if (rc == 0 && (n = wb_parse_states(v, states, WB_MAX_OUTLETS)) < 0)
		rc = pk_err_set(err, PK_ECOMM, "protocol", "malformed <outlet_status> '%.80s'", v);
	if (rc == 0)
		rc = tag_or_fail(xml, "outlet_name", v, sizeof v, err);
	/* Names are not braced here: a name with a comma cannot be told
	 * apart, so then every outlet goes by its number alone. */
	if (rc == 0 && wb_parse_plain_names(v, names, WB_MAX_OUTLETS) != n) {
		pk_session_warn(opts, "<outlet_name> does not list %d names (a name with a "
		                "comma?): outlets are shown by number, without names", n);
		memset(names, 0, sizeof names);
	}
	for (i = 0; rc == 0 && i < n; i++) {
		snprintf(st->o[i].name, WB_NAME_MAX, "%s", names[i]);
		st->o[i].on = states[i];
	}
	if (rc == 0)
		st->count = n;
	return rc;
}

static int
http_status(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err)
{
	struct pk_buf xml = { 0 };
	int rc = fetch_info(c, &xml, err);

	(void)metering;   /* the XML has whole-unit metering only */
	memset(st, 0, sizeof *st);
	if (rc == 0)
		rc = parse_outlets(xml.data, st, &c->opts, err);
	pk_buf_free(&xml);
	return rc;
}

static int
parse_info(const char *xml, struct wb_info *in, const struct pk_session_opts *opts,
           struct pk_err *err)
{
	struct wb_status st;
	int rc = parse_outlets(xml, &st, opts, err);

	memset(in, 0, sizeof *in);
	if (rc == 0)
		in->outlets = st.count;
	if (rc == 0)
		rc = tag_or_fail(xml, "hardware_version", in->model, sizeof in->model, err);
	if (rc == 0)
		rc = tag_or_fail(xml, "host_name", in->hostname, sizeof in->hostname, err);
	if (rc == 0)
		rc = tag_or_fail(xml, "serial_number", in->service_tag, sizeof in->service_tag, err);
	/* Firmware is not in the legacy XML; a few builds add it. */
	if (rc == 0 && wb_xml_tag(xml, "firmware_version", in->firmware, sizeof in->firmware))
		in->firmware[0] = '\0';
	return rc;
}

static int
http_info(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	struct pk_buf xml = { 0 };
	int rc = fetch_info(c, &xml, err);

	memset(in, 0, sizeof *in);
	if (rc == 0)
		rc = parse_info(xml.data, in, &c->opts, err);
	pk_buf_free(&xml);
	return rc;
}

static int
xml_number(const char *xml, const char *tag, double *out, struct pk_err *err)
{
	char v[64];

	if (tag_or_fail(xml, tag, v, sizeof v, err) != 0)
		return err->status;
	if (pk_reading_parse(v, out) != 0)
		return pk_err_set(err, PK_ECOMM, "protocol", "malformed <%s> '%s'", tag, v);
	return 0;
}

static int
parse_power(const char *xml, struct wb_power *p, struct pk_err *err)
{
	int rc;

	memset(p, 0, sizeof *p);
	/* voltage_value and current_value are integer tenths (1115 is 111.5 V),
	 * power_value is whole watts (some clients wrongly divide it too). */
	rc = xml_number(xml, "voltage_value", &p->volts, err);
	if (rc == 0)
		rc = xml_number(xml, "current_value", &p->amps, err);
	if (rc == 0)
		rc = xml_number(xml, "power_value", &p->watts, err);
	if (rc == 0)
		rc = tag_or_fail(xml, "safe_voltage_status", p->safe_voltage,
		                 sizeof p->safe_voltage, err);
	p->volts /= 10;
	p->amps /= 10;
	p->supported = rc == 0;
	return rc;
}

static int
http_power(struct wb_client *c, struct wb_power *p, struct pk_err *err)
{
	struct pk_buf xml = { 0 };
	int rc = fetch_info(c, &xml, err);

	memset(p, 0, sizeof *p);
	if (rc == 0)
		rc = parse_power(xml.data, p, err);
	pk_buf_free(&xml);
	return rc;
}

static void
parse_ups(const char *xml, struct wb_ups *u, struct pk_err *err)
{
	char v[64];

	memset(u, 0, sizeof *u);
	if (wb_xml_tag(xml, "hasUPS", v, sizeof v) != 0)
		return;
	u->supported = 1;
	u->connected = strcmp(v, "1") == 0;
	u->have_status = u->connected &&
	                 xml_number(xml, "battery_charge", &u->charge, err) == 0 &&
	                 xml_number(xml, "battery_load", &u->load, err) == 0 &&
	                 xml_number(xml, "est_run_time", &u->runtime_min, err) == 0;
	pk_err_clear(err);
	if (wb_xml_tag(xml, "battery_health", v, sizeof v) == 0)
		snprintf(u->health, sizeof u->health, "%s", strcmp(v, "1") ? "Bad" : "Good");
	if (wb_xml_tag(xml, "power_lost", v, sizeof v) == 0)
		snprintf(u->power_lost, sizeof u->power_lost, "%s", strcmp(v, "1") ? "False" : "True");
}

static int
http_ups(struct wb_client *c, struct wb_ups *u, struct pk_err *err)
{
	struct pk_buf xml = { 0 };
	int rc = fetch_info(c, &xml, err);

	memset(u, 0, sizeof *u);
	if (rc == 0)
		parse_ups(xml.data, u, err);
	pk_buf_free(&xml);
	return rc;
}

int
wb_http_parse_info(const char *xml, struct wb_reading *r, const struct pk_session_opts *opts,
                   struct pk_err *err)
{
	int rc;

	r->have = 0;
	if ((rc = parse_info(xml, &r->info, opts, err)) != 0)
		return rc;
	r->have |= WB_PART_INFO;
	if ((rc = parse_outlets(xml, &r->st, opts, err)) != 0)
		return rc;
	memset(r->sel, 1, sizeof r->sel);
	r->have |= WB_PART_STATUS;
	if ((rc = parse_power(xml, &r->power, err)) != 0)
		return rc;
	r->have |= WB_PART_POWER;
	parse_ups(xml, &r->ups, err);
	r->have |= WB_PART_UPS;
	return 0;
}

/* /control.cgi with both parameters, always: a request with an outlet
 * but no command has been seen to turn the outlet off. */
static int
http_control(struct wb_client *c, int outlet, int command, struct pk_err *err)
{
	struct pk_buf body = { 0 };
	char path[80];
	int rc;

	snprintf(path, sizeof path, "/control.cgi?outlet=%d&command=%d", outlet, command);
	if (c->cfg->dry_run) {
		pk_buf_printf(&c->dry, "GET %s\n", path);
		return 0;
	}
	/* Reset answers slowly and maybe not in HTTP: the read-back decides. */
	rc = http_get(c, path, &body, command == 3, err);
	pk_buf_free(&body);
	return rc;
}

static int
http_outlet(struct wb_client *c, int n, enum wb_action a, int delay_s, struct pk_err *err)
{
	static const int codes[] = { 0, 1, -1, 3 };   /* OFF ON TOGGLE RESET */
	int cmd = codes[a];

	if (delay_s > 0)
		return pk_err_set(err, PK_EUSAGE, "usage", "the legacy HTTP API has no reset delay");
	if (a == WB_TOGGLE) {
		/* No toggle in this API: switch to the opposite of what is read. */
		struct wb_status st;
		int rc = http_status(c, &st, 0, err);
		if (rc != 0)
			return rc;
		if (n < 1 || n > st.count)
			return pk_err_set(err, PK_EUSAGE, "usage", "no outlet %d", n);
		cmd = !st.o[n - 1].on;
	}
	return http_control(c, n, cmd, err);
}

static int
http_autoreboot_get(struct wb_client *c, int *on, struct pk_err *err)
{
	struct pk_buf xml = { 0 };
	char v[16];
	int rc = fetch_info(c, &xml, err);

	if (rc == 0)
		rc = tag_or_fail(xml.data, "auto_reboot", v, sizeof v, err);
	if (rc == 0)
		*on = strcmp(v, "1") == 0;
	pk_buf_free(&xml);
	return rc;
}

static int
http_autoreboot_set(struct wb_client *c, int on, struct pk_err *err)
{
	return http_control(c, 0, on ? 4 : 5, err);
}

static int
http_reboot(struct wb_client *c, struct pk_err *err)
{
	(void)c;
	return pk_err_set(err, PK_EUSAGE, "usage", "the legacy HTTP API cannot reboot the unit");
}

static void
http_close(struct wb_client *c)
{
	struct http *h = c->transport;

	if (h != NULL) {
		curl_easy_cleanup(h->curl);
		free(h);
		curl_global_cleanup();
	}
	c->transport = NULL;
}

static const struct wb_driver http_driver = {
	http_info, http_status, http_power, http_ups, http_outlet,
	http_autoreboot_get, http_autoreboot_set, http_reboot, http_close,
	NULL,   /* no per-outlet metering in the XML */
	NULL,   /* a read is one driver call per part */
};

/* How long a peer may take to speak first before it counts as HTTP. */
#define HTTP_GREETING_MS 300

/* An HTTP server never speaks first; a WattBox's telnet port greets at
 * once ("Please Login to Continue"), counts every line sent to it as a
 * failed login and locks the API for five minutes after a few.  So
 * before any request: connect, listen briefly, and refuse a peer that
 * speaks, with nothing sent. */
static int
refuse_talking_peer(struct wb_client *c, struct pk_err *err)
{
	struct pk_conn conn;
	int64_t until = pk_deadline_in(HTTP_GREETING_MS);
	const char *said;
	size_t len = 0;
	int rc;

	if (until > c->opts.deadline)
		until = c->opts.deadline;
	pk_conn_init(&conn);
	rc = pk_conn_open(&conn, c->cfg->host, c->cfg->port, SOCK_STREAM, c->opts.deadline, err);
	while (rc == 0 && !conn.peer_closed && len == 0 && pk_ms_left(until) > 0) {
		if (pk_conn_step(&conn, until, NULL) != 0)
			break;
		pk_conn_pending(&conn, &len);
	}
	said = pk_conn_pending(&conn, &len);
	if (rc == 0 && len > 0)
		rc = pk_err_set(err, PK_ECOMM, "protocol",
		                "the device spoke first ('%.*s'): this looks like the telnet port, "
		                "not the HTTP API; nothing was sent", (int)(len < 40 ? len : 40), said);
	pk_conn_close(&conn);
	return rc;
}

int
wb_http_open(struct wb_client *c, struct pk_err *err)
{
	struct http *h;
	const char *host = c->cfg->host;
	int rc = refuse_talking_peer(c, err);

	if (rc != 0)
		return rc;
	h = calloc(1, sizeof *h);

	if (h == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		free(h);
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libcurl");
	}
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		free(h);
		curl_global_cleanup();
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libcurl");
	}
	snprintf(h->base, sizeof h->base, strchr(host, ':') ? "http://[%s]:%s" : "http://%s:%s",
	         host, c->cfg->port);
	c->transport = h;
	c->drv = &http_driver;
	return 0;
}
