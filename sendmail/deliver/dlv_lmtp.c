/*
 * deliver/dlv_lmtp: the LMTP client (RFC 2033) for F=z mailers that
 * speak the protocol on their pipe (no $u in A=), mail.local -l above all.
 *
 * Internal (dlv_int.h): dlv_lmtp_deliver, dlv_lmtp_close.
 *
 * Session: the mailer is started, its greeting read, LHLO $j sent; then
 * one transaction per group of recipients: MAIL From:<$g>, one
 * RCPT To:<$u> each, DATA, the message (dlv_msg_write with dot-stuffing
 * and CRLF), ".", one reply per accepted recipient.  Each reply decides
 * its recipient: 2xx delivered, 4xx stays queued, 5xx fails.
 *
 * Sendmail 8.17 starts the local mailer afresh for every delivery.  We
 * keep the session open across the jobs of a queue run (one process,
 * one LHLO, many transactions) as long as the same mailer is wanted with
 * the same argv and ids; dlv_lmtp_close() ends it with QUIT at the end
 * of the run.  A session found dead when a transaction starts is
 * restarted once.  Crash safety is unchanged: the server stores a
 * message only after the final "." and replies after its fsync; if we
 * die before reading that reply the recipient stays queued (delivered at
 * least once, never lost), and if we die inside DATA the server sees end
 * of input without the final "." and throws the message away, so no
 * partial message is ever delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_file.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/deliver/dlv_int.h"

#define LMTP_MAX_LINE         4096
#define LMTP_MAX_LINES        100   /* lines of one multi-line reply */
#define LMTP_MAX_TRANSACTIONS 10000 /* then a fresh session */

/* The open session (one per process). */
struct lmtp_session {
	bool open;
	const struct mailer *m;
	struct sm_buf key; /* argv and ids it was started with */
	struct dlv_proc p;
	FILE *in;
	FILE *out;
	int transactions;
};

static struct lmtp_session sess = {false, NULL, SM_BUF_INIT, {0, -1, -1, NULL}, NULL, NULL, 0};

/* One transaction's view: the job, the session, the newest reply line. */
struct lmtp {
	struct dlv_job *j;
	struct lmtp_session *s;
	struct sm_buf last;
};

static FILE *vout(const struct dlv_job *j)
{
	return j->run->vout != NULL ? j->run->vout : stdout;
}

/* Read one reply; its code, or 0 when the server is gone. */
static int reply(struct lmtp *c)
{
	int trunc = 0;

	for (int i = 0; i < LMTP_MAX_LINES; i++) {
		if (sm_getline(c->s->in, &c->last, LMTP_MAX_LINE, &trunc) != 1)
			return 0;
		if (c->last.len > 0 && c->last.data[c->last.len - 1] == '\r')
			sm_buf_truncate(&c->last, c->last.len - 1);
		dlv_verbose(c->j, "%s", sm_buf_str(&c->last));
		dlv_traffic_line("<<<", sm_buf_str(&c->last));
		if (c->last.len < 3)
			return 0;
		if (c->last.len == 3 || c->last.data[3] != '-')
			return atoi(c->last.data);
	}
	return 0;
}

static int command(struct lmtp *c, const char *fmt, const char *arg)
{
	fprintf(c->s->out, fmt, arg);
	fputs("\r\n", c->s->out);
	if (fflush(c->s->out) != 0)
		return 0;
	if (c->j->run->verbose || dlv_traffic_on()) {
		struct sm_buf line = SM_BUF_INIT;

		sm_buf_printf(&line, fmt, arg);
		if (c->j->run->verbose)
			fprintf(vout(c->j), ">>> %s\n", sm_buf_str(&line));
		dlv_traffic_line(">>>", sm_buf_str(&line));
		sm_buf_free(&line);
	}
	return reply(c);
}

