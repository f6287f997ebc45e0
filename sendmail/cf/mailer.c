/*
 * cf/mailer: M lines, the built-in mailers, and the -bt `=M` listing.
 *
 * An M line is "name, X=value, Y=value, ...": fields are separated by
 * commas, only the first letter of a field name counts, values have
 * quotes removed and backslash escapes applied (as Sendmail's munchstring
 * does), macros are kept for use time.  Field handlers are one row each in
 * FIELDS below.  Messages and their texts are Sendmail's (see the cf
 * tests); a bad field stops the line but keeps what was parsed so far,
 * as Sendmail does.
 *
 * Public API: cf/mailer.h.
 */
#include "sendmail/cf/mailer.h"

#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/diag.h"
#include "sendmail/cf/read.h"
#include "sendmail/cf/options.h"

#define MAX_ARGV 64

bool mailer_flag(const struct mailer *m, int c)
{
	c &= 0xff;
	return (m->flags[c / 8] >> (c % 8)) & 1;
}

void mailer_set_flag(struct mailer *m, int c)
{
	c &= 0xff;
	m->flags[c / 8] |= (unsigned char)(1u << (c % 8));
}

static void set_flags(struct mailer *m, const char *s)
{
	for (; *s; s++) {
		if (!isspace((unsigned char)*s))
			mailer_set_flag(m, (unsigned char)*s);
	}
}

struct mailer *mailer_find(const struct config *cf, const char *name)
{
	for (int i = 0; i < cf->nmailers; i++) {
		if (cf->mailers[i] != NULL && strcasecmp(cf->mailers[i]->name, name) == 0)
			return cf->mailers[i];
	}
	return NULL;
}

/* Split a value into argv words (blank-separated). */
static void set_argv(struct config *cf, struct mailer *m, const char *v)
{
	const char **argv = sm_arena_array(cf->arena, MAX_ARGV + 1, sizeof(*argv));
	int n = 0;
	const char *p = v;

	while (*p && n < MAX_ARGV) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		const char *e = p;
		while (*e && !isspace((unsigned char)*e))
			e++;
		argv[n++] = sm_arena_memdup(cf->arena, p, (size_t)(e - p));
		p = e;
	}
	argv[n] = NULL;
	m->argv = argv;
	m->argv_raw = sm_arena_strdup(cf->arena, v);
}

static struct mailer *mailer_new(struct config *cf, const char *name)
{
	struct mailer *m = sm_arena_zalloc(cf->arena, sizeof(*m));

	m->name = sm_arena_strdup(cf->arena, name);
	m->uid = m->gid = -1;
	m->maxrcpt = 100;
	m->eol = "\n";
	m->se_rwset = m->sh_rwset = m->re_rwset = m->rh_rwset = -1;
	return m;
}

static void builtin(struct config *cf, const char *name, const char *path, const char *flags,
		    const char *argv, const char *type)
{
	struct mailer *m = mailer_new(cf, name);

	m->path = path;
	set_flags(m, flags);
	set_argv(cf, m, argv);
	if (type != NULL)
		m->mtatype = m->addrtype = m->diagtype = type;
	m->number = cf->nmailers;
	cf->mailers[cf->nmailers++] = m;
}

void mailer_setup_builtin(struct config *cf)
{
	builtin(cf, "prog", "/bin/sh", "lsouDq9", "sh -c $u", "X-Unix");
	builtin(cf, "*file*", "[FILE]", "lsDFMPEouq9", "FILE $u", "X-Unix");
	builtin(cf, "*include*", "/dev/null", "su", "INCLUDE $u", NULL);
}

/* ---- field parsing ---- */

/* Apply quotes and backslashes to the value at *pp up to ','; advance. */
static char *munch(struct config *cf, const char **pp)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *p = *pp;
	bool quoted = false;
	size_t keep = 0; /* length up to the last byte that is not a plain blank */

	for (; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			sm_buf_putc(&b, *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p);
			keep = b.len;
		} else if (*p == '"') {
			quoted = !quoted;
		} else if (*p == ',' && !quoted) {
			break;
		} else {
			sm_buf_putc(&b, *p);
			if (quoted || !isspace((unsigned char)*p))
				keep = b.len;
		}
	}
	*pp = p;
	char *r = sm_arena_memdup(cf->arena, sm_buf_str(&b), keep);
	sm_buf_free(&b);
	return r;
}

