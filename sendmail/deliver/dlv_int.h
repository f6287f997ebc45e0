/*
 * deliver/dlv_int: what the files of the delivery module share.  Not for
 * other modules: their face is deliver.h.
 *
 * A job is one queue entry being worked on: the locked qf, its parsed
 * contents, the df, the envelope macros, and the list of recipients with
 * their resolved mailer and current state.  dlv_job.c drives it; the
 * other files each do one step for it.
 */
#ifndef DELIVER_DLV_INT_H
#define DELIVER_DLV_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "libsm/sm_buf.h"
#include "sendmail/deliver/deliver.h"
#include "sendmail/queue/queue.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"

struct config;
struct envelope;
struct env_rcpt;
struct macros;
struct mailer;
struct sm_arena;

#define DLV_MAX_RCPTS       10000 /* recipients of one entry after expansion */
#define DLV_MAX_ALIAS_DEPTH 10
#define DLV_MAX_HEADERS_OUT (64u << 20)

/* Where a recipient stands. */
enum dlv_state {
	DS_PENDING = 0, /* to be tried in this run */
	DS_SENT,        /* delivered */
	DS_TEMP,        /* temporary failure: stays queued */
	DS_PERM,        /* permanent failure: bounce */
	DS_DROPPED,     /* expanded into others, or a duplicate */
};

struct dlv_rcpt {
	struct env_rcpt *er;    /* the envelope's recipient; NULL: unparsable R line */
	const char *addr;       /* address as queued or expanded */
	const char *orig;       /* top-level address it came from */
	bool from_alias;        /* reached through an alias, list or .forward */
	unsigned notify;        /* ER_NOTIFY_* bits (DSN NOTIFY) */
	const char *orcpt;      /* DSN ORCPT, NULL none */
	const char *final_rcpt; /* "RFC822; addr" from the qf r line, NULL none */
	const struct mailer *m; /* NULL until resolved (or error) */
	const char *host;
	const char *user;
	long uid, gid;       /* ids of the controlling user; -1 = mailer default */
	const char *ctladdr; /* controlling address for the log, NULL none */
	long ctl_uid, ctl_gid;
	const char *home;  /* $z: home directory of the user */
	int state;         /* enum dlv_state */
	const char *dsn;   /* enhanced status "5.1.1" */
	const char *stat;  /* "Sent", "User unknown", "Deferred: ..." */
	const char *reply; /* reply line of an LMTP server, NULL none */
	/* DSN texts when they are not the reply/stat: a mailer's exit status
	 * is the Diagnostic-Code ("67") and, for a code without a name, the
	 * reason too.  NULL: reply, else stat. */
	const char *diag;
	const char *reason;
	struct dlv_rcpt *next;
};

struct dlv_job {
	struct config *cf;
	const struct dlv_run *run;
	struct sm_arena *a;
	const struct qdir *d;
	const char *id;
	int qfd; /* locked qf */
	struct qf *qf;
	int dfd; /* df, read-only; -1 if none */
	off_t dfsize;
	bool body8;           /* the body holds 8-bit bytes */
	struct envelope *env; /* the entry as an envelope (recipients, macros) */
	struct macros *mac;   /* envelope macros over cf->macros (env's) */
	struct rw_ctx rw;
	struct pa_ctx pa;
	int exitstat;
	struct dlv_rcpt *rcpts, **rtail;
	size_t nrcpts;
	time_t now;         /* when this attempt started */
	const char *sender; /* envelope sender as queued ("<>" kept) */
	bool null_sender;
	const char *fullname;              /* $x */
	const struct mailer *sender_for_m; /* dlv_sender_for's last answer was for it */
	const char *sender_for;
	const char *sender_for_h; /* ... and for this $h */
	const char *defer_msg;    /* newest deferral text (M line) */
	bool warned_now;          /* a delay DSN went out in this run */
	struct sm_buf xscript;    /* transcript of errors for a DSN */
	FILE *msgs;               /* parseaddr/rewrite messages (memstream) */
	char *msgbuf;
	size_t msgsize;
	size_t msgseen;      /* bytes of msgbuf already consumed */
	struct dlv_idq *idq; /* where entries this job queues go (DSNs, splits) */
	int level;           /* 0 for queued mail, 1 for its DSNs, ... */
	/* An LMTP group whose final replies are still to come (the session
	 * has it parked while the next job starts): logged and counted when
	 * dlv_job_resume() runs. */
	bool parked;
	const struct mailer *park_m;
	struct dlv_rcpt **park_list;
	size_t park_n;
	time_t park_xstart;
};

/* Entries queued during a run (DSNs, owner- splits), delivered in it. */
struct dlv_idq {
	struct sm_arena *a;
	struct dlv_qitem {
		const struct qdir *d;
		const char *id;
		int level;
	} * v;
	size_t n, cap, next;
};
#define DLV_MAX_LEVEL 2 /* DSNs about DSNs about a message: no deeper */

/* ---- dlv_job.c ---- */
/* Work on one queue entry; returns EX_OK or the reason it was skipped. */
/* Returns before the end when the job's last LMTP group is parked (the
 * session finishes it with dlv_job_resume).  Entries it queues go to q. */
int dlv_job_run(struct config *cf, const struct dlv_run *r, const struct qdir *d, const char *id,
                struct dlv_idq *q, int level);
