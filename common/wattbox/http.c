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
 * 401 there even with good credentials.
 *
 * Every request runs on the poll loop (core/net.h): the client owns a
 * libcurl multi handle with one transfer at a time, and its task waits
 * for the sockets and the timer libcurl asks for (CURLMOPT_SOCKETFUNCTION,
 * CURLMOPT_TIMERFUNCTION), so the reads of many units run at once
 * (wattbox/fleet.h); a blocking call drives the same task alone.  A read
 * is one GET of /wattbox_info.xml, whichever parts it asks. */
#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "core/net.h"
#include "wattbox/client.h"
#include "wattbox/reader.h"

#define BODY_MAX (256 * 1024)
/* Sockets one transfer may use at once: the resolver's, and two
 * connects racing (IPv6 and IPv4). */
#define HTTP_SOCKS 4
/* With more than one socket the loop polls the first; the others are
 * looked at this often (only while a name resolves to both families). */
#define HTTP_SOCKS_POLL_MS 10

enum http_op {
	HTTP_IDLE,        /* the last request's result is in rc, err */
	HTTP_CHECK,       /* listening whether the peer speaks first */
	HTTP_TRANSFER     /* the GET in libcurl's hands */
};

struct sink {
	struct pk_buf *body;
	int overflow;
};

struct http_sock {
	curl_socket_t fd;
	short events;
};

struct http {
	CURLM *multi;
	CURL *curl;
	char base[320];              /* http://host:port */
	int checked;                 /* the peer was found not to speak first */
	/* the request in flight, then its result */
	enum http_op op;
	char path[128];              /* "" for the check alone */
	int tolerant;                /* a transport failure is no error */
	struct pk_buf body;
	struct sink sink;
	double started, ended;       /* the transfer, for a ping */
	int rc;
	struct pk_err err;
	/* the check: a connection that must stay silent */
	struct pk_conn peer;
	int64_t check_until;
	/* what libcurl waits for */
	struct http_sock socks[HTTP_SOCKS];
	size_t nsocks;
	int64_t timer_at;            /* 0: no timer */
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
 * while it works on it; the task also checks between polls. */
static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
            curl_off_t ulnow)
{
	(void)ctx, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return pk_stop_signal() != 0;
}

/* libcurl says which sockets to wait on, and for what. */
static int
on_socket(CURL *e, curl_socket_t fd, int what, void *ctx, void *sockp)
{
	struct http *h = ctx;
	short ev = (short)((what & CURL_POLL_IN ? POLLIN : 0) | (what & CURL_POLL_OUT ? POLLOUT : 0));
	size_t i;

	(void)e, (void)sockp;
	for (i = 0; i < h->nsocks && h->socks[i].fd != fd; i++)
		;
	if (what == CURL_POLL_REMOVE) {
		if (i < h->nsocks)
			h->socks[i] = h->socks[--h->nsocks];
		return 0;
	}
	if (i == h->nsocks && h->nsocks < HTTP_SOCKS)
		h->nsocks++;
	if (i < h->nsocks)
		h->socks[i] = (struct http_sock){ fd, ev };
	return 0;
}

/* libcurl's one timer: -1 none, else run it in timeout_ms. */
static int
on_timer(CURLM *m, long timeout_ms, void *ctx)
{
	struct http *h = ctx;

	(void)m;
	h->timer_at = timeout_ms < 0 ? 0 : pk_now_ms() + timeout_ms;
	return 0;
}

static void
http_setup(struct wb_client *c, struct http *h, const char *url)
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
	/* The unit's own time left: each unit of a fleet has its own. */
	curl_easy_setopt(k, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1L);
	curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(k, CURLOPT_WRITEDATA, &h->sink);
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

/* What a finished transfer means.  tolerant: a transport failure
 * without a usable body is not an error (reset answers with no valid
 * HTTP at all). */
