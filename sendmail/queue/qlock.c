/*
 * qlock: queue file locks compatible with Sendmail 8.17 on Linux.
 *
 * The reference (Debian's 8.17.1.9, observed with strace) locks queue
 * files with flock(2), never fcntl(2): LOCK_EX on a new df, LOCK_EX|LOCK_NB
 * on a new qf and on the tf that replaces it, LOCK_EX|LOCK_NB when a queue
 * runner takes an entry, LOCK_SH|LOCK_NB when mailq probes an entry.
 * flock locks belong to the open file description and follow the inode
 * through rename(2), which is why the lock taken on a tf still protects
 * the qf it becomes.
 *
 * Public: qlock, qlock_held, qlock_open_qf.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sendmail/queue/queue.h"

int qlock(int fd, int how)
{
	int op;

	if (how & QLOCK_UN)
		op = LOCK_UN;
	else
		op = (how & QLOCK_EX) ? LOCK_EX : LOCK_SH;
	if (how & QLOCK_NB)
		op |= LOCK_NB;
	for (int tries = 0; tries < 100; tries++) {
		if (flock(fd, op) == 0)
			return 0;
		if (errno != EINTR)
			return -1;
	}
	return -1;
}

bool qlock_held(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool held;

	if (fd < 0)
		return false;
	held = qlock(fd, QLOCK_SH | QLOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

int qlock_open_qf(const char *path)
{
	struct stat fst, pst;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (qlock(fd, QLOCK_EX | QLOCK_NB) < 0)
		goto fail;
	/* The owner may have renamed or removed it before letting go. */
	if (fstat(fd, &fst) < 0 || stat(path, &pst) < 0)
		goto fail;
	if (fst.st_nlink == 0 || fst.st_ino != pst.st_ino || fst.st_dev != pst.st_dev) {
		errno = ENOENT;
		goto fail;
	}
	return fd;
fail: {
	int e = errno;

	close(fd);
	errno = e;
	return -1;
}
}
