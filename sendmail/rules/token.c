/*
 * rules/token.c: the address scanner (Sendmail's "prescan"), the rule-text
 * scanner, and the token printer.  Interface in rules/token.h.
 *
 * One state machine serves every kind of input.  Characters fall into
 * four classes: operator (OperatorChars plus the fixed specials ( ) < > , ;),
 * atom, quote and blank.  A token ends when the class changes in a way the
 * table below says it must; an operator is always a token of its own; a
 * quoted string, quotes included, is one token; blanks only separate.
 * A backslash glues the next character into the current atom (backslash
 * kept); in a comment both are dropped; "\!" is a plain "!".
 *
 * Addresses are checked the way Sendmail checks them: a -bt input line
 * (TOKS_BT) longer than 255 bytes is refused before scanning; unbalanced quotes, comments and angle
 * brackets are repaired (a closing character is supplied at the end, a
 * stray '>' or ')' is dropped) and reported, the scan going on; more than
 * MAXATOM tokens or a token longer than 255 bytes end the scan.
 *
 * Rule text (tok_scan_rule) is scanned with the same machine, with no
 * balancing, and "$" sequences become metasymbol tokens.  In -bt input a
 * "$" is plain text: "$#" and "$|" there are words that only print like
 * the metasymbols (they match neither $# nor $| in a rule).
 *
 * Nothing here prints; errors come back in struct tok_error.
 */
#include "sendmail/rules/token.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/rewrite.h"

#define DEFAULT_OPERATORS ".:@[]"
#define FIXED_SPECIALS "()<>,;"
#define MAX_SPLICES 100 /* unexpanded macros spliced into one rule side */

enum cclass { C_OPER, C_ATOM, C_QUOTE, C_BLANK };
enum state { S_OPER, S_ATOM, S_QUOTE, S_BLANK };

/* Transition: new state, plus "end the token first" and "drop the char". */
#define T_BREAK 0x10
#define T_DROP 0x20
static const unsigned char transition[4][4] = {
	/* from \ class:  OPER            ATOM            QUOTE            BLANK */
	[S_OPER] = {S_OPER | T_BREAK, S_ATOM | T_BREAK, S_QUOTE | T_BREAK, S_BLANK | T_BREAK | T_DROP},
	[S_ATOM] = {S_OPER | T_BREAK, S_ATOM, S_QUOTE | T_BREAK, S_BLANK | T_BREAK | T_DROP},
	[S_QUOTE] = {S_QUOTE, S_QUOTE, S_OPER, S_QUOTE},
	[S_BLANK] = {S_OPER, S_ATOM, S_QUOTE, S_BLANK | T_DROP},
};

struct scan {
	struct config *cf; /* non-NULL only for rule text (ruleset creation) */
	const struct config *rcf;
	struct sm_arena *a;
	const char *addr; /* the whole input, for messages */
	const char *p;    /* cursor */
	const char *stop; /* where the scan ended: the delimiter or the NUL */
	int delim;
	int flags;
	bool rule;   /* rule text: metasymbols, no balancing */
	bool ignore; /* no balancing errors or repairs */
	unsigned char cls[256];
	enum state state;
	bool bslash;
	int ncmnt, nangle;
	bool route;
	int splices;
	struct sm_buf tok;
	struct tokvec *out;
	struct tok_error *err, *last;
	bool fatal;
};

void tokvec_init(struct tokvec *tv, struct sm_arena *a)
{
	tv->v = NULL;
	tv->n = 0;
	tv->cap = 0;
	tv->arena = a;
}

void tokvec_push(struct tokvec *tv, struct token t)
{
	if (tv->n == tv->cap) {
		size_t cap = tv->cap ? tv->cap * 2 : 16;
		struct token *v = sm_arena_array(tv->arena, cap, sizeof(*v));

		if (tv->n > 0)
			memcpy(v, tv->v, tv->n * sizeof(*v));
		tv->v = v;
		tv->cap = cap;
	}
	tv->v[tv->n++] = t;
}

