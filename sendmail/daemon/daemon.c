/*
 * daemon/daemon.c: the daemon parent (sendmail -bd / -bD).
 *
 * Start: every DaemonPortOptions line becomes a listener (none: one
 * daemon on the smtp port), -bd detaches, RunAsUser drops root once the
 * sockets are bound, the PidFile gets "pid\ncommand line\n", and the
 * "starting daemon (8.17.1.9): SMTP+queueing@00:30:00" line is logged.
 *
 * The loop is one ppoll() over the listeners and the delivery request
 * pipe, with SIGCHLD, SIGHUP, SIGTERM and SIGINT blocked except inside
 * ppoll(); their handlers only set flags.  Each pass: reap children,
 * start waiting deliveries (at most max_deliver at once), start the
 * periodic queue run (-q<interval>), accept.
 *
 * Deliveries: each queued message is a request "QUEUEDIR<TAB>ID" on the
 * pipe from the connection children.  A delivery child takes one request
 * when there is room, or, when requests wait, its share of them (up to
 * DELIVERY_BATCH) as one queue run restricted to those ids: the delivery
 * module then keeps one mail.local (LMTP) session for the whole batch
 * instead of starting a mailer per message, which is what doubles the
 * end-to-end rate under load (test/bench/smtp_bench.py).
 *
 * Accepting: ConnectionRateThrottle stops accepting for the rest of the
 * second once reached (the connections wait in the backlog);
 * MaxDaemonChildren / children= and RefuseLA answer the extra
 * connection "421 4.3.2" and close it; QueueLA makes the connection
 * queue-only, DelayLA slows it; every connection gets its own child
 * (conn.c).
 *
 * SIGHUP: "restarting ... due to signal", the listeners are closed and
 * the program re-executed with its original arguments (same pid, no new
 * detach).  SIGTERM/SIGINT: the listeners close and the pid file goes at
 * once; connections in progress may finish (their messages are queued
 * and delivered), for at most STOP_GRACE seconds, after which they are
 * terminated; then the daemon exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_file.h"
#include "libsm/sm_log.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dstate.h"
#include "sendmail/envelope/envelope.h"

#define STOP_GRACE       60 /* seconds connections may take to finish after SIGTERM */
#define ACCEPTS_PER_PASS 64
#define DELIVERY_BATCH   32 /* queue entries one delivery child takes at most */

static volatile sig_atomic_t got_chld, got_hup, got_term;
static sigset_t orig_mask;

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

/* Block the daemon's signals outside ppoll() and install flag handlers. */
static void signals_setup(void)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &orig_mask);
}

