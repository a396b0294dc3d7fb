/* oid.h — raw OID access on a PDU session, in the manner of
 * net-snmp's snmpget, snmpwalk and snmpset: requests checked in full
 * before the first datagram, results handed to a callback one varbind at
 * a time.  Nothing here prints. */
#ifndef PDU_OID_H
#define PDU_OID_H

#include <stddef.h>

#include "core/err.h"
#include "pdu/session.h"
#include "snmp/snmp.h"

enum pdu_oid_op { PDU_OID_GET, PDU_OID_WALK, PDU_OID_SET };

struct pdu_oid_req {
	enum pdu_oid_op op;
	size_t n;              /* varbinds: the OIDs to get, the walk root, the SET */
	struct snmp_vb *vbs;     /* owned; pdu_oid_free */
	/* walk: its settings (no_check_increasing, silence_ms, replied, which
	 * gets pdu_oid_run's ctx) and, after it, what it met (v1_end: SNMP
	 * v1's end of the MIB view, where snmpwalk prints "End of MIB") */
	struct snmp_walk walk;
};

/* Parses "get OID...", "walk OID" or "set OID TYPE VALUE" (argv[0] is
 * the verb) into req.  Returns 0, PK_EUSAGE naming what is wrong, or
 * PK_ECOMM "memory". */
int pdu_oid_parse(int argc, char *const *argv, struct pdu_oid_req *req,
                  struct pk_err *err);

void pdu_oid_free(struct pdu_oid_req *req);

/* Runs req on an opened session, choosing the version first
 * (pdu_sess_choose_raw; a get settles it with its own GET:
 * pdu_sess_get_raw), and calls fn for each varbind of the result, as
 * net-snmp's tools print them:
 * - get: every one asked for, a v2c exception included (snmpget prints
 *   it); on v1 the missing ones are left out (snmpget reports them on
 *   stderr); any missing one is PK_ENOTFOUND (snmpget exits 0 on v2c);
 * - walk: each one in the subtree as it arrives (snmp_walk, with
 *   req->walk), the closing endOfMibView included; an empty subtree is
 *   retried as a GET of the root, whose answer (an exception too) is
 *   passed on, and is not an error: snmpwalk exits 0;
 * - set: the SET once it was accepted.
 * A non-zero return from fn stops a walk and is returned. */
int pdu_oid_run(struct pdu_sess *ps, struct pdu_oid_req *req, pdu_vb_fn fn,
                void *ctx, struct pk_err *err);

#endif
