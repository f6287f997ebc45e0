/*
 * smtp/server_data.c: DATA and the body reader.
 *
 * What ends a message, and what a bare CR or LF does (Sendmail 8.18.1's
 * SMTP smuggling fix, CVE-2023-51765, with its srv_features letters):
 *
 *   - A line is the bytes between two CRLF pairs; nothing else ends a
 *     line.  The message ends at CRLF "." CRLF only (the 354 reply counts
 *     as the CRLF before the first line).  LF.LF, LF.CR, CR.LF, CR.CR,
 *     LF.CRLF, CR.CRLF, CRLF.LF, CRLF NUL.CRLF, CRLF.CRCRLF and
 *     CRCRLF.CRCRLF are therefore never an end: when they are allowed
 *     in at all they are message content, so no second message can be
 *     smuggled after them.
 *   - A bare LF (an LF not right after a CR): by default ('g', 8.18.1's
 *     default) the session is dropped with "421 4.5.0 Bare linefeed (LF)
 *     not allowed" and the message thrown away; 'G' keeps it as a content
 *     byte; 'g2' replaces it with a space.
 *   - A bare CR (a CR not right before an LF): likewise with 'u' (default,
 *     "421 4.5.0 Bare carriage return (CR) not allowed"), 'U' (kept) and
 *     'u2' (a space).  CRs are never collapsed: CR CR LF is content CR
 *     followed by the line end.
 *   - 'O' (8.18: also accept "." ended by a bare LF as the end) is
 *     accepted but deliberately has no effect: the end stays CRLF.CRLF,
 *     because honouring it reopens the smuggling hole.  'o' is the
 *     default anyway.
 *   - Dot-unstuffing: a line starting with "." loses that dot.
 *
 * The reference (Debian's 8.17.1.9 with the 8.18.1 fix backported) shows
 * the same 421 texts and the same default; see test/smtp/golden/smuggle_*.
 *
 * Sizes are counted as Sendmail's queue files would hold the message
 * (one byte per line end); past MaxMessageSize or MaxHeadersLength the
 * body is read to its end and then refused with Sendmail's 552.  The
 * sink gets lines as received (CRLF ends) in chunks of at most
 * SMTP_MAXDATACHUNK bytes, so no line length is too long to read.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/smtp/server_int.h"

/* An error the sink gave, or a generic temporary failure. */
static void sink_error_reply(struct smtp_session *s, const struct smtp_sink_error *e)
{
	struct smtp_decision d = {.verdict = SMTP_REPLY,
	                          .code = 451,
	                          .dsn = "4.3.0",
	                          .text = "Temporary system failure. Please try again later."};

	if (e->code != 0) {
		d.code = e->code;
		d.dsn = e->dsn;
		d.text = e->text;
	}
	smtp_reply_decision(s, &d);
}

/* Hand the envelope to the sink; false after an error reply. */
static bool open_sink(struct smtp_session *s)
{
	struct smtp_sink_error e = {0, NULL, NULL};
	size_t i;

	if (s->h.sink.begin == NULL)
		return true;
	if (!s->h.sink.begin(s->h.ctx, &s->txn, &e)) {
		sink_error_reply(s, &e);
		return false;
	}
	s->sink_open = true;
	for (i = 0; i < s->txn.nrcpts; i++) {
		if (s->h.sink.add_rcpt != NULL &&
		    !s->h.sink.add_rcpt(s->h.ctx, &s->txn.rcpts[i], &e)) {
			sink_error_reply(s, &e);
			s->h.sink.abort(s->h.ctx);
			s->sink_open = false;
			return false;
		}
	}
	return true;
}

void smtp_cmd_data(struct smtp_session *s, const char *arg)
{
	struct smtp_decision d;

	(void)arg;
	if (!s->mail_seen) {
		smtp_reply(s, "503 5.0.0 Need MAIL command");
		return;
	}
	if (s->txn.nrcpts == 0) {
		smtp_reply(s, "503 5.0.0 Need RCPT (recipient)");
		return;
	}
	if (!(s->features & SMTP_F_PIPE_OK) && smtp_input_pending(s)) {
		/* 8.18.1: the body sent before the 354 arrived; drop the session. */
		smtp_reply(s, "554 5.5.0 SMTP protocol error");
		smtp_close(s);
		return;
	}
	smtp_set_macro_num(s, "{nrcpts}", (long)s->txn.nrcpts);
	if (smtp_policy(s, SMTP_CHECK_DATA, "", &d) == SMTP_REPLY) {
		smtp_reply_decision(s, &d);
		return;
	}
	smtp_txn_note(s, &d);
	if (!open_sink(s))
		return;
	{
		struct sm_buf keep = s->data.line; /* reuse its storage */

		memset(&s->data, 0, sizeof(s->data));
		s->data.line = keep;
		sm_buf_reset(&s->data.line);
	}
	s->data.in_headers = true;
	s->data.first_chunk = true;
	s->state = SS_DATA;
	smtp_reply(s, "354 End data with <CR><LF>.<CR><LF>");
}

