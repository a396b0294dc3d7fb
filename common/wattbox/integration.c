/* integration.c — info, status, power, ups and actions over the Integration
 * Protocol of WB-150/250/800 units, shared by telnet and SSH.  Queries
 * are "?Name" answered by "?Name=value" (?Firmware, ?Model, ?ServiceTag,
 * ?Hostname, ?OutletCount, ?OutletName={a},{b},..., ?OutletStatus=1,0,..,
 * ?PowerStatus, ?OutletPowerStatus=N, ?UPSStatus, ?AutoReboot); actions
 * are "!OutletSet=N,ON|OFF|TOGGLE|RESET[,DELAY]" (DELAY 1..600 s, RESET
 * only; N = 0 only with RESET, for every outlet), "!AutoReboot=0|1" and
 * "!Reboot", each answered "OK" or "#Error".  A RESET turns the outlet
 * off, then on after its power-on delay (or DELAY); a device reboot
 * brings every outlet back on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/json.h"
#include "wattbox/client.h"

/* A query whose #Error means "this model has no such thing" (#Error is
 * the device's only error reply; WB-150/250 units give it for
 * ?PowerStatus, ?OutletPowerStatus and ?UPSStatus): returns 0 with
 * *supported = 0 instead of failing. */
static int
query_opt(struct wb_client *c, const char *cmd, char *val, size_t vlen, int *supported,
          struct pk_err *err)
{
	int rc = wb_command(&c->s, cmd, WB_QUERY, val, vlen, err);

	*supported = rc == 0;
	if (rc == PK_EREFUSED) {
		pk_err_clear(err);
		return 0;
	}
	return rc;
}

/* A query whose late reply must not stop the others: a per-command
 * timeout is noted in missing and the next command goes out (its reply
 * is then matched by name, so the late one is dropped). */
static int
query_or_note(struct wb_client *c, const char *cmd, char *val, size_t vlen,
              char *missing, size_t mlen, struct pk_err *err)
{
	int rc = wb_command(&c->s, cmd, WB_QUERY, val, vlen, err);

	if (rc == 0)
		return 0;
	if (rc == PK_EREFUSED || (rc == PK_ECOMM && strcmp(err->kind, "timeout") == 0 &&
	                          pk_ms_left(c->opts.deadline) > 0)) {
		size_t used = strlen(missing);
		snprintf(missing + used, mlen - used, "%s%s", used ? ", " : "", cmd);
		val[0] = '\0';
		pk_err_clear(err);
		return 0;
	}
	return rc;
}

static int
ip_info(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	struct { const char *cmd; char *out; } q[] = {
		{ "?Model", in->model }, { "?Firmware", in->firmware },
		{ "?Hostname", in->hostname }, { "?ServiceTag", in->service_tag },
	};
	char count[WB_LINE_MAX];
	size_t i;
	int rc = 0;

	memset(in, 0, sizeof *in);
	for (i = 0; rc == 0 && i < sizeof q / sizeof q[0]; i++) {
		char v[WB_LINE_MAX];
		rc = query_or_note(c, q[i].cmd, v, sizeof v, in->missing, sizeof in->missing, err);
		snprintf(q[i].out, WB_NAME_MAX, "%s", v);
	}
	if (rc == 0)
		rc = query_or_note(c, "?OutletCount", count, sizeof count, in->missing,
		                   sizeof in->missing, err);
	if (rc == 0)
		in->outlets = count[0] ? atoi(count) : -1;
	return rc;
}

static int
malformed(struct pk_err *err, const char *what, const char *v)
{
	return pk_err_set(err, PK_ECOMM, "protocol", "malformed %s reply: '%.80s'", what, v);
}

/* ?OutletPowerStatus=N -> N,watts,amps,volts: the vendor document's order
 * (one client's notes say amps first, against its own parser); values
 * carry two decimals on real units, any precision is taken. */
static int
outlet_power(struct wb_client *c, int n, struct wb_outlet *o, int *supported,
             struct pk_err *err)
{
	char cmd[40], v[WB_LINE_MAX];
	double f[4];
	int rc;

	snprintf(cmd, sizeof cmd, "?OutletPowerStatus=%d", n);
	rc = query_opt(c, cmd, v, sizeof v, supported, err);
	if (rc != 0 || !*supported)
		return rc;
	if (wb_parse_numbers(v, f, 4) != 4)
		return malformed(err, cmd, v);
	o->watts = f[1];
	o->amps = f[2];
	o->volts = f[3];
	return 0;
}

static int
ip_status(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err)
{
	char names[WB_MAX_OUTLETS][WB_NAME_MAX];
	char v[WB_LINE_MAX];
	int states[WB_MAX_OUTLETS], n, i, rc;

	memset(st, 0, sizeof *st);
	rc = wb_command(&c->s, "?OutletName", WB_QUERY, v, sizeof v, err);
	if (rc != 0)
		return rc;
	n = wb_parse_names(v, names, WB_MAX_OUTLETS);
	if (n < 0)
		return malformed(err, "?OutletName", v);
	rc = wb_command(&c->s, "?OutletStatus", WB_QUERY, v, sizeof v, err);
	if (rc != 0)
		return rc;
	if (wb_parse_states(v, states, WB_MAX_OUTLETS) != n)
		return pk_err_set(err, PK_ECOMM, "protocol",
		                  "?OutletStatus '%.80s' does not match %d outlet names", v, n);
	st->count = n;
	for (i = 0; i < n; i++) {
		snprintf(st->o[i].name, WB_NAME_MAX, "%s", names[i]);
		st->o[i].on = states[i];
	}
	st->metered = metering;
	for (i = 0; rc == 0 && st->metered && i < n; i++)
		rc = outlet_power(c, i + 1, &st->o[i], &st->metered, err);
	return rc;
}

