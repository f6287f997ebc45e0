/*
 * deliver/dlv_dsn: delivery status notifications (RFC 3464) and the
 * queue lifetime rules.
 *
 * Internal (dlv_int.h): dlv_dsn_process.
 *
 * After the attempts of a job:
 *   - recipients still deferred past Timeout.queuereturn (by precedence:
 *     .urgent for a positive class, .non-urgent for a negative one, .dsn
 *     for a message from <>) fail with 4.4.7 "Cannot send message for
 *     <time>" (the transcript says "Message could not be delivered for");
 *   - failed recipients (NOTIFY allows FAILURE, the default) are reported
 *     to the envelope sender in one multipart/report (text part, a
 *     message/delivery-status part, the original message or only its
 *     headers: RET=HDRS, F line 'n', or a negative precedence); delivered
 *     recipients that asked for NOTIFY=SUCCESS go into the same report,
 *     or, with no failure, into a "Return receipt" (headers only);
 *   - recipients deferred past Timeout.queuewarn get one "delayed" DSN
 *     (the whole message) unless the F line already has 'w' (then 'w' is
 *     set and the M line says so);
 *   - a message from <> is never bounced to its sender: its failures go
 *     to DoubleBounceAddress (postmaster) as a "Postmaster notify", and a
 *     failing postmaster notification is logged and dropped;
 *   - PostmasterCopy, when set, gets every failure report too, and the
 *     postmaster is added when a mailer exited EX_SOFTWARE or EX_CONFIG.
 * The wording, order and layout are 8.17's byte for byte (checked by
 * test/deliver/test_dsn_ref.py): the report's headers come from the cf's
 * H lines expanded with the report's own macros (MAILER-DAEMON, "Mail
 * Delivery Subsystem", from localhost), dates as arpadate(), lines
 * starting "From " escaped, F line "rs" ("rns" headers only).
 * The report is written into the queue as a new entry (df, then qf:
 * tf -> fsync -> rename, with the queue module) and its id handed to the
 * caller, which delivers it in the same run.  If it cannot be queued the
 * failed recipients stay queued, so a bounce is never lost either.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/envelope/envelope.h"

enum dsn_kind { DSN_FAILURE, DSN_DELAY, DSN_SUCCESS };

struct dsn {
	struct dlv_job *j;
	enum dsn_kind kind;
	struct dlv_rcpt **list;
	size_t n;
	const char *to;  /* who gets it */
	bool postmaster; /* a double bounce */
	bool headers_only;
	const char *boundary;
	struct sm_buf body;
};

