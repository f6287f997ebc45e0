/*
 * smtp/server_cmd.c: the commands that do not touch the envelope:
 * HELO/EHLO (with the keyword list), RSET, NOOP, QUIT, VRFY/EXPN (as
 * PrivacyOptions and srv_features allow), VERB and ETRN.
 *
 * Called only from the dispatcher in server.c; the texts are Sendmail
 * 8.17's.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <syslog.h>

#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/smtp/server_int.h"

/*
 * Sendmail's answer to command flooding: past a command's limit each
 * further one is answered after a delay doubling from 1 s up to 4 min
 * (the caller sleeps, see smtp_session_delay()).
 */
static void slow_down(struct smtp_session *s, int *count, int limit)
{
	long d = 1000;
	int i;

	if (limit <= 0 || ++*count <= limit)
		return;
	for (i = limit; i < *count - 1 && d < 240000; i++)
		d *= 2;
	s->delay_ms = d < 240000 ? d : 240000;
}

/* How the log names the client: $_ ("host [addr]"). */
static const char *client_name(struct smtp_session *s)
{
	const char *c = macro_get(s->mac, macro_id("_"));

	return c != NULL ? c : "";
}

/* Sendmail's HELO argument check: a domain, an address literal, trailing blanks allowed. */
static bool helo_arg_ok(const char *p)
{
	for (; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c >= 0x80)
			return false;
		if (isalnum(c) || strchr("[].-_#:", c) != NULL)
			continue;
		if (c == ' ' || c == '\t') {
			while (*p == ' ' || *p == '\t')
				p++;
			return *p == '\0';
		}
		return false;
	}
	return true;
}

