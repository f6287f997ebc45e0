/*
 * envelope/header: the header of a message.
 *
 *   env_header_add_line  a "Name: value" line from the message
 *   env_header_add       a header made here (X-Authentication-Warning)
 *   env_header_find      first live header by name
 *   env_headers_finish   the cf's H lines in front, in cf order: a line
 *                        whose header the message already has is dropped
 *                        (except the trace and forced ones: Received),
 *                        Resent- lines only for resent messages, ?flags?
 *                        kept for delivery, ?${macro}? lines only when
 *                        the macro is set; templates expanded now except
 *                        Return-Path (bound at delivery, kept as \201x);
 *                        hop count, $a, the Message-Id for the log
 *   env_headers_recipients  -t: To, Cc, Bcc (or their Resent- forms)
 *   env_arpadate         Sendmail's date format
 *
 * Header addresses are not rewritten here: Sendmail rewrites them per
 * mailer when it writes the message out, so the qf keeps them as given.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"

#define MACRO_BYTE '\201' /* how Sendmail keeps an unexpanded $x in a qf */

/* Header names with a meaning (Sendmail's HdrInfo flags we use). */
static bool name_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(name, *list) == 0)
			return true;
	return false;
}

static bool is_trace(const char *name)
{
	static const char *const t[] = {"received", "x400-received", "via", "mail-from", NULL};

	return name_in(name, t);
}

static bool is_forced(const char *name)
{
	static const char *const f[] = {"comments", "return-path", "x-authentication-warning",
	                                NULL};

	return is_trace(name) || name_in(name, f);
}

struct env_header *env_header_add(struct envelope *e, const char *name, const char *value,
                                  unsigned hflags)
{
	struct env_header *h = sm_arena_zalloc(e->arena, sizeof(*h));
	struct env_header **pp = &e->headers;

	h->name = sm_arena_strdup(e->arena, name);
	h->value = sm_arena_strdup(e->arena, value);
	h->hflags = hflags;
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = h;
	if (strncasecmp(name, "resent-", 7) == 0)
		e->eflags |= EF_RESENT;
	return h;
}

struct env_header *env_header_add_line(struct envelope *e, const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *ne;
	char *name;

	if (colon == NULL)
		return NULL;
	for (ne = colon; ne > line && (ne[-1] == ' ' || ne[-1] == '\t'); ne--)
		;
	name = sm_arena_memdup(e->arena, line, (size_t)(ne - line));
	return env_header_add(
	    e, name, sm_arena_memdup(e->arena, colon + 1, len - (size_t)(colon + 1 - line)),
	    ENV_H_USER);
}

struct env_header *env_header_find(const struct envelope *e, const char *name)
{
	for (struct env_header *h = e->headers; h != NULL; h = h->next)
		if (!(h->hflags & ENV_H_DELETED) && strcasecmp(h->name, name) == 0)
			return h;
	return NULL;
}