/* A date as Sendmail's arpadate() writes it ("Sun, 1 Nov 2026 00:00:00 GMT"). */
static const char *rfc_date(struct dlv_job *j, time_t t)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	env_arpadate(t, &b);
	r = sm_arena_strdup(j->a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/* "5 days", "4 hours", "1 minute" (the largest unit, as Sendmail words it). */
static const char *interval(struct dlv_job *j, long s)
{
	static const struct {
		long secs;
		const char *name;
	} units[] = {
	    {86400 * 7, "week"}, {86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (s >= units[i].secs || units[i].secs == 1)
			return sm_arena_printf(j->a, "%ld %s%s", s / units[i].secs, units[i].name,
			                       s / units[i].secs == 1 ? "" : "s");
	return "0 seconds";
}

/* The message's precedence class from its Precedence header and P lines. */
static int msg_class(struct dlv_job *j)
{
	for (const struct qf_header *h = j->qf->headers; h != NULL; h = h->next) {
		const char *v = h->value;

		if (strcasecmp(h->name, "Precedence") != 0)
			continue;
		while (*v == ' ' || *v == '\t')
			v++;
		for (const struct cf_precedence *p = j->cf->precedences; p != NULL; p = p->next)
			if (strncasecmp(p->name, v, strlen(p->name)) == 0)
				return p->value;
	}
	return 0;
}

static long timeout_for(struct dlv_job *j, bool warn)
{
	int cls = msg_class(j);
	int base = warn ? TO_QUEUEWARN : TO_QUEUERETURN;
	long t;

	if (j->null_sender)
		t = opt_timeout(j->cf->opt, (enum timeout_id)(base + 4));
	else if (cls > 0)
		t = opt_timeout(j->cf->opt, (enum timeout_id)(base + 1));
	else if (cls < 0)
		t = opt_timeout(j->cf->opt, (enum timeout_id)(base + 3));
	else
		t = opt_timeout(j->cf->opt, (enum timeout_id)(base + 2));
	return t;
}

/* Whether r's NOTIFY allows this kind of report. */
static bool notify_ok(const struct dlv_rcpt *r, enum dsn_kind k)
{
	unsigned f = r->notify;

	if (k == DSN_SUCCESS) /* only on request */
		return (f & ER_NOTIFY_SET) && (f & ER_NOTIFY_SUCCESS);
	if (!(f & ER_NOTIFY_SET))
		return true;
	return (f & (k == DSN_FAILURE ? ER_NOTIFY_FAILURE : ER_NOTIFY_DELAY)) != 0;
}

static const char *header_value(struct dlv_job *j, const char *name)
{
	for (const struct qf_header *h = j->qf->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, name) == 0)
			return h->value;
	return NULL;
}

/* Append text with ">" before each line that starts "From ", as 8.17's reports have it. */
static void put_escaped(struct sm_buf *b, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl != NULL ? nl + 1 : end;

		if (end - p >= 5 && memcmp(p, "From ", 5) == 0)
			sm_buf_putc(b, '>');
		sm_buf_append(b, p, (size_t)(next - p));
		p = next;
	}
}

/* Whether a delivery ended in a mailbox (a local mailer, F=l) rather than relayed. */
static bool to_mailbox(const struct dlv_rcpt *r)
{
	return r->m != NULL && mailer_flag(r->m, 'l');
}

/*
 * The failed (success false) or delivered recipients of the report, under
 * 8.17's heading; after another section (gap) a blank line first.
 */
static void address_section(struct dsn *d, bool success, bool gap)
{
	bool first = true;

	for (size_t i = 0; i < d->n; i++) {
		const struct dlv_rcpt *r = d->list[i];

		if ((r->state == DS_SENT) != success)
			continue;
		if (first)
			sm_buf_printf(&d->body, "%s   ----- The following addresses had %s -----\n",
			              gap ? "\n" : "",
			              success ? "successful delivery notifications"
			                      : "permanent fatal errors");
		first = false;
		if (success) {
			sm_buf_printf(&d->body, "%s  (%s)\n", r->addr,
			              to_mailbox(r) ? "successfully delivered to mailbox"
			                            : "relayed to non-DSN-aware mailer");
		} else {
			sm_buf_printf(&d->body, "%s\n", r->addr);
			if (r->reason != NULL || r->reply != NULL || r->stat != NULL)
				sm_buf_printf(&d->body, "    (reason: %s)\n",
				              r->reason  ? r->reason
				              : r->reply ? r->reply
				                         : r->stat);
		}
		if (r->from_alias && r->orig != NULL && strcmp(r->orig, r->addr) != 0)
			sm_buf_printf(&d->body, "    (expanded from: %s)\n", r->orig);
	}
}

/* A delay warning's transcript, ending with how long it has been and will be. */
static void delay_transcript(struct dsn *d)
{
	struct dlv_job *j = d->j;

	sm_buf_puts(&d->body, "   ----- Transcript of session follows -----\n");
	put_escaped(&d->body, j->xscript.data, j->xscript.len);
	if (j->xscript.len > 0 && j->xscript.data[j->xscript.len - 1] != '\n')
		sm_buf_putc(&d->body, '\n');
	sm_buf_printf(&d->body,
	              "Warning: message still undelivered after %s\n"
	              "Will keep trying until message is %s old\n\n",
	              interval(j, timeout_for(j, true)), interval(j, timeout_for(j, false)));
}

/* The text part: what happened, in Sendmail's words. */
static void text_part(struct dsn *d)
{
	struct dlv_job *j = d->j;
	const char *relay = macro_get(j->mac, macro_id("_"));

	sm_buf_printf(&d->body, "--%s\n\n", d->boundary);
	if (d->kind == DSN_DELAY)
		sm_buf_puts(&d->body, "    **********************************************\n"
		                      "    **      THIS IS A WARNING MESSAGE ONLY      **\n"
		                      "    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **\n"
		                      "    **********************************************\n\n");
	sm_buf_printf(&d->body, "The original message was received at %s\n",
	              rfc_date(j, (time_t)j->qf->ctime));
	if (relay != NULL)
		sm_buf_printf(&d->body, "from %s\n", relay);
	if (d->postmaster) /* 8.17 names the entry only to the postmaster */
		sm_buf_printf(&d->body, "with id %s\n", j->id);
	sm_buf_putc(&d->body, '\n');
	if (d->kind == DSN_DELAY) { /* 8.17's warning lists no addresses */
		delay_transcript(d);
		return;
	}
	address_section(d, false, false);
	address_section(d, true, d->kind == DSN_FAILURE);
	if (j->xscript.len > 0) {
		sm_buf_puts(&d->body, "\n   ----- Transcript of session follows -----\n");
		put_escaped(&d->body, j->xscript.data, j->xscript.len);
		if (j->xscript.data[j->xscript.len - 1] != '\n')
			sm_buf_putc(&d->body, '\n');
	}
	sm_buf_putc(&d->body, '\n');
}

/* "RFC822; addr" for Final-Recipient (the r line when the qf has one). */
static const char *final_rcpt(struct dsn *d, const struct dlv_rcpt *r, const struct mailer *m)
{
	const char *a = r->orig != NULL ? r->orig : r->addr;
	size_t n;

	if (r->final_rcpt != NULL)
		return r->final_rcpt;
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>')
		a = sm_arena_memdup(d->j->a, a + 1, n - 2);
	return sm_arena_printf(d->j->a, "%s; %s", m && m->addrtype ? m->addrtype : "RFC822", a);
}

/* addr without the angle brackets around it. */
static const char *unbracket(struct sm_arena *a, const char *addr)
{
	size_t n = strlen(addr);

	if (n >= 2 && addr[0] == '<' && addr[n - 1] == '>')
		return sm_arena_memdup(a, addr + 1, n - 2);
	return addr;
}

/* ORCPT as 8.17 prints it: xtext "+XX" decoded. */
static const char *unxtext(struct sm_arena *a, const char *x)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const char *p = x; *p != '\0'; p++) {
		if (p[0] == '+' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hex[3] = {p[1], p[2], '\0'};

			sm_buf_putc(&b, (char)strtol(hex, NULL, 16));
			p += 2;
		} else {
			sm_buf_putc(&b, *p);
		}
	}
	r = sm_arena_strdup(a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/*
 * X-Actual-Recipient: the mailer's user ("rfc822; u@$j" for a bare user
 * of an RFC822 mailer, as 8.17 spells it); NULL when there is none.
 */
static const char *actual_rcpt(struct dsn *d, const struct dlv_rcpt *r)
{
	const char *user = r->user != NULL ? r->user : r->er != NULL ? r->er->user : NULL;
	const char *type = r->m != NULL && r->m->addrtype ? r->m->addrtype : "rfc822";
	const char *host = macro_get(d->j->mac, macro_id("j"));

	if (user == NULL || *user == '\0')
		return NULL;
	if (r->m != NULL && strcmp(r->m->name, "prog") == 0 && user[0] != '|')
		user = sm_arena_printf(d->j->a, "|%s", user); /* 8.17's q_user keeps the bar */
	if (strcasecmp(type, "rfc822") != 0)
		return sm_arena_printf(d->j->a, "%s; %s", type, user);
	if (strchr(user, '@') != NULL)
		return sm_arena_printf(d->j->a, "rfc822; %s", user);
	return sm_arena_printf(d->j->a, "rfc822; %s@%s", user, host ? host : "localhost");
}

/* The Action: field of a recipient. */
static const char *action(const struct dsn *d, const struct dlv_rcpt *r)
{
	if (r->state == DS_SENT)
		return to_mailbox(r) ? "delivered (to mailbox)"
		                     : "relayed (to non-DSN-aware mailer)";
	return d->kind == DSN_DELAY ? "delayed" : "failed";
}

static void status_part(struct dsn *d)
{
	struct dlv_job *j = d->j;
	const char *host = macro_get(j->mac, macro_id("j"));
	const char *now = rfc_date(j, time(NULL));

	sm_buf_printf(&d->body, "--%s\nContent-Type: message/delivery-status\n\n", d->boundary);
	if (j->qf->envid != NULL) /* first, as 8.17 writes it */
		sm_buf_printf(&d->body, "Original-Envelope-Id: %s\n", j->qf->envid);
	sm_buf_printf(&d->body, "Reporting-MTA: dns; %s\n", host ? host : "localhost");
	sm_buf_printf(&d->body, "Arrival-Date: %s\n", rfc_date(j, (time_t)j->qf->ctime));
	for (size_t i = 0; i < d->n; i++) {
		const struct dlv_rcpt *r = d->list[i];
		const struct mailer *m = r->m;
		const char *actual;

		sm_buf_putc(&d->body, '\n');
		if (r->orcpt != NULL)
			sm_buf_printf(&d->body, "Original-Recipient: %s\n",
			              unxtext(d->j->a, r->orcpt));
		sm_buf_printf(&d->body, "Final-Recipient: %s\n", final_rcpt(d, r, m));
		actual = actual_rcpt(d, r);
		if (actual != NULL && strcmp(actual, final_rcpt(d, r, m)) != 0)
			sm_buf_printf(&d->body, "X-Actual-Recipient: %s\n", actual);
		sm_buf_printf(&d->body, "Action: %s\n", action(d, r));
		sm_buf_printf(&d->body, "Status: %s\n",
		              r->state == DS_SENT && to_mailbox(r) ? "2.1.5"
		              : r->dsn                             ? r->dsn
		                                                   : "5.0.0");
		/* no Diagnostic-Code for a success */
		if (r->state != DS_SENT && (r->diag != NULL || r->reply != NULL || r->stat != NULL))
			sm_buf_printf(&d->body, "Diagnostic-Code: %s; %s\n",
			              m && m->diagtype ? m->diagtype : "X-Unix",
			              r->diag    ? r->diag
			              : r->reply ? r->reply
			                         : r->stat);
		sm_buf_printf(&d->body, "Last-Attempt-Date: %s\n", now);
		if (d->kind == DSN_DELAY)
			sm_buf_printf(&d->body, "Will-Retry-Until: %s\n",
			              rfc_date(j, (time_t)j->qf->ctime + timeout_for(j, false)));
	}
	sm_buf_putc(&d->body, '\n');
}

/* The returned message: its headers as queued, then the df if wanted. */
static void original_part(struct dsn *d)
{
	struct dlv_job *j = d->j;
	char chunk[65536];
	ssize_t got;
	off_t off = 0;

	sm_buf_printf(&d->body, "--%s\nContent-Type: %s\n\n", d->boundary,
	              d->headers_only ? "text/rfc822-headers" : "message/rfc822");
	macro_set(j->mac, macro_id("g"), j->null_sender ? "" : unbracket(j->a, j->sender));
	for (const struct qf_header *h = j->qf->headers; h != NULL; h = h->next) {
		if (h->cond != NULL && h->cond[0] != '\0' && strchr("DFMP", h->cond[0]) == NULL)
			continue;
		sm_buf_printf(&d->body, "%s:%s\n", h->name, dlv_expand_header(j, h->value));
	}
	if (!d->headers_only && j->dfd >= 0) {
		struct sm_buf df = SM_BUF_INIT;

		sm_buf_putc(&d->body, '\n');
		while ((got = pread(j->dfd, chunk, sizeof(chunk), off)) > 0) {
			sm_buf_append(&df, chunk, (size_t)got);
			off += got;
		}
		put_escaped(&d->body, df.data, df.len);
		sm_buf_free(&df);
		if (d->body.len > 0 && d->body.data[d->body.len - 1] != '\n')
			sm_buf_putc(&d->body, '\n');
	}
	sm_buf_printf(&d->body, "\n--%s--\n\n", d->boundary);
}

/* A cf template with its $x references kept for delivery (\201x). */
static const char *bind_late(struct sm_arena *a, const char *tmpl)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const char *p = tmpl; *p != '\0'; p++) {
		if (p[0] == '$' && p[1] != '\0' && p[1] != '$') {
			sm_buf_putc(&b, '\201');
			p++;
		}
		sm_buf_putc(&b, *p);
	}
	r = sm_arena_strdup(a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/* The "?flags?" text of a cf H line: its mailer flags in byte order, or $macro. */
static const char *header_cond(struct sm_arena *a, const struct cf_header *c)
{
	char buf[257];
	size_t n = 0;

	if (c->macro_cond >= 0)
		return sm_arena_printf(a, "$%s", macro_name(c->macro_cond));
	if (!c->has_mflags)
		return "";
	for (int i = 1; i < 256; i++)
		if (c->mflags[i / 8] & (1u << (i % 8)))
			buf[n++] = (char)i;
	buf[n] = '\0';
	return sm_arena_strdup(a, buf);
}

/* The headers the report writes itself; a cf H line of that name is skipped. */
static bool own_header(const char *name)
{
	static const char *const own[] = {"to",      "mime-version",   "content-type",
	                                  "subject", "auto-submitted", NULL};

	for (const char *const *o = own; *o != NULL; o++)
		if (strcasecmp(name, *o) == 0)
			return true;
	return strncasecmp(name, "resent-", 7) == 0;
}

/*
 * The report's own envelope macros over the global ones, as 8.17's
 * returntosender() sets them: sender MAILER-DAEMON ($n) with the full
 * name "Mail Delivery Subsystem", received from localhost, now.
 */
static struct macros *dsn_macros(struct dsn *d, const char *id, time_t now)
{
	struct dlv_job *j = d->j;
	struct macros *m = macros_new(j->cf->macros);
	const char *n = macro_get(j->cf->macros, macro_id("n"));
	char t[32];
	struct tm gm;

	gmtime_r(&now, &gm);
	strftime(t, sizeof(t), "%Y%m%d%H%M", &gm);
	macro_set(m, macro_id("t"), t);
	macro_set(m, macro_id("b"), rfc_date(j, now));
	macro_set(m, macro_id("a"), rfc_date(j, now));
	macro_set(m, macro_id("i"), id);
	macro_set(m, macro_id("g"), n != NULL ? n : "MAILER-DAEMON");
	macro_set(m, macro_id("x"), "Mail Delivery Subsystem");
	macro_set(m, macro_id("s"), "localhost");
	macro_set(m, macro_id("_"), "localhost");
	return m;
}

/* The cf's H lines for the report, in their order (Return-Path bound late). */
static void cf_headers(struct dsn *d, struct qf *q, struct macros *m)
{
	struct sm_arena *a = d->j->a;

	for (const struct cf_header *c = d->j->cf->headers; c != NULL; c = c->next) {
		bool late = strcasecmp(c->name, "return-path") == 0;
		const char *v;

		if (c->value == NULL || own_header(c->name))
			continue;
		if (c->macro_cond >= 0 && macro_get(m, c->macro_cond) == NULL)
			continue;
		v = late ? bind_late(a, c->value) : macro_expand(m, c->value, a);
		while (*v == ' ' || *v == '\t')
			v++;
		if (*v == '\0' && !late)
			continue;
		qf_add_header(q, a, header_cond(a, c), c->name, sm_arena_printf(a, " %s", v));
	}
}

/* The persistent macros 8.17 writes for a report: $_ $r $s ${daemon_flags}. */
static void dsn_qf_macros(struct dsn *d, struct qf *q)
{
	struct sm_arena *a = d->j->a;
	const char *df = macro_get(d->j->cf->macros, macro_id("{daemon_flags}"));

	qf_add_macro(q, a, "_", "localhost");
	qf_add_macro(q, a, "r", "");
	qf_add_macro(q, a, "s", "localhost");
	qf_add_macro(q, a, "{daemon_flags}", df != NULL ? df : "c u");
}

/*
 * Whether the postmaster gets the report too: 8.17 adds it when a mailer
 * exited with EX_SOFTWARE or EX_CONFIG (a problem of this system).
 */
static bool pm_notify(const struct dsn *d)
{
	if (d->postmaster || d->kind != DSN_FAILURE)
		return false;
	for (size_t i = 0; i < d->n; i++) {
		const char *c = d->list[i]->diag;

		if (c != NULL && (atoi(c) == EX_SOFTWARE || atoi(c) == EX_CONFIG))
			return true;
	}
	return false;
}

/* The r line of a report's recipient ("RFC822; u@$j" for a bare user). */
static const char *final_of(struct dsn *d, const char *to)
{
	const char *host = macro_get(d->j->cf->macros, macro_id("j"));

	to = unbracket(d->j->a, to);
	if (strchr(to, '@') != NULL)
		return sm_arena_printf(d->j->a, "RFC822; %s", to);
	return sm_arena_printf(d->j->a, "RFC822; %s@%s", to, host ? host : "localhost");
}

/* The DSN's qf: envelope from <>, its headers. */
static struct qf *dsn_qf(struct dsn *d, const char *id)
{
	struct dlv_job *j = d->j;
	struct sm_arena *a = j->a;
	struct qf *q = qf_new(a);
	const char *subject =
	    d->postmaster ? "Postmaster notify: see transcript for details"
	    : d->kind == DSN_DELAY
	        ? sm_arena_printf(a, "Warning: could not send message for past %s",
	                          interval(j, timeout_for(j, true)))
	    : d->kind == DSN_SUCCESS ? "Return receipt"
	                             : "Returned mail: see transcript for details";
	time_t now = time(NULL);
	struct macros *m = dsn_macros(d, id, now);

	q->ctime = now;
	q->priority = (long)d->body.len + 30000;
	q->flags = d->headers_only ? "rns" : "rs"; /* as 8.17 writes a report's F line */
	dsn_qf_macros(d, q);
	q->sender = "MAILER-DAEMON"; /* as 8.17 writes it; F=r makes it <> on the wire */
	if (pm_notify(d))            /* first, as 8.17 queues it */
		qf_add_rcpt(q, a, QF_R_PRIMARY | QF_R_FAILURE, "postmaster")->final_rcpt =
		    final_of(d, "postmaster");
	qf_add_rcpt(q, a, QF_R_PRIMARY | QF_R_FAILURE, d->to)->final_rcpt =
	    final_of(d, d->to); /* "RPF:", as 8.17 */
	cf_headers(d, q, m);
	macros_free(m);
	qf_add_header(q, a, "", "To", sm_arena_printf(a, " %s", d->to));
	if (pm_notify(d))
		qf_add_header(q, a, "", "To", " postmaster");
	qf_add_header(q, a, "", "MIME-Version", " 1.0");
	qf_add_header(q, a, "", "Content-Type",
	              sm_arena_printf(a,
	                              " multipart/report; report-type=delivery-status;\n\t"
	                              "boundary=\"%s\"",
	                              d->boundary));
	qf_add_header(q, a, "", "Subject", sm_arena_printf(a, " %s", subject));
	qf_add_header(q, a, "", "Auto-Submitted",
	              d->postmaster            ? " auto-generated (postmaster-notification)"
	              : d->kind == DSN_DELAY   ? " auto-generated (warning-timeout)"
	              : d->kind == DSN_SUCCESS ? " auto-generated (return-receipt)"
	                                       : " auto-generated (failure)");
	return q;
}

/* Write df and qf of a new entry; its id, or NULL on failure. */
static const char *queue_dsn(struct dsn *d)
{
	static struct qid_gen gen = QID_GEN_INIT;
	struct dlv_job *j = d->j;
	mode_t mode = (mode_t)opt_num(j->cf->opt, OPT_QUEUE_FILE_MODE);
	char id[QID_BUFSIZE];
	int dfd, qfd;

	mode = mode != 0 ? mode : 0600;
	dfd = queue_df_create(j->d, &gen, mode, NULL, id);
	if (dfd < 0)
		return NULL;
	d->boundary = sm_arena_printf(
	    j->a, "%s.%lld/%s", id, (long long)time(NULL),
	    macro_get(j->mac, macro_id("j")) ? macro_get(j->mac, macro_id("j")) : "localhost");
	sm_buf_puts(&d->body, "This is a MIME-encapsulated message\n\n");
	text_part(d);
	status_part(d);
	original_part(d);
	if (write(dfd, d->body.data, d->body.len) != (ssize_t)d->body.len ||
	    queue_df_sync(dfd) < 0 || (qfd = queue_qf_commit(j->d, id, dsn_qf(d, id), mode)) < 0) {
		struct sm_buf p = SM_BUF_INIT;

		qdir_file(j->d, 'd', id, &p);
		unlink(sm_buf_str(&p));
		sm_buf_free(&p);
		close(dfd);
		return NULL;
	}
	close(qfd);
	close(dfd);
	return sm_arena_strdup(j->a, id);
}

/* The address a report about this message goes to; NULL: nobody. */
static const char *report_to(struct dlv_job *j, bool *postmaster)
{
	const char *as = header_value(j, "Auto-Submitted");
	const char *dba = opt_raw(j->cf->opt, OPT_DOUBLE_BOUNCE_ADDRESS);

	*postmaster = false;
	if (!j->null_sender) /* as queued: "<a@b>" from SMTP keeps its brackets, as in 8.17 */
		return j->sender;
	if (as != NULL && strstr(as, "postmaster-notification") != NULL)
		return NULL; /* a failing double bounce: nowhere left to go */
	*postmaster = true;
	return dba != NULL && *dba != '\0' ? dba : NULL;
}

/* The stat of the first failed recipient of list, NULL none. */
static const char *first_failure(struct dlv_rcpt **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i]->state == DS_PERM && list[i]->stat != NULL)
			return list[i]->stat;
	return NULL;
}

