/*
 * daemon/vrfy.c: the answers to VRFY and EXPN (the SMTP core's vrfy hook).
 *
 * glue_vrfy() runs the argument through the envelope's recipient
 * expansion in an envelope of its own (the transaction in progress is
 * not touched), as Sendmail's srvrsmtp does with its vrfyqueue:
 *   EXPN  aliases, :include: and .forward are expanded, every address
 *         that would be delivered is listed;
 *   VRFY  an address found in the aliases is shown as it is, not
 *         expanded (Sendmail stops at the alias with QS_VERIFIED), a
 *         local user is looked up (full name), .forward is not read.
 * One line per address, "250-" on all but the last: "Full Name
 * <user@$j>" when the mailer's address type is RFC822 and the user has
 * no '@', "<user>" else; VRFY answers 252 instead of 250 for a mailer
 * without F=q.  A failed address is the reply ("550 5.1.1 x... User
 * unknown"); nothing at all is "554 5.5.2 Nothing to VRFY".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"

/* Whether r descends from an address the aliases map expanded. */
static bool under_alias(const struct env_rcpt *r)
{
	int n = 0;

	for (const struct env_rcpt *p = r->alias; p != NULL && n < 1000; p = p->alias, n++)
		if (p->flags & ER_ISALIAS)
			return true;
	return false;
}

/* Whether r is listed in the answer. */
static bool listed(const struct env_rcpt *r, bool expn)
{
	if (!expn) {
		if (under_alias(r))
			return false;
		if (r->flags & ER_ISALIAS)
			return true;
	}
	return env_rcpt_sendable(r);
}

/* The first failure that counts for the answer, or NULL. */
static const struct env_rcpt *failure(const struct envelope *e, bool expn)
{
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (r->state == RS_BADADDR && (expn || !under_alias(r)))
			return r;
	return NULL;
}

/* One answer line (Sendmail's printvrfyaddr). */
static void vrfy_line(struct glue *g, const struct env_rcpt *r, bool expn, bool last,
                      struct sm_buf *out)
{
	const struct mailer *m = r->mailer;
	int code = !expn && m != NULL && !mailer_flag(m, 'q') ? 252 : 250;
	const char *user = r->user != NULL ? r->user : r->paddr;
	const char *full = (r->flags & ER_ISALIAS) ? NULL : r->fullname;
	const char *j = macro_get(g->cf->macros, macro_id("j"));
	bool rfc822 = m == NULL || m->addrtype == NULL || strcasecmp(m->addrtype, "rfc822") == 0;

	sm_buf_printf(out, "%d%c2.1.5 ", code, last ? ' ' : '-');
	if (full != NULL && *full != '\0')
		sm_buf_printf(out, "%s ", full);
	if (rfc822 && strchr(user, '@') == NULL)
		sm_buf_printf(out, "<%s@%s>\r\n", user, j != NULL ? j : "localhost");
	else
		sm_buf_printf(out, "<%s>\r\n", user);
}

/* The refusal for a failed address, as a reply line. */
static void vrfy_failure(struct glue *g, const struct env_rcpt *bad, const char *arg,
                         struct sm_buf *out)
{
	struct smtp_decision d;
	const char *msg = bad->message;

	memset(&d, 0, sizeof(d));
	if (msg != NULL && msg[0] >= '2' && msg[0] <= '5')
		glue_error_reply(g, bad->status, msg, arg, &d);
	else
		glue_refuse(g, &d, 550, bad->status != NULL ? bad->status : "5.1.1", "%s... %s",
		            arg, msg != NULL ? msg : "User unknown");
	sm_buf_printf(out, "%d %s %s\r\n", d.code, d.dsn != NULL ? d.dsn : "5.1.1", d.text);
}

void glue_vrfy(void *ctx, const char *arg, bool expn, struct sm_buf *out)
{
	struct glue *g = ctx;
	struct sm_arena *a = sm_arena_new();
	char *buf = NULL;
	size_t len = 0;
	FILE *msg = open_memstream(&buf, &len);
	struct envelope *e = env_new(g->cf, a, msg);
	const struct env_rcpt *bad, *r, *next;

	macros_free(e->macros);
	e->macros = macros_new(smtp_session_macros(g->s));
	if (!expn)
		e->eflags |= EF_VRFYONLY;
	(void)env_sendtolist(e, arg, NULL, 0, ER_PRIMARY);
	bad = failure(e, expn);
	r = e->rcpts;
	while (r != NULL && !listed(r, expn))
		r = r->next;
	if (bad != NULL)
		vrfy_failure(g, bad, arg, out);
	else if (r == NULL)
		sm_buf_printf(out, "554 5.5.2 Nothing to %s\r\n", expn ? "EXPN" : "VRFY");
	for (int n = 0; bad == NULL && r != NULL && n < 10000; n++, r = next) {
		next = r->next;
		while (next != NULL && !listed(next, expn))
			next = next->next;
		vrfy_line(g, r, expn, next == NULL, out);
	}
	env_free(e);
	fclose(msg);
	free(buf);
	sm_arena_free(a);
}
