/*
 * cf/ruleset: ruleset numbers, names and rule storage, and the -bt `=S`
 * dump.
 *
 * Numbers 0..99 are written in the cf; a name gets a number on first
 * mention (an S line or a $>name call), counting down from 199, unless the
 * S line binds it ("Sname=NN").  A name keeps its first number: a later
 * "Sname=NN" with another number is an error and changes nothing.  When
 * several names are bound to one number, the last one bound is the name
 * traces show.
 *
 * Public API: cf/config.h (config_ruleset_number, config_ruleset,
 * config_ruleset_name, config_print_ruleset) and cf/read.h
 * (ruleset_add_rule, ruleset_get).
 */
#include "sendmail/cf/config.h"
#include "sendmail/cf/read.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"

/* A name -> number binding (names are case-sensitive, as in Sendmail). */
struct rs_name {
	const char *name;
	int number;
	bool defined; /* named by an S line (else only referred to so far) */
};

static int lookup_name(const struct config *cf, const char *name)
{
	const struct rs_name *v = cf->rs_names;

	for (size_t i = 0; i < cf->nrs_names; i++) {
		if (strcmp(v[i].name, name) == 0)
			return v[i].number;
	}
	return -1;
}

void ruleset_bind_name(struct config *cf, const char *name, int number)
{
	if (cf->nrs_names == cf->caprs_names) {
		size_t n = cf->caprs_names ? cf->caprs_names * 2 : 64;
		struct rs_name *v = sm_arena_array(cf->arena, n, sizeof(*v));
		if (cf->nrs_names)
			memcpy(v, cf->rs_names, cf->nrs_names * sizeof(*v));
		cf->rs_names = v;
		cf->caprs_names = n;
	}
	struct rs_name *v = cf->rs_names;
	v[cf->nrs_names].name = sm_arena_strdup(cf->arena, name);
	v[cf->nrs_names].number = number;
	v[cf->nrs_names].defined = false;
	cf->nrs_names++;
	if (number >= 0)
		cf->ruleset_names[number] = v[cf->nrs_names - 1].name;
}

void ruleset_note_unnumbered(struct config *cf, const char *name)
{
	if (lookup_name(cf, name) >= 0)
		return;
	for (size_t i = 0; i < cf->nrs_names; i++)
		if (strcmp(cf->rs_names[i].name, name) == 0)
			return;
	ruleset_bind_name(cf, name, -1);
}

/* The highest named-range number no name and no rules hold, or -1. */
static int free_number(const struct config *cf)
{
	for (int n = MAXRWSETS - 1; n >= MAXNUMRWSETS; n--)
		if (cf->ruleset_names[n] == NULL && cf->rulesets[n] == NULL)
			return n;
	return -1;
}

int ruleset_lookup_name(const struct config *cf, const char *name)
{
	return lookup_name(cf, name);
}

static struct rs_name *find_binding(struct config *cf, const char *name)
{
	struct rs_name *v = cf->rs_names;

	for (size_t i = 0; i < cf->nrs_names; i++) {
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	}
	return NULL;
}

int ruleset_define_name(struct config *cf, const char *name, int number)
{
	struct rs_name *b = find_binding(cf, name);

	if (b == NULL) {
		ruleset_bind_name(cf, name, number);
		cf->rs_names[cf->nrs_names - 1].defined = true;
		return number;
	}
	if (b->number == number || number < 0) {
		b->defined = true;
		return b->number;
	}
	if (b->defined)
		return -1 - b->number;
	/* A name only referred to so far moves to the number its S line gives. */
	int old = b->number;
	if (old >= 0 && cf->ruleset_names[old] == b->name)
		cf->ruleset_names[old] = NULL;
	b->number = number;
	b->defined = true;
	cf->ruleset_names[number] = b->name;
	if (old >= 0)
		ruleset_renumber_hook(cf, old, number);
	return number;
}

static const char *bare_name(struct config *cf, const char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		return sm_arena_memdup(cf->arena, s + 1, n - 2);
	return s;
}

/* Point every $>name at the number its name has now. */
void ruleset_resolve_calls(struct config *cf)
{
	for (int i = 0; i < MAXRWSETS; i++) {
		struct ruleset *rs = cf->rulesets[i];
		for (size_t r = 0; rs != NULL && r < rs->nrules; r++) {
			struct token *sides[2] = {rs->rules[r].lhs, rs->rules[r].rhs};
			size_t ns[2] = {rs->rules[r].nlhs, rs->rules[r].nrhs};
			for (int k = 0; k < 2; k++) {
				for (size_t t = 0; t < ns[k]; t++) {
					if (sides[k][t].kind != TK_CALL || sides[k][t].s == NULL)
						continue;
					int n = lookup_name(cf, bare_name(cf, sides[k][t].s));
					if (n >= 0)
						sides[k][t].arg = n;
				}
			}
		}
	}
}

static bool all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
	}
	return true;
}

