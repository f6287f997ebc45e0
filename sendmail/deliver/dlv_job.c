/*
 * deliver/dlv_job: one queue entry, from lock to requeue or removal.
 *
 * Internal (dlv_int.h): dlv_job_run, dlv_job_resume, dlv_job_new_id,
 * dlv_verbose, dlv_set_result.
 *
 * Steps: lock the qf (flock LOCK_EX|LOCK_NB, as 8.17; a busy entry is
 * skipped), read it from the locked descriptor, open the df, set the
 * envelope macros, resolve the recipients (dlv_rcpt.c), deliver them
 * grouped by mailer (a mailer with F=% only in runs with -qI/-qR/-qS),
 * process failures and delays (dlv_dsn.c), then
 * either remove the entry (qf first, then df: a qf without its df would
 * be a broken entry, a df alone is only garbage) or write the qf again
 * with what is left (tf, fsync, rename: queue_qf_commit).
 *
 * Crash safety: the qf is rewritten only after a mailer has reported, so
 * a crash between a delivery and the rewrite delivers that recipient
 * again in the next run (at least once); it is never lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/envelope/envelope.h"

void dlv_verbose(struct dlv_job *j, const char *fmt, ...)
{
	va_list ap;

	if (!j->run->verbose)
		return;
	va_start(ap, fmt);
	vfprintf(j->run->vout != NULL ? j->run->vout : stdout, fmt, ap);
	va_end(ap);
	fputc('\n', j->run->vout != NULL ? j->run->vout : stdout);
	fflush(j->run->vout != NULL ? j->run->vout : stdout);
}

/* Sendmail's transient exit codes (markfailure). */
static bool transient(int code)
{
	return code == EX_TEMPFAIL || code == EX_IOERR || code == EX_OSERR;
}

/*
 * A mailer's exit status in the DSN as 8.17 has it: "550 5.1.1 addr...
 * User unknown" in the transcript (a 550 names the address, other codes
 * do not), the number as Diagnostic-Code, and as the reason when the
 * code has no name.
 */
static void exit_in_transcript(struct dlv_job *j, struct dlv_rcpt *r, int code, const char *text)
{
	const char *rc = dlv_exit_reply(code);

	r->diag = sm_arena_printf(j->a, "%d", code);
	if (sm_exit_text(code) == NULL)
		r->reason = r->diag;
	if (code == EX_USAGE) /* 8.17's report words this one differently */
		r->reason = text = "Command line usage error";
	if (strncmp(rc, "550", 3) == 0)
		sm_buf_printf(&j->xscript, "%s %s... %s\n", rc, r->addr, text);
	else
		sm_buf_printf(&j->xscript, "%s %s\n", rc, text);
}

void dlv_set_result(struct dlv_job *j, struct dlv_rcpt *r, int code, const char *dsn,
                    const char *stat, const char *reply)
{
	const char *text = sm_exit_text(code);

	if (text == NULL)
		text = sm_arena_printf(j->a, "unknown mailer error %d", code);
	r->dsn = dsn != NULL ? dsn : code == EX_OK ? "2.0.0" : dlv_exit_dsn(code);
	r->reply = reply;
	if (code == EX_OK) {
		r->state = DS_SENT;
		r->stat = stat != NULL ? stat : "Sent";
	} else if (transient(code) || (dsn != NULL && dsn[0] == '4')) {
		r->state = DS_TEMP;
		r->stat = stat != NULL ? stat : sm_arena_printf(j->a, "Deferred: %s", text);
		if (strncmp(r->stat, "Deferred", 8) != 0)
			r->stat = sm_arena_printf(j->a, "Deferred: %s", r->stat);
		j->defer_msg = r->stat;
	} else {
		r->state = DS_PERM;
		r->stat = stat != NULL ? stat : text;
	}
	if (code == EX_OK && (r->notify & ER_NOTIFY_SET) && (r->notify & ER_NOTIFY_SUCCESS))
		sm_buf_printf(&j->xscript, "%s... %s\n", r->addr,
		              r->m != NULL && mailer_flag(r->m, 'l')
		                  ? "Successfully delivered"
		                  : "relayed; expect no further notifications");
	if (code != EX_OK && stat == NULL && reply == NULL)
		exit_in_transcript(j, r, code, text);
	else if (code != EX_OK)
		sm_buf_printf(&j->xscript, "%s... %s\n", r->addr, reply != NULL ? reply : r->stat);
	dlv_verbose(j, "%s... %s", r->addr, r->stat);
}

