/*
 * smtp/server_mail.c: MAIL FROM and RCPT TO with their ESMTP parameters
 * (SIZE BODY RET ENVID BY AUTH on MAIL; NOTIFY ORCPT on RCPT).
 *
 * Validation of each parameter lives in one table-driven place per
 * command; every refusal uses Sendmail 8.17's reply (see
 * test/smtp/golden/mail_errors.* and rcpt_errors.*).  The address itself
 * is passed on as written: parsing it through the rulesets is the
 * policy hook's business (check_mail / check_rcpt), which answers with
 * Sendmail's address errors when it refuses.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "sendmail/smtp/server_int.h"

/* RFC 3461 xtext: printable ASCII but '=', '+' only before two hex digits. */
static bool xtext_ok(const char *p)
{
	for (; *p != '\0'; p++) {
		if (*p == '+') {
			if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
				return false;
			p += 2;
		} else if (*p < '!' || *p > '~' || *p == '=') {
			return false;
		}
	}
	return true;
}

/*
 * Sendmail's skipword(): "FROM:" / "TO:" then the rest; NULL after the
 * 501 reply naming the word that was there.
 */
static char *skip_keyword(struct smtp_session *s, char *p, const char *want)
{
	char *word = p, *end;

	while (*p != '\0' && *p != ':' && *p != ' ' && *p != '\t')
		p++;
	end = p;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == ':') {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '\0' && (size_t)(end - word) == strlen(want) &&
		    strncasecmp(word, want, strlen(want)) == 0)
			return p;
	}
	*end = '\0';
	smtp_reply(s, "501 5.5.2 Syntax error in parameters scanning \"%s\"", word);
	return NULL;
}

/* Split the address (as written) from the parameters; p points after "FROM:". */
static char *split_address(char *p)
{
	int angle = 0, paren = 0;
	bool quoted = false;

	for (; *p != '\0'; p++) {
		if (quoted) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				quoted = false;
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = true;
		else if (*p == '(')
			paren++;
		else if (*p == ')' && paren > 0)
			paren--;
		else if (*p == '<')
			angle++;
		else if (*p == '>' && angle > 0)
			angle--;
		else if ((*p == ' ' || *p == '\t') && angle == 0 && paren == 0)
			break;
	}
	if (*p != '\0')
		*p++ = '\0';
	return p;
}

/* The address without its angle brackets, for ${mail_addr} / ${rcpt_addr}. */
static const char *bare_address(struct smtp_session *s, const char *addr)
{
	size_t n = strlen(addr);

	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
		return sm_arena_memdup(s->cmd_arena, addr + 1, n - 2);
	return addr;
}

/* Next "NAME[=VALUE]" from *pp; NULL at the end. */
static char *next_param(char **pp, char **value)
{
	char *p = *pp, *name, *eq;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	name = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	*pp = p;
	eq = strchr(name, '=');
	*value = NULL;
	if (eq != NULL) {
		*eq = '\0';
		*value = eq + 1;
	}
	return name;
}

/* "NAME requires a value" when there was no '='. */
static bool need_value(struct smtp_session *s, const char *name, const char *v)
{
	if (v != NULL)
		return true;
	smtp_reply(s, "501 5.5.2 %s requires a value", name);
	return false;
}

static bool mail_size(struct smtp_session *s, const char *v)
{
	long n;

	errno = 0;
	n = strtol(v, NULL, 10);
	if (errno == ERANGE && n == LONG_MAX) {
		smtp_reply(s, "552 5.2.3 Message size exceeds maximum value");
		return false;
	}
	if (n < 0) {
		smtp_reply(s, "552 5.2.3 Message size invalid");
		return false;
	}
	s->txn.size = n;
	return true;
}

static bool mail_body(struct smtp_session *s, const char *v)
{
	if (strcasecmp(v, "7BIT") == 0)
		s->txn.body = SMTP_BODY_7BIT;
	else if (strcasecmp(v, "8BITMIME") == 0)
		s->txn.body = SMTP_BODY_8BITMIME;
	else {
		smtp_reply(s, "501 5.5.4 Unknown BODY type %s", v);
		return false;
	}
	return true;
}

