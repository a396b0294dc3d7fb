#include "core/net.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"

#define PK_DEFAULT_MAX_IN (1024 * 1024)

/* ---- resolving with a deadline ------------------------------------ */

/* getaddrinfo() cannot be cancelled, so a lookup that may touch DNS runs
 * in a thread; when the deadline passes first, the thread is abandoned
 * and frees the job itself when it finally returns. */
struct resolve_job {
	pthread_mutex_t lock;
	pthread_cond_t done_cond;
	int done, abandoned, rc;
	char host[256], port[16];
	struct addrinfo hints;
	struct addrinfo *res;
};

static void
resolve_job_free(struct resolve_job *job)
{
	if (job->res)
		freeaddrinfo(job->res);
	pthread_cond_destroy(&job->done_cond);
	pthread_mutex_destroy(&job->lock);
	free(job);
}

static void *
resolve_thread(void *arg)
{
	struct resolve_job *job = arg;
	struct addrinfo *res = NULL;
	int rc, abandoned;

	rc = getaddrinfo(job->host, job->port, &job->hints, &res);
	pthread_mutex_lock(&job->lock);
	job->rc = rc;
	job->res = res;
	job->done = 1;
	abandoned = job->abandoned;
	pthread_cond_signal(&job->done_cond);
	pthread_mutex_unlock(&job->lock);
	if (abandoned)
		resolve_job_free(job);
	return NULL;
}

static int
resolve_numeric(const char *host, const char *port, const struct addrinfo *hints,
                struct addrinfo **res)
{
	struct addrinfo h = *hints;

	h.ai_flags |= AI_NUMERICHOST;
	return getaddrinfo(host, port, &h, res);
}

static int
resolve_error(struct pk_err *err, const char *host, int rc)
{
	return pk_err_set(err, PK_ECOMM, "resolve", "cannot resolve host '%s': %s",
	                  host, gai_strerror(rc));
}

int
pk_resolve(const char *host, const char *port, int socktype, int64_t deadline,
           struct addrinfo **res, struct pk_err *err)
{
	struct resolve_job *job;
	pthread_t tid;
	int rc;

	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = socktype;
	/* No AI_ADDRCONFIG: on a host with only loopback configured it hides
	 * ::1 and 127.0.0.1 alike; every address returned is tried anyway. */

	if (strlen(host) >= sizeof job->host || strlen(port) >= sizeof job->port)
		return pk_err_set(err, PK_EUSAGE, "usage", "host name too long");
	if (resolve_numeric(host, port, &hints, res) == 0)
		return 0;

	job = calloc(1, sizeof *job);
	if (job == NULL)
		return pk_err_set(err, PK_ECOMM, "resolve", "out of memory");
	pthread_mutex_init(&job->lock, NULL);
	pthread_cond_init(&job->done_cond, NULL);
	snprintf(job->host, sizeof job->host, "%s", host);
	snprintf(job->port, sizeof job->port, "%s", port);
	job->hints = hints;
	if (pthread_create(&tid, NULL, resolve_thread, job) != 0) {
		resolve_job_free(job);
		rc = getaddrinfo(host, port, &hints, res);
		return rc == 0 ? 0 : resolve_error(err, host, rc);
	}
	pthread_detach(tid);

	pthread_mutex_lock(&job->lock);
	while (!job->done && pk_ms_left(deadline) > 0) {
		struct timespec ts;
		int64_t wait_ms = pk_ms_left(deadline);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += wait_ms / 1000;
		ts.tv_nsec += (wait_ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&job->done_cond, &job->lock, &ts);
	}
	if (!job->done) {
		job->abandoned = 1;
		pthread_mutex_unlock(&job->lock);
		return pk_err_set(err, PK_ECOMM, "timeout",
		                  "timed out resolving host '%s'", host);
	}
	pthread_mutex_unlock(&job->lock);
	rc = job->rc;
	*res = job->res;
	job->res = NULL;
	resolve_job_free(job);
	return rc == 0 ? 0 : resolve_error(err, host, rc);
}

/* ---- connections --------------------------------------------------- */