int config_ruleset_number(struct config *cf, const char *name, bool create)
{
	if (all_digits(name)) {
		long n = strtol(name, NULL, 10);
		return n < MAXRWSETS ? (int)n : -1;
	}
	int n = lookup_name(cf, name);
	if (n >= 0)
		return n;
	struct rs_name *b = find_binding(cf, name);
	if (b != NULL) {
		/*
		 * Known from an erroneous S line but never numbered: Sendmail
		 * numbers it on first use and leaves that number nameless.
		 */
		n = free_number(cf);
		if (n >= 0) {
			b->number = n;
			ruleset_get(cf, n);
		}
		return n;
	}
	if (!create)
		return -1;
	/*
	 * Sendmail gives a new name the highest number no name holds, so a
	 * number freed when a forward-referenced name moves to its Sname=N
	 * binding is handed out again.
	 */
	n = free_number(cf);
	if (n >= 0)
		ruleset_bind_name(cf, name, n);
	return n;
}

const struct ruleset *config_ruleset(const struct config *cf, int number)
{
	if (number < 0 || number >= MAXRWSETS)
		return NULL;
	return cf->rulesets[number];
}

const char *config_ruleset_name(const struct config *cf, int number)
{
	static char buf[16];

	if (number >= 0 && number < MAXRWSETS && cf->ruleset_names[number] != NULL)
		return cf->ruleset_names[number];
	snprintf(buf, sizeof(buf), "%d", number);
	return buf;
}

struct ruleset *ruleset_get(struct config *cf, int number)
{
	struct ruleset *rs = cf->rulesets[number];

	if (rs == NULL) {
		rs = sm_arena_zalloc(cf->arena, sizeof(*rs));
		rs->number = number;
		cf->rulesets[number] = rs;
	}
	rs->name = cf->ruleset_names[number];
	return rs;
}

void ruleset_add_rule(struct config *cf, struct ruleset *rs, const struct rule *r)
{
	if (rs->nrules == rs->cap) {
		size_t n = rs->cap ? rs->cap * 2 : 16;
		struct rule *v = sm_arena_array(cf->arena, n, sizeof(*v));
		if (rs->nrules)
			memcpy(v, rs->rules, rs->nrules * sizeof(*v));
		rs->rules = v;
		rs->cap = n;
	}
	rs->rules[rs->nrules++] = *r;
}

/* ---- the =S dump ---- */

/* Append one byte as Sendmail's output shows it (8-bit as M-x). */
static void put_byte(struct sm_buf *b, unsigned char c)
{
	if (c & 0x80) {
		sm_buf_puts(b, "M-");
		c &= 0x7f;
	}
	sm_buf_putc(b, c);
}

static void put_word(struct sm_buf *b, const char *s)
{
	for (; *s; s++)
		put_byte(b, (unsigned char)*s);
}

/* One token as `=S` prints it, without the separating space. */
void rule_token_format(const struct config *cf, const struct token *t, struct sm_buf *b)
{
	static const char *const meta[] = {
		[TK_ZANY] = "$*",       [TK_ANY] = "$+",      [TK_ONE] = "$-",
		[TK_NET] = "$#",        [TK_HOST] = "$@",     [TK_USER] = "$:",
		[TK_ELSE] = "$|",       [TK_FI] = "$.",       [TK_HOSTBEGIN] = "$[",
		[TK_HOSTEND] = "$]",    [TK_LOOKUPBEGIN] = "$(", [TK_LOOKUPEND] = "$)",
	};

	switch (t->kind) {
	case TK_WORD:
		put_word(b, t->s ? t->s : "");
		break;
	case TK_CLASS:
	case TK_NCLASS:
	case TK_IF:
	case TK_DMACRO:
		sm_buf_puts(b, t->kind == TK_CLASS ? "$=" : t->kind == TK_NCLASS ? "$~"
					 : t->kind == TK_IF ? "$?" : "$&");
		sm_buf_puts(b, macro_name(t->arg));
		break;
	case TK_REPL:
		sm_buf_printf(b, "$%d", t->arg);
		break;
	case TK_CALL:
		/* A ruleset chosen at run time ($>$2) has no name of its own. */
		if (t->s == NULL && t->arg < 0) {
			sm_buf_puts(b, "$>");
			break;
		}
		sm_buf_puts(b, "$> ");
		if (t->s != NULL)
			put_word(b, t->s);
		else
			sm_buf_puts(b, config_ruleset_name(cf, t->arg));
		break;
	default:
		if (t->kind < sizeof(meta) / sizeof(meta[0]) && meta[t->kind])
			sm_buf_puts(b, meta[t->kind]);
		break;
	}
}

static void put_side(const struct config *cf, const struct token *v, size_t n, struct sm_buf *b)
{
	for (size_t i = 0; i < n; i++) {
		rule_token_format(cf, &v[i], b);
		sm_buf_putc(b, ' ');
	}
}

void config_print_ruleset(const struct config *cf, const struct ruleset *rs, FILE *fp)
{
	struct sm_buf b = SM_BUF_INIT;

	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++) {
		sm_buf_reset(&b);
		sm_buf_putc(&b, 'R');
		put_side(cf, rs->rules[i].lhs, rs->rules[i].nlhs, &b);
		sm_buf_puts(&b, "\t\t");
		put_side(cf, rs->rules[i].rhs, rs->rules[i].nrhs, &b);
		sm_buf_putc(&b, '\n');
		fwrite(b.data, 1, b.len, fp);
	}
	sm_buf_free(&b);
}
