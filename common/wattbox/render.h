/* render.h — renderings of WattBox results into a buffer, for wattctl:
 * text (one line per item, tab-separated), JSON documents and, for the
 * outlet status, Prometheus text.  Nothing here prints. */
#ifndef PK_WB_OUT_H
#define PK_WB_OUT_H

#include "core/buf.h"
#include "core/format.h"
#include "wattbox/client.h"
#include "wattbox/actions.h"

/* "key: value" lines (outlets only when known), or one JSON object. */
void wb_render_info(struct pk_buf *b, enum pk_format fmt, const struct wb_info *in);

/* Text: one tab-separated line per outlet, the name last (it may hold
 * spaces and commas), "-" where the model does not meter outlets; or
 * JSON.  sel (NULL: every outlet) holds 1 for each outlet i+1 to render. */
void wb_render_status(struct pk_buf *b, enum pk_format fmt, const struct wb_status *st,
                      const unsigned char *sel);

void wb_render_power(struct pk_buf *b, enum pk_format fmt, const struct wb_power *p);
void wb_render_ups(struct pk_buf *b, enum pk_format fmt, const struct wb_ups *u);

/* The selected outlets of an action: their states when read back, else
 * "sent".  JSON adds the action word and whether all were confirmed. */
void wb_render_outlets(struct pk_buf *b, enum pk_format fmt, const char *action,
                       const struct wb_outlet_result *r);

/* "firmware: F" and "round_trip_ms: N.NN" lines, or one JSON object. */
void wb_render_ping(struct pk_buf *b, enum pk_format fmt, const struct wb_ping *p);

/* One unit of a Prometheus exposition: server is "host:port", up 0 when
 * it could not be read (then nothing but wattbox_up comes from it). */
struct wb_prom_unit {
	const char *server;
	int up;
	const struct wb_reading *r;
};

/* The Prometheus exposition of n units: wattbox_up for each, then every
 * series the readings hold (identity in wattbox_info, outlet count,
 * outlets, whole-unit power, UPS), one HELP and TYPE per metric, every
 * series labelled server (outlets also outlet and name). */
void wb_render_prom(struct pk_buf *b, const struct wb_prom_unit *units, size_t n);

/* "autoreboot: on|off" or {"autoreboot":true|false}. */
void wb_render_autoreboot(struct pk_buf *b, enum pk_format fmt, int on);

#endif
