/*
 * daemon/dint: what the daemon module's files share and nobody else uses.
 *
 * struct glue is one SMTP session's integration state (a daemon child or
 * -bs): the configuration, the session, the current transaction's
 * envelope and the message body being received.  policy.c and
 * policy_addr.c fill the session's policy hook from it, sink.c its sink.
 */
#ifndef DAEMON_DINT_H
#define DAEMON_DINT_H

#include <stdio.h>
#include <sys/socket.h>

#include "libsm/sm_buf.h"
#include "sendmail/daemon/daemon.h"
#include "sendmail/queue/queue.h"
#include "sendmail/smtp/server.h"

struct envelope;
struct env_rcpt;
struct macros;
struct qdir;

struct glue {
	struct config *cf;
	struct smtp_session *s;
	struct macros *conn;        /* connection macros: parent of the session's */
	struct sm_arena *arena;     /* session lifetime */
	struct sm_arena *txn_arena; /* one transaction; reset at MAIL and after commit */
	const struct dport *dp;     /* the daemon (NULL for -bs) */
	const struct qdir *qdir;
	int delivery_mode;   /* DeliveryMode letter in effect */
	int notify_fd;       /* pipe to the parent for delivery requests, -1: none */
	bool stdio;          /* -bs */
	unsigned privacy;    /* PrivacyOptions as SMTP_PRIV_* bits */
	const char *real_user; /* who started sendmail (SYSERR lines), before RunAsUser */
	struct dlv_run *run; /* queue-run settings for deliveries */
	/* the transaction */
	struct envelope *e;
	FILE *msgout; /* the envelope's messages (memstream) */
	char *msgbuf;
	size_t msglen;
	size_t msgseen;          /* bytes of msgbuf already looked at */
	struct env_rcpt **known; /* every recipient seen so far */
	size_t nknown, capknown;
	struct env_rcpt ***groups; /* per accepted RCPT: NULL-terminated recipients */
	size_t ngroups, capgroups;
	struct env_rcpt **pending; /* the group of the RCPT being checked */
	size_t sink_rcpt;          /* add_rcpt calls so far */
	struct sm_buf body;
	struct sm_buf txn_msg; /* the transaction's first refusal text (qf M line) */
	bool discard;          /* this transaction's message is dropped */
	bool conn_discard;     /* check_relay said discard: every message is */
	bool new_id;           /* a HELO ran: the next command starts with a new id */
	bool mail_ok;          /* the sender is set: the transaction's from= line is due */
	bool used;             /* MAIL, EXPN, VRFY or ETRN was given */
	bool greet_421;        /* check_relay answered 421: the session never began */
	char sid[QID_BUFSIZE]; /* the session's log id until a message is queued */
	char scratch[64];
};

/* ---- policy.c ---- */
void glue_policy(void *ctx, enum smtp_check which, const char *arg, struct macros *m,
                 struct smtp_decision *out);
/*
 * Run ruleset name on "arg1" or "arg1 $| arg2" as Sendmail's rscheck()
 * and turn the result into a decision (accept when the ruleset is not
 * defined).  to: the address shown before "..." in error texts, or NULL.
 */
void glue_rscheck(struct glue *g, const char *name, const char *arg1, const char *arg2,
                  const char *to, struct smtp_decision *out);
