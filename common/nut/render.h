/* render.h — renderings shared by the NUT tools: upsrw's listing of
 * writable variables, JSON documents for listings, Prometheus text. */
#ifndef PK_NUTOUT_H
#define PK_NUTOUT_H

#include "core/buf.h"
#include "core/json.h"
#include "nut/pipeline.h"
#include "nut/vars.h"

/* The writable variables the way upsrw 2.8 prints them: per variable a
 * "[name]" line, the description ("Description unavailable" when GET DESC
 * failed), "Type: ENUM STRING" / "RANGE NUMBER" / "STRING" ... ("Unknown
 * type" when GET TYPE failed), "Maximum length: N" for STRING:N, one
 * 'Option: "x"' line per ENUM value or 'Option: "a-b"' per RANGE with
 * " SELECTED" on the current one, else "Value: v"; a blank line ends each
 * block. */
void nut_render_rw_text(struct pk_buf *b, const struct nut_varinfo *vis, size_t n);

/* {"name":{"description":..,"type":..,"value":..,"enum":[..],"ranges":[[a,b]]}} */
void nut_render_rw_json(struct pk_json *j, const struct nut_varinfo *vis, size_t n);

/* "name: value" lines, exactly like upsc. */
void nut_render_kv_text(struct pk_buf *b, const struct nut_kvlist *l);

/* An object of name: value (typed by nut_json_value when typed). */
void nut_render_kv_json(struct pk_json *j, const struct nut_kvlist *l, int typed);

/* The variables of one UPS as Prometheus gauges: nut_<var>[_unit] for
 * each quantity (named by nut_prom_metric), nut_ups_status{flag} for the usual flags, nut_device_info. */
void nut_render_prom(struct pk_buf *b, const char *ups, const struct nut_kvlist *l);

#endif
