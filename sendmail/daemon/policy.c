/*
 * daemon/policy.c: the SMTP core's policy hook, answered by the
 * configuration's rulesets as Sendmail's rscheck() does.
 *
 * glue_policy() is the hook: each check point runs its ruleset
 * (check_relay, srv_features, greet_pause, check_mail, check_rcpt,
 * check_data, check_eoh, check_eom, check_vrfy, check_expn, check_etrn)
 * with the session's macros, on the same input Sendmail gives it
 * ("${client_name} $| ${client_addr}" at connection time, the address as
 * written for MAIL and RCPT, "count $| bytes" at the end of the headers).
 * MAIL and RCPT first parse the address (policy_addr.c).
 *
 * The result of a ruleset is read as Sendmail reads it:
 *   $#error $@ x.y.z $: "550 text"   refuse: code from the text, enhanced
 *                                    code from $@ (or the text), text
 *   $#error $@ x.y.z $: text         (no code in the text) 553 5.3.0 text
 *   $#discard                        accept, then drop the message
 *   $#quarantine $: reason           accept, hold the message
 *   $#<anything else> / no $#        accept (also when a lookup on
 *                                    the way failed temporarily)
 * Texts name the address being checked ("<a@b>... Access denied") when
 * the code is 250, 252, 450, 550 or 553, as Sendmail's fmtmsg() does.
 * Refusals are logged at LogLevel > 3 in Sendmail's format
 * ("ruleset=check_mail, arg1=<a@b>, relay=..., reject=550 ...").
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

void glue_refuse(struct glue *g, struct smtp_decision *out, int code, const char *dsn,
                 const char *fmt, ...)
{
	va_list ap;
	struct sm_buf b = SM_BUF_INIT;

	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	out->verdict = SMTP_REPLY;
	out->code = code;
	out->dsn = dsn != NULL ? sm_arena_strdup(g->arena, dsn) : NULL;
	out->text = sm_arena_strdup(g->arena, sm_buf_str(&b));
	sm_buf_free(&b);
}

/* Join tokens [from, to) as Sendmail's cataddr with blanks between atoms. */
static char *join(struct glue *g, const struct tokvec *tv, size_t from, size_t to, int sub)
{
	return pa_cataddr_str(g->cf, g->arena, tv->v + from, from < to ? to - from : 0, sub);
}

