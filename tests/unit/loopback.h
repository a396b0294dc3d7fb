/* loopback.h — for unit tests that need a peer: a socket bound to the
 * loopback address of family af (AF_INET or AF_INET6) on a free port,
 * listening when it is a stream socket.  port gets the port number.
 * Returns the socket, or -1 (nothing left open). */
#ifndef PK_TEST_LOOPBACK_H
#define PK_TEST_LOOPBACK_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
test_loopback_socket(int af, int type, char *port, size_t portlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd = socket(af, type, 0);

	memset(&ss, 0, sizeof ss);
	if (af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof *s4;
	}
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    (type == SOCK_STREAM && listen(fd, 4) != 0)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	len = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &len);
	snprintf(port, portlen, "%u", af == AF_INET6
	         ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
	         : ntohs(((struct sockaddr_in *)&ss)->sin_port));
	return fd;
}

#endif
