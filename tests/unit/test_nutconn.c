/* Unit tests for the NUT handle on real loopback sockets: two handles
 * driven from one poll loop, pipelined requests answered in order, LIST
 * framing (items, empty list, ERR instead of a list), a reply cut
 * short, an over-long line.  The "server" is this process: a listening
 * socket whose accepted ends are written with canned replies. */
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "nut/client.h"
#include "loopback.h"
#include "tap.h"

/* Connects a handle and accepts its server end. */
static int
pair(struct nut_client *c, int lfd, const char *port, int64_t deadline)
{
	struct pk_session_opts opts;
	struct pk_err err;

	pk_session_opts_set(&opts, deadline, NULL, NULL, NULL);
	nut_init(c, &opts);
	if (nut_connect(c, "127.0.0.1", port, &err) != 0)
		return -1;
	return accept(lfd, NULL, NULL);
}

/* Reads what the client sent (up to want lines) on the server end. */
static void
server_read(int fd, char *buf, size_t len, int want)
{
	size_t off = 0;
	int lines = 0;

	while (lines < want && off + 1 < len) {
		ssize_t n = read(fd, buf + off, len - off - 1);
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			lines += buf[off + (size_t)i] == '\n';
		off += (size_t)n;
	}
	buf[off] = '\0';
}

static void
write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void
test_two_handles_one_loop(int lfd, const char *port)
{
	struct nut_client a, b;
	struct pk_conn *cs[2] = { &a.conn, &b.conn };
	int64_t deadline = pk_deadline_in(3000);
	int sa = pair(&a, lfd, port, deadline), sb = pair(&b, lfd, port, deadline);
	const char *args[3] = { "u", "ups.status" };
	struct pk_err err;
	char got[512];
	int have_a = 0, have_b = 0, rc;

	TAP_OK(sa >= 0 && sb >= 0, "two handles connected");
	/* Three requests on a, one on b, each queued without waiting. */
	nut_send(&a, "GET VAR", 2, args, 0, &err);
	nut_send(&a, "VER", 0, NULL, 0, &err);
	args[1] = "battery.charge";
	nut_send(&a, "GET VAR", 2, args, 0, &err);
	nut_send(&b, "VER", 0, NULL, 0, &err);
	TAP_OK(a.pending == 3 && b.pending == 1, "requests counted as pending");
	while ((a.conn.out.len || b.conn.out.len) && pk_ms_left(deadline) > 0)
		pk_conn_poll(cs, 2, deadline);
	server_read(sa, got, sizeof got, 3);
	TAP_STREQ(got, "GET VAR u ups.status\nVER\nGET VAR u battery.charge\n",
	          "a's three requests arrived in order");
	server_read(sb, got, sizeof got, 1);
	TAP_STREQ(got, "VER\n", "b's request arrived");
	write_all(sb, "Network UPS Tools upsd 2.8.0\n");
	write_all(sa, "VAR u ups.status \"OL\"\nNetwork UPS Tools upsd 2.8.0\nERR VAR-NOT-SUPPORTED\n");
	/* One loop until both have their first reply. */
	while ((!have_a || !have_b) && pk_ms_left(deadline) > 0) {
		pk_conn_poll(cs, 2, deadline);
		if (!have_a && nut_poll_line(&a, &err) == 1)
			have_a = 1;
		if (!have_b && nut_poll_line(&b, &err) == 1)
			have_b = 1;
	}
	TAP_OK(have_a && have_b, "both replies taken from one poll loop");
	TAP_STREQ(a.words.w[3], "OL", "a's first reply is the first request's");
	TAP_STREQ(b.words.w[0], "Network", "b's reply");
	/* TAP_OK evaluates its condition twice: calls go before it. */
	rc = nut_reply(&a, "VER", &err);
	TAP_OK(rc == 0 && strcmp(a.words.w[4], "2.8.0") == 0, "a's second reply in order");
	rc = nut_reply(&a, "battery.charge", &err);
	TAP_OK(rc == PK_ENOTFOUND && strcmp(err.kind, "VAR-NOT-SUPPORTED") == 0,
	       "a's third reply: ERR mapped to 5");
	TAP_OK(a.pending == 0, "nothing pending");
	close(sa);
	close(sb);
	nut_close(&a);
	nut_close(&b);
}

static void
test_lists(int lfd, const char *port)
{
	struct nut_client c;
	int s = pair(&c, lfd, port, pk_deadline_in(3000)), done = 0, items = 0, rc;
	struct pk_err err;

	write_all(s, "BEGIN LIST VAR u\nVAR u a \"1\"\nVAR u b \"x y\"\nEND LIST VAR u\n"
	             "BEGIN LIST ENUM u v\nEND LIST ENUM u v\n"
	             "ERR UNKNOWN-UPS\n"
	             "BEGIN LIST VAR u\nVAR u a \"1\"\n");
	rc = nut_list_begin(&c, NULL, &err);
	TAP_OK(rc == 0, "BEGIN LIST taken");
	while ((rc = nut_list_next(&c, &done, &err)) == 0 && !done)
		items++;
	TAP_OK(rc == 0 && items == 2, "two items, then END LIST");
	rc = nut_list_begin(&c, NULL, &err);
	if (rc == 0)
		rc = nut_list_next(&c, &done, &err);
	TAP_OK(rc == 0 && done, "empty list is BEGIN + END");
	rc = nut_list_begin(&c, "x", &err);
	TAP_OK(rc == PK_ENOTFOUND && strcmp(err.kind, "UNKNOWN-UPS") == 0, "ERR in place of a list");
	rc = nut_list_begin(&c, NULL, &err);
	if (rc == 0)
		rc = nut_list_next(&c, &done, &err);
	TAP_OK(rc == 0 && !done, "list started");
	close(s);
	rc = nut_list_next(&c, &done, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "closed") == 0, "close mid-list is exit 3");
	nut_close(&c);
}

static void
test_hostile(int lfd, const char *port)
{
	struct nut_client c;
	int s = pair(&c, lfd, port, pk_deadline_in(3000));
	struct pk_err err;
	static char big[NUT_MAX_LINE * 3];
	int rc;

	memset(big, 'A', sizeof big - 2);
	big[sizeof big - 2] = '\n';
	write_all(s, big);
	rc = nut_read_line(&c, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "malformed") == 0, "over-long line refused");
	close(s);
	nut_close(&c);

	s = pair(&c, lfd, port, pk_deadline_in(300));
	rc = nut_read_line(&c, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "timeout") == 0,
	       "silent peer: timeout at the deadline");
	close(s);
	nut_close(&c);
}

int
main(void)
{
	char port[16];
	int lfd = test_loopback_socket(AF_INET, SOCK_STREAM, port, sizeof port);

	TAP_OK(lfd >= 0, "listening on loopback");
	if (lfd >= 0) {
		test_two_handles_one_loop(lfd, port);
		test_lists(lfd, port);
		test_hostile(lfd, port);
		close(lfd);
	}
	return TAP_DONE();
}