/* The enhanced status in a reply line ("550 5.1.1 text" -> "5.1.1"). */
static const char *reply_dsn(struct lmtp *c, int code)
{
	const char *p = sm_buf_str(&c->last) + 4;
	size_t n = strspn(p, "0123456789.");

	if (c->last.len > 4 && n >= 5 && p[0] == '0' + code / 100 && p[1] == '.')
		return sm_arena_memdup(c->j->a, p, n);
	return code / 100 == 2 ? "2.0.0" : code / 100 == 4 ? "4.0.0" : "5.0.0";
}

/* Record the newest reply as r's outcome. */
static void take_reply(struct lmtp *c, struct dlv_rcpt *r, int code)
{
	struct dlv_job *j = c->j;
	const char *text = sm_arena_strdup(j->a, sm_buf_str(&c->last));
	const char *dsn;

	if (code == 0) {
		dlv_set_result(j, r, EX_TEMPFAIL, "4.4.2",
		               "Deferred: local mailer closed the connection", NULL);
		return;
	}
	dsn = reply_dsn(c, code);
	if (code / 100 == 2)
		dlv_set_result(j, r, EX_OK, dsn, "Sent", NULL);
	else if (code / 100 == 4)
		dlv_set_result(j, r, EX_TEMPFAIL, dsn, sm_arena_printf(j->a, "Deferred: %s", text),
		               text);
	else {
		const char *s = strchr(text + 4, ' ');
		const char *why = s != NULL && strchr(text + 4, '.') < s ? s + 1 : text + 4;

		dlv_set_result(j, r, pa_dsn_exitstat(dsn), dsn, why, text);
	}
}

static void all_fail(struct lmtp *c, struct dlv_rcpt **list, size_t n, int code)
{
	for (size_t i = 0; i < n; i++)
		take_reply(c, list[i], code);
}

/* The job whose final replies are still to be read (one at most). */
struct parked {
	struct dlv_job *j;
	const struct mailer *m;
	struct dlv_rcpt **ok;
	size_t nok;
};

static struct parked parked;

/* Read the parked job's replies (alive) or give up on them; the job, to
 * be resumed by the caller (NULL: none was parked).  unpark() does both. */
static struct dlv_job *collect_parked(bool alive)
{
	struct parked p = parked;
	struct lmtp c = {p.j, &sess, SM_BUF_INIT};

	if (p.j == NULL)
		return NULL;
	parked.j = NULL;
	for (size_t i = 0; i < p.nok; i++) {
		int code = alive ? reply(&c) : 0;

		take_reply(&c, p.ok[i], code);
		alive = alive && code != 0;
	}
	sm_buf_free(&c.last);
	return p.j;
}

static void unpark(bool alive)
{
	struct dlv_job *j = collect_parked(alive);

	if (j != NULL)
		dlv_job_resume(j);
}

/* End the session: the parked job first, QUIT (unless it is known
 * dead), close, reap. */
static void session_end(struct lmtp_session *s, bool quit)
{
	unpark(quit && s->open);
	if (!s->open)
		return;
	if (quit && s->out != NULL) {
		fputs("QUIT\r\n", s->out);
		(void)fflush(s->out);
		dlv_traffic_line(">>>", "QUIT");
	}
	if (s->out != NULL)
		fclose(s->out);
	if (s->in != NULL)
		fclose(s->in);
	s->p.to = s->p.from = -1;
	(void)dlv_exec_wait(&s->p, NULL);
	s->in = s->out = NULL;
	s->open = false;
	s->m = NULL;
	sm_buf_reset(&s->key);
}

void dlv_lmtp_close(void)
{
	session_end(&sess, true);
}

/* What a session must have been started with to be reused. */
static void session_key(const struct mailer *m, char **argv, const struct dlv_rcpt *ctl,
                        struct sm_buf *key)
{
	sm_buf_printf(key, "%s|%ld|%ld", m->name, mailer_flag(m, 'S') ? -1L : ctl->uid,
	              mailer_flag(m, 'S') ? -1L : ctl->gid);
	for (char **a = argv; *a != NULL; a++)
		sm_buf_printf(key, "|%s", *a);
}

