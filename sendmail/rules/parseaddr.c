/*
 * rules/parseaddr: address to triple (pa_parseaddr) and address to the
 * mailer's form (pa_remotename).  See parseaddr.h for the API.
 *
 * The order of work follows Sendmail's parseaddr()/buildaddr()/remotename()
 * so that the -bt traces come out in the same order: prescan, checks,
 * ruleset 3, ruleset 0, then (buildaddr) the user part alone through
 * ruleset 2, the mailer's R= envelope ruleset and ruleset 4.  Rulesets
 * run on token vectors; nothing here has a fixed-size buffer.
 *
 * Messages: "<addr>... <text>" without the SMTP code, bytes shown 7-bit
 * with control characters as ^X, as the reference prints them in -bt.
 */
#include "sendmail/rules/parseaddr.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/rules/crackaddr.h"
#include "sendmail/rules/rewrite.h"

/* ---- messages ---- */

#define MAXSHORTSTR 203 /* longest "to" shown before a message, as Sendmail's */

/* Print s as the reference prints message text: 7-bit, controls (not blanks) as ^X. */
static void put_sanitized(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		int c = *p & 0x7f;

		if ((c < 0x20 && strchr("\t\n\v\f\r", c) == NULL) || c == 0x7f) {
			putc('^', out);
			putc(c ^ 0x40, out);
		} else {
			putc(c, out);
		}
	}
}

/* A user error: "to... text" (or just text when to is NULL). */
static void pa_usrerr(struct pa_ctx *ctx, const char *to, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void pa_usrerr(struct pa_ctx *ctx, const char *to, const char *fmt, ...)
{
	struct sm_buf b = SM_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (to != NULL) {
		struct sm_buf t = SM_BUF_INIT;
		size_t n = strlen(to), half = (MAXSHORTSTR - 3) / 2;

		if (n >= MAXSHORTSTR) { /* Sendmail's shortenstring() */
			sm_buf_append(&t, to, half);
			sm_buf_puts(&t, "...");
			sm_buf_puts(&t, to + n - half);
		} else {
			sm_buf_puts(&t, to);
		}
		put_sanitized(ctx->msgout, sm_buf_str(&t));
		fputs("... ", ctx->msgout);
		sm_buf_free(&t);
	}
	put_sanitized(ctx->msgout, sm_buf_str(&b));
	putc('\n', ctx->msgout);
	sm_buf_free(&b);
}

void pa_setstat(struct pa_ctx *ctx, int status)
{
	if (*ctx->exitstat == EX_OK || *ctx->exitstat == EX_TEMPFAIL)
		*ctx->exitstat = status;
}

/* A "system error": printed like a user error, exit status EX_SOFTWARE. */
static void pa_syserr(struct pa_ctx *ctx, const char *to, const char *msg)
{
	pa_usrerr(ctx, to, "%s", msg);
	pa_setstat(ctx, EX_SOFTWARE);
}

/* ---- checks ---- */

bool pa_invalidaddr(struct pa_ctx *ctx, const char *addr, const char *end)
{
	size_t len = end != NULL ? (size_t)(end - addr) : strlen(addr);
	struct sm_buf shown = SM_BUF_INIT;
	bool bad = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)addr[i];

		if ((c & 0xe0) == 0x80) {
			bad = true;
			c = '?';
		}
		if (i + 1 > MAXNAME - 1) {
			pa_usrerr(ctx, NULL, "Address \"%s\" too long (%d bytes max)",
				  sm_buf_str(&shown), MAXNAME - 1);
			sm_buf_free(&shown);
			return true;
		}
		sm_buf_putc(&shown, c);
	}
	if (bad) {
		pa_setstat(ctx, EX_USAGE);
		pa_usrerr(ctx, NULL, "8-bit character in mailbox address \"%s\"", sm_buf_str(&shown));
	}
	sm_buf_free(&shown);
	return bad;
}

/* ---- tokens to text ---- */

static bool is_atom(const struct config *cf, const struct token *t)
{
	const char *ops = cf != NULL && cf->operator_chars != NULL ? cf->operator_chars : ".:@[]";
	int c;

	if (t->kind != TK_WORD || t->s == NULL)
		return false;
	c = (unsigned char)t->s[0];
	if (c == '\0' || c == '"')
		return false;
	return strchr(ops, c) == NULL && strchr("()<>,;", c) == NULL;
}