/* One ruleset reference of S=/R=; -1 after an error. */
static int rwset_ref(struct config *cf, const char *s, size_t len)
{
	char *name = sm_arena_memdup(cf->arena, s, len);

	while (*name && isspace((unsigned char)*name))
		name++;
	if (isdigit((unsigned char)*name)) {
		long n = strtol(name, NULL, 10);
		if (n >= MAXNUMRWSETS) {
			cf_syserr(cf, "bad ruleset %ld (%d max)", n, MAXNUMRWSETS);
			return -2;
		}
		return (int)n;
	}
	int n = config_ruleset_number(cf, name, true);
	if (n < 0)
		cf_syserr(cf, "invalid ruleset name: \"%.20s\"", name);
	return n < 0 ? -2 : n;
}

/* "env[/hdr]"; false after an error. */
static bool set_rwsets(struct config *cf, const char *v, int *env, int *hdr)
{
	const char *slash = strchr(v, '/');
	int e = rwset_ref(cf, v, slash ? (size_t)(slash - v) : strlen(v));

	if (e == -2)
		return false;
	int h = slash ? rwset_ref(cf, slash + 1, strlen(slash + 1)) : e;
	if (h == -2)
		return false;
	*env = e;
	*hdr = h;
	return true;
}

static bool set_user(struct config *cf, struct mailer *m, const char *v)
{
	const char *colon = strchr(v, ':');
	char *user = sm_arena_memdup(cf->arena, v, colon ? (size_t)(colon - v) : strlen(v));

	if (*user != '\0') {
		if (isdigit((unsigned char)*user)) {
			m->uid = atoi(user);
		} else {
			struct passwd *pw = getpwnam(user);
			if (pw == NULL) {
				cf_syserr(cf, "readcf: mailer U= flag: unknown user %s", user);
				return false;
			}
			m->uid = (int)pw->pw_uid;
			if (colon == NULL)
				m->gid = (int)pw->pw_gid;
		}
		m->uidname = user;
	}
	if (colon == NULL || colon[1] == '\0')
		return true;
	if (isdigit((unsigned char)colon[1])) {
		m->gid = atoi(colon + 1);
		return true;
	}
	struct group *gr = getgrnam(colon + 1);
	if (gr == NULL) {
		cf_syserr(cf, "readcf: mailer U= flag: unknown group %s", colon + 1);
		return false;
	}
	m->gid = (int)gr->gr_gid;
	return true;
}

static bool queue_known(const struct config *cf, const char *name)
{
	if (strcmp(name, "mqueue") == 0)
		return true;
	for (const struct cf_fields *q = cf->queue_groups; q; q = q->next) {
		if (strcmp(q->name, name) == 0)
			return true;
	}
	return false;
}

/* C=, D=, /= and Q=: strings that may not be empty. */
static bool set_string_field(struct config *cf, struct mailer *m, int code, const char *v)
{
	static const char *const what[] = {['C'] = "charset", ['D'] = "working directory",
					   ['/'] = "root directory", ['Q'] = "queue"};

	if (*v == '\0') {
		cf_syserr(cf, "mailer %s: null %s", m->name, what[code]);
		return false;
	}
	switch (code) {
	case 'C': m->charset = v; break;
	case 'D': m->execdir = v; break;
	case '/': m->rootdir = v; break;
	default:
		if (!queue_known(cf, v))
			cf_syserr(cf, "mailer %s: unknown queue %s", m->name, v);
		else
			m->qgrp = v;
		break;
	}
	return true;
}

/* T=mta/addr/diag (missing parts stay unset). */
static bool set_types(struct config *cf, struct mailer *m, const char *v)
{
	const char *s1 = strchr(v, '/');
	const char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;

	m->mtatype = sm_arena_memdup(cf->arena, v, s1 ? (size_t)(s1 - v) : strlen(v));
	if (s1 != NULL)
		m->addrtype = sm_arena_memdup(cf->arena, s1 + 1,
					      s2 ? (size_t)(s2 - s1 - 1) : strlen(s1 + 1));
	if (s2 != NULL)
		m->diagtype = sm_arena_strdup(cf->arena, s2 + 1);
	return true;
}

