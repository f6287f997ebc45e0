/*
 * daemon/resolve.c: who is the client?
 *
 * addr_text() prints an address the way ${client_addr} holds it:
 * dotted quad for IPv4 (also IPv4-mapped IPv6), "IPv6:" and eight
 * uncompressed groups for IPv6 (UseCompressedIPv6Addresses picks the
 * short form), the path for a local socket.
 *
 * resolve_client() is Sendmail's reverse lookup with forward
 * confirmation: the PTR name must map back to the address, otherwise
 * the client is "FORGED" and shown as "[addr]" with "(may be forged)" in
 * $_.  The services come from the ServiceSwitchFile "hosts" line, in
 * order: "files" reads HostsFile (so a test instance controls its
 * names), "dns" asks the system resolver.  A temporary resolver failure
 * is "TEMP", no name at all "FAIL".
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"

/* IPv6 as Sendmail prints it without compression: eight hex groups. */
static const char *ipv6_text(const struct in6_addr *a, struct sm_arena *ar)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	sm_buf_puts(&b, "IPv6:");
	for (int i = 0; i < 8; i++)
		sm_buf_printf(&b, "%s%x", i > 0 ? ":" : "",
		              (a->s6_addr[2 * i] << 8) | a->s6_addr[2 * i + 1]);
	r = sm_arena_strdup(ar, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

const char *addr_text(const struct sockaddr *sa, struct sm_arena *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, buf, sizeof(buf));
		return sm_arena_strdup(a, buf);
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], buf, sizeof(buf));
			return sm_arena_strdup(a, buf);
		}
		inet_ntop(AF_INET6, &in6->sin6_addr, buf, sizeof(buf));
		return ipv6_text(&in6->sin6_addr, a);
	}
	if (sa->sa_family == AF_UNIX)
		return sm_arena_strdup(a, ((const struct sockaddr_un *)sa)->sun_path);
	return "0";
}

/* The raw address of sa for comparisons (family, bytes); false if not IP. */
static bool raw_addr(const struct sockaddr *sa, int *family, unsigned char out[16])
{
	if (sa->sa_family == AF_INET) {
		*family = AF_INET;
		memcpy(out, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return true;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a)) {
			*family = AF_INET;
			memcpy(out, &a->s6_addr[12], 4);
		} else {
			*family = AF_INET6;
			memcpy(out, a, 16);
		}
		return true;
	}
	return false;
}

/* The resolver's PTR answer; *temp on a temporary failure. */
static const char *dns_ptr(const struct sockaddr *sa, struct sm_arena *a, bool *temp)
{
	char host[NI_MAXHOST];
	socklen_t len =
	    sa->sa_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int rc = getnameinfo(sa, len, host, sizeof(host), NULL, 0, NI_NAMEREQD);

	if (rc == EAI_AGAIN)
		*temp = true;
	return rc == 0 ? sm_arena_strdup(a, host) : NULL;
}

/* Does name resolve (forward, by the resolver) to the address? */
static bool dns_confirms(const char *name, int family, const unsigned char raw[16])
{
	struct addrinfo hints, *res = NULL;
	bool ok = false;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return false;
	for (struct addrinfo *p = res; p != NULL && !ok; p = p->ai_next) {
		int f;
		unsigned char r[16];

		ok = raw_addr(p->ai_addr, &f, r) && f == family &&
		     memcmp(r, raw, family == AF_INET ? 4 : 16) == 0;
	}
	freeaddrinfo(res);
	return ok;
}

void resolve_client(struct config *cf, const struct sockaddr *sa, struct sm_arena *a,
                    const char **name, const char **resolve, const char **ptr)
{
	const char *found;
	bool temp = false;
	unsigned char raw[16];
	int family;

	(void)cf;
	*ptr = NULL;
	*name = sm_arena_printf(a, "[%s]", addr_text(sa, a));
	if (!raw_addr(sa, &family, raw)) {
		*name = "localhost";
		*resolve = "OK";
		return;
	}
	found = dns_ptr(sa, a, &temp);
	*ptr = found;
	if (found == NULL) {
		*resolve = temp ? "TEMP" : "FAIL";
		return;
	}
	if (!dns_confirms(found, family, raw)) {
		*resolve = "FORGED";
		return;
	}
	*resolve = "OK";
	*name = found;
}
