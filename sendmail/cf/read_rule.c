/*
 * cf/read_rule: S (ruleset) and R (rewriting rule) lines.
 *
 * S lines: "Sn" (0..99), "Sname", "Sname=n".  Macros in the line are
 * expanded first.  A bad S line leaves no current ruleset, so the R lines
 * after it are reported as "missing valid ruleset".
 *
 * R lines: LHS, RHS and an optional comment separated by TABs.  Each side
 * is macro-expanded at read time (conditionals included; $&x stays
 * deferred), scanned with tok_scan_rule (rules/token.h), then checked as
 * Sendmail checks it: metasymbols that make no sense on a side, $N beyond
 * the LHS wildcards, nested or unclosed map lookups, more than nine
 * wildcards.  As in Sendmail the rule is stored even after most of these
 * messages.
 */
#include "sendmail/cf/read.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/diag.h"

#define MAX_WILDCARDS 9

/* Parse "n", "name" or "name=n"; returns the number or -1 (after a message). */
static int ruleset_from_line(struct cf_reader *rd, const char *text)
{
	struct config *cf = rd->cf;
	const char *p = text;

	if (isdigit((unsigned char)*p)) {
		long n = strtol(p, NULL, 10);
		if (n >= MAXNUMRWSETS) {
			cf_syserr(cf, "bad ruleset %ld (%d max)", n, MAXNUMRWSETS);
			return -1;
		}
		return (int)n;
	}
	if (!isalpha((unsigned char)*p) && *p != '_') {
		cf_syserr(cf, "invalid ruleset name: \"%.20s\"", text);
		return -1;
	}
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	char *name = sm_arena_memdup(cf->arena, text, (size_t)(p - text));
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '=') {
		int n = config_ruleset_number(cf, name, true);
		return n < 0 ? n : ruleset_define_name(cf, name, -1);
	}
	p++;
	while (isspace((unsigned char)*p))
		p++;
	if (!isdigit((unsigned char)*p)) {
		cf_syserr(cf, "bad ruleset definition \"%s\" (number required after `=')", text);
		ruleset_note_unnumbered(cf, name);
		return -1;
	}
	long n = strtol(p, NULL, 10);
	if (n >= MAXNUMRWSETS) {
		cf_syserr(cf, "bad ruleset number %ld in \"%s\" (%d max)", n, text, MAXNUMRWSETS);
		ruleset_note_unnumbered(cf, name);
		return -1;
	}
	int r = ruleset_define_name(cf, name, (int)n);
	if (r < 0) {
		cf_syserr(cf, "%s: ruleset changed value (old %d, new %ld)", text, -1 - r, n);
		return -1 - r;
	}
	return r;
}

void read_ruleset_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	char *exp = macro_expand(cf->macros, text + 1, cf->arena);

	cf->rules_seen = true;
	rd->cur = NULL;
	for (char *e = exp; *e; e++) {
		if (isspace((unsigned char)*e)) {
			*e = '\0';
			break;
		}
	}
	int n = ruleset_from_line(rd, exp);
	if (n < 0)
		return;
	if (cf->rulesets[n] != NULL && cf->rulesets[n]->nrules > 0) {
		cf_diag_where(NULL, 0);
		cf_syserr(cf, "WARNING: Ruleset %s has multiple definitions", exp);
		cf_diag_where(rd->file, rd->line);
	}
	rd->cur = ruleset_get(cf, n);
}

/* The text Sendmail's messages use for a metasymbol kind. */
static const char *meta_text(int kind)
{
	switch (kind) {
	case TK_ZANY: return "$*";
	case TK_ANY: return "$+";
	case TK_ONE: return "$-";
	case TK_CLASS: return "$=";
	case TK_NCLASS: return "$~";
	case TK_USER: return "$:";
	case TK_CALL: return "$>";
	case TK_HOSTBEGIN: return "$[";
	case TK_HOSTEND: return "$]";
	case TK_LOOKUPBEGIN: return "$(";
	case TK_LOOKUPEND: return "$)";
	case TK_REPL: return "$1-$9";
	default: return "?";
	}
}

