/* Unit tests for one poll loop driving several protocol handles at once:
 * two SNMP sessions (UDP) and two NUT connections (TCP), each with a
 * peer of its own that answers late, all from one thread.  The peers are
 * forked children on 127.0.0.1: the SNMP ones decode the request and
 * answer with an encoded reply; the slow one ignores the first try, so
 * the reply comes only to the retransmission (which must carry the same
 * request-id), and sends replies that are not ours first.  Done when
 * every handle has its answer and the whole took about as long as the
 * slowest peer, not the sum of all four. */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/net.h"
#include "core/session.h"
#include "nut/client.h"
#include "snmp/snmp.h"
#include "loopback.h"
#include "tap.h"

#define SYS_NAME "1.3.6.1.2.1.1.5.0"

/* Peer delays (ms): the slow SNMP peer's is counted from the
 * retransmission, which comes a try's share of the time after the first
 * send. */
#define SNMP_FAST_MS 100
#define SNMP_SLOW_MS 300
#define NUT_FAST_MS 50
#define NUT_SLOW_MS 600

static pid_t children[8];
static int nchildren;

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Sends a GET's reply: version and request-id as given, the asked OID
 * with text as an OCTET STRING. */
static void
snmp_reply(int fd, const struct sockaddr *to, socklen_t tolen, int version, int32_t id,
           const struct snmp_vb *asked, const char *text)
{
	struct snmp_vb *vb = calloc(1, sizeof *vb);
	struct pk_buf out = { 0 };

	vb->oid = asked->oid;
	snmp_vb_set_string(vb, text);
	if (snmp_encode(&out, version, "public", SNMP_PDU_RESPONSE, id, 0, 0, vb, 1) == 0)
		sendto(fd, out.data, out.len, 0, to, tolen);
	pk_buf_free(&out);
	free(vb);
}

/* The SNMP peer: answers every GET with text after delay_ms.  A slow
 * peer drops the first datagram; to the second it first sends a reply
 * with a wrong request-id and one of the wrong version, then the real
 * one, but only when the second carries the first one's request-id. */
static void
snmp_peer(int fd, int delay_ms, int slow, const char *text)
{
	struct snmp_vb *vbs = calloc(4, sizeof *vbs);
	uint8_t buf[4096];
	int32_t first_id = 0;
	int seen = 0;

	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		struct snmp_msg m;
		const char *why;
		ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);

		if (n <= 0 || snmp_decode(buf, (size_t)n, &m, vbs, 4, &why) != 0 || m.nvb < 1)
			continue;
		if (seen++ == 0)
			first_id = m.request_id;
		if (slow && seen == 1)
			continue;
		if (slow && m.request_id != first_id)
			continue;  /* a retransmission with a new id gets nothing */
		sleep_ms(delay_ms);
		if (slow) {
			snmp_reply(fd, (struct sockaddr *)&from, fl, m.version, m.request_id + 7,
			           &vbs[0], "not ours");
			snmp_reply(fd, (struct sockaddr *)&from, fl, m.version == SNMP_V1 ? SNMP_V2C :
			           SNMP_V1, m.request_id, &vbs[0], "wrong version");
		}
		snmp_reply(fd, (struct sockaddr *)&from, fl, m.version, m.request_id, &vbs[0], text);
	}
}

/* The NUT peer: to each connection, answers one line after delay_ms. */
static void
nut_peer(int lfd, int delay_ms, const char *status)
{
	for (;;) {
		char line[512], reply[600];
		int c = accept(lfd, NULL, NULL);
		ssize_t n;

		if (c < 0)
			continue;
		n = read(c, line, sizeof line - 1);
		if (n > 0) {
			sleep_ms(delay_ms);
			snprintf(reply, sizeof reply, "VAR u ups.status \"%s\"\n", status);
			if (write(c, reply, strlen(reply)) < 0)
				break;
		}
		sleep_ms(200);
		close(c);
	}
}

/* Forks a peer on a fresh socket; port gets its number. */
static int
start_snmp_peer(char *port, size_t len, int delay_ms, int slow, const char *text)
{
	int fd = test_loopback_socket(AF_INET, SOCK_DGRAM, port, len);
	pid_t pid;

	if (fd < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		snmp_peer(fd, delay_ms, slow, text);
		_exit(0);
	}
	close(fd);
	children[nchildren++] = pid;
	return 0;
}

