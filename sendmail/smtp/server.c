/*
 * smtp/server.c: the session's life cycle, input framing, command
 * dispatch and reply formatting (public API in smtp/server.h).
 *
 * Input is kept in s->in until a whole command line (up to LF) is there;
 * each command is executed before the next is looked at, so nothing is
 * read ahead of the command being run.  In DATA the bytes go to the body
 * reader (server_data.c) instead.  Replies accumulate in s->out until the
 * caller takes them.
 *
 * Limits: a command line longer than SMTP_MAXCMDLINE bytes closes the
 * connection with Sendmail's 421; SMTP_MAXBADCOMMANDS bad commands too.
 */
#include <ctype.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"
#include "sendmail/cf/config.h"
#include "sendmail/smtp/server_int.h"

enum cmd_code {
	C_MAIL,
	C_RCPT,
	C_DATA,
	C_RSET,
	C_VRFY,
	C_EXPN,
	C_HELP,
	C_NOOP,
	C_QUIT,
	C_HELO,
	C_EHLO,
	C_ETRN,
	C_VERB,
	C_AUTH,
	C_STARTTLS,
	C_UNIMPL,
	C_HTTP,
	C_UNKNOWN,
};

static const char *const check_names[SMTP_CHECK_COUNT] = {
    "check_relay", "srv_features", "greet_pause", "(sender)",   "check_mail", "check_rcpt",
    "check_data",  "check_eoh",    "check_eom",   "check_vrfy", "check_expn", "check_etrn",
};

const char *smtp_check_name(enum smtp_check which)
{
	return (unsigned)which < SMTP_CHECK_COUNT ? check_names[which] : "?";
}

void smtp_opts_default(struct smtp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->hostname = "localhost";
	o->version = "8.17.1.9";
	o->max_noop = 20;
	o->max_headers_length = 32768;
	o->send_mime_errors = true;
	o->deliver_by_min = 0;
}

/* The name replies give the client: "name [addr]", "[addr]", or the label. */
static const char *client_label(struct smtp_session *s)
{
	const struct smtp_opts *o = &s->o;

	if (o->client_label != NULL)
		return o->client_label;
	if (o->client_addr == NULL)
		return o->client_name != NULL ? o->client_name : "localhost";
	if (o->client_name == NULL || o->client_name[0] == '[')
		return sm_arena_printf(s->arena, "[%s]", o->client_addr);
	return sm_arena_printf(s->arena, "%s [%s]%s", o->client_name, o->client_addr,
	                       o->client_resolve != NULL && strcmp(o->client_resolve, "FORGED") == 0
	                           ? " (may be forged)"
	                           : "");
}

void smtp_set_macro(struct smtp_session *s, const char *name, const char *value)
{
	macro_set(s->mac, macro_id(name), value);
}

void smtp_set_macro_num(struct smtp_session *s, const char *name, long value)
{
	char num[32];

	snprintf(num, sizeof(num), "%ld", value);
	smtp_set_macro(s, name, num);
}

/* The connection macros Sendmail defines before check_relay. */
static void set_connection_macros(struct smtp_session *s)
{
	const struct smtp_opts *o = &s->o;

	smtp_set_macro(s, "{client_addr}", o->client_addr);
	smtp_set_macro(s, "{client_name}", o->client_name);
	smtp_set_macro(s, "{client_port}", o->client_port);
	smtp_set_macro(s, "{client_resolve}", o->client_resolve);
	smtp_set_macro(s, "{daemon_name}", o->daemon_name);
	smtp_set_macro(s, "{if_addr}", o->if_addr);
	smtp_set_macro(s, "r", "SMTP");
	smtp_set_macro(s, "{nbadrcpts}", "0");
}

struct smtp_session *smtp_session_new(const struct smtp_opts *o, const struct smtp_hooks *hooks,
                                      struct macros *parent)
{
	struct smtp_session *s = sm_calloc(1, sizeof(*s));

	s->o = *o;
	if (hooks != NULL)
		s->h = *hooks;
	s->mac = macros_new(parent);
	s->arena = sm_arena_new();
	s->cmd_arena = sm_arena_new();
	s->txn_arena = sm_arena_new();
	s->state = SS_NEW;
	s->peek_fd = -1;
	s->features = smtp_features_parse(o->features);
	s->client_label = client_label(s);
	set_connection_macros(s);
	return s;
}