void
pk_conn_init(struct pk_conn *c)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	c->max_in = PK_DEFAULT_MAX_IN;
}

static int
conn_fail(struct pk_conn *c, enum pk_status status, const char *kind,
          const char *what, int errnum)
{
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	c->state = PK_CONN_FAILED;
	c->errnum = errnum;
	if (errnum)
		return pk_err_set(&c->err, status, kind, "%s %s port %s: %s", what,
		                  c->host, c->port, strerror(errnum));
	return pk_err_set(&c->err, status, kind, "%s %s port %s", what, c->host, c->port);
}

static void
set_stream_options(int fd)
{
	int one = 1;

	/* Our own pipelined writes must not wait for ACKs (Nagle). */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* Starts a non-blocking connect to c->trying and the addresses after it.
 * Returns 0 when a connect is under way or done, else a status. */
static int
conn_try_next(struct pk_conn *c, int last_errno)
{
	while (c->trying != NULL) {
		struct addrinfo *ai = c->trying;
		int fd, left;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			last_errno = errno;
			c->trying = ai->ai_next;
			continue;
		}
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (ai->ai_socktype == SOCK_STREAM)
			set_stream_options(fd);
		left = pk_ms_left(c->deadline);
		c->attempt_deadline = c->deadline;
		if (ai->ai_next != NULL)
			c->attempt_deadline = pk_now_ms() + left / 2;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			c->fd = fd;
			c->state = PK_CONN_OPEN;
			return 0;
		}
		if (errno == EINPROGRESS) {
			c->fd = fd;
			c->state = PK_CONN_CONNECTING;
			return 0;
		}
		last_errno = errno;
		close(fd);
		c->trying = ai->ai_next;
	}
	return conn_fail(c, PK_ECOMM, "connect", "cannot connect to", last_errno);
}

int
pk_conn_begin(struct pk_conn *c, const char *host, const char *port,
              int socktype, int64_t deadline, struct pk_err *err)
{
	int rc;

	snprintf(c->host, sizeof c->host, "%s", host);
	snprintf(c->port, sizeof c->port, "%s", port);
	c->socktype = socktype;
	c->deadline = deadline;
	rc = pk_resolve(host, port, socktype, deadline, &c->addrs, &c->err);
	if (rc != 0) {
		c->state = PK_CONN_FAILED;
		if (err)
			*err = c->err;
		return rc;
	}
	c->trying = c->addrs;
	rc = conn_try_next(c, 0);
	if (rc != 0 && err)
		*err = c->err;
	return rc;
}

int
pk_conn_unsent(const struct pk_conn *c)
{
	if (c->state != PK_CONN_FAILED)
		return 0;
	if (strcmp(c->err.kind, "resolve") == 0)
		return 1;
	if (strcmp(c->err.kind, "connect") != 0)
		return 0;
	switch (c->errnum) {
	case ENETUNREACH: case EHOSTUNREACH: case EACCES: case EPERM:
	case EADDRNOTAVAIL: case EAFNOSUPPORT: case EMFILE: case ENFILE:
		return 1;
	default:
		return 0;  /* refused: the SYN went out and was answered */
	}
}

int
pk_conn_open(struct pk_conn *c, const char *host, const char *port,
             int socktype, int64_t deadline, struct pk_err *err)
{
	int rc = pk_conn_begin(c, host, port, socktype, deadline, err);

	while (rc == 0 && c->state == PK_CONN_CONNECTING)
		rc = pk_conn_step(c, deadline, err);
	return rc;
}

/* During the handshake TLS says what it waits for; after it, a read may
 * also wait for the socket to take a write (a TLS 1.3 key update). */
static short
conn_tls_events(const struct pk_conn *c)
{
	short ev;

	if (c->tls_handshaking)
		return pk_tls_events(c->tls);
	ev = c->peer_closed ? 0 : POLLIN;
	if (c->out.len > 0 || pk_tls_events(c->tls) == POLLOUT)
		ev |= POLLOUT;
	return ev;
}