void tokvec_push_word(struct tokvec *tv, const char *s)
{
	struct token t = {sm_arena_strdup(tv->arena, s), TK_WORD, 0};

	tokvec_push(tv, t);
}

void tokvec_append(struct tokvec *tv, const struct token *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tokvec_push(tv, t[i]);
}

/* Record an error; the first goes into *err, later ones are chained. */
static void scan_error(struct scan *s, int code, const char *dsn, const char *msg)
{
	struct tok_error *e = s->err;

	if (s->err->code != 0) {
		e = sm_arena_zalloc(s->a, sizeof(*e));
		s->last->next = e;
	}
	e->code = code;
	e->dsn = dsn;
	e->msg = sm_arena_strdup(s->a, msg);
	e->next = NULL;
	s->last = e;
}

/* Fill the character class table from OperatorChars. */
static void scan_classes(struct scan *s, const char *ops)
{
	memset(s->cls, C_ATOM, sizeof(s->cls));
	for (const char *p = " \t\n\v\f\r"; *p; p++)
		s->cls[(unsigned char)*p] = C_BLANK;
	for (const char *p = ops ? ops : DEFAULT_OPERATORS; *p; p++)
		s->cls[(unsigned char)*p] = C_OPER;
	for (const char *p = FIXED_SPECIALS; *p; p++)
		s->cls[(unsigned char)*p] = C_OPER;
	s->cls['"'] = C_QUOTE;
	if (s->flags & TOKS_COMMENTS) {
		s->cls['('] = C_BLANK;
		s->cls[')'] = C_BLANK;
	}
}

/* End the current token, if any, and push it; false on a limit. */
static bool scan_flush(struct scan *s)
{
	struct token t = {NULL, TK_WORD, 0};

	if (s->tok.len == 0)
		return true;
	if (s->out->n >= MAXATOM) {
		scan_error(s, 553, "5.1.0", "prescan: too many tokens");
		s->fatal = true;
		return false;
	}
	if (s->tok.len >= MAXNAME) {
		scan_error(s, 553, "5.1.0", "prescan: token too long");
		s->fatal = true;
		return false;
	}
	t.s = sm_arena_memdup(s->a, s->tok.data, s->tok.len);
	tokvec_push(s->out, t);
	sm_buf_reset(&s->tok);
	return true;
}

/* Push a metasymbol: it is a token by itself. */
static bool scan_meta_push(struct scan *s, int kind, int arg, const char *name)
{
	struct token t = {name, (unsigned short)kind, arg};

	if (!scan_flush(s))
		return false;
	if (s->out->n >= MAXATOM) {
		scan_error(s, 553, "5.1.0", "prescan: too many tokens");
		s->fatal = true;
		return false;
	}
	tokvec_push(s->out, t);
	s->state = S_OPER;
	return true;
}

/* Store one character into the current token (8-bit 0xff as Sendmail). */
static void scan_store(struct scan *s, int c)
{
	if (!s->rule && c == 0xff)
		c = 0x7f;
	sm_buf_putc(&s->tok, c);
}

/*
 * The next input character, or -1 at the end.  At the end of an address
 * an open quote, comment or angle bracket gets its closing character
 * supplied (and reported), the cursor staying at the end.
 */
static int scan_fetch(struct scan *s)
{
	unsigned char c = (unsigned char)*s->p;

	if (c != '\0') {
		s->p++;
		return c;
	}
	if (s->ignore)
		return -1;
	if (s->state == S_QUOTE) {
		scan_error(s, 553, NULL, "Unbalanced '\"'");
		return '"';
	}
	if (s->ncmnt > 0) {
		scan_error(s, 553, NULL, "Unbalanced '('");
		return ')';
	}
	if (s->nangle > 0) {
		scan_error(s, 553, NULL, "Unbalanced '<'");
		return '>';
	}
	return -1;
}

