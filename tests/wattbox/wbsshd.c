/* wbsshd.c — a small SSH server for the wattctl tests, built on libssh's
 * server API (OpenSSH's sshd would need a real system account with a
 * password for password authentication, which a test should not create).
 *
 *   wbsshd [-d SECONDS] [-f SECONDS] STATE_DIR HOSTKEY USER PASSWORD SIM [SIM ARGS...]
 *   wbsshd -c PORT [-d SECONDS] [-f SECONDS] STATE_DIR HOSTKEY USER PASSWORD
 *
 * Listens on 127.0.0.1 (any free port, written to STATE_DIR/sshport),
 * forks per connection, accepts password authentication for USER only,
 * opens a session channel, accepts a shell request (a PTY request is
 * accepted and noted in STATE_DIR/log) and relays the channel to SIM run
 * with its arguments on stdin/stdout: the WattBox simulator in --stdio
 * mode, or with -c to a simulator already listening on 127.0.0.1:PORT
 * (wbsim.py --ssh-backend: no interpreter started per connection, so many
 * units connect at once quickly).  When the client closes the channel,
 * the simulator sees EOF.
 * A slow unit: -d waits before the key exchange of every connection (its
 * banner comes that late), -f before answering a wrong password (as
 * servers that slow down password guessing do). */
#include <errno.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *state_dir;
static double kex_delay, fail_delay;   /* -d, -f: seconds */
static int backend_port;               /* -c: relay to 127.0.0.1:PORT */

static void
pause_for(double seconds)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (time_t)seconds) * 1e9) };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void
note(const char *what)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/log", state_dir);
	f = fopen(path, "a");
	if (f != NULL) {
		fprintf(f, "sshd %s\n", what);
		fclose(f);
	}
}

static int
authenticate(ssh_session s, const char *user, const char *pass)
{
	ssh_message m;
	int failures = 0;

	while ((m = ssh_message_get(s)) != NULL) {
		if (ssh_message_type(m) == SSH_REQUEST_AUTH &&
		    ssh_message_subtype(m) == SSH_AUTH_METHOD_PASSWORD) {
			if (strcmp(ssh_message_auth_user(m), user) == 0 &&
			    strcmp(ssh_message_auth_password(m), pass) == 0) {
				ssh_message_auth_reply_success(m, 0);
				ssh_message_free(m);
				note("auth ok");
				return 0;
			}
			pause_for(fail_delay);
			note("auth failed");
			failures++;
		}
		ssh_message_auth_set_methods(m, SSH_AUTH_METHOD_PASSWORD);
		ssh_message_reply_default(m);
		ssh_message_free(m);
		if (failures >= 3)
			break;
	}
	return -1;
}

static ssh_channel
open_shell(ssh_session s)
{
	ssh_channel ch = NULL;
	ssh_message m;

	while ((m = ssh_message_get(s)) != NULL) {
		int type = ssh_message_type(m), sub = ssh_message_subtype(m);

		if (ch == NULL && type == SSH_REQUEST_CHANNEL_OPEN && sub == SSH_CHANNEL_SESSION) {
			ch = ssh_message_channel_request_open_reply_accept(m);
		} else if (ch != NULL && type == SSH_REQUEST_CHANNEL &&
		           (sub == SSH_CHANNEL_REQUEST_SHELL || sub == SSH_CHANNEL_REQUEST_PTY ||
		            sub == SSH_CHANNEL_REQUEST_ENV)) {
			note(sub == SSH_CHANNEL_REQUEST_PTY ? "pty requested" :
			     sub == SSH_CHANNEL_REQUEST_SHELL ? "shell" : "env");
			ssh_message_channel_request_reply_success(m);
			if (sub == SSH_CHANNEL_REQUEST_SHELL) {
				ssh_message_free(m);
				return ch;
			}
		} else {
			ssh_message_reply_default(m);
		}
		ssh_message_free(m);
	}
	return NULL;
}