short
pk_conn_events(const struct pk_conn *c)
{
	switch (c->state) {
	case PK_CONN_CONNECTING:
		return POLLOUT;
	case PK_CONN_OPEN:
		if (c->tls != NULL)
			return conn_tls_events(c);
		if (c->out.len > 0)
			return POLLIN | POLLOUT;
		return c->peer_closed ? 0 : POLLIN;
	default:
		return 0;
	}
}

static int
conn_finish_connect(struct pk_conn *c)
{
	int soerr = 0;
	socklen_t len = sizeof soerr;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0)
		soerr = errno;
	if (soerr == 0) {
		c->state = PK_CONN_OPEN;
		return 0;
	}
	close(c->fd);
	c->fd = -1;
	c->trying = c->trying->ai_next;
	return conn_try_next(c, soerr);
}

/* "HOST port PORT", for TLS messages. */
static const char *
conn_where(const struct pk_conn *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s port %s", c->host, c->port);
	return buf;
}

/* A TLS failure: c->err says why already. */
static int
conn_fail_tls(struct pk_conn *c)
{
	c->errnum = 0;
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	c->state = PK_CONN_FAILED;
	return c->err.status;
}

static int
conn_write_tls(struct pk_conn *c)
{
	char where[300];

	while (c->out.len > 0) {
		ssize_t n = pk_tls_write(c->tls, c->out.data, c->out.len,
		                         conn_where(c, where, sizeof where), &c->err);
		if (n == -1)
			return 0;
		if (n < 0)
			return conn_fail_tls(c);
		pk_buf_consume(&c->out, (size_t)n);
	}
	return 0;
}

static int
conn_write(struct pk_conn *c)
{
	if (c->tls != NULL)
		return conn_write_tls(c);
	while (c->out.len > 0) {
		ssize_t n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return conn_fail(c, PK_ECOMM, "send", "write to", errno);
		}
		pk_buf_consume(&c->out, (size_t)n);
	}
	return 0;
}

static void
rearm_quickack(int fd)
{
#ifdef TCP_QUICKACK
	/* upsd writes each reply line with its own write() and leaves Nagle
	 * on; once a connection has seen one request/reply exchange, Linux
	 * delays our ACK by 40 ms and every later LIST stalls that long
	 * (upsc pays it on each listing because it sends STARTTLS first).
	 * QUICKACK is not sticky, so it is re-armed before every read. */
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
	(void)fd;
#endif
}

/* Appends n received bytes to the input. */
static int
conn_take_input(struct pk_conn *c, const char *chunk, size_t n)
{
	if (c->in_off > 0 && c->in_off >= c->in.len / 2) {
		pk_buf_consume(&c->in, c->in_off);
		c->in_off = 0;
	}
	if (pk_buf_add(&c->in, chunk, n) != 0)
		return conn_fail(c, PK_ECOMM, "memory", "out of memory reading from", 0);
	return 0;
}

/* Reads what TLS has, at most PK_READ_MAX as in clear.  A chunk holds a
 * whole TLS record (16 KiB of data at most), so between calls nothing
 * decrypted waits inside TLS where poll() cannot see it; what waits in
 * the socket, poll() reports. */
static int
conn_read_tls(struct pk_conn *c)
{
	char chunk[16384], where[300];
	size_t got = 0;

	while (got < PK_READ_MAX) {
		ssize_t n;

		if (c->in.len - c->in_off > c->max_in)
			return conn_fail(c, PK_ECOMM, "overflow", "reply too large from", 0);
		rearm_quickack(c->fd);
		n = pk_tls_read(c->tls, chunk, sizeof chunk, conn_where(c, where, sizeof where),
		                &c->err);
		if (n > 0 && conn_take_input(c, chunk, (size_t)n) != 0)
			return c->err.status;
		if (n > 0)
			got += (size_t)n;
		if (n == 0)
			c->peer_closed = 1;
		if (n == 0 || n == -1)
			return 0;
		if (n < 0)
			return conn_fail_tls(c);
	}
	return 0;
}

