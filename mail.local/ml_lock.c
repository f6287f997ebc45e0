/*
 * ml_lock: the two locks every mbox tool on Linux agrees on.
 *
 *   dot-lock   "<mailbox>.lock" (for the spool: /var/mail/user.lock),
 *              created with O_EXCL and holding our pid; a lock file older
 *              than ML_LOCK_STALE seconds is taken to be left over by a
 *              crashed process and removed (procmail, liblockfile and
 *              mutt use the same kind of rule).
 *   fcntl      an exclusive POSIX record lock on the whole mailbox, the
 *              kernel lock mutt, procmail and Dovecot take on Linux.
 *
 * Both are taken by polling with a growing delay (10 ms to 0.5 s), never
 * by blocking in the kernel, and give up after ML_LOCK_WAIT seconds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mail.local/ml.h"

/* Sleep for *delay_ms, then double it up to half a second. */
static void backoff(long *delay_ms)
{
	struct timespec ts = {*delay_ms / 1000, (*delay_ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	*delay_ms = *delay_ms * 2 > 500 ? 500 : *delay_ms * 2;
}

/* Create the lock file; 0 done, 1 exists, -1 error. */
static int create_lock(const char *lock)
{
	int fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	char pid[32];
	int n;

	if (fd < 0)
		return errno == EEXIST ? 1 : -1;
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (n > 0 && write(fd, pid, (size_t)n) < 0) {
		/* The lock works without its content. */
	}
	(void)close(fd);
	return 0;
}

/* Remove the lock file if it is older than the stale limit. */
static void remove_if_stale(const char *lock)
{
	struct stat st;

	if (lstat(lock, &st) == 0 && st.st_mtime + ML_LOCK_STALE < time(NULL))
		(void)unlink(lock);
}

int ml_dotlock_take(struct ml_dotlock *l, const char *path)
{
	time_t deadline = time(NULL) + ML_LOCK_WAIT;
	long delay = 10;

	sm_buf_reset(&l->path);
	sm_buf_printf(&l->path, "%s.lock", path);
	for (;;) {
		int r = create_lock(sm_buf_str(&l->path));

		if (r == 0)
			return 0;
		if (r < 0) {
			int e = errno;

			sm_buf_reset(&l->path);
			errno = e;
			return (e == EACCES || e == EPERM || e == EROFS) ? 1 : -1;
		}
		remove_if_stale(sm_buf_str(&l->path));
		if (time(NULL) > deadline)
			break;
		backoff(&delay);
	}
	sm_buf_reset(&l->path);
	errno = ETIMEDOUT;
	return -1;
}

void ml_dotlock_drop(struct ml_dotlock *l)
{
	if (l->path.len > 0)
		(void)unlink(sm_buf_str(&l->path));
	sm_buf_free(&l->path);
}

int ml_fcntl_lock(int fd)
{
	time_t deadline = time(NULL) + ML_LOCK_WAIT;
	long delay = 10;
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	for (;;) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN && errno != EINTR)
			return -1;
		if (time(NULL) > deadline)
			break;
		backoff(&delay);
	}
	errno = ETIMEDOUT;
	return -1;
}
