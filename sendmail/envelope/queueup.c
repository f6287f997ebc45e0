/*
 * envelope/queueup: an envelope to the queue and back.
 *
 *   env_to_qf       the qf of an envelope, as Sendmail 8.17 writes one at
 *                   submission: V T K N P B M F, the persistent macros
 *                   (single-letter ones by letter, then long names), S Z
 *                   A, for every recipient still to deliver its C line
 *                   when the controlling user changes, Q r R, the headers
 *   env_queue       df (fsynced) then qf (tf, fsync, rename) through
 *                   sendmail/queue; recipients reached through an owner-
 *                   alias go in an envelope of their own whose sender is
 *                   the owner, as Sendmail splits them; logs from= lines
 *   env_from_qf     a qf read back into an envelope (queue runs)
 *   env_add_qf_rcpts  its recipients through recipient() again
 *   env_qf_add_rcpt   one recipient as R line (and C, Q, r lines)
 *   env_split_owners  queue runs: recipients reached through an owner-
 *                   alias move to entries of their own (df copied)
 *
 * The C line of a recipient (Sendmail's printctladdr) names its
 * controlling user: "user:uid:gid:alias" where the nearest ancestor with
 * a known uid gives user/uid/gid and the recipient's parent gives the
 * alias address; ":alias" when that uid is 0; a bare "C" when a
 * recipient without a parent follows one with a C line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"
#include "sendmail/queue/queue.h"

static struct qid_gen env_qid_gen = QID_GEN_INIT;

/* The F line letters in 8.17's order. */
static const char *flag_letters(struct envelope *e)
{
	static const struct {
		unsigned flag;
		char letter;
	} order[] = {{EF_WARNING, 'w'},    {EF_RESPONSE, 'r'},  {EF_HAS8BIT, '8'},
	             {EF_DELETE_BCC, 'b'}, {EF_RET_PARAM, 'd'}, {EF_NO_BODY_RETN, 'n'},
	             {EF_SPLIT, 's'}};
	char buf[16];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (e->eflags & order[i].flag)
			buf[n++] = order[i].letter;
	buf[n] = '\0';
	return sm_arena_strdup(e->arena, buf);
}

struct pm_arg {
	struct envelope *e;
	const char *names[256]; /* class members, in class order */
	size_t n;
};

static bool collect_name(const char *word, void *arg)
{
	struct pm_arg *pa = arg;

	if (pa->n < sizeof(pa->names) / sizeof(pa->names[0]))
		pa->names[pa->n++] = word;
	return true;
}

/* The ${persistentMacros} that are set: single letters in letter order, then names. */
static void persistent_macros(struct envelope *e, struct qf *q)
{
	struct pm_arg pa;

	memset(&pa, 0, sizeof(pa));
	pa.e = e;
	class_foreach(e->cf->classes, macro_id("{persistentMacros}"), collect_name, &pa);
	for (int c = 1; c < 256; c++)
		for (size_t i = 0; i < pa.n; i++) {
			const char *name = macro_name(macro_id(pa.names[i]));
			const char *v;

			if (strlen(name) != 1 || (unsigned char)name[0] != c)
				continue;
			v = macro_get(e->macros, macro_id(name));
			if (v != NULL)
				qf_add_macro(q, e->arena, name, v);
		}
	for (size_t i = 0; i < pa.n; i++) {
		const char *name = macro_name(macro_id(pa.names[i]));
		const char *v = macro_get(e->macros, macro_id(name));

		if (strlen(name) > 1 && v != NULL)
			qf_add_macro(q, e->arena, name, v);
	}
}

/* The C line text for r, NULL when r has no parent. */
static const char *ctl_text(struct envelope *e, const struct env_rcpt *r)
{
	const struct env_rcpt *c;
	const char *uname;

	if (r->ctl_raw != NULL)
		return r->ctl_raw;
	if (r->alias == NULL)
		return NULL;
	c = env_ctladdr(r);
	uname = c == NULL ? NULL : c->ruser != NULL ? c->ruser : c->user;
	if (c == NULL || c->uid == 0 || uname == NULL || *uname == '\0')
		return sm_arena_printf(e->arena, ":%s", r->alias->paddr);
	return sm_arena_printf(e->arena, "%s:%ld:%ld:%s", uname, (long)c->uid, (long)c->gid,
	                       r->alias->paddr);
}

