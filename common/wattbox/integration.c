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
#include "wattbox/reader.h"

/* The reads run the step machine of wattbox/reader.h with the session's
 * task alone: one implementation for one unit and for many at once. */
static int
ip_read(struct wb_client *c, unsigned parts, const char *spec, struct wb_reading *r,
        struct pk_err *err)
{
	struct wb_ip_read rd;

	wb_ip_read_init(&rd, c, parts, spec, r);
	wb_ip_read_begin(&rd);
	return wb_ip_read_wait(&rd, err);
}

static int
ip_info(struct wb_client *c, struct wb_info *in, struct pk_err *err)
{
	struct wb_reading r;
	int rc = ip_read(c, WB_PART_INFO | WB_READ_RAW_INFO, NULL, &r, err);

	*in = r.info;
	return rc;
}

static int
ip_status(struct wb_client *c, struct wb_status *st, int metering, struct pk_err *err)
{
	struct wb_reading r;
	struct wb_ip_read rd;
	int rc;

	wb_ip_read_init(&rd, c, WB_PART_STATUS, NULL, &r);
	rd.metering = metering;
	wb_ip_read_begin(&rd);
	rc = wb_ip_read_wait(&rd, err);
	*st = r.st;
	return rc;
}

/* Power of outlet n alone: the status step with one outlet selected. */
static int
outlet_power(struct wb_client *c, int n, struct wb_outlet *o, int *supported,
             struct pk_err *err)
{
	struct wb_reading r;
	struct wb_ip_read rd;
	int rc;

	if (n < 1 || n > WB_MAX_OUTLETS)
		return pk_err_set(err, PK_EUSAGE, "usage", "no outlet %d", n);
	wb_ip_read_init(&rd, c, WB_PART_STATUS, NULL, &r);
	rd.one_outlet = n;
	r.st.count = n;
	r.st.metered = 1;
	memset(r.sel, 0, sizeof r.sel);
	r.sel[n - 1] = 1;
	wb_ip_read_begin(&rd);
	rc = wb_ip_read_wait(&rd, err);
	*supported = r.st.metered;
	if (rc == 0 && *supported) {
		o->watts = r.st.o[n - 1].watts;
		o->amps = r.st.o[n - 1].amps;
		o->volts = r.st.o[n - 1].volts;
	}
	return rc;
}

static int
ip_power(struct wb_client *c, struct wb_power *p, struct pk_err *err)
{
	struct wb_reading r;
	int rc = ip_read(c, WB_PART_POWER, NULL, &r, err);

	*p = r.power;
	return rc;
}

static int
ip_ups(struct wb_client *c, struct wb_ups *u, struct pk_err *err)
{
	struct wb_reading r;
	int rc = ip_read(c, WB_PART_UPS, NULL, &r, err);

	*u = r.ups;
	return rc;
}

static int
malformed(struct pk_err *err, const char *what, const char *v)
{
	return pk_err_set(err, PK_ECOMM, "protocol", "malformed %s reply: '%.80s'", what, v);
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

static struct pk_task
ip_task(struct wb_client *c)
{
	return wb_session_task(&c->s);
}

const struct wb_driver wb_integration_driver = {
	ip_info, ip_status, ip_power, ip_ups, ip_outlet,
	ip_autoreboot_get, ip_autoreboot_set, ip_reboot, ip_close, outlet_power, ip_read,
	wb_ip_read_begin, wb_ip_read_next, ip_task,
};
