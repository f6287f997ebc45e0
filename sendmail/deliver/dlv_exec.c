/*
 * deliver/dlv_exec: running a mailer program.
 *
 * Internal (dlv_int.h): dlv_set_macros, dlv_argv, dlv_exec_start,
 * dlv_exec_wait.
 *
 * The A= words are macro-expanded per delivery ($u once per recipient
 * for F=m mailers, in a word of its own as Sendmail repeats it).  The
 * child gets: the message pipe on stdin; stdout and stderr on a pipe
 * (LMTP) or an unlinked temporary file (read back for the transcript,
 * so a chatty mailer can never block us); no other descriptors; a clean
 * environment (AGENT=sendmail, TZ, and the cf's E lines only); nice(N=);
 * the root directory /= and the first D= directory that works; and,
 * when we are root and the mailer lacks F=S, the ids of the recipient's
 * controlling user, else U=, else DefaultUser.  With F=S and U= the
 * effective ids become U='s.  Unprivileged, ids are left alone.
 * Nothing reaches a shell that the mailer's own argv does not put there.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"

#define DLV_MAX_ARGV   10000
#define DLV_MAX_OUTPUT (64u << 10) /* mailer output kept for transcripts */
#define DLV_MAX_ENV    256

extern char **environ;

void dlv_set_macros(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r)
{
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	macro_set(j->mac, macro_id("d"), date);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	macro_set(j->mac, macro_id("b"), date);
	macro_set(j->mac, macro_id("u"), r->user);
	macro_set(j->mac, macro_id("h"), r->host);
	macro_set(j->mac, macro_id("z"), r->home);
	macro_set(j->mac, macro_id("g"), dlv_sender_for(j, m));
}

char **dlv_argv(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt **list, size_t n)
{
	size_t cap = 16, k = 0;
	char **v = sm_arena_array(j->a, cap, sizeof(char *));

	for (const char **w = m->argv; w != NULL && *w != NULL && k < DLV_MAX_ARGV; w++) {
		bool per_rcpt = strstr(*w, "$u") != NULL && mailer_flag(m, 'm');
		size_t times = per_rcpt ? n : 1;

		for (size_t i = 0; i < times; i++) {
			if (k + 2 > cap) {
				char **nv = sm_arena_array(j->a, cap * 2, sizeof(char *));

				memcpy(nv, v, k * sizeof(char *));
				v = nv;
				cap *= 2;
			}
			macro_set(j->mac, macro_id("u"), list[i]->user);
			v[k++] = macro_expand(j->mac, *w, j->a);
		}
		macro_set(j->mac, macro_id("u"), list[0]->user);
	}
	v[k] = NULL;
	return v;
}

/* Parse "uid[:gid]" or "user[:group]"; false if unknown. */
static bool parse_ids(const char *spec, long *uid, long *gid)
{
	char *copy = strdup(spec), *colon, *end;
	struct passwd *pw;
	bool ok = true;

	if (copy == NULL)
		return false;
	colon = strchr(copy, ':');
	if (colon != NULL)
		*colon++ = '\0';
	*uid = strtol(copy, &end, 10);
	if (*end != '\0' || end == copy) {
		pw = getpwnam(copy);
		ok = pw != NULL;
		*uid = ok ? (long)pw->pw_uid : -1;
		*gid = ok ? (long)pw->pw_gid : -1;
	}
	if (ok && colon != NULL) {
		*gid = strtol(colon, &end, 10);
		if (*end != '\0' || end == colon) {
			struct group *gr = getgrnam(colon);

			ok = gr != NULL;
			*gid = ok ? (long)gr->gr_gid : -1;
		}
	}
	free(copy);
	return ok;
}

/* The ids a mailer child runs as (root only); -1 = keep. */
static void child_ids(struct dlv_job *j, const struct mailer *m, const struct dlv_rcpt *r,
                      long *uid, long *gid)
{
	const char *def = opt_raw(j->cf->opt, OPT_DEFAULT_USER);

	*uid = *gid = -1;
	if (r != NULL && r->uid >= 0) {
		*uid = r->uid;
		*gid = r->gid;
	} else if (m->uid >= 0) {
		*uid = m->uid;
		*gid = m->gid >= 0 ? m->gid : m->uid;
	} else if (!parse_ids(def != NULL ? def : "1:1", uid, gid)) {
		*uid = *gid = 1;
	}
}

/* Drop to the mailer's ids in the child; false on failure. */
static bool child_setids(struct dlv_job *j, const struct mailer *m, const struct dlv_rcpt *r)
{
	long uid, gid;

	if (geteuid() != 0)
		return true;
	if (mailer_flag(m, 'S')) {
		if (m->uid < 0)
			return true;
		return setegid((gid_t)(m->gid >= 0 ? m->gid : m->uid)) == 0 &&
		       seteuid((uid_t)m->uid) == 0;
	}
	child_ids(j, m, r, &uid, &gid);
	if (gid >= 0 && (setgroups(0, NULL) < 0 || setgid((gid_t)gid) < 0))
		return false;
	return uid < 0 || setuid((uid_t)uid) == 0;
}

