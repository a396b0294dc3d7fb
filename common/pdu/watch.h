/* pdu/watch.h — a PDU's change events (`pductl --watch`): each poll of a
 * PDU (its status read, or why it could not be read) turned into states
 * per key (core/watch.h), so an event fires only when a state changes.
 * The keys, their states and what sets them:
 *
 *   comm       COMMOK / COMMBAD          the PDU answered / could not be
 *                                        read (the note says why)
 *   outlet.N   OUTLET_ON / OUTLET_OFF    outlet N's state (values: the
 *                                        outlet's number and name); a
 *                                        state the PDU did not say keeps
 *                                        the one before
 *   bank.N     BANK_LOAD_NORMAL / _LOW / _NEAR_OVERLOAD / _OVERLOAD
 *                                        the load state bank N reports
 *                                        (values: the bank, its current);
 *                                        a state the profile does not
 *                                        name keeps the one before
 *   bank.N     BANK_TRIPPED              bank N's breaker tripped (its
 *                                        reset: the load state read next)
 *
 * Nothing here prints. */
#ifndef PDU_WATCH_H
#define PDU_WATCH_H

#include <time.h>

#include "core/err.h"
#include "core/watch.h"
#include "pdu/device.h"

/* Judges one poll of target: p when err->status is 0, else err.  sel
 * marks the outlets followed (NULL: every outlet).  The events (comm,
 * then outlets, then banks, each in number order) go to evs. */
void pdu_watch_poll(struct pk_watch *w, const char *target, const struct pdu *p,
                    const unsigned char *sel, const struct pk_err *err, time_t when,
                    struct pk_events *evs);

#endif