static int
transfer_result(struct wb_client *c, CURLcode res, struct pk_err *err)
{
	struct http *h = c->transport;
	const char *path = h->path, *body;
	long code = 0;

	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
	body = pk_buf_str(&h->body);
	pk_trace(&c->opts.trace, '<', "HTTP %ld, %zu bytes%s%s", code, h->body.len,
	         res == CURLE_OK ? "" : ", transport: ", res == CURLE_OK ? "" : curl_easy_strerror(res));
	if (h->sink.overflow)
		return pk_err_set(err, PK_ECOMM, "overflow", "%s: more than %d bytes", path, BODY_MAX);
	if (res != CURLE_OK && strstr(body, "</request>") != NULL && code == 200)
		res = CURLE_OK;   /* the device closes early; the document is whole */
	if (res == CURLE_OPERATION_TIMEDOUT)
		return pk_err_set(err, PK_ECOMM, "timeout", "timed out on %s", path);
	if (res != CURLE_OK && h->tolerant)
		return 0;
	if (res != CURLE_OK)
		return pk_err_set(err, PK_ECOMM, "http", "%s: %s", path, curl_easy_strerror(res));
	if (http_status_error(code, path, err) != 0)
		return err->status;
	if (strstr(body, "</request>") == NULL)
		return pk_err_set(err, PK_ECOMM, "protocol", "%s: no </request> in the reply", path);
	return 0;
}

static void
request_end(struct http *h, int rc)
{
	h->op = HTTP_IDLE;
	h->rc = rc;
}

static void
transfer_end(struct wb_client *c, CURLcode res)
{
	struct http *h = c->transport;
	int rc = transfer_result(c, res, &h->err);

	h->ended = pk_now_ms_fine();
	curl_multi_remove_handle(h->multi, h->curl);
	h->nsocks = 0;
	h->timer_at = 0;
	request_end(h, rc);
}

static void
transfer_start(struct wb_client *c)
{
	struct http *h = c->transport;
	char url[sizeof h->base + sizeof h->path];

	if (h->path[0] == '\0') {       /* the check alone was asked */
		request_end(h, 0);
		return;
	}
	snprintf(url, sizeof url, "%s%s", h->base, h->path);
	pk_buf_reset(&h->body);
	h->sink = (struct sink){ &h->body, 0 };
	http_setup(c, h, url);
	c->http_requests++;
	pk_trace(&c->opts.trace, '>', "GET %s", h->path);
	h->started = pk_now_ms_fine();
	h->op = HTTP_TRANSFER;
	/* Adding sets libcurl's timer to now: the loop's next round starts it. */
	if (curl_multi_add_handle(h->multi, h->curl) != CURLM_OK)
		request_end(h, pk_err_set(&h->err, PK_ECOMM, "memory", "cannot start a transfer"));
}

/* Lets libcurl act on what its sockets and its timer say now.  The
 * loop's poll woke the task; a poll without waiting here covers every
 * socket of the transfer (the loop watches one). */
