/*
 * rules/rewrite.c: the rewriting engine.  Interface in rules/rewrite.h.
 *
 * rewrite(ctx, rs, reclevel, tv) runs ruleset rs over the workspace tv the
 * way Sendmail 8.17 does, quirks included, because configurations depend
 * on them:
 *
 *   matching    left to right; $* takes as little as it can and grows one
 *               token at a time on backtracking, $+ likewise from one;
 *               $- and $~X take exactly one token and never grow; $=X takes
 *               the shortest run of tokens whose concatenation is a class
 *               member and grows to the next longer one on backtracking;
 *               $@ matches nothing; $&x matches the tokens spelling the
 *               macro's value; other tokens match case-insensitively.  Once
 *               the input is used up while a pattern element other than $*
 *               or $@ remains, the rule fails without backtracking.
 *   stopping    before each rule try, a workspace starting with $# ends
 *               the ruleset (it is resolved).
 *   rewriting   $n substitution and $&x insertion, then each $[ $] and
 *               $( $) lookup, then the $> calls right to left (a call of an
 *               empty ruleset is dropped together with the token after it
 *               going unexamined), then the prefix: $: go on with the next
 *               rule, $@ or $# return, otherwise try the same rule again.
 *   limits      101 tries of one rule: "Infinite loop", all rules stop;
 *               nesting beyond 50: "excessive recursion"; 16 calls in one
 *               RHS: "Too many subroutine calls"; MAXATOM token slots (a
 *               call counts two, as "$>" and the name do in Sendmail):
 *               "expansion too long".
 *
 * Messages go to ctx->errout (else ctx->trace, else stderr) without their
 * SMTP codes, as -bt shows them; each "system error" also counts in
 * ctx->nsyserr.  With ctx->trace set, every invocation prints its
 * "name   input:" and "name returns:" lines; ctx->debug21 selects the
 * -d21.N trace (2: $& values, 3: skipped calls, 4: results, 10: failures,
 * 12: every rule tried).  Map lookups go through map/map.h.
 */
#include "sendmail/rules/rewrite.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map.h"

#define MATCH_STEPS 10000000UL /* backtracking work per rule attempt */
#define MAX_MAP_ARGS 10        /* key plus %1..%9 */

/* One wildcard binding: LHS element pat matched ws[first, end). */
struct binding {
	size_t pat;
	size_t first;
	size_t end;
};

struct matcher {
	struct rw_ctx *ctx;
	const struct token *lhs;
	size_t nlhs;
	const struct token *ws;
	size_t nws;
	struct binding *b;
	size_t nb;
	size_t pi, wi;
	unsigned long steps;
};

/* ---- output ---- */

static FILE *dbg_out(const struct rw_ctx *ctx)
{
	return ctx->trace ? ctx->trace : stdout;
}

