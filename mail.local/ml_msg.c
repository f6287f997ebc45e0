/*
 * ml_msg: the message as it will be appended to every mailbox.
 *
 * The message is read once from stdin (or the LMTP DATA stream) into an
 * unlinked temporary file, already in mailbox form: the "From sender date"
 * line, the lines with "From " escaped, a final blank line.  Each mailbox
 * then receives a plain copy of that file, so the transformation happens
 * once and a delivery can be undone by truncating the mailbox.
 *
 * Every line that begins with "From " gets a '>' (Sendmail's mail.local
 * escapes only those after a blank line; escaping all of them is what
 * every mbox reader, Python's mailbox module included, expects).  Lines
 * of any length are copied in pieces of ML_PIECE bytes: memory use does
 * not depend on the input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mail.local/ml.h"

#define ML_PIECE (64 * 1024)
#define ML_WBUF  (128 * 1024)

int ml_spool_open(struct ml_spool *s)
{
	const char *dir = NULL;
	struct sm_buf tmpl = SM_BUF_INIT;
	char *name;

	if (getuid() == geteuid() && getgid() == getegid())
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	sm_buf_printf(&tmpl, "%s/local.XXXXXX", dir);
	name = sm_buf_detach(&tmpl);
	s->len = 0;
	s->fd = mkostemp(name, O_CLOEXEC);
	if (s->fd >= 0)
		(void)unlink(name);
	free(name);
	return s->fd < 0 ? -1 : 0;
}

void ml_spool_close(struct ml_spool *s)
{
	if (s->fd >= 0)
		(void)close(s->fd);
	s->fd = -1;
}

void ml_from_line(const char *sender, time_t now, struct sm_buf *out)
{
	char when[32];

	if (ctime_r(&now, when) == NULL)
		when[0] = '\0';
	sm_buf_printf(out, "From %s %.24s", sender, when);
}

/* Write the buffered bytes to the spool file; 0 or -1. */
static int flush_buf(struct ml_spool *s, struct sm_buf *w)
{
	size_t done = 0;

	while (done < w->len) {
		ssize_t n = write(s->fd, w->data + done, w->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	s->len += (off_t)w->len;
	sm_buf_reset(w);
	return 0;
}

/*
 * Read one piece of a line into p: up to and including '\n', or ML_PIECE
 * bytes, or what is left before end of file.  A CR at the end of a full
 * piece pulls in the following LF so that CRLF is never split.
 */
static void read_piece(FILE *in, struct sm_buf *p)
{
	int c = EOF;

	sm_buf_reset(p);
	while (p->len < ML_PIECE && (c = getc_unlocked(in)) != EOF) {
		sm_buf_putc(p, c);
		if (c == '\n')
			return;
	}
	if (p->len > 0 && p->data[p->len - 1] == '\r') {
		c = getc_unlocked(in);
		if (c == '\n')
			sm_buf_putc(p, c);
		else if (c != EOF)
			ungetc(c, in);
	}
}

/* Apply the LMTP rules to a piece at the start of a line; 1 at the final ".". */
static int lmtp_piece(struct sm_buf *p, int bol)
{
	if (p->len >= 2 && p->data[p->len - 1] == '\n' && p->data[p->len - 2] == '\r') {
		p->data[p->len - 2] = '\n';
		sm_buf_truncate(p, p->len - 1);
	}
	if (!bol || p->len == 0 || p->data[0] != '.')
		return 0;
	if (p->len == 2 && p->data[1] == '\n')
		return 1;
	memmove(p->data, p->data + 1, p->len - 1);
	sm_buf_truncate(p, p->len - 1);
	return 0;
}

/*
 * Copy the body; returns whether LMTP's final "." was seen.  After a write
 * error the input is still read to its end (so an LMTP session stays in
 * step) but nothing more is written; *werr holds the first errno.
 */
static int copy_body(struct ml_spool *s, FILE *in, int lmtp, struct sm_buf *w, int *bol, int *werr)
{
	struct sm_buf p = SM_BUF_INIT;
	int done = 0;

	for (;;) {
		read_piece(in, &p);
		if (p.len == 0)
			break;
		if (lmtp && lmtp_piece(&p, *bol)) {
			done = 1;
			break;
		}
		if (*bol && p.len >= 5 && memcmp(p.data, "From ", 5) == 0)
			sm_buf_putc(w, '>');
		sm_buf_append(w, p.data, p.len);
		*bol = p.data[p.len - 1] == '\n';
		if (w->len >= ML_WBUF && *werr == 0 && flush_buf(s, w) < 0)
			*werr = errno;
		if (*werr != 0)
			sm_buf_reset(w);
	}
	sm_buf_free(&p);
	return done;
}

enum ml_msg_status ml_spool_copy(struct ml_spool *s, FILE *in, int lmtp, const char *sender,
                                 time_t now)
{
	struct sm_buf w = SM_BUF_INIT;
	int bol = 1, done, werr = 0;
	enum ml_msg_status st = ML_MSG_OK;

	ml_from_line(sender, now, &w);
	sm_buf_putc(&w, '\n');
	done = copy_body(s, in, lmtp, &w, &bol, &werr);
	if (lmtp && !done) {
		st = ML_MSG_EOF;
	} else if (werr != 0) {
		errno = werr;
		st = ML_MSG_ERROR;
	} else {
		if (!bol)
			sm_buf_putc(&w, '\n');
		sm_buf_putc(&w, '\n');
		if (flush_buf(s, &w) < 0)
			st = ML_MSG_ERROR;
	}
	sm_buf_free(&w);
	return st;
}