static int
conn_read(struct pk_conn *c)
{
	char chunk[16384];
	size_t got = 0;

	if (c->tls != NULL)
		return conn_read_tls(c);
	/* At most PK_READ_MAX per call, even from a peer that never pauses:
	 * the owner then parses (and applies its budgets) before more is
	 * read; poll() reports the rest at once. */
	while (got < PK_READ_MAX) {
		ssize_t n;

		if (c->in.len - c->in_off > c->max_in)
			return conn_fail(c, PK_ECOMM, "overflow",
			                 "reply too large from", 0);
		if (c->socktype == SOCK_STREAM)
			rearm_quickack(c->fd);
		n = recv(c->fd, chunk, sizeof chunk, 0);
		if (n > 0) {
			got += (size_t)n;
			if (conn_take_input(c, chunk, (size_t)n) != 0)
				return c->err.status;
			if (c->socktype != SOCK_STREAM)
				return 0;
			continue;
		}
		if (n == 0) {
			c->peer_closed = 1;
			return 0;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == ECONNREFUSED && c->socktype == SOCK_DGRAM)
			return conn_fail(c, PK_ECOMM, "refused", "port unreachable at", 0);
		return conn_fail(c, PK_ECOMM, "recv", "read from", errno);
	}
	return 0;
}

/* One handshake step; done when tls_handshaking is cleared. */
static int
conn_handshake(struct pk_conn *c)
{
	char where[300];
	int rc = pk_tls_handshake(c->tls, conn_where(c, where, sizeof where), &c->err);

	if (rc == 1)
		return 0;
	if (rc != 0)
		return conn_fail_tls(c);
	c->tls_handshaking = 0;
	return 0;
}

int
pk_conn_start_tls(struct pk_conn *c, const struct pk_tls_opts *o, struct pk_err *err)
{
	size_t pending = c->in.len - c->in_off;
	int rc;

	if (c->state != PK_CONN_OPEN || c->peer_closed)
		return pk_err_set(err, PK_ECOMM, "closed",
		                  "%s port %s closed the connection before TLS", c->host, c->port);
	if (pending > 0) {
		/* A man in the middle may answer STARTTLS and add lines of its
		 * own, to be read as if they came inside TLS (CVE-2011-0411 in
		 * SMTP): whatever came before the handshake is refused. */
		pk_err_set(&c->err, PK_ECOMM, "tls",
		           "%s port %s sent %zu bytes in clear before the TLS handshake",
		           c->host, c->port, pending);
		conn_fail_tls(c);
		if (err)
			*err = c->err;
		return PK_ECOMM;
	}
	c->tls = pk_tls_new(c->fd, c->host, o, &c->err);
	if (c->tls == NULL) {
		conn_fail_tls(c);
		if (err)
			*err = c->err;
		return PK_ECOMM;
	}
	c->tls_handshaking = 1;
	rc = conn_handshake(c);
	if (rc != 0 && err)
		*err = c->err;
	return rc;
}

int
pk_conn_handle(struct pk_conn *c, short revents)
{
	int rc;

	if (c->state == PK_CONN_CONNECTING) {
		if (revents == 0)
			return 0;
		rc = conn_finish_connect(c);
		if (rc != 0 || c->state != PK_CONN_OPEN)
			return rc;
		revents = 0;  /* fall through to writes only */
	}
	if (c->state != PK_CONN_OPEN)
		return c->state == PK_CONN_FAILED ? c->err.status : 0;
	if (c->tls_handshaking) {
		if (revents == 0)
			return 0;
		rc = conn_handshake(c);
		if (rc != 0 || c->tls_handshaking)
			return rc;
		revents = POLLIN;  /* TLS may hold records that came with the last flight */
	}
	if (c->out.len > 0) {
		rc = conn_write(c);
		if (rc != 0)
			return rc;
	}
	/* TLS may need a read to go on when the socket became writable. */
	if (revents & (POLLIN | POLLHUP | POLLERR) || (c->tls != NULL && revents != 0))
		return conn_read(c);
	return 0;
}

/* A connect attempt that ran out of its share of time moves on to the
 * next address; the last one fails with a timeout. */