/* A "system error" as -bt shows it: the text without the SMTP codes. */
static void rw_syserr(struct rw_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void rw_syserr(struct rw_ctx *ctx, const char *fmt, ...)
{
	FILE *fp = ctx->errout ? ctx->errout : ctx->trace ? ctx->trace : stderr;
	va_list ap;

	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	putc('\n', fp);
	ctx->nsyserr++;
}

/* Print label then " tok" for each token, then a newline. */
static void print_tokens(const struct rw_ctx *ctx, FILE *fp, const char *label, const struct token *t,
			 size_t n)
{
	struct sm_buf b = SM_BUF_INIT;

	sm_buf_puts(&b, label);
	for (size_t i = 0; i < n; i++) {
		sm_buf_putc(&b, ' ');
		tok_format1(ctx->cf, &t[i], &b);
	}
	sm_buf_putc(&b, '\n');
	fwrite(b.data, 1, b.len, fp);
	sm_buf_free(&b);
}

/* The "name   input:" / "name returns:" line. */
static void trace_ws(const struct rw_ctx *ctx, const char *name, bool input, const struct tokvec *tv)
{
	FILE *fp = ctx->trace;
	char label[64];

	if (fp == NULL) {
		if (ctx->debug21 < 1)
			return;
		fp = stdout;
	}
	snprintf(label, sizeof(label), "%-16.16s%s", name, input ? "   input:" : " returns:");
	print_tokens(ctx, fp, label, tv->v, tv->n);
}

/* A macro's bare name for "$&{name}" in debug lines. */
static const char *bare_name(struct rw_ctx *ctx, int id)
{
	const char *n = macro_name(id);
	size_t len = strlen(n);

	if (len >= 2 && n[0] == '{' && n[len - 1] == '}')
		return sm_arena_memdup(ctx->arena, n + 1, len - 2);
	return n;
}

/* The run-time value of a deferred macro, traced at -d21.2. */
static const char *dmacro_value(struct rw_ctx *ctx, int id, const char *side)
{
	const char *v = macro_get(ctx->macros ? ctx->macros : ctx->cf->macros, id);

	if (ctx->debug21 >= 2)
		fprintf(dbg_out(ctx), "rewrite: %s $&{%s} => \"%s\"\n", side, bare_name(ctx, id),
			v ? v : "(NULL)");
	return v;
}

/* Token slots as Sendmail counts them ("$>" and its name are two). */
static size_t slots(const struct token *t, size_t n)
{
	size_t s = n;

	for (size_t i = 0; i < n; i++)
		s += t[i].kind == TK_CALL && (t[i].arg >= 0 || t[i].s != NULL);
	return s;
}

/* ---- matching ---- */

/* Concatenate ws[first, end) without separators, as class lookups see it. */
static const char *concat(struct rw_ctx *ctx, const struct token *ws, size_t first, size_t end,
			  struct sm_buf *b)
{
	sm_buf_reset(b);
	for (size_t i = first; i < end; i++)
		tok_format1(ctx->cf, &ws[i], b);
	return sm_buf_str(b);
}

/*
 * Grow the class binding bd one token at a time until its text is a
 * member of the class; false when the workspace runs out.
 */
static bool class_grow(struct matcher *m, struct binding *bd, int id)
{
	struct sm_buf buf = SM_BUF_INIT, *b = &buf;
	const struct classes *cl = m->ctx->cf->classes;
	size_t maxlen = class_id_maxlen(cl, id);
	bool found = false;

	/* Build the phrase incrementally; no member is longer than maxlen. */
	concat(m->ctx, m->ws, bd->first, bd->end, b);
	while (bd->end < m->nws && m->steps++ < MATCH_STEPS) {
		tok_format1(m->ctx->cf, &m->ws[bd->end], b);
		bd->end++;
		if (b->len > maxlen) {
			bd->end = m->nws;
			break;
		}
		if (class_may_have_len(cl, id, b->len) && class_member(cl, id, sm_buf_str(b))) {
			found = true;
			break;
		}
	}
	sm_buf_free(b);
	m->wi = bd->end;
	return found;
}

/* $&x on the LHS: the tokens must spell the value (case-insensitively). */
static bool match_dmacro(struct matcher *m, int id)
{
	const char *v = dmacro_value(m->ctx, id, "LHS");
	size_t wi = m->wi;

	if (v == NULL)
		return true;
	while (*v != '\0') {
		const struct token *t = wi < m->nws ? &m->ws[wi] : NULL;
		size_t len = t && t->kind == TK_WORD ? strlen(t->s) : 0;

		if (len == 0 || strncasecmp(v, t->s, len) != 0)
			return false;
		v += len;
		wi++;
	}
	m->wi = wi;
	return true;
}

/* Try the current LHS element; true if it matched and the cursors moved. */
static bool match_element(struct matcher *m)
{
	const struct token *p = &m->lhs[m->pi];
	const struct token *t = m->wi < m->nws ? &m->ws[m->wi] : NULL;
	struct binding *bd = &m->b[m->nb];

	switch (p->kind) {
	case TK_CLASS:
		*bd = (struct binding){m->pi, m->wi, m->wi};
		if (!class_grow(m, bd, p->arg))
			return false;
		m->nb++;
		return true;
	case TK_NCLASS:
		if (t->kind == TK_WORD && class_member(m->ctx->cf->classes, p->arg, t->s))
			return false;
		/* FALLTHROUGH */
	case TK_ONE:
	case TK_ANY:
		*bd = (struct binding){m->pi, m->wi, m->wi + 1};
		m->nb++;
		m->wi++;
		return true;
	case TK_ZANY:
		*bd = (struct binding){m->pi, m->wi, m->wi};
		m->nb++;
		return true;
	case TK_HOST:
		return true;
	case TK_DMACRO:
		return match_dmacro(m, p->arg);
	default:
		if (!tok_equal(p, t))
			return false;
		m->wi++;
		return true;
	}
}

/* Whether LHS element p matches only one equal token (a literal). */
static bool is_literal(const struct token *p)
{
	switch (p->kind) {
	case TK_CLASS: case TK_NCLASS: case TK_ONE: case TK_ANY: case TK_ZANY:
	case TK_HOST: case TK_DMACRO:
		return false;
	default:
		return true;
	}
}

/*
 * A wildcard just grew to end at m->wi.  If LHS element pat is a literal,
 * every end before its next occurrence would fail on it at once and grow
 * again, so go straight there (or to the end of the input): the outcome is
 * the one Sendmail's one-token-at-a-time growth reaches.
 */
static void skip_to_literal(struct matcher *m, size_t pat)
{
	const struct token *next = pat < m->nlhs ? &m->lhs[pat] : NULL;

	if (next == NULL || !is_literal(next))
		return;
	while (m->wi < m->nws && !tok_equal(next, &m->ws[m->wi]))
		m->wi++;
}

/* Undo to the latest binding that can grow, and grow it; false if none. */
static bool match_backup(struct matcher *m)
{
	while (m->nb > 0) {
		struct binding *bd = &m->b[--m->nb];
		int kind = m->lhs[bd->pat].kind;

		m->pi = bd->pat;
		m->wi = bd->end;
		if (m->wi >= m->nws)
			continue;
		if (kind == TK_ANY || kind == TK_ZANY) {
			m->wi++;
			skip_to_literal(m, bd->pat + 1);
			bd->end = m->wi;
		} else if (kind == TK_CLASS) {
			if (!class_grow(m, bd, m->lhs[bd->pat].arg))
				continue; /* no longer member: drop it, back up further */
		} else {
			continue;
		}
		m->nb++;
		m->pi++;
		return true;
	}
	return false;
}

/* Match the LHS against the workspace; bindings left in m->b[0..nb). */
static bool match_rule(struct matcher *m)
{
	m->pi = m->wi = m->nb = 0;
	while (m->steps++ < MATCH_STEPS) {
		bool ok;

		if (m->pi >= m->nlhs) {
			if (m->wi >= m->nws)
				return true;
			ok = false;
		} else {
			int kind = m->lhs[m->pi].kind;

			/* input used up: only $* and $@ can still match, no backing up */
			if (m->wi >= m->nws && kind != TK_ZANY && kind != TK_HOST)
				return false;
			ok = match_element(m);
		}
		if (ok)
			m->pi++;
		else if (!match_backup(m))
			return false;
	}
	return false;
}

/* ---- building the new workspace ---- */

/* The state of one ruleset invocation. */
struct frame {
	struct rw_ctx *ctx;
	int rs;
	const char *name;
	int reclevel;
	size_t maxatom;
	int rstat;
};

/* Append t to out unless that passes the slot limit. */
static bool push_limited(struct frame *f, struct tokvec *out, size_t *used, struct token t)
{
	size_t w = t.kind == TK_CALL && (t.arg >= 0 || t.s != NULL) ? 2 : 1;

	if (*used + w > f->maxatom)
		return false;
	tokvec_push(out, t);
	*used += w;
	return true;
}

/* Report scanner errors the way usrerr does: "text... message". */
static void report_scan(struct rw_ctx *ctx, const char *text, const struct tok_error *e)
{
	FILE *fp = ctx->errout ? ctx->errout : ctx->trace ? ctx->trace : stderr;

	for (; e != NULL && e->code != 0; e = e->next)
		fprintf(fp, "%s... %s\n", text, e->msg);
}

/* Scan text found at run time (a macro value, a map result) into out. */
static bool scan_runtime(struct rw_ctx *ctx, const char *text, struct tokvec *out)
{
	struct tok_error err;
	bool ok;

	ok = tok_scan_address_ex(ctx->cf, ctx->arena, text, '\0', TOKS_COMMENTS | TOKS_NOLIMIT, out,
				 NULL, &err);
	report_scan(ctx, text, &err);
	return ok;
}

/* Insert the value of $&x; false with *status set on error. */
static bool subst_dmacro(struct frame *f, int id, struct tokvec *out, size_t *used, int *status)
{
	const char *v = dmacro_value(f->ctx, id, "RHS");
	struct tokvec tv;

	if (v == NULL || *v == '\0')
		return true;
	tokvec_init(&tv, f->ctx->arena);
	if (!scan_runtime(f->ctx, v, &tv)) {
		*status = EX_DATAERR;
		return false;
	}
	for (size_t i = 0; i < tv.n; i++) {
		if (!push_limited(f, out, used, tv.v[i]) || *used >= f->maxatom) {
			rw_syserr(f->ctx, "rewrite: expansion too long");
			*status = EX_DATAERR;
			return false;
		}
	}
	return true;
}

/* Substitute $n and $&x into the RHS; returns EX_OK or the error status. */
static int build_rhs(struct frame *f, const struct matcher *m, const struct token *rhs, size_t nrhs,
		     struct tokvec *out)
{
	size_t used = 0;
	int status = EX_OK;

	for (size_t i = 0; i < nrhs; i++) {
		const struct token *t = &rhs[i];

		if (t->kind == TK_REPL) {
			const struct binding *bd;

			if (t->arg < 1 || (size_t)t->arg > m->nb) {
				rw_syserr(f->ctx, "rewrite: ruleset %s: replacement $%d out of bounds", f->name,
					  t->arg);
				return EX_CONFIG;
			}
			bd = &m->b[t->arg - 1];
			for (size_t k = bd->first; k < bd->end; k++)
				if (!push_limited(f, out, &used, m->ws[k]))
					goto toolong;
		} else if (t->kind == TK_DMACRO) {
			if (!subst_dmacro(f, t->arg, out, &used, &status))
				return status;
		} else if (!push_limited(f, out, &used, *t)) {
			goto toolong;
		}
	}
	return EX_OK;
toolong:
	rw_syserr(f->ctx, "rewrite: expansion too long");
	return EX_DATAERR;
}

/* ---- $[ $] and $( $) ---- */

/* One lookup found in the workspace: v[begin] is $[ or $(, v[end] its close. */
struct lookup {
	size_t begin, end;
	const char *mapname;
	size_t key0, key1;      /* key tokens */
	bool has_default;
	size_t def0, def1;      /* default tokens */
	size_t arg0[MAX_MAP_ARGS], arg1[MAX_MAP_ARGS];
	int nargs;
	size_t sink; /* end of an argument beyond the ninth, which is dropped */
};

/*
 * Concatenate tokens into text: words run together, with sub (when not
 * NUL) between two neighbours that both begin with an atom character.
 */
static char *cat_tokens(struct rw_ctx *ctx, const struct token *t, size_t a, size_t b, int sub)
{
	struct sm_buf buf = SM_BUF_INIT;
	bool prev_atom = false;
	char *s;

	for (size_t i = a; i < b; i++) {
		bool atom = t[i].kind == TK_WORD && t[i].s[0] != '\0' &&
			    tok_is_atom_char(ctx->cf, (unsigned char)t[i].s[0]);

		if (sub != '\0' && prev_atom && atom)
			sm_buf_putc(&buf, sub);
		if (t[i].kind == TK_WORD)
			sm_buf_puts(&buf, t[i].s);
		else
			tok_format1(ctx->cf, &t[i], &buf);
		prev_atom = atom;
	}
	s = sm_arena_strdup(ctx->arena, sm_buf_str(&buf));
	sm_buf_free(&buf);
	return s;
}

/* Split the lookup starting at v[i] into map name, key, args, default. */
static void lookup_parse(const struct tokvec *ws, size_t i, struct lookup *lk)
{
	int endkind = ws->v[i].kind == TK_HOSTBEGIN ? TK_HOSTEND : TK_LOOKUPEND;
	size_t j = i + 1;
	size_t *open_end = &lk->key1;

	memset(lk, 0, sizeof(*lk));
	lk->begin = i;
	lk->mapname = "host";
	if (endkind == TK_LOOKUPEND && j < ws->n) {
		const struct token *t = &ws->v[j++];

		lk->mapname = t->kind == TK_WORD ? t->s : "";
	}
	lk->key0 = j;
	for (; j < ws->n && ws->v[j].kind != endkind; j++) {
		int k = ws->v[j].kind;

		if (k != TK_HOST && k != TK_USER)
			continue;
		*open_end = j;
		if (k == TK_USER) {
			lk->has_default = true;
			lk->def0 = j + 1;
			open_end = &lk->def1;
		} else if (lk->nargs < MAX_MAP_ARGS - 1) {
			lk->arg0[lk->nargs] = j + 1;
			open_end = &lk->arg1[lk->nargs++];
		} else {
			open_end = &lk->sink;
		}
	}
	*open_end = j;
	lk->end = j;
}

/* Tokens for a lookup's result text (map answer or default). */
static bool lookup_tokens(struct rw_ctx *ctx, const char *text, bool external, struct tokvec *out)
{
	struct tok_error err;
	bool ok;

	if (*text == '\0')
		return true;
	if (external)
		return scan_runtime(ctx, text, out);
	ok = tok_scan_address_ex(ctx->cf, ctx->arena, text, '\0', TOKS_NOLIMIT, out, NULL, &err);
	report_scan(ctx, text, &err);
	return ok;
}

/*
 * Perform one lookup; the replacement tokens go to repl.  Returns false
 * (with *status) when a result could not be scanned.
 */
static bool lookup_run(struct frame *f, const struct tokvec *ws, const struct lookup *lk,
		       struct tokvec *repl, int *status)
{
	struct rw_ctx *ctx = f->ctx;
	struct map *map = ctx->cf->maps ? map_find(ctx->cf->maps, lk->mapname) : NULL;
	int sub = map != NULL ? (ctx->cf->blank_sub ? ctx->cf->blank_sub : ' ') : '\0';
	const char *args[MAX_MAP_ARGS];
	const char *key;
	char *result = NULL;
	bool external = false;
	enum map_status st = MAP_NOTFOUND;

	if (map == NULL)
		rw_syserr(ctx, "rewrite: map %s not found", lk->mapname);
	key = cat_tokens(ctx, ws->v, lk->key0, lk->key1, sub);
	for (int i = 0; i < lk->nargs; i++)
		args[i] = cat_tokens(ctx, ws->v, lk->arg0[i], lk->arg1[i], '\0');
	if (map != NULL) {
		struct map_ctx mc = {ctx->cf, ctx->macros, ctx->arena};

		st = map_lookup(map, &mc, key, args, lk->nargs, &result);
		if (st == MAP_TEMPFAIL)
			f->rstat = EX_TEMPFAIL;
		/* A temporary failure with -T still answers: the key plus the -T text. */
		external = (st == MAP_FOUND || st == MAP_TEMPFAIL) && result != NULL;
		if (!external)
			result = NULL;
	}
	if (result == NULL && lk->has_default)
		result = cat_tokens(ctx, ws->v, lk->def0, lk->def1, sub);
	if (result == NULL) {
		tokvec_append(repl, ws->v + lk->key0, lk->key1 - lk->key0);
		return true;
	}
	if (!lookup_tokens(ctx, result, external, repl)) {
		*status = EX_DATAERR;
		return false;
	}
	return true;
}

/* Do every $[ $] and $( $) in ws, left to right. */
static int do_lookups(struct frame *f, struct tokvec *ws)
{
	for (size_t i = 0; i < ws->n; i++) {
		struct lookup lk;
		struct tokvec repl, out;
		int status = EX_OK;
		size_t after;

		if (ws->v[i].kind != TK_HOSTBEGIN && ws->v[i].kind != TK_LOOKUPBEGIN)
			continue;
		lookup_parse(ws, i, &lk);
		tokvec_init(&repl, f->ctx->arena);
		if (!lookup_run(f, ws, &lk, &repl, &status))
			return status;
		after = lk.end < ws->n ? lk.end + 1 : ws->n;
		tokvec_init(&out, f->ctx->arena);
		tokvec_append(&out, ws->v, i);
		tokvec_append(&out, repl.v, repl.n);
		tokvec_append(&out, ws->v + after, ws->n - after);
		if (slots(out.v, out.n) >= f->maxatom) {
			rw_syserr(f->ctx, "rewrite: expansion too long");
			return EX_DATAERR;
		}
		*ws = out;
		i += repl.n;
		i--; /* the loop's i++ moves past the replacement */
	}
	return EX_OK;
}

/* ---- $> calls ---- */



/* Does ruleset rs have no rules (a call of it is skipped)? */
static bool ruleset_empty(const struct config *cf, int rs)
{
	const struct ruleset *r = config_ruleset(cf, rs);

	return r == NULL || r->nrules == 0;
}

/* Remove the call at i together with its name (a separate token when dynamic). */
static void ws_remove(struct tokvec *ws, size_t i)
{
	size_t k = ws->v[i].arg >= 0 ? 1 : 2;

	memmove(ws->v + i, ws->v + i + k, (ws->n - i - k) * sizeof(ws->v[0]));
	ws->n -= k;
}

/*
 * The ruleset a call at ws[i] names: its number, -1 when it is no call
 * (a run-time "$>" with nothing after it), -2 after "Unknown ruleset".
 */
static int call_target(struct frame *f, const struct tokvec *ws, size_t i)
{
	const struct token *t = &ws->v[i];
	char *name;
	size_t len;
	int rs;

	if (t->s != NULL) {
		/*
		 * A name from the rule itself ($>"name", or one no S line
		 * defined).  Sendmail strips its quotes in place, in the
		 * rule's own token, so later traces and =S show it bare: do
		 * the same for byte-identical output.
		 */
		char *own = (char *)t->s;

		len = strlen(own);
		if (len >= 2 && own[0] == '"' && own[len - 1] == '"') {
			memmove(own, own + 1, len - 2);
			own[len - 2] = '\0';
		}
		name = own;
		if (t->arg >= 0)
			return t->arg;
	} else {
		if (t->arg >= 0)
			return t->arg;
		if (i + 1 >= ws->n)
			return -1;
		name = sm_arena_strdup(f->ctx->arena, "");
		if (ws->v[i + 1].kind == TK_WORD)
			name = sm_arena_strdup(f->ctx->arena, ws->v[i + 1].s);
		len = strlen(name);
		if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
			name[len - 1] = '\0';
			name++;
		}
	}
	rs = *name ? config_ruleset_number(f->ctx->cf, name, false) : -1;
	if (rs < 0) {
		rw_syserr(f->ctx, "Unknown ruleset %s", name);
		return -2;
	}
	return rs;
}