/* A parked job whose LMTP replies are in: log, count, bounce, requeue, free. */
void dlv_job_resume(struct dlv_job *j);
/* Write a line of the -v transcript (no-op unless verbose). */
void dlv_verbose(struct dlv_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A job in an arena of its own, not yet attached to a qf; and its end. */
struct dlv_job *dlv_job_new(struct config *cf, const struct dlv_run *r, const struct qdir *d,
                            const char *id);
void dlv_job_free(struct dlv_job *j);
/* Remember an entry this job queued (a DSN, an owner- split) for the run. */
void dlv_job_new_id(struct dlv_job *j, const char *id);
/* Record a recipient's outcome from a sysexits code and texts. */
void dlv_set_result(struct dlv_job *j, struct dlv_rcpt *r, int code, const char *dsn,
                    const char *stat, const char *reply);

/* ---- dlv_rcpt.c ---- */
/* Turn every queued recipient into resolved dlv_rcpt entries. */
void dlv_rcpt_resolve(struct dlv_job *j);
/* The newest parse message ("addr... text" -> "text"), NULL if none. */
const char *dlv_last_message(struct dlv_job *j);
/* The sysexits code's DSN status as Sendmail's markfailure gives it. */
const char *dlv_exit_dsn(int code);
/* "550 5.1.1": the reply and status 8.17 puts before a mailer exit's
 * text in the transcript of a DSN. */
const char *dlv_exit_reply(int code);

/* ---- dlv_exec.c ---- */
struct dlv_proc {
	pid_t pid;
	int to;           /* its stdin */
	int from;         /* its stdout (and stderr) */
	const char *what; /* "local mailer (/path)" for messages */
};
/* Expand the A= argv for these recipients (arena strings, NULL-ended). */
char **dlv_argv(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n);
/* Start mailer m with argv; 0 or a sysexits code (message in stat). */
int dlv_exec_start(struct dlv_job *j, const struct mailer *m, char **argv, struct dlv_rcpt *ctl,
                   struct dlv_proc *p, const char **stat);
/* Close the pipes, collect the output (appended to out), reap: the exit
 * code (EX_SOFTWARE for a signal). */
int dlv_exec_wait(struct dlv_proc *p, struct sm_buf *out);
/* Set the macros for one delivery ($u $h $g $z ...). */
void dlv_set_macros(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r);

/* ---- dlv_msg.c ---- */
/* The envelope sender as mailer m sees it ($g), "<>" handled. */
const char *dlv_sender_for(struct dlv_job *j, const struct mailer *m);
/* Write the whole message for mailer m to out (headers and body).
 * lmtp: dot-stuffing for the protocol regardless of F=X.  0 or -1. */
int dlv_msg_write(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r, FILE *out,
                  bool lmtp);
/* Expand the \201 deferred macros of a qf header value. */
char *dlv_expand_header(struct dlv_job *j, const char *value);

/* ---- dlv_lmtp.c ---- */
/*
 * Deliver to list over LMTP, in the process's open session for m and
 * argv when there is one, else in a new one that stays open.  may_park:
 * return after the message went out, leaving its replies to be read
 * when the session is next used (the job is then resumed); returns
 * whether it did.
 */
bool dlv_lmtp_deliver(struct dlv_job *j, const struct mailer *m, char **argv,
                      struct dlv_rcpt **list, size_t n, bool may_park);
/* Finish the parked job, QUIT and reap the open LMTP session (end of a run). */
void dlv_lmtp_close(void);

/* ---- dlv_qrun.c ---- */
/* Queue id for delivery later in this run (beyond DLV_MAX_LEVEL: not). */
void dlv_idq_add(struct dlv_idq *q, const struct qdir *d, const char *id, int level);

/* ---- dlv_file.c ---- */
void dlv_file(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r);

/* -X traffic log (dlv_traffic.c): is it on; one "PID dir line"; the
 * "=== EXEC" line of a mailer start; dlv_msg_write with a copy of each
 * line sent into the log. */
bool dlv_traffic_on(void);
void dlv_traffic_line(const char *dir, const char *line);
void dlv_traffic_exec(char **argv);
int dlv_traffic_msg_write(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r, FILE *out,
                          bool lmtp);

/* check_compat on "sender $| r->addr" (dlv_compat.c): true to deliver r;
 * false when the ruleset refused it (result set) or discarded it. */
bool dlv_check_compat(struct dlv_job *j, struct dlv_rcpt *r);

/* ---- dlv_dsn.c ---- */
/* After the attempts: bounce permanent failures, warn about old delays,
 * time out the rest.  Queues DSN entries (ids to the run with dlv_job_new_id). */
void dlv_dsn_process(struct dlv_job *j);

/* ---- dlv_log.c ---- */
/* The to= line for one delivery attempt of list (all with one outcome). */
void dlv_log_to(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n,
                time_t xstart, const char *relay);
/* Any other log line "<id>: text". */
void dlv_log(struct dlv_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Count one message delivered by mailer m in the statistics file. */
void dlv_stats(struct dlv_job *j, const struct mailer *m);
/* "[D+]HH:MM:SS" */
void dlv_fmt_delay(struct sm_buf *out, long secs);

#endif