static int
conn_check_attempt(struct pk_conn *c)
{
	if (c->state != PK_CONN_CONNECTING || pk_now_ms() < c->attempt_deadline)
		return 0;
	close(c->fd);
	c->fd = -1;
	if (c->trying->ai_next != NULL && pk_ms_left(c->deadline) > 0) {
		c->trying = c->trying->ai_next;
		return conn_try_next(c, ETIMEDOUT);
	}
	c->state = PK_CONN_FAILED;
	return pk_err_set(&c->err, PK_ECOMM, "timeout",
	                  "timed out connecting to %s port %s", c->host, c->port);
}

/* ---- the poll loop ------------------------------------------------- */

static short
conn_task_want(void *ctx, int *fd, int64_t *wake)
{
	struct pk_conn *c = ctx;

	*fd = c->fd;
	*wake = c->state == PK_CONN_CONNECTING ? c->attempt_deadline : 0;
	return c->fd >= 0 ? pk_conn_events(c) : 0;
}

static int
conn_task_handle(void *ctx, short revents)
{
	struct pk_conn *c = ctx;

	return revents ? pk_conn_handle(c, revents) : conn_check_attempt(c);
}

struct pk_task
pk_conn_task(struct pk_conn *c)
{
	struct pk_task t = { conn_task_want, conn_task_handle, c };

	return t;
}

#define PK_POLL_STACK 64

int
pk_poll_tasks(const struct pk_task *ts, size_t n, int64_t deadline)
{
	struct pollfd stack_pfds[PK_POLL_STACK], *pfds = stack_pfds;
	size_t stack_map[PK_POLL_STACK], *map = stack_map;
	size_t i, nwait = 0;
	int64_t wake = deadline;
	int rc;

	if (n > PK_POLL_STACK) {
		pfds = malloc(n * sizeof *pfds);
		map = malloc(n * sizeof *map);
		if (pfds == NULL || map == NULL) {
			free(pfds);
			free(map);
			return PK_ECOMM;
		}
	}
	for (i = 0; i < n; i++) {
		int fd = -1;
		int64_t at = 0;
		short ev = ts[i].want(ts[i].ctx, &fd, &at);

		if (ev == 0 && at == 0)
			continue;
		if (at != 0 && at < wake)
			wake = at;
		/* poll() skips a negative fd: a task may wait on its timer alone. */
		pfds[nwait].fd = ev != 0 ? fd : -1;
		pfds[nwait].events = ev;
		pfds[nwait].revents = 0;
		map[nwait++] = i;
	}
	rc = 0;
	if (nwait > 0) {
		do {
			rc = poll(pfds, nwait, pk_ms_left(wake));
		} while (rc < 0 && errno == EINTR);
		for (i = 0; i < nwait; i++)
			ts[map[i]].handle(ts[map[i]].ctx, pfds[i].revents);
	}
	if (pfds != stack_pfds) {
		free(pfds);
		free(map);
	}
	if (nwait > 0 && rc == 0 && pk_ms_left(deadline) == 0)
		return PK_ECOMM;
	return 0;
}

void
pk_poll_fleet(const struct pk_fleet_ops *ops, void *ctx, size_t n, size_t parallel,
              int64_t poll_ms)
{
	struct pk_task one_task, *tasks = calloc(n ? n : 1, sizeof *tasks);
	size_t one_run, *running = calloc(n ? n : 1, sizeof *running);
	size_t next = 0, nrun = 0, i, j;

	if (tasks == NULL || running == NULL) {
		/* Short of memory: one item at a time still reads them all. */
		free(tasks);
		free(running);
		tasks = &one_task;
		running = &one_run;
		parallel = 1;
	}
	for (;;) {
		for (; nrun < parallel && next < n; next++)
			if (ops->start(ctx, next))
				running[nrun++] = next;
		if (nrun == 0)
			break;
		for (i = 0; i < nrun; i++)
			tasks[i] = ops->task(ctx, running[i]);
		pk_poll_tasks(tasks, nrun, pk_now_ms() + poll_ms);
		for (i = j = 0; i < nrun; i++)
			if (ops->advance(ctx, running[i]))
				running[j++] = running[i];
		nrun = j;
	}
	if (tasks != &one_task) {
		free(tasks);
		free(running);
	}
}