/* Pass bytes to the sink unless the message is already lost. */
static void to_sink(struct smtp_session *s, const char *p, size_t n)
{
	struct smtp_data *dt = &s->data;

	if (dt->too_big || dt->hdr_too_big || dt->sink_failed || !s->sink_open)
		return;
	if (s->h.sink.body != NULL && !s->h.sink.body(s->h.ctx, p, n))
		dt->sink_failed = true;
}

static void count_size(struct smtp_session *s, size_t n)
{
	struct smtp_data *dt = &s->data;

	dt->size += (long)n;
	if (s->o.max_message_size > 0 && dt->size > s->o.max_message_size)
		dt->too_big = true;
}

/* The end of the headers: check_eoh with "count $| bytes". */
static void end_of_headers(struct smtp_session *s)
{
	struct smtp_data *dt = &s->data;
	struct smtp_decision d;
	char arg[64];

	dt->in_headers = false;
	dt->eoh_done = true;
	smtp_set_macro_num(s, "{hdr_count}", dt->hdr_count);
	smtp_set_macro_num(s, "{hdrlen}", dt->hdr_len);
	snprintf(arg, sizeof(arg), "%ld $| %ld", dt->hdr_count, dt->hdr_len);
	if (smtp_policy(s, SMTP_CHECK_EOH, arg, &d) != SMTP_REPLY) {
		smtp_txn_note(s, &d);
		return;
	}
	/* refused: answered at the final dot */
	dt->eoh_refused = true;
	dt->eoh.code = d.code;
	dt->eoh.dsn = d.dsn != NULL ? sm_arena_strdup(s->txn_arena, d.dsn) : NULL;
	dt->eoh.text = d.text != NULL ? sm_arena_strdup(s->txn_arena, d.text) : NULL;
}

/* Header bookkeeping for the start of a line (first chunk only). */
static void track_headers(struct smtp_session *s, const char *p, size_t n, bool whole)
{
	struct smtp_data *dt = &s->data;

	if (!dt->in_headers)
		return;
	if (n == 0 && whole) {
		end_of_headers(s);
		return;
	}
	if (n == 0 || (p[0] != ' ' && p[0] != '\t'))
		dt->hdr_count++;
	dt->hdr_len += (long)n + (whole ? 1 : 0);
	if (s->o.max_headers_length > 0 && dt->hdr_len > s->o.max_headers_length)
		dt->hdr_too_big = true;
}

/* Flush the line buffer: a whole line (with its CRLF) or a chunk of a long one. */
static void emit_line(struct smtp_session *s, bool whole)
{
	struct smtp_data *dt = &s->data;
	const char *p = sm_buf_str(&dt->line);
	size_t n = dt->line.len;

	if (dt->first_chunk && n > 0 && p[0] == '.') {
		p++;
		n--;
	}
	if (dt->first_chunk)
		track_headers(s, p, n, whole);
	else if (dt->in_headers)
		dt->hdr_len += (long)n + (whole ? 1 : 0);
	count_size(s, n + (whole ? 1 : 0));
	to_sink(s, p, n);
	if (whole)
		to_sink(s, "\r\n", 2);
	sm_buf_reset(&dt->line);
	dt->first_chunk = whole;
}

