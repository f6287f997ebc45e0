/*
 * map/map_host: the host class ($[ $]) and getcanonname().
 *
 * map_getcanonname() walks the "hosts" entry of the service switch:
 * "files" searches HostsFile (a name or alias matching without regard to
 * case gives the line's first name), "dns" asks the resolver
 * (map_dns_canon); a canonical name without a dot gets ".$m" appended.
 *
 * The host class looks names up through map_getcanonname() and "[addr]"
 * literals through the system's reverse lookup (gethostbyaddr_r, as the
 * reference does), strips one trailing dot from the key, and caches every
 * answer for an hour in a cache shared by all host maps.  A temporary
 * failure prints "NAME: Name server timeout" when DNS is in the switch,
 * and again on every cached hit, as Sendmail's host_map_lookup does.
 * Options: -a -D -m -q -S -t -T -d<retrans> -r<retry>; others are ignored.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map_int.h"

#define HOST_CACHE_TTL 3600
#define HOST_CACHE_MAX 10000
#define HOSTS_MAX_LINES 1000000

struct host_cache {
	const char *name;
	const char *canon; /* NULL on failure */
	int status;
	time_t expires;
	struct host_cache *next;
};

static bool host_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		switch (w[1]) {
		case 'a': m->app = w + 2; break;
		case 'D': m->flags |= MF_DEFER; break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 'S': m->spacesub = map_char_arg(w + 2); break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'T': m->tapp = w + 2; break;
		case 'd': m->timeout = atoi(w + 2); break;
		case 'r': m->retry = atoi(w + 2); break;
		default: break;
		}
	}
	return true;
}

/* ---- files ---- */

/*
 * If a name on this hosts line is host (or short, host without the local
 * domain), the line's canonical name: its first name, or, when that has
 * no dot, its first dotted name (as Sendmail's hosts-file lookup does).
 */
static const char *hosts_line_match(struct sm_arena *a, char *line, const char *host,
				    const char *short_name)
{
	char *hash = strchr(line, '#');
	const char *p = line, *canon = NULL;
	bool found = false;

	if (hash)
		*hash = '\0';
	(void)map_word(a, &p); /* the address */
	for (int i = 0; i < 1000; i++) {
		const char *w = map_word(a, &p);
		if (*w == '\0')
			break;
		if (canon == NULL || (strchr(canon, '.') == NULL && strchr(w, '.') != NULL))
			canon = w;
		if (strcasecmp(w, host) == 0 || (short_name != NULL && strcasecmp(w, short_name) == 0))
			found = true;
	}
	return found ? canon : NULL;
}

static bool text_getcanonname(struct map_registry *r, const struct map_ctx *ctx, const char *host,
			      const char *domain, char **canon)
{
	struct sm_arena *a = ctx->arena;
	struct sm_buf line = SM_BUF_INIT;
	int trunc;
	FILE *fp = fopen(map_settings(r)->hosts_file, "r");
	const char *found = NULL, *short_name = NULL;
	size_t hl = strlen(host), dl = domain ? strlen(domain) : 0;

	if (fp == NULL)
		return false;
	/* host.$m also matches the bare name "host" */
	if (dl > 0 && hl > dl + 1 && host[hl - dl - 1] == '.' && strcasecmp(host + hl - dl, domain) == 0)
		short_name = sm_arena_memdup(a, host, hl - dl - 1);
	for (long n = 0; n < HOSTS_MAX_LINES && !found && sm_getline(fp, &line, 65536, &trunc) == 1;
	     n++)
		found = hosts_line_match(a, line.data ? line.data : (char *)"", host, short_name);
	fclose(fp);
	sm_buf_free(&line);
	if (found)
		*canon = sm_arena_strdup(a, found);
	return found != NULL;
}

static bool switch_has(struct map_registry *r, const char *type)
{
	const char *types[MAP_MAXMEMBERS];
	int n = map_switch_find(r, "hosts", types, MAP_MAXMEMBERS);

	for (int i = 0; i < n; i++)
		if (strcasecmp(types[i], type) == 0)
			return true;
	return false;
}

/* $m, the local domain, or NULL. */
static const char *local_domain(const struct map_ctx *ctx)
{
	const struct macros *mac = ctx->macros ? ctx->macros : ctx->cf ? ctx->cf->macros : NULL;

	if (mac == NULL || macro_get(mac, 'm') == NULL)
		return NULL;
	return macro_expand(mac, "$m", ctx->arena);
}

bool map_getcanonname(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		      char **canon, int *status)
{
	const char *types[MAP_MAXMEMBERS];
	bool found = false, tempfail = false;
	int n;

	map_use_ctx(r, ctx);
	n = map_switch_find(r, "hosts", types, MAP_MAXMEMBERS);
	*canon = NULL;
	*status = EX_NOHOST;
	for (int i = 0; i < n && !found; i++) {
		int st = EX_NOHOST;
		if (strcasecmp(types[i], "files") == 0)
			found = text_getcanonname(r, ctx, host, local_domain(ctx), canon);
		else if (strcasecmp(types[i], "dns") == 0)
			found = map_dns_canon(r, ctx, host, canon, &st);
		else
			st = EX_UNAVAILABLE;
		if (!found && st == EX_TEMPFAIL)
			tempfail = true;
	}
	if (!found) {
		*status = tempfail ? EX_TEMPFAIL : EX_NOHOST;
		return false;
	}
	const char *d = local_domain(ctx);
	if (d != NULL && *d != '\0' && strchr(*canon, '.') == NULL)
		*canon = sm_arena_printf(ctx->arena, "%s.%s", *canon, d);
	*status = EX_OK;
	return true;
}

