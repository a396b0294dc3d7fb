/* render.c — renderings of WattBox results (wattbox/render.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/prom.h"
#include "core/text.h"
#include "wattbox/render.h"

/* Outlet i is rendered: every outlet without a selection. */
static int
shown(const unsigned char *sel, int i)
{
	return sel == NULL || sel[i];
}

void
wb_render_info(struct pk_buf *b, enum pk_format fmt, const struct wb_info *in)
{
	if (fmt == PK_FMT_JSON) {
		struct pk_json j;
		pk_json_init(&j, b);
		pk_json_obj_begin(&j);
		pk_json_kv_str(&j, "model", in->model);
		pk_json_kv_str(&j, "firmware", in->firmware);
		pk_json_kv_str(&j, "hostname", in->hostname);
		pk_json_kv_str(&j, "service_tag", in->service_tag);
		pk_json_kv_int(&j, "outlets", in->outlets);
		pk_json_obj_end(&j);
		pk_buf_addc(b, '\n');
		return;
	}
	pk_text_printf(b, PK_TEXT_KEEP_TAB, "model: %s\nfirmware: %s\nhostname: %s\nservice_tag: %s\n",
	              in->model, in->firmware, in->hostname, in->service_tag);
	if (in->outlets >= 0)
		pk_buf_printf(b, "outlets: %d\n", in->outlets);
}

static void
status_json(const struct wb_status *st, const unsigned char *sel, struct pk_buf *b)
{
	struct pk_json j;
	int i;

	pk_json_init(&j, b);
	pk_json_obj_begin(&j);
	pk_json_kv_bool(&j, "metered", st->metered);
	pk_json_key(&j, "outlets");
	pk_json_arr_begin(&j);
	for (i = 0; i < st->count; i++) {
		if (!shown(sel, i))
			continue;
		pk_json_obj_begin(&j);
		pk_json_kv_int(&j, "outlet", i + 1);
		pk_json_kv_str(&j, "name", st->o[i].name);
		pk_json_kv_str(&j, "state", st->o[i].on ? "on" : "off");
		if (st->metered) {
			pk_json_kv_double(&j, "watts", st->o[i].watts);
			pk_json_kv_double(&j, "amps", st->o[i].amps);
			pk_json_kv_double(&j, "volts", st->o[i].volts);
		}
		pk_json_obj_end(&j);
	}
	pk_json_arr_end(&j);
	pk_json_obj_end(&j);
	pk_buf_addc(b, '\n');
}

void
wb_render_status(struct pk_buf *b, enum pk_format fmt, const struct wb_status *st,
                 const unsigned char *sel)
{
	int i;

	if (fmt == PK_FMT_JSON) {
		status_json(st, sel, b);
		return;
	}
	for (i = 0; i < st->count; i++) {
		const struct wb_outlet *w = &st->o[i];
		if (!shown(sel, i))
			continue;
		if (st->metered)
			pk_text_printf(b, 0, "%d\t%s\t%.2f\t%.2f\t%.2f\t%s\n", i + 1, w->on ? "on" : "off",
			              w->watts, w->amps, w->volts, w->name);
		else
			pk_text_printf(b, 0, "%d\t%s\t-\t-\t-\t%s\n", i + 1, w->on ? "on" : "off", w->name);
	}
}

void
wb_render_power(struct pk_buf *b, enum pk_format fmt, const struct wb_power *p)
{
	if (fmt == PK_FMT_JSON) {
		struct pk_json j;
		pk_json_init(&j, b);
		pk_json_obj_begin(&j);
		pk_json_kv_bool(&j, "supported", p->supported);
		if (p->supported) {
			pk_json_kv_double(&j, "amps", p->amps);
			pk_json_kv_double(&j, "watts", p->watts);
			pk_json_kv_double(&j, "volts", p->volts);
			pk_json_key(&j, "safe_voltage");
			pk_json_auto(&j, p->safe_voltage);
		}
		pk_json_obj_end(&j);
		pk_buf_addc(b, '\n');
	} else if (!p->supported) {
		pk_buf_adds(b, "power: not supported by this model\n");
	} else {
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "amps: %.2f\nwatts: %.2f\nvolts: %.2f\nsafe_voltage: %s\n",
		              p->amps, p->watts, p->volts, p->safe_voltage);
	}
}

/* A True/False flag as a JSON boolean; left out when the unit does not
 * report it (the legacy HTTP API has no alarm flags), and kept as the
 * device's text when it is neither word. */