static bool queue_report(struct dsn *d);
static void postmaster_copy(struct dlv_job *j, struct dlv_rcpt **list, size_t n);

/* Send one report about the recipients of list; false if not queued. */
static bool send_report(struct dlv_job *j, enum dsn_kind kind, struct dlv_rcpt **list, size_t n)
{
	struct dsn d = {j, kind, list, n, NULL, false, false, NULL, SM_BUF_INIT};

	d.to = report_to(j, &d.postmaster);
	if (d.to == NULL) {
		dlv_log(j, "%s",
		        kind == DSN_DELAY ? "no delay warning for a message from <>"
		                          : "savemail: cannot return the message from <>: dropped");
		return true;
	}
	if (kind != DSN_FAILURE && d.postmaster)
		return true; /* no warnings or receipts about bounces */
	/* a receipt has the headers only, whatever RET says (as 8.17's) */
	d.headers_only =
	    kind == DSN_SUCCESS || qf_has_flag(j->qf, QF_F_NO_BODY_RETN) || msg_class(j) < 0;
	if (!queue_report(&d))
		return false;
	if (kind == DSN_FAILURE && !d.postmaster)
		postmaster_copy(j, list, n);
	return true;
}

/* PostmasterCopy: a "Postmaster notify" of its own, headers only, as 8.17's. */
static void postmaster_copy(struct dlv_job *j, struct dlv_rcpt **list, size_t n)
{
	const char *pm = opt_raw(j->cf->opt, OPT_POSTMASTER_COPY);
	struct dsn d = {j, DSN_FAILURE, list, n, pm, true, true, NULL, SM_BUF_INIT};

	if (pm != NULL && *pm != '\0')
		(void)queue_report(&d); /* the sender has the report: a lost copy is logged */
}

