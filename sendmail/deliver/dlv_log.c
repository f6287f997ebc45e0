/*
 * deliver/dlv_log: syslog lines and statistics for deliveries.
 *
 * Internal (dlv_int.h): dlv_log_to, dlv_log, dlv_stats, dlv_fmt_delay.
 *
 * The to= line has Sendmail's fields in Sendmail's order:
 *   QID: to=A,B, ctladdr=C (uid/gid), delay=[D+]HH:MM:SS,
 *   xdelay=HH:MM:SS, mailer=M, pri=P, relay=R, dsn=X.Y.Z, reply=...,
 *   stat=...
 * ctladdr, relay and reply only when known.  Recipients of one mailer
 * run that ended differently (LMTP) get one line per outcome.  LogLevel
 * decides: successes from 8 on, deferrals from 9, failures from 7 (as
 * Sendmail's LogLevel table says).  Lines go to the mail log
 * (envelope/mlog.c: syslog, or SENDMAIL_LOG_FILE for tests) and to the
 * run's logcopy stream.
 *
 * Statistics: one message and its size per successful mailer run, added
 * to StatusFile with mstats_update (mailstats/mstats.h); the file is only
 * counted into if it exists, as Sendmail does.
 */
#include <stdarg.h>
#include <string.h>
#include <syslog.h> /* LOG_INFO */
#include <time.h>

#include "libsm/sm_arena.h"
#include "mailstats/mstats.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"
#include "sendmail/envelope/envelope.h"

#define LOG_TO_MAX 1024 /* bytes of to= addresses before "... [more]" */

void dlv_fmt_delay(struct sm_buf *out, long secs)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		sm_buf_printf(out, "%ld+", secs / 86400);
	secs %= 86400;
	sm_buf_printf(out, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
}

/* One line "text" about the job: to the mail log as "QID: text". */
static void emit(struct dlv_job *j, int level, const char *text)
{
	if (opt_num(j->cf->opt, OPT_LOG_LEVEL) < level)
		return;
	mlog(LOG_INFO, j->id, "%s", text);
	if (j->run->logcopy != NULL) {
		fprintf(j->run->logcopy, "%s: %s\n", j->id, text);
		fflush(j->run->logcopy);
	}
}

void dlv_log(struct dlv_job *j, const char *fmt, ...)
{
	struct sm_buf b = SM_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	emit(j, 9, sm_buf_str(&b));
	sm_buf_free(&b);
}

/* Whether two recipients get one log line. */
static bool same_outcome(const struct dlv_rcpt *a, const struct dlv_rcpt *b)
{
	return a->state == b->state && strcmp(a->dsn ? a->dsn : "", b->dsn ? b->dsn : "") == 0 &&
	       strcmp(a->stat ? a->stat : "", b->stat ? b->stat : "") == 0 &&
	       strcmp(a->reply ? a->reply : "", b->reply ? b->reply : "") == 0;
}

static void log_group(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n,
                      time_t xstart, const char *relay)
{
	struct sm_buf b = SM_BUF_INIT;
	const struct dlv_rcpt *r = list[0];
	int level = r->state == DS_SENT ? 8 : r->state == DS_TEMP ? 9 : 7;

	sm_buf_puts(&b, "to=");
	for (size_t i = 0; i < n; i++) {
		if (b.len > LOG_TO_MAX) {
			sm_buf_puts(&b, "... [more]");
			break;
		}
		sm_buf_printf(&b, "%s%s", i > 0 ? "," : "", list[i]->addr);
	}
	if (r->ctladdr != NULL)
		sm_buf_printf(&b, ", ctladdr=%s (%ld/%ld)", r->ctladdr, r->ctl_uid, r->ctl_gid);
	sm_buf_puts(&b, ", delay=");
	dlv_fmt_delay(&b, (long)(time(NULL) - (time_t)j->qf->ctime));
	sm_buf_puts(&b, ", xdelay=");
	dlv_fmt_delay(&b, (long)(time(NULL) - xstart));
	sm_buf_printf(&b, ", mailer=%s, pri=%ld", m != NULL ? m->name : "*error*", j->qf->priority);
	if (relay != NULL)
		sm_buf_printf(&b, ", relay=%s", relay);
	sm_buf_printf(&b, ", dsn=%s", r->dsn ? r->dsn : "5.0.0");
	if (r->reply != NULL && r->state != DS_SENT)
		sm_buf_printf(&b, ", reply=%s", r->reply);
	sm_buf_printf(&b, ", stat=%s", r->stat ? r->stat : "");
	emit(j, level, sm_buf_str(&b));
	sm_buf_free(&b);
}

void dlv_log_to(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n,
                time_t xstart, const char *relay)
{
	struct dlv_rcpt **grp = sm_arena_array(j->a, n + 1, sizeof(*grp));
	bool *done = sm_arena_zalloc(j->a, n + 1);

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		if (done[i] || list[i]->state == DS_PENDING)
			continue;
		for (size_t x = i; x < n; x++)
			if (!done[x] && same_outcome(list[i], list[x])) {
				grp[k++] = list[x];
				done[x] = true;
			}
		log_group(j, m, grp, k, xstart, relay);
	}
}

void dlv_stats(struct dlv_job *j, const struct mailer *m)
{
	const char *path = opt_raw(j->cf->opt, OPT_STATUS_FILE);
	struct mstats_delta d;

	if (path == NULL || *path == '\0' || m->number < 0 || m->number >= MSTATS_MAXMAILERS)
		return;
	memset(&d, 0, sizeof(d));
	d.mailer = m->number;
	d.msgs_to = 1;
	d.bytes_to = (long)j->dfsize;
	(void)mstats_update(path, &d);
}
