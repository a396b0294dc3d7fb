/* wattbox/discover.h — finding WattBoxes: the probe of one address for
 * the discovery scheduler (core/probe.h), and never a login: a WattBox
 * locks its API after a few failed ones.
 *   telnet: connect and read, writing nothing at all, until the banner
 *     ("Please Login to Continue"), the prompt ("Username: ") or the
 *     lockout line ("API is locked ..."), or the probe's deadline.
 *   http (legacy WB-300/700): GET /wattbox_info.xml without
 *     credentials; a 401 whose realm names a WattBox, or the XML itself
 *     (its <hardware_version> is the model).
 * Nothing here prints. */
#ifndef WB_DISCOVER_H
#define WB_DISCOVER_H

#include <stddef.h>

#include "core/probe.h"
#include "core/trace.h"

struct wb_found {
	char host[256], port[8];
	size_t order;              /* the address's place in the scan */
	int http;                  /* found over HTTP */
	int locked;                /* telnet: the API said it is locked */
	char model[64];            /* http: <hardware_version>, else "" */
};

struct wb_discover_slot;

struct wb_discover {
	/* set by the caller */
	const char *port;
	int http;                        /* probe the legacy HTTP API */
	const struct pk_trace *trace;    /* -v, or NULL */
	void (*addr)(void *ctx, size_t i, char *out, size_t outlen);  /* address i */
	void *addr_ctx;
	/* the units found, in address order after the run */
	struct wb_found *found;
	size_t nfound, capfound;
	/* owned */
	struct wb_discover_slot *slots;
	size_t nslots;
};

/* Makes room for parallel probes in flight.  0, or PK_ECOMM "memory". */
int wb_discover_init(struct wb_discover *d, size_t parallel, struct pk_err *err);

/* The probe's operations for pk_probe_run. */
struct pk_probe_ops wb_discover_ops(struct wb_discover *d);

/* Puts what was found in address order. */
void wb_discover_sort(struct wb_discover *d);

void wb_discover_free(struct wb_discover *d);

#endif
