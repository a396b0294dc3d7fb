/* pdu_render.h — pductl's results as text, JSON or Prometheus
 * exposition, appended to a buffer (the caller writes it out).  target is
 * the HOST:PORT the results came from. */
#ifndef PK_PDU_RENDER_H
#define PK_PDU_RENDER_H

#include "buf.h"
#include "opts.h"
#include "pdu.h"

/* The selected outlets: "N on|off" lines, or with json one document
 * {"target":...,"outlets":[{"outlet":N,"name":...,"state":...},...]}. */
void pk_pdu_render_states(struct pk_buf *b, const char *target, const struct pk_pdu *pdu,
                          const unsigned char *sel, int json);

/* "N accepted" for each selected outlet (switching with --no-wait), or
 * with json {"target":...,"outlets":[{"outlet":N,"accepted":true},...]}. */
void pk_pdu_render_accepted(struct pk_buf *b, const char *target, const struct pk_pdu *pdu,
                            const unsigned char *sel, int json);

/* "N NAME" for a renamed outlet, or with json
 * {"target":...,"outlets":[{"outlet":N,"name":...}]}. */
void pk_pdu_render_name(struct pk_buf *b, const char *target, const struct pk_pdu *pdu,
                        int outlet, int json);

/* Everything pk_pdu_read_status read: "key: value" lines (text), one
 * JSON document, or metric families (prom). */
void pk_pdu_render_status(struct pk_buf *b, const char *target, const struct pk_pdu *pdu,
                          enum pk_format fmt);

#endif
