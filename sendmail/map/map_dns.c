/*
 * map/map_dns: everything that asks the DNS, through the glibc resolver
 * (res_nquery on a private res_state set up from ResolverOptions and the
 * Timeout.resolver options).
 *
 *   map_dns_canon  canonify a host name: the search list as the resolver
 *                  applies it (RES_DNSRCH / RES_DEFNAMES, ndots), A then
 *                  AAAA then MX queries, the CNAME target when there is
 *                  one (unless DontExpandCnames)
 *   map_getmx      MX hosts of a name, best preference first; only when
 *                  "dns" is in the switch's "hosts" entry

 * The dns and bestmx classes are in map_dnsclass.c.
 *
 * A resolver failure that may be temporary (no answer, SERVFAIL) is
 * EX_TEMPFAIL; NXDOMAIN and "no such record" are EX_NOHOST.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <netdb.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/map/map_int.h"

#define DNS_ANSWER_MAX MAP_DNS_ANSWER_MAX
#define DNS_MAX_RECORDS 100

static const struct {
	const char *name;
	unsigned long flag;
} res_flags[] = {
	/* aaonly and primary are accepted and ignored (no longer in glibc) */
	{"aaonly", 0},		  {"primary", 0},
	{"debug", RES_DEBUG},	  {"usevc", RES_USEVC},
	{"igntc", RES_IGNTC},	  {"recurse", RES_RECURSE},
	{"defnames", RES_DEFNAMES}, {"stayopen", RES_STAYOPEN}, {"dnsrch", RES_DNSRCH},
	{"use_edns0", RES_USE_EDNS0}, {"use_dnssec", RES_USE_DNSSEC}, {"trustad", RES_TRUSTAD},
};

/* Apply "[+-]flag ..." words of ResolverOptions to res. */
static void res_apply_options(const char *opts, res_state res)
{
	struct sm_arena *a = sm_arena_new();
	const char *p = opts;

	for (int i = 0; i < 64; i++) {
		const char *w = map_word(a, &p);
		if (*w == '\0')
			break;
		bool clear = *w == '-';
		if (*w == '+' || *w == '-')
			w++;
		for (size_t j = 0; j < sizeof(res_flags) / sizeof(res_flags[0]); j++) {
			if (strcasecmp(w, res_flags[j].name) != 0)
				continue;
			if (clear)
				res->options &= ~res_flags[j].flag;
			else
				res->options |= res_flags[j].flag;
		}
	}
	sm_arena_free(a);
}

bool map_res_open(struct map_registry *r, struct __res_state *res)
{
	const struct map_settings *s = map_settings(r);

	memset(res, 0, sizeof(*res));
	if (res_ninit(res) != 0)
		return false;
	if (s->resolver_options)
		res_apply_options(s->resolver_options, res);
	if (s->res_retrans > 0)
		res->retrans = s->res_retrans;
	if (s->res_retry > 0)
		res->retry = s->res_retry;
	return true;
}

int map_res_query(struct __res_state *res, const char *name, int type, unsigned char *ans,
		  int *status)
{
	int n = res_nquery(res, name, ns_c_in, type, ans, DNS_ANSWER_MAX);

	if (n >= 0)
		return n;
	switch (res->res_h_errno) {
	case HOST_NOT_FOUND:
	case NO_DATA:
		*status = EX_NOHOST;
		break;
	default:
		*status = EX_TEMPFAIL;
		break;
	}
	return -1;
}

/* Owner name of the answer's records of type, following a CNAME. */
static bool answer_name(const unsigned char *ans, int len, int type, char *out, size_t outlen,
			bool keep_cname)
{
	ns_msg msg;
	ns_rr rr;
	bool found = false;

	if (ns_initparse(ans, len, &msg) != 0)
		return false;
	int count = ns_msg_count(msg, ns_s_an);
	for (int i = 0; i < count && i < DNS_MAX_RECORDS; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0)
			return found;
		if (ns_rr_type(rr) == ns_t_cname && !keep_cname) {
			if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr), out,
					       outlen) < 0)
				return false;
			found = true;
		} else if ((int)ns_rr_type(rr) == type && !found) {
			snprintf(out, outlen, "%s", ns_rr_name(rr));
			found = true;
		}
	}
	return found;
}

/* Try one fully formed name: A, AAAA, MX.  1 found, 0 not, -1 temp. */
static int canon_one(res_state res, const char *name, bool keep_cname, char *out, size_t outlen)
{
	static const int types[] = {ns_t_a, ns_t_aaaa, ns_t_mx};
	unsigned char *ans = malloc(DNS_ANSWER_MAX);
	int result = 0;

	if (ans == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]) && result == 0; i++) {
		int st = EX_NOHOST;
		int n = map_res_query(res, name, types[i], ans, &st);
		if (n < 0) {
			if (st == EX_TEMPFAIL)
				result = -1;
			else if (res->res_h_errno == HOST_NOT_FOUND)
				break; /* NXDOMAIN: no other type will exist */
			continue;
		}
		if (answer_name(ans, n, types[i], out, outlen, keep_cname))
			result = 1;
	}
	free(ans);
	return result;
}

