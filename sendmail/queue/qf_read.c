/*
 * qf_read: the qf reader.
 *
 * Input is split into logical lines: a physical line ends with '\n' (a
 * '\r' before it is dropped, as 8.17's fixcrlf does); following physical
 * lines that start with a blank or a tab continue it and are joined with
 * the '\n' kept, so header values come back as "\n\t..." exactly as they
 * were written.  Each logical line's first byte picks a handler from the
 * table below; the file must end with a line holding only ".".
 *
 * Strict where 8.17 loses the file (renames it to Qf) or misreads it:
 * unknown letters, an empty line, a version above QF_VERSION, a B value
 * other than 7BIT/8BITMIME, H lines without "name:", a ${ without }, R
 * lines without ':' (8.17 silently drops such a recipient), bad numbers,
 * NUL bytes, anything after ".", a missing "." or final newline.
 * Tolerant where 8.17 is: no V line (version 0: R lines carry no flags),
 * unknown R flag letters (kept in flags_extra), repeated single-valued
 * lines (the last wins), the obsolete D, E and L lines.
 * Bounded: QF_MAX_SIZE bytes per file, QF_MAX_LINE per logical line.
 *
 * Errors: "NAME:LINE: text" in the caller's sm_buf, LINE being the first
 * physical line of the offending logical line.
 *
 * Public: qf_parse, qf_read_file, qf_read_fd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_mem.h"
#include "sendmail/queue/queue.h"

struct qf_reader {
	const char *name;
	const char *p, *end;  /* unread input */
	int lineno;           /* first physical line of the current line */
	int next_lineno;
	struct sm_buf line;   /* current logical line */
	struct sm_arena *a;
	struct sm_buf *err;
	struct qf *q;
	bool seen_any;        /* a line was handled (for "V first") */
	bool done;            /* "." seen */
	const char *orcpt;    /* pending Q line */
	const char *final;    /* pending r line */
	const struct qf_ctl *ctl;
	bool ctl_new;
};