/* The clean environment of a mailer: AGENT, TZ, the cf's E lines. */
static char **child_env(struct dlv_job *j)
{
	char **env = sm_arena_array(j->a, DLV_MAX_ENV + 3, sizeof(char *));
	const char *tz = getenv("TZ");
	size_t n = 0;

	env[n++] = "AGENT=sendmail";
	if (tz != NULL)
		env[n++] = sm_arena_printf(j->a, "TZ=%s", tz);
	for (const struct cf_env *e = j->cf->env; e != NULL && n < DLV_MAX_ENV; e = e->next) {
		if (strchr(e->entry, '=') != NULL)
			env[n++] = (char *)e->entry;
		else if (getenv(e->entry) != NULL)
			env[n++] = sm_arena_printf(j->a, "%s=%s", e->entry, getenv(e->entry));
	}
	env[n] = NULL;
	return env;
}

/* D=: the first of the colon-separated directories we can enter. */
static void child_chdir(struct dlv_job *j, const struct mailer *m)
{
	char *dirs, *p, *next;

	if (m->execdir == NULL)
		return;
	dirs = macro_expand(j->mac, m->execdir, j->a);
	for (p = dirs; p != NULL; p = next) {
		next = strchr(p, ':');
		if (next != NULL)
			*next++ = '\0';
		if (*p != '\0' && chdir(p) == 0)
			return;
	}
}

/* Everything the child does before exec; never returns. */
static _Noreturn void child(struct dlv_job *j, const struct mailer *m, char **argv,
                            const struct dlv_rcpt *r, int in, int out, char **env)
{
	long maxfd = sysconf(_SC_OPEN_MAX);

	signal(SIGPIPE, SIG_DFL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(EX_OSERR);
	if (close_range(3, ~0U, 0) < 0) /* old kernels: one close per slot */
		for (long fd = 3; fd < (maxfd > 0 && maxfd < 65536 ? maxfd : 1024); fd++)
			(void)close((int)fd);
	if (m->nice != 0)
		(void)setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0) + m->nice);
	if (m->rootdir != NULL && geteuid() == 0) {
		char *root = macro_expand(j->mac, m->rootdir, j->a);

		if (chroot(root) < 0 || chdir("/") < 0)
			_exit(EX_TEMPFAIL);
	}
	if (!child_setids(j, m, r)) {
		dprintf(2, "Cannot set the mailer's user id: %s\n", strerror(errno));
		_exit(EX_TEMPFAIL);
	}
	child_chdir(j, m);
	execve(m->path, argv, env);
	dprintf(2, "Cannot exec %s: %s\n", m->path, strerror(errno));
	_exit(errno == EAGAIN || errno == ENOMEM || errno == ETXTBSY ? EX_OSERR : EX_UNAVAILABLE);
}

/* An unlinked temporary file for the mailer's output. */
static int output_file(void)
{
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0) {
		char name[] = "/tmp/dlvXXXXXX";

		fd = mkostemp(name, O_CLOEXEC);
		if (fd >= 0)
			unlink(name);
	}
	return fd;
}

int dlv_exec_start(struct dlv_job *j, const struct mailer *m, char **argv, struct dlv_rcpt *ctl,
                   struct dlv_proc *p, const char **stat)
{
	int in[2], outp[2] = {-1, -1};
	bool lmtp = mailer_flag(m, 'z') && strstr(m->argv_raw ? m->argv_raw : "", "$u") == NULL;
	char **env = child_env(j);

	memset(p, 0, sizeof(*p));
	p->to = p->from = -1;
	p->what = sm_arena_printf(j->a, "%s mailer (%s)", m->name, m->path);
	dlv_verbose(j, "Executing %s", p->what);
	dlv_traffic_exec(argv);
	if (pipe2(in, O_CLOEXEC) < 0)
		goto fail;
	if (lmtp ? pipe2(outp, O_CLOEXEC) < 0 : (outp[0] = output_file()) < 0) {
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	if (!lmtp)
		outp[1] = outp[0];
	fflush(NULL);
	p->pid = fork();
	if (p->pid == 0)
		child(j, m, argv, ctl, in[0], outp[1], env);
	close(in[0]);
	if (lmtp)
		close(outp[1]);
	p->to = in[1];
	p->from = outp[0];
	if (p->pid < 0) {
		dlv_exec_wait(p, NULL);
		goto fail;
	}
	return EX_OK;
fail:
	*stat = sm_arena_printf(j->a, "Deferred: cannot start %s: %s", p->what, strerror(errno));
	return EX_TEMPFAIL;
}

/* Read the mailer's output (bounded) into out. */
static void collect_output(int fd, struct sm_buf *out)
{
	char chunk[4096];
	ssize_t got;

	if (fd < 0 || out == NULL)
		return;
	(void)lseek(fd, 0, SEEK_SET);
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		if (out->len < DLV_MAX_OUTPUT)
			sm_buf_append(out, chunk, (size_t)got);
}

int dlv_exec_wait(struct dlv_proc *p, struct sm_buf *out)
{
	int st = 0;

	if (p->to >= 0)
		close(p->to);
	p->to = -1;
	if (p->pid <= 0) {
		if (p->from >= 0)
			close(p->from);
		p->from = -1;
		return EX_OSERR;
	}
	while (waitpid(p->pid, &st, 0) < 0)
		if (errno != EINTR)
			return EX_OSERR;
	collect_output(p->from, out);
	if (p->from >= 0)
		close(p->from);
	p->from = -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return EX_TEMPFAIL; /* died of a signal: do not assume it delivered */
}