static unsigned rcpt_qflags(const struct env_rcpt *r)
{
	unsigned f = 0;

	if (r->flags & ER_PRIMARY)
		f |= QF_R_PRIMARY;
	if (r->flags & ER_NOTIFY_SET)
		f |= QF_R_HASNOTIFY;
	if (r->flags & ER_NOTIFY_SUCCESS)
		f |= QF_R_SUCCESS;
	if (r->flags & ER_NOTIFY_FAILURE)
		f |= QF_R_FAILURE;
	if (r->flags & ER_NOTIFY_DELAY)
		f |= QF_R_DELAY;
	if ((r->alias != NULL && (r->alias->flags & ER_ISALIAS)) || (r->flags & ER_ALIAS))
		f |= QF_R_ALIAS;
	return f;
}

/* The first owner- in r's alias chain (NULL: none). */
static const char *rcpt_owner(const struct env_rcpt *r)
{
	for (int i = 0; r != NULL && i < 10000; i++, r = r->alias)
		if (r->owner != NULL)
			return r->owner;
	return NULL;
}

void env_qf_add_rcpt(struct envelope *e, struct qf *q, const struct env_rcpt *r, const char **last)
{
	struct qf_rcpt *qr = qf_add_rcpt(q, e->arena, rcpt_qflags(r), r->paddr);
	const char *ctl = ctl_text(e, r);

	if (ctl != NULL && (*last == NULL || strcmp(ctl, *last) != 0))
		qr->ctl_line = ctl;
	else if (ctl == NULL && *last != NULL)
		qr->ctl_line = "";
	*last = ctl;
	qr->orcpt = r->orcpt;
	qr->final_rcpt = r->finalrcpt;
}

/* The recipients of the envelope whose owner is owner (NULL: the main one);
 * all of them when !split. */
static void add_rcpts(struct envelope *e, struct qf *q, const char *owner, bool split)
{
	const char *last = NULL;

	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const char *o = rcpt_owner(r);

		if (!env_rcpt_queued(r))
			continue;
		if (split &&
		    ((o == NULL) != (owner == NULL) || (o != NULL && strcmp(o, owner) != 0)))
			continue;
		env_qf_add_rcpt(e, q, r, &last);
	}
}

/* "?flags?" text of a header: its mailer flags in byte order, or ${macro}. */
static const char *header_cond(struct envelope *e, const struct env_header *h)
{
	char buf[257];
	size_t n = 0;

	if (h->macro_cond != NULL)
		return sm_arena_printf(e->arena, "$%s", h->macro_cond);
	if (!h->has_mflags)
		return "";
	for (int c = 1; c < 256; c++)
		if (h->mflags[c / 8] & (1u << (c % 8)))
			buf[n++] = (char)c;
	buf[n] = '\0';
	return sm_arena_strdup(e->arena, buf);
}

static struct qf *qf_of(struct envelope *e, const char *owner, bool split)
{
	struct qf *q = qf_new(e->arena);

	q->ctime = e->ctime;
	q->priority = env_priority(e);
	q->bodytype = e->bodytype;
	q->message = owner == NULL ? e->message : NULL;
	q->flags = flag_letters(e);
	persistent_macros(e, q);
	q->sender = owner != NULL ? owner : e->sender;
	q->envid = e->envid;
	q->auth = e->auth;
	add_rcpts(e, q, owner, split);
	for (const struct env_header *h = e->headers; h != NULL; h = h->next)
		if (!(h->hflags & ENV_H_DELETED))
			qf_add_header(q, e->arena, header_cond(e, h), h->name, h->value);
	return q;
}

struct qf *env_to_qf(struct envelope *e)
{
	e->eflags |= EF_SPLIT;
	return qf_of(e, NULL, false);
}

/* Write the body into fd: e->body, or the df of a queue run (e->df_src_fd). */
static bool copy_body(struct envelope *e, int fd, long *size)
{
	char chunk[65536];
	const char *data = e->body.data;
	size_t len = e->body.len, off = 0;
	off_t src = 0;
	ssize_t got = 0;

	*size = 0;
	for (int i = 0; i < (1 << 30); i++) {
		if (e->df_src_fd >= 0) {
			if (off == len) {
				got = pread(e->df_src_fd, chunk, sizeof(chunk), src);
				if (got < 0 && errno == EINTR)
					continue;
				if (got <= 0)
					break;
				src += got;
				data = chunk;
				len = (size_t)got;
				off = 0;
			}
		} else if (off == len)
			break;
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		off += (size_t)w;
		*size += w;
	}
	return got >= 0;
}

