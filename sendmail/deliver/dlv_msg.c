/*
 * deliver/dlv_msg: the message as one mailer receives it.
 *
 * Internal (dlv_int.h): dlv_sender_for, dlv_msg_write, dlv_expand_header.
 *
 *   From_ line   unless F=n: the UnixFromLine template ("From $g $d"),
 *                with " remote from $k" for F=U; MAILER-DAEMON for <>
 *   headers      the qf's H lines; "?flags?" ones only for mailers with
 *                one of those flags (so Return-Path needs F=P, Date F=D,
 *                From F=F, Message-Id F=M, Full-Name F=x), "?${m}?" ones
 *                only if the macro is set; deferred macros (\201x) are
 *                expanded now; Bcc is never sent; addresses in sender
 *                and recipient headers are rewritten through the
 *                mailer's S=/R= header rulesets (rules/parseaddr's
 *                remotename); each line ends with E=
 *   body         the df, line by line: E= line ends, "." doubled for F=X
 *                and LMTP, ">From " for F=E, 7 bits for F=7, lines cut
 *                at L= (990 for F=L) with a "!" as Sendmail does, a blank
 *                line at the end for F=b
 * Input is read in chunks; no line length limit applies to what we keep.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"

#define MACRO_BYTE 0x81

/* Headers whose addresses are rewritten, and whether they are senders. */
static const struct {
	const char *name;
	bool sender;
} ADDR_HEADERS[] = {
    {"From", true},
    {"Sender", true},
    {"Reply-To", true},
    {"Resent-From", true},
    {"Resent-Sender", true},
    {"Errors-To", true},
    {"To", false},
    {"Cc", false},
    {"Resent-To", false},
    {"Resent-Cc", false},
    {"Apparently-To", false},
};

static const char *sender_for(struct dlv_job *j, const struct mailer *m);

const char *dlv_sender_for(struct dlv_job *j, const struct mailer *m)
{
	const char *h = macro_get(j->mac, macro_id("h"));
	const char *g;

	/* asked for $g and for MAIL From: the same rulesets, the same $h */
	if (j->sender_for_m == m && j->sender_for != NULL &&
	    strcmp(h != NULL ? h : "", j->sender_for_h) == 0)
		return j->sender_for;
	g = sender_for(j, m);
	j->sender_for_m = m;
	j->sender_for = g;
	j->sender_for_h = sm_arena_strdup(j->a, h != NULL ? h : "");
	return g;
}

/* dlv_sender_for without the per-job memo. */
static const char *sender_for(struct dlv_job *j, const struct mailer *m)
{
	int rc = 0;
	const char *g;
	size_t n;

	if (j->null_sender) {
		if (mailer_flag(m, 'g')) {
			const char *nm = macro_get(j->mac, macro_id("n"));

			return nm != NULL ? nm : "MAILER-DAEMON";
		}
		return "";
	}
	g = pa_remotename(&j->pa, j->sender, m, RF_SENDERADDR | RF_CANONICAL, &rc);
	(void)dlv_last_message(j);
	if (g == NULL || *g == '\0')
		g = j->sender;
	n = strlen(g);
	if (n >= 2 && g[0] == '<' && g[n - 1] == '>')
		g = sm_arena_memdup(j->a, g + 1, n - 2);
	return g;
}

char *dlv_expand_header(struct dlv_job *j, const char *value)
{
	struct sm_buf b = SM_BUF_INIT;
	char *r;

	for (const char *p = value; *p != '\0'; p++) {
		const char *end;
		int id;

		if ((unsigned char)*p != MACRO_BYTE) {
			sm_buf_putc(&b, *p);
			continue;
		}
		id = macro_parse_name(p + 1, &end);
		if (id < 0)
			continue;
		if (macro_get(j->mac, id) != NULL)
			sm_buf_puts(&b, macro_get(j->mac, id));
		p = end - 1;
	}
	r = sm_arena_memdup(j->a, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

/* Whether header h goes to mailer m. */
static bool header_wanted(struct dlv_job *j, const struct mailer *m, const struct qf_header *h)
{
	const char *mac;

	if (strcasecmp(h->name, "Bcc") == 0)
		return false;
	if (h->cond == NULL || h->cond[0] == '\0')
		return true;
	mac = qf_header_macro(h, j->a);
	if (mac != NULL)
		return macro_get(j->mac, macro_id(mac)) != NULL;
	for (const char *c = h->cond; *c != '\0'; c++)
		if (mailer_flag(m, (unsigned char)*c))
			return true;
	return false;
}

/* Write text with every '\n' turned into eol. */
static void put_text(FILE *out, const char *text, const char *eol)
{
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '\n')
			fputs(eol, out);
		else
			putc(*p, out);
	}
}

