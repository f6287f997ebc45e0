/*
 * map/map_dnsclass: the dns and bestmx map classes (the resolver itself
 * is in map_dns.c).
 *
 *   Kname dns -R TYPE [-B domain] [-z delim] [-Z 1] [-d secs] [-r n] [-a.. -T.. -m -o -q -t -D]
 *     TYPE: A AAAA AFSDB CNAME MX NS PTR SRV TXT TLSA.  The key (plus
 *     ".domain" with -B) is queried for TYPE; the result is the first
 *     record's data, or every record joined by the -z character.  -Z1
 *     keeps one record even with -z (other -Z values change nothing, as
 *     in the reference).  Data as the reference shows it: A dotted quad,
 *     AAAA "IPv6:" and eight uncompressed hex groups, names without a
 *     trailing dot (MX, SRV, AFSDB: the target only), TXT its first
 *     string.  -m returns the key.  -d sets the resolver's retransmit
 *     time and -r its retries.  NXDOMAIN and "no such record" are
 *     "no match" (68); SERVFAIL and timeouts are temporary (75).
 *     A missing or unknown type prints "dns map X: wrong type T" and/or
 *     "dns map X: missing -R type" but the map stays declared; its
 *     lookups find nothing (68), as in the reference.
 *
 *   Kname bestmx [-z delim] [common map options]
 *     The best MX host of the key as getmxrr() gives it (a trailing dot,
 *     the host itself when it has no MX records), or all of them joined
 *     by the -z character.  -m returns the key.
 */
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/map/map_int.h"

#define DNS_MAX_RECORDS 100

struct dns_priv {
	int type;           /* RR type, 0 = none given */
	int sizelimit;      /* -Z */
	int retrans;        /* -d (seconds), 0 = default */
	int retry;          /* -r, 0 = default */
	const char *domain; /* -B */
};

static const struct {
	const char *name;
	int type;
} rr_types[] = {
    {"A", ns_t_a},     {"AAAA", ns_t_aaaa}, {"AFSDB", ns_t_afsdb}, {"CNAME", ns_t_cname},
    {"MX", ns_t_mx},   {"NS", ns_t_ns},     {"PTR", ns_t_ptr},     {"SRV", ns_t_srv},
    {"TXT", ns_t_txt}, {"TLSA", 52},
};

static int rr_type(const char *name)
{
	for (size_t i = 0; i < sizeof(rr_types) / sizeof(rr_types[0]); i++)
		if (strcasecmp(name, rr_types[i].name) == 0)
			return rr_types[i].type;
	return 0;
}

/* The value of an option: the rest of its word, or the next word when empty. */
static const char *opt_value(struct sm_arena *a, const char *w, const char **pp)
{
	if (w[2] != '\0')
		return w + 2;
	*pp = map_skip_blanks(*pp);
	return map_word(a, pp);
}

/* Apply one dns map option word. */
static void dns_option(struct map *m, struct dns_priv *dp, const char *w, const char **pp)
{
	struct sm_arena *a = map_arena(m);

	switch (w[1]) {
	case 'R': {
		const char *type = opt_value(a, w, pp);
		dp->type = rr_type(type);
		if (dp->type == 0)
			map_decl_err(m, "dns map %s: wrong type %s", m->name, type);
		break;
	}
	case 'B':
		dp->domain = w + 2;
		break;
	case 'z':
		m->coldelim = map_char_arg(w + 2);
		break;
	case 'Z':
		dp->sizelimit = atoi(opt_value(a, w, pp));
		break;
	case 'd':
		dp->retrans = atoi(w + 2);
		break;
	case 'r':
		dp->retry = atoi(w + 2);
		break;
	case 'a':
		m->app = w + 2;
		break;
	case 'T':
		m->tapp = w + 2;
		break;
	case 'o':
		m->flags |= MF_OPTIONAL;
		break;
	case 'm':
		m->flags |= MF_MATCHONLY;
		break;
	case 'q':
		m->flags |= MF_KEEPQUOTES;
		break;
	case 't':
		m->flags |= MF_NODEFER;
		break;
	case 'D':
		m->flags |= MF_DEFER;
		break;
	default:
		break;
	}
}

static bool dns_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	struct dns_priv *dp = sm_arena_zalloc(a, sizeof(*dp));
	const char *p = args;

	m->priv = dp;
	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		dns_option(m, dp, w, &p);
	}
	if (dp->type == 0)
		map_decl_err(m, "dns map %s: missing -R type", m->name);
	return true; /* the reference keeps the map either way */
}