static void
json_flag(struct pk_json *j, const char *key, const char *v)
{
	int f = wb_flag(v);

	if (f >= 0)
		pk_json_kv_bool(j, key, f);
	else if (v[0] != '\0')
		pk_json_kv_str(j, key, v);
}

static void
ups_json(const struct wb_ups *u, struct pk_buf *b)
{
	struct pk_json j;

	pk_json_init(&j, b);
	pk_json_obj_begin(&j);
	pk_json_kv_bool(&j, "supported", u->supported);
	if (u->supported) {
		pk_json_kv_bool(&j, "connected", u->connected);
	}
	if (u->have_status) {
		pk_json_kv_double(&j, "battery_charge", u->charge);
		pk_json_kv_double(&j, "battery_load", u->load);
		pk_json_kv_str(&j, "battery_health", u->health);
		json_flag(&j, "power_lost", u->power_lost);
		pk_json_kv_double(&j, "runtime_minutes", u->runtime_min);
		json_flag(&j, "alarm_enabled", u->alarm_enabled);
		json_flag(&j, "alarm_muted", u->alarm_muted);
	}
	pk_json_obj_end(&j);
	pk_buf_addc(b, '\n');
}

void
wb_render_ups(struct pk_buf *b, enum pk_format fmt, const struct wb_ups *u)
{
	if (fmt == PK_FMT_JSON) {
		ups_json(u, b);
		return;
	}
	if (!u->supported) {
		pk_buf_adds(b, "ups: not supported by this model\n");
		return;
	}
	pk_buf_printf(b, "connected: %s\n", u->connected ? "yes" : "no");
	if (u->connected && u->have_status)
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "battery_charge: %g\nbattery_load: %g\nbattery_health: %s\n"
		              "power_lost: %s\nruntime_minutes: %g\nalarm_enabled: %s\n"
		              "alarm_muted: %s\n", u->charge, u->load, u->health, u->power_lost,
		              u->runtime_min, u->alarm_enabled, u->alarm_muted);
	else if (u->connected)
		pk_buf_adds(b, "status: not supported by this model\n");
}

void
wb_render_outlets(struct pk_buf *b, enum pk_format fmt, const char *action,
                  const struct wb_outlet_result *r)
{
	const struct wb_status *st = &r->st;
	const int *want = r->want;
	struct pk_json j;
	int i;

	if (fmt != PK_FMT_JSON) {
		for (i = 0; i < st->count; i++)
			if (want[i] >= 0)
				pk_text_printf(b, 0, "%d\t%s\t%s\n", i + 1,
				              r->read_back ? (st->o[i].on ? "on" : "off") : "sent",
				              st->o[i].name);
		return;
	}
	pk_json_init(&j, b);
	pk_json_obj_begin(&j);
	pk_json_kv_str(&j, "action", action);
	pk_json_kv_bool(&j, "confirmed", r->confirmed);
	pk_json_key(&j, "outlets");
	pk_json_arr_begin(&j);
	for (i = 0; i < st->count; i++) {
		if (want[i] < 0)
			continue;
		pk_json_obj_begin(&j);
		pk_json_kv_int(&j, "outlet", i + 1);
		pk_json_kv_str(&j, "name", st->o[i].name);
		if (r->read_back)
			pk_json_kv_str(&j, "state", st->o[i].on ? "on" : "off");
		pk_json_obj_end(&j);
	}
	pk_json_arr_end(&j);
	pk_json_obj_end(&j);
	pk_buf_addc(b, '\n');
}

void
wb_render_autoreboot(struct pk_buf *b, enum pk_format fmt, int on)
{
	if (fmt == PK_FMT_JSON)
		pk_buf_printf(b, "{\"autoreboot\":%s}\n", on ? "true" : "false");
	else
		pk_buf_printf(b, "autoreboot: %s\n", on ? "on" : "off");
}

void
wb_render_ping(struct pk_buf *b, enum pk_format fmt, const struct wb_ping *p)
{
	if (fmt == PK_FMT_JSON) {
		struct pk_json j;
		pk_json_init(&j, b);
		pk_json_obj_begin(&j);
		pk_json_kv_str(&j, "firmware", p->firmware);
		pk_json_kv_double(&j, "round_trip_ms", p->round_trip_ms);
		pk_json_obj_end(&j);
		pk_buf_addc(b, '\n');
		return;
	}
	pk_text_printf(b, PK_TEXT_KEEP_TAB, "firmware: %s\nround_trip_ms: %.2f\n", p->firmware, p->round_trip_ms);
}

