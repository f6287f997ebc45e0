/*
 * envelope: one message on its way in (or out of) the queue: the sender,
 * the recipients after expansion, the headers, the body file.  A library
 * module: no main().
 *
 * What it owns (one file each):
 *   env.c        the envelope, its macros, the sender (setsender, the
 *                trusted-user rule and X-Authentication-Warning), priority
 *   recipient.c  Sendmail's sendtolist()/recipient(): every address
 *                through parseaddr to a mailer triple, duplicates,
 *                aliases (the "aliases" map), owner- lists, ruleset 5
 *                (LUSER_RELAY and friends), MaxAliasRecursion
 *   include.c    :include: files and .forward (ForwardPath) with the
 *                file safety checks
 *   header.c     header list, the cf's H lines and their ?flags?,
 *                Received:/Date:/Message-Id:/From:, hop count
 *   collect.c    reading a message (headers, body into the df), limits,
 *                8-bit detection, -i and dot handling
 *   queueup.c    the envelope to a qf (and back for queue runs), the df,
 *                commit through sendmail/queue, the from= log line
 *   mlog.c       the mail log: syslog(LOG_MAIL), or a file for tests
 *
 * What is done when (Sendmail 8.17, confirmed on the reference's queue
 * files): at submission, every recipient is fully expanded (aliases,
 * :include:, .forward, ruleset 5) before the qf is written; the qf holds
 * the final addresses, with C lines naming the controlling user and R
 * flag A for those that came from an alias.  Header addresses are kept
 * as the user wrote them: they are rewritten per mailer at delivery.
 * Bcc: stays in the qf (F flag b); the delivery side removes it.  A
 * queue run reads the R lines back and passes each through recipient()
 * again (env_add_qf_rcpts), which is how Sendmail retries expansions that
 * failed temporarily (alias database down, :include: unreadable).
 *
 * Messages for the user ("addr... User unknown") go to e->msgout
 * (stdout for the command line, as Sendmail's); each raises e->exitstat
 * as Sendmail's ExitStat.  Memory: everything in e->arena.
 *
 * Callers: sendmail/main.c (submission, -bv), the delivery module (queue
 * runs: env_from_qf, env_add_qf_rcpts, env_to_qf), later the SMTP server.
 */
#ifndef ENVELOPE_ENVELOPE_H
#define ENVELOPE_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "libsm/sm_buf.h"
#include "sendmail/rules/parseaddr.h"

struct config;
struct macros;
struct mailer;
struct sm_arena;
struct qf;
struct qdir;

/* Recipient states (Sendmail's QS_*). */
enum env_rstate {
	RS_OK = 0,    /* to be delivered */
	RS_BADADDR,   /* failed permanently (message printed) */
	RS_QUEUEUP,   /* failed temporarily: keep in the queue */
	RS_EXPANDED,  /* alias/:include:/.forward expanded into others */
	RS_DUPLICATE, /* same as an earlier recipient */
	RS_VERIFIED,  /* -bv: found, not expanded further */
	RS_DONTSEND,  /* removed (e.g. the sender with MeToo off) */
	RS_SENT,      /* delivered (set by the delivery module) */
};

/* Recipient flags beyond the state (Sendmail's Q* bits we need). */
enum {
	ER_PRIMARY = 0x0001,    /* from the command line / SMTP / -t */
	ER_ALIAS = 0x0002,      /* came from an alias expansion (R flag A) */
	ER_SELFREF = 0x0004,    /* an alias listing itself */
	ER_GOODUID = 0x0008,    /* uid/gid/ruser are valid (a controlling user) */
	ER_ISALIAS = 0x0010,    /* this address was expanded by the aliases map */
	ER_BOGUSSHELL = 0x0020, /* user has a shell not in /etc/shells */
	ER_UNSAFE = 0x0040,     /* unsafe for programs and files (.forward checks) */
	ER_NOTIFY_SET = 0x0080, /* -N / NOTIFY= given (R flag N) */
	ER_NOTIFY_SUCCESS = 0x0100,
	ER_NOTIFY_FAILURE = 0x0200,
	ER_NOTIFY_DELAY = 0x0400,
	ER_NOTIFY_NEVER = 0x0800,
	ER_QUOTED = 0x1000, /* the user part was quoted: no alias, no .forward */
	ER_FROMQF = 0x2000, /* read back from a qf R line */
};

