/*
 * cf/init: what Sendmail knows about its host before and after it reads
 * the cf, as -bt shows it.
 *
 * Before the cf (config_init_host): the host name (gethostname, made
 * canonical through the resolver when it has no dot) gives $j (the FQDN),
 * $w (its first label), $m (what follows the first dot), and $=w; uname's
 * node name gives $k and $=k; $=m holds $m; $v is the version we mimic;
 * $b the date; $_ is "user@localhost"; $n is MAILER-DAEMON; and the
 * built-in classes e, n, s, {persistentMacros} and the MIME header
 * classes are filled.
 *
 * After the cf (config_finish_host): $j (which the cf may redefine) joins
 * $=w, then unless DontProbeInterfaces is true the IPv4 interface
 * addresses are added as "[a.b.c.d]" with, when they resolve, their names
 * and "[name]" (the reference does exactly this for 127.0.0.1:
 * localhost, [127.0.0.1], [localhost]); with DontProbeInterfaces=loopback
 * only the bracketed addresses are added.
 */
#include "sendmail/cf/config.h"

#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/options.h"

#define SENDMAIL_VERSION "8.17.1.9"

static void set(struct config *cf, const char *name, const char *value)
{
	macro_set(cf->macros, macro_id(name), value);
}

static void add_words(struct config *cf, const char *cls, const char *words)
{
	char *copy = sm_arena_strdup(cf->arena, words);
	char *save = NULL;

	for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
		class_add(cf->classes, macro_id(cls), w);
}

/* Our fully qualified host name, in the arena. */
static char *host_fqdn(struct config *cf)
{
	char host[256] = "";
	struct addrinfo hints, *res = NULL;

	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "localhost");
	/*
	 * Sendmail resolves its own name at start with the system resolver;
	 * do the same, so the resolver state later lookups see (h_errno,
	 * which Sendmail's host map reports for malformed address literals)
	 * is the same as Sendmail's.
	 */
	(void)gethostbyname(host);
	if (strchr(host, '.') != NULL)
		return sm_arena_strdup(cf->arena, host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	if (getaddrinfo(host, NULL, &hints, &res) == 0 && res && res->ai_canonname) {
		char *r = sm_arena_strdup(cf->arena, res->ai_canonname);
		freeaddrinfo(res);
		return r;
	}
	if (res)
		freeaddrinfo(res);
	return sm_arena_strdup(cf->arena, host);
}

static void set_date(struct config *cf)
{
	char buf[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (tm.tm_gmtoff == 0)
		strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	else
		strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S %z", &tm);
	set(cf, "b", buf);
}

void config_init_host(struct config *cf)
{
	char *fqdn = host_fqdn(cf);
	char *dot = strchr(fqdn, '.');
	struct utsname u;
	struct passwd *pw = getpwuid(getuid());

	set(cf, "j", fqdn);
	class_add(cf->classes, 'w', fqdn);
	if (dot != NULL && dot[1] != '\0') {
		set(cf, "m", dot + 1);
		class_add(cf->classes, 'm', dot + 1);
	}
	set(cf, "w", dot ? sm_arena_memdup(cf->arena, fqdn, (size_t)(dot - fqdn)) : fqdn);
	if (uname(&u) == 0) {
		set(cf, "k", u.nodename);
		class_add(cf->classes, 'k', u.nodename);
	}
	set(cf, "v", SENDMAIL_VERSION);
	set(cf, "n", "MAILER-DAEMON");
	set(cf, "_", sm_arena_printf(cf->arena, "%s@localhost", pw ? pw->pw_name : "root"));
	set_date(cf);
	add_words(cf, "e", "7bit 8bit binary");
	add_words(cf, "n", "multipart/signed");
	add_words(cf, "s", "rfc822");
	add_words(cf, "{persistentMacros}", "_ r s {daemon_flags} {if_addr}");
	add_words(cf, "{checkMIMEHeaders}", "content-type content-disposition "
					   "content-transfer-encoding content-id mime-version");
	add_words(cf, "{checkMIMEFieldHeaders}", "content-type content-disposition");
	add_words(cf, "{checkMIMETextHeaders}", "content-description");
}

/* Add one interface address (and its name unless addr_only). */
static void add_interface(struct config *cf, const struct sockaddr_in *sin, bool addr_only)
{
	char ip[INET_ADDRSTRLEN];
	char name[NI_MAXHOST];

	if (inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip)) == NULL)
		return;
	bool named = !addr_only && getnameinfo((const struct sockaddr *)sin, sizeof(*sin), name,
						sizeof(name), NULL, 0, NI_NAMEREQD) == 0;
	if (named)
		class_add(cf->classes, 'w', name);
	class_add(cf->classes, 'w', sm_arena_printf(cf->arena, "[%s]", ip));
	if (named)
		class_add(cf->classes, 'w', sm_arena_printf(cf->arena, "[%s]", name));
}

static void probe_interfaces(struct config *cf, bool addr_only)
{
	struct ifaddrs *ifs = NULL;
	int n = 0;

	if (getifaddrs(&ifs) != 0)
		return;
	for (struct ifaddrs *i = ifs; i != NULL && n < 1024; i = i->ifa_next, n++) {
		if (i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET)
			add_interface(cf, (const struct sockaddr_in *)i->ifa_addr, addr_only);
	}
	freeifaddrs(ifs);
}

void config_finish_host(struct config *cf)
{
	const char *j = macro_get(cf->macros, 'j');
	const char *probe = opt_raw(cf->opt, OPT_DONT_PROBE_INTERFACES);

	if (j != NULL)
		class_add(cf->classes, 'w', j);
	if (probe != NULL && strcasecmp(probe, "loopback") == 0)
		probe_interfaces(cf, true);
	else if (!opt_bool(cf->opt, OPT_DONT_PROBE_INTERFACES))
		probe_interfaces(cf, false);
}