/* ---- Prometheus ---------------------------------------------------------- */

/* Where a metric's samples come from: one per unit, one per outlet, or
 * the identity series. */
enum prom_kind { PROM_UNIT, PROM_OUTLET, PROM_INFO };

/* A sample's value for unit r (outlet i for PROM_OUTLET): 1 with *v set,
 * 0 when there is none (the part was not read, or the model lacks it). */
typedef int (*prom_get)(const struct wb_reading *r, int i, double *v);

struct prom_metric {
	const char *name, *help;
	enum prom_kind kind;
	prom_get get;
};

static int
get_outlet_on(const struct wb_reading *r, int i, double *v)
{
	*v = r->st.o[i].on;
	return 1;
}

static int
get_outlet_watts(const struct wb_reading *r, int i, double *v)
{
	*v = r->st.o[i].watts;
	return r->st.metered;
}

static int
get_outlet_amps(const struct wb_reading *r, int i, double *v)
{
	*v = r->st.o[i].amps;
	return r->st.metered;
}

static int
get_outlet_volts(const struct wb_reading *r, int i, double *v)
{
	*v = r->st.o[i].volts;
	return r->st.metered;
}

static int
get_outlets(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	if (r->have & WB_PART_STATUS)
		*v = r->st.count;
	else
		*v = r->info.outlets;
	return ((r->have & WB_PART_STATUS) && r->st.count > 0) ||
	       ((r->have & WB_PART_INFO) && r->info.outlets >= 0);
}

/* Whole-unit power, where the model meters it. */
static int
power_read(const struct wb_reading *r)
{
	return (r->have & WB_PART_POWER) && r->power.supported;
}

static int
get_watts(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->power.watts;
	return power_read(r);
}

static int
get_amps(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->power.amps;
	return power_read(r);
}

static int
get_volts(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->power.volts;
	return power_read(r);
}

/* The raw flag, as a number when it is one (its meaning differs between
 * firmware generations: not turned into a boolean). */
static int
get_safe_voltage(const struct wb_reading *r, int i, double *v)
{
	char *end;

	(void)i;
	if (!power_read(r) || !pk_json_is_number(r->power.safe_voltage))
		return 0;
	*v = strtod(r->power.safe_voltage, &end);
	return 1;
}

static int
get_ups_connected(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->ups.connected;
	return (r->have & WB_PART_UPS) && r->ups.supported;
}

/* The UPS's status values, when the unit has a UPS that reports them. */
static int
ups_read(const struct wb_reading *r)
{
	return (r->have & WB_PART_UPS) && r->ups.connected && r->ups.have_status;
}

static int
get_ups_charge(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->ups.charge / 100;
	return ups_read(r);
}

static int
get_ups_load(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->ups.load / 100;
	return ups_read(r);
}

static int
get_ups_runtime(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = r->ups.runtime_min * 60;
	return ups_read(r);
}

static int
get_ups_health(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	*v = strcmp(r->ups.health, "Good") == 0;
	return ups_read(r) && (*v == 1 || strcmp(r->ups.health, "Bad") == 0);
}

/* A True/False flag of the UPS; absent when the unit does not say. */
static int
ups_flag(const struct wb_reading *r, const char *flag, double *v)
{
	int f = wb_flag(flag);

	*v = f;
	return ups_read(r) && f >= 0;
}

static int
get_ups_power_lost(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	return ups_flag(r, r->ups.power_lost, v);
}

static int
get_ups_alarm_enabled(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	return ups_flag(r, r->ups.alarm_enabled, v);
}

static int
get_ups_alarm_muted(const struct wb_reading *r, int i, double *v)
{
	(void)i;
	return ups_flag(r, r->ups.alarm_muted, v);
}