/* AAAA data as the reference prints it: IPv6: and eight bare hex groups. */
static void put_aaaa(struct sm_buf *out, const unsigned char *d)
{
	sm_buf_puts(out, "IPv6:");
	for (int i = 0; i < 16; i += 2)
		sm_buf_printf(out, "%s%x", i ? ":" : "", (unsigned)(d[i] << 8 | d[i + 1]));
}

/* Text of one record's data. */
static void rr_text(const ns_msg *msg, const ns_rr *rr, struct sm_buf *out)
{
	const unsigned char *d = ns_rr_rdata(*rr);
	unsigned len = ns_rr_rdlen(*rr);
	char buf[NS_MAXDNAME];
	int skip = 0;

	switch (ns_rr_type(*rr)) {
	case ns_t_a:
		if (len == 4)
			sm_buf_printf(out, "%u.%u.%u.%u", d[0], d[1], d[2], d[3]);
		return;
	case ns_t_aaaa:
		if (len == 16)
			put_aaaa(out, d);
		return;
	case ns_t_txt: /* the first character-string only */
		if (len > 0)
			sm_buf_append(out, d + 1, d[0] < len ? d[0] : len - 1);
		return;
	case ns_t_mx:
	case ns_t_afsdb:
		skip = 2;
		break;
	case ns_t_srv:
		skip = 6;
		break;
	default:
		break;
	}
	if ((unsigned)skip < len && ns_name_uncompress(ns_msg_base(*msg), ns_msg_end(*msg),
	                                               d + skip, buf, sizeof(buf)) >= 0)
		sm_buf_puts(out, buf);
}

/* Query name for dp->type; the records' text joined into b; 0 none, -1 error. */
static int dns_fetch(struct map *m, const struct dns_priv *dp, const char *name, struct sm_buf *b,
                     int *stat)
{
	struct __res_state res;
	unsigned char *ans = malloc(MAP_DNS_ANSWER_MAX);
	int n = -1, found = 0;
	ns_msg msg;
	ns_rr rr;

	*stat = EX_TEMPFAIL;
	if (ans != NULL && map_res_open(m->reg, &res)) {
		if (dp->retrans > 0)
			res.retrans = dp->retrans;
		if (dp->retry > 0)
			res.retry = dp->retry;
		n = map_res_query(&res, name, dp->type, ans, stat);
		res_nclose(&res);
	}
	if (n >= 0 && ns_initparse(ans, n, &msg) == 0) {
		for (int i = 0; i < ns_msg_count(msg, ns_s_an) && i < DNS_MAX_RECORDS; i++) {
			if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 ||
			    (int)ns_rr_type(rr) != dp->type)
				continue;
			if (found++ > 0)
				sm_buf_putc(b, m->coldelim);
			rr_text(&msg, &rr, b);
			if (m->coldelim == 0 || dp->sizelimit == 1 || (m->flags & MF_MATCHONLY))
				break;
		}
		*stat = found ? EX_OK : EX_NOHOST;
	}
	free(ans);
	return found;
}

static char *dns_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                        const char *const *args, int nargs, int *stat)
{
	const struct dns_priv *dp = m->priv;
	struct sm_buf b = SM_BUF_INIT;
	char *r = NULL;

	*stat = EX_NOHOST;
	if (dp->type == 0)
		return NULL;
	const char *name = dp->domain ? sm_arena_printf(ctx->arena, "%s.%s", key, dp->domain) : key;
	if (dns_fetch(m, dp, name, &b, stat) > 0) {
		if (m->flags & MF_MATCHONLY)
			r = map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
		else
			r = map_rewrite(m, ctx, sm_buf_str(&b), b.len, key, args, nargs);
	}
	sm_buf_free(&b);
	return r;
}

const struct map_class map_class_dns = {"dns", dns_parse, NULL, dns_lookup, false};

static char *bestmx_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                           const char *const *args, int nargs, int *stat)
{
	char **hosts;
	int rcode, n = map_getmx(m->reg, ctx, key, &hosts, &rcode);
	struct sm_buf b = SM_BUF_INIT;

	*stat = n <= 0 ? rcode : EX_OK;
	if (n <= 0)
		return NULL;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
	for (int i = 0; i < (m->coldelim ? n : 1); i++) {
		if (i > 0)
			sm_buf_putc(&b, m->coldelim);
		sm_buf_puts(&b, hosts[i]);
	}
	char *r = map_rewrite(m, ctx, sm_buf_str(&b), b.len, key, args, nargs);
	sm_buf_free(&b);
	return r;
}

const struct map_class map_class_bestmx = {"bestmx", map_parse_common, NULL, bestmx_lookup, false};
