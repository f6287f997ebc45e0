/*
 * envelope/env: the envelope itself, its macros, the sender.
 *
 *   env_new          a fresh envelope over a configuration
 *   env_setstat      Sendmail's ExitStat rule (first failure stays)
 *   env_usrerr       "addr... text" on the envelope's message stream
 *   env_setsender    -f / the real user as the envelope sender ($f $g $x),
 *                    with the untrusted -f warning header
 *   env_trusted_user whether a user may set the sender: root, $=t,
 *                    TrustedUser
 *   env_priority     the queue priority Sendmail computes at submission
 *
 * Memory: the envelope and its strings live in the caller's arena.
 */
#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"

const char *env_cur_file;
int env_cur_line;

/* The submitter: real uid and its login name ("uid#N" if it has none);
 * looked up once per process (a queue run makes an envelope per entry). */
static void env_set_user(struct envelope *e)
{
	static char *name;
	static long name_uid = -1;

	e->uid = (long)getuid();
	if (name == NULL || name_uid != e->uid) {
		struct passwd *pw = getpwuid(getuid());

		free(name);
		name = pw != NULL ? strdup(pw->pw_name) : NULL;
		name_uid = e->uid;
	}
	e->user = name != NULL ? sm_arena_strdup(e->arena, name)
	                       : sm_arena_printf(e->arena, "uid#%ld", e->uid);
}

struct envelope *env_new(struct config *cf, struct sm_arena *a, FILE *msgout)
{
	struct envelope *e = sm_arena_zalloc(a, sizeof(*e));
	const char *em;

	e->arena = a;
	e->cf = cf;
	e->macros = macros_new(cf->macros);
	e->msgout = msgout != NULL ? msgout : stdout;
	e->df_fd = -1;
	e->df_src_fd = -1;
	e->ctime = time(NULL);
	e->aliaslevel_max = (int)opt_num(cf->opt, OPT_MAX_ALIAS_RECURSION);
	em = opt_raw(cf->opt, OPT_ERROR_MODE);
	e->errmode = em != NULL && *em != '\0' ? *em : 'p';
	/* the command line prints only in ErrorMode p; a caller that collects
	 * the messages itself (SMTP replies, queue runs) always gets them */
	e->print_errors = e->errmode == 'p' || e->msgout != stdout;
	e->rcpt_notify = ER_NOTIFY_FAILURE | ER_NOTIFY_DELAY;
	env_set_user(e);
	return e;
}

void env_free(struct envelope *e)
{
	if (e == NULL)
		return;
	macros_free(e->macros);
	e->macros = NULL;
	sm_buf_free(&e->body);
	if (e->df_fd >= 0)
		close(e->df_fd);
	e->df_fd = -1;
}

void env_setstat(struct envelope *e, int status)
{
	if (e->exitstat == EX_OK || e->exitstat == EX_TEMPFAIL)
		e->exitstat = status;
}

/* Print s as Sendmail prints message text: 7-bit, controls as ^X. */
static void put_clean(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		int c = *p & 0x7f;

		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			putc('^', out);
			putc(c ^ 0x40, out);
		} else {
			putc(c, out);
		}
	}
}

void env_usrerr(struct envelope *e, const char *to, int status, const char *fmt, ...)
{
	struct sm_buf b = SM_BUF_INIT;
	va_list ap;

	struct sm_buf full = SM_BUF_INIT;

	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (env_cur_file != NULL)
		sm_buf_printf(&full, "%s: line %d: ", env_cur_file, env_cur_line);
	if (to != NULL)
		sm_buf_printf(&full, "%s... ", to);
	sm_buf_append(&full, b.data != NULL ? b.data : "", b.len);
	if (e->print_errors) {
		put_clean(e->msgout, sm_buf_str(&full));
		putc('\n', e->msgout);
		fflush(e->msgout);
	}
	/* the first error becomes the envelope's status message (qf M line) */
	if (status > 0 && e->message == NULL)
		e->message = sm_arena_strdup(e->arena, sm_buf_str(&full));
	sm_buf_free(&b);
	sm_buf_free(&full);
	if (status > 0)
		env_setstat(e, status);
}

void env_pa_init(struct envelope *e, struct env_pa *p)
{
	memset(p, 0, sizeof(*p));
	p->rw.cf = e->cf;
	p->rw.macros = e->macros;
	p->rw.arena = e->arena;
	p->rw.errout = e->msgout;
	p->pa.rw = &p->rw;
	p->pa.msgout = e->msgout;
	p->pa.exitstat = &e->exitstat;
}

