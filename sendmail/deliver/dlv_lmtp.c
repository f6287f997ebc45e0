/*
 * deliver/dlv_lmtp: the LMTP client (RFC 2033) for F=z mailers that
 * speak the protocol on their pipe (no $u in A=), mail.local -l above all.
 *
 * Internal (dlv_int.h): dlv_lmtp.
 *
 * Dialogue: greeting, LHLO $j, MAIL From:<$g>, one RCPT To:<$u> per
 * recipient, DATA, the message (dlv_msg_write with dot-stuffing and CRLF),
 * ".", then one reply per accepted recipient, QUIT.  Each reply decides
 * its recipient: 2xx delivered, 4xx stays queued, 5xx fails.  If the
 * mailer dies or closes before a recipient's final reply, that recipient
 * stays queued (it may have been delivered: at least once, never lost);
 * a message cut short in DATA is thrown away by the server, which never
 * saw the final ".", so no partial message is ever delivered.
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

#define LMTP_MAX_LINE 4096
#define LMTP_MAX_LINES 100 /* lines of one multi-line reply */

struct lmtp {
	struct dlv_job *j;
	FILE *in;
	FILE *out;
	struct sm_buf last; /* the last line of the newest reply */
};

/* Read one reply; its code, or 0 when the server is gone. */
static int reply(struct lmtp *c)
{
	int trunc = 0;

	for (int i = 0; i < LMTP_MAX_LINES; i++) {
		if (sm_getline(c->in, &c->last, LMTP_MAX_LINE, &trunc) != 1)
			return 0;
		if (c->last.len > 0 && c->last.data[c->last.len - 1] == '\r')
			sm_buf_truncate(&c->last, c->last.len - 1);
		dlv_verbose(c->j, "%s", sm_buf_str(&c->last));
		if (c->last.len < 3)
			return 0;
		if (c->last.len == 3 || c->last.data[3] != '-')
			return atoi(c->last.data);
	}
	return 0;
}

static int command(struct lmtp *c, const char *fmt, const char *arg)
{
	fprintf(c->out, fmt, arg);
	fputs("\r\n", c->out);
	if (fflush(c->out) != 0)
		return 0;
	if (c->j->run->verbose) {
		fputs(">>> ", c->j->run->vout ? c->j->run->vout : stdout);
		fprintf(c->j->run->vout ? c->j->run->vout : stdout, fmt, arg);
		fputc('\n', c->j->run->vout ? c->j->run->vout : stdout);
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

/* The envelope; returns how many recipients were accepted (in ok[]). */
static size_t envelope(struct lmtp *c, const struct mailer *m, struct dlv_rcpt **list, size_t n,
		       struct dlv_rcpt **ok)
{
	const char *host = macro_get(c->j->mac, macro_id("j"));
	size_t nok = 0;
	int code = reply(c);

	if (code / 100 != 2)
		goto all_fail;
	code = command(c, "LHLO %s", host ? host : "localhost");
	if (code / 100 != 2)
		goto all_fail;
	code = command(c, "MAIL From:<%s>", dlv_sender_for(c->j, m));
	if (code / 100 != 2)
		goto all_fail;
	for (size_t i = 0; i < n; i++) {
		code = command(c, "RCPT To:<%s>", list[i]->user);
		if (code / 100 == 2)
			ok[nok++] = list[i];
		else
			take_reply(c, list[i], code);
	}
	return nok;
all_fail:
	for (size_t i = 0; i < n; i++)
		take_reply(c, list[i], code == 0 ? 0 : code);
	return 0;
}

/* DATA, the message, ".", one reply per accepted recipient. */
static void data(struct lmtp *c, const struct mailer *m, struct dlv_rcpt **ok, size_t nok)
{
	int code = command(c, "%s", "DATA");

	if (code != 354) {
		for (size_t i = 0; i < nok; i++)
			take_reply(c, ok[i], code);
		return;
	}
	if (dlv_msg_write(c->j, m, ok[0], c->out, true) < 0 || fputs(".\r\n", c->out) < 0 ||
	    fflush(c->out) != 0) {
		for (size_t i = 0; i < nok; i++)
			take_reply(c, ok[i], 0);
		return;
	}
	for (size_t i = 0; i < nok; i++)
		take_reply(c, ok[i], reply(c));
}

void dlv_lmtp(struct dlv_job *j, const struct mailer *m, struct dlv_proc *p,
	      struct dlv_rcpt **list, size_t n)
{
	struct lmtp c = {j, fdopen(p->from, "r"), fdopen(p->to, "w"), SM_BUF_INIT};
	struct dlv_rcpt **ok = sm_arena_array(j->a, n + 1, sizeof(*ok));
	size_t nok;

	if (c.in == NULL || c.out == NULL) {
		for (size_t i = 0; i < n; i++)
			dlv_set_result(j, list[i], EX_OSERR, NULL, NULL, NULL);
		if (c.in != NULL)
			fclose(c.in);
		if (c.out != NULL)
			fclose(c.out);
		p->from = p->to = -1;
		(void)dlv_exec_wait(p, NULL);
		return;
	}
	nok = envelope(&c, m, list, n, ok);
	if (nok > 0)
		data(&c, m, ok, nok);
	fputs("QUIT\r\n", c.out);
	fclose(c.out);
	p->to = -1;
	(void)reply(&c);
	fclose(c.in);
	p->from = -1;
	(void)dlv_exec_wait(p, NULL);
	sm_buf_free(&c.last);
}