/* The name of the call at ws[i] for the -d21.3 trace. */
static const char *call_name(struct frame *f, const struct tokvec *ws, size_t i)
{
	const struct token *t = &ws->v[i];

	if (t->s != NULL)
		return t->s;
	if (t->arg < 0 && i + 1 < ws->n && ws->v[i + 1].kind == TK_WORD)
		return ws->v[i + 1].s;
	return config_ruleset_name(f->ctx->cf, t->arg);
}

/*
 * Collect the calls, then run them right to left, each on the rest of
 * the workspace after it.  Returns the combined status.
 */
static int do_calls(struct frame *f, struct tokvec *ws)
{
	size_t at[MAXSUBRCALLS];
	int target[MAXSUBRCALLS];
	int n = 0, rstat = EX_OK;

	for (size_t i = 0; i < ws->n; i++) {
		int rs;

		if (ws->v[i].kind != TK_CALL || (rs = call_target(f, ws, i)) == -1)
			continue;
		if (rs == -2)
			return EX_CONFIG;
		if (ruleset_empty(f->ctx->cf, rs)) {
			if (f->ctx->debug21 >= 3)
				fprintf(dbg_out(f->ctx), "-----skip subr %s (%d)\n", call_name(f, ws, i), rs);
			ws_remove(ws, i);
			continue; /* as in Sendmail, the token now at i is not examined */
		}
		if (n + 1 >= MAXSUBRCALLS) {
			rw_syserr(f->ctx, "Too many subroutine calls (%d max)", MAXSUBRCALLS);
			return EX_CONFIG;
		}
		at[n] = i;
		target[n++] = rs;
	}
	while (n-- > 0) {
		size_t i = at[n];
		size_t pos = slots(ws->v, i);
		struct tokvec sub;
		int status;

		ws_remove(ws, i);
		tokvec_init(&sub, f->ctx->arena);
		tokvec_append(&sub, ws->v + i, ws->n - i);
		status = rewrite_limited(f->ctx, target[n], f->reclevel, &sub,
					 MAXATOM > pos ? MAXATOM - pos : 0);
		ws->n = i;
		tokvec_append(ws, sub.v, sub.n);
		if (status != EX_OK && status != EX_TEMPFAIL)
			return status;
		if (rstat == EX_OK || status == EX_TEMPFAIL)
			rstat = status;
	}
	return rstat;
}

