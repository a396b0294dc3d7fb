/* telnet.c — the Integration Protocol over raw TCP (port 23).  The
 * device does no telnet negotiation at all, so none is sent (generic
 * telnet stacks that negotiate or write early fail to log in); stray IAC
 * sequences a middlebox may add are dropped on the way in. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/net.h"
#include "wattbox/client.h"

static int
tn_write(void *ctx, const char *p, size_t n, int64_t deadline, struct pk_err *err)
{
	struct pk_conn *conn = ctx;

	if (pk_conn_queue(conn, p, n) != 0)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	return pk_conn_flush(conn, deadline, err);
}

static int
tn_read(void *ctx, struct pk_buf *in, int64_t deadline, struct pk_err *err)
{
	struct pk_conn *conn = ctx;

	for (;;) {
		size_t len, before = in->len;
		const char *p = pk_conn_pending(conn, &len);

		pk_conn_consume(conn, wb_iac_strip((const unsigned char *)p, len, in));
		if (in->len > before)
			return 0;
		if (conn->peer_closed)
			return pk_err_set(err, PK_ECOMM, "closed", "device closed the connection");
		int rc = pk_conn_step(conn, deadline, err);
		if (rc != 0)
			return rc;
	}
}

static void
tn_close(void *ctx)
{
	struct pk_conn *conn = ctx;

	pk_conn_close(conn);
	free(conn);
}

static const struct wb_io tn_io = { tn_write, tn_read, tn_close };

int
wb_telnet_open(struct wb_client *c, struct pk_err *err)
{
	struct pk_conn *conn = malloc(sizeof *conn);
	int rc;

	if (conn == NULL)
		return pk_err_set(err, PK_ECOMM, "memory", "out of memory");
	pk_conn_init(conn);
	wb_session_init(&c->s, &tn_io, conn, &c->opts);
	pk_trace(&c->opts.trace, '*', "connecting to %s port %s", c->cfg->host, c->cfg->port);
	rc = pk_conn_open(conn, c->cfg->host, c->cfg->port, SOCK_STREAM, c->opts.deadline, err);
	if (rc == 0)
		rc = wb_login(&c->s, c->cfg->user, c->cfg->password, err);
	if (rc == 0)
		c->drv = &wb_integration_driver;
	return rc;
}
