/*
 * deliver/dlv_rcpt: queued recipients to (mailer, host, user) triples.
 *
 * Internal (dlv_int.h): dlv_rcpt_resolve, dlv_last_message, dlv_exit_dsn.
 *
 * Each R line address goes through rules/parseaddr (rulesets 3 and 0,
 * the mailer's R= ruleset).  Then, as Sendmail's recipient() does:
 *   - "|cmd" and "/file" are honoured only for recipients that came from
 *     an alias (R flag A or a C line) and only when the resolving mailer
 *     has F=| or F=/ ; they go to the prog and *file* mailers;
 *   - a mailer with F=A has its user looked up in the aliases (through
 *     dlv_alias.c), the alias being replaced by its expansion, depth
 *     bounded by MaxAliasRecursion; an alias naming itself is delivered
 *     as is (Sendmail's self-reference rule);
 *   - F=w: the user must have a passwd entry ("User unknown", 5.1.1),
 *     whose home directory becomes $z;
 *   - duplicates (same mailer, host and user) are delivered once.
 * An address that resolves to $#error fails with the rules' status and
 * text; a transient parse failure stays queued.
 */
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"

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
	default:
		return "5.5.0";
	}
}

const char *dlv_last_message(struct dlv_job *j)
{
	const char *p, *dots;
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
	dots = strstr(text, "... ");
	return dots != NULL ? dots + 4 : text;
}

static struct dlv_rcpt *new_rcpt(struct dlv_job *j, const char *addr, struct dlv_rcpt *parent)
{
	struct dlv_rcpt *r = sm_arena_zalloc(j->a, sizeof(*r));

	r->addr = sm_arena_strdup(j->a, addr);
	r->uid = r->gid = -1;
	if (parent != NULL) {
		r->q = parent->q;
		r->orig = parent->orig;
		r->depth = parent->depth + 1;
		r->from_alias = true;
		r->ctl = parent->ctl;
		r->parent_user = parent->user;
	} else {
		r->orig = r->addr;
	}
	return r;
}

/* Insert r after 'after' (keeps expansions next to their alias). */
static void link_after(struct dlv_job *j, struct dlv_rcpt *after, struct dlv_rcpt *r)
{
	r->next = after->next;
	after->next = r;
	if (j->rtail == &after->next)
		j->rtail = &r->next;
	j->nrcpts++;
}

static void fail(struct dlv_job *j, struct dlv_rcpt *r, int code, const char *dsn,
		 const char *text)
{
	dlv_set_result(j, r, code, dsn, text, NULL);
}

/* Split an alias value at top-level commas and add each address. */
static void expand_value(struct dlv_job *j, struct dlv_rcpt *alias, const char *value)
{
	struct dlv_rcpt *after = alias;
	int depth = 0;
	bool quoted = false;
	const char *start = value;

	for (const char *p = value;; p++) {
		if (*p == '\\' && p[1] != '\0') {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && (*p == '<' || *p == '('))
			depth++;
		else if (!quoted && (*p == '>' || *p == ')') && depth > 0)
			depth--;
		if (*p == '\0' || (*p == ',' && !quoted && depth == 0)) {
			const char *s = start, *e = p;

			while (s < e && (*s == ' ' || *s == '\t' || *s == '\n'))
				s++;
			while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
				e--;
			if (e > s && j->nrcpts < DLV_MAX_RCPTS) {
				struct dlv_rcpt *r =
					new_rcpt(j, sm_arena_memdup(j->a, s, (size_t)(e - s)), alias);

				link_after(j, after, r);
				after = r;
			}
			if (*p == '\0')
				break;
			start = p + 1;
		}
	}
	alias->state = DS_DROPPED;
}

/* The uid/gid of a C line or DefaultUser for prog and file recipients. */
static void set_ids(struct dlv_job *j, struct dlv_rcpt *r)
{
	if (r->ctl != NULL && r->ctl->user != NULL) {
		r->uid = r->ctl->uid;
		r->gid = r->ctl->gid;
	}
}

/* "|cmd" and "/path" from an alias: the prog or *file* mailer. */
static bool special_target(struct dlv_job *j, struct dlv_rcpt *r, const struct mailer *via)
{
	const char *u = r->addr;
	const struct mailer *m = NULL;
	size_t n = strlen(u);

	if (n >= 2 && u[0] == '"' && u[n - 1] == '"') /* "|prog args" as aliases quote it */
		u = sm_arena_memdup(j->a, u + 1, n - 2);
	if (via == NULL)
		return false;

	if (u[0] == '|' && mailer_flag(via, '|'))
		m = mailer_find(j->cf, "prog");
	else if (u[0] == '/' && mailer_flag(via, '/'))
		m = mailer_find(j->cf, "*file*");
	if (m == NULL)
		return false;
	if (!r->from_alias && r->ctl == NULL) {
		fail(j, r, EX_UNAVAILABLE, "5.7.1",
		     u[0] == '|' ? "Cannot mail directly to programs" : "Cannot mail directly to files");
		return true;
	}
	r->m = m;
	r->host = NULL;
	r->user = u[0] == '|' ? u + 1 : u;
	set_ids(j, r);
	return true;
}

