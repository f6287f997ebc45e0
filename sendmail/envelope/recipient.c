/*
 * envelope/recipient: recipients from addresses to the send queue.
 *
 * Sendmail's sendtolist() and recipient(), step by step:
 *   1. parse each address of a list (pa_parseaddr: rulesets 3, 0, then
 *      2, R= and 4 on the user part), newest first as Sendmail links them;
 *   2. inherit NOTIFY bits, ORCPT and the final recipient from the
 *      address the list came from; an address that refers back to an
 *      ancestor marks it self-referencing and is dropped;
 *   3. refuse |program, /file and :include: given directly, and the
 *      alias depth beyond MaxAliasRecursion;
 *   4. insert in host order (Sendmail's sorthost) unless it is a
 *      duplicate (same mailer, host and user);
 *   5. :include: lists are read, mailers with F=A look the user up in
 *      the "aliases" map (then owner-NAME for errors), F=5 mailers go
 *      through ruleset 5 (LUSER_RELAY), F=w mailers need a passwd entry
 *      and read the user's .forward;
 *   6. at the top level an address that became exactly one recipient
 *      passes on its "primary" mark.
 * Messages are Sendmail's ("addr... User unknown"); every input-driven
 * loop is bounded by the alias depth or by the list length.
 */
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"
#include "sendmail/map/map.h"

#define MAX_LIST_ADDRS 100000  /* addresses in one list, a bound on bad input */
#define ER_THISPASS    0x10000 /* internal: touched by the current top-level call */
#define ER_RCPTOK      0x20000 /* internal: recipient() finished with it */

static bool is_mailer(const struct env_rcpt *r, const char *name)
{
	return r->mailer != NULL && strcasecmp(r->mailer->name, name) == 0;
}

bool env_rcpt_dead(const struct env_rcpt *r)
{
	return r->state == RS_EXPANDED || r->state == RS_DUPLICATE || r->state == RS_DONTSEND;
}

bool env_rcpt_queued(const struct env_rcpt *r)
{
	return r->state == RS_OK || r->state == RS_QUEUEUP;
}

bool env_rcpt_sendable(const struct env_rcpt *r)
{
	return r->state == RS_OK || r->state == RS_QUEUEUP || r->state == RS_VERIFIED;
}

const struct env_rcpt *env_ctladdr(const struct env_rcpt *r)
{
	for (int i = 0; r != NULL && i < 10000; i++, r = r->alias)
		if (r->flags & ER_GOODUID)
			return r;
	return NULL;
}

/* Sendmail's sameaddr(): mailer, user (exact), host (any case), owner of programs. */
static bool same_addr(const struct env_rcpt *a, const struct env_rcpt *b)
{
	const struct env_rcpt *ca, *cb;
	const char *ha = a->host != NULL ? a->host : "", *hb = b->host != NULL ? b->host : "";

	if (a->mailer != b->mailer || a->user == NULL || b->user == NULL)
		return false;
	if (strcmp(a->user, b->user) != 0 || strcasecmp(ha, hb) != 0)
		return false;
	ca = env_ctladdr(a);
	cb = env_ctladdr(b);
	if (ca == NULL || cb == NULL || ca == a || cb == b)
		return true;
	return ca->uid == cb->uid;
}

/* An ancestor that is the same local user as a (a .forward naming its owner). */
static struct env_rcpt *self_reference(struct env_rcpt *a)
{
	struct env_rcpt *c = a->alias;

	for (int i = 0; c != NULL && i < 10000; i++, c = c->alias)
		if (c->flags & ER_GOODUID)
			break;
	if (c == NULL || c->mailer != a->mailer || c->user == NULL || a->user == NULL)
		return NULL;
	return strcmp(c->user, a->user) == 0 ? c : NULL;
}

/* The address text of one list element, without surrounding blanks. */
static const char *paddr_of(struct envelope *e, const char *start, const char *end)
{
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	return sm_arena_memdup(e->arena, start, (size_t)(end - start));
}

/* Parse one address of a list into a new recipient (NULL if unparsable). */
static struct env_rcpt *parse_one(struct envelope *e, const char *p, const char **endp)
{
	struct env_pa pc;
	struct address a;
	struct env_rcpt *r;
	const char *end = NULL;