/* Record an error at the current line; always returns -1. */
__attribute__((format(printf, 2, 3))) static int qr_error(struct qf_reader *r, const char *fmt,
							   ...)
{
	va_list ap;

	sm_buf_reset(r->err);
	sm_buf_printf(r->err, "%s:%d: ", r->name, r->lineno);
	va_start(ap, fmt);
	sm_buf_vprintf(r->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Append one physical line (without '\n' and a '\r' before it). */
static int qr_physical(struct qf_reader *r)
{
	const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
	size_t n;

	if (nl == NULL)
		return qr_error(r, "truncated line (no newline at end of file)");
	n = (size_t)(nl - r->p);
	if (memchr(r->p, '\0', n) != NULL)
		return qr_error(r, "NUL byte in line");
	if (n > 0 && r->p[n - 1] == '\r')
		n--;
	if (r->line.len + n > QF_MAX_LINE)
		return qr_error(r, "line longer than %u bytes", QF_MAX_LINE);
	sm_buf_append(&r->line, r->p, n);
	r->p = nl + 1;
	r->next_lineno++;
	return 0;
}

/* Read the next logical line into r->line: 1, 0 at end of input, -1. */
static int qr_next(struct qf_reader *r)
{
	if (r->p >= r->end)
		return 0;
	sm_buf_reset(&r->line);
	r->lineno = r->next_lineno;
	if (qr_physical(r) < 0)
		return -1;
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t')) {
		sm_buf_putc(&r->line, '\n');
		if (qr_physical(r) < 0)
			return -1;
	}
	return 1;
}

/* Parse a whole decimal number (optional '-'); false if s is not one. */
static bool qr_number(const char *s, long long *v)
{
	char *e;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	*v = strtoll(s, &e, 10);
	return errno == 0 && *e == '\0';
}

/* A number line (T K N P): the value, or an error. */
static int qr_num_line(struct qf_reader *r, const char *arg, long long *v)
{
	if (!qr_number(arg, v))
		return qr_error(r, "bad number in %c line: \"%.40s\"", r->line.data[0], arg);
	return 0;
}

static char *qr_dup(struct qf_reader *r, const char *s)
{
	return sm_arena_strdup(r->a, s);
}

static int qr_version(struct qf_reader *r, const char *arg)
{
	long long v = 0;

	if (r->seen_any)
		return qr_error(r, "V line is not the first line");
	if (qr_num_line(r, arg, &v) < 0)
		return -1;
	if (v < 0 || v > QF_VERSION)
		return qr_error(r, "queue file version %lld greater than max (%d)", v,
				QF_VERSION);
	r->q->version = (int)v;
	r->q->has_version = true;
	return 0;
}

static int qr_ctime(struct qf_reader *r, const char *arg)
{
	return qr_num_line(r, arg, &r->q->ctime);
}

static int qr_dtime(struct qf_reader *r, const char *arg)
{
	return qr_num_line(r, arg, &r->q->dtime);
}

static int qr_ntries(struct qf_reader *r, const char *arg)
{
	long long v = 0;

	if (qr_num_line(r, arg, &v) < 0)
		return -1;
	r->q->ntries = (int)v;
	return 0;
}

static int qr_priority(struct qf_reader *r, const char *arg)
{
	long long v = 0;

	if (qr_num_line(r, arg, &v) < 0)
		return -1;
	r->q->priority = (long)v;
	return 0;
}

/* I major/minor/inode of the df. */
static int qr_inode(struct qf_reader *r, const char *arg)
{
	long major, minor;
	unsigned long long ino;
	int used = 0;

	if (sscanf(arg, "%ld/%ld/%llu%n", &major, &minor, &ino, &used) != 3 ||
	    arg[used] != '\0')
		return qr_error(r, "bad I line: \"%.40s\"", arg);
	r->q->has_inode = true;
	r->q->dev_major = major;
	r->q->dev_minor = minor;
	r->q->inode = ino;
	return 0;
}

static int qr_bodytype(struct qf_reader *r, const char *arg)
{
	if (strcasecmp(arg, "7BIT") != 0 && strcasecmp(arg, "8BITMIME") != 0)
		return qr_error(r, "bad body type \"%.40s\"", arg);
	r->q->bodytype = qr_dup(r, arg);
	return 0;
}

static int qr_string(struct qf_reader *r, const char *arg)
{
	const char *v = qr_dup(r, arg);

	switch (r->line.data[0]) {
	case 'M': r->q->message = v; break;
	case 'q': r->q->quarantine = v; break;
	case 'F': r->q->flags = v; break;
	case 'S': r->q->sender = v; break;
	case 'Z': r->q->envid = v; break;
	case 'A': r->q->auth = v; break;
	case 'Q': r->orcpt = v; break;
	case 'r': r->final = v; break;
	default: break;
	}
	return 0;
}

static int qr_datadir(struct qf_reader *r, const char *arg)
{
	if (*arg == '\0')
		return qr_error(r, "empty d line");
	r->q->datadir = qr_dup(r, arg);
	return 0;
}

/* $x value or ${name} value. */
static int qr_macro(struct qf_reader *r, const char *arg)
{
	const char *name_end;

	if (*arg == '\0')
		return qr_error(r, "macro line without a name");
	if (*arg == '{') {
		name_end = strchr(arg, '}');
		if (name_end == NULL || name_end == arg + 1)
			return qr_error(r, "unbalanced { in macro line \"%.40s\"", arg);
		name_end++;
	} else {
		name_end = arg + 1;
	}
	qf_add_macro(r->q, r->a, sm_arena_memdup(r->a, arg, (size_t)(name_end - arg)), name_end);
	return 0;
}

/* ! <flag byte> SP <seconds> */
static int qr_deliver_by(struct qf_reader *r, const char *arg)
{
	long long v = 0;

	if (arg[0] == '\0' || arg[1] != ' ' || !qr_number(arg + 2, &v))
		return qr_error(r, "bad deliver-by line: \"%.40s\"", arg);
	r->q->has_deliver_by = true;
	r->q->deliver_by_flag = (unsigned char)arg[0];
	r->q->deliver_by = (long)v;
	return 0;
}

/* Split "user:uid:gid:addr" (or the shorter historic forms) into c. */
static int qr_ctl_fields(struct qf_reader *r, const char *arg, struct qf_ctl *c)
{
	const char *p1 = strchr(arg, ':'), *p2, *p3;
	long long uid, gid;

	if (p1 == NULL) { /* "Cuser": user only, as very old files have it */
		c->user = qr_dup(r, arg);
		return 0;
	}
	c->user = sm_arena_memdup(r->a, arg, (size_t)(p1 - arg));
	p2 = strchr(p1 + 1, ':');
	p3 = p2 == NULL ? NULL : strchr(p2 + 1, ':');
	if (p3 == NULL)
		return qr_error(r, "bad C line: \"%.40s\"", arg);
	if (!qr_number(sm_arena_memdup(r->a, p1 + 1, (size_t)(p2 - p1 - 1)), &uid) ||
	    !qr_number(sm_arena_memdup(r->a, p2 + 1, (size_t)(p3 - p2 - 1)), &gid))
		return qr_error(r, "bad uid or gid in C line: \"%.40s\"", arg);
	c->uid = (long)uid;
	c->gid = (long)gid;
	c->addr = qr_dup(r, p3 + 1);
	return 0;
}

static int qr_ctl(struct qf_reader *r, const char *arg)
{
	struct qf_ctl *c = sm_arena_zalloc(r->a, sizeof(*c));

	c->raw = qr_dup(r, arg);
	r->ctl_new = true;
	if (*arg == '\0') { /* bare C: no controlling user from here on */
		r->ctl = c;
		return 0;
	}
	if (*arg == ':')
		c->addr = qr_dup(r, arg + 1);
	else if (qr_ctl_fields(r, arg, c) < 0)
		return -1;
	r->ctl = c;
	return 0;
}

/* Flag letters up to ':' (version >= 1), then the address. */
static int qr_rcpt(struct qf_reader *r, const char *arg)
{
	struct sm_buf extra = SM_BUF_INIT;
	const char *addr = arg, *colon;
	unsigned flags = 0;
	struct qf_rcpt *rc;

	if (r->q->version >= 1) {
		colon = strchr(arg, ':');
		if (colon == NULL)
			return qr_error(r, "R line without ':': \"%.40s\"", arg);
		for (const char *p = arg; p < colon; p++) {
			const char *f = strchr(QF_R_LETTERS, *p);

			if (f != NULL)
				flags |= 1u << (f - QF_R_LETTERS);
			else
				sm_buf_putc(&extra, *p);
		}
		addr = colon + 1;
	}
	rc = qf_add_rcpt(r->q, r->a, flags, addr);
	rc->flags_extra = qr_dup(r, sm_buf_str(&extra));
	sm_buf_free(&extra);
	rc->orcpt = r->orcpt;
	rc->final_rcpt = r->final;
	rc->ctl = (r->ctl != NULL && r->ctl->raw[0] != '\0') ? r->ctl : NULL;
	rc->ctl_line = r->ctl_new ? r->ctl->raw : NULL;
	r->orcpt = r->final = NULL;
	r->ctl_new = false;
	return 0;
}

/* H[?cond?]Name: value */
static int qr_header(struct qf_reader *r, const char *arg)
{
	const char *cond = NULL, *p = arg, *colon;

	if (*p == '?') {
		const char *close = strchr(p + 1, '?');

		if (close == NULL)
			return qr_error(r, "header syntax error, line \"%.40s\"", arg);
		cond = sm_arena_memdup(r->a, p + 1, (size_t)(close - p - 1));
		p = close + 1;
	}
	colon = strchr(p, ':');
	if (colon == NULL || colon == p || memchr(p, '\n', (size_t)(colon - p)) != NULL)
		return qr_error(r, "header syntax error, line \"%.40s\"", arg);
	qf_add_header(r->q, r->a, cond, sm_arena_memdup(r->a, p, (size_t)(colon - p)),
		      colon + 1);
	return 0;
}

static int qr_errors_to(struct qf_reader *r, const char *arg)
{
	struct qf *q = r->q;
	const char **v = sm_arena_array(r->a, q->nerrors_to + 1, sizeof(*v));

	if (q->nerrors_to > 0)
		memcpy(v, q->errors_to, q->nerrors_to * sizeof(*v));
	v[q->nerrors_to++] = qr_dup(r, arg);
	q->errors_to = v;
	return 0;
}

static int qr_ignore(struct qf_reader *r, const char *arg)
{
	(void)r;
	(void)arg;
	return 0;
}

static int qr_end(struct qf_reader *r, const char *arg)
{
	if (*arg != '\0')
		return qr_error(r, "bad line \"%.40s\"", r->line.data);
	r->done = true;
	return 0;
}

static const struct {
	char letter;
	int (*fn)(struct qf_reader *r, const char *arg);
} qr_table[] = {
	{'V', qr_version},  {'T', qr_ctime},     {'K', qr_dtime},   {'N', qr_ntries},
	{'P', qr_priority}, {'I', qr_inode},     {'B', qr_bodytype}, {'M', qr_string},
	{'q', qr_string},   {'F', qr_string},    {'S', qr_string},  {'Z', qr_string},
	{'A', qr_string},   {'Q', qr_string},    {'r', qr_string},  {'d', qr_datadir},
	{'$', qr_macro},    {'!', qr_deliver_by}, {'C', qr_ctl},    {'R', qr_rcpt},
	{'H', qr_header},   {'E', qr_errors_to}, {'D', qr_ignore},  {'L', qr_ignore},
	{'.', qr_end},
};

/* Handle one logical line. */
static int qr_dispatch(struct qf_reader *r)
{
	const char *s = sm_buf_str(&r->line);

	for (size_t i = 0; i < sizeof(qr_table) / sizeof(qr_table[0]); i++) {
		if (s[0] != '\0' && qr_table[i].letter == s[0]) {
			int rc = qr_table[i].fn(r, s + 1);

			r->seen_any = true;
			return rc;
		}
	}
	return qr_error(r, "bad line \"%.40s\"", s);
}

int qf_parse(const char *data, size_t len, const char *name, struct sm_arena *a,
	     struct qf **out, struct sm_buf *err)
{
	struct qf_reader r;
	int rc = 0, got;

	memset(&r, 0, sizeof(r));
	r.name = name;
	r.p = data;
	r.end = data + len;
	r.next_lineno = 1;
	r.a = a;
	r.err = err;
	r.q = qf_new(a);
	r.q->version = 0;
	r.q->has_version = false;
	if (len > QF_MAX_SIZE)
		return qr_error(&r, "file larger than %u bytes", QF_MAX_SIZE);
	while (rc == 0 && !r.done && (got = qr_next(&r)) != 0)
		rc = got < 0 ? -1 : qr_dispatch(&r);
	if (rc == 0 && !r.done) {
		r.lineno = r.next_lineno;
		rc = qr_error(&r, "incomplete queue file (no \".\" line)");
	}
	if (rc == 0 && r.p < r.end) {
		r.lineno = r.next_lineno;
		rc = qr_error(&r, "data after the \".\" line");
	}
	sm_buf_free(&r.line);
	if (rc == 0)
		*out = r.q;
	return rc;
}

int qf_read_fd(int fd, const char *name, struct sm_arena *a, struct qf **out,
	       struct sm_buf *err)
{
	struct sm_buf data = SM_BUF_INIT;
	char chunk[65536];
	ssize_t n;
	int rc;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || data.len + (size_t)n > QF_MAX_SIZE) {
			sm_buf_reset(err);
			sm_buf_printf(err, "%s: %s", name,
				      n < 0 ? strerror(errno) : "file too large");
			sm_buf_free(&data);
			return -1;
		}
		sm_buf_append(&data, chunk, (size_t)n);
	}
	rc = qf_parse(sm_buf_str(&data), data.len, name, a, out, err);
	sm_buf_free(&data);
	return rc;
}

int qf_read_file(const char *path, struct sm_arena *a, struct qf **out, struct sm_buf *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		sm_buf_reset(err);
		sm_buf_printf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	rc = qf_read_fd(fd, path, a, out, err);
	close(fd);
	return rc;
}