/* Start the mailer, read its greeting, say LHLO.  0 or the failing code
 * (the reply is in c->last; -1: the mailer could not be started). */
static int session_start(struct lmtp *c, const struct mailer *m, char **argv, struct dlv_rcpt *ctl,
                         const char **stat)
{
	struct lmtp_session *s = c->s;
	const char *host = macro_get(c->j->mac, macro_id("j"));
	int code;

	if (dlv_exec_start(c->j, m, argv, ctl, &s->p, stat) != EX_OK)
		return -1;
	s->p.what = NULL; /* it lived in the job's arena */
	s->in = fdopen(s->p.from, "r");
	s->out = fdopen(s->p.to, "w");
	s->open = true;
	s->m = m;
	s->transactions = 0;
	if (s->in == NULL || s->out == NULL) {
		*stat = "Deferred: cannot talk to the local mailer";
		session_end(s, false);
		return -1;
	}
	code = reply(c);
	if (code / 100 == 2)
		code = command(c, "LHLO %s", host != NULL ? host : "localhost");
	if (code / 100 != 2) {
		session_end(s, false);
		if (code != 0)
			return code;
		*stat =
		    sm_arena_printf(c->j->a, "Deferred: %s mailer (%s) exited without a greeting",
		                    m->name, m->path);
		return -1;
	}
	return 0;
}

/* MAIL, RCPTs and DATA in one write (PIPELINING, RFC 2920).  false when
 * the session is gone before anything was said. */
static bool send_envelope(struct lmtp *c, const struct mailer *m, struct dlv_rcpt **list, size_t n)
{
	FILE *out = c->s->out;

	fprintf(out, "MAIL From:<%s>\r\n", dlv_sender_for(c->j, m));
	for (size_t i = 0; i < n; i++)
		fprintf(out, "RCPT To:<%s>\r\n", list[i]->user);
	fputs("DATA\r\n", out);
	if (dlv_traffic_on()) {
		dlv_traffic_line(">>>", sm_arena_printf(c->j->a, "MAIL From:<%s>",
		                                    dlv_sender_for(c->j, m)));
		for (size_t i = 0; i < n; i++)
			dlv_traffic_line(">>>", sm_arena_printf(c->j->a, "RCPT To:<%s>", list[i]->user));
		dlv_traffic_line(">>>", "DATA");
	}
	if (c->j->run->verbose) {
		fprintf(vout(c->j), ">>> MAIL From:<%s>\n", dlv_sender_for(c->j, m));
		for (size_t i = 0; i < n; i++)
			fprintf(vout(c->j), ">>> RCPT To:<%s>\n", list[i]->user);
		fputs(">>> DATA\n", vout(c->j));
	}
	return fflush(out) == 0;
}

/* The replies to MAIL, RCPTs and DATA; the accepted recipients in ok[].
 * Returns the DATA reply code, 0 when the session died on the way (the
 * recipients are then decided), -1 when it was dead from the start. */
static int read_envelope(struct lmtp *c, struct dlv_rcpt **list, size_t n, struct dlv_rcpt **ok,
                         size_t *nok)
{
	int mail = reply(c);

	*nok = 0;
	if (mail == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int code = reply(c);

		if (code == 0) {
			all_fail(c, list + i, n - i, 0);
			all_fail(c, ok, *nok, 0);
			*nok = 0;
			return 0;
		}
		if (mail / 100 == 2 && code / 100 == 2)
			ok[(*nok)++] = list[i];
		else
			take_reply(c, list[i], mail / 100 == 2 ? code : mail);
	}
	return reply(c);
}

/* The message and the final "."; false if the session broke. */
static bool send_message(struct lmtp *c, const struct mailer *m, struct dlv_rcpt *first)
{
	if (dlv_traffic_msg_write(c->j, m, first, c->s->out, true) != 0)
		return false;
	dlv_traffic_line(">>>", ".");
	return fputs(".\r\n", c->s->out) >= 0 && fflush(c->s->out) == 0;
}