bool map_dns_canon(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		   char **canon, int *status)
{
	struct __res_state res;
	char out[NS_MAXDNAME];
	bool tempfail = false;
	int found = 0;

	*status = EX_NOHOST;
	if (!map_res_open(r, &res)) {
		*status = EX_TEMPFAIL;
		return false;
	}
	bool keep = map_settings(r)->dont_expand_cnames;
	int dots = 0;
	for (const char *p = host; *p; p++)
		dots += *p == '.';
	if (dots >= (int)res.ndots)
		found = canon_one(&res, host, keep, out, sizeof(out));
	tempfail = found < 0;
	for (int i = 0; found <= 0 && (res.options & RES_DNSRCH) && i < MAXDNSRCH && res.dnsrch[i];
	     i++) {
		char *name = sm_arena_printf(ctx->arena, "%s.%s", host, res.dnsrch[i]);
		found = canon_one(&res, name, keep, out, sizeof(out));
		tempfail = tempfail || found < 0;
	}
	if (found <= 0 && dots > 0 && dots < (int)res.ndots)
		found = canon_one(&res, host, keep, out, sizeof(out));
	res_nclose(&res);
	if (found > 0) {
		*canon = sm_arena_strdup(ctx->arena, out);
		*status = EX_OK;
		return true;
	}
	*status = tempfail || found < 0 ? EX_TEMPFAIL : EX_NOHOST;
	return false;
}

/* ---- MX ---- */

struct mx {
	int pref;
	char *host;
};

static int mx_cmp(const void *a, const void *b)
{
	const struct mx *x = a, *y = b;

	return x->pref - y->pref;
}

/* Parse the MX records of an answer into mx[]; returns how many. */
static int parse_mx(struct sm_arena *a, const unsigned char *ans, int len, struct mx *mx, int max)
{
	ns_msg msg;
	ns_rr rr;
	int n = 0;
	char name[NS_MAXDNAME];

	if (ns_initparse(ans, len, &msg) != 0)
		return 0;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an) && n < max; i++) {
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != ns_t_mx ||
		    ns_rr_rdlen(rr) < 3)
			continue;
		if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), ns_rr_rdata(rr) + 2, name,
				       sizeof(name)) < 0)
			continue;
		mx[n].pref = ns_get16(ns_rr_rdata(rr));
		mx[n++].host = sm_arena_strdup(a, name);
	}
	qsort(mx, (size_t)n, sizeof(*mx), mx_cmp);
	return n;
}

static bool hosts_uses_dns(struct map_registry *r)
{
	const char *types[MAP_MAXMEMBERS];
	int n = map_switch_find(r, "hosts", types, MAP_MAXMEMBERS);

	for (int i = 0; i < n; i++)
		if (strcasecmp(types[i], "dns") == 0)
			return true;
	return false;
}

/* name with a trailing dot (arena). */
static char *with_dot(struct sm_arena *a, const char *name)
{
	size_t n = strlen(name);

	return n > 0 && name[n - 1] == '.' ? sm_arena_strdup(a, name)
					    : sm_arena_printf(a, "%s.", name);
}

/*
 * No usable MX records: the host itself, canonified first when the DNS
 * said it has no MX data (or no such name, which the hosts file may
 * still know), with a trailing dot; 0 hosts if it cannot be canonified.
 */
static int mx_punt(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		   char ***hosts)
{
	char *canon = NULL;
	int st;

	if (!map_getcanonname(r, ctx, host, &canon, &st))
		return 0;
	*hosts = sm_arena_array(ctx->arena, 1, sizeof(char *));
	(*hosts)[0] = with_dot(ctx->arena, canon);
	return 1;
}

/* One MX query; the number of MX hosts (sorted into mx), -1 error, -2 no data. */
static int mx_query(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		    struct mx *mx, int *herr)
{
	struct __res_state res;
	unsigned char *ans;
	int n;

	*herr = TRY_AGAIN;
	if (!map_res_open(r, &res))
		return -1;
	ans = malloc(DNS_ANSWER_MAX);
	n = ans == NULL ? -1 : res_nsearch(&res, host, ns_c_in, ns_t_mx, ans, DNS_ANSWER_MAX);
	*herr = res.res_h_errno;
	res_nclose(&res);
	if (n >= 0)
		n = parse_mx(ctx->arena, ans, n, mx, DNS_MAX_RECORDS);
	free(ans);
	if (n < 0 && (*herr == NO_DATA || *herr == HOST_NOT_FOUND))
		return -2;
	return n;
}

int map_getmx(struct map_registry *r, const struct map_ctx *ctx, const char *host, char ***hosts,
	      int *rcode)
{
	struct mx mx[DNS_MAX_RECORDS];
	int n, herr;

	*hosts = NULL;
	*rcode = EX_OK;
	map_use_ctx(r, ctx);
	if (host[0] == '[') { /* an address literal: itself */
		*hosts = sm_arena_array(ctx->arena, 1, sizeof(char *));
		(*hosts)[0] = sm_arena_strdup(ctx->arena, host);
		return 1;
	}
	if (!hosts_uses_dns(r))
		return 0;
	n = mx_query(r, ctx, host, mx, &herr);
	if (n == -2) {
		if (herr == HOST_NOT_FOUND)
			*rcode = EX_NOHOST;
		return mx_punt(r, ctx, host, hosts);
	}
	if (n < 0) {
		*rcode = EX_TEMPFAIL;
		return map_settings(r)->fallback_mx ? 0 : -1;
	}
	*hosts = sm_arena_array(ctx->arena, (size_t)(n > 0 ? n : 1), sizeof(char *));
	for (int i = 0; i < n; i++)
		(*hosts)[i] = with_dot(ctx->arena, mx[i].host);
	return n; /* answers without MX records (a CNAME): none */
}