/* Write the body as a new df (id want if free, NULL: any); fills id.
 * Returns EX_OK or a sysexits code. */
static int write_df(struct envelope *e, const struct qdir *d, const char *want,
                    char id[QID_BUFSIZE])
{
	mode_t mode = (mode_t)opt_num(e->cf->opt, OPT_QUEUE_FILE_MODE);
	int fd = queue_df_create(d, &env_qid_gen, mode, want, id);
	long size;

	if (fd < 0) {
		env_usrerr(e, NULL, EX_CANTCREAT, "queueup: cannot create queue file in %s: %s",
		           d->path, strerror(errno));
		return EX_CANTCREAT;
	}
	if (!copy_body(e, fd, &size) || queue_df_sync(fd) != 0) {
		struct sm_buf p = SM_BUF_INIT;

		env_usrerr(e, NULL, EX_IOERR, "collect: Cannot write df%s (%s)", id,
		           strerror(errno));
		qdir_file(d, QT_DATA, id, &p);
		(void)unlink(sm_buf_str(&p));
		sm_buf_free(&p);
		close(fd);
		return EX_IOERR;
	}
	e->dfsize = size;
	if (e->df_fd >= 0)
		close(e->df_fd);
	e->df_fd = fd;
	e->eflags |= EF_HAS_DF;
	return EX_OK;
}

/* Sendmail's logsender(): the from= line (LogLevel > 4). */
static void log_sender(struct envelope *e, const char *id, const char *sender, int nrcpts)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *relay = macro_get(e->macros, macro_id("_"));
	const char *proto = macro_get(e->macros, macro_id("r"));
	const char *daemon = macro_get(e->macros, macro_id("{daemon_name}"));

	if (opt_num(e->cf->opt, OPT_LOG_LEVEL) <= 4)
		return;
	sm_buf_printf(&b, "from=%s, size=%ld, class=%d, nrcpts=%d", sender, e->msgsize, e->msgclass,
	              nrcpts);
	if (e->msgid != NULL)
		sm_buf_printf(&b, ", msgid=%s", e->msgid);
	if (e->bodytype != NULL)
		sm_buf_printf(&b, ", bodytype=%s", e->bodytype);
	if (proto != NULL && *proto != '\0')
		sm_buf_printf(&b, ", proto=%s", proto);
	/* only a message that came through a named daemon (-bd) has it */
	if (daemon != NULL && *daemon != '\0')
		sm_buf_printf(&b, ", daemon=%.20s", daemon);
	if (relay != NULL)
		sm_buf_printf(&b, ", relay=%s", relay);
	mlog(LOG_INFO, id, "%s", sm_buf_str(&b));
	sm_buf_free(&b);
}

void env_log_sender(struct envelope *e, int nrcpts)
{
	log_sender(e, e->id, e->sender, nrcpts);
}

/* Count what an envelope's qf holds. */
static int qf_nrcpts(const struct qf *q)
{
	int n = 0;

	for (const struct qf_rcpt *r = q->rcpts; r != NULL; r = r->next)
		n++;
	return n;
}

/* Commit one envelope part (df written already under id). */
static int commit_one(struct envelope *e, const struct qdir *d, const char *id, struct qf *q)
{
	mode_t mode = (mode_t)opt_num(e->cf->opt, OPT_QUEUE_FILE_MODE);
	int fd = queue_qf_commit(d, id, q, mode);

	if (fd < 0) {
		env_usrerr(e, NULL, EX_CANTCREAT, "queueup: cannot commit qf%s: %s", id,
		           strerror(errno));
		return EX_CANTCREAT;
	}
	close(fd);
	return EX_OK;
}

/* The owners of e's recipients, distinct, in order (arena array, NULL-terminated). */
static const char **owners_of(struct envelope *e)
{
	size_t n = 0;
	const char **v;

	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next)
		n++;
	v = sm_arena_array(e->arena, n + 1, sizeof(*v));
	n = 0;
	for (const struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const char *o = rcpt_owner(r);
		size_t i;

		if (o == NULL || !env_rcpt_queued(r))
			continue;
		for (i = 0; i < n && strcmp(v[i], o) != 0; i++)
			;
		if (i == n)
			v[n++] = o;
	}
	v[n] = NULL;
	return v;
}