/* Base units: percentages as ratios, runtime in seconds. */
static const struct prom_metric prom_metrics[] = {
	{ "wattbox_info", "WattBox identity in labels (value always 1)", PROM_INFO, NULL },
	{ "wattbox_outlets", "Number of outlets", PROM_UNIT, get_outlets },
	{ "wattbox_outlet_on", "1 when the outlet is switched on", PROM_OUTLET, get_outlet_on },
	{ "wattbox_outlet_power_watts", "Outlet power in watts", PROM_OUTLET, get_outlet_watts },
	{ "wattbox_outlet_current_amperes", "Outlet current in amperes", PROM_OUTLET,
	  get_outlet_amps },
	{ "wattbox_outlet_voltage_volts", "Outlet voltage in volts", PROM_OUTLET,
	  get_outlet_volts },
	{ "wattbox_power_watts", "Whole-unit power in watts", PROM_UNIT, get_watts },
	{ "wattbox_current_amperes", "Whole-unit current in amperes", PROM_UNIT, get_amps },
	{ "wattbox_voltage_volts", "Input voltage in volts", PROM_UNIT, get_volts },
	{ "wattbox_safe_voltage_status", "Safe-voltage flag as the unit reports it (raw)",
	  PROM_UNIT, get_safe_voltage },
	{ "wattbox_ups_connected", "1 when a UPS is connected to the unit", PROM_UNIT,
	  get_ups_connected },
	{ "wattbox_ups_battery_charge_ratio", "UPS battery charge (0-1)", PROM_UNIT,
	  get_ups_charge },
	{ "wattbox_ups_load_ratio", "UPS load (0-1)", PROM_UNIT, get_ups_load },
	{ "wattbox_ups_runtime_seconds", "UPS estimated runtime in seconds", PROM_UNIT,
	  get_ups_runtime },
	{ "wattbox_ups_battery_good", "1 when the UPS reports its battery Good, 0 when Bad",
	  PROM_UNIT, get_ups_health },
	{ "wattbox_ups_power_lost", "1 when the UPS has lost input power", PROM_UNIT,
	  get_ups_power_lost },
	{ "wattbox_ups_alarm_enabled", "1 when the UPS alarm is enabled", PROM_UNIT,
	  get_ups_alarm_enabled },
	{ "wattbox_ups_alarm_muted", "1 when the UPS alarm is muted", PROM_UNIT,
	  get_ups_alarm_muted },
};

static void
prom_value(double v, char *out, size_t len)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, len, "%.0f", v);
	else
		snprintf(out, len, "%.6g", v);
}

/* The samples of metric m for one unit that was read. */
static int
prom_unit_samples(struct pk_buf *b, const struct prom_metric *m, const struct wb_prom_unit *u)
{
	const struct wb_reading *r = u->r;
	char val[40], num[16];
	double v;
	int i, n = 0;

	if (m->kind == PROM_INFO) {
		if (!(r->have & WB_PART_INFO))
			return 0;
		pk_prom_sample(b, m->name, "1", "server", u->server, "model", r->info.model,
		               "firmware", r->info.firmware, "hostname", r->info.hostname,
		               "service_tag", r->info.service_tag, NULL);
		return 1;
	}
	if (m->kind == PROM_UNIT) {
		if (!m->get(r, 0, &v))
			return 0;
		prom_value(v, val, sizeof val);
		pk_prom_sample(b, m->name, val, "server", u->server, NULL);
		return 1;
	}
	if (!(r->have & WB_PART_STATUS))
		return 0;
	for (i = 0; i < r->st.count; i++) {
		if (!r->sel[i] || !m->get(r, i, &v))
			continue;
		prom_value(v, val, sizeof val);
		snprintf(num, sizeof num, "%d", i + 1);
		pk_prom_sample(b, m->name, val, "server", u->server, "outlet", num, "name",
		               r->st.o[i].name, NULL);
		n++;
	}
	return n;
}

void
wb_render_prom(struct pk_buf *b, const struct wb_prom_unit *units, size_t n)
{
	struct pk_buf samples = { 0 };
	size_t k, t;

	pk_prom_header(b, "wattbox_up", "1 when the WattBox answered everything asked", "gauge");
	for (t = 0; t < n; t++)
		pk_prom_sample(b, "wattbox_up", units[t].up ? "1" : "0", "server", units[t].server,
		               NULL);
	/* One HELP and TYPE per metric, its samples from every unit after it. */
	for (k = 0; k < sizeof prom_metrics / sizeof prom_metrics[0]; k++) {
		int count = 0;
		pk_buf_reset(&samples);
		for (t = 0; t < n; t++)
			if (units[t].up)
				count += prom_unit_samples(&samples, &prom_metrics[k], &units[t]);
		if (count == 0)
			continue;
		pk_prom_header(b, prom_metrics[k].name, prom_metrics[k].help, "gauge");
		pk_buf_add(b, samples.data, samples.len);
	}
	pk_buf_free(&samples);
}