void pa_cataddr(const struct config *cf, const struct token *t, size_t n, int spacesub,
		struct sm_buf *out)
{
	bool prev_atom = false;

	if (spacesub == '\0')
		spacesub = cf != NULL && cf->blank_sub != 0 ? cf->blank_sub : ' ';
	for (size_t i = 0; i < n; i++) {
		bool atom = is_atom(cf, &t[i]);

		if (prev_atom && atom)
			sm_buf_putc(out, spacesub);
		if (t[i].kind == TK_WORD)
			sm_buf_puts(out, t[i].s != NULL ? t[i].s : "");
		else
			tok_format1(cf, &t[i], out);
		prev_atom = atom;
	}
}

static char *cat_tokens(struct pa_ctx *ctx, const struct token *t, size_t n, int spacesub)
{
	struct sm_buf b = SM_BUF_INIT;
	char *r;

	pa_cataddr(ctx->rw->cf, t, n, spacesub, &b);
	r = sm_arena_memdup(ctx->rw->arena, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

/* ---- DSN status to exit code ---- */

static int dsn_address(int d3)
{
	static const int codes[] = {EX_DATAERR, EX_NOUSER, EX_NOHOST, EX_USAGE, EX_UNAVAILABLE,
				    EX_CONFIG,  EX_NOUSER, EX_DATAERR, EX_CONFIG};

	return d3 >= 0 && d3 <= 8 ? codes[d3] : EX_UNAVAILABLE;
}

static int dsn_system(int d3)
{
	static const int codes[] = {EX_OSERR, EX_OSERR, EX_UNAVAILABLE, EX_UNAVAILABLE,
				    EX_DATAERR, EX_CONFIG};

	return d3 >= 0 && d3 <= 5 ? codes[d3] : EX_UNAVAILABLE;
}

static int dsn_network(int d3)
{
	static const int codes[] = {EX_IOERR,  EX_TEMPFAIL, EX_IOERR,  EX_TEMPFAIL,
				    EX_NOHOST, EX_TEMPFAIL, EX_CONFIG, EX_UNAVAILABLE};

	return d3 >= 0 && d3 <= 7 ? codes[d3] : EX_UNAVAILABLE;
}

int pa_dsn_exitstat(const char *dsn)
{
	int d2, d3;

	if (dsn[0] == '2')
		return EX_OK;
	if (dsn[0] == '4')
		return EX_TEMPFAIL;
	if (dsn[0] != '5' || dsn[1] != '.' || !isdigit((unsigned char)dsn[2]) || dsn[3] != '.')
		return EX_CONFIG;
	d2 = dsn[2] - '0';
	d3 = isdigit((unsigned char)dsn[4]) ? atoi(dsn + 4) : -1;
	switch (d2) {
	case 0:
		return EX_UNAVAILABLE;
	case 1:
		return dsn_address(d3);
	case 2:
		return d3 == 3 ? EX_DATAERR : EX_UNAVAILABLE;
	case 3:
		return dsn_system(d3);
	case 4:
		return dsn_network(d3);
	case 5:
		return EX_PROTOCOL;
	case 6:
		return EX_UNAVAILABLE;
	case 7:
		return EX_DATAERR;
	default:
		return EX_UNAVAILABLE;
	}
}

/* ---- buildaddr ---- */

void pa_stripquotes(char *s)
{
	char *q = s;
	bool esc = false;

	for (; *s != '\0'; s++) {
		if (!esc && *s == '\\') {
			esc = true;
			continue;
		}
		if (!esc && *s == '"')
			continue;
		esc = false;
		*q++ = *s;
	}
	*q = '\0';
}

/* Length of an enhanced status code "d.ddd.ddd" ending at delim, or 0. */
static size_t enh_len(const char *s, int delim)
{
	size_t i = 0;

	if (s[0] < '2' || s[0] > '5' || s[1] != '.')
		return 0;
	i = 2;
	for (int part = 0; part < 2; part++) {
		size_t start = i;

		while (isdigit((unsigned char)s[i]) && i - start < 3)
			i++;
		if (i == start)
			return 0;
		if (part == 0 && s[i++] != '.')
			return 0;
	}
	return s[i] == delim ? i : 0;
}

static bool is_smtp_code(const char *s)
{
	return s[0] >= '2' && s[0] <= '5' && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]);
}

