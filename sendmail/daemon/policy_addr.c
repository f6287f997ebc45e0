/*
 * daemon/policy_addr.c: MAIL FROM and RCPT TO addresses, as Sendmail's
 * srvrsmtp handles them before and around check_mail / check_rcpt.
 *
 * MAIL, in Sendmail's order: the sender (SMTP_CHECK_SENDER): the
 * envelope started (a MAIL after a refused one keeps the transaction's
 * id), the "didn't use HELO protocol" warning, the address scanned (553
 * for bad syntax) and parsed as a sender (rulesets 3 and 0: an error
 * triple is the reply), ${mail_mailer} ${mail_host} ${mail_addr} set;
 * then the session checks the parameters (glue_params keeps SIZE= and
 * BODY= for the log); then (SMTP_CHECK_MAIL) MinFreeBlocks (452 4.4.5)
 * and check_mail.
 *
 * RCPT: scanned and parsed as a recipient (an error triple such as
 * "553 5.1.3 Invalid route address" is the reply), ${rcpt_mailer}
 * ${rcpt_host} ${rcpt_addr} set, check_rcpt run, then the address goes
 * through the envelope's recipient() (aliases, .forward, ruleset 5): when
 * nothing deliverable comes out, the first failure is the reply ("550
 * 5.1.1 <u@h>... User unknown").  In DeliveryMode queue and defer the
 * address is only checked (an alias exists, a user has a passwd entry)
 * and queued as given: the queue run expands it, as 8.17 does.  The
 * first check_mail/check_rcpt refusal of a transaction becomes the
 * queued message's M line, as Sendmail's e_message.  The recipients an
 * accepted RCPT produced are remembered as a group, so the sink can give
 * them the RCPT's NOTIFY and ORCPT parameters.  An RCPT that only repeats a
 * recipient an earlier RCPT named (not one an alias produced) is
 * accepted naming that earlier address ("RCPT TO:<root>" after
 * "<root@host>" is answered "<root@host>... Recipient ok"), as Sendmail's
 * reply names its e_to; one whose recipient waits for a lookup that
 * failed temporarily is "Recipient ok (will queue)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/queue/queue.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

/* Forget the transaction's state without logging it (its id stays). */
static void txn_free(struct glue *g)
{
	g->mail_ok = false;
	if (g->e != NULL)
		env_free(g->e);
	g->e = NULL;
	if (g->msgout != NULL)
		fclose(g->msgout);
	g->msgout = NULL;
	free(g->msgbuf);
	g->msgbuf = NULL;
	g->msglen = g->msgseen = 0;
	g->known = NULL;
	g->nknown = g->capknown = 0;
	g->groups = NULL;
	g->ngroups = g->capgroups = 0;
	g->pending = NULL;
	g->sink_rcpt = 0;
	g->discard = g->conn_discard;
	sm_buf_reset(&g->body);
	sm_arena_reset(g->txn_arena);
}

void glue_txn_end(struct glue *g)
{
	if (g->e != NULL && g->mail_ok)
		glue_log_abort(g);
	if (g->e != NULL)
		g->sid[0] = '\0'; /* the next transaction has an id of its own */
	sm_buf_reset(&g->txn_msg);
	txn_free(g);
}

/* The last message line the envelope printed since the last call ("" if none). */
static const char *last_message(struct glue *g)
{
	const char *start, *end;

	fflush(g->msgout);
	if (g->msgbuf == NULL || g->msglen <= g->msgseen)
		return "";
	end = g->msgbuf + g->msglen;
	while (end > g->msgbuf + g->msgseen && end[-1] == '\n')
		end--;
	start = end;
	while (start > g->msgbuf + g->msgseen && start[-1] != '\n')
		start--;
	g->msgseen = g->msglen;
	return sm_arena_memdup(g->txn_arena, start, (size_t)(end - start));
}

/* Scanner errors (unbalanced brackets, ...) refuse the address: false then. */
static bool scan_ok(struct glue *g, const char *addr, struct smtp_decision *out)
{
	struct tokvec tv;
	struct tok_error err;
	bool ok;

	memset(&err, 0, sizeof(err));
	tokvec_init(&tv, g->txn_arena);
	ok = tok_scan_address_ex(g->cf, g->txn_arena, addr, '\0', TOKS_COMMENTS | TOKS_NOLIMIT, &tv,
	                         NULL, &err);
	if (ok && err.code == 0)
		return true;
	glue_refuse(g, out, err.code != 0 ? err.code : 553, err.dsn, "%s... %s", addr,
	            err.msg != NULL ? err.msg : "Syntax error");
	return false;
}

/* Parse addr (flags RF_*) with the transaction's envelope; false after a refusal. */
static bool parse(struct glue *g, const char *addr, int flags, struct address *a,
                  struct smtp_decision *out)
{
	struct rw_ctx rw;
	struct pa_ctx pc;
	int status = 0;