/* The envelope from the qf (its $ lines among them), then what the job knows. */
static void set_envelope_macros(struct dlv_job *j)
{
	char t[32];

	env_from_qf(j->env, j->qf); /* the $ lines, headers, R lines */
	macro_set(j->mac, macro_id("i"), j->id);
	macro_set(j->mac, macro_id("f"), j->sender);
	snprintf(t, sizeof(t), "%lld", j->qf->ctime);
	macro_set(j->mac, macro_id("t"), t);
	for (const struct qf_header *h = j->qf->headers; h != NULL; h = h->next)
		if (strcasecmp(h->name, "Full-Name") == 0 && j->fullname == NULL) {
			const char *v = h->value;

			while (*v == ' ' || *v == '\t')
				v++;
			j->fullname = sm_arena_strdup(j->a, v);
		}
	if (j->fullname != NULL)
		macro_set(j->mac, macro_id("x"), j->fullname);
}

/* Sender as queued: "<>" and "" are the null sender. */
static void set_sender(struct dlv_job *j)
{
	const char *s = j->qf->sender != NULL ? j->qf->sender : "";

	j->sender = s;
	/* a DSN (F=r, EF_RESPONSE) goes out from <> whatever its S line says */
	j->null_sender = s[0] == '\0' || strcmp(s, "<>") == 0 || qf_has_flag(j->qf, QF_F_RESPONSE);
}

/* Open the df named by the d line or the queue's layout. */
static int open_df(struct dlv_job *j)
{
	struct sm_buf p = SM_BUF_INIT;
	struct stat st;
	int fd;

	if (j->qf->datadir != NULL)
		sm_buf_printf(&p, "%s/df%s", j->qf->datadir, j->id);
	else
		qdir_file(j->d, 'd', j->id, &p);
	fd = open(sm_buf_str(&p), O_RDONLY | O_CLOEXEC);
	sm_buf_free(&p);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0) {
		j->dfsize = st.st_size;
		qf_set_inode(j->qf, &st);
	}
	return fd;
}

/* Whether a mailer speaks LMTP on its pipe (F=z and no $u in A=). */
static bool speaks_lmtp(const struct mailer *m)
{
	if (!mailer_flag(m, 'z'))
		return false;
	for (const char **a = m->argv; a != NULL && *a != NULL; a++)
		if (strstr(*a, "$u") != NULL)
			return false;
	return true;
}

/* Can b go in the same mailer run as a? */
static bool same_group(const struct dlv_rcpt *a, const struct dlv_rcpt *b)
{
	if (b->state != DS_PENDING || b->m != a->m)
		return false;
	if (!mailer_flag(a->m, 'S') && (b->uid != a->uid || b->gid != a->gid))
		return false; /* the mailer runs as the controlling user */
	if ((a->host == NULL) != (b->host == NULL))
		return false;
	return a->host == NULL || strcasecmp(a->host, b->host) == 0;
}

/* The recipients that go with first (F=m, r= limit). */
static size_t collect_group(struct dlv_job *j, struct dlv_rcpt *first, struct dlv_rcpt **list)
{
	const struct mailer *m = first->m;
	size_t max = m->maxrcpt > 0 ? (size_t)m->maxrcpt : 100, n = 0;

	list[n++] = first;
	if (!mailer_flag(m, 'm'))
		return n;
	for (struct dlv_rcpt *r = first->next; r != NULL && n < max; r = r->next)
		if (same_group(first, r))
			list[n++] = r;
	return n;
}

