#include "nut/render.h"

#include <stdio.h>
#include <string.h>

#include "nut/prom_names.h"
#include "core/prom.h"

static void
render_rw_one(struct pk_buf *b, const struct nut_varinfo *vi)
{
	const char *val = vi->value ? vi->value : "";
	const char *e = vi->enums.data;
	char type[64];
	size_t i;

	nut_type_name(&vi->type, type, sizeof type);
	pk_buf_printf(b, "[%s]\n%s\nType: %s\n", vi->name,
	              vi->desc ? vi->desc : "Description unavailable", type);
	if (vi->type.is_string && vi->type.maxlen >= 0)
		pk_buf_printf(b, "Maximum length: %ld\n", vi->type.maxlen);
	for (i = 0; i < vi->nenum; i++, e += strlen(e) + 1)
		pk_buf_printf(b, "Option: \"%s\"%s\n", e, strcmp(e, val) == 0 ? " SELECTED" : "");
	for (i = 0; vi->nenum == 0 && i < vi->nrange; i++) {
		char num[32];
		long v;
		int sel = sscanf(val, "%ld", &v) == 1 && v >= vi->range[i][0] &&
		          v <= vi->range[i][1];

		snprintf(num, sizeof num, "%ld-%ld", vi->range[i][0], vi->range[i][1]);
		pk_buf_printf(b, "Option: \"%s\"%s\n", num, sel ? " SELECTED" : "");
	}
	if (vi->nenum == 0 && vi->nrange == 0)
		pk_buf_printf(b, "Value: %s\n", val);
	pk_buf_addc(b, '\n');
}

void
nut_render_rw_text(struct pk_buf *b, const struct nut_varinfo *vis, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		render_rw_one(b, &vis[i]);
}

static void
render_rw_json_one(struct pk_json *j, const struct nut_varinfo *vi)
{
	const char *e = vi->enums.data;
	char type[64];
	size_t i;

	nut_type_name(&vi->type, type, sizeof type);
	pk_json_obj_begin(j);
	pk_json_key(j, "description");
	if (vi->desc)
		pk_json_str(j, vi->desc);
	else
		pk_json_null(j);
	pk_json_kv_str(j, "type", type);
	if (vi->type.is_string && vi->type.maxlen >= 0) {
		pk_json_kv_int(j, "maxlen", vi->type.maxlen);
	}
	pk_json_key(j, "value");
	if (vi->value)
		nut_json_value(j, vi->name, vi->value);
	else
		pk_json_null(j);
	pk_json_key(j, "enum");
	pk_json_arr_begin(j);
	for (i = 0; i < vi->nenum; i++, e += strlen(e) + 1)
		pk_json_str(j, e);
	pk_json_arr_end(j);
	pk_json_key(j, "ranges");
	pk_json_arr_begin(j);
	for (i = 0; i < vi->nrange; i++) {
		pk_json_arr_begin(j);
		pk_json_int(j, vi->range[i][0]);
		pk_json_int(j, vi->range[i][1]);
		pk_json_arr_end(j);
	}
	pk_json_arr_end(j);
	pk_json_obj_end(j);
}

void
nut_render_rw_json(struct pk_json *j, const struct nut_varinfo *vis, size_t n)
{
	size_t i;

	pk_json_obj_begin(j);
	for (i = 0; i < n; i++) {
		pk_json_key(j, vis[i].name);
		render_rw_json_one(j, &vis[i]);
	}
	pk_json_obj_end(j);
}

void
nut_render_kv_text(struct pk_buf *b, const struct nut_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pk_buf_printf(b, "%s: %s\n", l->v[i].name, l->v[i].value ? l->v[i].value : "");
}

void
nut_render_kv_json(struct pk_json *j, const struct nut_kvlist *l, int typed)
{
	size_t i;

	pk_json_obj_begin(j);
	for (i = 0; i < l->n; i++) {
		const char *v = l->v[i].value ? l->v[i].value : "";

		pk_json_key(j, l->v[i].name);
		if (typed)
			nut_json_value(j, l->v[i].name, v);
		else
			pk_json_str(j, v);
	}
	pk_json_obj_end(j);
}

/* The value of name, "" when absent. */
static const char *
kv_find(const struct nut_kvlist *l, const char *name)
{
	const char *v = nut_kvlist_find(l, name);

	return v ? v : "";
}

/* Whole-word match of flag in a status string. */
static int
has_flag(const char *status, const char *flag)
{
	size_t fl = strlen(flag);
	const char *p = status;

	while ((p = strstr(p, flag)) != NULL) {
		if ((p == status || p[-1] == ' ') && (p[fl] == ' ' || p[fl] == '\0'))
			return 1;
		p += fl;
	}
	return 0;
}

void
nut_render_prom(struct pk_buf *b, const char *ups, const struct nut_kvlist *l)
{
	static const char *const flags[] = { "OL", "OB", "LB", "HB", "RB", "CHRG", "DISCHRG",
		"BYPASS", "CAL", "OFF", "OVER", "TRIM", "BOOST", "FSD" };
	const char *status = kv_find(l, "ups.status");
	const char *serial = kv_find(l, "device.serial");
	size_t i;

	if (serial[0] == '\0')
		serial = kv_find(l, "ups.serial");
	pk_prom_header(b, "nut_up", "1 when the UPS answered", "gauge");
	pk_prom_sample(b, "nut_up", "1", "ups", ups, NULL);
	pk_prom_header(b, "nut_device_info", "UPS identity (value is always 1)", "gauge");
	pk_prom_sample(b, "nut_device_info", "1", "ups", ups, "mfr", kv_find(l, "device.mfr"),
	               "model", kv_find(l, "device.model"), "serial",
	               serial, NULL);
	pk_prom_header(b, "nut_ups_status", "1 when ups.status has the flag", "gauge");
	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		pk_prom_sample(b, "nut_ups_status", has_flag(status, flags[i]) ? "1" : "0",
		               "ups", ups, "flag", flags[i], NULL);
	for (i = 0; i < l->n; i++) {
		struct nut_prom_metric m;

		if (!l->v[i].value || !nut_is_quantity(l->v[i].name, l->v[i].value))
			continue;
		nut_prom_metric(l->v[i].name, l->v[i].value, &m);
		pk_prom_header(b, m.name, m.help, "gauge");
		pk_prom_sample(b, m.name, m.value, "ups", ups, NULL);
	}
}
