#include "nut/render.h"

#include <stdio.h>
#include <stdlib.h>
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

/* One Prometheus sample of a UPS: "server" (when given) and "ups"
 * labels, then up to two more pairs (k NULL ends them). */
static void
ups_sample(struct pk_buf *b, const char *name, const char *value,
           const struct nut_prom_ups *u, const char *k1, const char *v1, const char *k2,
           const char *v2, const char *k3, const char *v3)
{
	if (u->server != NULL)
		pk_prom_sample(b, name, value, "server", u->server, "ups", u->ups, k1, v1, k2, v2,
		               k3, v3, NULL);
	else
		pk_prom_sample(b, name, value, "ups", u->ups, k1, v1, k2, v2, k3, v3, NULL);
}

static void
prom_identity(struct pk_buf *b, const struct nut_prom_ups *u)
{
	const struct nut_kvlist *l = u->vars;
	const char *serial = kv_find(l, "device.serial");

	if (serial[0] == '\0')
		serial = kv_find(l, "ups.serial");
	ups_sample(b, "nut_device_info", "1", u, "mfr", kv_find(l, "device.mfr"),
	           "model", kv_find(l, "device.model"), "serial", serial);
}

static void
prom_status(struct pk_buf *b, const struct nut_prom_ups *u)
{
	static const char *const flags[] = { "OL", "OB", "LB", "HB", "RB", "CHRG", "DISCHRG",
		"BYPASS", "CAL", "OFF", "OVER", "TRIM", "BOOST", "FSD" };
	const char *status = kv_find(u->vars, "ups.status");
	size_t i;

	for (i = 0; i < sizeof flags / sizeof flags[0]; i++)
		ups_sample(b, "nut_ups_status", has_flag(status, flags[i]) ? "1" : "0", u,
		           "flag", flags[i], NULL, NULL, NULL, NULL);
}

/* A variable's sample, to be grouped under its metric name: one HELP
 * and TYPE per name, however many UPSes report it. */
struct prom_entry {
	char *metric;
	const struct nut_kv *kv;
	size_t ups;     /* index of its UPS */
	size_t order;   /* first-seen order, which the groups keep */
	size_t group;   /* order of its name's first entry */
};

static int
by_metric(const void *pa, const void *pb)
{
	const struct prom_entry *a = pa, *b = pb;
	int c = strcmp(a->metric, b->metric);

	return c != 0 ? c : a->order < b->order ? -1 : a->order > b->order;
}

