#include "nut/render.h"

#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "core/prom.h"
#include "core/text.h"
#include "nut/prom_names.h"

/* Opens a JSON document: "ups" (when the request names one), "server". */
static void
doc_begin(struct pk_json *j, struct pk_buf *b, const struct nut_doc *d)
{
	char hp[300];

	pk_json_init(j, b);
	pk_json_obj_begin(j);
	if (d->target->name[0] != '\0')
		pk_json_kv_str(j, "ups", d->target->name);
	pk_target_hostport(d->target, hp, sizeof hp);
	pk_json_kv_str(j, "server", hp);
}

static void
doc_end(struct pk_json *j)
{
	pk_json_obj_end(j);
	pk_buf_addc(j->out, '\n');
}

/* A string, or null for what the server did not give. */
static void
json_str_or_null(struct pk_json *j, const char *s)
{
	if (s != NULL)
		pk_json_str(j, s);
	else
		pk_json_null(j);
}

static int
is_json(const struct nut_doc *d)
{
	return d->format == PK_FMT_JSON;
}

/* "status": the flags of ups.status, when the list has it. */
static void
json_status(struct pk_json *j, const struct nut_kvlist *l)
{
	const char *st = nut_kvlist_find(l, "ups.status");

	if (st != NULL) {
		pk_json_key(j, "status");
		nut_json_flags(j, st);
	}
}

static void
render_rw_one(struct pk_buf *b, const struct nut_varinfo *vi)
{
	const char *val = vi->value ? vi->value : "";
	const char *e = vi->enums.data;
	char type[64];
	size_t i;

	nut_type_name(&vi->type, type, sizeof type);
	pk_text_printf(b, PK_TEXT_KEEP_TAB, "[%s]\n%s\nType: %s\n", vi->name,
	              vi->desc ? vi->desc : "Description unavailable", type);
	if (vi->type.is_string && vi->type.maxlen >= 0)
		pk_buf_printf(b, "Maximum length: %ld\n", vi->type.maxlen);
	for (i = 0; i < vi->nenum; i++, e += strlen(e) + 1)
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "Option: \"%s\"%s\n", e, strcmp(e, val) == 0 ? " SELECTED" : "");
	for (i = 0; vi->nenum == 0 && i < vi->nrange; i++) {
		char num[32];
		long v;
		int sel = sscanf(val, "%ld", &v) == 1 && v >= vi->range[i][0] &&
		          v <= vi->range[i][1];

		snprintf(num, sizeof num, "%ld-%ld", vi->range[i][0], vi->range[i][1]);
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "Option: \"%s\"%s\n", num, sel ? " SELECTED" : "");
	}
	if (vi->nenum == 0 && vi->nrange == 0)
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "Value: %s\n", val);
	pk_buf_addc(b, '\n');
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
	json_str_or_null(j, vi->desc);
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
nut_render_rw(struct pk_buf *b, const struct nut_doc *d, const struct nut_varinfo *vis,
              size_t n)
{
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		for (i = 0; i < n; i++)
			render_rw_one(b, &vis[i]);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "rw");
	pk_json_obj_begin(&j);
	for (i = 0; i < n; i++) {
		pk_json_key(&j, vis[i].name);
		render_rw_json_one(&j, &vis[i]);
	}
	pk_json_obj_end(&j);
	doc_end(&j);
}

static void
kv_text(struct pk_buf *b, const struct nut_kvlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s: %s\n", l->v[i].name, l->v[i].value ? l->v[i].value : "");
}

/* An object of name: value, typed by nut_json_value when typed. */
static void
kv_json(struct pk_json *j, const struct nut_kvlist *l, int typed)
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

static void
render_prom(struct pk_buf *b, const char *ups, const struct nut_kvlist *l)
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

void
nut_render_vars(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l)
{
	struct pk_json j;

	if (d->format == PK_FMT_PROM) {
		render_prom(b, d->target->name, l);
		return;
	}
	if (!is_json(d)) {
		kv_text(b, l);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "variables");
	kv_json(&j, l, 1);
	json_status(&j, l);
	doc_end(&j);
}