struct env_rcpt {
	const char *paddr; /* the address as given (printed in messages) */
	const struct mailer *mailer;
	const char *mailer_name;
	const char *host; /* NULL when the triple has none */
	const char *user;
	enum env_rstate state;
	unsigned flags;         /* ER_* */
	const char *status;     /* DSN status of a failure ("5.1.1") */
	const char *message;    /* text of a failure / deferral */
	struct env_rcpt *alias; /* the address this one was expanded from */
	const char *owner;      /* owner-LIST of the alias that expanded it */
	/* Controlling user (valid with ER_GOODUID). */
	uid_t uid;
	gid_t gid;
	const char *ruser; /* login name when a local user */
	const char *home;  /* home directory of a local user ($z) */
	const char *fullname;
	const char *orcpt;     /* DSN ORCPT (qf Q line), NULL none */
	const char *finalrcpt; /* qf r line text ("RFC822; u@host"), NULL none */
	const char *ctl_raw;   /* C line text read from a qf, NULL none */
	struct env_rcpt *next;
};

/* One header field. */
struct env_header {
	const char *name;
	const char *value;        /* after "Name:", leading blank kept; "\n\t" folds */
	unsigned char mflags[32]; /* ?flags?: mailer flags it needs */
	bool has_mflags;
	const char *macro_cond; /* ?${macro}? name, NULL none */
	unsigned hflags;        /* ENV_H_* */
	struct env_header *next;
};

enum {
	ENV_H_DEFAULT = 0x01,  /* from a cf H line, not (yet) from the message */
	ENV_H_BINDLATE = 0x02, /* macros kept for delivery (Return-Path) */
	ENV_H_DELETED = 0x04,  /* dropped (not written) */
	ENV_H_USER = 0x08,     /* came with the message */
};

/* Envelope flags (qf F line letters and Sendmail's EF_*). */
enum {
	EF_DELETE_BCC = 0x01,   /* b */
	EF_HAS8BIT = 0x02,      /* 8 */
	EF_RET_PARAM = 0x04,    /* d: -R / RET= given */
	EF_NO_BODY_RETN = 0x08, /* n: RET=HDRS */
	EF_VRFYONLY = 0x10,     /* -bv: verify, do not expand further */
	EF_RESENT = 0x20,       /* the message has Resent- headers */
	EF_HAS_DF = 0x40,       /* the body is in df_fd */
	EF_TOOBIG = 0x80,       /* MaxMessageSize exceeded */
	EF_WARNING = 0x100,     /* w */
	EF_RESPONSE = 0x200,    /* r: a DSN */
	EF_SPLIT = 0x400,       /* s */
	EF_NORECIPIENTS = 0x800,
	EF_NOEXPAND = 0x1000, /* SMTP in queue-only/defer mode: aliases and users are
	                         checked but kept unexpanded (the queue run expands) */
};

struct envelope {
	struct sm_arena *arena;
	struct config *cf;
	struct macros *macros; /* over cf->macros: $f $g $i $u $x ... */
	FILE *msgout;          /* user messages ("addr... text") */
	int exitstat;          /* Sendmail's ExitStat */
	int errmode;           /* ErrorMode letter: 'p' 'q' 'm' 'w' 'e' */
	bool print_errors;     /* user errors to msgout: ErrorMode p, or msgout not stdout */

	char id[32];          /* queue id, "" before one is assigned */
	time_t ctime;         /* creation time (qf T) */
	const char *sender;   /* envelope sender as given (qf S) */
	struct env_rcpt from; /* the sender, parsed */
	const char *auth;     /* qf A line, NULL none */
	const char *envid;    /* -V / ENVID= */
	const char *bodytype; /* -B / BODY= ("7BIT", "8BITMIME"), NULL none */
	const char *message;  /* qf M line */
	unsigned eflags;      /* EF_* */
	unsigned rcpt_notify; /* default ER_NOTIFY_* for new recipients (-N) */
	int hopcount;         /* -h plus Received:-like headers */
	int msgclass;         /* from Precedence: */
	long msgsize;         /* bytes read (headers + body) */
	long dfsize;          /* bytes in the df */
	long priority;
	int nrcpts;             /* recipients counted as Sendmail's e_nrcpts */
	const char *msgid;      /* Message-Id: value for the log */
	struct env_rcpt *rcpts; /* the send queue, in order */
	struct env_header *headers;
	int df_fd;            /* open body file (EF_HAS_DF), -1 none */
	int df_src_fd;        /* queue runs: df copied into split entries, -1 none */
	struct sm_buf body;   /* the body, when not yet in a df */
	const char *origrcpt; /* the one top-level recipient ("" if several) */
	int aliaslevel_max;   /* MaxAliasRecursion */
	bool no_alias;        /* -n */
	bool vrfy_verbose;    /* -v with -bv */
	long uid;             /* real uid of the submitter */
	const char *user;     /* real user name of the submitter */
};

