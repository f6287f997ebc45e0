/*
 * deliver: the delivery side of the MTA.  A library module: no main().
 *
 * It takes entries from the queue (sendmail/queue), turns every recipient
 * into its mailer triple (rules/parseaddr), runs the mailers (fork+exec
 * with the A= argv, LMTP on the pipe for F=z, the built-in *file*
 * mailer), rewrites the qf with what is left to do, and reports failures
 * as RFC 3464 delivery status notifications queued as new messages.
 * Every attempt is logged in Sendmail's format and counted in the
 * statistics file.
 *
 * Entry points for main.c (see /tmp/team/deliver-api.md for the wiring):
 *
 *   dlv_run_init      defaults for a queue run
 *   dlv_parse_q       one -q argument: "" (run once), "f" (foreground),
 *                     "1h" (interval, kept for the daemon), "I/R/S<sub>"
 *                     and "!I/!R/!S<sub>" filters, "Q" (quarantined),
 *                     "L" (lost); several may be given
 *   dlv_queue_run     run every selected entry of the queue once
 *   dlv_deliver_id    deliver one entry just committed by the submission
 *                     code (-odi: in this process; -odb: in a child)
 *
 * Files: dlv_qrun.c (selection, order, limits), dlv_job.c (one entry),
 * dlv_rcpt.c (recipients to mailers), dlv_exec.c (fork+exec), dlv_msg.c
 * (the message as a mailer sees it), dlv_lmtp.c (LMTP client),
 * dlv_file.c (*file* mailer), dlv_dsn.c (bounces and warnings),
 * dlv_log.c (syslog lines, statistics), dlv_alias.c (alias adapter).
 *
 * It never reads the command line and never exits the process (the -odb
 * child aside, which exits when its delivery is done).
 */
#ifndef DELIVER_DELIVER_H
#define DELIVER_DELIVER_H

#include <stdbool.h>
#include <stdio.h>

#include "sendmail/queue/queue.h"

struct config;
struct sm_arena;

/* One -qI/-qR/-qS filter. */
struct dlv_qsel {
	char kind;   /* 'I' queue id, 'R' recipient, 'S' sender */
	bool negate; /* "!": entries that do NOT contain sub */
	const char *sub;
	struct dlv_qsel *next;
};

struct dlv_run {
	struct dlv_qsel *sel;  /* filters: same kind OR'ed, kinds AND'ed */
	enum qlist_mode mode;  /* QL_NORMAL, -qQ quarantined, -qL lost */
	bool foreground;       /* -qf: no fork per entry, output kept */
	bool verbose;          /* -v: delivery transcript on vout */
	FILE *vout;            /* transcript stream (stdout if NULL) */
	long interval;         /* -q<time>: seconds, for the daemon; 0 none */
	const char *queue_dir; /* override the QueueDirectory option */
	FILE *logcopy;         /* also write each log line here (tests) */
	int max_entries;       /* 0: MaxQueueRunSize from the cf */
	const char *const *ids; /* just these entries (no directory scan), or NULL */
	size_t nids;
};

/* Defaults: run the whole queue once, quietly. */
void dlv_run_init(struct dlv_run *r);

/*
 * -X: the process's traffic log (NULL: none).  Each line of the mailer
 * dialogues (LMTP) is appended as "PID >>> line" (what we send) or
 * "PID <<< line" (what we read), and each mailer start as
 * "PID === EXEC argv...", as Sendmail 8.17 writes them.
 */
void dlv_set_traffic_log(FILE *f);

/*
 * Parse the text after "-q" into r (strings copied into a).  Returns 0,
 * or -1 with a message for the user in *err (Sendmail's words).
 */
int dlv_parse_q(struct dlv_run *r, const char *arg, struct sm_arena *a, const char **err);

/*
 * Run the queue once as Sendmail's "sendmail -q" does.  Returns a
 * sysexits code: EX_OK when the run happened (deliveries may still have
 * been deferred), EX_OSFILE/EX_CONFIG when the queue cannot be read.
 */
int dlv_queue_run(struct config *cf, const struct dlv_run *r);

/*
 * Deliver the entry id of queue directory qdir (NULL: the first
 * QueueDirectory) right after its submission.  background: fork, the
 * parent returns EX_OK at once (-odb).  Returns a sysexits code.
 */
int dlv_deliver_id(struct config *cf, const char *qdir, const char *id, bool background,
                   const struct dlv_run *r);

/*
 * After a submission: the recipients of e that failed permanently
 * (RS_BADADDR) are handled by ErrorMode as Sendmail's savemail does:
 * p saves the message in the sender's ~/dead.letter (a DSN if that
 * fails), m/w/e return it as a DSN queued in d and delivered at once, q
 * does nothing.  e's df must still be open (e->df_fd).  Returns the exit
 * status for the submission (EX_OK for ErrorMode e, else e->exitstat).
 */
struct envelope;
int dlv_submit_failures(struct config *cf, const struct qdir *d, struct envelope *e,
                        const struct dlv_run *r);

/*
 * A message refused as a whole while it was read (MaxHeadersLength,
 * MaxMessageSize): returned to its sender as a DSN naming every
 * recipient in state RS_BADADDR, with why ("552 5.6.0 Headers too large
 * (32768 max)") as the transcript, whatever the ErrorMode.  e's df must
 * be open.  Returns EX_OK (Sendmail's exit status then).
 */
int dlv_return_message(struct config *cf, const struct qdir *d, struct envelope *e,
                       const char *why, const struct dlv_run *r);

/* Whether the entry matches r's filters (exported for tests). */
bool dlv_match(const struct dlv_run *r, const char *id, const struct qf *q);

#endif