/* Apply one field; false stops the line. */
static bool set_field(struct config *cf, struct mailer *m, int code, const char *v)
{
	switch (code) {
	case 'P': m->path = v; return true;
	case 'F': set_flags(m, v); return true;
	case 'S': return set_rwsets(cf, v, &m->se_rwset, &m->sh_rwset);
	case 'R': return set_rwsets(cf, v, &m->re_rwset, &m->rh_rwset);
	case 'E':
		if (*v == '\0') {
			cf_syserr(cf, "mailer %s: null end-of-line string", m->name);
			return false;
		}
		m->eol = v;
		return true;
	case 'A': set_argv(cf, m, v); return true;
	case 'M': m->maxsize = atol(v); return true;
	case 'm': m->maxmessages = atoi(v); return true;
	case 'r': m->maxrcpt = atoi(v); return true;
	case 'L': m->linelimit = atoi(v); return true;
	case 'N': m->nice = atoi(v); return true;
	case 'W': {
		bool bad = false;
		int unit = 0;
		m->wait = option_convtime(v, 's', &bad, &unit);
		return true;
	}
	case 'C':
	case 'D':
	case '/':
	case 'Q':
		return set_string_field(cf, m, code, v);
	case 'U': return set_user(cf, m, v);
	case 'T': return set_types(cf, m, v);
	default:
		cf_syserr(cf, "M%s: unknown mailer equate %c=", m->name, code);
		return false;
	}
}

/* Parse the fields after the name; false if the line was cut short. */
static bool parse_fields(struct config *cf, struct mailer *m, const char *p)
{
	for (int guard = 0; *p && guard < 256; guard++) {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		int code = (unsigned char)*p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p != '=') {
			cf_syserr(cf, "mailer %s: `=' expected", m->name);
			return false;
		}
		p++;
		while (isspace((unsigned char)*p))
			p++;
		const char *v = munch(cf, &p);
		if (!set_field(cf, m, code, v))
			return false;
	}
	return true;
}

static int argc_of(const struct mailer *m)
{
	int n = 0;

	while (m->argv[n] != NULL)
		n++;
	return n;
}

/* Does A= pass the recipient ($u) on the command line? */
static bool argv_has_user(const struct mailer *m)
{
	for (int i = 0; m->argv[i] != NULL; i++) {
		if (strstr(m->argv[i], "$u") != NULL)
			return true;
	}
	return false;
}

/* The A= checks Sendmail makes for [IPC] and [FILE] mailers. */
static bool check_argv(struct config *cf, const struct mailer *m)
{
	int argc = argc_of(m);

	if (strcmp(m->path, "[IPC]") == 0) {
		if (argc < 2) {
			cf_syserr(cf, "M%s: too few parameters for %s mailer", m->name, m->path);
			return false;
		}
		if (strcmp(m->argv[0], "TCP") != 0 && strcmp(m->argv[0], "FILE") != 0)
			cf_syserr(cf, "M%s: Warning: first argument in %s mailer must be %s", m->name,
				  m->path, "TCP or FILE");
		return true;
	}
	if (strcmp(m->path, "[FILE]") == 0) {
		if (argc != 2) {
			cf_syserr(cf, "M%s: too %s parameters for [FILE] mailer", m->name,
				  argc < 2 ? "few" : "many");
			return false;
		}
		if (strcmp(m->argv[0], "FILE") != 0) {
			cf_syserr(cf, "M%s: first argument in [FILE] mailer must be FILE", m->name);
			return false;
		}
	}
	return true;
}

/* Defaults that depend on P= and the checks Sendmail makes on A= and P=. */
static bool check_mailer(struct config *cf, struct mailer *m, bool eol_set, bool type_set)
{
	if (m->argv == NULL) {
		cf_syserr(cf, "M%s: A= argument required", m->name);
		return false;
	}
	if (m->path == NULL) {
		cf_syserr(cf, "M%s: P= argument required", m->name);
		return false;
	}
	if (strcmp(m->path, "[TCP]") == 0) {
		cf_syserr(cf, "M%s: P=[TCP] must be replaced by P=[IPC]", m->name);
		return false;
	}
	if (!check_argv(cf, m))
		return false;
	if (!eol_set && !argv_has_user(m))
		m->eol = "\r\n"; /* no $u: the mailer speaks SMTP/LMTP on its pipe */
	if (strcmp(m->path, "[IPC]") == 0) {
		if (!type_set)
			m->mtatype = "dns", m->addrtype = "rfc822", m->diagtype = "smtp";
	}
	return true;
}

