/*
 * daemon/listen.c: the listening sockets of the DaemonPortOptions.
 *
 * listen_open() resolves Addr (a literal, a host name, or for
 * Family=local a socket path) and Port (a number or a service name),
 * binds with SO_REUSEADDR (IPV6_V6ONLY for inet6, so an inet and an
 * inet6 daemon can share a port), applies ReceiveSize/SendSize (the
 * accepted sockets inherit them) and listens with the Listen backlog.
 * Modifier O makes a failure non-fatal: the daemon is just skipped.  A
 * port in use is retried for up to ten seconds.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_log.h"
#include "sendmail/daemon/dint.h"

#define BIND_TRIES 40 /* 10 seconds */

/* Socket address for an IP daemon; false with a message in *why. */
static bool ip_address(struct dport *p, struct sockaddr_storage *ss, socklen_t *len,
                       const char **why, struct sm_arena *a)
{
	struct addrinfo hints, *res = NULL;
	const char *host = p->addr;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = p->family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if (host != NULL &&
	    (strcmp(host, "0") == 0 || *host == '\0' || strcmp(host, "INADDR_ANY") == 0))
		host = NULL;
	rc = getaddrinfo(host, p->port, &hints, &res);
	if (rc != 0 || res == NULL) {
		*why = sm_arena_printf(a, "cannot resolve %s port %s: %s", host ? host : "*",
		                       p->port, gai_strerror(rc));
		return false;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return true;
}

static bool local_address(struct dport *p, struct sockaddr_storage *ss, socklen_t *len,
                          const char **why, struct sm_arena *a)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;

	if (p->addr == NULL || strlen(p->addr) >= sizeof(un->sun_path)) {
		*why = "local daemon needs Addr=<socket path>";
		return false;
	}
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path, p->addr, strlen(p->addr) + 1);
	*len = sizeof(*un);
	(void)unlink(p->addr);
	return true;
}

/* Record ${daemon_addr} / ${daemon_port} from the bound address. */
static void note_bound(struct dport *p, struct sm_arena *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(p->fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	p->addr_text = addr_text((struct sockaddr *)&ss, a);
	if (ss.ss_family == AF_INET)
		p->port_text =
		    sm_arena_printf(a, "%d", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	else if (ss.ss_family == AF_INET6)
		p->port_text =
		    sm_arena_printf(a, "%d", ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
	else
		p->port_text = "0";
}

static int open_socket(struct dport *p, const struct sockaddr_storage *ss, socklen_t len)
{
	int one = 1, fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss->ss_family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (p->rcvbuf > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &p->rcvbuf, sizeof(int));
	if (p->sndbuf > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &p->sndbuf, sizeof(int));
	if (bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, p->backlog) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

bool listen_open(struct dport *p, struct sm_arena *a)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	const char *why = NULL;
	bool ok;

	memset(&ss, 0, sizeof(ss));
	ok = p->family == AF_UNIX ? local_address(p, &ss, &len, &why, a)
	                          : ip_address(p, &ss, &len, &why, a);
	/* like Sendmail's opendaemonsocket(), retry a port still in use for a while
	 * (after a SIGHUP re-exec, connections on it may linger) */
	for (int tries = 0; ok && tries < BIND_TRIES; tries++) {
		p->fd = open_socket(p, &ss, len);
		if (p->fd >= 0 || errno != EADDRINUSE)
			break;
		usleep(250000);
	}
	if (ok && p->fd < 0)
		why = sm_arena_printf(a, "cannot bind: %s", strerror(errno));
	if (p->fd < 0) {
		if (!dport_has(p, 'O'))
			sm_warn("daemon %s: %s", p->name, why != NULL ? why : "failed");
		return false;
	}
	note_bound(p, a);
	return true;
}