	env_pa_init(e, &pc);
	macro_set(e->macros, macro_id("{addr_type}"), "e r");
	if (!pa_parseaddr(&pc.pa, p, 0, ',', &end, &a)) {
		*endp = end != NULL && end > p ? end : p + strcspn(p, ",");
		return NULL;
	}
	*endp = end != NULL && end > p ? end : p + strcspn(p, ",");
	r = sm_arena_zalloc(e->arena, sizeof(*r));
	r->paddr = paddr_of(e, p, *endp);
	r->mailer = a.mailer;
	r->mailer_name = a.mailer_name;
	r->host = a.host;
	r->user = a.user;
	r->status = a.status;
	if (a.state == PA_BADADDR)
		r->state = RS_BADADDR;
	else if (a.state == PA_QUEUEUP)
		r->state = RS_QUEUEUP;
	return r;
}

/* Step 2: what a list member takes from the address it came from. */
static bool inherit(struct env_rcpt *a, struct env_rcpt *ctl)
{
	const unsigned inherited = ER_NOTIFY_SET | ER_NOTIFY_SUCCESS | ER_NOTIFY_FAILURE |
	                           ER_NOTIFY_DELAY | ER_NOTIFY_NEVER;
	struct env_rcpt *b;

	a->alias = ctl;
	if (same_addr(ctl, a))
		ctl->flags |= ER_SELFREF;
	b = self_reference(a);
	if (b != NULL) {
		b->flags |= ER_SELFREF;
		if (a != b) {
			a->state = RS_DONTSEND;
			return false;
		}
	}
	if (a->fullname == NULL)
		a->fullname = ctl->fullname;
	/* an R line read back keeps its own DSN settings: its C line only controls */
	if (a->flags & ER_FROMQF)
		return true;
	a->flags = (a->flags & ~inherited) | (ctl->flags & inherited);
	a->finalrcpt = ctl->finalrcpt;
	a->orcpt = ctl->orcpt;
	return true;
}

int env_sendtolist(struct envelope *e, const char *list, struct env_rcpt *ctl, int aliaslevel,
                   unsigned flags)
{
	struct env_rcpt **al = NULL;
	size_t n = 0, cap = 0;
	const char *p = list;

	while (*p != '\0' && n < MAX_LIST_ADDRS) {
		const char *end;
		struct env_rcpt *a;

		while (isspace((unsigned char)*p) || *p == ',')
			p++;
		if (*p == '\0')
			break;
		a = parse_one(e, p, &end);
		p = end;
		if (a == NULL)
			continue;
		a->flags |= flags;
		if (ctl == NULL)
			a->flags |= e->rcpt_notify;
		else if (!inherit(a, ctl))
			continue;
		if (n == cap) {
			struct env_rcpt **nal =
			    sm_arena_array(e->arena, cap = cap * 2 + 8, sizeof(*nal));

			if (n > 0)
				memcpy(nal, al, n * sizeof(*al));
			al = nal;
		}
		al[n++] = a;
	}
	for (size_t i = n; i-- > 0;)
		(void)env_recipient(e, al[i], aliaslevel);
	return (int)n;
}

/* The DSN final recipient ("RFC822; user@host") of a top-level address. */
static void set_finalrcpt(struct envelope *e, struct env_rcpt *a)
{
	const struct env_rcpt *q = a;
	const char *type = e->from.mailer != NULL ? e->from.mailer->addrtype : NULL;
	const char *j = macro_get(e->macros, macro_id("j"));

	for (int i = 0; q->alias != NULL && i < 10000; i++)
		q = q->alias;
	if (a->finalrcpt != NULL || e->from.mailer == NULL || q->user == NULL)
		return;
	if (type == NULL)
		type = "rfc822";
	if (strcasecmp(type, "rfc822") != 0 || strchr(q->user, '@') != NULL)
		a->finalrcpt = sm_arena_printf(e->arena, "%s; %s", type, q->user);
	else if (strchr(q->paddr, '@') != NULL) {
		size_t len = strlen(q->paddr);
		bool br = q->paddr[0] == '<' && len > 1 && q->paddr[len - 1] == '>';

		a->finalrcpt =
		    br ? sm_arena_printf(e->arena, "%s; %.*s", type, (int)len - 2, q->paddr + 1)
		       : sm_arena_printf(e->arena, "%s; %s", type, q->paddr);
	} else
		a->finalrcpt = sm_arena_printf(e->arena, "%s; %s@%s", type, q->user,
		                               j != NULL ? j : "localhost");
}

/* Sendmail's usershellok(): the user's shell is listed in /etc/shells.
 * The last answer is kept for a few seconds: a queue run asks the same
 * question for every entry. */