/* A mailer run that wrote the message on the pipe and exits with a code. */
/* -X: what a plain mailer printed, line by line, then "[EOF]" as 8.17. */
static void traffic_output(const struct sm_buf *out)
{
	size_t start = 0;

	if (!dlv_traffic_on())
		return;
	for (size_t i = 0; i < out->len; i++) {
		if (out->data[i] != '\n')
			continue;
		struct sm_buf l = SM_BUF_INIT;

		sm_buf_append(&l, out->data + start, i - start);
		dlv_traffic_line("<<<", sm_buf_str(&l));
		sm_buf_free(&l);
		start = i + 1;
	}
	dlv_traffic_line("<<<", "[EOF]");
}

static void deliver_plain(struct dlv_job *j, const struct mailer *m, struct dlv_proc *p,
                          struct dlv_rcpt **list, size_t n)
{
	struct sm_buf out = SM_BUF_INIT;
	FILE *fp = fdopen(p->to, "w");
	int code, wr = -1;

	if (fp != NULL) {
		wr = dlv_traffic_msg_write(j, m, list[0], fp, false);
		if (fclose(fp) != 0)
			wr = -1;
	} else
		close(p->to);
	p->to = -1;
	code = dlv_exec_wait(p, &out);
	traffic_output(&out);
	if (code == EX_OK && wr < 0)
		code = EX_IOERR; /* the mailer stopped reading: not delivered */
	if (out.len > 0)
		sm_buf_append(&j->xscript, out.data, out.len);
	for (size_t i = 0; i < n; i++) {
		const char *stat = NULL;

		if (code == EX_TEMPFAIL)
			stat =
			    sm_arena_printf(j->a, "Deferred: %s exited with EX_TEMPFAIL", p->what);
		dlv_set_result(j, list[i], code, NULL, stat, NULL);
		if (code != EX_OK && list[i]->diag == NULL) /* the DSN's Diagnostic-Code */
			list[i]->diag = sm_arena_printf(j->a, "%d", code);
	}
	sm_buf_free(&out);
}

/* Log and count one mailer run whose outcomes are known. */
static void group_done(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n,
                       time_t xstart)
{
	dlv_log_to(j, m, list, n, xstart, NULL);
	for (size_t i = 0; i < n; i++)
		if (list[i]->state == DS_SENT) {
			dlv_stats(j, m);
			break;
		}
}

/* Run mailer m for list and record the outcomes; may_park: the last
 * group of the job, whose LMTP replies may come later. */
static void deliver_group(struct dlv_job *j, struct dlv_rcpt **list, size_t n, bool may_park)
{
	const struct mailer *m = list[0]->m;
	time_t xstart = time(NULL);
	struct dlv_proc p;
	const char *stat = NULL;
	char **argv;
	int rc;

	dlv_set_macros(j, m, list[0]);
	argv = dlv_argv(j, m, list, n);
	if (speaks_lmtp(m)) {
		if (may_park) {
			struct dlv_rcpt **keep = sm_arena_array(j->a, n, sizeof(*keep));

			memcpy(keep, list, n * sizeof(*keep));
			list = keep;
		}
		if (dlv_lmtp_deliver(j, m, argv, list, n, may_park)) {
			j->parked = true;
			j->park_m = m;
			j->park_list = list;
			j->park_n = n;
			j->park_xstart = xstart;
			return;
		}
	} else {
		rc = dlv_exec_start(j, m, argv, list[0], &p, &stat);
		if (rc != EX_OK)
			for (size_t i = 0; i < n; i++)
				dlv_set_result(j, list[i], rc, NULL, stat, NULL);
		else
			deliver_plain(j, m, &p, list, n);
	}
	group_done(j, m, list, n, xstart);
}

/* Whether the n recipients of a group are all that is left to deliver. */
static bool last_group(const struct dlv_job *j, size_t n)
{
	size_t pending = 0;

	for (const struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == DS_PENDING && r->m != NULL)
			pending++;
	return pending == n;
}