/* LHS checks; returns the number of wildcards. */
static int check_lhs(struct config *cf, const struct token *v, size_t n)
{
	int wild = 0;

	for (size_t i = 0; i < n; i++) {
		switch (v[i].kind) {
		case TK_ZANY: case TK_ANY: case TK_ONE: case TK_CLASS: case TK_NCLASS:
			wild++;
			break;
		case TK_USER: case TK_CALL: case TK_HOSTBEGIN: case TK_HOSTEND:
		case TK_LOOKUPBEGIN: case TK_LOOKUPEND: case TK_REPL:
			cf_syserr(cf, "Inappropriate use of %s on LHS", meta_text(v[i].kind));
			break;
		default:
			break;
		}
	}
	return wild;
}

static void check_rhs(struct config *cf, const struct token *v, size_t n, int wild)
{
	bool inmap = false;

	for (size_t i = 0; i < n; i++) {
		switch (v[i].kind) {
		case TK_ZANY: case TK_ANY: case TK_ONE: case TK_CLASS: case TK_NCLASS:
			cf_syserr(cf, "Inappropriate use of %s on RHS", meta_text(v[i].kind));
			break;
		case TK_REPL:
			if (v[i].arg > wild || v[i].arg == 0)
				cf_syserr(cf, "replacement $%d out of bounds", v[i].arg);
			break;
		case TK_LOOKUPBEGIN:
			if (inmap)
				cf_syserr(cf, "cannot nest map lookups");
			inmap = true;
			break;
		case TK_LOOKUPEND:
			inmap = false;
			break;
		default:
			break;
		}
	}
	if (inmap)
		cf_syserr(cf, "missing map closing token");
}

/* Expand and scan one side; an error leaves an empty side. */
static void scan_side(struct cf_reader *rd, const char *text, struct token **v, size_t *n)
{
	struct config *cf = rd->cf;
	struct tokvec tv;
	struct tok_error err;
	char *exp = macro_expand(cf->macros, text, cf->arena);

	tokvec_init(&tv, cf->arena);
	if (!tok_scan_rule(cf, cf->arena, exp, &tv, &err) && err.msg != NULL)
		cf_syserr(cf, "%s", err.msg);
	*v = tv.v;
	*n = tv.n;
}

void read_rule_line(struct cf_reader *rd, char *text)
{
	struct config *cf = rd->cf;
	struct rule r = {0};

	cf->rules_seen = true;
	if (rd->cur == NULL) {
		cf_syserr(cf, "missing valid ruleset for \"%s\"", cf_line_image(rd, text));
		return;
	}
	char *lhs = text + 1;
	char *tab = strchr(lhs, '\t');
	if (tab == NULL) {
		cf_syserr(cf, "invalid rewrite line \"%s\" (tab expected)", cf_line_image(rd, text));
		return;
	}
	*tab = '\0';
	char *rhs = tab + 1;
	while (*rhs == '\t')
		rhs++;
	char *end = strchr(rhs, '\t');
	if (end != NULL)
		*end = '\0';
	r.file = rd->file;
	r.line = rd->line;
	scan_side(rd, lhs, &r.lhs, &r.nlhs);
	if (r.nlhs == 0)
		cf_syserr(cf, "R line: null LHS");
	int wild = check_lhs(cf, r.lhs, r.nlhs);
	if (wild > MAX_WILDCARDS) {
		cf_syserr(cf, "R line: too many wildcards");
		r.nlhs = 0;
	}
	scan_side(rd, rhs, &r.rhs, &r.nrhs);
	check_rhs(cf, r.rhs, r.nrhs, wild > MAX_WILDCARDS ? 0 : wild);
	ruleset_add_rule(cf, rd->cur, &r);
}