/* Is the next non-blank character after p an '@' (route syntax <@a:b>)? */
static bool next_is_at(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return *p == '@';
}

/*
 * Comments and angle brackets.  Returns the character to feed to the
 * state machine, or -1 to drop it.
 */
static int scan_special(struct scan *s, int c)
{
	if (s->state == S_QUOTE)
		return c;
	if (c == '(' && (s->flags & TOKS_COMMENTS)) {
		s->ncmnt++;
		return -1;
	}
	if (c == ')' && (s->flags & TOKS_COMMENTS)) {
		if (s->ncmnt > 0)
			s->ncmnt--;
		else if (!s->ignore) {
			scan_error(s, 553, NULL, "Unbalanced ')'");
			return -1;
		}
		return c;
	}
	if (s->ncmnt > 0)
		return -1;
	if (c == '<') {
		s->nangle++;
		s->route = next_is_at(s->p);
	} else if (c == '>') {
		if (s->nangle > 0)
			s->nangle--;
		else if (!s->ignore) {
			scan_error(s, 553, NULL, "Unbalanced '>'");
			return -1;
		}
		s->route = false;
	} else if (s->delim == ' ' && isspace(c)) {
		c = ' ';
	}
	return c;
}

/* Run the state machine on c of class cls; store c unless c < 0. */
static bool scan_step(struct scan *s, int c, int cls)
{
	unsigned char tr = transition[s->state][cls];

	s->state = (enum state)(tr & 0x0f);
	if ((tr & T_BREAK) && !scan_flush(s))
		return false;
	if (!(tr & T_DROP) && c >= 0)
		scan_store(s, c);
	return true;
}

/* Parse a macro/class name at p ("x" or "{name}"); -1 if malformed. */
static int scan_name(struct scan *s, const char **pp)
{
	const char *p = *pp;
	const char *close;

	if (*p == '\0' || isspace((unsigned char)*p))
		return -1;
	if (*p != '{') {
		char one[2] = {*p, '\0'};

		*pp = p + 1;
		return macro_id(one);
	}
	close = strchr(p, '}');
	if (close == NULL || close == p + 1)
		return -1;
	*pp = close + 1;
	return macro_id(sm_arena_memdup(s->a, p, (size_t)(close - p + 1)));
}

/* The ruleset name after "$>": one atom or quoted string. */
static bool scan_call(struct scan *s, const char *p)
{
	const char *start, *name, *bare;
	int rs;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '$' && p[1] != '$') {
		/* the name comes from a metasymbol ($2, $&x) at run time */
		s->p = p;
		return scan_meta_push(s, TK_CALL, -1, NULL);
	}
	start = p;
	if (*p == '"') {
		p = strchr(p + 1, '"');
		p = p ? p + 1 : start + strlen(start);
	} else {
		while (*p != '\0' && s->cls[(unsigned char)*p] == C_ATOM && *p != '$')
			p++;
	}
	if (p == start) {
		scan_error(s, 554, "5.3.5", "missing ruleset name after $>");
		s->fatal = true;
		return false;
	}
	name = sm_arena_memdup(s->a, start, (size_t)(p - start));
	bare = name;
	if (*name == '"')
		bare = sm_arena_memdup(s->a, name + 1, strlen(name) - (name[strlen(name) - 1] == '"' ? 2 : 1));
	/*
	 * Sendmail numbers a named ruleset when its S line is read, never
	 * when a rule mentions it: a forward $>name is bound by name after
	 * the file is read (ruleset_resolve_calls), a quoted $>"name" at run
	 * time, and either may stay unknown until then.
	 */
	rs = config_ruleset_number(s->cf, bare, false);
	s->p = p;
	return scan_meta_push(s, TK_CALL, rs, name);
}