static void make_lower(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

static void set_error_mailer(struct pa_ctx *ctx, struct address *a)
{
	a->mailer = NULL;
	a->mailer_name = "*error*";
	a->state = *ctx->exitstat == EX_TEMPFAIL || a->state == PA_QUEUEUP ? PA_QUEUEUP : PA_BADADDR;
}

/* $#error $@ status $: text: the message, the exit status, the triple. */
static void build_error(struct pa_ctx *ctx, struct address *a, const char *host, char *ubuf)
{
	char *text = sm_arena_strdup(ctx->rw->arena, ubuf);

	a->user = ubuf;
	a->host = host;
	if (host == NULL)
		pa_setstat(ctx, EX_UNAVAILABLE);
	else if (strchr(host, '.') != NULL) {
		a->status = host;
		pa_setstat(ctx, pa_dsn_exitstat(host));
	} else if (isdigit((unsigned char)host[0]))
		pa_setstat(ctx, atoi(host));
	else {
		int code = sm_exit_code(host);

		pa_setstat(ctx, code < 0 ? EX_UNAVAILABLE : code);
	}
	pa_stripquotes(text);
	if (is_smtp_code(text) && text[3] == ' ') {
		size_t off = enh_len(text + 4, ' ');

		pa_usrerr(ctx, a->paddr, "%s", text + (off > 0 ? off + 5 : 4));
		if (text[0] == '4')
			a->state = PA_QUEUEUP;
	} else {
		pa_usrerr(ctx, a->paddr, "%s", text);
	}
	set_error_mailer(ctx, a);
}

/* Positions in a resolved vector: $# mailer [$@ host...] $: user... */
struct triple_pos {
	size_t host;  /* first host token, or 0 when there is no $@ */
	size_t user;  /* index of the $: token */
};

static bool find_triple(const struct tokvec *tv, struct triple_pos *p)
{
	size_t i = 2;

	p->host = 0;
	if (i < tv->n && tv->v[i].kind == TK_HOST)
		p->host = ++i;
	while (i < tv->n && tv->v[i].kind != TK_USER)
		i++;
	p->user = i;
	return i < tv->n;
}

/* Run ruleset rs on tv unless rs < 0; note a temporary failure. */
static void run_rs(struct pa_ctx *ctx, int rs, struct tokvec *tv, bool *tempfail)
{
	if (rs < 0)
		return;
	if (rewrite(ctx->rw, rs, 0, tv) == EX_TEMPFAIL && tempfail != NULL)
		*tempfail = true;
	if (ctx->rw->nsyserr > 0) { /* the engine printed a system error */
		pa_setstat(ctx, EX_SOFTWARE);
		ctx->rw->nsyserr = 0;
	}
}

/* The special local forms: |program, /file, :include:. */
static const struct mailer *special_mailer(struct pa_ctx *ctx, const struct mailer *m, char *ubuf,
					   const char *p, struct address *a)
{
	const struct config *cf = ctx->rw->cf;

	if (*p == '"')
		p++;
	if (*p == '|' && mailer_flag(m, '|'))
		return mailer_find(cf, "prog");
	if (*p == '/' && mailer_flag(m, '/'))
		return mailer_find(cf, "*file*");
	if (*p == ':' && mailer_flag(m, ':')) {
		char *u = sm_arena_strdup(ctx->rw->arena, ubuf);

		pa_stripquotes(u);
		if (strncasecmp(u, ":include:", 9) == 0) {
			a->user = u + 9;
			return mailer_find(cf, "*include*");
		}
	}
	return m;
}

/* Finish a triple for a real mailer: special forms, rulesets 2, R=, 4. */
static void build_mailer(struct pa_ctx *ctx, struct address *a, const struct mailer *m,
			 struct tokvec *tv, size_t ustart, char *ubuf, int flags)
{
	struct tokvec tail;
	const char *p = ubuf;
	const struct config *cf = ctx->rw->cf;

	if (mailer_flag(m, '@') && *p == '@') {
		p++;
		ustart++;
	}
	m = special_mailer(ctx, m, ubuf, p, a);
	a->mailer = m;
	a->mailer_name = m->name;
	if (a->user != NULL) /* :include: needs no more rewriting */
		return;
	macro_set(ctx->rw->macros, macro_id("h"), a->host);
	tokvec_init(&tail, ctx->rw->arena);
	if (ustart < tv->n)
		tokvec_append(&tail, tv->v + ustart, tv->n - ustart);
	if (cf->version >= 10 || !(flags & (RF_SENDERADDR | RF_HEADERADDR))) {
		run_rs(ctx, 2, &tail, NULL);
		if (m->re_rwset > 0)
			run_rs(ctx, m->re_rwset, &tail, NULL);
	}
	run_rs(ctx, 4, &tail, NULL);
	a->user = cat_tokens(ctx, tail.v, tail.n, '\0');
	if (a->host != NULL && !mailer_flag(m, 'h'))
		make_lower((char *)a->host);
	if (!mailer_flag(m, 'u'))
		make_lower((char *)a->user);
}

/* Sendmail's buildaddr(): the resolved vector to *a. */
static void buildaddr(struct pa_ctx *ctx, struct tokvec *tv, int flags, struct address *a)
{
	struct triple_pos pos;
	const struct mailer *m;
	const char *mname;
	char *ubuf;

	if (tv->n < 2 || tv->v[0].kind != TK_NET || tv->v[1].kind != TK_WORD) {
		pa_syserr(ctx, a->paddr, "buildaddr: no mailer in parsed address");
		set_error_mailer(ctx, a);
		return;
	}
	mname = tv->v[1].s;
	if (!find_triple(tv, &pos)) {
		pa_syserr(ctx, a->paddr, "buildaddr: no user");
		set_error_mailer(ctx, a);
		return;
	}
	if (pos.host != 0 && pos.host < pos.user)
		a->host = cat_tokens(ctx, tv->v + pos.host, pos.user - pos.host, '\0');
	ubuf = cat_tokens(ctx, tv->v + pos.user + 1, tv->n - pos.user - 1, ' ');
	if (strcasecmp(mname, "error") == 0) {
		build_error(ctx, a, a->host, ubuf);
		return;
	}
	m = mailer_find(ctx->rw->cf, mname);
	if (m == NULL) {
		pa_usrerr(ctx, a->paddr, "buildaddr: unknown mailer %s", mname);
		pa_setstat(ctx, EX_SOFTWARE);
		set_error_mailer(ctx, a);
		return;
	}
	if (a->host == NULL && !mailer_flag(m, 'l')) {
		pa_syserr(ctx, a->paddr, "buildaddr: no host");
		set_error_mailer(ctx, a);
		return;
	}
	build_mailer(ctx, a, m, tv, pos.user + 1, ubuf, flags);
}

/* ---- parseaddr ---- */

void pa_scan_errors(struct pa_ctx *ctx, const char *addr, const struct tok_error *e)
{
	for (; e != NULL && e->code != 0; e = e->next)
		pa_usrerr(ctx, addr, "%s", e->msg);
}

/*
 * Sendmail's hasctrlchar() on the user part: control bytes become '?',
 * the address is reported once and marked bad (the triple is kept).
 */
static bool has_ctrl_char(struct pa_ctx *ctx, struct address *a)
{
	char *u = sm_arena_strdup(ctx->rw->arena, a->user);
	bool bad = false;

	for (char *p = u; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*p = '?';
			bad = true;
		}
	}
	if (!bad)
		return false;
	a->user = u;
	a->state = PA_BADADDR;
	pa_usrerr(ctx, NULL, "Syntax error in mailbox address \"%s\" (non-printable character)", u);
	return true;
}