/* Queue report d and log it; false if it could not be queued. */
static bool queue_report(struct dsn *d)
{
	struct dlv_job *j = d->j;
	enum dsn_kind kind = d->kind;
	struct dlv_rcpt **list = d->list;
	size_t n = d->n;
	const char *id = queue_dsn(d);

	sm_buf_free(&d->body);
	if (id == NULL) {
		dlv_log(j, "cannot queue DSN: %s", strerror(errno));
		return false;
	}
	dlv_log(j, "%s: %s: %s", id,
	        kind == DSN_DELAY ? "DSN"
	        : d->postmaster   ? "postmaster notify"
	                          : "DSN",
	        kind == DSN_DELAY                ? "Warning: could not send message"
	        : kind == DSN_SUCCESS            ? "Return receipt"
	        : first_failure(list, n) != NULL ? first_failure(list, n)
	                                         : "message returned");
	dlv_job_new_id(j, id);
	return true;
}

/* Deferred past queuereturn: fail them with 4.4.7. */
static void expire(struct dlv_job *j)
{
	long limit = timeout_for(j, false);
	long age = (long)(j->now - (time_t)j->qf->ctime);

	size_t n = 0;

	if (limit <= 0 || age < limit)
		return;
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next) {
		if (r->state != DS_TEMP && r->state != DS_PENDING)
			continue;
		r->state = DS_PERM;
		r->dsn = "4.4.7";
		r->reply = r->stat != NULL ? r->stat : NULL;
		if (r->diag != NULL && sm_exit_text(atoi(r->diag)) != NULL)
			r->reason = sm_exit_text(atoi(r->diag)); /* "Deferred", as 8.17 */
		r->stat = sm_arena_printf(j->a, "Cannot send message for %s", interval(j, limit));
		dlv_log(j, "to=%s, stat=%s", r->addr, r->stat);
		n++;
	}
	if (n > 0) /* 8.17 says it once, for the message */
		sm_buf_printf(&j->xscript,
		              "Message could not be delivered for %s\n"
		              "Message will be deleted from queue\n",
		              interval(j, limit));
}