static int
start_nut_peer(char *port, size_t len, int delay_ms, const char *status)
{
	int fd = test_loopback_socket(AF_INET, SOCK_STREAM, port, len);
	pid_t pid;

	if (fd < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		nut_peer(fd, delay_ms, status);
		_exit(0);
	}
	close(fd);
	children[nchildren++] = pid;
	return 0;
}

static void
stop_peers(void)
{
	for (int i = 0; i < nchildren; i++) {
		kill(children[i], SIGTERM);
		waitpid(children[i], NULL, 0);
	}
	nchildren = 0;
}

/* A session to 127.0.0.1:port with the deadline; retries tries give the
 * first one a quarter of the time. */
static struct snmp_session *
snmp_session_to(const char *port, int64_t deadline, int retries)
{
	struct snmp_session *s = calloc(1, sizeof *s);
	struct pk_session_opts opts;
	struct pk_err err;

	pk_session_opts_set(&opts, deadline, NULL, NULL, NULL);
	snmp_init(s, &opts);
	s->version = SNMP_V2C;
	s->retries = retries;
	snprintf(s->community, sizeof s->community, "public");
	if (snmp_open(s, "127.0.0.1", port, &err) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

/* The text of the reply's first varbind, "" when there is none. */
static const char *
reply_text(struct snmp_session *s, size_t nvb, char *out, size_t len)
{
	size_t n = 0;

	if (nvb >= 1 && s->scratch[0].type == BER_OCTETS) {
		n = s->scratch[0].slen < len - 1 ? s->scratch[0].slen : len - 1;
		memcpy(out, s->scratch[0].v.s, n);
	}
	out[n] = '\0';
	return out;
}

static void
test_four_handles_one_loop(void)
{
	char sp_fast[16], sp_slow[16], np_fast[16], np_slow[16], text[64];
	int64_t start = pk_now_ms(), deadline = pk_deadline_in(2000), elapsed;
	struct snmp_session *fast, *slow;
	struct nut_client nut[2];
	struct pk_session_opts opts;
	struct snmp_vb *ask = calloc(1, sizeof *ask);
	const char *args[2] = { "u", "ups.status" };
	struct pk_task tasks[4];
	struct pk_err err;
	int nut_got[2] = { 0, 0 }, rc_fast = -1, rc_slow = -1;
	size_t n_fast = 0, n_slow = 0;

	TAP_OK(start_snmp_peer(sp_fast, sizeof sp_fast, SNMP_FAST_MS, 0, "fast-pdu") == 0 &&
	       start_snmp_peer(sp_slow, sizeof sp_slow, SNMP_SLOW_MS, 1, "slow-pdu") == 0 &&
	       start_nut_peer(np_fast, sizeof np_fast, NUT_FAST_MS, "OL") == 0 &&
	       start_nut_peer(np_slow, sizeof np_slow, NUT_SLOW_MS, "OB") == 0,
	       "four peers started");
	start = pk_now_ms();
	/* Three retries: the first try has 500 ms of the 2000. */
	fast = snmp_session_to(sp_fast, deadline, 3);
	slow = snmp_session_to(sp_slow, deadline, 3);
	TAP_OK(fast != NULL && slow != NULL, "two SNMP sessions open");
	if (fast == NULL || slow == NULL)
		return;
	ber_oid_parse(SYS_NAME, &ask->oid);
	ask->type = BER_NULL;
	TAP_OK(snmp_request_begin(fast, SNMP_PDU_GET, 0, 0, ask, 1, &err) == 0 &&
	       snmp_request_begin(slow, SNMP_PDU_GET, 0, 0, ask, 1, &err) == 0,
	       "both SNMP requests begun without waiting");
	TAP_OK(snmp_request_begin(fast, SNMP_PDU_GET, 0, 0, ask, 1, &err) == PK_ECOMM &&
	       strcmp(err.kind, "busy") == 0, "a second request on a busy session is refused");

	pk_session_opts_set(&opts, deadline, NULL, NULL, NULL);
	for (int i = 0; i < 2; i++) {
		nut_init(&nut[i], &opts);
		nut_begin(&nut[i], "127.0.0.1", i == 0 ? np_fast : np_slow, &err);
		nut_send(&nut[i], "GET VAR", 2, args, 0, &err);
	}
	tasks[0] = snmp_request_task(fast);
	tasks[1] = snmp_request_task(slow);
	tasks[2] = pk_conn_task(&nut[0].conn);
	tasks[3] = pk_conn_task(&nut[1].conn);
	while ((!snmp_request_done(fast) || !snmp_request_done(slow) || !nut_got[0] ||
	        !nut_got[1]) && pk_ms_left(deadline) > 0) {
		pk_poll_tasks(tasks, 4, deadline);
		for (int i = 0; i < 2; i++)
			if (!nut_got[i] && nut_poll_line(&nut[i], &err) != 0)
				nut_got[i] = 1;
	}
	elapsed = pk_now_ms() - start;
	if (snmp_request_done(fast))
		rc_fast = snmp_request_result(fast, &n_fast, &err);
	if (snmp_request_done(slow))
		rc_slow = snmp_request_result(slow, &n_slow, &err);

	TAP_OK(rc_fast == 0, "fast SNMP session answered");
	TAP_STREQ(reply_text(fast, n_fast, text, sizeof text), "fast-pdu", "fast reply's value");
	TAP_OK(rc_slow == 0, "slow SNMP session answered (to its retransmission)");
	TAP_STREQ(reply_text(slow, n_slow, text, sizeof text), "slow-pdu", "slow reply's value");
	TAP_OK(slow->stale == 2 && fast->stale == 0,
	       "replies with a wrong request-id or version were ignored");
	TAP_OK(nut_got[0] && nut[0].words.n == 4 && strcmp(nut[0].words.w[3], "OL") == 0,
	       "fast NUT connection answered");
	TAP_OK(nut_got[1] && nut[1].words.n == 4 && strcmp(nut[1].words.w[3], "OB") == 0,
	       "slow NUT connection answered");
	/* The slowest is the SNMP one: 500 ms to the retransmission, then
	 * 300 ms; one after the other the four would take 1550 ms. */
	TAP_OK(elapsed >= 500 + SNMP_SLOW_MS - 20,
	       "the slow SNMP reply came only after the retransmission (%lld ms)",
	       (long long)elapsed);
	TAP_OK(elapsed < 1200, "all four together took about the slowest, not the sum (%lld ms)",
	       (long long)elapsed);

	/* The blocking call is the same loop over one session. */
	TAP_OK(snmp_get(fast, ask, 1, 0, &err) == 0 && ask->type == BER_OCTETS &&
	       ask->slen == 8 && memcmp(ask->v.s, "fast-pdu", 8) == 0,
	       "snmp_get after the loop: same session, next request");
	for (int i = 0; i < 2; i++)
		nut_close(&nut[i]);
	snmp_close(fast);
	snmp_close(slow);
	free(fast);
	free(slow);
	free(ask);
	stop_peers();
}

/* A peer that never answers: the request ends by itself at the
 * session's deadline, after every try, with the snmp layer's message. */
static void
test_unanswered(void)
{
	char port[16];
	int fd = test_loopback_socket(AF_INET, SOCK_DGRAM, port, sizeof port);
	int64_t start = pk_now_ms();
	struct snmp_session *s = snmp_session_to(port, pk_deadline_in(400), 1);
	struct snmp_vb *ask = calloc(1, sizeof *ask);
	struct pk_err err;
	uint8_t buf[2048];
	int rc, tries = 0;

	ber_oid_parse(SYS_NAME, &ask->oid);
	ask->type = BER_NULL;
	rc = snmp_get(s, ask, 1, 0, &err);
	TAP_OK(rc == PK_ECOMM && strcmp(err.kind, "timeout") == 0, "no reply: PK_ECOMM timeout");
	TAP_OK(strstr(err.msg, "a wrong community looks exactly like this") != NULL,
	       "the unanswered message names the community");
	TAP_OK(pk_now_ms() - start >= 380, "it waited for the session's deadline");
	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		tries++;
	TAP_OK(tries == 2, "one retry: two datagrams sent (%d)", tries);
	snmp_close(s);
	free(s);
	free(ask);
	close(fd);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_four_handles_one_loop();
	test_unanswered();
	stop_peers();
	return TAP_DONE();
}
