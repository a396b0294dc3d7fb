/* nut/scan.h — finding NUT servers: the probe of one address for the
 * discovery scheduler (core/probe.h).  It connects, sends VER, LIST UPS
 * and LOGOUT at once (pipelined) and nothing more, and reads the replies
 * with the client's own parsers when the server has closed (LOGOUT) or
 * said goodbye, or at the probe's deadline.  A server that lists its
 * UPSes, or refuses the list for want of a login, is found.  Nothing
 * here prints. */
#ifndef PK_NUT_SCAN_H
#define PK_NUT_SCAN_H

#include <stddef.h>

#include "core/probe.h"
#include "core/trace.h"
#include "nut/client.h"
#include "nut/pipeline.h"

/* A server found. */
struct nut_scan_server {
	char host[256], port[8];
	size_t order;              /* the address's place in the scan */
	char version[256];         /* VER's answer ("" when it has none) */
	int login_needed;          /* LIST UPS refused without a login */
	struct nut_kvlist ups;     /* each UPS: name, description */
};

struct nut_scan_slot;

struct nut_scan {
	/* set by the caller */
	const char *port;
	const struct pk_trace *trace;   /* -v, or NULL */
	void (*addr)(void *ctx, size_t i, char *out, size_t outlen);  /* address i */
	void *addr_ctx;
	/* the servers found, in address order after the run */
	struct nut_scan_server *found;
	size_t nfound, capfound;
	/* owned */
	struct nut_scan_slot *slots;
	size_t nslots;
};

/* Makes room for parallel probes in flight.  0, or PK_ECOMM "memory". */
int nut_scan_init(struct nut_scan *s, size_t parallel, struct pk_err *err);

/* The probe's operations for pk_probe_run. */
struct pk_probe_ops nut_scan_ops(struct nut_scan *s);

/* Puts the servers found in address order. */
void nut_scan_sort(struct nut_scan *s);

void nut_scan_free(struct nut_scan *s);

#endif