static int
ip_power(struct wb_client *c, struct wb_power *p, struct pk_err *err)
{
	char v[WB_LINE_MAX], *last;
	double f[4];
	int rc;

	memset(p, 0, sizeof *p);
	rc = query_opt(c, "?PowerStatus", v, sizeof v, &p->supported, err);
	if (rc != 0 || !p->supported)
		return rc;
	/* amps,watts,volts,flag: amps first here, unlike ?OutletPowerStatus. */
	if (wb_parse_numbers(v, f, 4) != 4 || (last = strrchr(v, ',')) == NULL)
		return malformed(err, "?PowerStatus", v);
	p->amps = f[0];
	p->watts = f[1];
	p->volts = f[2];
	snprintf(p->safe_voltage, sizeof p->safe_voltage, "%s", last + 1);
	return 0;
}

/* ?UPSStatus=100,8,Good,False,160,True,False: charge %, load %, battery
 * health Good|Bad, power lost, runtime in minutes, alarm enabled, alarm
 * muted. */
static int
parse_ups_status(const char *v, struct wb_ups *u)
{
	char f[7][16];
	int n = 0;
	const char *p = v;

	while (n < 7) {
		size_t len = strcspn(p, ",");
		if (len >= sizeof f[0])
			return -1;
		snprintf(f[n++], sizeof f[0], "%.*s", (int)len, p);
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (n != 7 || pk_reading_parse(f[0], &u->charge) != 0 ||
	    pk_reading_parse(f[1], &u->load) != 0 || pk_reading_parse(f[4], &u->runtime_min) != 0)
		return -1;
	snprintf(u->health, sizeof u->health, "%s", f[2]);
	snprintf(u->power_lost, sizeof u->power_lost, "%s", f[3]);
	snprintf(u->alarm_enabled, sizeof u->alarm_enabled, "%s", f[5]);
	snprintf(u->alarm_muted, sizeof u->alarm_muted, "%s", f[6]);
	return 0;
}

static int
ip_ups(struct wb_client *c, struct wb_ups *u, struct pk_err *err)
{
	char v[WB_LINE_MAX];
	int rc;

	memset(u, 0, sizeof *u);
	rc = query_opt(c, "?UPSConnection", v, sizeof v, &u->supported, err);
	if (rc != 0 || !u->supported)
		return rc;
	u->connected = strcmp(v, "1") == 0;
	rc = query_opt(c, "?UPSStatus", v, sizeof v, &u->have_status, err);
	if (rc == 0 && u->have_status && parse_ups_status(v, u) != 0)
		return malformed(err, "?UPSStatus", v);
	return rc;
}

/* A state change: in a dry run the line is only recorded. */
static int
ip_control(struct wb_client *c, const char *cmd, enum wb_want want, struct pk_err *err)
{
	if (c->cfg->dry_run) {
		pk_buf_printf(&c->dry, "%s\n", cmd);
		return 0;
	}
	return wb_command(&c->s, cmd, want, NULL, 0, err);
}

static int
ip_outlet(struct wb_client *c, int n, enum wb_action a, int delay_s, struct pk_err *err)
{
	char cmd[64];
	int rc;

	if (delay_s > 0)
		snprintf(cmd, sizeof cmd, "!OutletSet=%d,%s,%d", n, wb_action_word(a), delay_s);
	else
		snprintf(cmd, sizeof cmd, "!OutletSet=%d,%s", n, wb_action_word(a));
	rc = ip_control(c, cmd, WB_OUTLETSET, err);
	if (rc == PK_EREFUSED)
		pk_err_set(err, PK_EREFUSED, "error",
		           "device refused %s (#Error: outlet disabled or reset-only?)", cmd);
	return rc;
}

static int
ip_autoreboot_get(struct wb_client *c, int *on, struct pk_err *err)
{
	char v[WB_LINE_MAX];
	int rc;

	rc = wb_command(&c->s, "?AutoReboot", WB_QUERY, v, sizeof v, err);

	if (rc == 0 && strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
		return malformed(err, "?AutoReboot", v);
	if (rc == 0)
		*on = v[0] == '1';
	return rc;
}

static int
ip_autoreboot_set(struct wb_client *c, int on, struct pk_err *err)
{
	return ip_control(c, on ? "!AutoReboot=1" : "!AutoReboot=0", WB_CONTROL, err);
}

static int
ip_reboot(struct wb_client *c, struct pk_err *err)
{
	return ip_control(c, "!Reboot", WB_CONTROL, err);
}

static void
ip_close(struct wb_client *c)
{
	wb_session_close(&c->s);
}

const struct wb_driver wb_integration_driver = {
	ip_info, ip_status, ip_power, ip_ups, ip_outlet,
	ip_autoreboot_get, ip_autoreboot_set, ip_reboot, ip_close, outlet_power,
};