static void deliver_ipc(struct dlv_job *j, struct dlv_rcpt *r)
{
	time_t xstart = time(NULL);

	dlv_set_result(j, r, EX_TEMPFAIL, "4.0.0",
	               "Deferred: delivery over [IPC] is not implemented yet", NULL);
	dlv_log_to(j, r->m, &r, 1, xstart, NULL);
}

/* Deliver every pending recipient. */
static void deliver_all(struct dlv_job *j)
{
	struct dlv_rcpt **list = sm_arena_array(j->a, j->nrcpts + 1, sizeof(*list));

	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == DS_PERM || r->state == DS_TEMP) /* failed to resolve */
			dlv_log_to(j, r->m, &r, 1, j->now, NULL);
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == DS_PENDING && r->m != NULL && !dlv_check_compat(j, r) &&
		    r->state != DS_DROPPED)
			dlv_log_to(j, r->m, &r, 1, j->now, NULL);
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next) {
		size_t n;

		if (r->state != DS_PENDING || r->m == NULL)
			continue;
		if (mailer_flag(r->m, '%') && j->run->sel == NULL) {
			r->state = DS_TEMP; /* F=%: only when selected by -qI/-qR/-qS */
			r->stat = "Deferred: held for a selective queue run (F=%)";
			continue;
		}
		if (r->m->path != NULL && strcmp(r->m->path, "[FILE]") == 0) {
			time_t xstart = time(NULL);

			dlv_file(j, r->m, r);
			dlv_log_to(j, r->m, &r, 1, xstart, NULL);
			if (r->state == DS_SENT)
				dlv_stats(j, r->m);
			continue;
		}
		if (r->m->path != NULL && strcmp(r->m->path, "[IPC]") == 0) {
			deliver_ipc(j, r);
			continue;
		}
		n = collect_group(j, r, list);
		deliver_group(j, list, n, last_group(j, n));
	}
}

