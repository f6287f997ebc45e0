/*
 * qf_write: building a qf in memory, formatting it byte for byte as
 * Sendmail 8.17 writes it, and committing queue files to disk.
 *
 * Line order (8.17's queueup, confirmed on its files): V T K N P, I when
 * the df's device and inode are known, d (never written by 8.17; ours
 * only when set), B M F, the $ macros in order, q S Z A !, then for each
 * recipient C (when the controlling user changes) Q r R, then the H lines
 * and ".".  Optional lines are written only when their field is set;
 * E lines (obsolete) are never written.  R flags are written in the
 * order of QF_R_LETTERS, unknown letters kept from the reader after them.
 *
 * A value can never start a new line: a '\n' followed by a blank or tab
 * (a continuation, as the reader returns them) is kept; any other '\n'
 * becomes a blank, or in a header value "\n\t" (a folded line).
 *
 * Disk (see queue.h for the protocol): queue_df_create, queue_df_sync,
 * queue_qf_commit.  Failures leave no partial qf behind.
 *
 * Public: qf_new, qf_add_macro, qf_add_rcpt, qf_add_header, qf_set_inode, qf_has_flag,
 * qf_header_has_flag, qf_header_macro, qf_format, queue_df_create,
 * queue_df_sync, queue_qf_commit.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/queue/queue.h"

#define QF_CREATE_TRIES 100 /* ids tried before giving up on a df */

struct qf *qf_new(struct sm_arena *a)
{
	struct qf *q = sm_arena_zalloc(a, sizeof(*q));

	q->version = QF_VERSION;
	q->has_version = true;
	q->macro_tail = &q->macros;
	q->rcpt_tail = &q->rcpts;
	q->header_tail = &q->headers;
	return q;
}

void qf_add_macro(struct qf *q, struct sm_arena *a, const char *name, const char *value)
{
	struct qf_macro *m = sm_arena_zalloc(a, sizeof(*m));

	m->name = sm_arena_strdup(a, name);
	m->value = sm_arena_strdup(a, value);
	*q->macro_tail = m;
	q->macro_tail = &m->next;
}

struct qf_rcpt *qf_add_rcpt(struct qf *q, struct sm_arena *a, unsigned flags, const char *addr)
{
	struct qf_rcpt *r = sm_arena_zalloc(a, sizeof(*r));

	r->flags = flags;
	r->flags_extra = "";
	r->addr = sm_arena_strdup(a, addr);
	*q->rcpt_tail = r;
	q->rcpt_tail = &r->next;
	return r;
}

struct qf_header *qf_add_header(struct qf *q, struct sm_arena *a, const char *cond,
				const char *name, const char *value)
{
	struct qf_header *h = sm_arena_zalloc(a, sizeof(*h));

	h->cond = cond == NULL ? NULL : sm_arena_strdup(a, cond);
	h->name = sm_arena_strdup(a, name);
	h->value = sm_arena_strdup(a, value);
	*q->header_tail = h;
	q->header_tail = &h->next;
	return h;
}

void qf_set_inode(struct qf *q, const struct stat *st)
{
	q->has_inode = true;
	q->dev_major = (long)major(st->st_dev);
	q->dev_minor = (long)minor(st->st_dev);
	q->inode = (unsigned long long)st->st_ino;
}

bool qf_has_flag(const struct qf *q, int f)
{
	return q->flags != NULL && f != '\0' && strchr(q->flags, f) != NULL;
}

bool qf_header_has_flag(const struct qf_header *h, int f)
{
	return h->cond != NULL && h->cond[0] != '$' && f != '\0' && strchr(h->cond, f) != NULL;
}

const char *qf_header_macro(const struct qf_header *h, struct sm_arena *a)
{
	size_t n;

	if (h->cond == NULL || h->cond[0] != '$' || h->cond[1] == '\0')
		return NULL;
	n = strlen(h->cond);
	if (h->cond[1] == '{' && h->cond[n - 1] == '}')
		return sm_arena_memdup(a, h->cond + 2, n - 3);
	return sm_arena_memdup(a, h->cond + 1, 1);
}

/* Append s so that it stays inside the current line (see the header). */
static void qw_text(struct sm_buf *out, const char *s, bool header)
{
	for (; *s != '\0'; s++) {
		if (*s != '\n') {
			sm_buf_putc(out, *s);
		} else if (s[1] == ' ' || s[1] == '\t') {
			sm_buf_putc(out, '\n');
		} else if (header) {
			sm_buf_puts(out, "\n\t");
		} else {
			sm_buf_putc(out, ' ');
		}
	}
}

/* "<letter><text>\n" if text is set. */
static void qw_line(struct sm_buf *out, int letter, const char *text)
{
	if (text == NULL)
		return;
	sm_buf_putc(out, letter);
	qw_text(out, text, false);
	sm_buf_putc(out, '\n');
}

static void qw_envelope(const struct qf *q, struct sm_buf *out)
{
	if (q->has_version)
		sm_buf_printf(out, "V%d\n", q->version);
	sm_buf_printf(out, "T%lld\nK%lld\nN%d\nP%ld\n", q->ctime, q->dtime, q->ntries,
		      q->priority);
	if (q->has_inode)
		sm_buf_printf(out, "I%ld/%ld/%llu\n", q->dev_major, q->dev_minor, q->inode);
	qw_line(out, 'd', q->datadir);
	qw_line(out, 'B', q->bodytype);
	qw_line(out, 'M', q->message);
	qw_line(out, 'F', q->flags);
	for (const struct qf_macro *m = q->macros; m != NULL; m = m->next) {
		sm_buf_putc(out, '$');
		qw_text(out, m->name, false);
		qw_text(out, m->value, false);
		sm_buf_putc(out, '\n');
	}
	qw_line(out, 'q', q->quarantine);
	qw_line(out, 'S', q->sender);
	qw_line(out, 'Z', q->envid);
	qw_line(out, 'A', q->auth);
	if (q->has_deliver_by)
		sm_buf_printf(out, "!%c %ld\n", q->deliver_by_flag, q->deliver_by);
}

