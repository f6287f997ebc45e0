/*
 * daemon/sink.c: the SMTP core's message sink over the envelope and the
 * queue, and the hand-over to delivery.
 *
 * begin    DATA accepted: the envelope started at MAIL gets the DSN
 *          parameters (ENVID, RET, BODY) and its dates
 * add_rcpt the RCPT's NOTIFY and ORCPT go to every recipient that RCPT
 *          produced (policy_addr.c remembered them)
 * body     bytes are kept in memory until the final dot
 * commit   the message is read into the envelope (env_collect: headers,
 *          8-bit, MaxHopCount), the df then the qf written and fsynced
 *          (env_assign_id_want: the transaction's log id, so one id
 *          names every line of it; env_queue), and only then the queue
 *          id goes back so the client sees 250; a discarded message is
 *          read, logged (from=, "discarded") under that id and dropped
 *          in DeliveryMode=queue a message none of whose recipients is
 *          local gets 8.17's "to=..., stat=queued" lines
 * abort    the transaction is forgotten (its from= line logged)
 * lost     the client went away or sent a bare CR/LF in the message:
 *          "collect: premature EOM: unexpected close" and "collect:
 *          relay=HOST, from=<a@b>, info=..." as Sendmail's collect()
 *
 * After a commit glue_deliver() asks for delivery as DeliveryMode says:
 * i/b/I through the parent (one line "QUEUEDIR<TAB>ID" on its pipe; the
 * parent forks the delivery), q/d not at all (the next queue run).
 * Without a parent (-bs) the delivery module forks it itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/queue/queue.h"

/* $b $d $t for a message received now. */
static void time_macros(struct envelope *e)
{
	struct sm_buf b = SM_BUF_INIT;
	char buf[64];
	struct tm gm, lt;

	gmtime_r(&e->ctime, &gm);
	localtime_r(&e->ctime, &lt);
	env_arpadate(e->ctime, &b);
	macro_set(e->macros, macro_id("b"), sm_buf_str(&b));
	sm_buf_free(&b);
	strftime(buf, sizeof(buf), "%Y%m%d%H%M", &gm);
	macro_set(e->macros, macro_id("t"), buf);
	strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", &lt);
	macro_set(e->macros, macro_id("d"), buf);
}

static bool sink_begin(void *ctx, const struct smtp_txn *t, struct smtp_sink_error *err)
{
	struct glue *g = ctx;
	struct envelope *e = g->e;

	if (e == NULL) {
		err->code = 451;
		err->dsn = "4.3.0";
		err->text = "Temporary system failure. Please try again later.";
		return false;
	}
	e->ctime = time(NULL);
	time_macros(e);
	if (t->envid != NULL)
		e->envid = sm_arena_strdup(e->arena, t->envid);
	if (t->body != SMTP_BODY_NONE)
		e->bodytype = t->body == SMTP_BODY_8BITMIME ? "8BITMIME" : "7BIT";
	if (t->ret != SMTP_RET_NONE)
		e->eflags |= EF_RET_PARAM | (t->ret == SMTP_RET_HDRS ? EF_NO_BODY_RETN : 0);
	if (t->discard)
		g->discard = true;
	g->sink_rcpt = 0;
	sm_buf_reset(&g->body);
	return true;
}

/* ER_NOTIFY_* bits of an RCPT's NOTIFY= value. */
static unsigned notify_bits(unsigned n)
{
	unsigned f = ER_NOTIFY_SET;

	if (n & SMTP_NOTIFY_NEVER)
		f |= ER_NOTIFY_NEVER;
	if (n & SMTP_NOTIFY_SUCCESS)
		f |= ER_NOTIFY_SUCCESS;
	if (n & SMTP_NOTIFY_FAILURE)
		f |= ER_NOTIFY_FAILURE;
	if (n & SMTP_NOTIFY_DELAY)
		f |= ER_NOTIFY_DELAY;
	return f;
}

static bool sink_add_rcpt(void *ctx, const struct smtp_rcpt *r, struct smtp_sink_error *err)
{
	struct glue *g = ctx;
	const unsigned mask = ER_NOTIFY_SET | ER_NOTIFY_NEVER | ER_NOTIFY_SUCCESS |
	                      ER_NOTIFY_FAILURE | ER_NOTIFY_DELAY;
	size_t i = g->sink_rcpt++;

	if (i >= g->ngroups)
		return true;
	for (struct env_rcpt **p = g->groups[i]; *p != NULL; p++) {
		if (r->notify != 0)
			(*p)->flags = ((*p)->flags & ~mask) | notify_bits(r->notify);
		if (r->orcpt != NULL)
			(*p)->orcpt = sm_arena_strdup(g->txn_arena, r->orcpt);
	}
	return true;
}

