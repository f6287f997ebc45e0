/*
 * daemon/slog.c: the mail log lines of an SMTP session, in Sendmail's
 * format (the lines of a message itself, from= and to=, are the envelope
 * and delivery modules').
 *
 *   LogLevel > 5  "ID: client.example.org [10.1.1.1]: VRFY root" for
 *                 each VRFY, EXPN and ETRN command as the client wrote it
 *                 (" [rejected]" added when PrivacyOptions refuses it)
 *   LogLevel > 5  "ID: client [addr] did not issue MAIL/EXPN/VRFY/ETRN
 *                 during connection to MTA" when the session ends
 *   LogLevel > 1  "ID: timeout waiting for input from client during server
 *                 cmd read" when Timeout.command ran out (then:)
 *   LogLevel > 1  "ID: lost input channel from client [addr] to MTA after
 *                 rcpt" when the client goes away in a transaction (in
 *                 DATA the sink's lost hook logs instead, sink.c)
 *   LogLevel > N  the protocol core's own lines (glue_log, the smtp
 *                 log hook): "ID: Too many recipients", "ID: message
 *                 size (N) exceeds maximum (M)", "ID: host [addr]:
 *                 possible SMTP attack: command=HELO/EHLO, count=3"
 *   LogLevel > 3  "ID: <x@y>... User unknown": an RCPT refused by the
 *                 address checks (not by check_rcpt, which logs its own)
 *   LogLevel > 4  "ID: from=<a@b>, size=0, class=0, nrcpts=1,
 *                 proto=ESMTP, daemon=MTA, relay=..." for a transaction
 *                 whose sender was set and that ended without a message
 *                 (RSET, HELO, QUIT, lost); size is SIZE= or the bytes
 *                 read before the message was lost
 *   LogLevel > 3  "ID: Authentication-Warning: host: client didn't use
 *                 HELO protocol" (policy_addr.c)
 *
 * ID: Sendmail gives the session's envelope a queue id at the first line
 * that needs one and keeps it until the transaction ends; glue_sid() does
 * the same, and a message queued or discarded takes that id (sink.c), so
 * every line of a transaction carries one id.  The client
 * is $_ and the daemon ${daemon_name}.  -bs logs none of these but the
 * from= lines (Sendmail's -bs has no daemon name).
 */
#include <ctype.h>
#include <string.h>
#include <syslog.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/queue/queue.h"

static struct qid_gen slog_gen = QID_GEN_INIT;

static long log_level(const struct glue *g)
{
	return opt_num(g->cf->opt, OPT_LOG_LEVEL);
}

static const char *client(const struct glue *g)
{
	const char *c = macro_get(g->conn, macro_id("_"));

	return c != NULL ? c : "";
}

static const char *daemon_name(const struct glue *g)
{
	const char *d = macro_get(g->conn, macro_id("{daemon_name}"));

	return d != NULL ? d : "";
}

const char *glue_sid(struct glue *g)
{
	if (g->sid[0] == '\0')
		qid_next(&slog_gen, g->sid);
	return g->sid;
}

void glue_command(void *ctx, const char *name, const char *line)
{
	struct glue *g = ctx;
	bool logged = strcmp(name, "VRFY") == 0 || strcmp(name, "EXPN") == 0 ||
	              (strcmp(name, "ETRN") == 0 && line[4] != '\0');
	/* what PrivacyOptions refuses is logged so (noexpn, novrfy, goaway) */
	bool refused = (strcmp(name, "EXPN") == 0 && (g->privacy & SMTP_PRIV_NOEXPN)) ||
	               (strcmp(name, "VRFY") == 0 && (g->privacy & SMTP_PRIV_NOVRFY));

	if (logged || strcmp(name, "MAIL") == 0 || strcmp(name, "ETRN") == 0)
		g->used = true; /* even a bare ETRN (501) counts for Sendmail */
	/*
	 * RSET, HELO and EHLO end the transaction: its from= line now.  After
	 * a HELO (whose own lines keep the old id) Sendmail's envelope is new.
	 */
	if (g->new_id && g->e == NULL)
		g->sid[0] = '\0';
	g->new_id = false;
	if (strcmp(name, "RSET") == 0 || strcmp(name, "HELO") == 0 || strcmp(name, "EHLO") == 0)
		glue_txn_end(g);
	if (strcmp(name, "HELO") == 0 || strcmp(name, "EHLO") == 0)
		g->new_id = true;
	if (logged && !g->stdio && log_level(g) > 5)
		mlog(LOG_INFO, glue_sid(g), "%s: %s%s", client(g), line,
		     refused ? " [rejected]" : "");
}

void glue_log(void *ctx, int prio, int level, const char *text)
{
	struct glue *g = ctx;

	if (!g->stdio && log_level(g) > level)
		mlog(prio, glue_sid(g), "%s", text);
}

void glue_log_refusal(struct glue *g, const struct smtp_decision *d)
{
	if (d->verdict == SMTP_REPLY && d->text != NULL && !g->stdio && log_level(g) > 3)
		mlog(LOG_NOTICE, glue_sid(g), "%s", d->text);
}

size_t glue_nrcpts(const struct glue *g)
{
	size_t n = 0;

	if (g->discard)
		return g->ngroups; /* nothing was expanded: each accepted RCPT counts */
	for (size_t i = 0; i < g->ngroups; i++)
		n += g->groups[i][0] != NULL;
	return n;
}

void glue_log_abort(struct glue *g)
{
	const struct envelope *e = g->e;
	const char *proto;
	struct sm_buf b = SM_BUF_INIT;

	if (e == NULL || e->sender == NULL || log_level(g) <= 4)
		return;
	proto = macro_get(e->macros, macro_id("r"));
	sm_buf_printf(&b, "from=%s, size=%ld, class=0, nrcpts=%zu", e->sender, e->msgsize,
	              glue_nrcpts(g));
	if (e->bodytype != NULL)
		sm_buf_printf(&b, ", bodytype=%s", e->bodytype);
	if (proto != NULL && *proto != '\0')
		sm_buf_printf(&b, ", proto=%s", proto);
	if (!g->stdio)
		sm_buf_printf(&b, ", daemon=%s", daemon_name(g));
	sm_buf_printf(&b, ", relay=%s", client(g));
	mlog(LOG_INFO, glue_sid(g), "%s", sm_buf_str(&b));
	sm_buf_free(&b);
}

void glue_session_end(struct glue *g)
{
	int lost = smtp_session_lost(g->s);
	const char *last = smtp_session_last_command(g->s);
	char word[16];
	size_t i;

	if (g->stdio)
		return;
	if (smtp_session_timed_out(g->s) && lost == 1 && log_level(g) > 1) {
		const char *name = macro_get(g->conn, macro_id("{client_name}"));

		mlog(LOG_NOTICE, glue_sid(g),
		     "timeout waiting for input from %s during server cmd read",
		     name != NULL ? name : "localhost");
	}
	if (lost == 1 && g->e != NULL && log_level(g) > 1) {
		for (i = 0; last != NULL && last[i] != '\0' && i + 1 < sizeof(word); i++)
			word[i] = (char)tolower((unsigned char)last[i]);
		word[i] = '\0';
		mlog(LOG_NOTICE, glue_sid(g), "lost input channel from %s to %s after %s",
		     client(g), daemon_name(g), i > 0 ? word : "startup");
	}
	if (!g->used && !g->greet_421 && log_level(g) > 5)
		mlog(LOG_INFO, glue_sid(g),
		     "%s did not issue MAIL/EXPN/VRFY/ETRN during connection to %s", client(g),
		     daemon_name(g));
}
