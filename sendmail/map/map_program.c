/*
 * map/map_program: the program class, "Kname program /path [args]".
 *
 * A lookup runs /path with the K-line arguments (split on blanks, no
 * quoting, as Sendmail does) and the key as the last argument, and
 * answers with the first line of its output.  The way the reference runs
 * it, which we copy:
 *   - environment: only AGENT=sendmail; the working directory is /tmp;
 *     stdin is closed (a program that reads it gets an error, never
 *     blocks), stderr is sendmail's own; no other descriptors stay open;
 *   - when we run as root the child becomes DefaultUser (default 1:1)
 *     before exec;
 *   - the whole output is read (so the child never blocks on a full pipe)
 *     and the child waited for; its exit code is the lookup status: a
 *     non-zero code means "no match" with that status, so 0 with empty
 *     output is "no match (0)";
 *   - exec failure: the child exits EX_CONFIG (78), silently;
 *   - a child killed by a signal prints
 *     "prog_map_lookup(NAME): child died on signal N" (status 69).
 * -m returns the key instead of the output.  We add a bound the reference
 * lacks: a program that runs longer than PROGRAM_TIMEOUT_MS is killed
 * (and reported as killed by signal 9).
 */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/map/map_int.h"

#define PROGRAM_TIMEOUT_MS 10000
#define PROGRAM_MAX_OUTPUT 65536 /* kept; the rest is read and dropped */
#define PROGRAM_MAX_ARGS   64
#define PROGRAM_MAX_FD     1024

/* Milliseconds left before the deadline. */
static long ms_left(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return PROGRAM_TIMEOUT_MS -
	       ((now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000);
}

/* Read the child's output until EOF or the deadline; false on timeout. */
static bool read_output(int fd, struct sm_buf *out)
{
	char buf[4096];
	struct pollfd pfd = {fd, POLLIN, 0};
	struct timespec start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long left = ms_left(&start);
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return false;
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return true;
		if (out->len < PROGRAM_MAX_OUTPUT)
			sm_buf_append(out, buf, (size_t)n);
	}
}

/* Build argv: the program, its K-line arguments, the key. */
static char **program_argv(struct map *m, struct sm_arena *a, const char *key)
{
	char **argv = sm_arena_array(a, PROGRAM_MAX_ARGS + 3, sizeof(char *));
	const char *p = m->rest ? m->rest : "";
	int n = 0;

	argv[n++] = (char *)m->file;
	while (n < PROGRAM_MAX_ARGS) {
		const char *w = map_word(a, &p);
		if (*w == '\0')
			break;
		argv[n++] = (char *)w;
	}
	argv[n++] = (char *)key;
	argv[n] = NULL;
	return argv;
}

/* DefaultUser ("uid:gid", "user:group" or "user") as ids; 1:1 if unknown. */
static void default_user(const struct map_ctx *ctx, uid_t *uid, gid_t *gid)
{
	const char *v = NULL;
	struct passwd *pw;

	*uid = 1;
	*gid = 1;
	if (ctx->cf != NULL && ctx->cf->opt != NULL)
		v = opt_raw(ctx->cf->opt, OPT_DEFAULT_USER);
	if (v == NULL || *v == '\0')
		return;
	size_t ulen = strcspn(v, ":");
	char *u = strndup(v, ulen);
	if (u == NULL)
		return;
	if (u[0] >= '0' && u[0] <= '9')
		*uid = (uid_t)strtoul(u, NULL, 10);
	else if ((pw = getpwnam(u)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	}
	free(u);
	if (v[ulen] == ':') {
		const char *g = v + ulen + 1;
		struct group *gr;
		if (*g >= '0' && *g <= '9')
			*gid = (gid_t)strtoul(g, NULL, 10);
		else if ((gr = getgrnam(g)) != NULL)
			*gid = gr->gr_gid;
	}
}

/* In the child: descriptors, user, exec.  Never returns. */
static void run_child(int out, char **argv, uid_t uid, gid_t gid)
{
	char *envp[] = {"AGENT=sendmail", NULL};
	close(0);
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	for (int fd = 3; fd < PROGRAM_MAX_FD; fd++)
		close(fd);
	if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
		_exit(EX_TEMPFAIL);
	if (chdir("/tmp") != 0)
		_exit(EX_TEMPFAIL);
	execve(argv[0], argv, envp);
	_exit(EX_CONFIG);
}

/* The answer from the output and the child's wait status. */
static char *program_answer(struct map *m, const struct map_ctx *ctx, const char *key,
                            const char *const *args, int nargs, const struct sm_buf *out,
                            int status, int *stat)
{
	if (!WIFEXITED(status)) {
		int sig = WIFSIGNALED(status) ? WTERMSIG(status) : status;
		map_msg(m->reg, "prog_map_lookup(%s): child died on signal %d", m->name, sig);
		map_note_exit(m->reg, EX_SOFTWARE);
		*stat = EX_UNAVAILABLE;
		return NULL;
	}
	*stat = WEXITSTATUS(status);
	if (*stat != EX_OK || out->len == 0)
		return NULL;
	if (m->flags & MF_MATCHONLY)
		return map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
	return map_rewrite(m, ctx, sm_buf_str(out), strcspn(sm_buf_str(out), "\n"), key, args,
	                   nargs);
}

static char *program_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                            const char *const *args, int nargs, int *stat)
{
	int pfd[2], status = 0;
	struct sm_buf out = SM_BUF_INIT;
	uid_t uid;
	gid_t gid;
	char **argv = program_argv(m, ctx->arena, key);

	default_user(ctx, &uid, &gid);
	fflush(NULL); /* nothing buffered may be written twice */
	if (pipe(pfd) != 0)
		pfd[0] = pfd[1] = -1;
	pid_t pid = pfd[0] >= 0 ? fork() : -1;
	if (pid == 0)
		run_child(pfd[1], argv, uid, gid);
	if (pid < 0) {
		if (pfd[0] >= 0) {
			close(pfd[0]);
			close(pfd[1]);
		}
		map_msg(m->reg, "prog_map_lookup(%s) failed (%s) -- closing", m->name,
		        strerror(errno));
		*stat = EX_OSFILE;
		return NULL;
	}
	close(pfd[1]);
	if (!read_output(pfd[0], &out))
		kill(pid, SIGKILL);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	char *r = program_answer(m, ctx, key, args, nargs, &out, status, stat);
	sm_buf_free(&out);
	return r;
}

const struct map_class map_class_program = {"program", map_parse_common, NULL, program_lookup,
                                            true};