/* The EHLO keywords in Sendmail's order. */
static void ehlo_keywords(struct smtp_session *s)
{
	struct sm_buf kw = SM_BUF_INIT;
	unsigned priv = s->o.privacy, f = s->features;
	const char *p, *nl;

	sm_buf_puts(&kw, "ENHANCEDSTATUSCODES\n");
	if (!s->nullserver) {
		if (!(f & SMTP_F_NO_PIPELINING))
			sm_buf_puts(&kw, "PIPELINING\n");
		if (!(priv & SMTP_PRIV_NOEXPN) && !(f & SMTP_F_NO_EXPN))
			sm_buf_puts(&kw, "EXPN\n");
		if (!(priv & (SMTP_PRIV_NOVERB | SMTP_PRIV_NOEXPN)) && !(f & SMTP_F_NO_VERB))
			sm_buf_puts(&kw, "VERB\n");
		sm_buf_puts(&kw, "8BITMIME\n");
		if (s->o.max_message_size > 0)
			sm_buf_printf(&kw, "SIZE %ld\n", s->o.max_message_size);
		else
			sm_buf_puts(&kw, "SIZE\n");
		if (s->o.send_mime_errors && !(f & SMTP_F_NO_DSN))
			sm_buf_puts(&kw, "DSN\n");
		if (!(priv & SMTP_PRIV_NOETRN) && !(f & SMTP_F_NO_ETRN))
			sm_buf_puts(&kw, "ETRN\n");
		if (s->h.ehlo_extra != NULL) {
			size_t before = kw.len;

			s->h.ehlo_extra(s->h.ctx, &kw);
			if (kw.len > before && kw.data[kw.len - 1] != '\n')
				sm_buf_putc(&kw, '\n');
		}
		if (s->o.deliver_by_min > 0)
			sm_buf_printf(&kw, "DELIVERBY %ld\n", s->o.deliver_by_min);
		else if (s->o.deliver_by_min == 0)
			sm_buf_puts(&kw, "DELIVERBY\n");
		sm_buf_puts(&kw, "HELP\n");
	}
	for (p = sm_buf_str(&kw); (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		smtp_reply(s, "250%c%.*s", nl[1] == '\0' ? ' ' : '-', (int)(nl - p), p);
	sm_buf_free(&kw);
}

static void helo(struct smtp_session *s, const char *arg, bool ehlo)
{
	const char *cmd = ehlo ? "EHLO" : "HELO";

	/* Sendmail takes the protocol before it looks at the argument */
	smtp_set_macro(s, "r", ehlo ? "ESMTP" : "SMTP");
	if (*arg == '\0') {
		smtp_reply(s, "501 5.0.0 %s requires domain address", cmd);
		return;
	}
	if (!helo_arg_ok(arg)) {
		smtp_reply(s, "501 5.0.0 Invalid domain name");
		return;
	}
	if (!s->nullserver && !(s->features & SMTP_F_PIPE_OK) && smtp_input_pending(s)) {
		/* 8.18.1: the client must wait for this reply before sending more. */
		smtp_reply(s, "554 5.5.0 SMTP protocol error");
		s->nullserver = true;
		return;
	}
	slow_down(s, &s->n_helo, SMTP_MAXHELOCOMMANDS);
	if (s->n_helo == SMTP_MAXHELOCOMMANDS)
		smtp_log(s, LOG_INFO, 5, "%s: possible SMTP attack: command=HELO/EHLO, count=%d",
		         client_name(s), s->n_helo);
	smtp_txn_reset(s);
	s->helo_seen = true;
	s->esmtp = ehlo;
	smtp_set_macro(s, "s", arg);
	smtp_reply(s, "250%c%s Hello %s, pleased to meet you", ehlo ? '-' : ' ', s->o.hostname,
	           s->client_label);
	if (ehlo)
		ehlo_keywords(s);
}

void smtp_cmd_helo(struct smtp_session *s, const char *arg)
{
	helo(s, arg, false);
}

void smtp_cmd_ehlo(struct smtp_session *s, const char *arg)
{
	helo(s, arg, true);
}

void smtp_cmd_rset(struct smtp_session *s, const char *arg)
{
	(void)arg;
	smtp_txn_reset(s);
	smtp_reply(s, "250 2.0.0 Reset state");
}

void smtp_cmd_noop(struct smtp_session *s, const char *arg)
{
	(void)arg;
	slow_down(s, &s->n_noop, s->o.max_noop);
	smtp_reply(s, "250 2.0.0 OK");
}

void smtp_cmd_quit(struct smtp_session *s, const char *arg)
{
	(void)arg;
	smtp_reply(s, "221 2.0.0 %s closing connection", s->o.hostname);
	smtp_close(s);
}

/* Whether PrivacyOptions/srv_features let VRFY (or EXPN) answer; replies if not. */
static bool vrfy_allowed(struct smtp_session *s, bool expn)
{
	if (!expn && (s->o.privacy & SMTP_PRIV_NOVRFY)) {
		smtp_reply(
		    s, "252 2.5.2 Cannot VRFY user; try RCPT to attempt delivery (or try finger)");
		return false;
	}
	if (expn && ((s->o.privacy & SMTP_PRIV_NOEXPN) || (s->features & SMTP_F_NO_EXPN))) {
		smtp_reply(s, "502 5.7.0 Sorry, we do not allow this operation");
		return false;
	}
	if (!s->helo_seen &&
	    (s->o.privacy & (expn ? SMTP_PRIV_NEEDEXPNHELO : SMTP_PRIV_NEEDVRFYHELO))) {
		smtp_reply(s, "503 5.0.0 I demand that you introduce yourself first");
		return false;
	}
	return true;
}

static void vrfy(struct smtp_session *s, const char *arg, bool expn)
{
	struct smtp_decision d;

	slow_down(s, &s->n_vrfy, SMTP_MAXVRFYCOMMANDS);
	if (!vrfy_allowed(s, expn))
		return;
	if (*arg == '\0') {
		smtp_reply(s, "501 5.5.2 Argument required");
		return;
	}
	if (smtp_policy(s, expn ? SMTP_CHECK_EXPN : SMTP_CHECK_VRFY, arg, &d) == SMTP_REPLY) {
		smtp_reply_decision(s, &d);
		return;
	}
	if (s->h.vrfy == NULL) {
		smtp_reply(
		    s, "252 2.5.2 Cannot VRFY user; try RCPT to attempt delivery (or try finger)");
		return;
	}
	sm_buf_reset(&s->scratch);
	s->h.vrfy(s->h.ctx, arg, expn, &s->scratch);
	if (s->scratch.len == 0)
		smtp_reply(s, "550 5.1.1 %s... User unknown", arg);
	else if (s->state != SS_CLOSED)
		sm_buf_append(&s->out, s->scratch.data, s->scratch.len);
}

void smtp_cmd_vrfy(struct smtp_session *s, const char *arg)
{
	vrfy(s, arg, false);
}

void smtp_cmd_expn(struct smtp_session *s, const char *arg)
{
	vrfy(s, arg, true);
}

void smtp_cmd_verb(struct smtp_session *s, const char *arg)
{
	(void)arg;
	if ((s->o.privacy & (SMTP_PRIV_NOVERB | SMTP_PRIV_NOEXPN)) ||
	    (s->features & SMTP_F_NO_VERB))
		smtp_reply(s, "502 5.7.0 Verbose unavailable");
	else
		smtp_reply(s, "250 2.0.0 Verbose mode");
}

void smtp_cmd_etrn(struct smtp_session *s, const char *arg)
{
	struct smtp_decision d;

	slow_down(s, &s->n_etrn, SMTP_MAXETRNCOMMANDS);
	if ((s->o.privacy & SMTP_PRIV_NOETRN) || (s->features & SMTP_F_NO_ETRN)) {
		smtp_reply(s, "502 5.7.0 Sorry, we do not allow this operation");
		return;
	}
	if (*arg == '\0') {
		smtp_reply(s, "500 5.5.2 Parameter required");
		return;
	}
	if (smtp_policy(s, SMTP_CHECK_ETRN, arg, &d) == SMTP_REPLY) {
		smtp_reply_decision(s, &d);
		return;
	}
	if (arg[0] == '#') {
		if (s->h.etrn == NULL || !s->h.etrn(s->h.ctx, arg))
			smtp_reply(s, "459 4.5.4 Queue %s unknown", arg + 1);
		else
			smtp_reply(s, "250 2.0.0 Queuing for queue group %s started", arg + 1);
		return;
	}
	if (s->h.etrn != NULL)
		(void)s->h.etrn(s->h.ctx, arg);
	smtp_reply(s, "250 2.0.0 Queuing for node %s started", arg);
}
