/*
 * deliver/dlv_rcpt: the recipients of a queue entry, through the
 * envelope module, as Sendmail 8.17's readqf() + recipient() do.
 *
 * Internal (dlv_int.h): dlv_rcpt_resolve, dlv_last_message, dlv_exit_dsn.
 *
 * Every R line goes through the envelope's recipient() again
 * (env_add_qf_rcpts_each) with its C line as the controlling address:
 * parseaddr (rulesets 3, 0, R=), aliases with :include:, |program and
 * /file, owner- lists, ruleset 5 for F=5 mailers, F=w users and their
 * .forward, duplicates, MaxAliasRecursion.  R lines written fully
 * expanded at submission come out unchanged; lines queued unexpanded
 * (an alias database that was down, a qf written by other tools) are
 * expanded now.  Recipients reached through an owner- alias go into
 * entries of their own with the owner as sender (env_split_owners),
 * delivered later in the same run.  Each envelope recipient then becomes
 * a dlv_rcpt: to deliver (RS_OK), deferred (RS_QUEUEUP) or failed
 * (RS_BADADDR, with the message the envelope printed).  An R line that
 * does not parse at all fails permanently (5.1.3) so that it is bounced,
 * not silently dropped.  On requeue, dlv_job.c writes the remaining
 * recipients back with env_qf_add_rcpt, so C lines are kept.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/envelope/envelope.h"

const char *dlv_exit_dsn(int code)
{
	switch (code) {
	case EX_OK:
		return "2.0.0";
	case EX_USAGE:
		return "5.5.4";
	case EX_DATAERR:
		return "5.5.2";
	case EX_NOUSER:
		return "5.1.1";
	case EX_NOHOST:
		return "5.1.2";
	case EX_NOINPUT:
	case EX_CANTCREAT:
	case EX_NOPERM:
		return "5.3.0";
	case EX_OSERR:
	case EX_IOERR:
		return "4.5.0";
	case EX_TEMPFAIL:
		return "4.2.0";
	default: /* 8.17: a status outside sysexits says nothing more */
		return code >= EX__BASE && code <= EX__MAX ? "5.5.0" : "5.0.0";
	}
}

const char *dlv_exit_reply(int code)
{
	static const char *const tab[] = {
	    "500 5.0.0", "501 5.6.0", "550 5.3.0", "550 5.1.1", "550 5.1.2",
	    "554 5.0.0", "554 5.3.0", "451 4.0.0", "554 5.3.5", "550 5.0.0",
	    "451 4.0.0", "450 4.0.0", "554 5.5.0", "550 5.0.0", "554 5.3.5",
	}; /* EX_USAGE (64) .. EX_CONFIG (78), as 8.17 words them */

	if (code >= EX__BASE && code - EX__BASE < (int)(sizeof(tab) / sizeof(tab[0])))
		return tab[code - EX__BASE];
	return "554 5.3.0";
}

/* The text after "addr... " of a message line (or the whole line). */
static const char *strip_addr(const char *text)
{
	const char *dots = strstr(text, "... ");

	return dots != NULL ? dots + 4 : text;
}

const char *dlv_last_message(struct dlv_job *j)
{
	const char *p;
	char *text;
	size_t len;

	fflush(j->msgs);
	if (j->msgbuf == NULL || j->msgsize <= j->msgseen)
		return NULL;
	p = j->msgbuf + j->msgseen;
	len = j->msgsize - j->msgseen;
	j->msgseen = j->msgsize;
	text = sm_arena_memdup(j->a, p, len);
	while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	if (strrchr(text, '\n') != NULL)
		text = strrchr(text, '\n') + 1;
	return strip_addr(text);
}

/* The newest message printed about addr during the expansion, or NULL. */
static const char *message_about(struct dlv_job *j, const char *addr)
{
	const char *best = NULL;
	size_t alen = strlen(addr);

	fflush(j->msgs);
	if (j->msgbuf == NULL)
		return NULL;
	for (const char *line = j->msgbuf; line < j->msgbuf + j->msgsize;) {
		const char *nl = memchr(line, '\n', (size_t)(j->msgbuf + j->msgsize - line));
		size_t n =
		    nl != NULL ? (size_t)(nl - line) : (size_t)(j->msgbuf + j->msgsize - line);

		for (const char *p = line; p + alen + 4 <= line + n; p++)
			if (memcmp(p, addr, alen) == 0 && memcmp(p + alen, "... ", 4) == 0) {
				best = sm_arena_memdup(j->a, p + alen + 4,
				                       n - (size_t)(p - line) - alen - 4);
				break;
			}
		line += n + 1;
	}
	return best;
}

/* "550 5.1.1 User unknown" -> "User unknown". */
static const char *reply_text(const char *msg)
{
	const char *p = msg;

	if (strlen(p) > 4 && p[0] >= '2' && p[0] <= '5' && p[3] == ' ')
		p += 4;
	if (p[0] >= '2' && p[0] <= '5' && p[1] == '.') {
		const char *sp = strchr(p, ' ');

		if (sp != NULL)
			p = sp + 1;
	}
	return p;
}