/* ---- the rule loop ---- */

enum next { NEXT_SAME, NEXT_RULE, NEXT_RETURN, NEXT_ABORT };

/* Rewrite ws with a matched rule r; sets *next.  Returns EX_OK or an error to return. */
static int apply_rule(struct frame *f, const struct rule *r, struct matcher *m, struct tokvec *ws,
		      enum next *next)
{
	const struct token *rhs = r->rhs;
	size_t nrhs = r->nrhs;
	struct tokvec out;
	int status;

	*next = NEXT_SAME;
	if (nrhs > 0 && rhs[0].kind == TK_USER) {
		rhs++;
		nrhs--;
		*next = NEXT_RULE;
	} else if (nrhs > 0 && rhs[0].kind == TK_HOST) {
		rhs++;
		nrhs--;
		*next = NEXT_RETURN;
	} else if (nrhs > 0 && rhs[0].kind == TK_NET) {
		*next = NEXT_RETURN;
	}
	tokvec_init(&out, f->ctx->arena);
	status = build_rhs(f, m, rhs, nrhs, &out);
	if (status == EX_OK)
		status = do_lookups(f, &out);
	if (status != EX_OK)
		return status;
	status = do_calls(f, &out);
	if (f->rstat == EX_OK || status == EX_TEMPFAIL)
		f->rstat = status;
	*ws = out;
	if (f->ctx->debug21 >= 4)
		print_tokens(f->ctx, dbg_out(f->ctx), "rewritten as:", ws->v, ws->n);
	return EX_OK;
}