static bool shell_ok(const char *shell)
{
	static char *last;
	static bool last_ok;
	static time_t last_at;
	const char *s;
	bool ok = false;
	time_t now = time(NULL);

	if (shell == NULL || *shell == '\0')
		return true;
	if (last != NULL && strcmp(last, shell) == 0 && now - last_at < 10 && now >= last_at)
		return last_ok;
	setusershell();
	for (int i = 0; i < 10000 && (s = getusershell()) != NULL; i++)
		if (strcmp(s, shell) == 0 || strcmp(s, "/SENDMAIL/ANY/SHELL/") == 0) {
			ok = true;
			break;
		}
	endusershell();
	free(last);
	last = strdup(shell);
	last_ok = ok;
	last_at = now;
	return ok;
}

/* Step 3: programs, files and :include:s only through an alias or a list. */
static void check_direct(struct envelope *e, struct env_rcpt *a)
{
	const char *what = is_mailer(a, "prog")     ? "programs"
	                   : is_mailer(a, "*file*") ? "files"
	                                            : NULL;

	if (what == NULL || a->state != RS_OK)
		return;
	if (a->alias == NULL) {
		a->state = RS_BADADDR;
		a->status = "5.7.1";
		env_usrerr(e, a->paddr, EX_USAGE, "Cannot mail directly to %s", what);
	} else if (a->alias->flags & ER_BOGUSSHELL) {
		const char *j = macro_get(e->macros, macro_id("j"));

		a->state = RS_BADADDR;
		a->status = "5.7.1";
		if (a->alias->ruser == NULL)
			env_usrerr(e, a->paddr, EX_USAGE,
			           "UID %ld is an unknown user: cannot mail to %s",
			           (long)a->alias->uid, what);
		else
			env_usrerr(e, a->paddr, EX_USAGE,
			           "User %s@%s doesn't have a valid shell for mailing to %s",
			           a->alias->ruser, j != NULL ? j : "localhost", what);
	} else if (a->alias->flags & ER_UNSAFE) {
		a->state = RS_BADADDR;
		a->status = "5.7.1";
		a->message = sm_arena_printf(e->arena, "550 Unsafe for mailing to %s", what);
		env_usrerr(e, a->paddr, EX_USAGE, "Address %s is unsafe for mailing to %s",
		           a->alias->paddr, what);
	}
}

/* Host order with duplicates folded in (Sendmail's sorthost insertion). */
static struct env_rcpt *insert_sorted(struct envelope *e, struct env_rcpt *a)
{
	struct env_rcpt **pq;
	const char *ha = a->host != NULL ? a->host : "";

	for (pq = &e->rcpts; *pq != NULL; pq = &(*pq)->next) {
		struct env_rcpt *q = *pq;
		int c = strcasecmp(ha, q->host != NULL ? q->host : "");

		if (c < 0)
			break;
		if (c == 0 && same_addr(q, a) &&
		    ((q->flags & ER_RCPTOK) || !(q->flags & ER_PRIMARY))) {
			if (!(q->flags & ER_PRIMARY)) {
				if (!env_rcpt_dead(a) && e->vrfy_verbose)
					env_usrerr(e, a->paddr, 0, "duplicate suppressed");
				else if (env_rcpt_dead(a))
					q->state = RS_DUPLICATE;
				q->flags |= a->flags & ~(ER_RCPTOK | ER_THISPASS);
			} else if (q->flags & ER_SELFREF) {
				q->state = a->state;
				q->flags |= a->flags;
			}
			return q;
		}
	}
	a->next = *pq;
	*pq = a;
	return NULL;
}

/* Step 5 for :include:. */
static void do_include(struct envelope *e, struct env_rcpt *a, int aliaslevel)
{
	int ret;

	a->state = RS_EXPANDED;
	if (a->alias == NULL) {
		a->state = RS_BADADDR;
		a->status = "5.7.1";
		env_usrerr(e, a->paddr, EX_USAGE, "Cannot mail directly to :include:s");
		return;
	}
	if (e->vrfy_verbose)
		env_usrerr(e, NULL, 0, "including file %s", a->user);
	ret = env_include(e, a->user, false, a, aliaslevel);
	if (ret == 0)
		return;
	if (ret == EAGAIN || ret == ETIMEDOUT || ret == ENFILE || ret == EMFILE || ret == EIO) {
		a->state = RS_QUEUEUP;
		a->status = "4.2.4";
		env_usrerr(e, NULL, 0, "Cannot open %s: %s", a->user, strerror(ret));
	} else {
		a->state = RS_BADADDR;
		a->status = "5.2.4";
		env_usrerr(e, a->paddr, EX_USAGE, "Cannot open %s: %s", a->user, strerror(ret));
	}
}