static int
by_group(const void *pa, const void *pb)
{
	const struct prom_entry *a = pa, *b = pb;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Every quantity of every UPS that answered, named and grouped. */
static struct prom_entry *
prom_entries(const struct nut_prom_ups *u, size_t n, size_t *count)
{
	struct prom_entry *e = NULL, *grown;
	size_t i, k, ne = 0, cap = 0;
	struct nut_prom_metric m;

	for (i = 0; i < n; i++) {
		for (k = 0; u[i].vars != NULL && k < u[i].vars->n; k++) {
			const struct nut_kv *kv = &u[i].vars->v[k];

			if (!kv->value || !nut_is_quantity(kv->name, kv->value))
				continue;
			if (ne == cap) {
				cap = cap ? cap * 2 : 64;
				if ((grown = realloc(e, cap * sizeof *e)) == NULL)
					break;
				e = grown;
			}
			nut_prom_metric(kv->name, kv->value, &m);
			if ((e[ne].metric = strdup(m.name)) == NULL)
				break;
			e[ne].kv = kv;
			e[ne].ups = i;
			e[ne].order = ne;
			ne++;
		}
	}
	if (ne > 0) {
		qsort(e, ne, sizeof *e, by_metric);
		for (i = 0; i < ne; i++)
			e[i].group = i > 0 && strcmp(e[i].metric, e[i - 1].metric) == 0
			             ? e[i - 1].group : e[i].order;
		qsort(e, ne, sizeof *e, by_group);
	}
	*count = ne;
	return e;
}

void
nut_render_prom(struct pk_buf *b, const struct nut_prom_ups *u, size_t n)
{
	struct prom_entry *e;
	size_t i, ne;

	pk_prom_header(b, "nut_up", "1 when the UPS answered", "gauge");
	for (i = 0; i < n; i++)
		ups_sample(b, "nut_up", u[i].vars != NULL ? "1" : "0", &u[i], NULL, NULL, NULL,
		           NULL, NULL, NULL);
	for (i = 0; i < n && u[i].vars == NULL; i++)
		;
	if (i == n)
		return;  /* no UPS answered: nothing else is known */
	pk_prom_header(b, "nut_device_info", "UPS identity (value is always 1)", "gauge");
	for (i = 0; i < n; i++)
		if (u[i].vars != NULL)
			prom_identity(b, &u[i]);
	pk_prom_header(b, "nut_ups_status", "1 when ups.status has the flag", "gauge");
	for (i = 0; i < n; i++)
		if (u[i].vars != NULL)
			prom_status(b, &u[i]);
	e = prom_entries(u, n, &ne);
	for (i = 0; i < ne; i++) {
		struct nut_prom_metric m;

		nut_prom_metric(e[i].kv->name, e[i].kv->value, &m);
		if (i == 0 || e[i].group != e[i - 1].group)
			pk_prom_header(b, m.name, m.help, m.type);
		ups_sample(b, m.name, m.value, &u[e[i].ups], nut_prom_label_key(&m, 0),
		           nut_prom_label_value(&m, 0), nut_prom_label_key(&m, 1),
		           nut_prom_label_value(&m, 1), NULL, NULL);
		free(e[i].metric);
	}
	free(e);
}

void
nut_render_vars(struct pk_buf *b, const struct nut_doc *d, const struct nut_kvlist *l)
{
	struct pk_json j;

	if (d->format == PK_FMT_PROM) {
		struct nut_prom_ups u = { d->target->name, NULL, l };

		nut_render_prom(b, &u, 1);
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

/* Appends text with every line prefixed "prefix: ". */
static void
prefix_lines(struct pk_buf *b, const char *prefix, const struct pk_buf *text)
{
	const char *p = pk_buf_str(text), *end = p + text->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);

		pk_buf_printf(b, "%s: %.*s\n", prefix, (int)n, p);
		p += n + 1;
	}
}

/* Adds the i-th target's rendering to a multi-target output: its lines
 * prefixed with label, or its JSON document as the i-th element of the
 * array (without its newline, comma-separated). */
static void
join_one(struct pk_buf *b, enum pk_format format, size_t i, const char *label,
         struct pk_buf *one)
{
	if (format != PK_FMT_JSON) {
		prefix_lines(b, label, one);
		return;
	}
	if (one->len > 0 && one->data[one->len - 1] == '\n')
		one->len--;
	if (i > 0)
		pk_buf_addc(b, ',');
	pk_buf_add(b, one->data, one->len);
}

void
nut_render_clients_many(struct pk_buf *b, enum pk_format format,
                        const struct pk_target *t, const struct nut_kvlist *lists, size_t n)
{
	struct pk_buf one = { 0 };
	char label[300];
	size_t i;

	if (format == PK_FMT_JSON)
		pk_buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		struct nut_doc d = { format, &t[i] };

		pk_buf_reset(&one);
		nut_render_clients(&one, &d, &lists[i]);
		pk_target_label(&t[i], label, sizeof label);
		join_one(b, format, i, label, &one);
	}
	if (format == PK_FMT_JSON)
		pk_buf_adds(b, "]\n");
	pk_buf_free(&one);
}

/* One target as it renders alone (text or one JSON document). */
static void
render_one(struct pk_buf *b, const struct nut_doc *d, const struct nut_batch *batch,
           const struct nut_batch_ups *u)
{
	struct pk_json j;

	if (u->err != NULL) {
		if (!is_json(d))
			return;
		doc_begin(&j, b, d);
		pk_json_key(&j, "error");
		pk_json_error_value(&j, u->err);
		doc_end(&j);
	} else if (batch->opts.vars != NULL) {
		nut_render_values(b, d, "VAR", &u->vars, u->errs);
	} else {
		nut_render_vars(b, d, &u->vars);
	}
}

static void
render_batch_prom(struct pk_buf *b, const struct nut_batch *batch)
{
	struct nut_prom_ups *u = calloc(batch->nups ? batch->nups : 1, sizeof *u);
	char (*servers)[300] = calloc(batch->nups ? batch->nups : 1, sizeof *servers);
	size_t i;

	for (i = 0; u != NULL && servers != NULL && i < batch->nups; i++) {
		const struct nut_batch_ups *x = &batch->ups[i];
		struct pk_target t;

		nut_batch_target(batch, x, &t);
		pk_target_hostport(&t, servers[i], sizeof servers[i]);
		u[i].ups = x->name;
		u[i].server = servers[i];
		u[i].vars = x->err == NULL ? &x->vars : NULL;
	}
	if (u != NULL && servers != NULL)
		nut_render_prom(b, u, batch->nups);
	free(u);
	free(servers);
}

void
nut_render_batch(struct pk_buf *b, enum pk_format format, const struct nut_batch *batch)
{
	struct pk_buf one = { 0 };
	size_t i;

	if (format == PK_FMT_PROM) {
		render_batch_prom(b, batch);
		return;
	}
	if (format == PK_FMT_JSON)
		pk_buf_addc(b, '[');
	for (i = 0; i < batch->nups; i++) {
		const struct nut_batch_ups *u = &batch->ups[i];
		struct pk_target t;
		struct nut_doc d = { format, &t };

		nut_batch_target(batch, u, &t);
		pk_buf_reset(&one);
		render_one(&one, &d, batch, u);
		join_one(b, format, i, u->label, &one);
	}
	if (format == PK_FMT_JSON)
		pk_buf_adds(b, "]\n");
	pk_buf_free(&one);
}
