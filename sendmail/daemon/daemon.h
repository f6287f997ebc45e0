/*
 * daemon: the SMTP server process: listening sockets, one child per
 * connection, signals, limits, periodic queue runs; and the glue that
 * connects the SMTP protocol core (sendmail/smtp) to the rulesets
 * (policy), the envelope and the queue (the message sink) and to the
 * delivery module.
 *
 * Entry points for main.c:
 *   daemon_main   sendmail -bd / -bD (optionally with -q<interval>):
 *                 open every DaemonPortOptions listener, write the
 *                 PidFile, serve until SIGTERM; SIGHUP re-executes the
 *                 program with the same arguments (reload).
 *   daemon_stdio  sendmail -bs: one SMTP session on stdin/stdout with
 *                 the same policy and sink as a daemon child.
 *
 * Process model (see DESIGN.md): the parent accepts and forks one child
 * per connection.  The child drops root (RunAsUser, else DefaultUser)
 * before it reads a byte from the network, runs the session, writes the
 * queue, and asks the parent through a pipe to deliver what it queued;
 * the parent runs deliveries with bounded concurrency.  Signal handlers
 * only set flags; every wait is a ppoll() with a deadline.
 *
 * Files: dport.c (DaemonPortOptions), listen.c (sockets), daemon.c (the
 * parent's loop), dchild.c (child table, rates, delivery requests),
 * conn.c (the connection's process), resolve.c (client name lookup),
 * policy.c (check_* rulesets), policy_addr.c (MAIL/RCPT addresses),
 * vrfy.c (VRFY/EXPN answers),
 * sink.c (queueing a received message), load.c (load average, disk).
 */
#ifndef DAEMON_DAEMON_H
#define DAEMON_DAEMON_H

#include <stdbool.h>

#include "sendmail/deliver/deliver.h"

struct config;
struct sm_arena;

/* What main.c hands over. */
struct daemon_args {
	char **argv;         /* the original argv, for the SIGHUP re-exec */
	bool foreground;     /* -bD: do not detach */
	bool smtp_stdio;     /* -bs */
	long queue_interval; /* -q<time> in seconds, 0 for none */
	struct dlv_run *run; /* queue-run settings (-q filters), may be NULL */
	const char *logtag;  /* -L */
	const char *cf_path; /* the configuration that was read */
};

/* -bd / -bD.  Returns a sysexits code (only on errors or after SIGTERM). */
int daemon_main(struct config *cf, const struct daemon_args *a);

/* -bs: one session on fds 0 and 1.  Returns a sysexits code. */
int daemon_stdio(struct config *cf, const struct daemon_args *a);

/* ---- DaemonPortOptions (dport.c), public for tests ---- */

struct dport {
	const char *name;    /* Name= (default "Daemon<n>") */
	const char *port;    /* Port= as written (service or number), default "smtp" */
	const char *addr;    /* Addr= (NULL: any) */
	int family;          /* AF_INET, AF_INET6 or AF_UNIX */
	int backlog;         /* Listen= (default 10) */
	int rcvbuf, sndbuf;  /* ReceiveSize= / SendSize=, 0 = system default */
	const char *filters; /* InputMailFilters= (stored, milters are not run yet) */
	char mods[64];       /* Modifier= letters, as given */
	int children;        /* children= (per-daemon MaxDaemonChildren), 0 none */
	int delivery_mode;   /* DeliveryMode= letter, 0 = the global option */
	int refuse_la, delay_la, queue_la; /* per-daemon load limits, 0 = global */
	/* run time */
	int fd;                /* listening socket, -1 when closed */
	int nchildren;         /* connection children alive */
	const char *addr_text; /* ${daemon_addr} */
	const char *port_text; /* ${daemon_port} */
};

/*
 * Parse one DaemonPortOptions value into p (strings in a).  index names
 * the default "Daemon<index>".  Unknown keys are reported through err
 * (first one, arena text) and otherwise ignored, as Sendmail does.
 */
void dport_parse(struct dport *p, const char *value, int index, struct sm_arena *a,
                 const char **err);
/* Whether modifier letter c is set. */
bool dport_has(const struct dport *p, int c);
/* ${daemon_flags}: the modifiers sorted, upper-case letters doubled ("EE a"). */
const char *dport_flags(const struct dport *p, struct sm_arena *a);
/* ${daemon_family}: "inet", "inet6" or "local". */
const char *dport_family_name(int family);

#endif
