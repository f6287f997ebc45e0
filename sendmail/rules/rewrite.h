/*
 * rules/rewrite: the rewriting engine.
 *
 * rewrite() applies one ruleset to a token vector in place, with Sendmail's
 * semantics: LHS matching with backtracking ($* $+ $- $=X $~X $@ literals),
 * RHS construction ($1..$9, $[ $], $( $), $>, $&x, $#/$@/$: prefixes), the
 * retry loop and its limits ("Infinite loop in ruleset"), nesting limit,
 * 16 subroutine calls per RHS, token limits.  In test mode (ctx->trace not
 * NULL) it prints the "name  input:" / "name returns:" lines exactly as
 * Sendmail's -bt does, and with -d21.x the rule-matching trace.
 *
 * Callers: -bt (rules/bt.c), address parsing (rules/parseaddr.c), later the
 * envelope and SMTP policy code.  Owned by the rules module.
 */
#ifndef RULES_REWRITE_H
#define RULES_REWRITE_H

#include <stdbool.h>
#include <stdio.h>

#include "sendmail/rules/token.h"

struct config;
struct macros;
struct sm_arena;

#define MAXATOM 1000    /* tokens in an address */
#define MAXNAME 256     /* bytes in an address (255 + NUL) */
#define MAXRULERECURSION 50
#define MAXSUBRCALLS 16 /* $> calls in one RHS */
#define MAXLOOPS 100    /* consecutive matches of one rule */

struct rw_ctx {
	struct config *cf;
	struct macros *macros;  /* run-time macros ($&x, the macro map) */
	struct sm_arena *arena; /* the transaction's arena: tokens, strings */
	FILE *trace;            /* -bt output (stdout), NULL when not testing */
	int debug21;            /* -d21.N level: rule matching trace */
	FILE *errout;           /* where usrerr/syserr-style messages go */
	int nsyserr;            /* count of "system error" messages printed (-bt exits 70) */
};

/*
 * Apply ruleset number rs to *tv (replaced by the result).  Returns a
 * sysexits code: EX_OK, EX_DATAERR (bad input / $#error during test),
 * EX_CONFIG (excessive recursion, bad ruleset), EX_TEMPFAIL (a map
 * temp-failed without -T/-t).  reclevel is 0 for a top-level call.
 */
int rewrite(struct rw_ctx *ctx, int rs, int reclevel, struct tokvec *tv);
/* rewrite() with a smaller token budget (Sendmail's maxatom for $> calls). */
int rewrite_limited(struct rw_ctx *ctx, int rs, int reclevel, struct tokvec *tv, size_t maxatom);

#endif
