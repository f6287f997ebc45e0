/*
 * alias_rules: alias names parsed as addresses, for sendmail -bi.
 *
 * Sendmail stores an alias under the user part of its name as the local
 * mailer sees it: the name goes through rulesets 3 and 0 like a recipient,
 * a name that resolves elsewhere is refused ("cannot alias non-local
 * names") and one that does not resolve is illegal.  This module supplies
 * that rule as the alias_opts.lhs hook; the alias parser itself stays
 * free of rulesets.
 *
 * Public: alias_rules_begin, alias_rules_end (alias.h).  Callers: the
 * newaliases mode of main.c.
 */
#include "sendmail/alias/alias.h"

#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

/* One name through rulesets 3 and 0; the user part of a local result. */
static enum alias_lhs_result rules_lhs(void *vctx, const char *text, struct sm_buf *user)
{
	struct alias_rules *ar = vctx;
	struct rw_ctx rw = {.cf = ar->cf, .macros = ar->cf->macros, .arena = ar->arena,
			    .errout = ar->msgs};
	struct pa_ctx pc = {&rw, ar->msgs, &ar->exitstat};
	struct address a;
	enum alias_lhs_result r = ALIAS_LHS_OK;

	memset(&a, 0, sizeof(a));
	if (!pa_parseaddr(&pc, text, 0, '\0', NULL, &a) || a.state != PA_OK)
		r = ALIAS_LHS_ILLEGAL;
	else if (a.mailer == NULL || strcmp(a.mailer_name, "local") != 0)
		r = ALIAS_LHS_NONLOCAL;
	else {
		sm_buf_reset(user);
		sm_buf_puts(user, a.user != NULL ? a.user : "");
	}
	sm_arena_reset(ar->arena);
	return r;
}

void alias_rules_begin(struct alias_rules *ar, struct alias_opts *o, struct config *cf)
{
	ar->cf = cf;
	ar->arena = sm_arena_new();
	ar->msgs = o->msgs != NULL ? o->msgs : stdout;
	ar->exitstat = 0;
	o->lhs = rules_lhs;
	o->ctx = ar;
}

int alias_rules_end(struct alias_rules *ar)
{
	sm_arena_free(ar->arena);
	ar->arena = NULL;
	return ar->exitstat;
}