bool pa_parseaddr(struct pa_ctx *ctx, const char *addr, int flags, int delim,
		  const char **delimptr, struct address *a)
{
	struct tokvec tv;
	struct tok_error err;
	const char *end = NULL;
	bool ok, tempfail = false;

	memset(a, 0, sizeof(*a));
	a->paddr = addr;
	tokvec_init(&tv, ctx->rw->arena);
	ok = tok_scan_address_ex(ctx->rw->cf, ctx->rw->arena, addr, delim, TOKS_COMMENTS | TOKS_NOLIMIT,
				 &tv, &end,
				 &err);
	pa_scan_errors(ctx, addr, &err);
	if (delimptr != NULL)
		*delimptr = end;
	if (!ok)
		return false;
	if (pa_invalidaddr(ctx, addr, delim == '\0' ? NULL : end))
		return false;
	run_rs(ctx, 3, &tv, &tempfail);
	run_rs(ctx, 0, &tv, &tempfail);
	buildaddr(ctx, &tv, flags, a);
	if (a->user != NULL && has_ctrl_char(ctx, a))
		return true;
	/* An address already bad (resolved to $#error) is not also queued. */
	if (tempfail && a->state != PA_BADADDR) {
		pa_usrerr(ctx, addr, "Transient parse error -- message queued for future delivery");
		a->state = PA_QUEUEUP;
		a->status = "4.4.3";
	}
	return true;
}