/* Queue the part of e owned by owner (NULL: the main part), if it has
 * recipients; its id goes to id_out ("" when nothing was queued). */
static int queue_part(struct envelope *e, const struct qdir *d, const char *owner, bool first,
                      char id_out[QID_BUFSIZE])
{
	char id[QID_BUFSIZE];
	struct qf *q;
	int rc;
	unsigned saved = e->eflags;

	id_out[0] = '\0';
	if (owner != NULL)
		e->eflags &= ~EF_DELETE_BCC;
	q = qf_of(e, owner, true);
	e->eflags = saved;
	if (q->rcpts == NULL)
		return EX_OK;
	if (first && e->id[0] != '\0' && e->df_fd >= 0) {
		memcpy(id, e->id, sizeof(e->id));
	} else {
		rc = write_df(e, d, NULL, id);
		if (rc != EX_OK)
			return rc;
	}
	rc = commit_one(e, d, id, q);
	if (rc == EX_OK) {
		log_sender(e, id, owner != NULL ? owner : e->sender, qf_nrcpts(q));
		if (first)
			memcpy(e->id, id, sizeof(e->id));
		memcpy(id_out, id, QID_BUFSIZE);
	}
	return rc;
}

int env_queue(struct envelope *e, const struct qdir *d)
{
	const char **owners = owners_of(e);
	char id[QID_BUFSIZE];
	int rc = EX_OK, r;

	e->eflags |= EF_SPLIT;
	e->priority = env_priority(e);
	r = queue_part(e, d, NULL, true, id);
	if (r != EX_OK)
		rc = r;
	for (size_t i = 0; owners[i] != NULL; i++) {
		if (opt_num(e->cf->opt, OPT_LOG_LEVEL) > 4)
			mlog(LOG_INFO, e->id, "clone: owner=%s", owners[i]);
		r = queue_part(e, d, owners[i], false, id);
		if (r != EX_OK && rc == EX_OK)
			rc = r;
	}
	return rc;
}

/* Mark the recipients owned by owner as handed over to another entry. */
static void drop_owned(struct envelope *e, const char *owner)
{
	for (struct env_rcpt *r = e->rcpts; r != NULL; r = r->next) {
		const char *o = rcpt_owner(r);

		if (env_rcpt_queued(r) && o != NULL &&
		    strcmp(o, owner) == 0)
			r->state = RS_DONTSEND;
	}
}

size_t env_split_owners(struct envelope *e, const struct qdir *d, int dfd, char ***ids)
{
	const char **owners = owners_of(e);
	size_t n = 0, k = 0;
	int saved = e->df_src_fd;

	while (owners[n] != NULL)
		n++;
	*ids = sm_arena_array(e->arena, n + 1, sizeof(char *));
	if (n == 0)
		return 0;
	e->df_src_fd = dfd;
	for (size_t i = 0; i < n; i++) {
		char id[QID_BUFSIZE];

		if (queue_part(e, d, owners[i], false, id) != EX_OK || id[0] == '\0')
			continue; /* stays in this envelope, delivered with its sender */
		if (opt_num(e->cf->opt, OPT_LOG_LEVEL) > 4)
			mlog(LOG_INFO, e->id, "clone: owner=%s, new id %s", owners[i], id);
		(*ids)[k++] = sm_arena_strdup(e->arena, id);
		drop_owned(e, owners[i]);
	}
	e->df_src_fd = saved;
	return k;
}

int env_assign_id(struct envelope *e, const struct qdir *d)
{
	return env_assign_id_want(e, d, NULL);
}

int env_assign_id_want(struct envelope *e, const struct qdir *d, const char *want)
{
	char id[QID_BUFSIZE];
	int rc = write_df(e, d, want, id);

	if (rc == EX_OK) {
		memcpy(e->id, id, sizeof(e->id));
		macro_set(e->macros, macro_id("i"), e->id);
	}
	return rc;
}

static unsigned er_flags_of(unsigned qflags)
{
	unsigned f = ER_FROMQF;

	if (qflags & QF_R_PRIMARY)
		f |= ER_PRIMARY;
	if (qflags & QF_R_HASNOTIFY)
		f |= ER_NOTIFY_SET;
	if (qflags & QF_R_SUCCESS)
		f |= ER_NOTIFY_SUCCESS;
	if (qflags & QF_R_FAILURE)
		f |= ER_NOTIFY_FAILURE;
	if (qflags & QF_R_DELAY)
		f |= ER_NOTIFY_DELAY;
	if (qflags & QF_R_ALIAS)
		f |= ER_ALIAS;
	return f;
}