void mailer_define(struct config *cf, const char *line)
{
	const char *p = line;

	while (*p && *p != ',' && !isspace((unsigned char)*p))
		p++;
	if (p == line) {
		cf_syserr(cf, "name required for mailer");
		return;
	}
	char *name = sm_arena_memdup(cf->arena, line, (size_t)(p - line));
	struct mailer *m = mailer_new(cf, name);
	if (!parse_fields(cf, m, p))
		return;
	bool eol_set = strstr(line, "E=") != NULL || strstr(line, "Eol=") != NULL;
	bool type_set = m->mtatype != NULL;
	if (!check_mailer(cf, m, eol_set, type_set))
		return;
	if (strcmp(name, "prog") == 0)
		m->flags['m' / 8] &= (unsigned char)~(1u << ('m' % 8)); /* Sendmail drops m here */
	struct mailer *old = mailer_find(cf, name);
	if (old != NULL) {
		m->number = old->number;
	} else if (cf->nmailers >= MAXMAILERS) {
		cf_syserr(cf, "too many mailers defined (%d max)", MAXMAILERS);
		return;
	} else {
		m->number = cf->nmailers++;
	}
	cf->mailers[m->number] = m;
}

void mailer_finish(struct config *cf)
{
	struct mailer *local = mailer_find(cf, "local");

	if (local == NULL) {
		cf_syserr(cf, "No local mailer defined");
		return;
	}
	if (cf->version < 6)
		set_flags(local, "Aw5:|/@");
	for (int i = 0; i < cf->nmailers && cf->version < 7; i++)
		mailer_set_flag(cf->mailers[i], 'q');
}

/* ---- printing ---- */

static void put_rwset(const struct config *cf, struct sm_buf *b, int rs)
{
	if (rs < 0)
		rs = 0;
	if (cf->ruleset_names[rs] != NULL)
		sm_buf_puts(b, cf->ruleset_names[rs]);
	else
		sm_buf_printf(b, "%d", rs);
}

void ruleset_renumber_hook(struct config *cf, int old, int number)
{
	for (int i = 0; i < cf->nmailers; i++) {
		struct mailer *m = cf->mailers[i];
		int *sets[4] = {&m->se_rwset, &m->sh_rwset, &m->re_rwset, &m->rh_rwset};
		for (int k = 0; k < 4; k++) {
			if (*sets[k] == old)
				*sets[k] = number;
		}
	}
}

static void put_eol(struct sm_buf *b, const char *eol)
{
	for (; *eol; eol++) {
		if (*eol == '\n')
			sm_buf_puts(b, "\\n");
		else if (*eol == '\r')
			sm_buf_puts(b, "\\r");
		else
			sm_buf_putc(b, *eol);
	}
}

static const char *or_undef(const char *s)
{
	return s ? s : "<undefined>";
}

void mailer_print(const struct config *cf, const struct mailer *m, FILE *fp)
{
	struct sm_buf b = SM_BUF_INIT;

	sm_buf_printf(&b, "mailer %d (%s): P=%s S=", m->number, m->name, m->path);
	put_rwset(cf, &b, m->se_rwset);
	sm_buf_putc(&b, '/');
	put_rwset(cf, &b, m->sh_rwset);
	sm_buf_puts(&b, " R=");
	put_rwset(cf, &b, m->re_rwset);
	sm_buf_putc(&b, '/');
	put_rwset(cf, &b, m->rh_rwset);
	sm_buf_printf(&b, " M=%ld U=%d:%d F=", m->maxsize, m->uid, m->gid);
	for (int c = 0; c < 256; c++) {
		if (mailer_flag(m, c))
			sm_buf_putc(&b, c);
	}
	sm_buf_printf(&b, " L=%d E=", m->linelimit);
	put_eol(&b, m->eol);
	if (m->charset != NULL)
		sm_buf_printf(&b, " C=%s", m->charset);
	sm_buf_printf(&b, " T=%s/%s/%s r=%d A=", or_undef(m->mtatype), or_undef(m->addrtype),
		      or_undef(m->diagtype), m->maxrcpt);
	for (int i = 0; m->argv && m->argv[i]; i++)
		sm_buf_printf(&b, "%s%s", i ? " " : "", m->argv[i]);
	sm_buf_putc(&b, '\n');
	fwrite(b.data, 1, b.len, fp);
	sm_buf_free(&b);
}

void mailer_print_all(const struct config *cf, FILE *fp)
{
	for (int i = 0; i < cf->nmailers; i++) {
		if (cf->mailers[i] != NULL)
			mailer_print(cf, cf->mailers[i], fp);
	}
}
