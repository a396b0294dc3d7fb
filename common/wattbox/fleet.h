/* fleet.h — many WattBoxes read at once from one thread: each unit's
 * connect, login and read (wb_read's parts) are its session's machine
 * (wattbox/session.h, wattbox/reader.h), or its HTTP transfers over
 * libcurl's multi interface (http.c), and one poll loop drives them
 * all, at most `parallel` units in flight.  Each unit gets the whole
 * timeout from when it starts, so a dead or silent one costs its own
 * timeout and nothing more.  SSH runs on the loop from the TCP connect
 * on, its key exchange, host key check, authentication and shell
 * included.  Nothing here prints. */
#ifndef PK_WATTBOX_FLEET_H
#define PK_WATTBOX_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/session.h"
#include "wattbox/reader.h"

struct wb_fleet_item {
	/* what to read, set by the caller */
	struct wb_config cfg;
	struct pk_session_opts opts;   /* trace and warning; the deadline is set at the start */
	unsigned parts;                /* WB_PART_* */
	const char *spec;              /* status: OUTLETS, NULL: every outlet */
	struct wb_reading *r;
	/* owned while it runs */
	struct wb_client c;
	struct wb_ip_read rd;
	int state;                     /* WB_ITEM_*: the caller may end one early */
	int rc;                        /* when ended: 0 or a status, with err */
	struct pk_err err;
};

enum { WB_ITEM_WAITING, WB_ITEM_LOGIN, WB_ITEM_READING, WB_ITEM_ENDED };

/* Reads every item that is not ended yet, at most parallel at once, each
 * within timeout_ms of its start; returns when all ended.  Connections
 * are closed (with !Exit) as items end. */
void wb_fleet_run(struct wb_fleet_item *items, size_t n, size_t parallel, int64_t timeout_ms);

#endif