/* Replace an unexpanded $x by its value, spliced into the input. */
static bool scan_splice(struct scan *s, int id, const char *rest)
{
	const char *v = s->rcf && s->rcf->macros ? macro_get(s->rcf->macros, id) : NULL;

	if (++s->splices > MAX_SPLICES) {
		scan_error(s, 554, "5.3.5", "macro expansion too deep in rule");
		s->fatal = true;
		return false;
	}
	s->p = sm_arena_printf(s->a, "%s%s", v ? v : "", rest);
	return true;
}

/* A metasymbol taking a name ($=X $~X $&x $?x). */
static bool scan_named(struct scan *s, int kind, const char *p)
{
	int id = scan_name(s, &p);

	if (id < 0) {
		scan_error(s, 554, "5.3.5", "missing or bad name after $ in rule");
		s->fatal = true;
		return false;
	}
	s->p = p;
	return scan_meta_push(s, kind, id, NULL);
}

/*
 * Rule text: s->p points just after a '$'.  Turns the sequence into a
 * metasymbol.  Returns 1 if consumed, 0 if the '$' is an ordinary
 * character, -1 on error.
 */
static int scan_dollar_rule(struct scan *s)
{
	static const char simple[] = "*+-#@:|.[]()";
	static const unsigned short kinds[] = {TK_ZANY, TK_ANY, TK_ONE, TK_NET, TK_HOST, TK_USER,
					       TK_ELSE, TK_FI, TK_HOSTBEGIN, TK_HOSTEND,
					       TK_LOOKUPBEGIN, TK_LOOKUPEND};
	const char *p = s->p;
	const char *hit;
	int c = (unsigned char)*p;

	if (c == '\0')
		return 0;
	if ((hit = strchr(simple, c)) != NULL) {
		s->p = p + 1;
		return scan_meta_push(s, kinds[hit - simple], 0, NULL) ? 1 : -1;
	}
	if (isdigit(c)) {
		s->p = p + 1;
		return scan_meta_push(s, TK_REPL, c - '0', NULL) ? 1 : -1;
	}
	switch (c) {
	case '=':
		return scan_named(s, TK_CLASS, p + 1) ? 1 : -1;
	case '~':
		return scan_named(s, TK_NCLASS, p + 1) ? 1 : -1;
	case '&':
		return scan_named(s, TK_DMACRO, p + 1) ? 1 : -1;
	case '?':
		return scan_named(s, TK_IF, p + 1) ? 1 : -1;
	case '>':
		return scan_call(s, p + 1) ? 1 : -1;
	case '$':
		s->p = p + 1; /* "$$" is a plain dollar */
		return 0;
	default: {
		const char *q = p;
		int id = scan_name(s, &q);

		if (id < 0)
			return 0;
		return scan_splice(s, id, q) ? 1 : -1;
	}
	}
}

/* Handle the character after a backslash; true if it was consumed. */
static bool scan_escaped(struct scan *s, int c)
{
	s->bslash = false;
	if (s->ncmnt > 0)
		return true;
	if (c == '!' && s->state != S_QUOTE)
		return false;
	sm_buf_putc(&s->tok, '\\');
	scan_store(s, c);
	return true;
}

/* True when c at this point ends the scan (the delimiter). */
static bool scan_at_delim(struct scan *s, int *cp)
{
	if (*cp != s->delim || s->ncmnt > 0 || s->state == S_QUOTE)
		return false;
	if (s->nangle <= 0)
		return true;
	if (s->delim == ',' && !s->route && !s->ignore) {
		scan_error(s, 553, NULL, "Unbalanced '<'");
		*cp = '>';
		s->p--;
	}
	return false;
}