static bool sink_body(void *ctx, const char *p, size_t n)
{
	struct glue *g = ctx;

	sm_buf_append(&g->body, p, n);
	return true;
}

static void sink_abort(void *ctx)
{
	glue_txn_end(ctx);
}

static void fail(struct smtp_sink_error *err, int code, const char *dsn, const char *text)
{
	err->code = code;
	err->dsn = dsn;
	err->text = text;
}

/* The body into the envelope as Sendmail's collect(); false after err. */
static bool collect_body(struct glue *g, struct smtp_sink_error *err)
{
	struct env_collect_opts co = {true, false, opt_num(g->cf->opt, OPT_MAX_MESSAGE_SIZE)};
	struct envelope *e = g->e;
	FILE *fp =
	    g->body.len > 0 ? fmemopen(g->body.data, g->body.len, "r") : fopen("/dev/null", "r");
	long max;
	int rc;

	if (fp == NULL) {
		fail(err, 451, "4.3.0", "Temporary system failure. Please try again later.");
		return false;
	}
	rc = env_collect(e, fp, &co);
	fclose(fp);
	if (rc != EX_OK) {
		fail(err, 552, "5.6.0", "Message could not be read");
		return false;
	}
	max = opt_num(g->cf->opt, OPT_MAX_HOP_COUNT);
	if (max > 0 && e->hopcount > max) {
		const char *relay = macro_get(e->macros, macro_id("_"));

		fail(err, 554, "5.4.6",
		     sm_arena_printf(g->arena, "Too many hops %d (%ld max): from %s via %s, to %s",
		                     e->hopcount, max, e->sender,
		                     relay != NULL ? relay : "localhost",
		                     e->rcpts != NULL ? e->rcpts->paddr : ""));
		return false;
	}
	return true;
}

/* The queue error for a failed write: disk full is 452 4.4.5. */
static void queue_error(struct smtp_sink_error *err)
{
	if (errno == ENOSPC || errno == EDQUOT)
		fail(err, 452, "4.4.5", "Insufficient disk space; try again later");
	else
		fail(err, 451, "4.3.0", "Temporary system failure. Please try again later.");
}

/*
 * A message that will not be queued, read as if it were under the
 * transaction's id, for the from= line Sendmail logs of it (its size
 * and Message-Id); returns that id.
 */
static const char *read_for_log(struct glue *g)
{
	struct smtp_sink_error ignored = {0, NULL, NULL};
	struct envelope *e = g->e;
	const char *id = glue_sid(g);

	snprintf(e->id, sizeof(e->id), "%s", id);
	macro_set(e->macros, macro_id("i"), e->id);
	if (collect_body(g, &ignored))
		env_headers_finish(e);
	return id;
}

/*
 * A discarded message: read and logged like any other, then dropped
 * with "discarded"; the 250 names the transaction's id.
 */
static void discard_message(struct glue *g, const struct smtp_txn *t, struct sm_buf *qid)
{
	const char *id = read_for_log(g);

	env_log_sender(g->e, (int)t->nrcpts);
	sm_buf_puts(qid, id);
	if (opt_num(g->cf->opt, OPT_LOG_LEVEL) > 3)
		mlog(LOG_INFO, id, "discarded");
}

/*
 * The sink's too_big hook, in Sendmail's order: the from= line of the
 * message (with its Message-Id), "message size (N) exceeds maximum (M)",
 * then a to= line per recipient with the refusal as its status.
 */
static void sink_too_big(void *ctx, const struct smtp_txn *t, long max)
{
	struct glue *g = ctx;
	struct envelope *e = g->e;
	long level = opt_num(g->cf->opt, OPT_LOG_LEVEL), pri;
	const char *id;

	if (e == NULL || !g->mail_ok)
		return;
	id = read_for_log(g);
	e->msgsize = t->msg_size;
	env_log_sender(e, (int)glue_nrcpts(g));
	g->mail_ok = false; /* logged */
	if (g->stdio)
		return;
	if (level > 6)
		mlog(LOG_NOTICE, id, "message size (%ld) exceeds maximum (%ld)", t->msg_size, max);
	e->nrcpts = (int)t->nrcpts;
	pri = env_priority(e);
	for (size_t i = 0; i < t->nrcpts && level > 8; i++)
		mlog(LOG_INFO, id,
		     "to=%s, delay=00:00:00, pri=%ld, stat=Message exceeds maximum fixed size (%ld)",
		     t->rcpts[i].addr, pri, max);
}

