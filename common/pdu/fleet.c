/* fleet.c — see pdu/fleet.h. */
#include "core/clock.h"
#include "core/net.h"
#include "pdu/fleet.h"

/* The item whose session a step runs on (ps is its first member). */
static struct pdu_fleet_item *
item_of(struct pdu_read *rd)
{
	return (struct pdu_fleet_item *)rd->ctx;
}

static void
states_after_names(struct pdu_read *rd, int rc)
{
	if (rc != 0) {
		pdu_read_return(rd, rc);
		return;
	}
	rd->sel = NULL;
	rd->with_pending = 0;
	pdu_step_states(rd, 0);
}

static void
after_detect(struct pdu_read *rd, int rc)
{
	if (rc != 0)
		pdu_read_return(rd, rc);
	else if (item_of(rd)->what == PDU_FLEET_STATUS)
		pdu_step_status(rd, 0);
	else
		pdu_read_call(rd, pdu_step_names, states_after_names);
}

static void
item_read(struct pdu_read *rd, int rc)
{
	(void)rc;
	pdu_read_call(rd, pdu_sess_step_detect, after_detect);
}

static void
item_end(struct pdu_fleet_item *it, int rc, const struct pk_err *err)
{
	it->state = 2;
	it->rc = rc;
	if (rc != 0)
		it->err = *err;
	pdu_read_free(&it->rd);
	snmp_close(it->ps.s);   /* a fleet may be larger than the fd limit */
}

/* Opens the item's session with its own deadline and starts its read. */
static void
item_start(struct pdu_fleet_item *it, int64_t timeout_ms)
{
	int rc;

	it->state = 1;
	it->ps.s->opts.deadline = pk_now_ms() + timeout_ms;
	rc = pdu_sess_open(&it->ps, it->host, it->port, &it->err);
	if (rc != 0) {
		item_end(it, rc, &it->err);
		return;
	}
	pdu_sess_read_init(&it->ps, &it->rd);
	pdu_read_start(&it->rd, item_read);
	if (!it->rd.running)
		item_end(it, it->rd.rc, &it->rd.err);
}

/* The shared scheduler's view of the items (core/net.h). */
struct fleet_run {
	struct pdu_fleet_item *items;
	int64_t timeout_ms;
};

static int
fleet_start(void *ctx, size_t i)
{
	struct fleet_run *fr = ctx;

	item_start(&fr->items[i], fr->timeout_ms);
	return fr->items[i].state == 1;
}

static struct pk_task
fleet_task(void *ctx, size_t i)
{
	return pdu_read_task(&((struct fleet_run *)ctx)->items[i].rd);
}

static int
fleet_advance(void *ctx, size_t i)
{
	struct pdu_fleet_item *it = &((struct fleet_run *)ctx)->items[i];

	if (!it->rd.running)
		item_end(it, it->rd.rc, &it->rd.err);
	return it->state == 1;
}

void
pdu_fleet_run(struct pdu_fleet_item *items, size_t n, size_t parallel, int64_t timeout_ms)
{
	static const struct pk_fleet_ops ops = { fleet_start, fleet_task, fleet_advance };
	struct fleet_run fr = { items, timeout_ms };

	/* Every request ends itself at its own deadline. */
	pk_poll_fleet(&ops, &fr, n, parallel, timeout_ms);
}