/* ---- remotename ---- */

/* Replace each "$g" of templ by g (the only macro a crackaddr template holds). */
static const char *fill_template(struct pa_ctx *ctx, const char *templ, const char *g)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const char *p = templ; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] == 'g') {
			sm_buf_puts(&b, g);
			p++;
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	r = sm_arena_memdup(ctx->rw->arena, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

/* The mailer's ruleset for this kind of address; unset is 0, as Sendmail's. */
static int pick_rwset(const struct mailer *m, int flags)
{
	int rs;

	if (flags & RF_SENDERADDR)
		rs = (flags & RF_HEADERADDR) ? m->sh_rwset : m->se_rwset;
	else
		rs = (flags & RF_HEADERADDR) ? m->rh_rwset : m->re_rwset;
	return rs < 0 ? 0 : rs;
}

const char *pa_remotename(struct pa_ctx *ctx, const char *name, const struct mailer *m,
			  int flags, int *rcode)
{
	int rwset = pick_rwset(m, flags);
	char type[4];
	const char *fancy, *lbuf;
	struct tokvec tv;
	struct tok_error err;
	bool ok, tempfail = false;

	if (rwset < 0)
		return name;
	type[0] = (flags & RF_HEADERADDR) ? 'h' : 'e';
	type[1] = ' ';
	type[2] = (flags & RF_SENDERADDR) ? 's' : 'r';
	type[3] = '\0';
	macro_set(ctx->rw->macros, macro_id("{addr_type}"), type);
	if ((flags & RF_CANONICAL) || mailer_flag(m, 'c'))
		fancy = "$g";
	else
		fancy = crackaddr(ctx->rw->cf, name, ctx->rw->arena);
	tokvec_init(&tv, ctx->rw->arena);
	ok = tok_scan_address_ex(ctx->rw->cf, ctx->rw->arena, name, '\0',
				 TOKS_COMMENTS | TOKS_NOLIMIT, &tv, NULL, &err);
	pa_scan_errors(ctx, name, &err);
	if (!ok)
		return name;
	run_rs(ctx, 3, &tv, &tempfail);
	run_rs(ctx, (flags & RF_SENDERADDR) ? 1 : 2, &tv, &tempfail);
	if (rwset > 0)
		run_rs(ctx, rwset, &tv, &tempfail);
	run_rs(ctx, 4, &tv, &tempfail);
	if (tempfail)
		*rcode = EX_TEMPFAIL;
	lbuf = cat_tokens(ctx, tv.v, tv.n, '\0');
	if ((flags & RF_CANONICAL) && lbuf[0] == '@')
		fancy = "<$g>";
	return fill_template(ctx, fancy, lbuf);
}

/* One check_* argument scanned and appended to out; false if it does not scan. */
static bool check_arg(const struct config *cf, struct sm_arena *a, const char *arg, bool comments,
		      struct tokvec *out)
{
	struct tokvec part;
	struct tok_error err;
	int flags = TOKS_NOLIMIT | (comments ? TOKS_COMMENTS : 0);

	tokvec_init(&part, a);
	if (!tok_scan_address_ex(cf, a, arg, '\0', flags, &part, NULL, &err))
		return false;
	tokvec_append(out, part.v, part.n);
	return true;
}

bool pa_check_input(const struct config *cf, struct sm_arena *a, const char *arg1, bool comments1,
		    const char *arg2, struct tokvec *out)
{
	tokvec_init(out, a);
	if (!check_arg(cf, a, arg1, comments1, out))
		return false;
	if (arg2 == NULL)
		return true;
	tokvec_push(out, (struct token){NULL, TK_ELSE, 0});
	return check_arg(cf, a, arg2, true, out);
}

char *pa_cataddr_str(const struct config *cf, struct sm_arena *a, const struct token *t, size_t n,
		     int spacesub)
{
	struct sm_buf b = SM_BUF_INIT;
	char *r;

	if (n > 0)
		pa_cataddr(cf, t, n, spacesub, &b);
	r = sm_arena_strdup(a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}