/* The final dot: decide, commit, reply. */
static void end_of_message(struct smtp_session *s)
{
	struct smtp_data *dt = &s->data;
	struct smtp_decision d;
	struct smtp_sink_error e = {0, NULL, NULL};
	struct sm_buf qid = SM_BUF_INIT;
	char arg[32];

	s->state = SS_CMD;
	if (dt->in_headers)
		end_of_headers(s);
	s->txn.msg_size = dt->size;
	smtp_set_macro_num(s, "{msg_size}", dt->size);
	snprintf(arg, sizeof(arg), "%ld", dt->size);
	if (dt->too_big) {
		if (s->sink_open && s->h.sink.too_big != NULL)
			s->h.sink.too_big(s->h.ctx, &s->txn, s->o.max_message_size);
		else
			smtp_log(s, LOG_NOTICE, 6, "message size (%ld) exceeds maximum (%ld)",
			         dt->size, s->o.max_message_size);
		smtp_reply(s, "552 5.2.3 Message exceeds maximum fixed size (%ld)",
		           s->o.max_message_size);
	}
	else if (dt->hdr_too_big)
		smtp_reply(s, "552 5.6.0 Headers too large (%ld max)", s->o.max_headers_length);
	else if (dt->nul_seen)
		smtp_reply(s, "554 5.6.0 Message contains NUL characters");
	else if (dt->sink_failed)
		sink_error_reply(s, &e);
	else if (dt->eoh_refused)
		smtp_reply_decision(s, &(struct smtp_decision){.verdict = SMTP_REPLY,
		                                               .code = dt->eoh.code,
		                                               .dsn = dt->eoh.dsn,
		                                               .text = dt->eoh.text});
	else if (smtp_policy(s, SMTP_CHECK_EOM, arg, &d) == SMTP_REPLY)
		smtp_reply_decision(s, &d);
	else {
		smtp_txn_note(s, &d);
		if (!s->sink_open || s->h.sink.commit == NULL)
			smtp_reply(s, "250 2.0.0 Message accepted for delivery");
		else if (s->h.sink.commit(s->h.ctx, &s->txn, &qid, &e)) {
			s->sink_open = false;
			smtp_set_macro(s, "i", sm_buf_str(&qid));
			smtp_reply(s, "250 2.0.0 %s Message accepted for delivery",
			           sm_buf_str(&qid));
		} else {
			s->sink_open = false;
			sink_error_reply(s, &e);
		}
	}
	sm_buf_free(&qid);
	smtp_txn_reset(s);
}

void smtp_data_lost(struct smtp_session *s, const char *why)
{
	struct smtp_data *dt = &s->data;
	size_t partial = dt->line.len - (dt->cr_pending ? 1 : 0);

	if (s->sink_open && s->h.sink.lost != NULL)
		s->h.sink.lost(s->h.ctx, why, dt->in_headers, dt->size + (long)partial);
}

/* A bare CR or LF under the strict default: 421 and drop the session. */
static void bare_refused(struct smtp_session *s, bool lf)
{
	const char *why = lf ? "Bare linefeed (LF) not allowed"
	                     : "Bare carriage return (CR) not allowed";

	smtp_reply(s, "421 4.5.0 %s", why);
	smtp_data_lost(s, why);
	smtp_close(s);
}

/* The CR at the end of the line buffer turned out to be bare; false if refused. */
static bool resolve_bare_cr(struct smtp_session *s)
{
	struct smtp_data *dt = &s->data;

	dt->cr_pending = false;
	if (s->features & SMTP_F_BARE_CR_SP) {
		dt->line.data[dt->line.len - 1] = ' ';
		return true;
	}
	if (s->features & SMTP_F_BARE_CR_OK)
		return true;
	bare_refused(s, false);
	return false;
}

/* An LF arrived; false when the session ended (dot or refusal). */
static bool handle_lf(struct smtp_session *s, bool *done)
{
	struct smtp_data *dt = &s->data;

	if (dt->cr_pending) {
		dt->cr_pending = false;
		sm_buf_truncate(&dt->line, dt->line.len - 1);
		if (dt->first_chunk && dt->line.len == 1 && dt->line.data[0] == '.') {
			sm_buf_reset(&dt->line);
			*done = true;
			end_of_message(s);
			return false;
		}
		emit_line(s, true);
		return true;
	}
	if (s->features & SMTP_F_BARE_LF_SP) {
		sm_buf_putc(&dt->line, ' ');
		return true;
	}
	if (s->features & SMTP_F_BARE_LF_OK) {
		sm_buf_putc(&dt->line, '\n');
		return true;
	}
	bare_refused(s, true);
	*done = true;
	return false;
}

size_t smtp_data_input(struct smtp_session *s, const char *p, size_t n)
{
	struct smtp_data *dt = &s->data;
	bool done = false;
	size_t i;

	for (i = 0; i < n && !done; i++) {
		char c = p[i];

		if (c == '\n') {
			if (!handle_lf(s, &done))
				return i + 1;
			continue;
		}
		if (dt->cr_pending && !resolve_bare_cr(s))
			return i + 1;
		if (c == '\0' && s->o.reject_nul)
			dt->nul_seen = true;
		sm_buf_putc(&dt->line, c);
		dt->cr_pending = c == '\r';
		if (dt->line.len >= SMTP_MAXDATACHUNK && !dt->cr_pending)
			emit_line(s, false);
	}
	return i;
}

void smtp_data_abort(struct smtp_session *s)
{
	sm_buf_reset(&s->data.line);
	if (s->sink_open && s->h.sink.abort != NULL)
		s->h.sink.abort(s->h.ctx);
	s->sink_open = false;
	s->state = SS_CMD;
}