static bool mail_ret(struct smtp_session *s, const char *v)
{
	if (s->txn.ret != SMTP_RET_NONE) {
		smtp_reply(s, "501 5.5.0 Duplicate RET parameter");
		return false;
	}
	if (strcasecmp(v, "FULL") == 0)
		s->txn.ret = SMTP_RET_FULL;
	else if (strcasecmp(v, "HDRS") == 0)
		s->txn.ret = SMTP_RET_HDRS;
	else {
		smtp_reply(s, "501 5.5.2 Bad argument \"%s\" to RET", v);
		return false;
	}
	return true;
}

static bool mail_envid(struct smtp_session *s, const char *v)
{
	if (s->txn.envid != NULL) {
		smtp_reply(s, "501 5.5.0 Duplicate ENVID parameter");
		return false;
	}
	if (!xtext_ok(v)) {
		smtp_reply(s, "501 5.5.4 Syntax error in ENVID parameter value");
		return false;
	}
	s->txn.envid = sm_arena_strdup(s->txn_arena, v);
	return true;
}

/* BY=<seconds>;<R|N>[T] (RFC 2852). */
static bool mail_by(struct smtp_session *s, const char *v)
{
	char *semi;
	long secs = strtol(v, &semi, 10);

	if (*semi != ';') {
		smtp_reply(s, "501 5.5.2 BY= missing ';'");
		return false;
	}
	if (semi[1] != 'R' && semi[1] != 'r' && semi[1] != 'N' && semi[1] != 'n') {
		smtp_reply(s, "501 5.5.2 illegal by-mode '%s'", semi + 1);
		return false;
	}
	if ((semi[1] == 'R' || semi[1] == 'r') && secs <= 0) {
		smtp_reply(s, "501 5.5.4 mode R requires BY time > 0");
		return false;
	}
	s->txn.by = sm_arena_strdup(s->txn_arena, v);
	return true;
}

/* RET ENVID NOTIFY ORCPT are refused when DSN is not offered. */
static bool dsn_refused(struct smtp_session *s, const char *name)
{
	if (s->o.send_mime_errors && !(s->features & SMTP_F_NO_DSN))
		return false;
	smtp_reply(s, "504 5.7.0 Sorry, %s not supported, we do not allow DSN", name);
	return true;
}

/* One MAIL parameter; false after an error reply. */
static bool mail_param(struct smtp_session *s, const char *name, const char *v)
{
	static const struct {
		const char *name;
		bool (*fn)(struct smtp_session *, const char *);
	} params[] = {
	    {"SIZE", mail_size},   {"BODY", mail_body}, {"RET", mail_ret},
	    {"ENVID", mail_envid}, {"BY", mail_by},
	};
	size_t i;

	if (strcasecmp(name, "AUTH") == 0)
		return need_value(s, "AUTH", v); /* meaningful once AUTH exists */
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		if (strcasecmp(name, params[i].name) != 0)
			continue;
		if ((params[i].fn == mail_ret || params[i].fn == mail_envid) &&
		    dsn_refused(s, name))
			return false;
		return need_value(s, params[i].name, v) && params[i].fn(s, v);
	}
	smtp_reply(s, "555 5.5.4 %s parameter unrecognized", name);
	return false;
}

static bool mail_params(struct smtp_session *s, char *p)
{
	char *name, *v;
	size_t guard = strlen(p) + 1;

	while (guard-- > 0 && (name = next_param(&p, &v)) != NULL)
		if (!mail_param(s, name, v))
			return false;
	if (s->o.max_message_size > 0 && s->txn.size > s->o.max_message_size) {
		smtp_reply(s, "552 5.2.3 Message size exceeds fixed maximum message size (%ld)",
		           s->o.max_message_size);
		return false;
	}
	return true;
}

