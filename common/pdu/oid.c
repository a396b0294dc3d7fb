/* oid.c — see pdu/oid.h. */
#include <stdlib.h>
#include <string.h>

#include "pdu/oid.h"

#include "core/clock.h"

/* The verb's operation, when argc words (verb included) suit it. */
static int
parse_op(int argc, char *const *argv, enum pdu_oid_op *op)
{
	if (argc < 2)
		return -1;
	if (strcmp(argv[0], "get") == 0)
		*op = PDU_OID_GET;
	else if (strcmp(argv[0], "walk") == 0 && argc == 2)
		*op = PDU_OID_WALK;
	else if (strcmp(argv[0], "set") == 0 && argc == 4)
		*op = PDU_OID_SET;
	else
		return -1;
	return 0;
}

/* A one-arc OID (".1") names the whole subtree, which a walk needs; a GET
 * or SET names an object, and on the wire ".1" is sent as 1.0 (BER joins
 * the first two arcs), so the reply is matched against that. */
static void
object_form(struct ber_oid *o)
{
	if (o->n == 1)
		ber_oid_append(o, 0);
}

int
pdu_oid_parse(int argc, char *const *argv, struct pdu_oid_req *req,
              struct pk_err *err)
{
	int rc = 0;

	if (parse_op(argc, argv, &req->op) != 0)
		return pk_err_set(err, PK_EUSAGE, "usage",
		                  "oid get OID... | oid walk OID | oid set OID TYPE VALUE");
	req->n = req->op == PDU_OID_SET ? 1 : (size_t)argc - 1;
	req->vbs = calloc(req->n, sizeof *req->vbs);
	if (req->vbs == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	for (size_t i = 0; rc == 0 && i < req->n; i++) {
		if (ber_oid_parse(argv[1 + i], &req->vbs[i].oid) != 0)
			rc = pk_err_set(err, PK_EUSAGE, "usage", "'%s' is not a numeric OID",
			                argv[1 + i]);
		else if (req->op != PDU_OID_WALK)
			object_form(&req->vbs[i].oid);
		req->vbs[i].type = BER_NULL;
	}
	if (rc == 0 && req->op == PDU_OID_SET)
		rc = snmp_vb_parse_value(&req->vbs[0], argv[2], argv[3], err);
	return rc;
}

void
pdu_oid_free(struct pdu_oid_req *req)
{
	free(req->vbs);
	req->vbs = NULL;
	req->n = 0;
}

static int
oid_get(struct pdu_sess *ps, struct pdu_oid_req *req,
        pdu_vb_fn fn, void *ctx, struct pk_err *err)
{
	int missing = 0;
	int rc = pdu_sess_get_raw(ps, req->vbs, req->n, err);

	for (size_t i = 0; rc == 0 && i < req->n; i++) {
		int gone = snmp_vb_missing(&req->vbs[i]);

		/* v1 has no exceptions: a missing object failed the request,
		 * and snmpget prints only the others. */
		if (!gone || ps->s->version != SNMP_V1)
			fn(ctx, &req->vbs[i]);
		missing += gone;
	}
	if (rc == 0 && missing > 0)
		rc = pk_err_set(err, PK_ENOTFOUND, "noSuchObject", "%d of %d objects not found",
		                missing, (int)req->n);
	return rc;
}

/* Like snmpwalk, an empty subtree is retried as a GET of the OID itself
 * (a leaf), and whatever that answers is printed, exceptions too (on v1
 * nothing: the GET fails with noSuchName); either way the walk is done. */
static int
walk_once(struct pdu_sess *ps, struct pdu_oid_req *req, pdu_vb_fn fn, void *ctx,
          struct pk_err *err)
{
	struct snmp_vb *root = &req->vbs[0];
	int rc = snmp_walk(ps->s, &root->oid, &req->walk, fn, ctx, err);

	if (rc != 0 || req->walk.count > 0)
		return rc;
	if (req->walk.silence_ms > 0)
		ps->s->opts.deadline = pk_now_ms() + req->walk.silence_ms;
	object_form(&root->oid);
	rc = snmp_get(ps->s, root, 1, SNMP_LENIENT, err);
	if (rc == 0 && (!snmp_vb_missing(root) || ps->s->version != SNMP_V1))
		rc = fn(ctx, root);
	return rc;
}

/* Not told the version, the walk's first request goes over v2c and
 * waits half the time (the silence allowed, or the time left); when that
 * gets no answer, the walk starts again over v1, as a GET does
 * (pdu_sess_get_raw): no probe of sysObjectID first, one round trip
 * fewer, as snmpwalk -v2c.  Nothing was printed then: a walk that got no
 * reply passed nothing to fn. */
static int
oid_walk(struct pdu_sess *ps, struct pdu_oid_req *req, pdu_vb_fn fn, void *ctx,
         struct pk_err *err)
{
	int trying = pdu_sess_raw_try_v2c(ps);
	int64_t wait = req->walk.silence_ms > 0 ? req->walk.silence_ms :
	               pk_ms_left(ps->s->opts.deadline);
	int rc;

	req->walk.first_wait_ms = trying ? (wait + 1) / 2 : 0;
	rc = walk_once(ps, req, fn, ctx, err);
	if (trying && req->walk.count == 0 && pdu_sess_raw_v2c_unanswered(ps, rc, err)) {
		req->walk.first_wait_ms = 0;
		rc = walk_once(ps, req, fn, ctx, err);
	}
	return rc;
}

int
pdu_oid_run(struct pdu_sess *ps, struct pdu_oid_req *req, pdu_vb_fn fn,
            void *ctx, struct pk_err *err)
{
	int rc;

	/* a GET and a walk settle the version themselves; a SET is never
	 * sent twice, so the version is proved first */
	if (req->op == PDU_OID_GET)
		return oid_get(ps, req, fn, ctx, err);
	if (req->op == PDU_OID_WALK)
		return oid_walk(ps, req, fn, ctx, err);
	rc = pdu_sess_choose_raw(ps, err);
	if (rc != 0)
		return rc;
	rc = pdu_sess_set(ps, &req->vbs[0], err);
	if (rc == 0)
		fn(ctx, &req->vbs[0]);
	return rc;
}
