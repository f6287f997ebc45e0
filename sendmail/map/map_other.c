/*
 * map/map_other: regex and the directory classes that this build
 * declares but cannot reach (nis, nisplus, ldap).
 *
 *   regex    "Kname regex [-n] [-f] [-b] [-s[n,m..]] [-d<c>] [-a<v>] [-m] pattern":
 *            POSIX ERE (basic with -b), case-insensitive unless -f, -n
 *            inverts the match; on a match the result is the chosen
 *            substrings (-s) joined by -d (default blank) or the empty
 *            string, then -a; -m returns the key.  -s alone selects
 *            every group from 0; the default -d is byte 0233, which the
 *            reference prints as "$|" (it stays inside one token).  Compile errors print
 *            "pattern-compile-error: TEXT" at declaration.
 *   nis      opening prints "NIS map X specified, but NIS not running".
 *   nisplus  cannot open (lookups temp-fail, no message).
 *   ldap     needs -k (filter): "No filter given in map X"; opening prints
 *            `ldap map "X": LDAP is not available in this build` (the
 *            reference, built with LDAP, fails to reach a server instead);
 *            lookups temp-fail as the reference's do without a server.
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/map/map_int.h"

#define REGEX_MAX_SUBS 10
/* Sendmail joins substrings with its $| byte (0233) unless -d is given. */
#define REGEX_DEFAULT_DELIM 0233

/* ---- regex ---- */

struct regex_priv {
	regex_t re;
	int subs[REGEX_MAX_SUBS]; /* selected substrings, -1 ends */
	bool want_subs;
	int delim;
};

/* "-s1,2": the list of substring numbers (empty: every group). */
static void regex_subs(struct regex_priv *rp, const char *s)
{
	int n = 0;

	rp->want_subs = true;
	while (*s != '\0' && n < REGEX_MAX_SUBS - 1) {
		rp->subs[n++] = atoi(s);
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	rp->subs[n] = -1;
}

/* Check the substring numbers against the pattern's groups. */
static bool regex_check_subs(struct map *m, struct regex_priv *rp)
{
	int nsub = (int)rp->re.re_nsub + 1;

	for (int i = 0; rp->subs[i] >= 0; i++)
		if (rp->subs[i] >= nsub) {
			map_decl_err(m, "field (%d) out of range, only %d substrings in pattern",
				     rp->subs[i], nsub);
			return false;
		}
	return true;
}

static void regex_free(void *re)
{
	regfree(re);
}

static bool regex_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	struct regex_priv *rp = sm_arena_zalloc(a, sizeof(*rp));
	const char *p = args;
	int cflags = REG_EXTENDED | REG_ICASE;

	rp->subs[0] = -1;
	rp->delim = REGEX_DEFAULT_DELIM;
	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		switch (w[1]) {
		case 'n': m->flags |= MF_REGEX_NOT; break;
		case 'f': cflags &= ~REG_ICASE; break;
		case 'b': cflags &= ~REG_EXTENDED; break;
		case 's': regex_subs(rp, w + 2); break;
		case 'd': rp->delim = map_char_arg(w + 2); break;
		case 'a': m->app = w + 2; break;
		case 'm': m->flags |= MF_MATCHONLY; break;
		case 'q': m->flags |= MF_KEEPQUOTES; break;
		case 't': m->flags |= MF_NODEFER; break;
		case 'D': m->flags |= MF_DEFER; break;
		case 'T': m->tapp = w + 2; break;
		case 'S': m->spacesub = map_char_arg(w + 2); break;
		default: break;
		}
	}
	m->file = sm_arena_strdup(a, p);
	int rc = regcomp(&rp->re, m->file, cflags);
	if (rc != 0) {
		char err[256];
		regerror(rc, &rp->re, err, sizeof(err));
		map_decl_err(m, "pattern-compile-error: %s", err);
		return false;
	}
	m->priv = rp;
	map_on_free(m->reg, regex_free, &rp->re);
	return regex_check_subs(m, rp);
}

static char *regex_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			  const char *const *args, int nargs, int *stat)
{
	struct regex_priv *rp = m->priv;
	regmatch_t pm[REGEX_MAX_SUBS];
	struct sm_buf b = SM_BUF_INIT;

	*stat = EX_OK;
	bool hit = regexec(&rp->re, key, REGEX_MAX_SUBS, pm, 0) == 0;
	if (hit == ((m->flags & MF_REGEX_NOT) != 0))
		return NULL;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
	if (rp->want_subs && hit) {
		int all[REGEX_MAX_SUBS + 1], *sel = rp->subs, n = 0;
		if (sel[0] < 0) {
			for (int i = 0; i <= (int)rp->re.re_nsub && i < REGEX_MAX_SUBS; i++)
				all[n++] = i;
			all[n] = -1;
			sel = all;
		}
		for (int i = 0; sel[i] >= 0; i++) {
			if (sel[i] >= REGEX_MAX_SUBS || pm[sel[i]].rm_so < 0)
				continue;
			if (b.len > 0)
				sm_buf_putc(&b, rp->delim);
			sm_buf_append(&b, key + pm[sel[i]].rm_so,
				      (size_t)(pm[sel[i]].rm_eo - pm[sel[i]].rm_so));
		}
	}
	char *r = map_rewrite(m, ctx, sm_buf_str(&b), b.len, key, args, nargs);
	sm_buf_free(&b);
	return r;
}

const struct map_class map_class_regex = {"regex", regex_parse, NULL, regex_lookup, false};

/* ---- directory services this build cannot reach ---- */

static char *tempfail_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			     const char *const *args, int nargs, int *stat)
{
	*stat = EX_TEMPFAIL;
	return NULL;
}

static bool nis_open(struct map *m, const struct map_ctx *ctx)
{
	if (!(m->flags & MF_OPTIONAL))
		map_msg(m->reg, "NIS map %s specified, but NIS not running", m->file ? m->file : "");
	return false;
}

static bool never_open(struct map *m, const struct map_ctx *ctx)
{
	return false;
}

const struct map_class map_class_nis = {"nis", map_parse_common, nis_open, tempfail_lookup, false};
const struct map_class map_class_nisplus = {"nisplus", map_parse_common, never_open,
					    tempfail_lookup, false};

static bool ldap_parse(struct map *m, const char *args)
{
	struct sm_arena *a = map_arena(m);
	const char *p = args;

	for (const char *w; (w = map_next_flag(a, &p)) != NULL;) {
		const char *val = w + 2;

		/* Valued options may have their value in the next word. */
		if (w[1] != '\0' && *val == '\0' && strchr("1nRtoqmDAfNO", w[1]) == NULL) {
			p = map_skip_blanks(p);
			val = map_word(a, &p);
		}
		if (w[1] == 'k')
			m->keycol = val;
		else if (w[1] == 'o')
			m->flags |= MF_OPTIONAL;
		else if (w[1] == 'T')
			m->tapp = val;
		else if (w[1] == 'a')
			m->app = val;
	}
	if (m->keycol == NULL || *m->keycol == '\0') {
		map_decl_err(m, "No filter given in map %s", m->name);
		return false;
	}
	return true;
}

/* Declared (so a cf with LDAP maps loads) but never opened: say why. */
static bool ldap_open(struct map *m, const struct map_ctx *ctx)
{
	if (!(m->flags & MF_OPTIONAL)) {
		map_msg(m->reg, "ldap map \"%s\": LDAP is not available in this build", m->name);
		map_note_exit(m->reg, EX_UNAVAILABLE);
	}
	return false;
}

const struct map_class map_class_ldap = {"ldap", ldap_parse, ldap_open, tempfail_lookup, false};