/* In a new child: default signal handling, nothing blocked. */
static void signals_child(void)
{
	signal(SIGCHLD, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
}

static void close_listeners(struct dstate *d)
{
	for (int i = 0; i < d->nports; i++) {
		if (d->ports[i].fd >= 0)
			close(d->ports[i].fd);
		d->ports[i].fd = -1;
	}
}

/* The daemon configuration: DaemonPortOptions lines, or one default daemon. */
static int open_ports(struct dstate *d)
{
	const struct options *o = d->cf->opt;
	int n = o->ndaemon_ports > 0 ? o->ndaemon_ports : 1, opened = 0;

	for (int i = 0; i < n && i < MAX_DAEMONS; i++) {
		const char *err;

		dport_parse(&d->ports[i], o->ndaemon_ports > 0 ? o->daemon_ports[i] : "", i,
		            d->arena, &err);
		if (err != NULL)
			sm_warn("%s", err);
		d->nports++;
		if (listen_open(&d->ports[i], d->arena))
			opened++;
	}
	return opened;
}

/* "pid\ncommand line\n" into the PidFile (macros expanded). */
static void write_pidfile(struct dstate *d)
{
	const char *raw = opt_raw(d->cf->opt, OPT_PID_FILE);
	struct sm_buf b = SM_BUF_INIT;

	if (raw == NULL || *raw == '\0')
		return;
	d->pidfile = macro_expand(d->cf->macros, raw, d->arena);
	sm_buf_printf(&b, "%ld\n", (long)getpid());
	for (int i = 0; d->a->argv != NULL && d->a->argv[i] != NULL; i++)
		sm_buf_printf(&b, "%s%s", i > 0 ? " " : "", d->a->argv[i]);
	sm_buf_putc(&b, '\n');
	if (sm_write_atomic(d->pidfile, b.data, b.len, 0644) != 0)
		sm_warn("unable to write pid to %s: %s", d->pidfile, strerror(errno));
	sm_buf_free(&b);
}

/* ${daemon_info} / the start line: "SMTP+queueing@HH:MM:SS" or "SMTP". */
static const char *daemon_info(struct dstate *d)
{
	long q = d->a->queue_interval;

	if (q <= 0)
		return "SMTP";
	return sm_arena_printf(d->arena, "SMTP+queueing@%02ld:%02ld:%02ld", q / 3600, q / 60 % 60,
	                       q % 60);
}

/* Fork a child of kind; the child runs fn and exits.  Returns the pid or -1. */
static pid_t spawn(struct dstate *d, enum dkind kind, int port, const struct dpeer *peer)
{
	pid_t pid = fork();

	if (pid == 0) {
		signals_child();
		close_listeners(d);
		close(d->req_rd);
		if (kind != DK_CONN)
			close(d->req_wr);
		return 0;
	}
	if (pid > 0)
		dchild_add(d, pid, kind, port, peer);
	else
		sm_warn("daemon: fork: %s", strerror(errno));
	return pid;
}

/* The delivery settings of the daemon's -q flags (or the defaults). */
static void delivery_run(const struct dstate *d, struct dlv_run *run)
{
	if (d->a->run != NULL)
		*run = *d->a->run;
	else
		dlv_run_init(run);
	run->verbose = false;
	run->interval = 0;
}

/*
 * In a delivery child: the entries ids[0..n) of queue directory qdir.
 * One entry goes straight to dlv_deliver_id; several are one queue run
 * over exactly those entries (no scan of the queue directory), so the
 * delivery module keeps one mailer session (mail.local over LMTP) for
 * all of them instead of starting a mailer per message.
 */
static _Noreturn void deliver_batch(struct dstate *d, const char *qdir, char **ids, size_t n)
{
	struct dlv_run run;

	delivery_run(d, &run);
	if (n == 1)
		_exit(dlv_deliver_id(d->cf, qdir, ids[0], false, &run));
	run.sel = NULL;
	run.ids = (const char *const *)ids;
	run.nids = n;
	run.queue_dir = qdir;
	_exit(dlv_queue_run(d->cf, &run));
}

/* How many waiting requests the next delivery child takes. */
static size_t batch_size(const struct dstate *d)
{
	size_t free_slots = d->max_deliver - d->ndeliver;
	size_t n = (d->npending + free_slots - 1) / free_slots;

	return n < 1 ? 1 : n > DELIVERY_BATCH ? DELIVERY_BATCH : n;
}

/* Whether request req ("QUEUEDIR<TAB>ID") is for queue directory qdir. */
static bool same_dir(const char *req, const char *qdir)
{
	size_t n = strlen(qdir);

	return strncmp(req, qdir, n) == 0 && req[n] == '\t';
}

/* Start deliveries for waiting requests while there is room. */
static void start_deliveries(struct dstate *d)
{
	static const struct dpeer none;

	while (d->ndeliver < d->max_deliver && d->npending > 0) {
		char *reqs[DELIVERY_BATCH], *ids[DELIVERY_BATCH], *req;
		size_t n = 0, want = batch_size(d);
		pid_t pid;

		while (n < want && (req = dchild_pending_pop(d)) != NULL) {
			char *tab = strchr(req, '\t');

			if (tab == NULL) {
				free(req);
				continue;
			}
			if (n > 0 && !same_dir(req, reqs[0])) {
				dchild_pending_unpop(d, req); /* another directory: next child */
				break;
			}
			*tab = '\0';
			reqs[n] = req;
			ids[n++] = tab + 1;
		}
		if (n == 0)
			continue;
		pid = spawn(d, DK_DELIVER, -1, &none);
		if (pid == 0)
			deliver_batch(d, reqs[0], ids, n);
		for (size_t i = 0; i < n; i++)
			free(reqs[i]);
		if (pid < 0)
			break;
	}
}

/* The periodic queue run of -q<interval>. */
static void maybe_queue_run(struct dstate *d, time_t now)
{
	static const struct dpeer none;
	struct dlv_run run;

	if (d->a->queue_interval <= 0 || d->stopping || now < d->next_qrun)
		return;
	d->next_qrun = now + d->a->queue_interval;
	if (d->qrun_pid != 0)
		return;
	d->qrun_pid = spawn(d, DK_QRUN, -1, &none);
	if (d->qrun_pid == 0) {
		if (d->a->run != NULL)
			run = *d->a->run;
		else
			dlv_run_init(&run);
		run.interval = 0;
		_exit(dlv_queue_run(d->cf, &run));
	}
	if (d->qrun_pid < 0)
		d->qrun_pid = 0;
}

static void reap(struct dstate *d)
{
	pid_t pid;
	int status;

	got_chld = 0;
	for (int i = 0; i < 100000 && (pid = waitpid(-1, &status, WNOHANG)) > 0; i++)
		(void)dchild_remove(d, pid);
}

static void read_requests(struct dstate *d)
{
	char buf[4096];
	ssize_t n;

	for (int i = 0; i < 64 && (n = read(d->req_rd, buf, sizeof(buf))) > 0; i++)
		dchild_requests(d, buf, (size_t)n);
}

/* The comparable form of a client address. */
static struct dpeer peer_of(const struct sockaddr_storage *ss)
{
	struct dpeer p;

	memset(&p, 0, sizeof(p));
	p.family = ss->ss_family;
	if (ss->ss_family == AF_INET)
		memcpy(p.addr, &((const struct sockaddr_in *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		memcpy(p.addr, &((const struct sockaddr_in6 *)ss)->sin6_addr, 16);
	return p;
}

/* A per-daemon value if set, else the global option. */
static long either(int per_daemon, const struct dstate *d, enum opt_id id)
{
	return per_daemon > 0 ? per_daemon : opt_num(d->cf->opt, id);
}

/* Why a new connection on port i is refused now, or NULL. */
static const char *refusal(struct dstate *d, int i, int la)
{
	const struct dport *p = &d->ports[i];
	long max = opt_num(d->cf->opt, OPT_MAX_DAEMON_CHILDREN);
	size_t n = dchild_count(d, DK_CONN) + dchild_count(d, DK_QRUN);
	long refuse = either(p->refuse_la, d, OPT_REFUSE_LA);

	if (max > 0 && n >= (size_t)max)
		return sm_arena_printf(d->arena, "%zu children, max %ld", n, max);
	if (p->children > 0 && p->nchildren >= p->children)
		return sm_arena_printf(d->arena, "%d children, max %d", p->nchildren, p->children);
	if (refuse > 0 && la >= refuse)
		return sm_arena_printf(d->arena, "load average: %d", la);
	return NULL;
}

/* Answer 421 and close; log at most once per RejectLogInterval. */
static void refuse(struct dstate *d, int fd, int i, const char *why)
{
	const char *j = macro_get(d->cf->macros, macro_id("j"));
	struct sm_buf b = SM_BUF_INIT;
	time_t now = time(NULL);
	long every = opt_num(d->cf->opt, OPT_REJECT_LOG_INTERVAL);

	sm_buf_printf(&b, "421 4.3.2 %s Too many connections, try again later\r\n",
	              j != NULL ? j : "localhost");
	if (write(fd, b.data, b.len) < 0) {
		/* the peer is gone already */
	}
	sm_buf_free(&b);
	close(fd);
	if (d->last_reject_log == 0 || now - d->last_reject_log >= (every > 0 ? every : 1)) {
		mlog(LOG_INFO, NULL, "rejecting connections on daemon %s: %s", d->ports[i].name,
		     why);
		d->last_reject_log = now;
	}
}

/* Hand an accepted connection to a new child. */
static void serve(struct dstate *d, int fd, int i, const struct sockaddr_storage *ss)
{
	struct dpeer peer = peer_of(ss);
	struct conn_info ci;
	int la = load_average();
	const char *why = refusal(d, i, la);
	long qla = either(d->ports[i].queue_la, d, OPT_QUEUE_LA);
	long dla = either(d->ports[i].delay_la, d, OPT_DELAY_LA);

	if (why != NULL) {
		refuse(d, fd, i, why);
		return;
	}
	memset(&ci, 0, sizeof(ci));
	ci.dp = &d->ports[i];
	ci.fd = fd;
	ci.notify_fd = d->req_wr;
	dchild_rate(d, &peer, time(NULL), opt_num(d->cf->opt, OPT_CONNECTION_RATE_WINDOW_SIZE),
	            &ci.client_rate, &ci.total_rate);
	ci.client_conns = dchild_connections(d, &peer) + 1;
	ci.delivery_mode = d->ports[i].delivery_mode != 0
	                       ? d->ports[i].delivery_mode
	                       : (int)opt_num(d->cf->opt, OPT_DELIVERY_MODE);
	if (qla > 0 && la >= qla)
		ci.delivery_mode = 'q';
	ci.delay = dla > 0 && la >= dla;
	if (spawn(d, DK_CONN, i, &peer) == 0)
		conn_child(d->cf, d->a, &ci);
	close(fd);
}

/* ConnectionRateThrottle: may another connection be accepted this second? */
static bool throttled(struct dstate *d, time_t now)
{
	long max = opt_num(d->cf->opt, OPT_CONNECTION_RATE_THROTTLE);

	if (max <= 0)
		return false;
	if (now != d->throttle_sec) {
		d->throttle_sec = now;
		d->throttle_count = 0;
	}
	return d->throttle_count >= max;
}

static void accept_on(struct dstate *d, int i)
{
	for (int n = 0; n < ACCEPTS_PER_PASS; n++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd;

		if (throttled(d, time(NULL)))
			return;
		memset(&ss, 0, sizeof(ss));
		fd = accept4(d->ports[i].fd, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
		if (fd < 0)
			return;
		d->throttle_count++;
		serve(d, fd, i, &ss);
	}
}

/* SIGHUP: re-execute with the original arguments (the pid stays). */
static void restart(struct dstate *d)
{
	static const char self[] = "/proc/self/exe";

	got_hup = 0;
	mlog(LOG_INFO, NULL, "restarting %s due to signal", d->a->argv[0]);
	close_listeners(d);
	while (d->npending > 0) { /* requests not yet started: one child takes them all */
		d->max_deliver = d->ndeliver + 1;
		start_deliveries(d);
		break;
	}
	setenv("SM_DAEMON_REEXEC", "1", 1);
	sigprocmask(SIG_SETMASK, &orig_mask, NULL);
	execv(self, d->a->argv);
	execv(d->a->argv[0], d->a->argv);
	sm_fatal(EX_OSERR, "could not exec %s: %s", d->a->argv[0], strerror(errno));
}

/* SIGTERM: stop accepting; the loop ends when the children are done. */
static void begin_stop(struct dstate *d)
{
	got_term = 0;
	if (d->stopping)
		return;
	d->stopping = true;
	d->stop_deadline = time(NULL) + STOP_GRACE;
	close_listeners(d);
	if (d->pidfile != NULL)
		(void)unlink(d->pidfile);
	if (opt_num(d->cf->opt, OPT_LOG_LEVEL) > 9) /* the reference says nothing at 9 */
		mlog(LOG_INFO, NULL, "stopping daemon, reason=signal");
}

/* Whether the stopping daemon may exit now (terminates late children). */
static bool stop_done(struct dstate *d, time_t now)
{
	if (dchild_count(d, DK_CONN) == 0 && d->ndeliver == 0 && d->npending == 0)
		return true;
	if (now >= d->stop_deadline) {
		for (size_t i = 0; i < d->nchildren; i++)
			kill(d->children[i].pid, SIGTERM);
		return now >= d->stop_deadline + 5;
	}
	return false;
}

/* One ppoll() over the listeners and the request pipe. */
static void wait_events(struct dstate *d)
{
	struct pollfd fds[MAX_DAEMONS + 1];
	int idx[MAX_DAEMONS + 1], n = 0;
	time_t now = time(NULL);
	struct timespec ts = {1, 0};

	fds[n] = (struct pollfd){d->req_rd, POLLIN, 0};
	idx[n++] = -1;
	for (int i = 0; i < d->nports && !throttled(d, now); i++) {
		if (d->ports[i].fd < 0)
			continue;
		fds[n] = (struct pollfd){d->ports[i].fd, POLLIN, 0};
		idx[n++] = i;
	}
	if (throttled(d, now))
		ts = (struct timespec){0, 100000000L};
	if (ppoll(fds, (nfds_t)n, &ts, &orig_mask) <= 0)
		return;
	for (int k = 0; k < n; k++) {
		if (!(fds[k].revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		if (idx[k] < 0)
			read_requests(d);
		else if (!d->stopping)
			accept_on(d, idx[k]);
	}
}

static int loop(struct dstate *d)
{
	for (;;) {
		time_t now = time(NULL);

		if (got_chld)
			reap(d);
		if (got_hup && !d->stopping)
			restart(d);
		if (got_term)
			begin_stop(d);
		start_deliveries(d);
		if (d->stopping && stop_done(d, now))
			return EX_OK;
		maybe_queue_run(d, now);
		wait_events(d);
	}
}

/* -bd: go to the background (unless re-executed by SIGHUP). */
static void detach(void)
{
	pid_t pid;
	int fd;

	if (getenv("SM_DAEMON_REEXEC") != NULL)
		return;
	pid = fork();
	if (pid < 0)
		sm_fatal(EX_OSERR, "daemon: cannot fork: %s", strerror(errno));
	if (pid > 0)
		_exit(EX_OK);
	(void)setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 1)
			close(fd);
	}
}

static void init_state(struct dstate *d, struct config *cf, const struct daemon_args *a)
{
	int p[2];
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(d, 0, sizeof(*d));
	d->cf = cf;
	d->a = a;
	d->arena = sm_arena_new();
	if (pipe2(p, O_CLOEXEC) != 0)
		sm_fatal(EX_OSERR, "daemon: pipe: %s", strerror(errno));
	d->req_rd = p[0];
	d->req_wr = p[1];
	(void)fcntl(d->req_rd, F_SETFL, O_NONBLOCK);
	d->max_deliver = (size_t)(n > 0 ? 2 * n : 4);
	if (d->max_deliver < 4)
		d->max_deliver = 4;
	d->next_qrun = time(NULL);
}

int daemon_main(struct config *cf, const struct daemon_args *a)
{
	struct dstate d;
	int rc;

	mlog_init(a->logtag);
	init_state(&d, cf, a);
	signals_setup();
	if (open_ports(&d) == 0) {
		sm_warn("daemon: no daemon could listen");
		return EX_OSERR;
	}
	if (!a->foreground)
		detach();
	if (opt_raw(cf->opt, OPT_RUN_AS_USER) != NULL)
		conn_drop_privileges(cf);
	unsetenv("SM_DAEMON_REEXEC");
	write_pidfile(&d);
	mlog(LOG_INFO, NULL, "starting daemon (%s): %s",
	     macro_get(cf->macros, macro_id("v")) != NULL ? macro_get(cf->macros, macro_id("v"))
	                                                  : "8.17",
	     daemon_info(&d));
	macro_set(cf->macros, macro_id("{daemon_info}"), daemon_info(&d));
	rc = loop(&d);
	close_listeners(&d);
	for (int i = 0; i < d.nports; i++)
		if (d.ports[i].family == AF_UNIX && d.ports[i].addr != NULL)
			(void)unlink(d.ports[i].addr);
	return rc;
}
