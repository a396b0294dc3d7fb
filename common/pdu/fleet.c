/* fleet.c — see pdu/fleet.h. */
#include <stdlib.h>

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

void
pdu_fleet_run(struct pdu_fleet_item *items, size_t n, size_t parallel, int64_t timeout_ms)
{
	struct pk_task *tasks = calloc(n ? n : 1, sizeof *tasks);
	struct pdu_fleet_item **running = calloc(n ? n : 1, sizeof *running);
	size_t next = 0, nrun, i;

	if (tasks == NULL || running == NULL) {
		struct pk_err oom;
		pk_err_set(&oom, PK_ECOMM, "memory", "out of memory");
		for (i = 0; i < n; i++)
			item_end(&items[i], PK_ECOMM, &oom);
		free(tasks);
		free(running);
		return;
	}
	for (;;) {
		nrun = 0;
		for (i = 0; i < next; i++)
			if (items[i].state == 1)
				running[nrun++] = &items[i];
		while (nrun < parallel && next < n) {
			item_start(&items[next], timeout_ms);
			if (items[next].state == 1)
				running[nrun++] = &items[next];
			next++;
		}
		if (nrun == 0 && next == n)
			break;
		for (i = 0; i < nrun; i++)
			tasks[i] = pdu_read_task(&running[i]->rd);
		/* Every request ends itself at its own deadline; this bounds one
		 * poll only. */
		pk_poll_tasks(tasks, nrun, pk_now_ms() + timeout_ms);
		for (i = 0; i < nrun; i++)
			if (!running[i]->rd.running)
				item_end(running[i], running[i]->rd.rc, &running[i]->rd.err);
	}
	free(tasks);
	free(running);
}