	memset(&rw, 0, sizeof(rw));
	rw.cf = g->cf;
	rw.macros = g->e->macros;
	rw.arena = g->txn_arena;
	rw.errout = g->msgout;
	pc.rw = &rw;
	pc.msgout = g->msgout;
	pc.exitstat = &status;
	if (!pa_parseaddr(&pc, addr, flags, '\0', NULL, a)) {
		glue_refuse(g, out, 553, "5.1.0", "%s... %s", addr, last_message(g));
		return false;
	}
	(void)last_message(g);
	if (a->mailer == NULL) {
		glue_error_reply(g, a->status != NULL ? a->status : a->host, a->user, addr, out);
		return false;
	}
	return true;
}

/* ${x_mailer} ${x_host} ${x_addr} from a triple. */
static void triple_macros(struct glue *g, const char *what, const struct address *a)
{
	struct macros *m = smtp_session_macros(g->s);
	char name[32];

	snprintf(name, sizeof(name), "{%s_mailer}", what);
	macro_set(m, macro_id(name), a->mailer_name);
	snprintf(name, sizeof(name), "{%s_host}", what);
	macro_set(m, macro_id(name), a->host);
	snprintf(name, sizeof(name), "{%s_addr}", what);
	macro_set(m, macro_id(name), a->user);
}

/* A new transaction envelope whose macros sit over the session's. */
static void start_envelope(struct glue *g)
{
	g->msgout = open_memstream(&g->msgbuf, &g->msglen);
	g->e = env_new(g->cf, g->txn_arena, g->msgout);
	macros_free(g->e->macros);
	g->e->macros = macros_new(smtp_session_macros(g->s));
}

/* Sendmail's auth_warning for a MAIL without HELO: a header and a log line. */
static void no_helo_warning(struct glue *g)
{
	const char *client = macro_get(g->conn, macro_id("_"));
	const char *j = macro_get(g->conn, macro_id("j"));
	const char *text = sm_arena_printf(g->txn_arena, "%s didn't use HELO protocol",
	                                   client != NULL ? client : "");

	if (env_auth_warning(g->e, text) && opt_num(g->cf->opt, OPT_LOG_LEVEL) > 3)
		mlog(LOG_INFO, glue_sid(g), "Authentication-Warning: %s: %s",
		     j != NULL ? j : "localhost", text);
}

void glue_sender(struct glue *g, const char *arg, struct smtp_decision *out)
{
	const char *sender;
	struct address a;

	/*
	 * A MAIL after a refused one is the same transaction to Sendmail: the
	 * same queue id, and only the last sender is logged.
	 */
	txn_free(g);
	start_envelope(g);
	if (!smtp_session_helo_seen(g->s))
		no_helo_warning(g);
	if (!scan_ok(g, arg, out))
		return;
	sender = arg; /* as given, like Sendmail's q_paddr (S line, from=) */
	if (!parse(g, arg, RF_SENDERADDR, &a, out))
		return;
	triple_macros(g, "mail", &a);
	if (!env_setsender(g->e, sender, NULL, true)) {
		glue_refuse(g, out, 553, "5.1.7", "%s... %s", arg, last_message(g));
		return;
	}
	(void)last_message(g);
	g->e->auth = NULL;
	g->mail_ok = true; /* the sender is known: the transaction's from= line is due */
}

void glue_params(void *ctx, const struct smtp_txn *t)
{
	struct glue *g = ctx;

	if (g->e == NULL)
		return;
	g->e->msgsize = t->size;
	if (t->body != SMTP_BODY_NONE)
		g->e->bodytype = t->body == SMTP_BODY_8BITMIME ? "8BITMIME" : "7BIT";
}

/* A check_mail/check_rcpt refusal: the envelope's message (qf M line) if it has none. */
static void note_refusal(struct glue *g, const struct smtp_decision *out)
{
	if (out->verdict == SMTP_REPLY && out->text != NULL && g->txn_msg.len == 0)
		sm_buf_puts(&g->txn_msg, out->text);
}

void glue_mail(struct glue *g, const char *arg, struct smtp_decision *out)
{
	if (g->e == NULL)
		return;
	/* SIZE= (glue_params) is what the message will need */
	if (disk_short(g->cf, g->qdir != NULL ? g->qdir->path : ".", g->e->msgsize)) {
		glue_refuse(g, out, 452, "4.4.5", "Insufficient disk space; try again later");
		return;
	}
	glue_rscheck(g, "check_mail", arg, NULL, arg, out);
	note_refusal(g, out);
	if (out->verdict == SMTP_DISCARD)
		g->discard = true;
}

/* Remember r as seen; true if it was new. */
static bool note_known(struct glue *g, struct env_rcpt *r)
{
	for (size_t i = 0; i < g->nknown; i++)
		if (g->known[i] == r)
			return false;
	if (g->nknown == g->capknown) {
		size_t cap = g->capknown ? g->capknown * 2 : 16;
		struct env_rcpt **n = sm_arena_array(g->txn_arena, cap, sizeof(*n));

		if (g->nknown > 0)
			memcpy(n, g->known, g->nknown * sizeof(*n));
		g->known = n;
		g->capknown = cap;
	}
	g->known[g->nknown++] = r;
	return true;
}

