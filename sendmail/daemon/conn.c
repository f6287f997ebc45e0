/*
 * daemon/conn.c: the process of one SMTP connection, and -bs.
 *
 * conn_child() runs in the child the daemon forked for an accepted
 * connection: it learns who the client is (addresses, reverse lookup
 * with forward confirmation), drops root before reading a byte from the
 * network, defines the connection macros Sendmail defines
 * (${client_*}, $_, ${daemon_*}, ${if_addr}, ${client_rate},
 * ${total_rate}, ${client_connections}), and runs the SMTP session with
 * the ruleset policy and the queue sink over the socket, with
 * Timeout.command and Timeout.datablock as its deadlines.
 *
 * daemon_stdio() is the same session on stdin/stdout for -bs, with the
 * client "user@localhost" as Sendmail shows it.
 */
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_log.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/daemon/dint.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/map/map.h"
#include "sendmail/queue/queue.h"

/* "user", "user:group", "uid:gid" to ids; false if unknown. */
static bool user_ids(const char *spec, uid_t *uid, gid_t *gid)
{
	char user[256];
	const char *colon = strchr(spec, ':');
	size_t n = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	struct passwd *pw;

	if (n == 0 || n >= sizeof(user))
		return false;
	memcpy(user, spec, n);
	user[n] = '\0';
	pw = getpwnam(user);
	if (pw != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (user[strspn(user, "0123456789")] == '\0') {
		*uid = (uid_t)atol(user);
		*gid = (gid_t)atol(user);
	} else {
		return false;
	}
	if (colon != NULL && colon[1] != '\0') {
		struct group *gr = getgrnam(colon + 1);

		*gid = gr != NULL ? gr->gr_gid : (gid_t)atol(colon + 1);
	}
	return true;
}

void conn_drop_privileges(struct config *cf)
{
	const char *spec = opt_raw(cf->opt, OPT_RUN_AS_USER);
	uid_t uid;
	gid_t gid;

	if (geteuid() != 0)
		return;
	if (spec == NULL || *spec == '\0')
		spec = opt_raw(cf->opt, OPT_DEFAULT_USER);
	if (spec == NULL || !user_ids(spec, &uid, &gid))
		spec = "1:1", uid = 1, gid = 1;
	if (uid == 0)
		return; /* RunAsUser=root: the admin asked for it */
	if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0 || setuid(0) == 0)
		sm_fatal(EX_OSERR, "cannot drop privileges to %s", spec);
}

/* The first queue directory of QueueDirectory. */
static const struct qdir *first_qdir(struct config *cf, struct sm_arena *a)
{
	const char *spec = opt_raw(cf->opt, OPT_QUEUE_DIRECTORY);
	struct qdir *dirs;

	if (spec == NULL || *spec == '\0')
		spec = "/var/spool/mqueue";
	if (strchr(spec, '*') != NULL)
		return qdir_expand(spec, a, &dirs) > 0 ? &dirs[0] : NULL;
	dirs = sm_arena_zalloc(a, sizeof(*dirs));
	qdir_init(dirs, spec, a);
	return dirs;
}

void glue_init(struct glue *g, struct config *cf, const struct daemon_args *a)
{
	struct sm_buf date = SM_BUF_INIT;

	memset(g, 0, sizeof(*g));
	g->cf = cf;
	g->arena = sm_arena_new();
	g->txn_arena = sm_arena_new();
	g->conn = macros_new(cf->macros);
	g->qdir = first_qdir(cf, g->arena);
	g->delivery_mode = (int)opt_num(cf->opt, OPT_DELIVERY_MODE);
	g->notify_fd = -1;
	g->run = a != NULL ? a->run : NULL;
	env_arpadate(time(NULL), &date);
	macro_set(g->conn, macro_id("b"), sm_buf_str(&date));
	sm_buf_free(&date);
}

void glue_free(struct glue *g)
{
	glue_txn_end(g);
	sm_buf_free(&g->body);
	sm_buf_free(&g->txn_msg);
	macros_free(g->conn);
	g->conn = NULL;
	sm_arena_free(g->txn_arena);
	sm_arena_free(g->arena);
	g->arena = g->txn_arena = NULL;
}

static const char *cmacro(struct glue *g, const char *name)
{
	return macro_get(g->conn, macro_id(name));
}