/* Aliasing for F=A mailers; true when r was replaced by its expansion. */
static bool try_alias(struct dlv_job *j, struct dlv_rcpt *r)
{
	long max = opt_num(j->cf->opt, OPT_MAX_ALIAS_RECURSION);
	char *value = NULL;
	int found;

	if (!mailer_flag(r->m, 'A') || r->user == NULL || r->user[0] == '"')
		return false;
	if (r->parent_user != NULL && strcasecmp(r->user, r->parent_user) == 0)
		return false; /* "bob: bob, ...": deliver bob himself */
	found = dlv_alias_lookup(j, r->user, &value);
	if (found < 0) {
		fail(j, r, EX_TEMPFAIL, "4.3.0", "Deferred: aliases map unavailable");
		return true;
	}
	if (found == 0)
		return false;
	if (r->depth >= (max > 0 ? max : DLV_MAX_ALIAS_DEPTH)) {
		fail(j, r, EX_UNAVAILABLE, "5.4.6", "aliasing/forwarding loop broken");
		return true;
	}
	dlv_log(j, "alias %s => %s", r->addr, value);
	expand_value(j, r, value);
	return true;
}

/* F=w: the user must exist; it gives $z and the ids. */
static void check_user(struct dlv_job *j, struct dlv_rcpt *r)
{
	struct passwd *pw;

	if (!mailer_flag(r->m, 'w') || r->user == NULL)
		return;
	pw = getpwnam(r->user);
	if (pw == NULL) {
		fail(j, r, EX_NOUSER, "5.1.1", "User unknown");
		return;
	}
	r->home = sm_arena_strdup(j->a, pw->pw_dir);
}

/* Is an earlier recipient the same delivery? */
static bool duplicate(struct dlv_job *j, struct dlv_rcpt *r)
{
	bool icase = !mailer_flag(r->m, 'u');

	for (struct dlv_rcpt *o = j->rcpts; o != NULL && o != r; o = o->next) {
		if (o->m != r->m || o->state == DS_DROPPED || o->user == NULL)
			continue;
		if ((o->host == NULL) != (r->host == NULL) ||
		    (o->host != NULL && strcasecmp(o->host, r->host) != 0))
			continue;
		if (icase ? strcasecmp(o->user, r->user) == 0 : strcmp(o->user, r->user) == 0)
			return true;
	}
	return false;
}

/* Resolve one recipient; expansions are linked after it. */
static void resolve(struct dlv_job *j, struct dlv_rcpt *r)
{
	struct address a;

	if ((r->addr[0] == '|' || r->addr[0] == '/' || strncmp(r->addr, "\"|", 2) == 0 ||
	     strncmp(r->addr, "\"/", 2) == 0) &&
	    special_target(j, r, mailer_find(j->cf, "local")))
		return;

	if (!pa_parseaddr(&j->pa, r->addr, 0, '\0', NULL, &a)) {
		const char *msg = dlv_last_message(j);

		fail(j, r, EX_DATAERR, "5.1.3", msg != NULL ? msg : "Invalid address");
		return;
	}
	if (a.state == PA_QUEUEUP) {
		fail(j, r, EX_TEMPFAIL, a.status, "Deferred: Transient parse error");
		return;
	}
	if (a.state != PA_OK || a.mailer == NULL) {
		const char *msg = dlv_last_message(j);

		fail(j, r, a.status != NULL ? pa_dsn_exitstat(a.status) : EX_UNAVAILABLE,
		     a.status != NULL ? a.status : "5.1.3", msg != NULL ? msg : "Invalid address");
		return;
	}
	(void)dlv_last_message(j);
	if (special_target(j, r, a.mailer))
		return;
	if (a.user != NULL && (a.user[0] == '|' || a.user[0] == '/')) {
		fail(j, r, EX_UNAVAILABLE, "5.1.3", "Invalid address");
		return;
	}
	r->m = a.mailer;
	r->host = a.host;
	r->user = a.user;
	if (try_alias(j, r))
		return;
	check_user(j, r);
	if (r->state == DS_PENDING && duplicate(j, r))
		r->state = DS_DROPPED;
}

void dlv_rcpt_resolve(struct dlv_job *j)
{
	for (struct qf_rcpt *q = j->qf->rcpts; q != NULL; q = q->next) {
		struct dlv_rcpt *r = new_rcpt(j, q->addr, NULL);

		r->q = q;
		r->ctl = q->ctl;
		r->from_alias = (q->flags & QF_R_ALIAS) != 0;
		*j->rtail = r;
		j->rtail = &r->next;
		j->nrcpts++;
	}
	/* expansions are inserted after their alias and resolved in turn */
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == DS_PENDING)
			resolve(j, r);
}