void smtp_session_free(struct smtp_session *s)
{
	if (s == NULL)
		return;
	if (s->sink_open && s->h.sink.abort != NULL)
		s->h.sink.abort(s->h.ctx);
	macros_free(s->mac);
	sm_arena_free(s->arena);
	sm_arena_free(s->cmd_arena);
	sm_arena_free(s->txn_arena);
	sm_buf_free(&s->in);
	sm_buf_free(&s->out);
	sm_buf_free(&s->scratch);
	sm_buf_free(&s->data.line);
	free(s);
}

struct macros *smtp_session_macros(struct smtp_session *s)
{
	return s->mac;
}

/* ---- replies ---- */

void smtp_log(struct smtp_session *s, int prio, int level, const char *fmt, ...)
{
	struct sm_buf b = SM_BUF_INIT;
	va_list ap;

	if (s->h.log == NULL)
		return;
	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->h.log(s->h.ctx, prio, level, sm_buf_str(&b));
	sm_buf_free(&b);
}

void smtp_log_reply(struct smtp_session *s, size_t from, int prio, int level)
{
	const char *p, *end;

	if (s->out.len <= from)
		return;
	p = s->out.data + from;
	end = s->out.data + s->out.len;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	for (const char *q = p; q < end; q++)
		if (*q == '\n')
			p = q + 1;
	if (end - p > 4 && strspn(p, "0123456789") == 3)
		p += 4;
	if (strspn(p, "0123456789.") >= 5 && p[strspn(p, "0123456789.")] == ' ')
		p += strspn(p, "0123456789.") + 1;
	smtp_log(s, prio, level, "%.*s", (int)(end - p), p);
}

void smtp_reply(struct smtp_session *s, const char *fmt, ...)
{
	va_list ap;

	if (s->state == SS_CLOSED)
		return;
	va_start(ap, fmt);
	sm_buf_vprintf(&s->out, fmt, ap);
	va_end(ap);
	sm_buf_puts(&s->out, "\r\n");
}

/* "5.7.1" for a 550 without one, as Sendmail derives it. */
static const char *default_dsn(int code)
{
	if (code >= 500)
		return "5.0.0";
	if (code >= 400)
		return "4.0.0";
	return "2.0.0";
}

void smtp_reply_decision(struct smtp_session *s, const struct smtp_decision *d)
{
	int code = d->code >= 200 && d->code <= 599 ? d->code : 550;
	const char *dsn = d->dsn != NULL ? d->dsn : default_dsn(code);

	smtp_reply(s, "%d %s %s", code, dsn, d->text != NULL ? d->text : "Access denied");
}

enum smtp_verdict smtp_policy(struct smtp_session *s, enum smtp_check which, const char *arg,
                              struct smtp_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (s->h.policy != NULL)
		s->h.policy(s->h.ctx, which, arg != NULL ? arg : "", s->mac, d);
	return d->verdict;
}

void smtp_close(struct smtp_session *s)
{
	if (s->state == SS_DATA)
		smtp_data_abort(s);
	if (s->sink_open && s->h.sink.abort != NULL)
		s->h.sink.abort(s->h.ctx);
	s->sink_open = false;
	s->state = SS_CLOSED;
}

/* Call before replying: past the limit only the 421 goes out. */
bool smtp_bad_command(struct smtp_session *s)
{
	if (++s->n_badcmds <= SMTP_MAXBADCOMMANDS)
		return false;
	smtp_reply(s, "421 4.7.0 %s Too many bad commands; closing connection", s->o.hostname);
	smtp_close(s);
	return true;
}

void smtp_txn_reset(struct smtp_session *s)
{
	if (s->sink_open && s->h.sink.abort != NULL)
		s->h.sink.abort(s->h.ctx);
	s->sink_open = false;
	sm_arena_reset(s->txn_arena);
	memset(&s->txn, 0, sizeof(s->txn));
	s->rcpt_cap = 0;
	s->mail_seen = false;
	s->n_badrcpts = 0;
	smtp_set_macro(s, "{mail_addr}", NULL);
	smtp_set_macro(s, "{rcpt_addr}", NULL);
	smtp_set_macro(s, "{nrcpts}", "0");
	smtp_set_macro(s, "{nbadrcpts}", "0");
	smtp_set_macro(s, "{msg_size}", NULL);
}