int
pk_conn_poll(struct pk_conn **cs, size_t n, int64_t deadline)
{
	struct pk_task stack_ts[PK_POLL_STACK] = { { 0 } }, *ts = stack_ts;
	size_t i;
	int rc;

	if (n == 0)
		return 0;
	if (n > PK_POLL_STACK && (ts = malloc(n * sizeof *ts)) == NULL)
		return PK_ECOMM;
	for (i = 0; i < n; i++)
		ts[i] = pk_conn_task(cs[i]);
	rc = pk_poll_tasks(ts, n, deadline);
	if (ts != stack_ts)
		free(ts);
	if (rc != PK_ECOMM)
		return rc;
	for (i = 0; i < n; i++) {
		struct pk_conn *c = cs[i];
		if (c->fd >= 0 && pk_conn_events(c) != 0 &&
		    (c->state == PK_CONN_OPEN || c->state == PK_CONN_CONNECTING)) {
			if (pk_stop_signal() != 0)
				pk_err_set(&c->err, PK_ECOMM, "stopped", "stopped by signal %d",
				           pk_stop_signal());
			else
				pk_err_set(&c->err, PK_ECOMM, "timeout", "timed out %s %s port %s",
				           c->tls_handshaking ? "in the TLS handshake with" : "waiting for",
				           c->host, c->port);
		}
	}
	return PK_ECOMM;
}

int
pk_conn_step(struct pk_conn *c, int64_t deadline, struct pk_err *err)
{
	struct pk_conn *one[1] = { c };
	int rc;

	if (c->state == PK_CONN_FAILED) {
		if (err)
			*err = c->err;
		return c->err.status;
	}
	rc = pk_conn_poll(one, 1, deadline);
	if (rc == 0 && c->state == PK_CONN_FAILED)
		rc = c->err.status;
	if (rc != 0 && err)
		*err = c->err;
	return rc;
}

int
pk_conn_queue(struct pk_conn *c, const void *p, size_t n)
{
	return pk_buf_add(&c->out, p, n) == 0 ? 0 : PK_ECOMM;
}

int
pk_conn_flush(struct pk_conn *c, int64_t deadline, struct pk_err *err)
{
	int rc = 0;

	while (rc == 0 && (c->out.len > 0 || c->state == PK_CONN_CONNECTING))
		rc = pk_conn_step(c, deadline, err);
	return rc;
}

int
pk_conn_take_line(struct pk_conn *c, struct pk_buf *line, size_t max_line)
{
	int rc = pk_buf_take_line(&c->in, &c->in_off, line, max_line);

	if (rc == 1 && c->in_off == c->in.len) {
		pk_buf_reset(&c->in);
		c->in_off = 0;
	}
	return rc;
}

const char *
pk_conn_pending(const struct pk_conn *c, size_t *len)
{
	*len = c->in.len - c->in_off;
	return c->in.data ? c->in.data + c->in_off : "";
}

void
pk_conn_consume(struct pk_conn *c, size_t n)
{
	size_t avail = c->in.len - c->in_off;

	c->in_off += n < avail ? n : avail;
	if (c->in_off == c->in.len) {
		pk_buf_reset(&c->in);
		c->in_off = 0;
	}
}

void
pk_conn_fail(struct pk_conn *c, const struct pk_err *why)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	pk_buf_reset(&c->in);
	c->in_off = 0;
	pk_buf_reset(&c->out);
	c->state = PK_CONN_FAILED;
	c->err = *why;
}

void
pk_conn_close(struct pk_conn *c)
{
	pk_tls_free(c->tls);
	c->tls = NULL;
	c->tls_handshaking = 0;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	if (c->addrs)
		freeaddrinfo(c->addrs);
	c->addrs = NULL;
	c->trying = NULL;
	pk_buf_free(&c->in);
	pk_buf_free(&c->out);
	c->in_off = 0;
	if (c->state != PK_CONN_FAILED)
		c->state = PK_CONN_CLOSED;
}
