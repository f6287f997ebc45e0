/*
 * map/map_socket: the socket class, Sendmail's socketmap protocol.
 *
 *   Kname socket [-f] [-m] [-a..] [-T..] [-d<secs>] [-o] ENDPOINT
 *   ENDPOINT: local:/path | unix:/path | inet:port@host | inet6:port@host
 *
 * A lookup sends the netstring "NAME KEY" (NAME the map's name, KEY
 * folded to lower case unless -f) and reads one netstring "STATUS DATA":
 *   OK value    found (value rewritten, -a appended; -m returns the key)
 *   NOTFOUND    no match (68)
 *   TEMP, TIMEOUT   temporary failure (75)
 *   PERM        permanent failure (69)
 *   anything else   EX_PROTOCOL (76)
 * Maps declared with the same ENDPOINT text share one connection, with
 * the -d timeout (default 30 seconds, for connecting and for each reply)
 * of the map that connected it.  A timeout, a short or
 * malformed reply or the server closing the connection fails the lookup
 * (75) and closes the connection; the next lookup connects again.
 *
 * Messages as the reference prints them (when opening only for maps
 * without -o, except the "unsafe" one; always during lookups):
 *   socket map "X": local socket name PATH unsafe: No such file or directory
 *   socket map "X": unknown socket type T: Protocol not supported
 *   socket map "X": unknown port name P
 *   socket map "X": bad address A (expected port@host)
 *   socket map "X": Unknown host name H: Resource temporarily unavailable
 *   socket_map_lookup(X): read timeout: Resource temporarily unavailable
 *   socket_map_lookup(X): received only N of M reply characters: ...
 * A refused connection is silent (lookups temp-fail), as in the reference.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/map/map_int.h"

#define SOCKET_DEFAULT_TIMEOUT 30
#define SOCKET_MAX_REPLY       100000 /* longer replies are refused */
#define SOCKET_MAX_LENDIGITS   10

/* One connection, shared by every socket map with the same endpoint text. */
struct sock_conn {
	const char *spec;
	int fd; /* -1 when closed */
	int timeout_ms;
	struct sock_conn *next;
};

/* The registry's connections (one list per process is enough: a registry per run). */
static struct sock_conn *conns;

static void conn_close(struct sock_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static void conns_free(void *arg)
{
	for (struct sock_conn *c = conns; c != NULL; c = c->next)
		conn_close(c);
	conns = NULL;
}

/* Wait until fd is ready for events or the deadline; 1 ready, 0 timeout, -1 error. */
static int wait_fd(int fd, short events, const struct timespec *deadline)
{
	struct pollfd p = {fd, events, 0};
	struct timespec now;

	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long ms = (deadline->tv_sec - now.tv_sec) * 1000 +
		          (deadline->tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0)
			return 0;
		int n = poll(&p, 1, (int)ms);
		if (n >= 0 || errno != EINTR)
			return n > 0 ? 1 : n;
	}
}

static struct timespec deadline_in(int ms)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* Connect a non-blocking socket within the timeout; the fd or -1. */
static int connect_addr(int family, const struct sockaddr *sa, socklen_t len, int timeout_ms)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct timespec dl = deadline_in(timeout_ms);
	int err = 0;
	socklen_t elen = sizeof(err);

	if (fd < 0)
		return -1;
	if (connect(fd, sa, len) == 0)
		return fd;
	if (errno == EINPROGRESS && wait_fd(fd, POLLOUT, &dl) == 1 &&
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == 0 && err == 0)
		return fd;
	close(fd);
	return -1;
}

/* "local:/path": check the path as the reference does, then connect. */
static int open_local(struct map *m, const char *path, int timeout_ms)
{
	struct sockaddr_un sun;
	struct stat st;

	if (stat(path, &st) != 0) {
		/* printed even for -o maps, as the reference does */
		map_msg(m->reg, "socket map \"%s\": local socket name %s unsafe: %s", m->name, path,
		        strerror(errno));
		map_note_exit(m->reg, EX_OSERR);
		return -1;
	}
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	return connect_addr(AF_UNIX, (struct sockaddr *)&sun, sizeof(sun), timeout_ms);
}

