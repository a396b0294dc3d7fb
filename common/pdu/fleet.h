/* fleet.h — many PDUs read at once from one thread: each PDU's read is
 * its chain of steps (pdu/device.h) on its own session, and one poll loop
 * drives them all, at most `parallel` in flight.  Each PDU gets the whole
 * timeout from when it starts, so a dead or silent one costs its own
 * timeout and nothing more.  Nothing here prints. */
#ifndef PDU_FLEET_H
#define PDU_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "pdu/session.h"

enum pdu_fleet_read {
	PDU_FLEET_STATUS,      /* detect, then everything status shows */
	PDU_FLEET_STATES       /* detect, then every outlet's name and state */
};

struct pdu_fleet_item {
	struct pdu_sess ps;    /* first: steps find the item from their session;
	                        * configured and pdu_sess_init'ed by the caller */
	const char *host, *port;
	enum pdu_fleet_read what;
	/* owned while it runs */
	struct pdu_read rd;
	int state;             /* 0 waiting, 1 running, 2 ended */
	int rc;                /* when ended: 0 or a status, with err */
	struct pk_err err;
};

/* Reads every item, at most parallel at once, each within timeout_ms of
 * its start; returns when all ended.  Sockets are closed as items end. */
void pdu_fleet_run(struct pdu_fleet_item *items, size_t n, size_t parallel,
                   int64_t timeout_ms);

#endif
