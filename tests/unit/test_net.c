/* Unit tests for core/net.c against sockets made in-process on loopback:
 * refused connects, silent peers, over-long lines, IPv6 literals,
 * unresolvable names, CRLF lines, and the deadline bound; and the poll
 * loop over many tasks that wait on timers alone. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/net.h"
#include "loopback.h"
#include "tap.h"

static void
test_refused(void)
{
	char port[8];
	int lfd = test_loopback_socket(AF_INET, SOCK_STREAM, port, sizeof port);
	struct pk_conn c;
	struct pk_err err;
	int rc;

	close(lfd);  /* nobody listens there now */
	pk_conn_init(&c);
	rc = pk_conn_open(&c, "127.0.0.1", port, SOCK_STREAM, pk_deadline_in(1000), &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "connect") == 0 &&
	       strstr(err.msg, "refused") != NULL, "refused connect is PK_ECOMM: %s", err.msg);
	pk_conn_close(&c);
}

static void
test_silent_peer_and_lines(void)
{
	char port[8];
	int lfd = test_loopback_socket(AF_INET, SOCK_STREAM, port, sizeof port), afd;
	struct pk_conn c;
	struct pk_err err;
	struct pk_buf line = { 0 };
	int64_t t0;
	int rc, got;

	pk_conn_init(&c);
	rc = pk_conn_open(&c, "127.0.0.1", port, SOCK_STREAM, pk_deadline_in(1000), &err);
	TAP_OK(rc == 0 && c.state == PK_CONN_OPEN, "connect to a listener");
	afd = accept(lfd, NULL, NULL);

	/* Silent peer: waiting for a line ends at the deadline. */
	t0 = pk_now_ms();
	got = 0;
	rc = 0;
	while (rc == 0 && !(got = pk_conn_take_line(&c, &line, 512)))
		rc = pk_conn_step(&c, t0 + 300, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "timeout") == 0, "silent peer times out");
	TAP_OK(pk_now_ms() - t0 < 1000, "timeout honoured (%lld ms)", (long long)(pk_now_ms() - t0));

	/* CRLF and LF lines, and a partial line kept for later. */
	pk_conn_close(&c);
	pk_conn_init(&c);
	close(afd);
	pk_conn_open(&c, "127.0.0.1", port, SOCK_STREAM, pk_deadline_in(1000), &err);
	afd = accept(lfd, NULL, NULL);
	if (write(afd, "one\r\ntwo\nthr", 12) != 12)
		return;
	t0 = pk_deadline_in(1000);
	while (!pk_conn_take_line(&c, &line, 512) && pk_conn_step(&c, t0, &err) == 0)
		;
	TAP_STREQ(pk_buf_str(&line), "one", "CRLF line");
	TAP_OK(pk_conn_take_line(&c, &line, 512) == 1 && strcmp(pk_buf_str(&line), "two") == 0,
	       "LF line");
	TAP_OK(pk_conn_take_line(&c, &line, 512) == 0, "partial line waits");

	/* A line longer than the bound is refused, not buffered forever. */
	{
		char big[4096];
		size_t sent = 0;
		memset(big, 'x', sizeof big);
		while (sent < 20000) {
			ssize_t n = write(afd, big, sizeof big);
			if (n <= 0)
				break;
			sent += (size_t)n;
		}
	}
	t0 = pk_deadline_in(1000);
	got = 0;
	while ((got = pk_conn_take_line(&c, &line, 8192)) == 0 && pk_conn_step(&c, t0, &err) == 0)
		;
	TAP_OK(got == -1, "over-long line detected");

	/* Queued writes reach the peer; a peer close is seen. */
	pk_conn_queue(&c, "PING\n", 5);
	TAP_OK(pk_conn_flush(&c, pk_deadline_in(1000), &err) == 0, "flush queued bytes");
	{
		char in[8] = { 0 };
		TAP_OK(read(afd, in, 5) == 5 && memcmp(in, "PING\n", 5) == 0, "peer got the bytes");
	}
	close(afd);
	t0 = pk_deadline_in(1000);
	while (!c.peer_closed && pk_conn_step(&c, t0, &err) == 0)
		;
	TAP_OK(c.peer_closed, "peer close seen");
	pk_conn_close(&c);
	pk_conn_close(&c);
	close(lfd);
	pk_buf_free(&line);
}