/* An open failure message (non-optional maps only). */
static int open_fail(struct map *m, const char *fmt, const char *arg, const char *why)
{
	if (m->flags & MF_OPTIONAL)
		return -1;
	struct sm_buf b = SM_BUF_INIT;
	sm_buf_printf(&b, fmt, arg);
	if (why != NULL)
		sm_buf_printf(&b, ": %s", why);
	map_msg(m->reg, "socket map \"%s\": %s", m->name, sm_buf_str(&b));
	map_note_exit(m->reg, why != NULL ? EX_OSERR : EX_SOFTWARE);
	sm_buf_free(&b);
	return -1;
}

/* "inet:port@host" / "inet6:port@host". */
static int open_inet(struct map *m, const char *spec, int family, int timeout_ms)
{
	const char *at = strchr(spec, '@');
	struct addrinfo hints, *res = NULL;
	char *end;

	if (at == NULL)
		return open_fail(m, "bad address %s (expected port@host)", spec, NULL);
	char *port = sm_arena_memdup(map_arena(m), spec, (size_t)(at - spec));
	long pn = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || pn <= 0 || pn > 65535) {
		struct servent *se = getservbyname(port, "tcp");
		if (se == NULL)
			return open_fail(m, "unknown port name %s", port, NULL);
		pn = ntohs((uint16_t)se->s_port);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	int rc = getaddrinfo(at + 1, NULL, &hints, &res);
	if (rc != 0 || res == NULL)
		return open_fail(m, "Unknown host name %s", at + 1,
		                 strerror(rc == EAI_NONAME ? ENOENT : EAGAIN));
	int fd = -1;
	for (struct addrinfo *ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			((struct sockaddr_in *)ai->ai_addr)->sin_port = htons((uint16_t)pn);
		else if (ai->ai_family == AF_INET6)
			((struct sockaddr_in6 *)ai->ai_addr)->sin6_port = htons((uint16_t)pn);
		else
			continue;
		fd = connect_addr(ai->ai_family, ai->ai_addr, ai->ai_addrlen, timeout_ms);
	}
	freeaddrinfo(res);
	return fd;
}

/* Connect to the endpoint text; the fd or -1 (messages printed). */
static int open_endpoint(struct map *m, const char *spec, int timeout_ms)
{
	const char *colon = strchr(spec, ':');
	size_t tlen = colon ? (size_t)(colon - spec) : strlen(spec);
	const char *type = sm_arena_memdup(map_arena(m), spec, tlen);

	if (colon == NULL)
		return open_local(m, spec, timeout_ms);
	if (strcasecmp(type, "local") == 0 || strcasecmp(type, "unix") == 0)
		return open_local(m, colon + 1, timeout_ms);
	if (strcasecmp(type, "inet") == 0)
		return open_inet(m, colon + 1, AF_INET, timeout_ms);
	if (strcasecmp(type, "inet6") == 0)
		return open_inet(m, colon + 1, AF_INET6, timeout_ms);
	return open_fail(m, "unknown socket type %s", type, strerror(EPROTONOSUPPORT));
}

/* The connection for m's endpoint, connected; NULL if that fails. */
static struct sock_conn *conn_get(struct map *m)
{
	struct sock_conn *c;

	for (c = conns; c != NULL; c = c->next)
		if (strcmp(c->spec, m->file) == 0)
			break;
	if (c == NULL) {
		c = sm_arena_zalloc(map_arena(m), sizeof(*c));
		c->spec = m->file;
		c->fd = -1;
		if (conns == NULL)
			map_on_free(m->reg, conns_free, NULL);
		c->next = conns;
		conns = c;
	}
	if (c->fd < 0) {
		/* whoever (re)connects sets the timeout, as in the reference */
		c->timeout_ms = (m->timeout > 0 ? m->timeout : SOCKET_DEFAULT_TIMEOUT) * 1000;
		c->fd = open_endpoint(m, c->spec, c->timeout_ms);
	}
	return c->fd >= 0 ? c : NULL;
}

static bool socket_open(struct map *m, const struct map_ctx *ctx)
{
	if (conn_get(m) != NULL) {
		m->priv = m; /* opened once */
		return true;
	}
	return false;
}

/* Write all of b; false on error or timeout. */
static bool send_all(struct sock_conn *c, const char *p, size_t n)
{
	struct timespec dl = deadline_in(c->timeout_ms);

	while (n > 0) {
		ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			return false;
		} else if (wait_fd(c->fd, POLLOUT, &dl) != 1) {
			return false;
		}
	}
	return true;
}

