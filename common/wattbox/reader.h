/* reader.h — a read of a WattBox over the Integration Protocol (the
 * parts of wb_read: info, status, power, ups, ping) as a step machine on
 * its session: each query goes out when the one before it ended, so the
 * reads of many units run at once on one poll loop (wattbox/fleet.h).
 * The blocking reads (wb_read, and the integration driver's info,
 * status, power, ups and outlet power) drive the same machine alone.
 * The HTTP driver runs its reads (one request each) in the same struct,
 * through its own read_begin and read_next (client.h).
 * Nothing here prints; every failure is a struct pk_err whose status is
 * the exit code. */
#ifndef PK_WATTBOX_READER_H
#define PK_WATTBOX_READER_H

#include "wattbox/actions.h"

/* Besides the WB_PART_* of actions.h: info with a missing reply noted in
 * info.missing instead of failing (the driver's info). */
#define WB_READ_RAW_INFO 0x100u

struct wb_ip_read {
	struct wb_client *c;
	unsigned parts;            /* WB_PART_*, WB_READ_RAW_INFO */
	const char *spec;          /* status: OUTLETS (NULL: every outlet) */
	int metering;              /* status: ask the selected outlets' power */
	int one_outlet;            /* status: only this outlet's power (1-based; 0: off) */
	struct wb_reading *r;
	int step, i;               /* where it is: the step, the query or outlet in it */
	int names;                 /* status: how many outlet names came */
	double t0;                 /* ping: when ?Firmware went out */
	int running;               /* a query is in flight */
	int rc;                    /* once ended: 0 or a status, with err */
	struct pk_err err;
};

/* Sets rd up to read parts into r (r->have will say which parts were
 * read; the parts asked are cleared), every outlet metered; the caller
 * may change metering or one_outlet (with r->st's count, sel and
 * metered) before wb_ip_read_begin(). */
void wb_ip_read_init(struct wb_ip_read *rd, struct wb_client *c, unsigned parts,
                     const char *spec, struct wb_reading *r);

/* Sends the first query, or ends at once when there is none. */
void wb_ip_read_begin(struct wb_ip_read *rd);

/* Once the session's command ended (c->s.op is WB_OP_NONE): takes its
 * reply, then sends the next query or ends the read. */
void wb_ip_read_next(struct wb_ip_read *rd);

/* Drives a started read with its session's task alone until it ended;
 * its rc, with err. */
int wb_ip_read_wait(struct wb_ip_read *rd, struct pk_err *err);

#endif
