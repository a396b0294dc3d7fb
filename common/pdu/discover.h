/* pdu/discover.h — finding switched PDUs: the probe of one address for
 * the discovery scheduler (core/probe.h).  It sends one GET of
 * sysObjectID.0, sysDescr.0 and sysName.0 with each community in turn,
 * over v2c and then v1 (each try gets its share of the probe's time),
 * and when an agent answers, the detection pductl always does (profile
 * and outlet count, pdu/session.h) over that version and community.
 * With an SNMPv3 user that GET goes first as that user: the engine
 * discovery (an empty GET with no user, whose usmStatsUnknownEngineIDs
 * report carries the engine ID, boots and time), then the GET with the
 * user's keys localised to that engine.  An agent that answers the
 * discovery but refuses the user (a usmStats report, or the silence
 * that answers a wrong privacy key) is kept with the reason.  Without a
 * user, an engine discovery may end the tries, so that agents that
 * speak SNMPv3 only are seen too (by their engine ID: without a user
 * nothing more can be asked).  Nothing is ever set.  Agents that are no
 * PDU are kept too, marked, for the caller to show or not.  Nothing
 * here prints. */
#ifndef PDU_DISCOVER_H
#define PDU_DISCOVER_H

#include <stddef.h>

#include "core/probe.h"
#include "core/trace.h"
#include "pdu/device.h"
#include "pdu/session.h"

/* An agent that answered. */
struct pdu_found {
	char host[256], port[8];
	size_t order;                  /* the address's place in the scan */
	const char *community;         /* the one it answered (the caller's); NULL over v3 */
	int version;                   /* SNMP_V2C, SNMP_V1 or SNMP_V3 */
	char engine_id[2 * SNMP_USM_ENGINE_MAX + 3];  /* v3: "0x" and hex */
	int v3_user;                   /* v3: answered the caller's user */
	char refused[256];             /* v3: answered the discovery, refused the user: why */
	const struct pdu_profile *prof;  /* NULL: no PDU pductl knows */
	int noutlets;
	char sysoid[256], sysdescr[128], sysname[128];
	char why[200];                 /* no profile: what detection said */
};

struct pdu_discover_slot;

struct pdu_discover {
	/* set by the caller */
	const char *port;
	const char *const *communities;  /* tried in order */
	size_t ncommunities;
	const struct snmp_usm *usm;      /* an SNMPv3 user tried first (its Ku keys), or NULL */
	int v3_engine;                   /* no user: an engine discovery after the communities */
	const struct pk_trace *trace;    /* -v, or NULL */
	void (*addr)(void *ctx, size_t i, char *out, size_t outlen);  /* address i */
	void *addr_ctx;
	/* every agent that answered, in address order after the run */
	struct pdu_found *found;
	size_t nfound, capfound;
	/* owned */
	struct pdu_discover_slot *slots;
	size_t nslots;
};

/* Makes room for parallel probes in flight.  0, or PK_ECOMM "memory". */
int pdu_discover_init(struct pdu_discover *d, size_t parallel, struct pk_err *err);

/* The probe's operations for pk_probe_run. */
struct pk_probe_ops pdu_discover_ops(struct pdu_discover *d);

/* Puts what was found in address order. */
void pdu_discover_sort(struct pdu_discover *d);

void pdu_discover_free(struct pdu_discover *d);

#endif