/* The entry's F line with 'w', in the order 8.17 writes the letters. */
static const char *with_warning_flag(struct dlv_job *j)
{
	static const char order[] = "wr8bdns";
	const char *f = j->qf->flags != NULL ? j->qf->flags : "";
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const char *o = order; *o != '\0'; o++)
		if (*o == 'w' || strchr(f, *o) != NULL)
			sm_buf_putc(&b, *o);
	for (; *f != '\0'; f++)
		if (strchr(order, *f) == NULL)
			sm_buf_putc(&b, *f);
	r = sm_arena_strdup(j->a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/*
 * The failed recipients to report and, in envelope order among them, the
 * delivered ones that asked for a receipt (8.17 puts both in one report);
 * *nfail: how many failed.
 */
static size_t pick_final(struct dlv_job *j, struct dlv_rcpt **list, size_t *nfail)
{
	size_t n = 0;

	*nfail = 0;
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next) {
		if (r->state == DS_PERM && (notify_ok(r, DSN_FAILURE) || j->null_sender)) {
			list[n++] = r;
			(*nfail)++;
		} else if (r->state == DS_SENT && !j->null_sender && notify_ok(r, DSN_SUCCESS)) {
			list[n++] = r;
		}
	}
	return n;
}

/* Collect the recipients in state st whose NOTIFY allows kind. */
static size_t pick(struct dlv_job *j, int st, enum dsn_kind kind, struct dlv_rcpt **list)
{
	size_t n = 0;

	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == st &&
		    (notify_ok(r, kind) || (j->null_sender && kind != DSN_SUCCESS)))
			list[n++] = r;
	return n;
}