/* Look a name up in the "aliases" map: 1 found (*value), 0 not, -1 temp failure. */
static int alias_lookup(struct envelope *e, const char *name, char **value)
{
	struct map *m = map_find(e->cf->maps, "aliases");
	struct map_ctx ctx = {e->cf, e->macros, e->arena};
	enum map_status st;

	*value = NULL;
	if (m == NULL)
		return 0;
	if (strcasecmp(name, "postmaster") == 0)
		name = "postmaster";
	st = map_lookup(m, &ctx, name, NULL, 0, value);
	if (st == MAP_TEMPFAIL)
		return -1;
	return st == MAP_FOUND && *value != NULL ? 1 : 0;
}

/*
 * Step 5 for aliases (Sendmail's alias()).  Returns true for an alias
 * kept unexpanded (EF_NOEXPAND): it needs no user lookup either.
 */
static bool do_alias(struct envelope *e, struct env_rcpt *a, int aliaslevel)
{
	char *value, *owner;
	int rc;

	if (e->no_alias || a->state != RS_OK)
		return false;
	rc = alias_lookup(e, a->user, &value);
	if (rc < 0) {
		a->state = RS_QUEUEUP;
		a->message = "alias database unavailable";
		if (e->message == NULL)
			e->message = a->message;
		return false;
	}
	if (rc == 0)
		return false;
	if (e->eflags & EF_NOEXPAND)
		return true; /* the queue run expands it */
	if (e->vrfy_verbose)
		env_usrerr(e, a->paddr, 0, "aliased to %s", value);
	a->flags &= ~ER_SELFREF;
	a->state = RS_EXPANDED;
	a->uid = (uid_t)1;
	a->gid = 0;
	{
		const char *du = opt_raw(e->cf->opt, OPT_DEFAULT_USER);

		if (du != NULL && isdigit((unsigned char)*du))
			a->uid = (uid_t)atol(du);
	}
	a->fullname = NULL;
	a->flags |= ER_GOODUID | ER_ISALIAS;
	(void)env_sendtolist(e, value, a, aliaslevel + 1, 0);
	if ((a->flags & ER_SELFREF) && a->state == RS_EXPANDED)
		a->state = RS_OK;
	if (alias_lookup(e,
	                 strncmp(a->user, "owner-", 6) == 0
	                     ? "owner-owner"
	                     : sm_arena_printf(e->arena, "owner-%s", a->user),
	                 &owner) == 1)
		a->owner = strpbrk(owner, ",:/|\"") != NULL
		               ? sm_arena_printf(e->arena, "owner-%s", a->user)
		               : owner;
	return false;
}

/* Ruleset 5 on a local user (Sendmail's maplocaluser). */
static void do_rs5(struct envelope *e, struct env_rcpt *a, int aliaslevel);

/* A passwd entry for a local user; fuzzy: found only in lower case. */
static struct passwd *find_user(const char *name, bool *fuzzy)
{
	struct passwd *pw = getpwnam(name);
	char *low;

	*fuzzy = false;
	if (pw != NULL)
		return pw;
	low = strdup(name);
	if (low == NULL)
		return NULL;
	for (char *p = low; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strcmp(low, name) != 0) {
		pw = getpwnam(low);
		*fuzzy = pw != NULL;
	}
	free(low);
	return pw;
}

/* Step 5 for users (F=w): passwd entry, then .forward. */
static void do_user(struct envelope *e, struct env_rcpt *a, int aliaslevel, bool quoted,
                    int *tries);

struct env_rcpt *env_recipient(struct envelope *e, struct env_rcpt *a, int aliaslevel)
{
	struct env_rcpt *q;
	bool quoted = a->user != NULL && strchr(a->user, '\\') != NULL;
	bool initial_dead = env_rcpt_dead(a);
	bool skip = false, kept = false;
	int tries = 0;