void env_from_qf(struct envelope *e, const struct qf *q)
{
	struct env_rcpt **tail = &e->rcpts;

	e->ctime = (time_t)q->ctime;
	e->priority = q->priority;
	e->bodytype = q->bodytype;
	e->message = q->message;
	e->sender = q->sender;
	e->envid = q->envid;
	e->auth = q->auth;
	for (const char *f = q->flags; f != NULL && *f != '\0'; f++)
		e->eflags |= *f == 'w'   ? EF_WARNING
		             : *f == 'r' ? EF_RESPONSE
		             : *f == '8' ? EF_HAS8BIT
		             : *f == 'b' ? EF_DELETE_BCC
		             : *f == 'd' ? EF_RET_PARAM
		             : *f == 'n' ? EF_NO_BODY_RETN
		             : *f == 's' ? EF_SPLIT
		                         : 0;
	for (const struct qf_macro *m = q->macros; m != NULL; m = m->next)
		macro_set(e->macros, macro_id(m->name), m->value);
	for (const struct qf_header *h = q->headers; h != NULL; h = h->next) {
		struct env_header *eh = env_header_add(e, h->name, h->value, ENV_H_USER);

		for (const char *c = h->cond; c != NULL && *c != '\0' && *c != '$'; c++) {
			eh->mflags[(unsigned char)*c / 8] |=
			    (unsigned char)(1u << ((unsigned char)*c % 8));
			eh->has_mflags = true;
		}
		if (h->cond != NULL && h->cond[0] == '$')
			eh->macro_cond = h->cond + 1;
	}
	for (const struct qf_rcpt *r = q->rcpts; r != NULL; r = r->next) {
		struct env_rcpt *er = sm_arena_zalloc(e->arena, sizeof(*er));

		er->paddr = r->addr;
		er->flags = er_flags_of(r->flags);
		er->orcpt = r->orcpt;
		er->finalrcpt = r->final_rcpt;
		er->ctl_raw = r->ctl != NULL ? r->ctl->raw : NULL;
		*tail = er;
		tail = &er->next;
	}
}

/* The controlling user a C line names, as a parent address. */
static struct env_rcpt *ctl_parent(struct envelope *e, const char *raw)
{
	struct env_rcpt *c;
	char *s, *p;

	if (raw == NULL || *raw == '\0')
		return NULL;
	c = sm_arena_zalloc(e->arena, sizeof(*c));
	s = sm_arena_strdup(e->arena, raw);
	c->state = RS_EXPANDED;
	p = strchr(s, ':');
	if (p == NULL) {
		c->paddr = s;
		return c;
	}
	*p++ = '\0';
	if (*s != '\0') {
		c->ruser = c->user = s;
		c->uid = (uid_t)strtol(p, &p, 10);
		if (*p == ':')
			c->gid = (gid_t)strtol(p + 1, &p, 10);
		if (*p == ':')
			p++;
		c->flags |= ER_GOODUID;
	}
	c->paddr = p;
	return c;
}

void env_add_qf_rcpts_each(struct envelope *e,
                           void (*each)(void *arg, const struct env_rcpt *qr, int n), void *arg)
{
	struct env_rcpt *list = e->rcpts;
	unsigned notify = e->rcpt_notify;

	e->rcpts = NULL;
	e->rcpt_notify = 0; /* the R line's flags are all there is (8.17's readqf) */
	for (struct env_rcpt *r = list, *next; r != NULL; r = next) {
		struct env_rcpt *parent = ctl_parent(e, r->ctl_raw);
		unsigned keep = r->flags; /* with ER_FROMQF: its NOTIFY is not inherited */
		const char *fr = r->finalrcpt, *orc = r->orcpt;
		int n;

		next = r->next;
		n = env_sendtolist(e, r->paddr, parent, parent != NULL ? 1 : 0, keep);
		if (each != NULL)
			each(arg, r, n);
		if (n == 0)
			continue;
		for (struct env_rcpt *q = e->rcpts; q != NULL; q = q->next)
			if (q->finalrcpt == NULL) {
				q->finalrcpt = fr;
				q->orcpt = orc;
			}
	}
	e->rcpt_notify = notify;
}

void env_add_qf_rcpts(struct envelope *e)
{
	env_add_qf_rcpts_each(e, NULL, NULL);
}