static struct dlv_rcpt *new_rcpt(struct dlv_job *j, const char *addr)
{
	struct dlv_rcpt *r = sm_arena_zalloc(j->a, sizeof(*r));

	r->addr = addr;
	r->orig = addr;
	r->uid = r->gid = -1;
	r->ctl_uid = r->ctl_gid = -1;
	*j->rtail = r;
	j->rtail = &r->next;
	j->nrcpts++;
	return r;
}

/* An R line that did not parse: a permanent failure, bounced. */
static void on_qf_rcpt(void *arg, const struct env_rcpt *qr, int n)
{
	struct dlv_job *j = arg;
	struct dlv_rcpt *r;
	const char *msg;

	if (n > 0)
		return;
	r = new_rcpt(j, qr->paddr);
	r->notify = qr->flags;
	r->orcpt = qr->orcpt;
	r->final_rcpt = qr->finalrcpt;
	msg = message_about(j, qr->paddr);
	dlv_set_result(j, r, EX_DATAERR, "5.1.3", msg != NULL ? msg : "Invalid address", NULL);
}

/* Where the envelope recipient came from: the top of its alias chain. */
static void set_origin(struct dlv_rcpt *r, const struct env_rcpt *er)
{
	const struct env_rcpt *top = er, *c;

	for (int i = 0; top->alias != NULL && i < 10000; i++)
		top = top->alias;
	r->orig = top->paddr != NULL ? top->paddr : r->addr;
	r->from_alias = er->alias != NULL;
	c = env_ctladdr(er);
	if (c != NULL) {
		r->uid = (long)c->uid;
		r->gid = (long)c->gid;
	}
	if (c != NULL) { /* the log's ctladdr=, as 8.17's getctladdr() */
		r->ctladdr = c->paddr;
		r->ctl_uid = (long)c->uid;
		r->ctl_gid = (long)c->gid;
	}
}

/* Sendmail's stripquotes(): quotes go, a backslash keeps the next byte. */
static const char *strip_quotes(struct dlv_job *j, const char *s)
{
	char *out = sm_arena_strdup(j->a, s), *w = out;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			continue;
		if (*p == '\\' && p[1] != '\0')
			p++;
		*w++ = *p;
	}
	*w = '\0';
	return out;
}

/* $u as the mailer gets it (Sendmail's deliver(): F=s strips quotes, and
 * the prog mailer loses the leading '|'). */
static const char *mailer_user(struct dlv_job *j, const struct mailer *m, const char *user)
{
	if (m == NULL || user == NULL)
		return user;
	if (mailer_flag(m, 's'))
		user = strip_quotes(j, user);
	if (strcasecmp(m->name, "prog") == 0 && user[0] == '|')
		user++;
	return user;
}

/* One envelope recipient as a dlv_rcpt (dead ones are skipped). */
static void take(struct dlv_job *j, struct env_rcpt *er)
{
	struct dlv_rcpt *r;
	const char *msg;

	if (er->state != RS_OK && er->state != RS_QUEUEUP && er->state != RS_BADADDR &&
	    er->state != RS_VERIFIED)
		return;
	r = new_rcpt(j, er->paddr);
	r->er = er;
	r->notify = er->flags;
	r->orcpt = er->orcpt;
	r->final_rcpt = er->finalrcpt;
	set_origin(r, er);
	r->m = er->mailer;
	r->user = mailer_user(j, er->mailer, er->user);
	r->host = er->host != NULL && er->mailer != NULL && mailer_flag(er->mailer, 's')
	              ? strip_quotes(j, er->host)
	              : er->host;
	r->home = er->home;
	if (er->state == RS_OK || er->state == RS_VERIFIED)
		return;
	msg = er->message != NULL ? reply_text(er->message) : message_about(j, er->paddr);
	if (er->state == RS_QUEUEUP)
		dlv_set_result(j, r, EX_TEMPFAIL, er->status != NULL ? er->status : "4.0.0",
		               sm_arena_printf(j->a, "Deferred: %s",
		                               msg != NULL ? msg : "Transient parse error"),
		               NULL);
	else
		dlv_set_result(j, r,
		               er->status != NULL ? pa_dsn_exitstat(er->status) : EX_UNAVAILABLE,
		               er->status != NULL ? er->status : "5.0.0",
		               msg != NULL ? msg : "Invalid address", NULL);
}

void dlv_rcpt_resolve(struct dlv_job *j)
{
	struct envelope *e = j->env;
	char **ids = NULL;
	size_t n;

	env_add_qf_rcpts_each(e, on_qf_rcpt, j);
	n = env_split_owners(e, j->d, j->dfd, &ids);
	for (size_t i = 0; i < n; i++)
		dlv_job_new_id(j, ids[i]);
	for (struct env_rcpt *er = e->rcpts; er != NULL; er = er->next)
		take(j, er);
	fflush(j->msgs);
	j->msgseen = j->msgsize;
}