/* Feed one input character through the machine; false ends the scan. */
static bool scan_char(struct scan *s, int c, bool *done)
{
	if (c < 0) {
		s->stop = s->p;
		*done = true;
		return true;
	}
	if (scan_at_delim(s, &c)) {
		s->stop = s->p - 1;
		*done = true;
		return true;
	}
	if (s->bslash && scan_escaped(s, c))
		return true;
	if (c == '$' && s->state != S_QUOTE && s->rule) {
		int r = scan_dollar_rule(s);

		if (r != 0)
			return r > 0;
	}
	if (c == '\\') {
		/* starts or continues an atom; stored with the next character */
		s->bslash = true;
		return scan_step(s, -1, C_ATOM);
	}
	c = scan_special(s, c);
	if (c < 0)
		return true;
	if (c == s->delim && s->nangle <= 0 && s->state != S_QUOTE) {
		s->stop = s->p - 1;
		*done = true;
		return true;
	}
	return scan_step(s, c, s->cls[c]);
}

/* The scanning loop shared by addresses and rule text. */
static bool scan_run(struct scan *s)
{
	bool done = false;
	size_t bound = strlen(s->p) * 4 + 64; /* repairs add a few characters */

	while (!done && bound-- > 0) {
		if (!scan_char(s, scan_fetch(s), &done))
			return false;
	}
	return scan_flush(s);
}

static void scan_init(struct scan *s, const struct config *cf, struct sm_arena *a, const char *text,
		      int delim, int flags, struct tokvec *out, struct tok_error *err)
{
	memset(s, 0, sizeof(*s));
	s->rcf = cf;
	s->a = a;
	s->addr = text;
	s->p = text;
	s->delim = delim;
	s->flags = flags;
	if (cf != NULL && cf->version > 0 && cf->version < 9)
		s->flags |= TOKS_COMMENTS;
	s->state = S_ATOM;
	s->out = out;
	s->err = err;
	s->last = err;
	memset(err, 0, sizeof(*err));
	scan_classes(s, cf ? cf->operator_chars : NULL);
}

bool tok_scan_address_ex(const struct config *cf, struct sm_arena *a, const char *addr, int delim,
			 int flags, struct tokvec *out, const char **endp, struct tok_error *err)
{
	struct scan s;
	bool ok;

	scan_init(&s, cf, a, addr, delim, flags, out, err);
	if ((flags & TOKS_BT) && !(flags & TOKS_NOLIMIT) && strlen(addr) > MAXNAME - 1) {
		scan_error(&s, 553, "5.1.0",
			   sm_arena_printf(a, "Address \"%.*s\" too long (%d bytes max)", MAXNAME - 1, addr,
					   MAXNAME - 1));
		if (endp != NULL)
			*endp = addr + strlen(addr);
		return false;
	}
	ok = scan_run(&s) && !s.fatal;
	sm_buf_free(&s.tok);
	if (endp != NULL)
		*endp = s.stop ? s.stop : s.p;
	return ok;
}

bool tok_scan_address(const struct config *cf, struct sm_arena *a, const char *addr, int delim,
		      struct tokvec *out, const char **endp, struct tok_error *err)
{
	return tok_scan_address_ex(cf, a, addr, delim, 0, out, endp, err);
}

bool tok_scan_rule(struct config *cf, struct sm_arena *a, const char *text, struct tokvec *out,
		   struct tok_error *err)
{
	struct scan s;
	bool ok;

	scan_init(&s, cf, a, text, '\0', 0, out, err);
	s.cf = cf;
	s.rule = true;
	s.ignore = true;
	ok = scan_run(&s) && !s.fatal;
	sm_buf_free(&s.tok);
	return ok;
}

/* ---- printing ---- */

/* A word as xputs shows it: 8-bit as M-x, control bytes left out. */
static void format_word(const char *w, struct sm_buf *out)
{
	const unsigned char *p = (const unsigned char *)w;

	while (*p) {
		/* Copy a run of printable ASCII in one append. */
		const unsigned char *run = p;

		while (*p >= 0x20 && *p < 0x7f)
			p++;
		if (p > run)
			sm_buf_append(out, run, (size_t)(p - run));
		if (*p == '\0')
			break;
		int c = *p++;

		if (c >= 0x80) {
			sm_buf_puts(out, "M-");
			c &= 0x7f;
		}
		if (c >= 0x20 && c < 0x7f)
			sm_buf_putc(out, c);
	}
}