void glue_opts(struct glue *g, struct smtp_opts *o)
{
	const struct options *op = g->cf->opt;
	const char *greet = opt_raw(op, OPT_SMTP_GREETING_MESSAGE);

	smtp_opts_default(o);
	o->hostname = cmacro(g, "j") != NULL ? cmacro(g, "j") : "localhost";
	o->greeting =
	    macro_expand(g->conn, greet != NULL ? greet : "$j Sendmail $v ready at $b", g->arena);
	o->version = cmacro(g, "v");
	o->helpfile = opt_raw(op, OPT_HELP_FILE);
	o->client_name = cmacro(g, "{client_name}");
	o->client_addr = cmacro(g, "{client_addr}");
	o->client_port = cmacro(g, "{client_port}");
	o->client_resolve = cmacro(g, "{client_resolve}");
	o->daemon_name = cmacro(g, "{daemon_name}");
	o->if_addr = cmacro(g, "{if_addr}");
	o->privacy = g->privacy = smtp_privacy_parse(opt_raw(op, OPT_PRIVACY_OPTIONS), NULL);
	o->max_message_size = opt_num(op, OPT_MAX_MESSAGE_SIZE);
	o->max_rcpts = (int)opt_num(op, OPT_MAX_RECIPIENTS_PER_MESSAGE);
	o->max_noop = (int)opt_num(op, OPT_MAX_NOOP_COMMANDS);
	o->max_headers_length = opt_num(op, OPT_MAX_HEADERS_LENGTH);
	o->deliver_by_min = opt_num(op, OPT_DELIVER_BY_MIN);
	o->reject_nul = opt_bool(op, OPT_REJECT_NUL);
	o->send_mime_errors = opt_bool(op, OPT_SEND_MIME_ERRORS);
	if (g->stdio)
		o->client_label = cmacro(g, "_");
}

/* ETRN: a queue run for the recipients at that host, in a detached process. */
static bool glue_etrn(void *ctx, const char *arg)
{
	struct glue *g = ctx;
	pid_t pid;

	if (arg[0] == '#')
		return strcmp(arg, "#mqueue") == 0;
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			struct dlv_run run;
			const char *err = NULL;

			dlv_run_init(&run);
			if (dlv_parse_q(&run, sm_arena_printf(g->arena, "R%s", arg), g->arena,
			                &err) == 0)
				(void)dlv_queue_run(g->cf, &run);
		}
		_exit(0);
	}
	if (pid > 0)
		(void)waitpid(pid, NULL, 0);
	return true;
}

/* Run the session over in/out; returns when it is over. */
static void run_session(struct glue *g, int in, int out)
{
	struct smtp_opts o;
	struct smtp_hooks h;
	const struct options *op = g->cf->opt;
	long cmd = opt_timeout(op, TO_COMMAND), data = opt_timeout(op, TO_DATABLOCK);

	glue_opts(g, &o);
	/* DeliveryMode=defer: no -D map lookups (the host map) while receiving */
	map_set_deferred(g->cf->maps, g->delivery_mode == 'd');
	memset(&h, 0, sizeof(h));
	h.ctx = g;
	h.policy = glue_policy;
	h.etrn = glue_etrn;
	h.vrfy = glue_vrfy;
	h.command = glue_command;
	h.log = glue_log;
	h.params = glue_params;
	glue_sink_hooks(&h);
	g->s = smtp_session_new(&o, &h, g->conn);
	(void)smtp_session_run_fd(g->s, in, out, cmd > 0 ? cmd : 3600, data > 0 ? data : 3600);
	glue_session_end(g);
	glue_txn_end(g);
	smtp_session_free(g->s);
	g->s = NULL;
}

static void set(struct glue *g, const char *name, const char *value)
{
	macro_set(g->conn, macro_id(name), value);
}

static void set_num(struct glue *g, const char *name, long v)
{
	set(g, name, sm_arena_printf(g->arena, "%ld", v));
}

/* The daemon's own macros. */
static void daemon_macros(struct glue *g, const struct conn_info *ci, const struct sockaddr *local)
{
	const struct dport *dp = ci->dp;

	set(g, "{daemon_name}", dp->name);
	set(g, "{daemon_addr}", dp->addr_text);
	set(g, "{daemon_port}", dp->port_text);
	set(g, "{daemon_family}", dport_family_name(dp->family));
	set(g, "{daemon_flags}", dport_flags(dp, g->arena));
	set(g, "{opMode}", "d");
	set(g, "{if_family}", dport_family_name(local->sa_family));
	if (!((local->sa_family == AF_INET &&
	       ((const struct sockaddr_in *)local)->sin_addr.s_addr == htonl(INADDR_LOOPBACK)) ||
	      (local->sa_family == AF_INET6 &&
	       IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)local)->sin6_addr))))
		set(g, "{if_addr}", addr_text(local, g->arena));
	set_num(g, "{client_rate}", ci->client_rate);
	set_num(g, "{total_rate}", ci->total_rate);
	set_num(g, "{client_connections}", ci->client_conns);
}