const char *env_header_value(const struct envelope *e, const struct env_header *h)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *p = h->value, *r;

	while (*p == ' ' || *p == '\t')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			continue;
		sm_buf_putc(&b, *p);
	}
	r = sm_arena_strdup(e->arena, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

void env_arpadate(time_t t, struct sm_buf *out)
{
	struct tm lt = *localtime(&t), gm = *gmtime(&t);
	int off = (lt.tm_hour - gm.tm_hour) * 60 + lt.tm_min - gm.tm_min;
	char date[64];

	if (lt.tm_year != gm.tm_year)
		off += lt.tm_year < gm.tm_year ? -24 * 60 : 24 * 60;
	else if (lt.tm_yday != gm.tm_yday)
		off += lt.tm_yday < gm.tm_yday ? -24 * 60 : 24 * 60;
	strftime(date, sizeof(date), "%a, ", &lt);
	sm_buf_puts(out, date);
	sm_buf_printf(out, "%d ", lt.tm_mday);
	strftime(date, sizeof(date), "%b %Y %H:%M:%S", &lt);
	sm_buf_puts(out, date);
	if (off == 0) {
		sm_buf_puts(out, " GMT");
		return;
	}
	sm_buf_printf(out, " %c%02d%02d", off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
	if (lt.tm_zone != NULL && *lt.tm_zone != '\0')
		sm_buf_printf(out, " (%s)", lt.tm_zone);
}

/* A cf template with its $x references kept for delivery (\201x). */
static const char *bind_late(struct envelope *e, const char *tmpl)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const char *p = tmpl; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] != '\0' && p[1] != '$' && isalpha((unsigned char)p[1])) {
			sm_buf_putc(&b, MACRO_BYTE);
			sm_buf_putc(&b, p[1]);
			p++;
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	r = sm_arena_strdup(e->arena, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/* One cf H line for this envelope, or NULL when it does not apply. */
static struct env_header *default_header(struct envelope *e, const struct cf_header *c)
{
	struct env_header *h;
	const char *v;
	bool late = strcasecmp(c->name, "return-path") == 0;

	if (c->value == NULL)
		return NULL;
	if (strncasecmp(c->name, "resent-", 7) == 0 && !(e->eflags & EF_RESENT))
		return NULL;
	if (!is_forced(c->name) && env_header_find(e, c->name) != NULL)
		return NULL;
	if (c->macro_cond >= 0 && macro_get(e->macros, c->macro_cond) == NULL)
		return NULL;
	v = late ? bind_late(e, c->value) : macro_expand(e->macros, c->value, e->arena);
	while (*v == ' ' || *v == '\t')
		v++;
	if (*v == '\0' && !late)
		return NULL;
	h = sm_arena_zalloc(e->arena, sizeof(*h));
	h->name = c->name;
	h->value = sm_arena_printf(e->arena, " %s", v);
	memcpy(h->mflags, c->mflags, sizeof(h->mflags));
	h->has_mflags = c->has_mflags;
	if (c->macro_cond >= 0)
		h->macro_cond = macro_name(c->macro_cond);
	h->hflags = ENV_H_DEFAULT | (late ? ENV_H_BINDLATE : 0);
	return h;
}

/* $a from the message's Date:, else the arrival time; hop count; Message-Id. */
static void header_facts(struct envelope *e)
{
	struct env_header *h = env_header_find(e, "date");

	if (h != NULL)
		macro_set(e->macros, macro_id("a"), env_header_value(e, h));
	else if (macro_get(e->macros, macro_id("a")) == NULL)
		macro_set(e->macros, macro_id("a"), macro_get(e->macros, macro_id("b")));
	for (h = e->headers; h != NULL; h = h->next)
		if (is_trace(h->name))
			e->hopcount++;
	h = env_header_find(e, "message-id");
	if (h != NULL)
		e->msgid = env_header_value(e, h);
	h = env_header_find(e, "precedence");
	if (h != NULL) {
		const char *v = env_header_value(e, h);

		for (const struct cf_precedence *p = e->cf->precedences; p != NULL; p = p->next)
			if (strcasecmp(p->name, v) == 0)
				e->msgclass = p->value;
	}
}

/* Bcc: goes at delivery when the message has a visible recipient header;
 * NoRecipientAction when it has none at all. */
static void recipient_headers(struct envelope *e)
{
	const char *nra = opt_raw(e->cf->opt, OPT_NO_RECIPIENT_ACTION);

	if (env_header_find(e, "to") != NULL || env_header_find(e, "cc") != NULL ||
	    env_header_find(e, "apparently-to") != NULL) {
		e->eflags |= EF_DELETE_BCC;
		return;
	}
	if (env_header_find(e, "bcc") != NULL || nra == NULL)
		return;
	if (strcasecmp(nra, "add-bcc") == 0)
		env_header_add(e, "Bcc", " ", ENV_H_USER);
	else if (strcasecmp(nra, "add-to-undisclosed") == 0)
		env_header_add(e, "To", " undisclosed-recipients:;", ENV_H_USER);
	else if (strcasecmp(nra, "add-to") == 0 || strcasecmp(nra, "add-apparently-to") == 0) {
		const char *hn = nra[4] == 't' ? "To" : "Apparently-To";

		for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
			if (r->alias == NULL)
				env_header_add(e, hn, sm_arena_printf(e->arena, " %s", r->paddr),
				               ENV_H_USER);
	}
}

void env_headers_finish(struct envelope *e)
{
	struct env_header *list = NULL, **tail = &list;

	header_facts(e);
	recipient_headers(e);
	/* Received: says "for $u" when the message had exactly one recipient */
	macro_set(e->macros, macro_id("u"),
	          e->origrcpt != NULL && *e->origrcpt != '\0' ? e->origrcpt : NULL);
	for (const struct cf_header *c = e->cf->headers; c != NULL; c = c->next) {
		struct env_header *h = default_header(e, c);

		if (h == NULL)
			continue;
		*tail = h;
		tail = &h->next;
		if (strcasecmp(h->name, "message-id") == 0 && e->msgid == NULL)
			e->msgid = env_header_value(e, h);
	}
	*tail = e->headers;
	e->headers = list;
	macro_set(e->macros, macro_id("u"), NULL);
}

/* The recipient headers -t reads. */
static bool rcpt_header(const struct envelope *e, const char *name)
{
	static const char *const plain[] = {"to", "cc", "bcc", NULL};
	static const char *const resent[] = {"resent-to", "resent-cc", "resent-bcc", NULL};

	return name_in(name, (e->eflags & EF_RESENT) ? resent : plain);
}

int env_headers_recipients(struct envelope *e)
{
	int n = 0;

	for (struct env_header *h = e->headers; h != NULL; h = h->next) {
		if ((h->hflags & ENV_H_DELETED) || !rcpt_header(e, h->name))
			continue;
		n += env_sendtolist(e, env_header_value(e, h), NULL, 0, 0);
	}
	return n;
}
