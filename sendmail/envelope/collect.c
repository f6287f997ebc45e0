/*
 * envelope/collect: reading a message into an envelope.
 *
 * env_collect() reads the message the way Sendmail's collect() does:
 *   - CR LF and LF both end a line (stored as LF);
 *   - a leading "From " line is eaten (unless SaveFromLine);
 *   - a line holding only "." ends the input unless -i / IgnoreDots
 *     (SMTP mode: always, and a leading ".." loses one dot);
 *   - header lines ("Name: value" plus continuation lines) go to the
 *     header list until the first line that is not a header (a blank
 *     separator line is dropped, anything else starts the body);
 *   - MaxHeadersLength bounds the header bytes ("552 Headers too large
 *     (N max)"), MAX_HEADERS their number; the rest of the message is
 *     then read and discarded;
 *   - the body is kept in e->body (no line length limit), its 8-bit
 *     bytes set EF_HAS8BIT; a claimed 8BITMIME body without them is
 *     7BIT; SevenBitInput strips the high bit;
 *   - MaxMessageSize: "552 Message exceeds maximum fixed size (N)".
 * e->msgsize counts every byte kept (headers and body, LF line ends), as
 * Sendmail's e_msgsize does.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "libsm/sm_file.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"

#define MAX_HEADERS 10000 /* header fields in one message */

/* Sendmail's isheader(): a name of printable non-blank characters, then ':'. */
static bool is_header(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] > ' ' && s[i] < 0x7f && s[i] != ':')
		i++;
	while (i > 0 && i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i > 0 && i < len && s[i] == ':';
}

struct collect_state {
	struct envelope *e;
	const struct env_collect_opts *o;
	struct sm_buf hdr; /* the header being assembled */
	long hdrbytes;
	int nheaders;
	bool in_body;
	bool discard; /* headers too large: keep reading, keep nothing */
	bool first;
	bool eightbit;
	bool strip8;
};

/* Finish the pending header line. */
static void flush_header(struct collect_state *cs)
{
	if (cs->hdr.len == 0)
		return;
	if (!cs->discard && cs->nheaders < MAX_HEADERS) {
		env_header_add_line(cs->e, cs->hdr.data, cs->hdr.len);
		cs->nheaders++;
	}
	sm_buf_reset(&cs->hdr);
}

/* Count header bytes against MaxHeadersLength. */
static void header_bytes(struct collect_state *cs, size_t n)
{
	long max = opt_num(cs->e->cf->opt, OPT_MAX_HEADERS_LENGTH);

	cs->hdrbytes += (long)n;
	if (!cs->discard && max > 0 && cs->hdrbytes > max) {
		cs->discard = true;
		cs->e->eflags |= EF_TOOBIG;
		env_usrerr(cs->e, NULL, EX_DATAERR, "Headers too large (%ld max)", max);
	}
}

/* One input line (without its line end); false at the end of the message. */
static bool one_line(struct collect_state *cs, struct sm_buf *line)
{
	struct envelope *e = cs->e;
	const char *s = line->data != NULL ? line->data : "";
	size_t len = line->len;

	if (s[0] == '.' && (len == 1) && (cs->o->smtp || !cs->o->ignore_dots))
		return false;
	if (cs->o->smtp && s[0] == '.') {
		s++;
		len--;
	}
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] & 0x80)
			cs->eightbit = true;
	if (cs->first) {
		cs->first = false;
		if (len >= 5 && strncmp(s, "From ", 5) == 0 &&
		    !opt_bool(e->cf->opt, OPT_SAVE_FROM_LINE))
			return true;
	}
	if (!cs->in_body) {
		if (len > 0 && (s[0] == ' ' || s[0] == '\t') && cs->hdr.len > 0) {
			sm_buf_putc(&cs->hdr, '\n');
			sm_buf_append(&cs->hdr, s, len);
			header_bytes(cs, len + 1);
			e->msgsize += (long)len + 1;
			return true;
		}
		flush_header(cs);
		if (is_header(s, len)) {
			sm_buf_append(&cs->hdr, s, len);
			header_bytes(cs, len + 1);
			e->msgsize += (long)len + 1;
			return true;
		}
		cs->in_body = true;
		if (len == 0) {
			e->msgsize++;
			return true;
		}
	}
	e->msgsize += (long)len + 1;
	if (!cs->discard) {
		sm_buf_append(&e->body, s, len);
		sm_buf_putc(&e->body, '\n');
	}
	return true;
}

/* Read lines from fp: LF or CR LF end a line; a last line without one counts. */
static int read_lines(struct collect_state *cs, FILE *fp)
{
	struct sm_buf line = SM_BUF_INIT;
	int rc = EX_OK;

	for (;;) {
		int trunc = 0, r = sm_getline(fp, &line, 0, &trunc);

		if (r < 0) {
			rc = EX_IOERR;
			break;
		}
		if (r == 0)
			break;
		if (line.len > 0 && line.data[line.len - 1] == '\r')
			sm_buf_truncate(&line, line.len - 1);
		if (cs->strip8)
			for (size_t i = 0; i < line.len; i++)
				line.data[i] &= 0x7f;
		if (!one_line(cs, &line))
			break;
	}
	sm_buf_free(&line);
	return rc;
}

int env_collect(struct envelope *e, FILE *fp, const struct env_collect_opts *o)
{
	struct collect_state cs;
	int rc;

	memset(&cs, 0, sizeof(cs));
	cs.e = e;
	cs.o = o;
	cs.first = true;
	cs.strip8 = opt_bool(e->cf->opt, OPT_SEVEN_BIT_INPUT);
	rc = read_lines(&cs, fp);
	flush_header(&cs);
	sm_buf_free(&cs.hdr);
	if (rc != EX_OK)
		return rc;
	if (cs.discard)
		return EX_DATAERR;
	if (o->max_size > 0 && e->msgsize > o->max_size) {
		e->eflags |= EF_TOOBIG | EF_NO_BODY_RETN;
		env_usrerr(e, NULL, EX_DATAERR, "Message exceeds maximum fixed size (%ld)",
		           o->max_size);
		return EX_DATAERR;
	}
	if (cs.eightbit) {
		e->eflags |= EF_HAS8BIT;
		if (opt_raw(e->cf->opt, OPT_EIGHT_BIT_MODE) != NULL &&
		    *opt_raw(e->cf->opt, OPT_EIGHT_BIT_MODE) == 's' &&
		    env_header_find(e, "mime-version") == NULL) {
			env_usrerr(e, NULL, EX_DATAERR, "Eight bit data not allowed");
			return EX_DATAERR;
		}
	} else if (e->bodytype != NULL && strcasecmp(e->bodytype, "8BITMIME") == 0) {
		e->bodytype = "7BIT";
	}
	return EX_OK;
}
