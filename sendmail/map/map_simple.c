/*
 * map/map_simple: the classes that need no file.
 *
 *   dequote  remove the double quotes of the key (-s<c>: blanks become c);
 *            not found when the key has no quotes, unbalanced <> () "",
 *            a trailing backslash, or blanks left over
 *   macro    $(macro name $@ value $) sets the macro, without $@ clears
 *            it; returns the empty string
 *   arith    $(arith OP $@ A $@ B $): OP is + - * / % | & (numbers), l and
 *            = (TRUE/FALSE), r (random in [A, B]); errors and division by
 *            zero are "not found" with status 78 (EX_CONFIG)
 *   arpa     1.2.3.4 -> 4.3.2.1, IPv6:addr -> nibbles (in-addr / ip6 names)
 *   null     never finds anything (status 68)
 *   syslog   logs the key (-L level), returns the empty string
 *   user     getpwnam() of the key folded to lower case (even with -f); -v names
 *            the passwd field returned
 *   userdb   declared only: finds nothing
 *
 * dequote, macro, arith and arpa take only -a, -D, -s/-S and ignore other
 * flags silently (Sendmail's dequote_init); syslog knows -D -L -S and
 * calls every other letter illegal, naming the map "syslog" as the
 * reference does.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map_int.h"

/* Sendmail's dequote_init: -a -D -s -S; everything else ignored. */
static bool dequote_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	m->flags |= MF_KEEPQUOTES;
	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		switch (w[1]) {
		case 'a':
			m->app = w + 2;
			break;
		case 'D':
			m->flags |= MF_DEFER;
			break;
		case 's':
		case 'S':
			m->spacesub = map_char_arg(w + 2);
			break;
		default:
			break;
		}
	}
	if (*p != '\0')
		m->file = map_word(a, &p);
	return true;
}

/* Counters of dequote's scan: anything left open makes it fail. */
struct dq_state {
	int quotes, angles, comments, spaces;
	bool bslash, inquote;
};

/* Scan one byte; false if the key cannot be dequoted. */
static bool dq_byte(struct dq_state *st, int c, struct sm_buf *out)
{
	if (st->bslash) {
		st->bslash = false;
		sm_buf_putc(out, c);
		return true;
	}
	if (c == '\\')
		st->bslash = true;
	else if (c == '(')
		st->comments++;
	else if (c == ')' && st->comments-- <= 0)
		return false;
	else if (c == ' ' || c == '\t')
		st->spaces++;
	if (st->comments > 0) {
		sm_buf_putc(out, c);
		return true;
	}
	if (c == '"') {
		st->inquote = !st->inquote;
		st->quotes++;
		return true;
	}
	if (c == '<')
		st->angles++;
	else if (c == '>' && st->angles-- <= 0)
		return false;
	sm_buf_putc(out, c);
	return true;
}

static char *dequote_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			    const char *const *args, int nargs, int *stat)
{
	struct dq_state st = {0};
	struct sm_buf b = SM_BUF_INIT;
	char *r = NULL;
	bool ok = true;

	*stat = EX_OK;
	for (const char *p = key; *p != '\0' && ok; p++) {
		int c = (unsigned char)*p;
		if (c == ' ' && m->spacesub)
			c = m->spacesub;
		ok = dq_byte(&st, c, &b);
	}
	if (ok && st.angles == 0 && st.comments == 0 && !st.bslash && !st.inquote && st.quotes > 0 &&
	    st.spaces == 0)
		r = map_rewrite(m, ctx, sm_buf_str(&b), b.len, NULL, NULL, 0);
	sm_buf_free(&b);
	return r;
}

const struct map_class map_class_dequote = {"dequote", dequote_parse, NULL, dequote_lookup, false};

/* ---- macro ---- */

static char *macro_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			  const char *const *args, int nargs, int *stat)
{
	int id;

	*stat = EX_OK;
	if (*key == '\0')
		return NULL;
	if (key[0] == '{')
		id = macro_id(key);
	else {
		char one[2] = {key[0], '\0'};
		id = macro_id(one);
	}
	if (id < 0 || ctx->macros == NULL)
		return NULL;
	macro_set(ctx->macros, id, nargs > 0 && args[0] != NULL ? args[0] : NULL);
	return sm_arena_strdup(ctx->arena, "");
}

const struct map_class map_class_macro = {"macro", dequote_parse, NULL, macro_lookup, false};

/* ---- arith ---- */

/* Compute a OP b into *r (or a boolean into *truth); false on error. */
static bool arith_op(int op, long a, long b, long *r, int *truth)
{
	unsigned long ua = (unsigned long)a, ub = (unsigned long)b;

	switch (op) {
	case '+': *r = (long)(ua + ub); return true;
	case '-': *r = (long)(ua - ub); return true;
	case '*': *r = (long)(ua * ub); return true;
	case '|': *r = a | b; return true;
	case '&': *r = a & b; return true;
	case '/':
	case '%':
		if (b == 0 || (a == LONG_MIN && b == -1))
			return false;
		*r = op == '/' ? a / b : a % b;
		return true;
	case 'l': *truth = a < b; return true;
	case '=': *truth = a == b; return true;
	case 'r':
		if (a > b)
			return false;
		*r = a + (long)((unsigned long)random() % (ub - ua + 1));
		return true;
	default:
		return false;
	}
}

static char *arith_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			  const char *const *args, int nargs, int *stat)
{
	long r = 0;
	int truth = -1;

	*stat = EX_CONFIG;
	if (nargs < 2 || args[0] == NULL || args[1] == NULL)
		return NULL;
	if (!arith_op((unsigned char)key[0], strtol(args[0], NULL, 0), strtol(args[1], NULL, 0),
		      &r, &truth))
		return NULL;
	*stat = EX_OK;
	/* The reference formats into 16 bytes: at most 15 characters survive. */
	char *s = truth >= 0 ? sm_arena_strdup(ctx->arena, truth ? "TRUE" : "FALSE")
			     : sm_arena_printf(ctx->arena, "%ld", r);
	if (truth < 0 && strlen(s) > 15)
		s[15] = '\0';
	return s;
}