/* ---- addresses ---- */

/* Sendmail's status for the resolver's h_errno. */
static int herr_status(int herr)
{
	switch (herr) {
	case TRY_AGAIN:
		return EX_TEMPFAIL;
	case HOST_NOT_FOUND:
	case NO_DATA:
		return EX_NOHOST;
	case NO_RECOVERY:
		return EX_SOFTWARE;
	default:
		return EX_UNAVAILABLE;
	}
}

/*
 * Reverse lookup of "[addr]"; returns the name or NULL with *status.
 * As Sendmail, through the resolver's gethostbyaddr (which keeps h_errno):
 * the text up to the first ']' is an IPv4 address in inet_addr's forms or
 * an IPv6 one (with or without "IPv6:").  A literal that is neither is not
 * looked up, and its status is what the last resolver call left in
 * h_errno, exactly as with Sendmail; no ']' at all is a plain "not found".
 */
static char *addr_lookup(struct sm_arena *a, const char *key, int *status)
{
	const char *close = strchr(key, ']');
	struct in_addr a4;
	struct in6_addr a6;
	struct hostent *hp = NULL;

	*status = EX_OK;
	if (close == NULL)
		return NULL;
	char *lit = sm_arena_memdup(a, key + 1, (size_t)(close - key - 1));
	if (inet_aton(lit, &a4) != 0 && a4.s_addr != INADDR_NONE)
		hp = gethostbyaddr(&a4, sizeof(a4), AF_INET);
	if (hp == NULL) {
		const char *v6 = strncasecmp(lit, "IPv6:", 5) == 0 ? lit + 5 : lit;

		if (inet_pton(AF_INET6, v6, &a6) == 1)
			hp = gethostbyaddr(&a6, sizeof(a6), AF_INET6);
	}
	if (hp != NULL)
		return sm_arena_strdup(a, hp->h_name);
	*status = herr_status(h_errno);
	return NULL;
}

/* ---- the cache and the class ---- */

static struct host_cache *cache_find(struct map_registry *r, const char *name)
{
	for (struct host_cache *c = *map_host_cache(r); c != NULL; c = c->next)
		if (strcasecmp(c->name, name) == 0)
			return c->expires >= time(NULL) ? c : NULL;
	return NULL;
}

static void cache_store(struct map_registry *r, const char *name, const char *canon, int status)
{
	struct host_cache **head = map_host_cache(r), *c;
	int n = 0;

	for (c = *head; c != NULL; c = c->next, n++)
		if (strcasecmp(c->name, name) == 0)
			break;
	if (c == NULL) {
		if (n >= HOST_CACHE_MAX)
			*head = NULL; /* start over rather than grow without bound */
		c = sm_arena_zalloc(map_arena_of(r), sizeof(*c));
		c->name = map_intern(r, name);
		c->next = *head;
		*head = c;
	}
	c->canon = canon ? map_intern(r, canon) : NULL;
	c->status = status;
	c->expires = time(NULL) + HOST_CACHE_TTL;
}

static void timeout_msg(struct map *m, const struct map_ctx *ctx, const char *name)
{
	map_msg(m->reg, "%s: Name server timeout", map_shorten(ctx->arena, name, 33));
}

/* The answer for a key (cached or fresh); NULL with *stat on failure. */
static const char *host_answer(struct map *m, const struct map_ctx *ctx, const char *name,
			       int *stat)
{
	struct host_cache *c = cache_find(m->reg, name);
	char *canon = NULL;

	if (c != NULL) {
		*stat = c->status;
		if (c->status == EX_TEMPFAIL)
			timeout_msg(m, ctx, name);
		return c->canon;
	}
	if (name[0] == '[')
		canon = addr_lookup(ctx->arena, name, stat);
	else
		(void)map_getcanonname(m->reg, ctx, name, &canon, stat);
	if (canon == NULL && *stat == EX_TEMPFAIL && switch_has(m->reg, "dns"))
		timeout_msg(m, ctx, name);
	cache_store(m->reg, name, canon, *stat);
	return canon;
}

static char *host_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			 const char *const *args, int nargs, int *stat)
{
	char *name = sm_arena_strdup(ctx->arena, key);
	size_t n = strlen(name);

	if (n > 1 && name[n - 1] == '.')
		name[--n] = '\0';
	const char *canon = host_answer(m, ctx, name, stat);
	if (canon == NULL)
		return NULL;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, ctx, name, strlen(name), NULL, NULL, 0);
	return map_rewrite(m, ctx, canon, strlen(canon), NULL, NULL, 0);
}

const struct map_class map_class_host = {"host", host_parse, NULL, host_lookup, false};