/* Try rule r (number ruleno) once; true if it matched. */
static bool try_rule(struct frame *f, const struct rule *r, struct tokvec *ws, struct matcher *m)
{
	FILE *dbg = dbg_out(f->ctx);

	*m = (struct matcher){f->ctx, r->lhs, r->nlhs, ws->v, ws->n, NULL, 0, 0, 0, 0};
	m->b = sm_arena_array(f->ctx->arena, r->nlhs + 1, sizeof(*m->b));
	if (!match_rule(m)) {
		if (f->ctx->debug21 >= 10)
			fputs("----- rule fails\n", dbg);
		return false;
	}
	if (f->ctx->debug21 >= 12)
		print_tokens(f->ctx, dbg, "-----rule matches:", r->rhs, r->nrhs);
	return true;
}

/* Run the rules of rs over ws; returns an error status to return at once, or -1. */
static int run_rules(struct frame *f, const struct ruleset *set, struct tokvec *ws)
{
	size_t ruleno = 0;
	int loops = 0;

	while (set != NULL && ruleno < set->nrules) {
		const struct rule *r = &set->rules[ruleno];
		struct matcher m;
		enum next next;
		int status;

		if (ws->n > 0 && ws->v[0].kind == TK_NET)
			break; /* already resolved */
		if (f->ctx->debug21 >= 12)
			print_tokens(f->ctx, dbg_out(f->ctx), "-----trying rule:", r->lhs, r->nlhs);
		if (++loops > MAXLOOPS) {
			rw_syserr(f->ctx, "Infinite loop in ruleset %s, rule %zu", f->name, ruleno + 1);
			if (f->ctx->debug21 >= 1)
				print_tokens(f->ctx, dbg_out(f->ctx), "workspace: ", ws->v, ws->n);
			return -1;
		}
		if (!try_rule(f, r, ws, &m)) {
			ruleno++;
			loops = 0;
			continue;
		}
		status = apply_rule(f, r, &m, ws, &next);
		if (status != EX_OK)
			return status;
		if (next == NEXT_RETURN)
			break;
		if (next == NEXT_RULE) {
			ruleno++;
			loops = 0;
		}
	}
	return -1;
}

int rewrite_limited(struct rw_ctx *ctx, int rs, int reclevel, struct tokvec *tv, size_t maxatom)
{
	struct frame f = {ctx, rs, NULL, reclevel, maxatom, EX_OK};
	int status;

	f.name = sm_arena_strdup(ctx->arena, config_ruleset_name(ctx->cf, rs));
	trace_ws(ctx, f.name, true, tv);
	if (reclevel > MAXRULERECURSION) {
		rw_syserr(ctx, "rewrite: excessive recursion (max %d), ruleset %s", MAXRULERECURSION,
			  f.name);
		return EX_CONFIG;
	}
	f.reclevel = reclevel + 1;
	status = run_rules(&f, config_ruleset(ctx->cf, rs), tv);
	if (status >= 0)
		return status;
	trace_ws(ctx, f.name, false, tv);
	return f.rstat;
}

int rewrite(struct rw_ctx *ctx, int rs, int reclevel, struct tokvec *tv)
{
	if (tv == NULL)
		return EX_USAGE;
	return rewrite_limited(ctx, rs, reclevel, tv, MAXATOM);
}