/* ---- env.c ---- */

/* A new envelope over cf, messages to msgout.  Lives in a (caller's arena). */
struct envelope *env_new(struct config *cf, struct sm_arena *a, FILE *msgout);
/* Release what e holds outside its arena (macros, body, df descriptor). */
void env_free(struct envelope *e);
/* Raise e->exitstat as Sendmail's ExitStat (first failure stays). */
void env_setstat(struct envelope *e, int status);
/* "addr... text" (or text) on e->msgout; raises the status when status > 0. */
void env_usrerr(struct envelope *e, const char *to, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/*
 * Set the envelope sender (Sendmail's setsender): from is -f/-r or NULL
 * (the real user).  Sets $f $g $x (fullname, NULL: GECOS), e->sender,
 * e->auth; the untrusted -f case adds the X-Authentication-Warning header
 * when PrivacyOptions has authwarnings.  Returns false on a bad address
 * (message printed, exit status set).
 */
bool env_setsender(struct envelope *e, const char *from, const char *fullname, bool trusted);
/*
 * Add "X-Authentication-Warning: $j: text" when PrivacyOptions has
 * authwarnings (or goaway); true if it did (the caller logs it).
 */
bool env_auth_warning(struct envelope *e, const char *text);
/* Whether the real user may use -f: root, the cf's class t, TrustedUser. */
bool env_trusted_user(const struct config *cf, const char *user, uid_t uid);
/* Sendmail's priority: size + nrcpts * RecipientFactor - class * ClassFactor. */
long env_priority(const struct envelope *e);

/* ---- recipient.c ---- */

/*
 * Add every address of a comma-separated list (Sendmail's sendtolist),
 * expanding them fully.  ctl is the address the list came from (an alias,
 * :include: or .forward owner), NULL for the command line / -t / SMTP.
 * flags are ER_* for the new recipients (ER_PRIMARY at top level).
 * Returns the number of addresses added.
 */
int env_sendtolist(struct envelope *e, const char *list, struct env_rcpt *ctl, int aliaslevel,
                   unsigned flags);
/* One already-parsed recipient through aliasing etc. (Sendmail's recipient()). */
struct env_rcpt *env_recipient(struct envelope *e, struct env_rcpt *a, int aliaslevel);
/* Whether a recipient is still to be delivered (OK, QUEUEUP or VERIFIED). */
bool env_rcpt_sendable(const struct env_rcpt *r);
/* Whether a recipient goes into the queue file (OK or QUEUEUP). */
bool env_rcpt_queued(const struct env_rcpt *r);
/* Whether a recipient no longer counts (expanded, duplicate, dontsend: QS_IS_DEAD). */
bool env_rcpt_dead(const struct env_rcpt *r);
/* The controlling address of r (walking up the alias chain), or NULL. */
const struct env_rcpt *env_ctladdr(const struct env_rcpt *r);
/*
 * -bv: print each recipient's outcome as Sendmail does
 * ("a... deliverable: mailer local, user u").  Returns the exit status.
 */
int env_print_verify(struct envelope *e);

/* ---- include.c ---- */

/*
 * Read a :include: file (forwarding false) or .forward (true) for ctl and
 * add its addresses.  Returns 0 or an errno value (transient ones make
 * the caller queue the address).
 */
int env_include(struct envelope *e, const char *fname, bool forwarding, struct env_rcpt *ctl,
                int aliaslevel);
/* Expand a local user's .forward by ForwardPath (Sendmail's forward()). */
void env_forward(struct envelope *e, struct env_rcpt *user, int aliaslevel);

/* ---- header.c ---- */

/* Parse "Name: value" and append it as a message header (hop count, -t). */
struct env_header *env_header_add_line(struct envelope *e, const char *line, size_t len);
/* Append a header (value is the text after ':', give the blank). */
struct env_header *env_header_add(struct envelope *e, const char *name, const char *value,
                                  unsigned hflags);
/* The first live header called name (case-insensitive), or NULL. */
struct env_header *env_header_find(const struct envelope *e, const char *name);
/* The value of a header without leading blanks and folding. */
const char *env_header_value(const struct envelope *e, const struct env_header *h);
/*
 * After the message headers are in: put the cf's H lines in front
 * (Sendmail's order), drop defaults the message has, expand the templates
 * (Return-Path stays bound late), count hops.
 */
void env_headers_finish(struct envelope *e);
/* -t: recipients from To:, Cc:, Bcc: (Resent-* when the message has them). */
int env_headers_recipients(struct envelope *e);
/* RFC 5322 date as Sendmail's arpadate() ("Sun, 1 Nov 2026 00:00:00 GMT"). */
void env_arpadate(time_t t, struct sm_buf *out);

/* ---- collect.c ---- */

struct env_collect_opts {
	bool ignore_dots; /* -i / IgnoreDots: a lone "." does not end input */
	bool smtp;        /* SMTP DATA: dot-stuffing, CRLF */
	long max_size;    /* MaxMessageSize, 0 = none */
};

/*
 * Read a message from fp: headers into e->headers (MaxHeadersLength,
 * header count), body into e->body; notes 8-bit data, the hop count and
 * the size.  Returns EX_OK, or a sysexits code after the message.
 */
int env_collect(struct envelope *e, FILE *fp, const struct env_collect_opts *o);

/* ---- queueup.c ---- */

/*
 * Create the df of e in d (its id from the process's generator) and write
 * the body collected so far into it, fsynced; sets e->id and $i (the id
 * appears in Received:).  Returns EX_OK or a sysexits code (message printed).
 */
int env_assign_id(struct envelope *e, const struct qdir *d);
/* The same, trying the id want first (the SMTP transaction's log id). */
int env_assign_id_want(struct envelope *e, const struct qdir *d, const char *want);
/* The from= log line of e under e->id (LogLevel > 4), nrcpts as given:
 * for a message that is not queued (discarded). */
void env_log_sender(struct envelope *e, int nrcpts);
/* The qf of e (recipients still to deliver, headers, macros) in the
 * arena; one qf, owner- splitting is env_queue's. */
struct qf *env_to_qf(struct envelope *e);
/*
 * Write the df and the qf of e into d (ids from the process's generator),
 * each fsynced, the qf renamed into place last.  Assigns e->id and $i.
 * Envelopes split by owner- aliases get their own ids.  Logs the from=
 * line.  Returns EX_OK or a sysexits code (message printed).
 */
int env_queue(struct envelope *e, const struct qdir *d);
/* Fill e from a qf (queue runs): sender, macros, headers, recipients as
 * read (ER_FROMQF, with their C lines); the body stays in the df. */
void env_from_qf(struct envelope *e, const struct qf *q);
/* Pass every ER_FROMQF recipient through recipient() again (queue runs). */
void env_add_qf_rcpts(struct envelope *e);
/*
 * The same, calling each(arg, qr, n) after the R line qr went through:
 * n is the number of addresses it parsed into (0: unparsable, the message
 * is on e->msgout).  The recipients it became are on e->rcpts (with their
 * alias chains leading to the C line's controlling user).
 */
void env_add_qf_rcpts_each(struct envelope *e,
                           void (*each)(void *arg, const struct env_rcpt *qr, int n), void *arg);
/*
 * Append recipient r to q as Sendmail writes it: a C line when the
 * controlling user changes (*last carries it between calls; start with
 * NULL), the Q and r lines, the R line with its flags.
 */
void env_qf_add_rcpt(struct envelope *e, struct qf *q, const struct env_rcpt *r,
                     const char **last);
/*
 * Queue runs (Sendmail's sendall split): the recipients reached through
 * an owner- alias go into new entries of d, one per owner, whose sender
 * is the owner; the body is copied from dfd.  Those recipients become
 * RS_DONTSEND here.  Returns the number of entries queued, their ids in
 * *ids (arena strings).
 */
size_t env_split_owners(struct envelope *e, const struct qdir *d, int dfd, char ***ids);

/* ---- mlog.c ---- */

/*
 * Mail log.  Lines go to syslog (facility mail, ident tag or "sendmail",
 * with the pid); when the environment variable SENDMAIL_LOG_FILE names a
 * file they are appended there instead, as "TAG[PID]: text" (tests).
 * The level is checked by the caller against LogLevel.
 */
void mlog_init(const char *tag);
void mlog(int prio, const char *qid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