void
nut_render_values(struct pk_buf *b, const struct nut_doc *d, const char *what,
                  const struct nut_kvlist *l, const struct pk_err *errs)
{
	int var = strcmp(what, "VAR") == 0;
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		for (i = 0; i < l->n; i++)
			if (errs[i].status == 0)
				pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s\n", l->v[i].value);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, var ? "variables" : "descriptions");
	pk_json_obj_begin(&j);
	for (i = 0; i < l->n; i++) {
		if (errs[i].status != 0)
			continue;
		pk_json_key(&j, l->v[i].name);
		if (var)
			nut_json_value(&j, l->v[i].name, l->v[i].value);
		else
			pk_json_str(&j, l->v[i].value);
	}
	pk_json_obj_end(&j);
	if (var)
		json_status(&j, l);
	pk_json_key(&j, "errors");
	pk_json_obj_begin(&j);
	for (i = 0; i < l->n; i++) {
		if (errs[i].status != 0) {
			pk_json_key(&j, l->v[i].name);
			pk_json_error_value(&j, &errs[i]);
		}
	}
	pk_json_obj_end(&j);
	doc_end(&j);
}

void
nut_render_ups_list(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l,
                    int with_desc)
{
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		if (with_desc)
			kv_text(b, l);
		for (i = 0; !with_desc && i < l->n; i++)
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s\n", l->v[i].name);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "ups_list");
	pk_json_arr_begin(&j);
	for (i = 0; i < l->n; i++) {
		pk_json_obj_begin(&j);
		pk_json_kv_str(&j, "name", l->v[i].name);
		pk_json_kv_str(&j, "description", l->v[i].value ? l->v[i].value : "");
		pk_json_obj_end(&j);
	}
	pk_json_arr_end(&j);
	doc_end(&j);
}

void
nut_render_clients(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l)
{
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		for (i = 0; i < l->n; i++)
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s\n", l->v[i].name);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "clients");
	pk_json_arr_begin(&j);
	for (i = 0; i < l->n; i++)
		pk_json_str(&j, l->v[i].name);
	pk_json_arr_end(&j);
	doc_end(&j);
}

void
nut_render_cmds(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l,
                enum nut_cmds_text layout)
{
	/* upscmd's words for a command the server gives no CMDDESC for. */
	static const char unavailable[] = "Description unavailable";
	const char *sep = layout == NUT_CMDS_UPSCMD ? " - " : ": ";
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		if (layout == NUT_CMDS_UPSCMD)
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "Instant commands supported on UPS [%s]:\n\n",
			              d->target->name);
		for (i = 0; i < l->n; i++)
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s%s%s\n", l->v[i].name, sep,
			              l->v[i].value ? l->v[i].value : unavailable);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "commands");
	pk_json_obj_begin(&j);
	for (i = 0; i < l->n; i++) {
		pk_json_key(&j, l->v[i].name);
		json_str_or_null(&j, l->v[i].value);
	}
	pk_json_obj_end(&j);
	doc_end(&j);
}

/* A server fact, "unknown" when the server did not say. */
static const char *
known(const char *s)
{
	return s[0] ? s : "unknown";
}

void
nut_render_server(struct pk_buf *b, const struct nut_doc *d, const struct nut_server_info *s)
{
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		pk_text_printf(b, PK_TEXT_KEEP_TAB, "version: %s\nprotocol: %s\nhelp: %s\n", known(s->version),
		              known(s->protocol), known(s->help));
		for (i = 0; i < s->logins.n; i++)
			pk_text_printf(b, PK_TEXT_KEEP_TAB, "numlogins.%s: %s\n", s->logins.v[i].name,
			              s->logins.v[i].value ? s->logins.v[i].value : "unknown");
		return;
	}
	doc_begin(&j, b, d);
	pk_json_kv_str(&j, "version", known(s->version));
	pk_json_kv_str(&j, "protocol", known(s->protocol));
	pk_json_kv_str(&j, "help", known(s->help));
	pk_json_key(&j, "numlogins");
	kv_json(&j, &s->logins, 1);
	doc_end(&j);
}

void
nut_render_changes(struct pk_buf *b, const struct nut_doc *d, const struct nut_change *ch,
                   size_t n)
{
	struct pk_json j;
	size_t i;

	if (!is_json(d)) {
		for (i = 0; i < n; i++)
			if (ch[i].err.status == 0)
				pk_text_printf(b, PK_TEXT_KEEP_TAB, "%s: %s\n", ch[i].name, ch[i].result);
		return;
	}
	doc_begin(&j, b, d);
	pk_json_key(&j, "results");
	pk_json_obj_begin(&j);
	for (i = 0; i < n; i++) {
		pk_json_key(&j, ch[i].name);
		pk_json_obj_begin(&j);
		pk_json_key(&j, "value");
		json_str_or_null(&j, ch[i].value);
		pk_json_kv_str(&j, "result", ch[i].result);
		if (ch[i].err.status != 0) {
			pk_json_key(&j, "error");
			pk_json_error_value(&j, &ch[i].err);
		}
		pk_json_obj_end(&j);
	}
	pk_json_obj_end(&j);
	doc_end(&j);
}