/* The client's macros: address, port, name, $_. */
static void client_macros(struct glue *g, const struct sockaddr *peer)
{
	const char *name, *resolve, *ptr, *addr = addr_text(peer, g->arena);
	int port = peer->sa_family == AF_INET ? ntohs(((const struct sockaddr_in *)peer)->sin_port)
	           : peer->sa_family == AF_INET6
	               ? ntohs(((const struct sockaddr_in6 *)peer)->sin6_port)
	               : 0;

	resolve_client(g->cf, peer, g->arena, &name, &resolve, &ptr);
	set(g, "{client_addr}", addr);
	set_num(g, "{client_port}", port);
	set(g, "{client_name}", name);
	set(g, "{client_resolve}", resolve);
	set(g, "{client_ptr}", ptr);
	if (name[0] == '[' && strcmp(resolve, "FORGED") == 0)
		set(g, "_", sm_arena_printf(g->arena, "%s [%s] (may be forged)", ptr, addr));
	else if (name[0] == '[')
		set(g, "_", sm_arena_printf(g->arena, "[%s]", addr));
	else
		set(g, "_", sm_arena_printf(g->arena, "%s [%s]", name, addr));
}

_Noreturn void conn_child(struct config *cf, const struct daemon_args *a,
                          const struct conn_info *ci)
{
	struct sockaddr_storage peer, local;
	socklen_t plen = sizeof(peer), llen = sizeof(local);
	struct glue g;
	struct passwd *pw;
	char *real_user;

	memset(&peer, 0, sizeof(peer));
	memset(&local, 0, sizeof(local));
	(void)getpeername(ci->fd, (struct sockaddr *)&peer, &plen);
	(void)getsockname(ci->fd, (struct sockaddr *)&local, &llen);
	if (ci->dp->rcvbuf > 0)
		(void)setsockopt(ci->fd, SOL_SOCKET, SO_RCVBUF, &ci->dp->rcvbuf, sizeof(int));
	if (ci->dp->sndbuf > 0)
		(void)setsockopt(ci->fd, SOL_SOCKET, SO_SNDBUF, &ci->dp->sndbuf, sizeof(int));
	pw = getpwuid(getuid()); /* Sendmail's RealUserName, before RunAsUser */
	real_user = strdup(pw != NULL ? pw->pw_name : "root");
	conn_drop_privileges(cf);
	glue_init(&g, cf, a);
	g.real_user = real_user;
	g.dp = ci->dp;
	g.notify_fd = ci->notify_fd;
	g.delivery_mode = ci->delivery_mode;
	daemon_macros(&g, ci, (struct sockaddr *)&local);
	client_macros(&g, (struct sockaddr *)&peer);
	if (opt_num(cf->opt, OPT_LOG_LEVEL) > 11)
		mlog(LOG_INFO, "NOQUEUE", "connect from %s", macro_get(g.conn, macro_id("_")));
	if (ci->delay)
		sleep(1);
	run_session(&g, ci->fd, ci->fd);
	glue_free(&g);
	free(real_user);
	exit(EX_OK);
}

int daemon_stdio(struct config *cf, const struct daemon_args *a)
{
	struct passwd *pw;
	struct glue g;
	struct envelope *probe;
	struct sm_arena *pa = sm_arena_new();

	signal(SIGPIPE, SIG_IGN);
	glue_init(&g, cf, a);
	g.stdio = true;
	pw = getpwuid(getuid());
	g.real_user = pw != NULL ? sm_arena_strdup(g.arena, pw->pw_name) : "root";
	probe = env_new(cf, pa, stdout); /* for the real user's name */
	set(&g, "_", sm_arena_printf(g.arena, "%s@localhost", probe->user));
	set(&g, "{daemon_flags}", "c u");
	set(&g, "{opMode}", "s");
	env_free(probe);
	sm_arena_free(pa);
	run_session(&g, 0, 1);
	glue_free(&g);
	return EX_OK;
}