void smtp_txn_note(struct smtp_session *s, const struct smtp_decision *d)
{
	if (d->verdict == SMTP_DISCARD)
		s->txn.discard = true;
	else if (d->verdict == SMTP_QUARANTINE)
		s->txn.quarantine =
		    sm_arena_strdup(s->txn_arena, d->value != NULL ? d->value : "");
}

bool smtp_input_pending(const struct smtp_session *s)
{
	struct pollfd p = {s->peek_fd, POLLIN, 0};

	if (s->in.len > s->in_off)
		return true;
	return s->peek_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

void smtp_session_set_peek_fd(struct smtp_session *s, int fd)
{
	s->peek_fd = fd;
}

/* ---- PrivacyOptions ---- */

unsigned smtp_privacy_parse(const char *value, const char **bad)
{
	static const struct {
		const char *name;
		unsigned bits;
	} words[] = {
	    {"public", 0},
	    {"needmailhelo", SMTP_PRIV_NEEDMAILHELO},
	    {"needexpnhelo", SMTP_PRIV_NEEDEXPNHELO},
	    {"needvrfyhelo", SMTP_PRIV_NEEDVRFYHELO},
	    {"noexpn", SMTP_PRIV_NOEXPN},
	    {"novrfy", SMTP_PRIV_NOVRFY},
	    {"noverb", SMTP_PRIV_NOVERB},
	    {"noetrn", SMTP_PRIV_NOETRN},
	    {"restrictmailq", SMTP_PRIV_RESTRICTMAILQ},
	    {"restrictqrun", SMTP_PRIV_RESTRICTQRUN},
	    {"restrictexpand", SMTP_PRIV_RESTRICTEXPAND},
	    {"noreceipts", SMTP_PRIV_NORECEIPTS},
	    {"nobodyreturn", SMTP_PRIV_NOBODYRETURN},
	    {"goaway", SMTP_PRIV_GOAWAY},
	    {"authwarnings", SMTP_PRIV_AUTHWARNINGS},
	    {"noactualrecipient", SMTP_PRIV_NOACTUALRECIPIENT},
	};
	static char badword[64];
	unsigned bits = 0;
	const char *p = value != NULL ? value : "";
	size_t i, guard = strlen(p) + 1;

	if (bad != NULL)
		*bad = NULL;
	while (guard-- > 0 && *p != '\0') {
		size_t n;

		p += strspn(p, " \t,");
		n = strcspn(p, " \t,");
		if (n == 0)
			break;
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			if (strlen(words[i].name) == n && strncasecmp(words[i].name, p, n) == 0)
				break;
		if (i < sizeof(words) / sizeof(words[0]))
			bits |= words[i].bits;
		else if (bad != NULL && *bad == NULL) {
			snprintf(badword, sizeof(badword), "%.*s", (int)n, p);
			*bad = badword;
		}
		p += n;
	}
	return bits;
}

/* ---- srv_features ---- */

unsigned smtp_features_parse(const char *letters)
{
	static const struct {
		char c;
		unsigned bit;
	} map[] = {
	    {'P', SMTP_F_NO_PIPELINING}, {'B', SMTP_F_NO_VERB},    {'D', SMTP_F_NO_DSN},
	    {'E', SMTP_F_NO_ETRN},       {'X', SMTP_F_NO_EXPN},    {'F', SMTP_F_PIPE_OK},
	    {'O', SMTP_F_DOT_LAX},       {'G', SMTP_F_BARE_LF_OK}, {'U', SMTP_F_BARE_CR_OK},
	    {'h', SMTP_F_HTTP_DROP},
	};
	unsigned f = 0;
	const char *p;
	size_t i;

	if (letters == NULL)
		return 0;
	if (strncasecmp(letters, "temp", 4) == 0 || strncasecmp(letters, "$#temp", 6) == 0)
		return SMTP_F_TEMPFAIL;
	for (p = letters; *p != '\0'; p++) {
		if ((p[0] == 'g' || p[0] == 'u') && p[1] == '2') {
			f |= p[0] == 'g' ? SMTP_F_BARE_LF_SP : SMTP_F_BARE_CR_SP;
			f &= p[0] == 'g' ? ~(unsigned)SMTP_F_BARE_LF_OK
			                 : ~(unsigned)SMTP_F_BARE_CR_OK;
			p++;
			continue;
		}
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (map[i].c == *p)
				f |= map[i].bit;
	}
	return f;
}

/* ---- connection start ---- */

/* Keep a copy of a decision beyond the hook's next call. */
static void keep_decision(struct smtp_session *s, struct smtp_decision *d)
{
	if (d->dsn != NULL)
		d->dsn = sm_arena_strdup(s->arena, d->dsn);
	if (d->text != NULL)
		d->text = sm_arena_strdup(s->arena, d->text);
	d->value = NULL;
}

long smtp_session_start(struct smtp_session *s)
{
	struct smtp_decision d;
	const char *arg =
	    sm_arena_printf(s->arena, "%s $| %s", s->o.client_name != NULL ? s->o.client_name : "",
	                    s->o.client_addr != NULL ? s->o.client_addr : "");

	if (smtp_policy(s, SMTP_CHECK_RELAY, arg, &d) == SMTP_REPLY) {
		s->relay_refused = true;
		s->relay = d;
		keep_decision(s, &s->relay);
	}
	if (smtp_policy(s, SMTP_CHECK_SRV_FEATURES, arg, &d) == SMTP_REPLY)
		s->features |= SMTP_F_TEMPFAIL;
	else if (d.value != NULL)
		s->features = smtp_features_parse(d.value);
	if (smtp_policy(s, SMTP_CHECK_GREET_PAUSE, arg, &d) == SMTP_ACCEPT && d.value != NULL)
		s->greet_pause = strtol(d.value, NULL, 10);
	if (s->greet_pause < 0)
		s->greet_pause = 0;
	return s->greet_pause;
}

/* The greeting: "220 <first word> ESMTP <rest>". */
static void greeting(struct smtp_session *s)
{
	const char *g = s->o.greeting != NULL ? s->o.greeting : s->o.hostname;
	size_t w = strcspn(g, " \t");

	if (g[w] == '\0')
		smtp_reply(s, "220 %s ESMTP", g);
	else
		smtp_reply(s, "220 %.*s ESMTP %s", (int)w, g, g + w + 1);
}

void smtp_session_greet(struct smtp_session *s)
{
	if (s->state != SS_NEW)
		return;
	s->state = SS_CMD;
	if (s->features & SMTP_F_TEMPFAIL) {
		smtp_reply(s, "421 4.3.0 %s Temporary system failure. Please try again later.",
		           s->o.hostname);
		smtp_close(s);
		return;
	}
	if (s->relay_refused && s->relay.code == 421) {
		/* check_relay answered 421: that is the greeting, then goodbye. */
		smtp_reply_decision(s, &s->relay);
		smtp_close(s);
		return;
	}
	if (s->greet_pause > 0 && s->early_input) {
		/* FEATURE(greet_pause): the client talked first. */
		smtp_reply(s, "554 %s not accepting messages", s->o.hostname);
		s->nullserver = true;
	} else {
		greeting(s);
	}
	if (s->relay_refused) {
		/* Sendmail greets, then refuses every command but QUIT. */
		s->nullserver = true;
	}
	if (smtp_input_pending(s))
		smtp_session_feed(s, NULL, 0);
}

/* ---- dispatch ---- */

/* Sendmail's shortenstring(): long texts keep their two ends. */
static void quote_line(struct smtp_session *s, const char *what, const char *line)
{
	size_t len = strlen(line);
	const size_t m = 100; /* (MAXSHORTSTR 203 - 3) / 2 */

	if (len < 203)
		smtp_reply(s, "%s \"%s\"", what, line);
	else
		smtp_reply(s, "%s \"%.*s...%s\"", what, (int)m, line, line + len - m);
}

/* In the refusing state only these run; the rest get 550 (and count). */
static bool nullserver_refuses(struct smtp_session *s, enum cmd_code c)
{
	if (!s->nullserver)
		return false;
	switch (c) {
	case C_QUIT:
	case C_HELO:
	case C_EHLO:
	case C_NOOP:
	case C_RSET:
	case C_UNKNOWN:
	case C_HTTP:
	case C_UNIMPL:
		return false;
	default:
		break;
	}
	if (smtp_bad_command(s))
		return true;
	if (s->relay_refused)
		smtp_reply_decision(s, &s->relay);
	else
		smtp_reply(s, "550 5.0.0 Command rejected");
	return true;
}

static void unknown_command(struct smtp_session *s, const char *line, enum cmd_code c)
{
	if (c == C_HTTP && s->n_cmds == 1) {
		smtp_reply(s, "421 4.7.0 %s Rejecting open proxy %s", s->o.hostname,
		           s->client_label);
		smtp_close(s);
		return;
	}
	if (smtp_bad_command(s))
		return;
	if (c == C_UNIMPL)
		quote_line(s, "502 5.5.1 Command not implemented:", line);
	else
		quote_line(s, "500 5.5.1 Command unrecognized:", line);
}

/*
 * AUTH and STARTTLS before their modules exist: the answers of a Sendmail
 * built with SASL and TLS but with no mechanisms and no certificate.
 */
static void do_auth(struct smtp_session *s, const char *arg)
{
	if (*arg == '\0')
		smtp_reply(s, "501 5.5.2 AUTH mechanism must be specified");
	else
		smtp_reply(s, "504 5.3.3 AUTH mechanism %.*s not available",
		           (int)strcspn(arg, " \t"), arg);
}

static void do_starttls(struct smtp_session *s, const char *arg)
{
	(void)arg;
	smtp_reply(s, "454 4.3.3 TLS not available after start");
}

/* The commands: name, class (for the refusing state), handler (NULL: not one we run). */
static const struct {
	const char *name;
	enum cmd_code code;
	void (*fn)(struct smtp_session *s, const char *arg);
} cmd_table[] = {
    {"mail", C_MAIL, smtp_cmd_mail},
    {"rcpt", C_RCPT, smtp_cmd_rcpt},
    {"data", C_DATA, smtp_cmd_data},
    {"rset", C_RSET, smtp_cmd_rset},
    {"vrfy", C_VRFY, smtp_cmd_vrfy},
    {"expn", C_EXPN, smtp_cmd_expn},
    {"help", C_HELP, smtp_cmd_help},
    {"noop", C_NOOP, smtp_cmd_noop},
    {"quit", C_QUIT, smtp_cmd_quit},
    {"helo", C_HELO, smtp_cmd_helo},
    {"ehlo", C_EHLO, smtp_cmd_ehlo},
    {"etrn", C_ETRN, smtp_cmd_etrn},
    {"verb", C_VERB, smtp_cmd_verb},
    {"auth", C_AUTH, do_auth},
    {"starttls", C_STARTTLS, do_starttls},
    {"send", C_UNIMPL, NULL},
    {"saml", C_UNIMPL, NULL},
    {"soml", C_UNIMPL, NULL},
    {"turn", C_UNIMPL, NULL},
    {"post", C_HTTP, NULL},
    {"get", C_HTTP, NULL},
    {"connect", C_HTTP, NULL},
    {"user", C_HTTP, NULL},
};

#define NCMDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

/* The command words as logged, row for row with cmd_table. */
static const char *const cmd_upper[] = {"MAIL", "RCPT", "DATA",     "RSET",    "VRFY", "EXPN",
                                        "HELP", "NOOP", "QUIT",     "HELO",    "EHLO", "ETRN",
                                        "VERB", "AUTH", "STARTTLS", "SEND",    "SAML", "SOML",
                                        "TURN", "POST", "GET",      "CONNECT", "USER"};
_Static_assert(sizeof(cmd_upper) / sizeof(cmd_upper[0]) == NCMDS, "cmd_upper and cmd_table");

/* The table row for the command word, or NCMDS. */
static size_t lookup(const char *word, size_t n)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (strlen(cmd_table[i].name) == n && strncasecmp(cmd_table[i].name, word, n) == 0)
			return i;
	return NCMDS;
}

