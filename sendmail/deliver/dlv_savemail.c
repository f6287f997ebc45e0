/*
 * deliver/dlv_savemail: failures found while a message was submitted,
 * handled as Sendmail 8.17's savemail() does when the submitting
 * process ends.
 *
 * Public (deliver.h): dlv_submit_failures, dlv_return_message.
 *
 * The recipients that failed permanently during submission (unknown
 * users, "Cannot mail directly to programs", $#error from the rules, a
 * hop count over MaxHopCount) are reported according to ErrorMode:
 *   p  (print, the default) the messages were printed already; the
 *      message is saved in the sender's ~/dead.letter with the *file*
 *      mailer ("/home/u/dead.letter... Saved message in ..."), or
 *      returned as a DSN when that cannot be written;
 *   m, w  a DSN to the sender (w: there is no terminal to write to);
 *   e  a DSN, and the exit status becomes 0 (Berkeley network mode);
 *   q  nothing.
 * A message refused as a whole while it was read (headers over
 * MaxHeadersLength, a body over MaxMessageSize) is returned to its
 * sender whatever the ErrorMode, naming every recipient, with the
 * refusal as the transcript (dlv_return_message), as 8.17 does.
 * The DSN is built by dlv_dsn.c from a job made out of the envelope
 * (headers, macros and the df the submission wrote), queued, and
 * delivered at once, as the reference does even with -odq.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/envelope/envelope.h"

/* One failed envelope recipient as a permanent failure of j. */
static struct dlv_rcpt *failed_rcpt(struct dlv_job *j, struct env_rcpt *er)
{
	struct dlv_rcpt *r = sm_arena_zalloc(j->a, sizeof(*r));

	r->er = er;
	r->addr = er->paddr;
	r->orig = er->paddr;
	r->notify = er->flags;
	r->orcpt = er->orcpt;
	r->final_rcpt = er->finalrcpt;
	r->m = er->mailer;
	r->uid = r->gid = r->ctl_uid = r->ctl_gid = -1;
	r->state = DS_PERM;
	r->dsn = er->status != NULL ? er->status : "5.0.0";
	*j->rtail = r;
	j->rtail = &r->next;
	j->nrcpts++;
	return r;
}

/* Its reason ("550 5.1.1 User unknown") and the transcript line for it. */
static void failure_reason(struct dlv_job *j, struct dlv_rcpt *r, const char *msg)
{
	const char *text = msg;
	bool coded = msg[0] >= '2' && msg[0] <= '5' && strlen(msg) > 4 && msg[3] == ' ';

	if (coded)
		text += 4;
	if (text[0] >= '2' && text[0] <= '5' && text[1] == '.' && strchr(text, ' ') != NULL)
		text = strchr(text, ' ') + 1;
	r->stat = text;
	r->reply = coded ? msg : NULL;
	sm_buf_printf(&j->xscript, "%.4s%s%s... %s\n", coded ? msg : "",
	              coded && strcmp(r->dsn, "5.0.0") != 0 ? sm_arena_printf(j->a, "%s ", r->dsn)
	                                                    : "",
	              r->addr, text);
}

/* The failed recipients of e as permanent failures of j; with why, the
 * whole message failed: no reason per recipient, why is the transcript. */
static size_t take_failures(struct dlv_job *j, struct envelope *e, const char *why)
{
	size_t n = 0;

	for (struct env_rcpt *er = e->rcpts; er != NULL; er = er->next) {
		struct dlv_rcpt *r;

		if (er->state != RS_BADADDR)
			continue;
		r = failed_rcpt(j, er);
		n++;
		if (why == NULL)
			failure_reason(j, r,
			               er->message != NULL ? er->message : "550 5.0.0 Invalid address");
	}
	if (why != NULL && n > 0)
		sm_buf_printf(&j->xscript, "%s\n", why);
	return n;
}

/* The job: the envelope's qf and df, sender and macros. */
static struct dlv_job *job_of(struct config *cf, const struct dlv_run *run, const struct qdir *d,
                              struct envelope *e)
{
	struct dlv_job *j = dlv_job_new(cf, run, d, e->id);
	const char *s;

	j->qf = env_to_qf(e);
	j->dfd = e->df_fd >= 0 ? dup(e->df_fd) : -1;
	j->dfsize = e->dfsize;
	s = e->sender != NULL ? e->sender : "";
	j->sender = s;
	j->null_sender = s[0] == '\0' || strcmp(s, "<>") == 0;
	env_from_qf(j->env, j->qf);
	j->env->rcpts = NULL;
	macro_set(j->mac, macro_id("i"), j->id);
	macro_set(j->mac, macro_id("f"), j->sender);
	return j;
}

/* The sender's home directory when it is a local user (F=w), or NULL. */
static const char *sender_home(struct dlv_job *j, struct envelope *e)
{
	struct passwd *pw;

	if (e->from.mailer == NULL || !mailer_flag(e->from.mailer, 'w') || e->from.user == NULL)
		return NULL;
	pw = getpwnam(e->from.user);
	if (pw == NULL || pw->pw_dir[0] == '\0')
		return NULL;
	return sm_arena_strdup(j->a, pw->pw_dir);
}

/* ~sender/dead.letter with the *file* mailer; true when it was written. */
static bool dead_letter(struct dlv_job *j, struct envelope *e)
{
	const struct mailer *fm = mailer_find(j->cf, "*file*");
	const char *home = sender_home(j, e);
	struct dlv_rcpt r;
	struct passwd *pw;

	if (fm == NULL || home == NULL || j->dfd < 0)
		return false;
	memset(&r, 0, sizeof(r));
	r.addr = r.user =
	    sm_arena_printf(j->a, "%s/dead.letter", strcmp(home, "/") == 0 ? "" : home);
	r.m = fm;
	pw = getpwnam(e->from.user);
	r.uid = pw != NULL ? (long)pw->pw_uid : -1;
	r.gid = pw != NULL ? (long)pw->pw_gid : -1;
	r.state = DS_PENDING;
	dlv_file(j, fm, &r);
	if (r.state != DS_SENT)
		return false;
	fprintf(e->msgout, "%s... Saved message in %s\n", r.addr, r.addr);
	fflush(e->msgout);
	return true;
}

/* Queue the DSN and deliver it (and what it queues) now. */
static void return_to_sender(struct config *cf, const struct dlv_run *run, const struct qdir *d,
                             struct dlv_job *j)
{
	struct dlv_idq q = {j->a, NULL, 0, 0, 0};

	j->idq = &q;
	dlv_dsn_process(j);
	for (size_t i = 0; i < q.n; i++)
		(void)dlv_deliver_id(cf, d->path, q.v[i].id, false, run);
}

int dlv_submit_failures(struct config *cf, const struct qdir *d, struct envelope *e,
                        const struct dlv_run *run)
{
	struct dlv_job *j;
	int rc = e->exitstat;

	if (e->errmode == 'q' || e->id[0] == '\0')
		return rc;
	j = job_of(cf, run, d, e);
	if (take_failures(j, e, NULL) > 0) {
		if (e->errmode != 'p' || !dead_letter(j, e))
			return_to_sender(cf, run, d, j);
		if (e->errmode == 'e')
			rc = EX_OK;
	}
	dlv_job_free(j);
	return rc;
}

int dlv_return_message(struct config *cf, const struct qdir *d, struct envelope *e,
                       const char *why, const struct dlv_run *run)
{
	struct dlv_job *j = job_of(cf, run, d, e);

	if (take_failures(j, e, why) > 0)
		return_to_sender(cf, run, d, j);
	dlv_job_free(j);
	return EX_OK;
}