static void
transfer_step(struct wb_client *c)
{
	struct http *h = c->transport;
	struct pollfd pfds[HTTP_SOCKS];
	size_t i, n = h->nsocks;
	int running, left;
	CURLMsg *m;

	if (pk_stop_signal() != 0) {
		transfer_end(c, CURLE_ABORTED_BY_CALLBACK);
		return;
	}
	for (i = 0; i < n; i++)
		pfds[i] = (struct pollfd){ h->socks[i].fd, h->socks[i].events, 0 };
	if (n > 0 && poll(pfds, n, 0) > 0)
		for (i = 0; i < n; i++)
			if (pfds[i].revents != 0)
				curl_multi_socket_action(h->multi, pfds[i].fd,
				                         (pfds[i].revents & (POLLIN | POLLHUP) ? CURL_CSELECT_IN : 0) |
				                         (pfds[i].revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
				                         (pfds[i].revents & POLLERR ? CURL_CSELECT_ERR : 0),
				                         &running);
	if (h->timer_at != 0 && pk_now_ms() >= h->timer_at) {
		h->timer_at = 0;
		curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	}
	while ((m = curl_multi_info_read(h->multi, &left)) != NULL)
		if (m->msg == CURLMSG_DONE) {
			transfer_end(c, m->data.result);
			return;
		}
}

/* How long a peer may take to speak first before it counts as HTTP. */
#define HTTP_GREETING_MS 300

/* An HTTP server never speaks first; a WattBox's telnet port greets at
 * once ("Please Login to Continue"), counts every line sent to it as a
 * failed login and locks the API for five minutes after a few.  So
 * before the first request: connect, listen briefly, and refuse a peer
 * that speaks, with nothing sent. */
static void
check_start(struct wb_client *c)
{
	struct http *h = c->transport;
	int rc;

	h->check_until = pk_deadline_in(HTTP_GREETING_MS);
	if (h->check_until > c->opts.deadline)
		h->check_until = c->opts.deadline;
	pk_conn_init(&h->peer);
	h->op = HTTP_CHECK;
	rc = pk_conn_begin(&h->peer, c->cfg->host, c->cfg->port, SOCK_STREAM, c->opts.deadline,
	                   &h->err);
	if (rc != 0) {
		pk_conn_close(&h->peer);
		request_end(h, rc);
	}
}

/* The check after a poll: a connect that fails (or runs out of time)
 * fails the request; a peer that speaks fails it with nothing sent; a
 * peer silent until the listening ends, or that closes, or a connection
 * that breaks once open lets the request go on (libcurl then says what
 * is wrong, if anything). */
static void
check_step(struct wb_client *c, short revents)
{
	struct http *h = c->transport;
	struct pk_conn *peer = &h->peer;
	struct pk_task t = pk_conn_task(peer);
	int connecting = peer->state == PK_CONN_CONNECTING;
	const char *said;
	size_t len = 0;

	t.handle(t.ctx, revents);   /* no revents: the connect attempt's timer */
	if (peer->state == PK_CONN_CONNECTING) {
		if (pk_ms_left(c->opts.deadline) > 0)
			return;
		if (pk_stop_signal() != 0)
			pk_err_set(&peer->err, PK_ECOMM, "stopped", "stopped by signal %d",
			           pk_stop_signal());
		else
			pk_err_set(&peer->err, PK_ECOMM, "timeout", "timed out connecting to %s port %s",
			           peer->host, peer->port);
		peer->state = PK_CONN_FAILED;
	}
	if (peer->state == PK_CONN_FAILED && connecting) {
		h->err = peer->err;
		pk_conn_close(peer);
		request_end(h, h->err.status);
		return;
	}
	said = pk_conn_pending(peer, &len);
	if (len > 0) {                  /* also when it closed or broke after speaking */
		pk_err_set(&h->err, PK_ECOMM, "protocol",
		           "the device spoke first ('%.*s'): this looks like the telnet port, "
		           "not the HTTP API; nothing was sent", (int)(len < 40 ? len : 40), said);
		pk_conn_close(peer);
		request_end(h, PK_ECOMM);
		return;
	}
	if (peer->state == PK_CONN_OPEN && !peer->peer_closed && pk_ms_left(h->check_until) > 0)
		return;                     /* still listening */
	pk_conn_close(peer);
	h->checked = 1;
	transfer_start(c);
}

/* ---- the client as a task of the poll loop ---- */

static short
http_want(void *ctx, int *fd, int64_t *wake)
{
	struct wb_client *c = ctx;
	struct http *h = c->transport;
	int64_t soon = pk_now_ms() + HTTP_SOCKS_POLL_MS;

	*fd = -1;
	*wake = 0;
	if (h->op == HTTP_CHECK) {
		struct pk_task t = pk_conn_task(&h->peer);
		short ev = t.want(t.ctx, fd, wake);
		int64_t until = h->peer.state == PK_CONN_OPEN ? h->check_until : c->opts.deadline;

		if (*wake == 0 || until < *wake)
			*wake = until;
		return ev;
	}
	if (h->op != HTTP_TRANSFER)
		return 0;
	*wake = h->timer_at;
	/* Other sockets than the first, or none: look again soon. */
	if (h->nsocks != 1 && (*wake == 0 || soon < *wake))
		*wake = soon;
	if (h->nsocks == 0)
		return 0;
	*fd = h->socks[0].fd;
	return h->socks[0].events;
}

static int
http_handle(void *ctx, short revents)
{
	struct wb_client *c = ctx;
	struct http *h = c->transport;

	if (h->op == HTTP_CHECK)
		check_step(c, revents);
	else if (h->op == HTTP_TRANSFER)
		transfer_step(c);
	return h->op == HTTP_IDLE ? h->rc : 0;
}

static struct pk_task
http_task(struct wb_client *c)
{
	struct pk_task t = { http_want, http_handle, c };

	return t;
}

/* Starts GET path (the check first, on a client's first request); path
 * "" runs the check alone. */
static void
request_start(struct wb_client *c, const char *path, int tolerant)
{
	struct http *h = c->transport;

	snprintf(h->path, sizeof h->path, "%s", path);
	h->tolerant = tolerant;
	h->rc = 0;
	pk_err_clear(&h->err);
	if (h->checked)
		transfer_start(c);
	else
		check_start(c);
}

/* Drives the request in flight alone until it ended; its rc, with err.
 * The task's own times bound each poll (libcurl times the transfer
 * out at the client's deadline). */
static int
request_wait(struct wb_client *c, struct pk_err *err)
{
	struct http *h = c->transport;
	struct pk_task t = http_task(c);

	while (h->op != HTTP_IDLE)
		pk_poll_tasks(&t, 1, pk_deadline_in(1000));
	if (h->rc != 0)
		*err = h->err;
	return h->rc;
}

/* GET path into the client's body, blocking. */
static int
http_get(struct wb_client *c, const char *path, int tolerant, struct pk_err *err)
{
	request_start(c, path, tolerant);
	return request_wait(c, err);
}

int
wb_http_check_peer(struct wb_client *c, struct pk_err *err)
{
	return http_get(c, "", 0, err);
}

static int
tag_or_fail(const char *xml, const char *tag, char *out, size_t len, struct pk_err *err)
{
	if (wb_xml_tag(xml, tag, out, len) == 0)
		return 0;
	return pk_err_set(err, PK_ECOMM, "protocol", "/wattbox_info.xml has no <%s>", tag);
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

/* Info, with the outlet count already parsed. */
static int
parse_info(const char *xml, int outlets, struct wb_info *in, struct pk_err *err)
{
	int rc = tag_or_fail(xml, "hardware_version", in->model, sizeof in->model, err);

	in->outlets = outlets;
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
	/* voltage_value and current_value are integer tenths (1115 is 111.5 V),
	 * power_value is whole watts (some clients wrongly divide it too). */
	int rc = xml_number(xml, "voltage_value", &p->volts, err);

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

/* The UPS where the XML has one; never fails (what is missing stays
 * unreported). */
static void
parse_ups(const char *xml, struct wb_ups *u)
{
	struct pk_err ignored;
	char v[64];

	if (wb_xml_tag(xml, "hasUPS", v, sizeof v) != 0)
		return;
	u->supported = 1;
	u->connected = strcmp(v, "1") == 0;
	u->have_status = u->connected &&
	                 xml_number(xml, "battery_charge", &u->charge, &ignored) == 0 &&
	                 xml_number(xml, "battery_load", &u->load, &ignored) == 0 &&
	                 xml_number(xml, "est_run_time", &u->runtime_min, &ignored) == 0;
	if (wb_xml_tag(xml, "battery_health", v, sizeof v) == 0)
		snprintf(u->health, sizeof u->health, "%s", strcmp(v, "1") ? "Bad" : "Good");
	if (wb_xml_tag(xml, "power_lost", v, sizeof v) == 0)
		snprintf(u->power_lost, sizeof u->power_lost, "%s", strcmp(v, "1") ? "False" : "True");
}

/* The status of the outlets rd->spec selects (no per-outlet metering
 * here); a spec naming an outlet the unit lacks is PK_EUSAGE. */
static int
select_outlets(struct wb_ip_read *rd, const struct wb_status *st, struct pk_err *err)
{
	int want[WB_MAX_OUTLETS], i;

	rd->r->st = *st;
	if (rd->spec == NULL) {
		memset(rd->r->sel, 1, sizeof rd->r->sel);
		return 0;
	}
	if (wb_outlets_select(st, rd->spec, WB_ON, want, err) != 0)
		return PK_EUSAGE;
	for (i = 0; i < st->count; i++)
		rd->r->sel[i] = want[i] >= 0;
	return 0;
}

/* Every part rd asks from one /wattbox_info.xml, in wb_read's order,
 * stopping at the first that fails (r->have says which were read). */
static int
parse_reading(struct wb_ip_read *rd, const char *xml, struct pk_err *err)
{
	struct http *h = rd->c->transport;
	struct wb_reading *r = rd->r;
	unsigned parts = rd->parts;
	struct wb_status st;
	struct wb_info in;
	int rc = 0;

	if (parts & (WB_PART_INFO | WB_PART_STATUS | WB_PART_PING))
		rc = parse_outlets(xml, &st, &rd->c->opts, err);
	if (rc == 0 && (parts & WB_PART_INFO) && (rc = parse_info(xml, st.count, &r->info, err)) == 0)
		r->have |= WB_PART_INFO;
	if (rc == 0 && (parts & WB_PART_STATUS) && (rc = select_outlets(rd, &st, err)) == 0)
		r->have |= WB_PART_STATUS;
	if (rc == 0 && (parts & WB_PART_POWER) && (rc = parse_power(xml, &r->power, err)) == 0)
		r->have |= WB_PART_POWER;
	if (rc == 0 && (parts & WB_PART_UPS)) {
		parse_ups(xml, &r->ups);
		r->have |= WB_PART_UPS;
	}
	/* A ping times the one request: the legacy API has nothing cheaper. */
	if (rc == 0 && (parts & WB_PART_PING) && (rc = parse_info(xml, st.count, &in, err)) == 0) {
		snprintf(r->ping.firmware, sizeof r->ping.firmware, "%s", in.firmware);
		r->ping.round_trip_ms = h->ended - h->started;
		r->have |= WB_PART_PING;
	}
	return rc;
}

int
wb_http_parse_info(const char *xml, const char *spec, struct wb_reading *r,
                   const struct pk_session_opts *opts, struct pk_err *err)
{
	static const unsigned every = WB_PART_INFO | WB_PART_STATUS | WB_PART_POWER |
	                              WB_PART_UPS | WB_PART_PING;
	struct wb_client c = { 0 };
	struct http h = { 0 };   /* no request: a ping's round trip is 0 */
	struct wb_ip_read rd;

	c.opts = *opts;
	c.transport = &h;
	wb_ip_read_init(&rd, &c, every, spec, r);
	return parse_reading(&rd, xml, err);
}

/* ---- reads: one GET, on the loop or alone ---- */

static void
http_read_next(struct wb_ip_read *rd)
{
	struct http *h = rd->c->transport;

	if (!rd->running || h->op != HTTP_IDLE)
		return;
	rd->running = 0;
	rd->rc = h->rc;
	if (h->rc != 0)
		rd->err = h->err;
	else
		rd->rc = parse_reading(rd, pk_buf_str(&h->body), &rd->err);
}

static void
http_read_begin(struct wb_ip_read *rd)
{
	request_start(rd->c, "/wattbox_info.xml", 0);
	http_read_next(rd);
}

static int
http_read(struct wb_client *c, unsigned parts, const char *spec, struct wb_reading *r,
          struct pk_err *err)
{
	struct wb_ip_read rd;
	struct pk_err ignored;

	wb_ip_read_init(&rd, c, parts, spec, r);
	http_read_begin(&rd);
	request_wait(c, &ignored);     /* the read takes the result */
	http_read_next(&rd);
	if (rd.rc != 0)
		*err = rd.err;
	return rd.rc;
}

static int
http_status(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err)
{
	struct wb_reading r;
	int rc = http_read(c, WB_PART_STATUS, NULL, &r, err);

	(void)metering;   /* the XML has whole-unit metering only */
	*st = r.st;
	return rc;
}

static int
http_info(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	struct wb_reading r;
	int rc = http_read(c, WB_PART_INFO, NULL, &r, err);

	*in = r.info;
	return rc;
}

static int
http_power(struct wb_client *c, struct wb_power *p, struct pk_err *err)
{
	struct wb_reading r;
	int rc = http_read(c, WB_PART_POWER, NULL, &r, err);

	*p = r.power;
	return rc;
}

static int
http_ups(struct wb_client *c, struct wb_ups *u, struct pk_err *err)
{
	struct wb_reading r;
	int rc = http_read(c, WB_PART_UPS, NULL, &r, err);

	*u = r.ups;
	return rc;
}

/* /control.cgi with both parameters, always: a request with an outlet
 * but no command has been seen to turn the outlet off. */
static int
http_control(struct wb_client *c, int outlet, int command, struct pk_err *err)
{
	char path[80];

	snprintf(path, sizeof path, "/control.cgi?outlet=%d&command=%d", outlet, command);
	if (c->cfg->dry_run) {
		pk_buf_printf(&c->dry, "GET %s\n", path);
		return 0;
	}
	/* Reset answers slowly and maybe not in HTTP: the read-back decides. */
	return http_get(c, path, command == 3, err);
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
	struct http *h = c->transport;
	char v[16];
	int rc = http_get(c, "/wattbox_info.xml", 0, err);

	if (rc == 0)
		rc = tag_or_fail(pk_buf_str(&h->body), "auto_reboot", v, sizeof v, err);
	if (rc == 0)
		*on = strcmp(v, "1") == 0;
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
		pk_conn_close(&h->peer);
		if (h->curl != NULL && h->multi != NULL)
			curl_multi_remove_handle(h->multi, h->curl);  /* a transfer cut short */
		if (h->multi != NULL)
			curl_multi_cleanup(h->multi);
		if (h->curl != NULL)
			curl_easy_cleanup(h->curl);
		pk_buf_free(&h->body);
		free(h);
		curl_global_cleanup();
	}
	c->transport = NULL;
}

static const struct wb_driver http_driver = {
	http_info, http_status, http_power, http_ups, http_outlet,
	http_autoreboot_get, http_autoreboot_set, http_reboot, http_close,
	NULL,   /* no per-outlet metering in the XML */
	http_read, http_read_begin, http_read_next, http_task,
};

int
wb_http_begin(struct wb_client *c, struct pk_err *err)
{
	const char *host = c->cfg->host;
	struct http *h = calloc(1, sizeof *h);

	if (h == NULL || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		free(h);
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libcurl");
	}
	pk_conn_init(&h->peer);
	c->transport = h;
	c->drv = &http_driver;
	h->curl = curl_easy_init();
	h->multi = curl_multi_init();
	if (h->curl == NULL || h->multi == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "cannot initialise libcurl");
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, on_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	snprintf(h->base, sizeof h->base, strchr(host, ':') ? "http://[%s]:%s" : "http://%s:%s",
	         host, c->cfg->port);
	return 0;
}