/* Read up to n bytes before the deadline; the count read (short on timeout/EOF). */
static size_t recv_some(struct sock_conn *c, char *p, size_t n, const struct timespec *dl,
                        bool *timedout)
{
	size_t got = 0;

	*timedout = false;
	while (got < n) {
		ssize_t r = recv(c->fd, p + got, n - got, 0);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			break;
		if (wait_fd(c->fd, POLLIN, dl) != 1) {
			*timedout = true;
			break;
		}
	}
	return got;
}

/* Read the reply's length ("N:"); -1 on EOF, timeout (message) or junk. */
static long read_length(struct map *m, struct sock_conn *c)
{
	struct timespec dl = deadline_in(c->timeout_ms);
	long len = 0;
	bool timedout;

	for (int i = 0; i <= SOCKET_MAX_LENDIGITS; i++) {
		char ch;
		if (recv_some(c, &ch, 1, &dl, &timedout) != 1) {
			if (timedout && i == 0) {
				map_msg(m->reg, "socket_map_lookup(%s): read timeout: %s", m->name,
				        strerror(EAGAIN));
				map_note_exit(m->reg, EX_OSERR);
			}
			return -1;
		}
		if (ch == ':')
			return i > 0 ? len : -1;
		if (ch < '0' || ch > '9')
			return -1;
		len = len * 10 + (ch - '0');
	}
	return -1;
}

/* Read one netstring reply into b; false (connection to be closed) on error. */
static bool read_reply(struct map *m, struct sock_conn *c, struct sm_buf *b)
{
	long len = read_length(m, c);
	struct timespec dl;
	bool timedout;
	char comma;

	if (len < 0)
		return false;
	if (len > SOCKET_MAX_REPLY) {
		map_msg(m->reg, "socket_map_lookup(%s): reply too long: %ld", m->name, len);
		map_note_exit(m->reg, EX_SOFTWARE);
		return false;
	}
	sm_buf_reset(b);
	dl = deadline_in(c->timeout_ms);
	char *data = sm_arena_alloc(map_arena(m), (size_t)len + 1);
	size_t got = recv_some(c, data, (size_t)len, &dl, &timedout);
	if (got < (size_t)len) {
		map_msg(m->reg,
		        "socket_map_lookup(%s): received only %zu of %ld reply characters%s%s",
		        m->name, got, len, timedout ? ": " : "", timedout ? strerror(EAGAIN) : "");
		map_note_exit(m->reg, timedout ? EX_OSERR : EX_SOFTWARE);
		return false;
	}
	sm_buf_append(b, data, got);
	return recv_some(c, &comma, 1, &dl, &timedout) == 1 && comma == ',';
}

/* The status word of a reply as a sysexits code. */
static int reply_status(const char *s, size_t n)
{
	static const struct {
		const char *word;
		int status;
	} words[] = {
	    {"OK", EX_OK},
	    {"NOTFOUND", EX_NOHOST},
	    {"TEMP", EX_TEMPFAIL},
	    {"TIMEOUT", EX_TEMPFAIL},
	    {"PERM", EX_UNAVAILABLE},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i].word) == n && strncmp(s, words[i].word, n) == 0)
			return words[i].status;
	return EX_PROTOCOL;
}

static char *socket_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                           const char *const *args, int nargs, int *stat)
{
	char *k = map_fold_key(m, ctx->arena, key), *r = NULL;
	struct sock_conn *c = conn_get(m);
	struct sm_buf req = SM_BUF_INIT, rep = SM_BUF_INIT;

	*stat = EX_TEMPFAIL;
	if (c == NULL)
		return NULL;
	sm_buf_printf(&req, "%zu:%s %s,", strlen(m->name) + 1 + strlen(k), m->name, k);
	if (!send_all(c, sm_buf_str(&req), req.len) || !read_reply(m, c, &rep)) {
		conn_close(c);
		goto out;
	}
	const char *s = sm_buf_str(&rep);
	size_t wlen = strcspn(s, " ");
	*stat = reply_status(s, wlen);
	if (*stat != EX_OK)
		goto out;
	const char *v = s[wlen] == ' ' ? s + wlen + 1 : s + wlen;
	if (m->flags & MF_MATCHONLY)
		r = map_rewrite(m, ctx, k, strlen(k), NULL, NULL, 0);
	else
		r = map_rewrite(m, ctx, v, strlen(v), key, args, nargs);
out:
	sm_buf_free(&req);
	sm_buf_free(&rep);
	return r;
}

const struct map_class map_class_socket = {"socket", map_parse_common, socket_open, socket_lookup,
                                           true};