const struct map_class map_class_arith = {"arith", dequote_parse, NULL, arith_lookup, false};

/* ---- arpa ---- */

static char *arpa_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			 const char *const *args, int nargs, int *stat)
{
	struct sm_buf b = SM_BUF_INIT;
	unsigned char ip[16];
	char *r = NULL;

	*stat = EX_DATAERR;
	if (strncasecmp(key, "IPv6:", 5) == 0) {
		if (inet_pton(AF_INET6, key + 5, ip) == 1) {
			for (int i = 15; i >= 0; i--)
				sm_buf_printf(&b, "%x.%x%s", ip[i] & 0xf, ip[i] >> 4, i ? "." : "");
			*stat = EX_OK;
		}
	} else if (inet_pton(AF_INET, key, ip) == 1) {
		sm_buf_printf(&b, "%u.%u.%u.%u", ip[3], ip[2], ip[1], ip[0]);
		*stat = EX_OK;
	}
	if (*stat == EX_OK)
		r = map_rewrite(m, ctx, sm_buf_str(&b), b.len, NULL, NULL, 0);
	sm_buf_free(&b);
	return r;
}

const struct map_class map_class_arpa = {"arpa", dequote_parse, NULL, arpa_lookup, false};

/* ---- null, userdb ---- */

static char *null_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			 const char *const *args, int nargs, int *stat)
{
	*stat = EX_NOHOST;
	return NULL;
}

const struct map_class map_class_null = {"null", map_parse_common, NULL, null_lookup, false};

static char *nothing_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			    const char *const *args, int nargs, int *stat)
{
	*stat = EX_OK;
	return NULL;
}

const struct map_class map_class_userdb = {"userdb", map_parse_common, NULL, nothing_lookup,
					   false};

/* ---- syslog ---- */

static const struct {
	const char *name;
	int level;
} syslog_levels[] = {
	{"EMERG", LOG_EMERG}, {"ALERT", LOG_ALERT}, {"CRIT", LOG_CRIT}, {"ERR", LOG_ERR},
	{"WARNING", LOG_WARNING}, {"NOTICE", LOG_NOTICE}, {"INFO", LOG_INFO}, {"DEBUG", LOG_DEBUG},
};

static int syslog_level(const char *s)
{
	if (strncasecmp(s, "LOG_", 4) == 0)
		s += 4;
	for (size_t i = 0; i < sizeof(syslog_levels) / sizeof(syslog_levels[0]); i++)
		if (strcasecmp(s, syslog_levels[i].name) == 0)
			return syslog_levels[i].level;
	return isdigit((unsigned char)*s) ? atoi(s) : LOG_NOTICE;
}

static bool syslog_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	m->timeout = LOG_NOTICE; /* the level lives in the timeout field */
	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		if (w[1] == 'D')
			m->flags |= MF_DEFER;
		else if (w[1] == 'S')
			m->spacesub = map_char_arg(w + 2);
		else if (w[1] == 'L')
			m->timeout = syslog_level(w + 2);
		else
			map_decl_err(m, "Illegal option %c map syslog", w[1] ? w[1] : ' ');
	}
	return true;
}

static char *syslog_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			   const char *const *args, int nargs, int *stat)
{
	char *k = sm_arena_strdup(ctx->arena, key);

	if (m->spacesub)
		for (char *p = k; *p; p++)
			if (*p == m->spacesub)
				*p = ' ';
	syslog(LOG_MAIL | m->timeout, "%s", k);
	*stat = EX_OK;
	return sm_arena_strdup(ctx->arena, "");
}

const struct map_class map_class_syslog = {"syslog", syslog_parse, NULL, syslog_lookup, false};

/* ---- user ---- */

static const char *const user_fields[] = {"name", "passwd", "uid", "gid", "gecos", "dir", "shell"};

static bool user_open(struct map *m, const struct map_ctx *ctx)
{
	if (m->valcol == NULL || *m->valcol == '\0')
		return true;
	for (int i = 0; i < 7; i++)
		if (strcasecmp(m->valcol, user_fields[i]) == 0) {
			m->valcolno = i + 1;
			return true;
		}
	if (isdigit((unsigned char)*m->valcol))
		return true;
	map_msg(m->reg, "User map %s: unknown column name %s", m->name, m->valcol);
	return false;
}

static char *user_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			 const char *const *args, int nargs, int *stat)
{
	char *k = sm_arena_strdup(ctx->arena, key);
	const char *v;

	for (char *p = k; *p != '\0'; p++) /* always, even with -f (as the reference) */
		*p = (char)tolower((unsigned char)*p);
	struct passwd *pw = getpwnam(k);

	if (pw == NULL) {
		*stat = EX_NOUSER;
		return NULL;
	}
	*stat = EX_OK;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
	switch (m->valcolno) {
	case 2: v = pw->pw_passwd; break;
	case 3: v = sm_arena_printf(ctx->arena, "%d", (int)pw->pw_uid); break;
	case 4: v = sm_arena_printf(ctx->arena, "%d", (int)pw->pw_gid); break;
	case 5: v = pw->pw_gecos; break;
	case 6: v = pw->pw_dir; break;
	case 7: v = pw->pw_shell; break;
	default: v = pw->pw_name; break;
	}
	return map_rewrite(m, ctx, v, strlen(v), NULL, NULL, 0);
}

const struct map_class map_class_user = {"user", map_parse_common, user_open, user_lookup, false};