static void
test_ipv6_and_names(void)
{
	char port[8];
	int lfd = test_loopback_socket(AF_INET6, SOCK_STREAM, port, sizeof port);
	struct pk_conn c;
	struct pk_err err;
	int rc;

	pk_conn_init(&c);
	if (lfd < 0) {
		TAP_OK(1, "# SKIP no IPv6 loopback");
	} else {
		rc = pk_conn_open(&c, "::1", port, SOCK_STREAM, pk_deadline_in(1000), &err);
		TAP_OK(rc == 0, "IPv6 literal connects");
		close(lfd);
	}
	pk_conn_close(&c);

	pk_conn_init(&c);
	rc = pk_conn_open(&c, "no-such-host.invalid", "3493", SOCK_STREAM,
	                  pk_deadline_in(3000), &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "resolve") == 0 &&
	       strstr(err.msg, "no-such-host.invalid") != NULL, "unresolvable name: %s", err.msg);
	pk_conn_close(&c);

	pk_conn_init(&c);
	rc = pk_conn_open(&c, "127.0.0.1", "1", SOCK_DGRAM, pk_deadline_in(1000), &err);
	TAP_OK(rc == 0 && c.state == PK_CONN_OPEN && c.fd >= 0, "connected UDP socket");
	pk_conn_close(&c);
}

/* A task of the loop that waits on its timer alone (no fd), as an SNMP
 * request between tries does, and counts how it was handled. */
struct timer_task {
	int64_t at;        /* 0: done */
	int fired, idle;   /* handled at or after at; handled before it */
};

static short
timer_want(void *ctx, int *fd, int64_t *wake)
{
	struct timer_task *t = ctx;

	*fd = -1;
	*wake = t->at;
	return 0;
}

static int
timer_handle(void *ctx, short revents)
{
	struct timer_task *t = ctx;

	(void)revents;
	if (t->at == 0)
		return 0;
	if (pk_now_ms() < t->at) {
		t->idle++;
		return 0;
	}
	t->fired++;
	t->at = 0;
	return 0;
}

static void
test_poll_tasks(void)
{
	enum { N = 100 };
	static struct timer_task timers[N];
	struct pk_task ts[N];
	int64_t start = pk_now_ms(), deadline = pk_deadline_in(2000);
	int fired = 0, i, rounds = 0, rc;
	struct timer_task never = { 0, 0, 0 };

	for (i = 0; i < N; i++) {
		timers[i] = (struct timer_task){ start + 50 + (i % 4) * 50, 0, 0 };
		ts[i] = (struct pk_task){ timer_want, timer_handle, &timers[i] };
	}
	while (fired < N && pk_ms_left(deadline) > 0 && rounds++ < 50) {
		pk_poll_tasks(ts, N, deadline);
		for (fired = 0, i = 0; i < N; i++)
			fired += timers[i].fired;
	}
	TAP_OK(fired == N, "100 tasks (more than one poll array on the stack) all handled");
	TAP_OK(pk_now_ms() - start >= 200 && pk_now_ms() - start < 1500,
	       "timer-only tasks wake the loop at their times, not at the deadline");
	TAP_OK(rounds <= 10, "one poll per wake time, no busy loop (%d polls)", rounds);
	ts[0] = (struct pk_task){ timer_want, timer_handle, &never };
	start = pk_now_ms();
	rc = pk_poll_tasks(ts, 1, pk_deadline_in(1000));
	TAP_OK(rc == 0 && pk_now_ms() - start < 100, "nothing to wait for returns at once");
	timers[0] = (struct timer_task){ pk_now_ms() + 5000, 0, 0 };
	ts[0] = (struct pk_task){ timer_want, timer_handle, &timers[0] };
	rc = pk_poll_tasks(ts, 1, pk_deadline_in(100));
	TAP_OK(rc == PK_ECOMM && timers[0].idle == 1 && timers[0].fired == 0,
	       "the deadline before a task's wake time: PK_ECOMM, the task handled idle");
}

int
main(void)
{
	test_refused();
	test_silent_peer_and_lines();
	test_ipv6_and_names();
	test_poll_tasks();
	return TAP_DONE();
}