void dlv_dsn_process(struct dlv_job *j)
{
	struct dlv_rcpt **list = sm_arena_array(j->a, j->nrcpts + 1, sizeof(*list));
	long warn = timeout_for(j, true);
	size_t n, nfail;

	expire(j);
	n = pick_final(j, list, &nfail);
	if (nfail > 0 && !send_report(j, DSN_FAILURE, list, n)) {
		for (size_t i = 0; i < n; i++)
			if (list[i]->state == DS_PERM)
				list[i]->state = DS_TEMP; /* keep it until the report can go */
	} else if (nfail == 0 && n > 0) {
		send_report(j, DSN_SUCCESS, list, n); /* a receipt that cannot go is dropped */
	}
	if (warn <= 0 || qf_has_flag(j->qf, QF_F_WARNING) ||
	    (long)(j->now - (time_t)j->qf->ctime) < warn)
		return;
	n = pick(j, DS_TEMP, DSN_DELAY, list);
	if (n > 0 && send_report(j, DSN_DELAY, list, n)) {
		j->qf->flags = with_warning_flag(j);
		j->warned_now = true;
		/* the entry's M line says so, as 8.17's does */
		j->defer_msg = sm_arena_printf(j->a, "Warning: could not send message for past %s",
		                               interval(j, warn));
	}
}