/* The sink's lost hook: Sendmail's collect() lines for a message cut short. */
static void sink_lost(void *ctx, const char *why, bool in_headers, long size)
{
	struct glue *g = ctx;
	const char *host = macro_get(g->conn, macro_id("{client_name}"));
	bool closed = strcmp(why, "unexpected close") == 0;
	long level = opt_num(g->cf->opt, OPT_LOG_LEVEL);

	if (g->e == NULL)
		return;
	g->e->msgsize = size;
	if (g->stdio || level <= 1)
		return;
	if (strcmp(why, "read timeout") == 0) {
		/* a SYSERR for 8.17, naming the user sendmail was started by */
		mlog(LOG_CRIT, glue_sid(g), "SYSERR(%s): collect: relay=%s, from=%s, info=%s",
		     g->real_user != NULL ? g->real_user : "root", host != NULL ? host : "localhost",
		     g->e->sender != NULL ? g->e->sender : "<>", why);
		return;
	}
	if (closed)
		mlog(LOG_WARNING, glue_sid(g), "collect: premature EOM: %s", why);
	mlog(LOG_NOTICE, glue_sid(g), "collect: relay=%s, from=%s, info=%s%s%s",
	     host != NULL ? host : "localhost", g->e->sender != NULL ? g->e->sender : "<>", why,
	     closed ? "" : in_headers ? ", where=header" : ", where=body",
	     closed ? "" : ", status=tempfail");
}

/* Whether r is a recipient the queued message holds. */
static bool queued_rcpt(const struct env_rcpt *r)
{
	return env_rcpt_queued(r) && r->mailer != NULL;
}

/*
 * DeliveryMode=queue: 8.17 logs "to=<r>, delay=..., mailer=M, pri=P,
 * stat=queued" for each recipient of a message none of whose recipients
 * is for a local (F=l) mailer (observed: a message with a local
 * recipient gets no such lines).
 */
static void log_queued(struct glue *g, struct envelope *e)
{
	long secs = (long)(time(NULL) - e->ctime);

	if (g->delivery_mode != 'q' || opt_num(g->cf->opt, OPT_LOG_LEVEL) <= 8)
		return;
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (queued_rcpt(r) && mailer_flag(r->mailer, 'l'))
			return;
	if (secs < 0)
		secs = 0;
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		if (queued_rcpt(r))
			mlog(LOG_INFO, e->id,
			     "to=%s, delay=%02ld:%02ld:%02ld, mailer=%s, pri=%ld, stat=queued",
			     r->paddr, secs / 3600, secs / 60 % 60, secs % 60, r->mailer_name,
			     e->priority);
}

static bool sink_commit(void *ctx, const struct smtp_txn *t, struct sm_buf *qid,
                        struct smtp_sink_error *err)
{
	struct glue *g = ctx;
	struct envelope *e = g->e;
	char id[QID_BUFSIZE];
	bool ok = false;

	if (e == NULL || g->qdir == NULL) {
		fail(err, 451, "4.3.0", "Temporary system failure. Please try again later.");
	} else if (g->discard || t->discard) {
		discard_message(g, t, qid);
		ok = true;
	} else if (collect_body(g, err)) {
		if (e->message == NULL && g->txn_msg.len > 0)
			e->message = sm_arena_strdup(e->arena, sm_buf_str(&g->txn_msg));
		if (env_assign_id_want(e, g->qdir, glue_sid(g)) != EX_OK) {
			queue_error(err);
		} else {
			env_headers_finish(e);
			if (env_queue(e, g->qdir) != EX_OK) {
				queue_error(err);
			} else {
				ok = true;
				log_queued(g, e);
				snprintf(id, sizeof(id), "%s", e->id);
				sm_buf_puts(qid, id);
			}
		}
	}
	if (ok && !(g->discard || t->discard)) {
		if (e->df_fd >= 0)
			close(e->df_fd);
		e->df_fd = -1;
		glue_deliver(g, g->qdir->path, id);
	}
	g->mail_ok = false; /* queued or refused: no abort line */
	glue_txn_end(g);
	return ok;
}

void glue_sink_hooks(struct smtp_hooks *h)
{
	h->sink.begin = sink_begin;
	h->sink.add_rcpt = sink_add_rcpt;
	h->sink.body = sink_body;
	h->sink.commit = sink_commit;
	h->sink.abort = sink_abort;
	h->sink.lost = sink_lost;
	h->sink.too_big = sink_too_big;
}

void glue_deliver(struct glue *g, const char *qdir, const char *id)
{
	int mode = g->delivery_mode;
	struct dlv_run run;
	struct sm_buf line = SM_BUF_INIT;

	if (mode != 'i' && mode != 'b' && mode != 'I')
		return;
	if (g->notify_fd >= 0) {
		sm_buf_printf(&line, "%s\t%s\n", qdir, id);
		if (line.len <= 4096 &&
		    write(g->notify_fd, line.data, line.len) == (ssize_t)line.len) {
			sm_buf_free(&line);
			return;
		}
		sm_buf_free(&line);
	}
	if (g->run != NULL)
		run = *g->run;
	else
		dlv_run_init(&run);
	run.verbose = false;
	(void)dlv_deliver_id(g->cf, qdir, id, true, &run);
}