void tok_format1(const struct config *cf, const struct token *t, struct sm_buf *out)
{
	static const char *const fixed[] = {
		[TK_ZANY] = "$*", [TK_ANY] = "$+", [TK_ONE] = "$-", [TK_NET] = "$#",
		[TK_HOST] = "$@", [TK_USER] = "$:", [TK_ELSE] = "$|", [TK_FI] = "$.",
		[TK_HOSTBEGIN] = "$[", [TK_HOSTEND] = "$]", [TK_LOOKUPBEGIN] = "$(",
		[TK_LOOKUPEND] = "$)",
	};

	(void)cf;
	switch (t->kind) {
	case TK_WORD:
		format_word(t->s ? t->s : "", out);
		return;
	case TK_CLASS:
		sm_buf_printf(out, "$=%s", macro_name(t->arg));
		return;
	case TK_NCLASS:
		sm_buf_printf(out, "$~%s", macro_name(t->arg));
		return;
	case TK_DMACRO:
		sm_buf_printf(out, "$&%s", macro_name(t->arg));
		return;
	case TK_IF:
		sm_buf_printf(out, "$?%s", macro_name(t->arg));
		return;
	case TK_REPL:
		sm_buf_printf(out, "$%d", t->arg);
		return;
	case TK_CALL:
		if (t->s != NULL)
			sm_buf_printf(out, "$> %s", t->s);
		else if (t->arg >= 0)
			sm_buf_printf(out, "$> %d", t->arg);
		else
			sm_buf_puts(out, "$>");
		return;
	default:
		if (t->kind < sizeof(fixed) / sizeof(fixed[0]) && fixed[t->kind] != NULL)
			sm_buf_puts(out, fixed[t->kind]);
		return;
	}
}

void tok_format(const struct config *cf, const struct token *t, size_t n, struct sm_buf *out)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			sm_buf_putc(out, ' ');
		tok_format1(cf, &t[i], out);
	}
}

/* ASCII case folding as strcasecmp does it in the C locale. */
static const unsigned char ascii_lower[256] = {
#define L(c) [c] = (unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) + 32 : (c))
#define L8(c) L(c), L(c + 1), L(c + 2), L(c + 3), L(c + 4), L(c + 5), L(c + 6), L(c + 7)
#define L64(c) L8(c), L8(c + 8), L8(c + 16), L8(c + 24), L8(c + 32), L8(c + 40), L8(c + 48), L8(c + 56)
	L64(0), L64(64), L64(128), L64(192)
#undef L64
#undef L8
#undef L
};

bool tok_equal(const struct token *x, const struct token *y)
{
	if (x->kind != y->kind)
		return false;
	if (x->kind != TK_WORD)
		return x->arg == y->arg;
	/* Most literals differ in their first byte: decide that inline. */
	if (ascii_lower[(unsigned char)x->s[0]] != ascii_lower[(unsigned char)y->s[0]])
		return false;
	for (const unsigned char *a = (const unsigned char *)x->s, *b = (const unsigned char *)y->s;;
	     a++, b++) {
		if (ascii_lower[*a] != ascii_lower[*b])
			return false;
		if (*a == '\0')
			return true;
	}
}

bool tok_is_atom_char(const struct config *cf, int c)
{
	const char *ops = cf && cf->operator_chars ? cf->operator_chars : DEFAULT_OPERATORS;

	c &= 0xff;
	if (c == '\0' || c == '"' || strchr(" \t\n\v\f\r", c) != NULL)
		return false;
	return strchr(ops, c) == NULL && strchr(FIXED_SPECIALS, c) == NULL;
}
