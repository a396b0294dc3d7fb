/* render.c — renderings of WattBox results (wattbox/render.h). */
#include <stdio.h>

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

static void
prom_outlet(struct pk_buf *b, const char *metric, const char *host, int n, const char *name,
            double v)
{
	char num[16], val[32];

	snprintf(num, sizeof num, "%d", n);
	snprintf(val, sizeof val, "%.*f", v == (int)v ? 0 : 2, v);
	pk_prom_sample(b, metric, val, "host", host, "outlet", num, "name", name, NULL);
}

static void
status_prom(const char *host, const struct wb_status *st, const unsigned char *sel,
            struct pk_buf *b)
{
	static const struct { const char *name, *help; } m[] = {
		{ "wattbox_outlet_on", "1 when the outlet is switched on" },
		{ "wattbox_outlet_power_watts", "outlet power in watts" },
		{ "wattbox_outlet_current_amperes", "outlet current in amperes" },
		{ "wattbox_outlet_voltage_volts", "outlet voltage in volts" },
	};
	int k, i;

	pk_prom_header(b, "wattbox_up", "1 when the WattBox answered", "gauge");
	pk_prom_sample(b, "wattbox_up", "1", "host", host, NULL);
	for (k = 0; k < (st->metered ? 4 : 1); k++) {
		pk_prom_header(b, m[k].name, m[k].help, "gauge");
		for (i = 0; i < st->count; i++) {
			const struct wb_outlet *w = &st->o[i];
			if (!shown(sel, i))
				continue;
			double v = k == 0 ? w->on : k == 1 ? w->watts : k == 2 ? w->amps : w->volts;
			prom_outlet(b, m[k].name, host, i + 1, w->name, v);
		}
	}
}

void
wb_render_status(struct pk_buf *b, enum pk_format fmt, const char *host,
                 const struct wb_status *st, const unsigned char *sel)
{
	int i;

	if (fmt == PK_FMT_JSON) {
		status_json(st, sel, b);
		return;
	}
	if (fmt == PK_FMT_PROM) {
		status_prom(host, st, sel, b);
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
