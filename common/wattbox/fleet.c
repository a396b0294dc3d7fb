/* fleet.c — see wattbox/fleet.h. */
#include "core/clock.h"
#include "core/net.h"
#include "wattbox/fleet.h"

static void
item_end(struct wb_fleet_item *it, int rc, const struct pk_err *err)
{
	it->state = WB_ITEM_ENDED;
	it->rc = rc;
	if (rc != 0)
		it->err = *err;
	wb_close(&it->c);   /* a fleet may be larger than the fd limit */
}

/* Logged in: the read's first query goes out (or it ends at once). */
static void
item_read(struct wb_fleet_item *it)
{
	it->state = WB_ITEM_READING;
	wb_ip_read_init(&it->rd, &it->c, it->parts, it->spec, it->r);
	it->c.drv->read_begin(&it->rd);
	if (!it->rd.running)
		item_end(it, it->rd.rc, &it->rd.err);
}

/* Opens the item's client with its own deadline.  Telnet and SSH go on
 * with the connect and login in flight; HTTP has sent nothing yet (its
 * read starts with the telnet-port check). */
static void
item_start(struct wb_fleet_item *it, int64_t timeout_ms)
{
	int rc;

	it->opts.deadline = pk_now_ms() + timeout_ms;
	rc = wb_open_begin(&it->c, &it->cfg, &it->opts, &it->err);
	if (rc != 0) {
		it->state = WB_ITEM_ENDED;
		it->rc = rc;
		return;
	}
	if (it->c.s.op != WB_OP_NONE) {
		it->state = WB_ITEM_LOGIN;
	} else {
		item_read(it);
	}
}

/* After a poll: an item whose session operation ended moves on. */
static void
item_advance(struct wb_fleet_item *it)
{
	if (it->c.s.op != WB_OP_NONE)
		return;
	if (it->state == WB_ITEM_LOGIN) {
		if (it->c.s.rc != 0)
			item_end(it, it->c.s.rc, &it->c.s.err);
		else
			item_read(it);
		return;
	}
	it->c.drv->read_next(&it->rd);
	if (!it->rd.running)
		item_end(it, it->rd.rc, &it->rd.err);
}

static int
item_running(const struct wb_fleet_item *it)
{
	return it->state == WB_ITEM_LOGIN || it->state == WB_ITEM_READING;
}

/* The shared scheduler's view of the items (core/net.h). */
struct fleet_run {
	struct wb_fleet_item *items;
	int64_t timeout_ms;
};

static int
fleet_start(void *ctx, size_t i)
{
	struct fleet_run *fr = ctx;
	struct wb_fleet_item *it = &fr->items[i];

	if (it->state != WB_ITEM_WAITING)
		return 0;
	item_start(it, fr->timeout_ms);
	return item_running(it);
}

static struct pk_task
fleet_task(void *ctx, size_t i)
{
	struct wb_client *c = &((struct fleet_run *)ctx)->items[i].c;

	return c->drv->task(c);
}

static int
fleet_advance(void *ctx, size_t i)
{
	struct wb_fleet_item *it = &((struct fleet_run *)ctx)->items[i];

	item_advance(it);
	return item_running(it);
}

void
wb_fleet_run(struct wb_fleet_item *items, size_t n, size_t parallel, int64_t timeout_ms)
{
	static const struct pk_fleet_ops ops = { fleet_start, fleet_task, fleet_advance };
	struct fleet_run fr = { items, timeout_ms };

	/* Every session ends its own wait at its own deadline. */
	pk_poll_fleet(&ops, &fr, n, parallel, timeout_ms);
}