/* Moves bytes both ways until either side ends. */
static void
relay(ssh_session s, ssh_channel ch, int to_sim, int from_sim)
{
	char buf[4096];

	for (;;) {
		struct pollfd p[2] = { { ssh_get_fd(s), POLLIN, 0 }, { from_sim, POLLIN, 0 } };
		int n;

		if (ssh_channel_poll(ch, 0) == 0 && !ssh_channel_is_eof(ch))
			poll(p, 2, 1000);
		n = ssh_channel_read_nonblocking(ch, buf, sizeof buf, 0);
		if (n > 0 && write(to_sim, buf, (size_t)n) != n)
			return;
		if (n < 0 || ssh_channel_is_eof(ch) || !ssh_channel_is_open(ch))
			return;
		if (p[1].revents) {
			n = (int)read(from_sim, buf, sizeof buf);
			if (n <= 0)
				return;
			ssh_channel_write(ch, buf, (uint32_t)n);
		}
	}
}

/* The running simulator's socket (-c), both ways; -1 on failure. */
static int
connect_backend(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(backend_port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
serve(ssh_session s, const char *user, const char *pass, char **sim)
{
	int in[2], out[2];
	ssh_channel ch;
	pid_t pid = -1;

	pause_for(kex_delay);
	if (ssh_handle_key_exchange(s) != SSH_OK || authenticate(s, user, pass) != 0)
		return;
	ch = open_shell(s);
	if (ch == NULL)
		return;
	if (backend_port > 0) {
		in[1] = out[0] = connect_backend();
		if (in[1] < 0)
			return;
	} else {
		if (pipe(in) != 0 || pipe(out) != 0)
			return;
		pid = fork();
		if (pid == 0) {
			dup2(in[0], 0);
			dup2(out[1], 1);
			close(in[1]);
			close(out[0]);
			execvp(sim[0], sim);
			_exit(127);
		}
		close(in[0]);
		close(out[1]);
	}
	relay(s, ch, in[1], out[0]);
	if (backend_port > 0)
		shutdown(in[1], SHUT_WR);   /* the simulator sees EOF and ends its session */
	close(in[1]);                   /* likewise */
	if (pid > 0)
		waitpid(pid, NULL, 0);
	ssh_channel_send_eof(ch);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
}

static int
write_port(ssh_bind b)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	char path[1024], tmp[1040];
	FILE *f;

	if (getsockname(ssh_bind_get_fd(b), (struct sockaddr *)&a, &len) != 0)
		return -1;
	snprintf(path, sizeof path, "%s/sshport", state_dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", ntohs(a.sin_port));
	fclose(f);
	return rename(tmp, path);
}

int
main(int argc, char **argv)
{
	ssh_bind b;
	unsigned port = 0;
	int opt;

	while ((opt = getopt(argc, argv, "+c:d:f:")) != -1) {
		if (opt == 'c')
			backend_port = atoi(optarg);
		else if (opt == 'd')
			kex_delay = atof(optarg);
		else if (opt == 'f')
			fail_delay = atof(optarg);
		else
			return 2;
	}
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < (backend_port > 0 ? 5 : 6)) {
		fprintf(stderr, "usage: wbsshd [-c PORT] [-d SECONDS] [-f SECONDS] STATE_DIR "
		        "HOSTKEY USER PASSWORD [SIM ARGS...]\n");
		return 2;
	}
	state_dir = argv[1];
	signal(SIGCHLD, SIG_DFL);
	ssh_init();
	b = ssh_bind_new();
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDADDR, "127.0.0.1");
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_BINDPORT, &port);
	ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY, argv[2]);
	if (ssh_bind_listen(b) != SSH_OK || write_port(b) != 0) {
		fprintf(stderr, "wbsshd: %s\n", ssh_get_error(b));
		return 1;
	}
	for (;;) {
		ssh_session s = ssh_new();
		pid_t pid;

		if (ssh_bind_accept(b, s) != SSH_OK) {
			ssh_free(s);
			continue;
		}
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		pid = fork();
		if (pid == 0) {
			ssh_bind_free(b);
			serve(s, argv[3], argv[4], argv + 5);
			ssh_disconnect(s);
			ssh_free(s);
			_exit(0);
		}
		ssh_free(s);
	}
}