static void run_command(struct smtp_session *s, char *line)
{
	size_t n = strcspn(line, " \t");
	size_t row = lookup(line, n);
	enum cmd_code c = row < NCMDS ? cmd_table[row].code : C_UNKNOWN;
	const char *arg = line + n;

	while (*arg == ' ' || *arg == '\t')
		arg++;
	s->n_cmds++;
	s->last_cmd = row < NCMDS ? cmd_upper[row] : s->last_cmd;
	if (s->h.command != NULL)
		s->h.command(s->h.ctx, row < NCMDS ? cmd_upper[row] : "", line);
	if (nullserver_refuses(s, c))
		return;
	if (row < NCMDS && cmd_table[row].fn != NULL)
		cmd_table[row].fn(s, arg);
	else
		unknown_command(s, line, c);
}

/*
 * Take one command line from the input; false when none is complete.
 * An overlong line closes the session (Sendmail's "Command too long").
 */
static bool next_command(struct smtp_session *s)
{
	const char *start = s->in.data + s->in_off;
	size_t avail = s->in.len - s->in_off;
	const char *lf = memchr(start, '\n', avail);
	size_t len = lf != NULL ? (size_t)(lf - start) : avail;
	char *line;

	if (lf != NULL && len > 0 && start[len - 1] == '\r')
		len--;
	if (len > SMTP_MAXCMDLINE) {
		smtp_reply(s, "421 4.7.0 %s Command too long, possible attack %s", s->o.hostname,
		           s->client_label);
		smtp_close(s);
		return false;
	}
	if (lf == NULL)
		return false;
	line = sm_arena_memdup(s->cmd_arena, start, len);
	s->in_off += (size_t)(lf - start) + 1;
	run_command(s, line);
	sm_arena_reset(s->cmd_arena);
	return true;
}

