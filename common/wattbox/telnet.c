/* telnet.c — the Integration Protocol over raw TCP (port 23).  The
 * device does no telnet negotiation at all, so none is sent (generic
 * telnet stacks that negotiate or write early fail to log in); stray IAC
 * sequences a middlebox may add are dropped on the way in. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/clock.h"
#include "core/net.h"
#include "wattbox/client.h"

static int
tn_send(void *ctx, const char *p, size_t n, struct pk_err *err)
{
	struct pk_conn *conn = ctx;

	if (pk_conn_queue(conn, p, n) != 0)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return 0;
}

static short
tn_want(void *ctx, int *fd, int64_t *wake)
{
	struct pk_conn *conn = ctx;
	struct pk_task t = pk_conn_task(conn);
	short ev = t.want(conn, fd, wake);

	/* A close or a failure is for the next pump to say, right away. */
	if (conn->peer_closed || conn->state == PK_CONN_FAILED)
		*wake = pk_now_ms();
	return ev;
}

static int
tn_pump(void *ctx, short revents, struct pk_buf *in, struct pk_err *err)
{
	struct pk_conn *conn = ctx;
	struct pk_task t = pk_conn_task(conn);
	size_t len, before = in->len;
	const char *p;

	t.handle(conn, revents);
	p = pk_conn_pending(conn, &len);
	pk_conn_consume(conn, wb_iac_strip((const unsigned char *)p, len, in));
	if (in->len > before)
		return 0;
	if (conn->state == PK_CONN_FAILED) {
		*err = conn->err;
		return err->status;
	}
	if (conn->peer_closed)
		return pk_err_set(err, PK_ECOMM, "closed", "device closed the connection");
	return 0;
}

static int
tn_timeout(void *ctx, struct pk_err *err)
{
	struct pk_conn *conn = ctx;

	return pk_err_set(err, PK_ECOMM, "timeout", "timed out waiting for %s port %s",
	                  conn->host, conn->port);
}

static int
tn_flush(void *ctx, int64_t deadline, struct pk_err *err)
{
	return pk_conn_flush(ctx, deadline, err);
}

static void
tn_close(void *ctx)
{
	struct pk_conn *conn = ctx;

	pk_conn_close(conn);
	free(conn);
}

static const struct wb_io tn_io = { tn_send, tn_want, tn_pump, tn_timeout, tn_flush, tn_close, NULL };

int
wb_telnet_begin(struct wb_client *c, struct pk_err *err)
{
	struct pk_conn *conn = malloc(sizeof *conn);
	int rc;

	if (conn == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	pk_conn_init(conn);
	wb_session_init(&c->s, &tn_io, conn, &c->opts);
	c->drv = &wb_integration_driver;
	pk_trace(&c->opts.trace, '*', "connecting to %s port %s", c->cfg->host, c->cfg->port);
	rc = pk_conn_begin(conn, c->cfg->host, c->cfg->port, SOCK_STREAM, c->opts.deadline, err);
	if (rc == 0)
		wb_login_start(&c->s, c->cfg->user, c->cfg->password);
	return rc;
}