const char *env_gecos_name(struct envelope *e, const char *gecos, const char *login)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	if (gecos == NULL)
		return NULL;
	if (*gecos == '*')
		gecos++;
	for (const char *p = gecos; *p != '\0' && *p != ',' && *p != ';' && *p != '%'; p++) {
		if (*p == '&') {
			sm_buf_putc(&b, toupper((unsigned char)login[0]));
			if (login[0] != '\0')
				sm_buf_puts(&b, login + 1);
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	r = b.len > 0 ? sm_arena_strdup(e->arena, sm_buf_str(&b)) : NULL;
	sm_buf_free(&b);
	return r;
}

bool env_trusted_user(const struct config *cf, const char *user, uid_t uid)
{
	const char *tu = opt_raw(cf->opt, OPT_TRUSTED_USER);

	if (uid == 0)
		return true;
	if (user != NULL && class_member(cf->classes, macro_id("t"), user))
		return true;
	if (tu != NULL && user != NULL) {
		struct passwd *pw =
		    isdigit((unsigned char)*tu) ? getpwuid((uid_t)atol(tu)) : getpwnam(tu);

		if (pw != NULL && pw->pw_uid == uid)
			return true;
	}
	return false;
}

/* $f: the sender through rulesets 3, 1 and 4 (Sendmail's setsender). */
static const char *sender_rewritten(struct envelope *e, const char *addr)
{
	struct env_pa p;
	struct tokvec tv;
	struct tok_error err;
	struct sm_buf out = SM_BUF_INIT;
	const char *r;

	env_pa_init(e, &p);
	tokvec_init(&tv, e->arena);
	if (!tok_scan_address_ex(e->cf, e->arena, addr, '\0', TOKS_COMMENTS | TOKS_NOLIMIT, &tv,
	                         NULL, &err))
		return addr;
	(void)rewrite(&p.rw, 3, 0, &tv);
	(void)rewrite(&p.rw, 1, 0, &tv);
	(void)rewrite(&p.rw, 4, 0, &tv);
	pa_cataddr(e->cf, tv.v, tv.n, '\0', &out);
	r = sm_arena_strdup(e->arena, sm_buf_str(&out));
	sm_buf_free(&out);
	return r;
}

/* PrivacyOptions has authwarnings (goaway includes it). */
static bool auth_warnings(const struct envelope *e)
{
	const char *priv = opt_raw(e->cf->opt, OPT_PRIVACY_OPTIONS);

	return priv != NULL &&
	       (strcasestr(priv, "authwarnings") != NULL || strcasestr(priv, "goaway") != NULL);
}

/* The untrusted -f warning (PrivacyOptions authwarnings). */
static void auth_warning(struct envelope *e, const char *from)
{
	(void)env_auth_warning(e, sm_arena_printf(e->arena, "%s set sender to %s using -f",
	                                          e->user, from));
}

bool env_auth_warning(struct envelope *e, const char *text)
{
	const char *j = macro_get(e->macros, macro_id("j"));

	if (!auth_warnings(e))
		return false;
	env_header_add(e, "X-Authentication-Warning",
	               sm_arena_printf(e->arena, " %s: %s", j != NULL ? j : "localhost", text),
	               ENV_H_USER);
	return true;
}

/* Full name for $x: -F, else the GECOS of a local sender. */
static void sender_fullname(struct envelope *e, const char *fullname)
{
	const char *x = fullname;

	if (x == NULL && e->from.mailer != NULL && mailer_flag(e->from.mailer, 'w') &&
	    e->from.user != NULL) {
		struct passwd *pw = getpwnam(e->from.user);

		if (pw != NULL)
			x = env_gecos_name(e, pw->pw_gecos, pw->pw_name);
	}
	if (x != NULL && *x != '\0')
		macro_set(e->macros, macro_id("x"), x);
}

bool env_setsender(struct envelope *e, const char *from, const char *fullname, bool trusted)
{
	struct env_pa p;
	struct address a;
	const char *addr = from != NULL ? from : e->user;
	const char *f;

	env_pa_init(e, &p);
	if (!pa_parseaddr(&p.pa, addr, RF_SENDERADDR, '\0', NULL, &a) || a.state == PA_BADADDR) {
		env_usrerr(e, NULL, EX_USAGE, "Invalid sender address %s", addr);
		if (from == NULL)
			return false;
		return env_setsender(e, NULL, fullname, true);
	}
	e->from.paddr = sm_arena_strdup(e->arena, addr);
	e->from.mailer = a.mailer;
	e->from.mailer_name = a.mailer_name;
	e->from.host = a.host;
	e->from.user = a.user;
	e->sender = e->from.paddr;
	f = sender_rewritten(e, addr);
	macro_set(e->macros, macro_id("f"), f);
	macro_set(e->macros, macro_id("g"), f);
	e->auth = strchr(f, '@') != NULL
	              ? f
	              : sm_arena_printf(e->arena, "%s@%s", f, macro_get(e->macros, macro_id("j")));
	sender_fullname(e, fullname);
	if (from != NULL && !trusted && strcmp(from, e->user) != 0) {
		e->auth = NULL; /* 8.17 writes no A line for a sender it does not trust */
		auth_warning(e, from);
	}
	return true;
}

long env_priority(const struct envelope *e)
{
	return e->msgsize - (long)e->msgclass * opt_num(e->cf->opt, OPT_CLASS_FACTOR) +
	       (long)e->nrcpts * opt_num(e->cf->opt, OPT_RECIPIENT_FACTOR);
}