/* The policy's answer for MAIL/RCPT: accept (true), refuse (reply sent). */
static bool envelope_policy(struct smtp_session *s, enum smtp_check which, const char *addr,
                            const char **shown, bool *queued)
{
	struct smtp_decision d;

	if (shown != NULL)
		*shown = addr;
	if (queued != NULL)
		*queued = false;
	if (smtp_policy(s, which, addr, &d) == SMTP_REPLY) {
		smtp_reply_decision(s, &d);
		return false;
	}
	smtp_txn_note(s, &d);
	if (shown != NULL && d.shown != NULL)
		*shown = sm_arena_strdup(s->cmd_arena, d.shown);
	if (queued != NULL)
		*queued = d.will_queue;
	return true;
}

void smtp_cmd_mail(struct smtp_session *s, const char *arg)
{
	char *p = sm_arena_strdup(s->cmd_arena, arg), *params;
	bool ok;

	if (!s->helo_seen && (s->o.privacy & SMTP_PRIV_NEEDMAILHELO)) {
		smtp_reply(s, "503 5.0.0 Polite people say HELO first");
		return;
	}
	if (s->mail_seen) {
		smtp_reply(s, "503 5.5.0 Sender already specified");
		return;
	}
	if ((p = skip_keyword(s, p, "FROM")) == NULL)
		return;
	params = split_address(p);
	smtp_txn_reset(s);
	smtp_set_macro(s, "{mail_addr}", bare_address(s, p));
	/* Sendmail: without HELO the sending host is the client's name (-bs: localhost) */
	if (!s->helo_seen)
		smtp_set_macro(s, "s", s->o.client_name != NULL ? s->o.client_name : "localhost");
	/* the sender first (its 553), then the parameters, then check_mail */
	if (!envelope_policy(s, SMTP_CHECK_SENDER, p, NULL, NULL)) {
		smtp_txn_reset(s);
		return;
	}
	ok = mail_params(s, params);
	if (s->h.params != NULL)
		s->h.params(s->h.ctx, &s->txn);
	if (!ok) {
		smtp_txn_reset(s);
		return;
	}
	smtp_set_macro_num(s, "{msg_size}", s->txn.size);
	if (!envelope_policy(s, SMTP_CHECK_MAIL, p, NULL, NULL)) {
		smtp_txn_reset(s);
		return;
	}
	s->txn.sender = sm_arena_strdup(s->txn_arena, p);
	s->mail_seen = true;
	smtp_reply(s, "250 2.1.0 %s... Sender ok", p);
}

/* NOTIFY=NEVER | SUCCESS,FAILURE,DELAY */
static bool rcpt_notify(struct smtp_session *s, struct smtp_rcpt *r, char *v)
{
	static const char *const words[] = {"NEVER", "SUCCESS", "FAILURE", "DELAY"};
	unsigned bits = 0;
	char *w = v, *comma;
	size_t i, guard = strlen(v) + 1;

	for (; guard-- > 0 && w != NULL; w = comma != NULL ? comma + 1 : NULL) {
		comma = strchr(w, ',');
		if (comma != NULL)
			*comma = '\0';
		for (i = 0; i < 4; i++)
			if (strcasecmp(w, words[i]) == 0)
				break;
		if (i == 4 || (i == 0 && (comma != NULL || bits != 0)) ||
		    (bits & SMTP_NOTIFY_NEVER)) {
			/* NEVER cannot be combined: Sendmail names it, else the bad word. */
			smtp_reply(s, "501 5.5.4 Bad argument \"%s\"  to NOTIFY",
			           i == 4 ? w : "NEVER");
			return false;
		}
		bits |= 1u << i;
	}
	r->notify = bits;
	return true;
}