/* Rewrite the addresses of a header value for mailer m (commaize). */
static const char *rewrite_addrs(struct dlv_job *j, const struct mailer *m, const char *value,
                                 bool sender)
{
	struct sm_buf b = SM_BUF_INIT;
	int flags = RF_HEADERADDR | (sender ? RF_SENDERADDR : 0);
	const char *p = value, *r;
	int guard = 0;

	while (*p != '\0' && guard++ < 1000) {
		struct tokvec tv;
		struct tok_error err;
		const char *end = NULL, *name;
		char *one;
		int rc = 0;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		tokvec_init(&tv, j->a);
		if (!tok_scan_address_ex(j->cf, j->a, p, ',', TOKS_COMMENTS | TOKS_NOLIMIT, &tv,
		                         &end, &err) ||
		    end == NULL || end == p) {
			sm_buf_free(&b);
			return value;
		}
		one = sm_arena_memdup(j->a, p, (size_t)(end - p));
		name = tv.n > 0 ? pa_remotename(&j->pa, one, m, flags, &rc) : one;
		(void)dlv_last_message(j);
		sm_buf_puts(&b, b.len > 0 ? ", " : " ");
		sm_buf_puts(&b, name != NULL && rc == 0 ? name : one);
		p = *end == ',' ? end + 1 : end;
	}
	if (b.len == 0) {
		sm_buf_free(&b);
		return value;
	}
	r = sm_arena_memdup(j->a, sm_buf_str(&b), b.len);
	sm_buf_free(&b);
	return r;
}

static void write_header(struct dlv_job *j, const struct mailer *m, const struct qf_header *h,
                         FILE *out, const char *eol)
{
	const char *v =
	    strchr(h->value, MACRO_BYTE) != NULL ? dlv_expand_header(j, h->value) : h->value;

	for (size_t i = 0; i < sizeof(ADDR_HEADERS) / sizeof(ADDR_HEADERS[0]); i++)
		if (strcasecmp(h->name, ADDR_HEADERS[i].name) == 0 && strchr(v, '\n') == NULL &&
		    strchr(v, ':') == NULL) {
			v = rewrite_addrs(j, m, v, ADDR_HEADERS[i].sender);
			break;
		}
	fputs(h->name, out);
	putc(':', out);
	put_text(out, v, eol);
	fputs(eol, out);
}

static void write_from_line(struct dlv_job *j, const struct mailer *m, FILE *out, const char *eol)
{
	const char *tmpl = opt_raw(j->cf->opt, OPT_UNIX_FROM_LINE);
	const char *g0 = macro_get(j->mac, macro_id("g"));
	const char *g = g0 != NULL ? sm_arena_strdup(j->a, g0) : NULL;
	char *line;

	if (g == NULL || *g == '\0')
		macro_set(j->mac, macro_id("g"), "MAILER-DAEMON");
	line = macro_expand(j->mac, tmpl != NULL ? tmpl : "From $g $d", j->a);
	macro_set(j->mac, macro_id("g"), g);
	fputs(line, out);
	if (mailer_flag(m, 'U')) {
		const char *k = macro_get(j->mac, macro_id("k"));

		fprintf(out, " remote from %s", k != NULL ? k : "");
	}
	fputs(eol, out);
}

