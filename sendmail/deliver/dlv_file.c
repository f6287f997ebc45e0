/*
 * deliver/dlv_file: the built-in *file* mailer (P=[FILE]), for "/path"
 * recipients that came from aliases or :include: lists.
 *
 * Internal (dlv_int.h): dlv_file.
 *
 * A child process does the writing so that it can take the ids of the
 * recipient's controlling user (or DefaultUser) when we are root.  With
 * SafeFileEnvironment set, the path must lie inside that directory (a
 * path outside it is refused); as root the child chroots into it first,
 * as Sendmail does.  The file is opened O_APPEND|O_NOFOLLOW (created
 * 0600 if missing), must be a regular file or /dev/null, is locked with
 * flock, gets the message in the *file* mailer's format (From_ line
 * unless F=n, ">From " for F=E, a blank line after the message) and is
 * fsynced; on any write error it is cut back to its old size, so a
 * failed delivery leaves no partial message.  Exit codes are sysexits.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/mailer.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/dlv_int.h"

/* The path to open, inside SafeFileEnvironment; NULL if outside it. */
static const char *safe_path(struct dlv_job *j, const char *path, bool *do_chroot)
{
	const char *sfe = opt_raw(j->cf->opt, OPT_SAFE_FILE_ENVIRONMENT);
	size_t n;

	*do_chroot = false;
	if (sfe == NULL || *sfe == '\0' || strcmp(sfe, "/") == 0)
		return path;
	n = strlen(sfe);
	while (n > 1 && sfe[n - 1] == '/')
		n--;
	if (strncmp(path, sfe, n) != 0 || (path[n] != '/' && path[n] != '\0'))
		return NULL;
	if (geteuid() == 0) {
		*do_chroot = true;
		return path[n] == '\0' ? "/" : path + n;
	}
	return path;
}

/* Take the recipient's ids (root only). */
static bool file_ids(struct dlv_job *j, const struct dlv_rcpt *r)
{
	const char *def = opt_raw(j->cf->opt, OPT_DEFAULT_USER);
	long uid = r->uid, gid = r->gid;

	if (geteuid() != 0)
		return true;
	if (uid < 0) {
		uid = def != NULL ? strtol(def, NULL, 10) : 1;
		gid =
		    def != NULL && strchr(def, ':') ? strtol(strchr(def, ':') + 1, NULL, 10) : uid;
	}
	return setgroups(0, NULL) == 0 && setgid((gid_t)gid) == 0 && setuid((uid_t)uid) == 0;
}

/* Open and check the target; fd or -1 with *code set. */
static int open_target(const char *path, int *code)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY, 0600);

	if (fd < 0) {
		*code = errno == EACCES || errno == EPERM ? EX_CANTCREAT : EX_CANTCREAT;
		return -1;
	}
	if (fstat(fd, &st) < 0 || (!S_ISREG(st.st_mode) && strcmp(path, "/dev/null") != 0)) {
		close(fd);
		*code = EX_CANTCREAT;
		return -1;
	}
	return fd;
}

/* The child: write the message and exit with a sysexits code. */
static _Noreturn void file_child(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r)
{
	bool do_chroot;
	const char *path = safe_path(j, r->user, &do_chroot);
	const char *sfe = opt_raw(j->cf->opt, OPT_SAFE_FILE_ENVIRONMENT);
	int code = EX_OK, fd;
	struct stat st;
	FILE *fp;

	signal(SIGPIPE, SIG_DFL);
	if (path == NULL)
		_exit(EX_CANTCREAT);
	if (do_chroot && (chroot(sfe) < 0 || chdir("/") < 0))
		_exit(EX_CANTCREAT);
	if (!file_ids(j, r))
		_exit(EX_TEMPFAIL);
	fd = open_target(path, &code);
	if (fd < 0)
		_exit(code);
	if (flock(fd, LOCK_EX) < 0 || fstat(fd, &st) < 0 || (fp = fdopen(fd, "a")) == NULL)
		_exit(EX_IOERR);
	if (dlv_msg_write(j, m, r, fp, false) < 0 || fputs("\n", fp) < 0 || fflush(fp) != 0 ||
	    fsync(fd) < 0) {
		if (S_ISREG(st.st_mode))
			(void)ftruncate(fd, st.st_size);
		_exit(EX_IOERR);
	}
	_exit(EX_OK);
}

void dlv_file(struct dlv_job *j, const struct mailer *m, struct dlv_rcpt *r)
{
	int st = 0, code;
	bool unused;
	pid_t pid;

	if (safe_path(j, r->user, &unused) == NULL) {
		dlv_set_result(
		    j, r, EX_CANTCREAT, "5.3.0",
		    sm_arena_printf(j->a, "Cannot create %s: outside SafeFileEnvironment", r->user),
		    NULL);
		return;
	}
	dlv_set_macros(j, m, r);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		file_child(j, m, r);
	if (pid < 0) {
		dlv_set_result(j, r, EX_OSERR, NULL, NULL, NULL);
		return;
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			break;
	code = WIFEXITED(st) ? WEXITSTATUS(st) : EX_TEMPFAIL;
	dlv_set_result(
	    j, r, code, NULL,
	    code == EX_CANTCREAT ? sm_arena_printf(j->a, "Cannot create %s", r->user) : NULL, NULL);
}