	if (aliaslevel == 0)
		a->flags |= ER_PRIMARY;
	if (a->alias == NULL) /* Received: names it ("for $u") when it is the only one */
		e->origrcpt = e->origrcpt == NULL || e->origrcpt == a->paddr ? a->paddr : "";
	set_finalrcpt(e, a);
	if (aliaslevel > e->aliaslevel_max) {
		a->state = RS_BADADDR;
		a->status = "5.4.6";
		if (a->alias != NULL) {
			a->alias->state = RS_BADADDR;
			a->alias->status = "5.4.6";
		}
		env_usrerr(e, a->paddr, EX_USAGE,
		           "aliasing/forwarding loop broken (%d aliases deep; %d max)", aliaslevel,
		           e->aliaslevel_max);
		return a;
	}
	if (a->mailer == NULL && a->state == RS_OK)
		a->state = RS_BADADDR;
	check_direct(e, a);
	q = insert_sorted(e, a);
	if (q != NULL) {
		a = q;
		goto done;
	}
	if (a->state == RS_OK && is_mailer(a, "*include*"))
		do_include(e, a, aliaslevel);
	/* a user "@name" (ruleset 5's answer) means: no aliasing, no ruleset 5 */
	if (a->state == RS_OK && a->user != NULL && a->user[0] == '@' &&
	    mailer_flag(a->mailer, 'w')) {
		a->user++;
		skip = true;
	}
	if (a->state == RS_OK && !skip && !quoted && mailer_flag(a->mailer, 'A') &&
	    do_alias(e, a, aliaslevel))
		skip = kept = true;
	if (a->state == RS_OK && !skip && mailer_flag(a->mailer, '5') && e->cf->version >= 2 &&
	    config_ruleset(e->cf, 5) != NULL)
		do_rs5(e, a, aliaslevel);
	if (a->state == RS_OK && !kept && mailer_flag(a->mailer, 'w'))
		do_user(e, a, aliaslevel, quoted, &tries);
	if (!env_rcpt_dead(a))
		e->nrcpts++;
	if (a->alias == NULL && env_rcpt_dead(a)) {
		const struct env_rcpt *r = e->rcpts;

		while (r != NULL && env_rcpt_dead(r))
			r = r->next;
		if (r == NULL) {
			a->state = RS_BADADDR;
			a->status = "5.4.6";
			/* the reference prints this one without the address */
			env_usrerr(e, NULL, EX_USAGE, "aliasing/forwarding loop broken");
		}
	}
done:
	a->flags |= ER_THISPASS;
	if (aliaslevel == 0) {
		int n = 0;
		struct env_rcpt *only = NULL;

		for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
			if ((r->flags & ER_THISPASS) &&
			    (r->state == RS_OK || r->state == RS_QUEUEUP ||
			     r->state == RS_VERIFIED)) {
				n++;
				only = r;
			}
			r->flags &= ~ER_THISPASS;
		}
		if (n == 1) {
			const struct env_rcpt *o = only->alias;

			while (o != NULL && o->owner == NULL)
				o = o->alias;
			if (o == NULL)
				only->flags |= ER_PRIMARY;
		}
		(void)initial_dead;
	}
	a->flags |= ER_RCPTOK;
	return a;
}

static void do_user(struct envelope *e, struct env_rcpt *a, int aliaslevel, bool quoted, int *tries)
{
	bool fuzzy;
	struct passwd *pw;
	char *name = sm_arena_strdup(e->arena, a->user);
	char *w = name;

	/* Sendmail's stripquotes(): quotes go, a backslash keeps the next byte */
	for (const char *r = a->user; *r != '\0'; r++) {
		if (*r == '"')
			continue;
		if (*r == '\\' && r[1] != '\0')
			r++;
		*w++ = *r;
	}
	*w = '\0';
	pw = find_user(name, &fuzzy);
	if (pw == NULL) {
		a->state = RS_BADADDR;
		a->status = "5.1.1";
		a->message = "550 5.1.1 User unknown";
		e->message = "User unknown";
		env_usrerr(e, a->paddr, EX_NOUSER, "User unknown");
		return;
	}
	if (fuzzy) {
		a->user = sm_arena_strdup(e->arena, pw->pw_name);
		if ((*tries)++ > 3) {
			a->state = RS_BADADDR;
			a->status = "5.4.6";
			env_usrerr(e, NULL, EX_USAGE, "aliasing/forwarding loop for %s broken",
			           a->user);
			return;
		}
		if (!quoted && mailer_flag(a->mailer, 'A') && do_alias(e, a, aliaslevel))
			return; /* an alias kept unexpanded */
		if (a->state != RS_OK)
			return;
		do_user(e, a, aliaslevel, quoted, tries);
		return;
	}
	a->home = pw->pw_dir[0] == '\0'          ? NULL
	          : strcmp(pw->pw_dir, "/") == 0 ? ""
	                                         : sm_arena_strdup(e->arena, pw->pw_dir);
	a->uid = pw->pw_uid;
	a->gid = pw->pw_gid;
	a->flags |= ER_GOODUID;
	a->ruser = sm_arena_strdup(e->arena, pw->pw_name);
	a->fullname = env_gecos_name(e, pw->pw_gecos, pw->pw_name);
	if (!shell_ok(pw->pw_shell))
		a->flags |= ER_BOGUSSHELL;
	if (e->eflags & EF_VRFYONLY)
		a->state = RS_VERIFIED;
	else if (!quoted && !(e->eflags & EF_NOEXPAND))
		env_forward(e, a, aliaslevel);
}