/* Body line state: the line being assembled and the mailer's rules. */
struct body_out {
	FILE *out;
	const char *eol;
	bool dots, from_escape, strip8;
	size_t limit; /* 0: none */
	size_t col;   /* bytes written on the current line */
	bool at_bol;
};

static void body_byte(struct body_out *s, int c)
{
	if (c == '\n') {
		fputs(s->eol, s->out);
		s->col = 0;
		s->at_bol = true;
		return;
	}
	if (s->at_bol) {
		s->at_bol = false;
		if (c == '.' && s->dots)
			putc('.', s->out);
	}
	if (s->limit > 0 && s->col >= s->limit - 1) {
		putc('!', s->out);
		fputs(s->eol, s->out);
		s->col = 0;
	}
	putc(s->strip8 ? (c & 0x7f) : c, s->out);
	s->col++;
}

/* ">From " escaping needs a look at the line start: done on whole lines. */
static void body_line(struct body_out *s, const char *line, size_t n, bool complete)
{
	if (s->from_escape && s->at_bol && n >= 5 && memcmp(line, "From ", 5) == 0) {
		putc('>', s->out);
		s->col++;
	}
	if (!s->strip8 && s->limit == 0 && memchr(line, '\r', n) == NULL) {
		/* nothing to do byte by byte: the line in one piece */
		if (n > 0) {
			if (s->at_bol && line[0] == '.' && s->dots)
				putc('.', s->out);
			s->at_bol = false;
			fwrite(line, 1, n, s->out);
			s->col += n;
		}
		if (complete)
			body_byte(s, '\n');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (line[i] == '\r' && i + 1 < n && line[i + 1] == '\n')
			continue; /* CRLF in the df: the mailer's E= decides */
		body_byte(s, (unsigned char)line[i]);
	}
	if (complete)
		body_byte(s, '\n');
}

/* Copy the df through the body rules; -1 on a read error. */
static int write_body(struct dlv_job *j, struct body_out *s)
{
	struct sm_buf line = SM_BUF_INIT;
	char chunk[65536];
	off_t off = 0;
	ssize_t got;

	if (j->dfd < 0)
		return 0;
	while ((got = pread(j->dfd, chunk, sizeof(chunk), off)) > 0) {
		const char *p = chunk, *end = chunk + got, *nl;

		off += got;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
			if (line.len == 0) { /* the whole line is in the chunk */
				body_line(s, p, (size_t)(nl - p), true);
			} else {
				sm_buf_append(&line, p, (size_t)(nl - p));
				body_line(s, line.data, line.len, true);
				sm_buf_reset(&line);
			}
			p = nl + 1;
		}
		sm_buf_append(&line, p, (size_t)(end - p)); /* a line going on in the next chunk */
	}
	if (line.len > 0)
		body_line(s, line.data, line.len, true);
	sm_buf_free(&line);
	return got < 0 ? -1 : 0;
}

int dlv_msg_write(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r, FILE *out,
                  bool lmtp)
{
	const char *eol = lmtp ? "\r\n" : (m->eol != NULL ? m->eol : "\n");
	struct body_out s = {out,
	                     eol,
	                     lmtp || mailer_flag(m, 'X'),
	                     mailer_flag(m, 'E'),
	                     mailer_flag(m, '7') || mailer_flag(m, 'L'),
	                     0,
	                     0,
	                     true};

	(void)r;
	if (m->linelimit > 0)
		s.limit = (size_t)m->linelimit;
	else if (mailer_flag(m, 'L'))
		s.limit = 990;
	if (!mailer_flag(m, 'n') && !lmtp)
		write_from_line(j, m, out, eol);
	for (const struct qf_header *h = j->qf->headers; h != NULL; h = h->next)
		if (header_wanted(j, m, h))
			write_header(j, m, h, out, eol);
	fputs(eol, out);
	if (write_body(j, &s) < 0)
		return -1;
	if (mailer_flag(m, 'b'))
		fputs(eol, out);
	if (fflush(out) != 0 || ferror(out))
		return -1;
	return 0;
}