/* What is left to do, as qf recipients with their C lines (8.17's queueup). */
static void requeue_rcpts(struct dlv_job *j)
{
	struct qf *q = j->qf;
	const char *last = NULL;

	q->rcpts = NULL;
	q->rcpt_tail = &q->rcpts;
	for (struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if ((r->state == DS_TEMP || r->state == DS_PENDING) && r->er != NULL)
			env_qf_add_rcpt(j->env, q, r->er, &last);
}

/* Whether anything is left for a later run. */
static bool anything_left(const struct dlv_job *j)
{
	for (const struct dlv_rcpt *r = j->rcpts; r != NULL; r = r->next)
		if (r->state == DS_TEMP || r->state == DS_PENDING)
			return true;
	return false;
}

static void remove_entry(struct dlv_job *j)
{
	struct sm_buf p = SM_BUF_INIT;

	qdir_file(j->d, 'q', j->id, &p);
	(void)unlink(sm_buf_str(&p));
	sm_buf_reset(&p);
	if (j->qf->datadir != NULL)
		sm_buf_printf(&p, "%s/df%s", j->qf->datadir, j->id);
	else
		qdir_file(j->d, 'd', j->id, &p);
	(void)unlink(sm_buf_str(&p));
	sm_buf_reset(&p);
	qdir_file(j->d, 'x', j->id, &p);
	(void)unlink(sm_buf_str(&p));
	sm_buf_free(&p);
}

/* Write the qf again for the next run; false if that failed. */
static bool requeue(struct dlv_job *j)
{
	struct qf *q = j->qf;
	mode_t mode = (mode_t)opt_num(j->cf->opt, OPT_QUEUE_FILE_MODE);
	int fd;

	requeue_rcpts(j);
	q->dtime = (long long)j->now;
	q->ntries++;
	q->priority += opt_num(j->cf->opt, OPT_RETRY_FACTOR);
	if (j->defer_msg != NULL)
		q->message = j->defer_msg;
	fd = queue_qf_commit(j->d, j->id, q, mode != 0 ? mode : 0600);
	if (fd < 0) {
		dlv_log(j, "requeue: cannot write qf: %s", strerror(errno));
		return false;
	}
	close(fd);
	return true;
}

/* Lock and read the entry.  EX_OK, or why it is skipped. */
static int job_open(struct dlv_job *j)
{
	struct sm_buf p = SM_BUF_INIT, err = SM_BUF_INIT;
	int rc = EX_OK;

	qdir_file(j->d, 'q', j->id, &p);
	j->qfd = qlock_open_qf(sm_buf_str(&p));
	if (j->qfd < 0)
		rc = EX_TEMPFAIL; /* busy or gone */
	else if (qf_read_fd(j->qfd, sm_buf_str(&p), j->a, &j->qf, &err) < 0) {
		dlv_log(j, "readqf: %s", sm_buf_str(&err));
		rc = EX_DATAERR;
	} else if ((j->dfd = open_df(j)) < 0 && j->qf->rcpts != NULL) {
		dlv_log(j, "readqf: cannot open df%s: %s", j->id, strerror(errno));
		rc = EX_NOINPUT;
	}
	sm_buf_free(&p);
	sm_buf_free(&err);
	return rc;
}

/* A new job in an arena of its own (it may outlive the call that made it). */
struct dlv_job *dlv_job_new(struct config *cf, const struct dlv_run *r, const struct qdir *d,
                            const char *id)
{
	struct sm_arena *a = sm_arena_new();
	struct dlv_job *j = sm_arena_zalloc(a, sizeof(*j));

	j->cf = cf;
	j->run = r;
	j->d = d;
	j->a = a;
	j->id = sm_arena_strdup(j->a, id);
	j->qfd = -1;
	j->dfd = -1;
	j->now = time(NULL);
	j->rtail = &j->rcpts;
	j->msgs = open_memstream(&j->msgbuf, &j->msgsize);
	if (j->msgs == NULL)
		j->msgs = fopen("/dev/null", "w");
	j->env = env_new(cf, j->a, j->msgs);
	j->env->print_errors = true; /* into j->msgs, for the DSNs and the log */
	j->mac = j->env->macros;
	j->rw.cf = cf;
	j->rw.macros = j->mac;
	j->rw.arena = j->a;
	j->rw.errout = j->msgs;
	j->pa.rw = &j->rw;
	j->pa.msgout = j->msgs;
	j->pa.exitstat = &j->exitstat;
	sm_buf_init(&j->xscript);
	return j;
}

void dlv_job_free(struct dlv_job *j)
{
	if (j->dfd >= 0)
		close(j->dfd);
	if (j->qfd >= 0)
		close(j->qfd);
	env_free(j->env);
	sm_buf_free(&j->xscript);
	if (j->msgs != NULL)
		fclose(j->msgs);
	free(j->msgbuf);
	sm_arena_free(j->a);
}

void dlv_job_new_id(struct dlv_job *j, const char *id)
{
	if (j->idq != NULL)
		dlv_idq_add(j->idq, j->d, id, j->level + 1);
}

/* After the deliveries: bounces, then the entry removed or written again. */
static int job_finish(struct dlv_job *j)
{
	dlv_dsn_process(j);
	if (!anything_left(j))
		remove_entry(j);
	else if (!requeue(j))
		return EX_IOERR;
	return EX_OK;
}

void dlv_job_resume(struct dlv_job *j)
{
	j->parked = false;
	group_done(j, j->park_m, j->park_list, j->park_n, j->park_xstart);
	(void)job_finish(j);
	dlv_job_free(j);
}

int dlv_job_run(struct config *cf, const struct dlv_run *r, const struct qdir *d, const char *id,
                struct dlv_idq *q, int level)
{
	struct dlv_job *j = dlv_job_new(cf, r, d, id);
	int rc;

	j->idq = q;
	j->level = level;
	rc = job_open(j);
	if (rc == EX_OK) {
		dlv_verbose(j, "Running %s", j->id);
		set_sender(j);
		set_envelope_macros(j);
		dlv_rcpt_resolve(j);
		deliver_all(j);
		if (j->parked)
			return EX_OK; /* the LMTP session resumes it */
		rc = job_finish(j);
	}
	dlv_job_free(j);
	return rc;
}