/* The text of tokens [from, to). */
static const char *tok_text(struct envelope *e, const struct tokvec *tv, size_t from, size_t to,
                            int spacesub)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	if (to > from)
		pa_cataddr(e->cf, tv->v + from, to - from, spacesub, &b);
	r = sm_arena_strdup(e->arena, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

static void do_rs5(struct envelope *e, struct env_rcpt *a, int aliaslevel)
{
	struct env_pa pc;
	struct tokvec tv;
	struct tok_error err;
	size_t i, host = 0, user;
	struct env_rcpt *n;
	const struct mailer *m;

	env_pa_init(e, &pc);
	tokvec_init(&tv, e->arena);
	if (!tok_scan_address_ex(e->cf, e->arena, a->user, '\0', TOKS_NOLIMIT, &tv, NULL, &err))
		return;
	macro_set(e->macros, macro_id("h"), a->host);
	if (rewrite(&pc.rw, 5, 0, &tv) != EX_OK || tv.n < 2 || tv.v[0].kind != TK_NET)
		return;
	for (i = 2; i < tv.n && tv.v[i].kind != TK_USER; i++)
		if (tv.v[i].kind == TK_HOST)
			host = i + 1;
	user = i;
	n = sm_arena_zalloc(e->arena, sizeof(*n));
	n->paddr = a->paddr;
	if (strcasecmp(tv.v[1].s, "error") == 0) {
		a->state = RS_BADADDR;
		a->status = "5.1.1";
		env_usrerr(e, a->paddr, EX_UNAVAILABLE, "%s",
		           user < tv.n ? tok_text(e, &tv, user + 1, tv.n, ' ') : "error");
		return;
	}
	m = mailer_find(e->cf, tv.v[1].s);
	if (m == NULL)
		return;
	n->mailer = m;
	n->mailer_name = m->name;
	if (host > 0)
		n->host = tok_text(e, &tv, host, user, '\0');
	if (user < tv.n) {
		struct tokvec ut;

		tokvec_init(&ut, e->arena);
		tokvec_append(&ut, tv.v + user + 1, tv.n - user - 1);
		(void)rewrite(&pc.rw, 2, 0, &ut);
		if (m->re_rwset > 0)
			(void)rewrite(&pc.rw, m->re_rwset, 0, &ut);
		(void)rewrite(&pc.rw, 4, 0, &ut);
		n->user = tok_text(e, &ut, 0, ut.n, '\0');
	}
	if (n->user == NULL || same_addr(a, n))
		return;
	n->flags = a->flags & (ER_PRIMARY | ER_NOTIFY_SET | ER_NOTIFY_SUCCESS | ER_NOTIFY_FAILURE |
	                       ER_NOTIFY_DELAY | ER_NOTIFY_NEVER);
	n->finalrcpt = a->finalrcpt;
	n->orcpt = a->orcpt;
	n->alias = a;
	a->state = RS_EXPANDED;
	(void)env_recipient(e, n, aliaslevel + 1);
}

int env_print_verify(struct envelope *e)
{
	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		if (r->state != RS_OK && r->state != RS_VERIFIED)
			continue;
		if (r->host != NULL && *r->host != '\0')
			fprintf(e->msgout, "%s... deliverable: mailer %s, host %s, user %s\n",
			        r->paddr, r->mailer_name, r->host, r->user);
		else
			fprintf(e->msgout, "%s... deliverable: mailer %s, user %s\n", r->paddr,
			        r->mailer_name, r->user);
	}
	fflush(e->msgout);
	return e->exitstat;
}