/* A refusal: code, enhanced code, text (copied into the session arena). */
void glue_refuse(struct glue *g, struct smtp_decision *out, int code, const char *dsn,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * The refusal for an error triple: host is the $@ part (enhanced code or
 * exit status), text the $: part; to as for glue_rscheck.
 */
void glue_error_reply(struct glue *g, const char *host, const char *text, const char *to,
                      struct smtp_decision *out);

/* ---- policy_addr.c ---- */
/* MAIL's sender (SMTP_CHECK_SENDER): parsed, the transaction's envelope started. */
void glue_sender(struct glue *g, const char *arg, struct smtp_decision *out);
/* The params hook: SIZE= and BODY= onto the envelope (for its from= line). */
void glue_params(void *ctx, const struct smtp_txn *t);
/* MAIL after its parameters (SMTP_CHECK_MAIL): free space, check_mail. */
void glue_mail(struct glue *g, const char *arg, struct smtp_decision *out);
void glue_rcpt(struct glue *g, const char *arg, struct smtp_decision *out);
/* Forget the transaction (envelope, recipients, body). */
void glue_txn_end(struct glue *g);

/* ---- slog.c ---- */
/* The session's queue id for log lines (made on first use, new per transaction). */
const char *glue_sid(struct glue *g);
/* The command hook: VRFY/EXPN/ETRN log lines, "did issue" bookkeeping. */
void glue_command(void *ctx, const char *name, const char *line);
/* The smtp log hook: the core's own lines, with the session's id. */
void glue_log(void *ctx, int prio, int level, const char *text);
/* A refused RCPT (not by check_rcpt): its text, as Sendmail logs usrerr. */
void glue_log_refusal(struct glue *g, const struct smtp_decision *d);
/* Recipients the transaction holds (RCPTs that added one), as Sendmail's e_nrcpts. */
size_t glue_nrcpts(const struct glue *g);
/* The from= line of a transaction that ended without a message. */
void glue_log_abort(struct glue *g);
/* Session end: lost input channel, premature EOM, did not issue MAIL... */
void glue_session_end(struct glue *g);

/* ---- vrfy.c ---- */
/* The vrfy hook: VRFY (expn false) / EXPN answer lines for arg into out. */
void glue_vrfy(void *ctx, const char *arg, bool expn, struct sm_buf *out);

/* ---- sink.c ---- */
void glue_sink_hooks(struct smtp_hooks *h);
/* After a commit: deliver per DeliveryMode (ask the parent, or fork for -bs). */
void glue_deliver(struct glue *g, const char *qdir, const char *id);

/* ---- resolve.c ---- */
/* ${client_addr} text of a socket address ("IPv6:..." for IPv6). */
const char *addr_text(const struct sockaddr *sa, struct sm_arena *a);
/*
 * The client's name by reverse lookup with forward confirmation through
 * the service switch's hosts services (files: HostsFile, dns: the
 * resolver).  *resolve: OK, FAIL, FORGED or TEMP; *name is "[addr]"
 * unless OK; *ptr the raw PTR answer (NULL none).
 */
void resolve_client(struct config *cf, const struct sockaddr *sa, struct sm_arena *a,
                    const char **name, const char **resolve, const char **ptr);

/* ---- load.c ---- */
/* The 1-minute load average as an integer (Sendmail's getla()). */
int load_average(void);
/* Whether the queue directory's file system has fewer than MinFreeBlocks (or need bytes). */
bool disk_short(struct config *cf, const char *dir, long need);

/* ---- listen.c ---- */
/* Open p's listening socket (p->fd); false after a warning (silent with M=O). */
bool listen_open(struct dport *p, struct sm_arena *a);

/* ---- conn.c ---- */
struct conn_info {
	struct dport *dp;
	int fd;            /* the accepted socket */
	long client_rate;  /* connections from this address in the window */
	long total_rate;   /* all connections in the window */
	long client_conns; /* open connections from this address */
	int notify_fd;     /* write end of the delivery request pipe */
	int delivery_mode; /* mode after QueueLA */
	bool delay;        /* DelayLA reached */
};
/* The connection's process: never returns. */
_Noreturn void conn_child(struct config *cf, const struct daemon_args *a,
                          const struct conn_info *ci);
/* Drop root for network-facing work (RunAsUser, else DefaultUser). */
void conn_drop_privileges(struct config *cf);
/* Set up g over cf (shared by the daemon child and -bs). */
void glue_init(struct glue *g, struct config *cf, const struct daemon_args *a);
/* Release what glue_init made. */
void glue_free(struct glue *g);
/* smtp_opts from the configuration and the connection macros in g->conn. */
void glue_opts(struct glue *g, struct smtp_opts *o);

#endif