/* The recipients the last sendtolist added (NULL-terminated arena array). */
static struct env_rcpt **new_group(struct glue *g)
{
	size_t n = 0, cap = 4;
	struct env_rcpt **v = sm_arena_array(g->txn_arena, cap + 1, sizeof(*v));

	for (struct env_rcpt *r = g->e->rcpts; r != NULL; r = r->next) {
		if (!note_known(g, r))
			continue;
		if (n == cap) {
			struct env_rcpt **nv =
			    sm_arena_array(g->txn_arena, cap * 2 + 1, sizeof(*nv));

			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[n++] = r;
	}
	v[n] = NULL;
	return v;
}

static void push_group(struct glue *g, struct env_rcpt **grp)
{
	if (g->ngroups == g->capgroups) {
		size_t cap = g->capgroups ? g->capgroups * 2 : 8;
		struct env_rcpt ***n = sm_arena_array(g->txn_arena, cap, sizeof(*n));

		if (g->ngroups > 0)
			memcpy(n, g->groups, g->ngroups * sizeof(*n));
		g->groups = n;
		g->capgroups = cap;
	}
	g->groups[g->ngroups++] = grp;
}

/* Nothing deliverable came out of an accepted address: the refusal. */
static bool group_refused(struct glue *g, struct env_rcpt **grp, const char *arg,
                          struct smtp_decision *out)
{
	const struct env_rcpt *bad = NULL;
	const char *msg = last_message(g);

	for (size_t i = 0; grp[i] != NULL; i++) {
		if (env_rcpt_sendable(grp[i]))
			return false;
		if (grp[i]->state == RS_BADADDR && bad == NULL)
			bad = grp[i];
	}
	if (bad == NULL)
		return false;
	if (bad->message != NULL && bad->message[0] >= '2' && bad->message[0] <= '5') {
		glue_error_reply(g, bad->status, bad->message, arg, out);
	} else {
		const char *dots = strstr(msg, "... ");

		glue_refuse(g, out, 550, bad->status != NULL ? bad->status : "5.1.1", "%s... %s",
		            arg,
		            dots != NULL     ? dots + 4
		            : msg[0] != '\0' ? msg
		                             : "User unknown");
	}
	return true;
}

/* Members of a group recipient() counted into e->nrcpts (all but the dead). */
static size_t group_counted(struct env_rcpt **grp)
{
	size_t n = 0;

	for (size_t i = 0; grp[i] != NULL; i++)
		n += !env_rcpt_dead(grp[i]);
	return n;
}

/*
 * The earlier recipient the triple a repeats, if an RCPT named it
 * itself (not one an alias produced), else NULL.
 */
static const struct env_rcpt *repeats_primary(struct glue *g, const struct address *a)
{
	for (size_t i = 0; i < g->nknown; i++) {
		const struct env_rcpt *r = g->known[i];

		if ((r->flags & ER_PRIMARY) && r->alias == NULL && r->mailer_name != NULL &&
		    a->mailer_name != NULL && strcmp(r->mailer_name, a->mailer_name) == 0 &&
		    r->user != NULL && a->user != NULL && strcmp(r->user, a->user) == 0 &&
		    (r->host == NULL) == (a->host == NULL) &&
		    (r->host == NULL || strcasecmp(r->host, a->host) == 0))
			return r;
	}
	return NULL;
}

/* Whether a recipient of the group waits for a lookup that failed temporarily. */
static bool group_queued(struct env_rcpt **grp)
{
	for (size_t i = 0; grp[i] != NULL; i++)
		if (grp[i]->state == RS_QUEUEUP)
			return true;
	return false;
}

void glue_rcpt(struct glue *g, const char *arg, struct smtp_decision *out)
{
	struct address a;
	struct env_rcpt **grp;
	const struct env_rcpt *dup;
	const char *msg;

	if (g->e == NULL)
		return;
	if (!scan_ok(g, arg, out) || !parse(g, arg, 0, &a, out)) {
		glue_log_refusal(g, out);
		return;
	}
	triple_macros(g, "rcpt", &a);
	glue_rscheck(g, "check_rcpt", arg, NULL, arg, out);
	note_refusal(g, out);
	if (out->verdict == SMTP_REPLY)
		return;
	if (g->discard || out->verdict == SMTP_DISCARD) {
		push_group(g, new_group(g)); /* empty: the message is dropped */
		return;
	}
	msg = g->e->message;
	/* queue-only and defer: Sendmail checks the recipient, the queue run expands it */
	if (g->delivery_mode == 'q' || g->delivery_mode == 'd')
		g->e->eflags |= EF_NOEXPAND;
	(void)env_sendtolist(g->e, arg, NULL, 0, ER_PRIMARY);
	grp = new_group(g);
	if (group_refused(g, grp, arg, out)) {
		g->e->message = msg; /* the refusal is the reply, not the message's status */
		g->e->nrcpts -= (int)group_counted(grp); /* nor a recipient (e_nrcpts) */
		glue_log_refusal(g, out);
		return;
	}
	if (grp[0] == NULL && (dup = repeats_primary(g, &a)) != NULL)
		out->shown = dup->paddr; /* a duplicate: Sendmail names the first one */
	out->will_queue = group_queued(grp);
	push_group(g, grp);
}
