/* fuzz_wattbox — what a WattBox sends over the Integration Protocol
 * (wattbox/session.c, reader.c, integration.c): the telnet login on its
 * prompts, replies matched by name among echoes, `~` pushes and late
 * replies, the values of every read, then the renderings of what was
 * read (wattbox/render.c).  The device is a transport in memory that
 * hands over the input a few bytes at a time (the first byte says how
 * many), then reports the close: the session's machine runs on the poll
 * loop as with a socket, without one.  The second byte picks the
 * outlets read and an outlet action after the read.  Properties: JSON
 * and Prometheus output is valid UTF-8; text output is valid UTF-8
 * without control bytes but the newline and the TAB that separates its fields. */
#include "core/clock.h"
#include "wattbox/actions.h"
#include "wattbox/client.h"
#include "wattbox/render.h"
#include "fuzz.h"

struct device {
	const uint8_t *data;
	size_t size, pos, chunk;
};

static int
dev_send(void *ctx, const char *p, size_t n, struct pk_err *err)
{
	(void)ctx, (void)p, (void)n, (void)err;
	return 0;
}

/* Ready at once: the loop runs pump without waiting. */
static short
dev_want(void *ctx, int *fd, int64_t *wake)
{
	(void)ctx;
	*fd = -1;
	*wake = pk_now_ms();
	return 0;
}

static int
dev_pump(void *ctx, short revents, struct pk_buf *in, struct pk_err *err)
{
	struct device *d = ctx;
	size_t n = d->size - d->pos < d->chunk ? d->size - d->pos : d->chunk;

	(void)revents;
	if (n == 0)
		return pk_err_set(err, PK_ECOMM, "closed", "device closed the connection");
	pk_buf_add(in, d->data + d->pos, n);
	d->pos += n;
	return 0;
}

static int
dev_timeout(void *ctx, struct pk_err *err)
{
	(void)ctx;
	return pk_err_set(err, PK_ECOMM, "timeout", "timed out");
}

static int
dev_flush(void *ctx, int64_t deadline, struct pk_err *err)
{
	(void)ctx, (void)deadline, (void)err;
	return 0;
}

static void
dev_close(void *ctx)
{
	(void)ctx;
}

static const struct wb_io device_io = {
	dev_send, dev_want, dev_pump, dev_timeout, dev_flush, dev_close, NULL  /* logs in on prompts, as telnet */
};

static void
check_rendering(struct pk_buf *b, enum pk_format f)
{
	if (f == PK_FMT_TEXT)
		FUZZ_ASSERT(fuzz_text_clean(b->data, b->len));
	else
		FUZZ_ASSERT(fuzz_utf8_valid(b->data, b->len));
	pk_buf_reset(b);
}

static void
render(const struct wb_reading *r)
{
	struct wb_prom_unit unit = { "wb:23", 1, r };
	struct pk_buf b = { 0 };

	for (int f = PK_FMT_TEXT; f <= PK_FMT_JSON; f++) {
		if (r->have & WB_PART_INFO) {
			wb_render_info(&b, (enum pk_format)f, &r->info);
			check_rendering(&b, (enum pk_format)f);
		}
		if (r->have & WB_PART_STATUS) {
			wb_render_status(&b, (enum pk_format)f, &r->st, r->sel);
			check_rendering(&b, (enum pk_format)f);
		}
		if (r->have & WB_PART_POWER) {
			wb_render_power(&b, (enum pk_format)f, &r->power);
			check_rendering(&b, (enum pk_format)f);
		}
		if (r->have & WB_PART_UPS) {
			wb_render_ups(&b, (enum pk_format)f, &r->ups);
			check_rendering(&b, (enum pk_format)f);
		}
		if (r->have & WB_PART_PING) {
			wb_render_ping(&b, (enum pk_format)f, &r->ping);
			check_rendering(&b, (enum pk_format)f);
		}
	}
	wb_render_prom(&b, &unit, 1);
	check_rendering(&b, PK_FMT_PROM);
	pk_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const specs[] = { NULL, "1", "2-4,7", "all", "Outlet 1" };
	static const struct wb_config cfg = { WB_TELNET, "wb", "23", "wattbox", "wattbox",
	                                      0, 0, NULL, 0 };
	struct device dev;
	struct wb_client c;
	struct wb_reading r;
	struct pk_err err;
	int on;

	if (size < 2)
		return 0;
	dev = (struct device){ data + 2, size - 2, 0, (size_t)data[0] % 64 + 1 };
	memset(&c, 0, sizeof c);
	memset(&r, 0, sizeof r);
	c.opts.deadline = pk_deadline_in(10000);
	c.cfg = &cfg;
	c.drv = &wb_integration_driver;
	wb_session_init(&c.s, &device_io, &dev, &c.opts);
	c.s.cmd_ms = 1000;
	wb_login_start(&c.s, cfg.user, cfg.password);
	if (wb_session_wait(&c.s, &err) == 0) {
		wb_read(&c, WB_PART_INFO | WB_PART_STATUS | WB_PART_POWER | WB_PART_UPS | WB_PART_PING,
		        specs[data[1] % 5], &r, &err);
		render(&r);
		if (data[1] & 0x80)
			c.drv->outlet(&c, (data[1] >> 3) % 4, WB_RESET, data[1] & 0x40 ? 30 : 0, &err);
		else
			c.drv->autoreboot_get(&c, &on, &err);
	}
	wb_close(&c);
	return 0;
}