/* ORCPT=addr-type;xtext */
static bool rcpt_orcpt(struct smtp_session *s, struct smtp_rcpt *r, const char *v)
{
	const char *semi = strchr(v, ';');
	const char *t;

	if (r->orcpt != NULL) {
		smtp_reply(s, "501 5.5.0 Duplicate ORCPT parameter");
		return false;
	}
	for (t = v; semi != NULL && t < semi; t++)
		if (!isalnum((unsigned char)*t) && *t != '-')
			break;
	if (semi == NULL || semi == v || t != semi || !xtext_ok(semi + 1)) {
		smtp_reply(s, "501 5.5.4 Syntax error in ORCPT parameter value");
		return false;
	}
	r->orcpt = sm_arena_strdup(s->txn_arena, v);
	return true;
}

static bool rcpt_params(struct smtp_session *s, struct smtp_rcpt *r, char *p)
{
	char *name, *v;
	size_t guard = strlen(p) + 1;

	while (guard-- > 0 && (name = next_param(&p, &v)) != NULL) {
		if ((strcasecmp(name, "NOTIFY") == 0 || strcasecmp(name, "ORCPT") == 0) &&
		    dsn_refused(s, name))
			return false;
		if (strcasecmp(name, "NOTIFY") == 0) {
			if (!need_value(s, "NOTIFY", v) || !rcpt_notify(s, r, v))
				return false;
		} else if (strcasecmp(name, "ORCPT") == 0) {
			if (!need_value(s, "ORCPT", v) || !rcpt_orcpt(s, r, v))
				return false;
		} else {
			smtp_reply(s, "555 5.5.4 %s parameter unrecognized", name);
			return false;
		}
	}
	return true;
}

/* Append an accepted recipient to the envelope. */
static void add_rcpt(struct smtp_session *s, const struct smtp_rcpt *r)
{
	if (s->txn.nrcpts == s->rcpt_cap) {
		size_t cap = s->rcpt_cap == 0 ? 8 : s->rcpt_cap * 2;
		struct smtp_rcpt *n = sm_arena_array(s->txn_arena, cap, sizeof(*n));

		if (s->txn.nrcpts > 0)
			memcpy(n, s->txn.rcpts, s->txn.nrcpts * sizeof(*n));
		s->txn.rcpts = n;
		s->rcpt_cap = cap;
	}
	s->txn.rcpts[s->txn.nrcpts++] = *r;
}

static bool rcpt_limit_reached(const struct smtp_session *s)
{
	size_t max = s->o.max_rcpts > 0 ? (size_t)s->o.max_rcpts : SMTP_MAXRCPTS_HARD;

	return s->txn.nrcpts >= max;
}

void smtp_cmd_rcpt(struct smtp_session *s, const char *arg)
{
	char *p = sm_arena_strdup(s->cmd_arena, arg), *params;
	struct smtp_rcpt r = {NULL, 0, NULL};
	const char *shown;
	bool queued;
	size_t mark;

	if (!s->mail_seen) {
		smtp_reply(s, "503 5.0.0 Need MAIL before RCPT");
		return;
	}
	/* Sendmail logs the refusals below (usrerr with a queue id). */
	mark = s->out.len;
	if (rcpt_limit_reached(s)) {
		smtp_reply(s, "452 4.5.3 Too many recipients");
		smtp_log_reply(s, mark, LOG_NOTICE, 3);
		return;
	}
	if ((p = skip_keyword(s, p, "TO")) == NULL) {
		smtp_log_reply(s, mark, LOG_NOTICE, 3);
		return;
	}
	params = split_address(p);
	smtp_set_macro(s, "{rcpt_addr}", bare_address(s, p));
	if (!rcpt_params(s, &r, params)) {
		smtp_log_reply(s, mark, LOG_NOTICE, 3);
		return;
	}
	if (!envelope_policy(s, SMTP_CHECK_RCPT, p, &shown, &queued)) {
		smtp_set_macro_num(s, "{nbadrcpts}", ++s->n_badrcpts);
		return;
	}
	r.addr = sm_arena_strdup(s->txn_arena, p);
	add_rcpt(s, &r);
	smtp_set_macro_num(s, "{nrcpts}", (long)s->txn.nrcpts);
	smtp_reply(s, "250 2.1.5 %s... Recipient ok%s", shown, queued ? " (will queue)" : "");
}