/* After the replies to the envelope: the message, and its replies now or
 * (may_park) when the session is next used. */
static void finish(struct lmtp *c, const struct mailer *m, struct dlv_rcpt **list,
                   struct dlv_rcpt **ok, size_t nok, int code, bool may_park, bool *was_parked)
{
	c->s->transactions++;
	if (code == 354 && nok == 0) /* a server that should have said 503 */
		code = send_message(c, m, list[0]) ? reply(c) : 0;
	else if (code == 354) {
		if (!send_message(c, m, ok[0])) {
			all_fail(c, ok, nok, 0);
			session_end(c->s, false);
			return;
		}
		if (may_park && c->s->transactions < LMTP_MAX_TRANSACTIONS) {
			parked = (struct parked){c->j, m, ok, nok};
			*was_parked = true;
			return;
		}
		for (size_t i = 0; i < nok; i++) {
			code = reply(c);
			take_reply(c, ok[i], code);
		}
	} else {
		all_fail(c, ok, nok, code);
		if (code != 0)
			code = command(c, "%s", "RSET");
	}
	if (code == 0 || c->s->transactions >= LMTP_MAX_TRANSACTIONS)
		session_end(c->s, code != 0);
}

/*
 * One transaction on an open session; false when the session is dead and
 * nothing was decided (the caller may retry on a fresh one).  Order: our
 * envelope goes out, the parked message's replies come in (it was being
 * stored while we got ready), our envelope's replies, our message; only
 * then is the parked job finished (its queue files removed), while the
 * server stores ours.
 */
static bool transaction(struct lmtp *c, const struct mailer *m, struct dlv_rcpt **list, size_t n,
                        bool may_park, bool *was_parked)
{
	struct dlv_rcpt **ok = sm_arena_array(c->j->a, n + 1, sizeof(*ok));
	struct dlv_job *prev;
	size_t nok = 0;
	int code;

	*was_parked = false;
	if (!send_envelope(c, m, list, n)) {
		unpark(false);
		return false;
	}
	prev = collect_parked(true);
	code = read_envelope(c, list, n, ok, &nok);
	if (code >= 0)
		finish(c, m, list, ok, nok, code, may_park, was_parked);
	if (prev != NULL)
		dlv_job_resume(prev);
	return code >= 0;
}

bool dlv_lmtp_deliver(struct dlv_job *j, const struct mailer *m, char **argv,
                      struct dlv_rcpt **list, size_t n, bool may_park)
{
	struct lmtp c = {j, &sess, SM_BUF_INIT};
	struct sm_buf key = SM_BUF_INIT;
	const char *stat = NULL;
	bool was_parked = false;

	session_key(m, argv, list[0], &key);
	if (sess.open && (sess.m != m || strcmp(sm_buf_str(&sess.key), sm_buf_str(&key)) != 0))
		session_end(&sess, true);
	for (int attempt = 0; attempt < 2; attempt++) {
		bool fresh = !sess.open;

		if (fresh) {
			int code = session_start(&c, m, argv, list[0], &stat);

			if (code != 0) {
				if (code < 0)
					for (size_t i = 0; i < n; i++)
						dlv_set_result(j, list[i], EX_TEMPFAIL, NULL, stat,
						               NULL);
				else
					all_fail(&c, list, n, code);
				break;
			}
			sm_buf_reset(&sess.key);
			sm_buf_append(&sess.key, key.data, key.len);
		} else
			dlv_verbose(j, "Reusing the %s mailer session", m->name);
		if (transaction(&c, m, list, n, may_park, &was_parked))
			break;
		session_end(&sess, false); /* died between transactions */
		if (fresh) {
			all_fail(&c, list, n, 0);
			break;
		}
	}
	sm_buf_free(&key);
	sm_buf_free(&c.last);
	return was_parked;
}