/* One recipient: its C (when needed), Q, r and R lines. */
static void qw_rcpt(const struct qf *q, const struct qf_rcpt *r, const struct qf_ctl **last,
		    struct sm_buf *out)
{
	if (r->ctl_line != NULL) {
		qw_line(out, 'C', r->ctl_line);
		*last = r->ctl;
	} else if (r->ctl != *last) {
		qw_line(out, 'C', r->ctl == NULL ? "" : r->ctl->raw);
		*last = r->ctl;
	}
	qw_line(out, 'Q', r->orcpt);
	qw_line(out, 'r', r->final_rcpt);
	sm_buf_putc(out, 'R');
	if (q->version >= 1) {
		for (int i = 0; QF_R_LETTERS[i] != '\0'; i++)
			if (r->flags & (1u << i))
				sm_buf_putc(out, QF_R_LETTERS[i]);
		qw_text(out, r->flags_extra == NULL ? "" : r->flags_extra, false);
		sm_buf_putc(out, ':');
	}
	qw_text(out, r->addr, false);
	sm_buf_putc(out, '\n');
}

void qf_format(const struct qf *q, struct sm_buf *out)
{
	const struct qf_ctl *last = NULL;

	qw_envelope(q, out);
	for (const struct qf_rcpt *r = q->rcpts; r != NULL; r = r->next)
		qw_rcpt(q, r, &last, out);
	for (const struct qf_header *h = q->headers; h != NULL; h = h->next) {
		sm_buf_putc(out, 'H');
		if (h->cond != NULL) {
			sm_buf_putc(out, '?');
			qw_text(out, h->cond, false);
			sm_buf_putc(out, '?');
		}
		qw_text(out, h->name, false);
		sm_buf_putc(out, ':');
		qw_text(out, h->value, true);
		sm_buf_putc(out, '\n');
	}
	sm_buf_puts(out, ".\n");
}

/* ---- disk ---- */

/* Close fd keeping errno; returns -1. */
static int qw_fail(int fd)
{
	int e = errno;

	if (fd >= 0)
		close(fd);
	errno = e;
	return -1;
}

int queue_df_create(const struct qdir *d, struct qid_gen *g, mode_t mode, const char *want,
		    char id_out[QID_BUFSIZE])
{
	struct sm_buf path = SM_BUF_INIT;
	int fd = -1;

	for (int tries = 0; tries < QF_CREATE_TRIES && fd < 0; tries++) {
		if (tries == 0 && want != NULL && qid_valid(want))
			snprintf(id_out, QID_BUFSIZE, "%s", want);
		else
			qid_next(g, id_out);
		qdir_file(d, QT_DATA, id_out, &path);
		fd = open(sm_buf_str(&path), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	sm_buf_free(&path);
	if (fd < 0)
		return -1;
	if (fchmod(fd, mode) < 0 || qlock(fd, QLOCK_EX) < 0)
		return qw_fail(fd);
	return fd;
}

int queue_df_sync(int fd)
{
	return fsync(fd);
}

/* Write all of buf to fd. */
static int qw_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Create the tf, removing a stale (unlocked) one left by a crash. */
static int qw_open_tf(const char *tf, mode_t mode)
{
	for (int tries = 0; tries < 2; tries++) {
		int fd = open(tf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode), old;

		if (fd >= 0) {
			if (fchmod(fd, mode) < 0 || qlock(fd, QLOCK_EX | QLOCK_NB) < 0) {
				unlink(tf);
				return qw_fail(fd);
			}
			return fd;
		}
		if (errno != EEXIST || (old = open(tf, O_RDONLY | O_CLOEXEC)) < 0)
			return -1;
		if (qlock(old, QLOCK_EX | QLOCK_NB) < 0) {
			qw_fail(old);
			errno = EWOULDBLOCK; /* someone is rewriting this entry */
			return -1;
		}
		unlink(tf);
		close(old);
	}
	errno = EEXIST;
	return -1;
}

/* fsync the directory that holds path's kind of file. */
static int qw_sync_dir(const struct qdir *d)
{
	struct sm_buf dir = SM_BUF_INIT;
	int fd, rc;

	qdir_subdir(d, QT_CONTROL, &dir);
	fd = open(sm_buf_str(&dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sm_buf_free(&dir);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int queue_qf_commit(const struct qdir *d, const char *id, const struct qf *q, mode_t mode)
{
	struct sm_buf tf = SM_BUF_INIT, qfp = SM_BUF_INIT, data = SM_BUF_INIT;
	int fd;

	qdir_file(d, QT_TEMP, id, &tf);
	qdir_file(d, QT_CONTROL, id, &qfp);
	qf_format(q, &data);
	fd = qw_open_tf(sm_buf_str(&tf), mode);
	if (fd >= 0 && (qw_write_all(fd, data.data, data.len) < 0 || fsync(fd) < 0 ||
			rename(sm_buf_str(&tf), sm_buf_str(&qfp)) < 0)) {
		int e = errno;

		unlink(sm_buf_str(&tf));
		close(fd);
		fd = -1;
		errno = e;
	}
	if (fd >= 0)
		(void)qw_sync_dir(d);
	sm_buf_free(&tf);
	sm_buf_free(&qfp);
	sm_buf_free(&data);
	return fd;
}