/* Drop the consumed prefix of the input buffer. */
static void compact_input(struct smtp_session *s)
{
	if (s->in_off == 0)
		return;
	memmove(s->in.data, s->in.data + s->in_off, s->in.len - s->in_off);
	sm_buf_truncate(&s->in, s->in.len - s->in_off);
	s->in_off = 0;
}

/* Run what the buffered input holds; each pass consumes a command or body bytes. */
static void process(struct smtp_session *s)
{
	size_t guard = s->in.len - s->in_off + 1; /* every pass consumes at least one byte */

	while (guard-- > 0 && smtp_input_pending(s)) {
		if (s->state == SS_CMD) {
			if (!next_command(s))
				break;
		} else if (s->state == SS_DATA) {
			size_t used =
			    smtp_data_input(s, s->in.data + s->in_off, s->in.len - s->in_off);
			s->in_off += used;
			if (used == 0)
				break;
		} else {
			break;
		}
	}
	if (s->state == SS_CLOSED)
		s->in_off = s->in.len;
	compact_input(s);
}

void smtp_session_feed(struct smtp_session *s, const void *p, size_t n)
{
	if (s->state == SS_CLOSED)
		return;
	if (n > 0)
		sm_buf_append(&s->in, p, n);
	if (s->state == SS_NEW) {
		if (n > 0)
			s->early_input = true;
		return;
	}
	process(s);
}