/* Length of an enhanced status code "d.d{1,3}.d{1,3}" at s, 0 if none. */
static size_t enh_code_len(const char *s)
{
	size_t i = 0;

	if ((s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
		return 0;
	for (int part = 0, i2 = 2; part < 2; part++) {
		size_t digits = 0;

		while (s[i2] >= '0' && s[i2] <= '9' && digits < 3)
			i2++, digits++;
		if (digits == 0)
			return 0;
		if (part == 0 && s[i2++] != '.')
			return 0;
		i = (size_t)i2;
	}
	return (s[i] == ' ' || s[i] == '\0') ? i : 0;
}

void glue_error_reply(struct glue *g, const char *host, const char *utext, const char *to,
                      struct smtp_decision *out)
{
	char *text = sm_arena_strdup(g->arena, utext != NULL ? utext : ""), *dsn = NULL;
	int code = 0;

	pa_stripquotes(text);
	if (host != NULL && strchr(host, '.') != NULL)
		dsn = sm_arena_strdup(g->arena, host);
	if (text[0] >= '2' && text[0] <= '5' && strlen(text) >= 3 && text[1] >= '0' &&
	    text[1] <= '9' && text[2] >= '0' && text[2] <= '9' && (text[3] == ' ' || !text[3])) {
		size_t n;

		code = atoi(text);
		text += text[3] == ' ' ? 4 : 3;
		n = enh_code_len(text);
		if (n > 0) {
			dsn = sm_arena_memdup(g->arena, text, n);
			text += n + (text[n] == ' ');
		}
	}
	if (code == 0) { /* no reply code in the text: the reference says 553 5.3.0 */
		code = 553;
		dsn = "5.3.0";
	}
	/* as Sendmail's fmtmsg(): only these codes name the address */
	if (to != NULL && (code == 250 || code == 252 || code == 450 || code == 550 || code == 553))
		glue_refuse(g, out, code, dsn, "%s... %s", to, text);
	else
		glue_refuse(g, out, code, dsn, "%s", text);
}

/* $#error ...: the refusal (code, enhanced code, text). */
static void error_decision(struct glue *g, const struct tokvec *tv, const char *to,
                           struct smtp_decision *out)
{
	size_t i = 2, hstart;
	char *host = NULL;

	if (i < tv->n && tv->v[i].kind == TK_HOST) {
		hstart = ++i;
		while (i < tv->n && tv->v[i].kind != TK_USER)
			i++;
		host = join(g, tv, hstart, i, '\0');
	}
	while (i < tv->n && tv->v[i].kind != TK_USER)
		i++;
	glue_error_reply(g, host, join(g, tv, i < tv->n ? i + 1 : tv->n, tv->n, ' '), to, out);
}

/* Read the rewritten vector as a decision. */
static void read_result(struct glue *g, const struct tokvec *tv, const char *to,
                        struct smtp_decision *out)
{
	const char *mailer;

	if (tv->n < 2 || tv->v[0].kind != TK_NET || tv->v[1].kind != TK_WORD)
		return;
	mailer = tv->v[1].s;
	out->value = join(g, tv, 1, tv->n, ' ');
	if (strcasecmp(mailer, "error") == 0) {
		error_decision(g, tv, to, out);
	} else if (strcasecmp(mailer, "discard") == 0) {
		out->verdict = SMTP_DISCARD;
	} else if (strcasecmp(mailer, "quarantine") == 0) {
		size_t i = 2;

		while (i < tv->n && tv->v[i].kind != TK_USER)
			i++;
		out->verdict = SMTP_QUARANTINE;
		out->value = join(g, tv, i < tv->n ? i + 1 : 2, tv->n, ' ');
		pa_stripquotes((char *)out->value);
	}
}

/* The refusal log line ("ruleset=..., arg1=..., relay=..., reject=..."). */
static void log_reject(struct glue *g, const char *name, const char *arg1, const char *arg2,
                       const struct smtp_decision *d)
{
	const char *relay = macro_get(g->conn, macro_id("_"));
	const char *id = g->e != NULL && g->e->id[0] != '\0' ? g->e->id
	                 : g->e != NULL                      ? glue_sid(g)
	                                                     : "NOQUEUE";
	struct sm_buf b = SM_BUF_INIT;

	if (opt_num(g->cf->opt, OPT_LOG_LEVEL) <= 3)
		return;
	if (strcmp(name, "check_relay") == 0)
		id = NULL; /* Sendmail: no id, and both arguments */
	sm_buf_printf(&b, "ruleset=%s, arg1=%s, ", name, arg1);
	if (arg2 != NULL)
		sm_buf_printf(&b, "arg2=%s, ", arg2);
	sm_buf_printf(&b, "relay=%s, ", relay != NULL ? relay : "");
	if (d->verdict == SMTP_REPLY && d->dsn != NULL)
		sm_buf_printf(&b, "reject=%d %s %s", d->code, d->dsn,
		              d->text != NULL ? d->text : "");
	else if (d->verdict == SMTP_REPLY) /* the enhanced code the reply will carry */
		sm_buf_printf(&b, "reject=%d %d.0.0 %s", d->code, d->code / 100,
		              d->text != NULL ? d->text : "");
	else if (d->verdict == SMTP_DISCARD)
		sm_buf_puts(&b, "discard");
	else
		sm_buf_printf(&b, "quarantine=%s", d->value);
	mlog(LOG_NOTICE, id, "%s", sm_buf_str(&b));
	sm_buf_free(&b);
}

void glue_rscheck(struct glue *g, const char *name, const char *arg1, const char *arg2,
                  const char *to, struct smtp_decision *out)
{
	int rs = config_ruleset_number(g->cf, name, false);
	struct sm_arena *a;
	struct tokvec tv;
	struct rw_ctx rw;

	if (rs < 0 || config_ruleset(g->cf, rs) == NULL)
		return;
	a = sm_arena_new();
	if (!pa_check_input(g->cf, a, arg1, arg2 != NULL || to != NULL, arg2, &tv))
		goto done;
	memset(&rw, 0, sizeof(rw));
	rw.cf = g->cf;
	rw.macros = g->e != NULL ? g->e->macros : smtp_session_macros(g->s);
	rw.arena = a;
	rw.errout = g->msgout != NULL ? g->msgout : stderr;
	/*
	 * A lookup that failed temporarily (a $[ $] host lookup without DNS,
	 * rewrite() == EX_TEMPFAIL) does not refuse by itself: the result is
	 * read as it came out, as the reference does (check_rcpt "RELAY" with
	 * status 75 is accepted).  Maps declared -T<TMPF> turn their
	 * failures into "451 4.3.0 Temporary system failure" in the rules.
	 */
	(void)rewrite(&rw, rs, 0, &tv);
	read_result(g, &tv, to, out);
	if (out->value != NULL && out->verdict != SMTP_QUARANTINE)
		out->value = sm_arena_strdup(g->arena, out->value);
	if (out->verdict != SMTP_ACCEPT)
		log_reject(g, name, arg1, strcmp(name, "check_relay") == 0 ? arg2 : NULL, out);
done:
	sm_arena_free(a);
}

/* srv_features / greet_pause: the value after $#, if any. */
static void value_check(struct glue *g, const char *name, const char *arg,
                        struct smtp_decision *out)
{
	const char *bar = strstr(arg, " $| ");
	char *a1 = sm_arena_memdup(g->arena, arg, bar != NULL ? (size_t)(bar - arg) : strlen(arg));

	glue_rscheck(g, name, a1, bar != NULL ? bar + 4 : NULL, NULL, out);
	if (out->verdict == SMTP_ACCEPT && out->value == NULL)
		return;
	if (out->verdict == SMTP_REPLY && strcmp(name, "srv_features") != 0)
		out->verdict = SMTP_ACCEPT;
}

/* Connection time: check_relay (not for -bs, which has no client address). */
static void relay_check(struct glue *g, const char *arg, struct smtp_decision *out)
{
	const char *bar = strstr(arg, " $| ");

	if (g->stdio || bar == NULL)
		return;
	glue_rscheck(g, "check_relay", sm_arena_memdup(g->arena, arg, (size_t)(bar - arg)), bar + 4,
	             NULL, out);
	/* Connect: DISCARD: the session goes on, every message of it is dropped */
	if (out->verdict == SMTP_DISCARD)
		g->conn_discard = g->discard = true;
	if (out->verdict != SMTP_REPLY)
		out->verdict = SMTP_ACCEPT;
	g->greet_421 = out->verdict == SMTP_REPLY && out->code == 421;
}

/* check_eoh: "count $| bytes". */
static void split_check(struct glue *g, const char *name, const char *arg,
                        struct smtp_decision *out)
{
	const char *bar = strstr(arg, " $| ");

	if (bar == NULL)
		glue_rscheck(g, name, arg, NULL, NULL, out);
	else
		glue_rscheck(g, name, sm_arena_memdup(g->arena, arg, (size_t)(bar - arg)), bar + 4,
		             NULL, out);
}

void glue_policy(void *ctx, enum smtp_check which, const char *arg, struct macros *m,
                 struct smtp_decision *out)
{
	struct glue *g = ctx;

	switch (which) {
	case SMTP_CHECK_RELAY:
		relay_check(g, arg, out);
		break;
	case SMTP_CHECK_SRV_FEATURES:
	case SMTP_CHECK_GREET_PAUSE:
		if (g->stdio && which == SMTP_CHECK_GREET_PAUSE)
			break;
		value_check(g, smtp_check_name(which), arg, out);
		if (which == SMTP_CHECK_GREET_PAUSE && g->dp != NULL && dport_has(g->dp, 's'))
			out->value = NULL;
		break;
	case SMTP_CHECK_SENDER:
		glue_sender(g, arg, out);
		break;
	case SMTP_CHECK_MAIL:
		glue_mail(g, arg, out);
		break;
	case SMTP_CHECK_RCPT:
		glue_rcpt(g, arg, out);
		break;
	case SMTP_CHECK_EOH:
		split_check(g, "check_eoh", arg, out);
		break;
	case SMTP_CHECK_ETRN:
		if (g->dp != NULL && dport_has(g->dp, 'E')) {
			glue_refuse(g, out, 502, "5.7.0", "Sorry, we do not allow this operation");
			break;
		}
		glue_rscheck(g, smtp_check_name(which), arg, NULL, NULL, out);
		break;
	default:
		glue_rscheck(g, smtp_check_name(which), arg, NULL, NULL, out);
		break;
	}
	(void)m;
}
