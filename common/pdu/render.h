/* render.h — pductl's results as text, JSON or Prometheus
 * exposition, appended to a buffer (the caller writes it out).  target is
 * the HOST:PORT the results came from. */
#ifndef PDU_RENDER_H
#define PDU_RENDER_H

#include "core/buf.h"
#include <stddef.h>

#include "core/format.h"
#include "pdu/device.h"

/* The selected outlets: "N on|off" lines, or with json one document
 * {"target":...,"outlets":[{"outlet":N,"name":...,"state":...},...]}. */
void pdu_render_states(struct pk_buf *b, const char *target, const struct pdu *pdu,
                       const unsigned char *sel, int json);

/* "N accepted" for each selected outlet (switching with --no-wait), or
 * with json {"target":...,"outlets":[{"outlet":N,"accepted":true},...]}. */
void pdu_render_accepted(struct pk_buf *b, const char *target, const struct pdu *pdu,
                         const unsigned char *sel, int json);

/* "N NAME" for a renamed outlet, or with json
 * {"target":...,"outlets":[{"outlet":N,"name":...}]}. */
void pdu_render_name(struct pk_buf *b, const char *target, const struct pdu *pdu,
                     int outlet, int json);

/* Everything pdu_read_status read: "key: value" lines (text), one
 * JSON document, or metric families (prom). */
void pdu_render_status(struct pk_buf *b, const char *target, const struct pdu *pdu,
                       enum pk_format fmt);

/* The exposition of n PDUs' status, each family once: pdus[i] is what
 * was read from targets[i], or NULL when it could not be read (then
 * pductl_up 0 is all there is of it). */
void pdu_render_prom(struct pk_buf *b, const char *const *targets,
                     const struct pdu *const *pdus, size_t n);

/* The exposition of a PDU that could not be read: pductl_up 0 alone. */
void pdu_render_down(struct pk_buf *b, const char *target);

#endif