void smtp_session_eof(struct smtp_session *s)
{
	if (s->state == SS_CLOSED)
		return;
	/* Nobody is listening any more: no reply, just drop what is in flight. */
	s->lost = s->state == SS_DATA ? 2 : 1;
	if (s->state == SS_DATA)
		smtp_data_lost(s, "unexpected close");
	smtp_close(s);
}

int smtp_session_lost(const struct smtp_session *s)
{
	return s->lost;
}

bool smtp_session_helo_seen(const struct smtp_session *s)
{
	return s->helo_seen;
}

const char *smtp_session_last_command(const struct smtp_session *s)
{
	return s->last_cmd;
}

void smtp_session_timeout(struct smtp_session *s)
{
	if (s->state == SS_CLOSED)
		return;
	s->timed_out = true;
	if (s->state == SS_DATA) {
		/* 8.17 answers with the text its collect() logs as a SYSERR */
		smtp_reply(s, "421 4.4.1 collect: relay=%s, from=%s, info=read timeout",
		           s->o.client_name != NULL ? s->o.client_name : "localhost",
		           s->txn.sender != NULL ? s->txn.sender : "<>");
		s->lost = 2;
		smtp_data_lost(s, "read timeout");
	} else {
		s->lost = 1; /* 8.17 closes without a word */
	}
	smtp_close(s);
}

bool smtp_session_timed_out(const struct smtp_session *s)
{
	return s->timed_out;
}

const char *smtp_session_output(const struct smtp_session *s, size_t *len)
{
	*len = s->out.len;
	return sm_buf_str(&s->out);
}

void smtp_session_output_done(struct smtp_session *s)
{
	sm_buf_reset(&s->out);
	s->delay_ms = 0;
}

bool smtp_session_closed(const struct smtp_session *s)
{
	return s->state == SS_CLOSED;
}

bool smtp_session_in_data(const struct smtp_session *s)
{
	return s->state == SS_DATA;
}

long smtp_session_delay(const struct smtp_session *s)
{
	return s->delay_ms;
}
