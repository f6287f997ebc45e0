/*
 * ml_mbox: appending one spooled message to one user's mailbox.
 *
 * The order of a delivery:
 *   1. dot-lock "<mailbox>.lock" (ml_lock.c);
 *   2. open the mailbox without following links: an existing one must be
 *      a regular file with one link, owned by the recipient, and still
 *      the same file after open; a missing one is created with O_EXCL,
 *      mode 0600, owned by the recipient and the mail group;
 *   3. fcntl-lock it, note its size, append the message, fsync;
 *   4. on any write error (quota, full disk, RLIMIT_FSIZE) cut the
 *      mailbox back to the noted size, so a failed delivery leaves no
 *      partial message: EDQUOT is a temporary failure (permanent with -b),
 *      everything else is temporary.
 *
 * As root, the mailbox is opened by root (the spool directory belongs to
 * root) and written with the recipient's effective ids and groups (never
 * with root's supplementary groups), so disk space
 * reserved for root is never used; -h mailboxes in home directories are
 * locked, opened and written entirely as the recipient.  Unprivileged
 * (tests, private instances), a mailbox owned by the invoking user is
 * accepted too, since that is the only kind such a process can create.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsm/sm_mem.h"
#include "mail.local/ml.h"

#define COPY_CHUNK (64 * 1024)

/* Effective ids during a delivery, and root's groups to go back to. */
struct ids {
	int switched;
	gid_t *groups;
	int ngroups;
};

/* As root: take on the recipient's user, group and supplementary groups. */
static void become_user(const struct ml_opts *o, const struct passwd *pw, struct ids *ids)
{
	int n;

	ids->switched = 0;
	ids->groups = NULL;
	ids->ngroups = 0;
	if (!o->privileged)
		return;
	n = getgroups(0, NULL);
	if (n > 0) {
		ids->groups = sm_reallocarray(NULL, (size_t)n, sizeof(gid_t));
		ids->ngroups = getgroups(n, ids->groups);
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 && setgroups(1, &pw->pw_gid) < 0)
		abort(); /* root can always set its groups */
	if (setegid(pw->pw_gid) < 0 || seteuid(pw->pw_uid) < 0)
		abort();
	ids->switched = 1;
}

static void become_root(struct ids *ids)
{
	if (!ids->switched)
		return;
	if (seteuid(0) < 0 || setegid(0) < 0 ||
	    setgroups(ids->ngroups > 0 ? (size_t)ids->ngroups : 0, ids->groups) < 0)
		abort(); /* cannot happen: we were root a moment ago */
	free(ids->groups);
	ids->groups = NULL;
	ids->switched = 0;
}

/* The owner an existing mailbox must have. */
static int owner_ok(const struct ml_opts *o, const struct passwd *pw, uid_t owner)
{
	return owner == pw->pw_uid || (!o->privileged && owner == geteuid());
}

/* Checks on an existing mailbox, from lstat; 0 or fills r. */
static int check_existing(const struct ml_opts *o, const struct passwd *pw, const char *path,
                          const struct stat *sb, struct ml_result *r)
{
	if (sb->st_nlink != 1) {
		ml_fail(r, "550 5.2.0", "%s: too many links", path);
		return -1;
	}
	if (!S_ISREG(sb->st_mode)) {
		ml_fail(r, "550 5.2.0", "%s: irregular file", path);
		return -1;
	}
	if (!owner_ok(o, pw, sb->st_uid)) {
		ml_fail(r, "550 5.2.0", "%s: wrong ownership (%d)", path, (int)sb->st_uid);
		return -1;
	}
	return 0;
}

/* Create a missing mailbox; the fd, -2 if it appeared meanwhile, or -1. */
static int create_mailbox(const struct ml_opts *o, const struct passwd *pw, const char *path,
                          struct ml_result *r)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	gid_t gid = o->mail_gid != (gid_t)-1 ? o->mail_gid : pw->pw_gid;

	if (fd < 0) {
		if (errno == EEXIST)
			return -2;
		ml_fail(r, "450 4.2.0", "Create %s: %s", path, strerror(errno));
		return -1;
	}
	if (o->privileged && fchown(fd, pw->pw_uid, gid) < 0) {
		ml_fail(r, "450 4.2.0", "chown %u.%u: %s", (unsigned)pw->pw_uid, (unsigned)gid,
		        strerror(errno));
		(void)unlink(path);
		(void)close(fd);
		return -1;
	}
	return fd;
}

/* Open an existing mailbox and make sure it is the file we checked. */
static int open_existing(const char *path, const struct stat *sb, struct ml_result *r)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat fsb;

	if (fd < 0) {
		if (errno == ENOENT)
			return -2;
		if (errno == ELOOP)
			ml_fail(r, "550 5.2.0", "%s: irregular file", path);
		else
			ml_fail(r, "450 4.2.0", "Append %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &fsb) < 0 || fsb.st_dev != sb->st_dev || fsb.st_ino != sb->st_ino ||
	    fsb.st_nlink != 1 || !S_ISREG(fsb.st_mode)) {
		ml_fail(r, "450 4.2.0", "%s: fstat: file changed after open", path);
		(void)close(fd);
		return -1;
	}
	(void)fcntl(fd, F_SETFL, O_APPEND);
	return fd;
}

/* Open or create the mailbox at path; the fd or -1 with r filled. */
static int open_mailbox(const struct ml_opts *o, const struct passwd *pw, const char *path,
                        struct ml_result *r)
{
	/* A racing creator or remover makes us look again, a few times. */
	for (int tries = 0; tries < 3; tries++) {
		struct stat sb;
		int fd;

		if (lstat(path, &sb) < 0) {
			if (errno != ENOENT) {
				ml_fail(r, "450 4.2.0", "%s: lstat: %s", path, strerror(errno));
				return -1;
			}
			fd = create_mailbox(o, pw, path, r);
		} else {
			if (check_existing(o, pw, path, &sb, r) < 0)
				return -1;
			fd = open_existing(path, &sb, r);
		}
		if (fd != -2)
			return fd;
	}
	ml_fail(r, "450 4.2.0", "%s: lstat: file changed after open", path);
	return -1;
}

/* Copy the spool file to the end of fd; 0 or -1 with errno. */
static int append_spool(int fd, const struct ml_spool *s)
{
	char *buf = sm_malloc(COPY_CHUNK);
	off_t off = 0;
	int rc = 0;

	while (off < s->len && rc == 0) {
		size_t want =
		    (size_t)(s->len - off) < COPY_CHUNK ? (size_t)(s->len - off) : COPY_CHUNK;
		ssize_t n = pread(s->fd, buf, want, off);

		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			rc = n < 0 && errno == EINTR ? 0 : -1;
			continue;
		}
		for (ssize_t done = 0; done < n && rc == 0;) {
			ssize_t w = write(fd, buf + done, (size_t)(n - done));

			if (w < 0 && errno != EINTR)
				rc = -1;
			else if (w > 0)
				done += w;
		}
		off += n;
	}
	free(buf);
	return rc;
}

/* Write the message into the locked mailbox fd; undo on failure. */
static void write_locked(const struct ml_opts *o, const struct passwd *pw, int fd, const char *path,
                         const struct ml_spool *s, struct ml_result *r)
{
	struct stat sb;
	struct ids ids = {0, NULL, 0};
	int e;

	if (fstat(fd, &sb) < 0) {
		ml_fail(r, "450 4.2.0", "%s: fstat: %s", path, strerror(errno));
		return;
	}
	/* With -h we already are the recipient (see ml_deliver). */
	if (o->homefile == NULL)
		become_user(o, pw, &ids);
	if (append_spool(fd, s) == 0 && fsync(fd) == 0) {
		become_root(&ids);
		return;
	}
	e = errno;
	if (ftruncate(fd, sb.st_size) < 0) {
		/* Nothing more we can do; the error below is what matters. */
	}
	become_root(&ids);
	if (e == EDQUOT && o->bounce_quota)
		ml_fail(r, "552 5.2.2", "Write %s: %s", path, strerror(e));
	else
		ml_fail(r, "450 4.2.0", "Write %s: %s", path, strerror(e));
}

/* Lock, open, write and unlock; the caller has set the effective ids. */
static void deliver_path(const struct ml_opts *o, const struct passwd *pw, const char *path,
                         const struct ml_spool *s, struct ml_result *r)
{
	struct ml_dotlock dl = {SM_BUF_INIT};
	int fd;

	if (ml_dotlock_take(&dl, path) < 0) {
		ml_fail(r, "451 4.3.0", "lockmailbox %s failed: %s", pw->pw_name, strerror(errno));
		ml_dotlock_drop(&dl);
		return;
	}
	fd = open_mailbox(o, pw, path, r);
	if (fd >= 0) {
		if (ml_fcntl_lock(fd) < 0)
			ml_fail(r, "450 4.2.0", "Lock %s: %s", path, strerror(errno));
		else
			write_locked(o, pw, fd, path, s, r);
		if (close(fd) < 0 && r->code == 0)
			ml_fail(r, "450 4.2.0", "Close %s: %s", path, strerror(errno));
	}
	ml_dotlock_drop(&dl);
}

void ml_deliver(const struct ml_opts *o, const struct passwd *pw, const struct ml_spool *s,
                struct ml_result *r)
{
	struct sm_buf path = SM_BUF_INIT;
	struct ids ids = {0, NULL, 0};

	r->code = 0;
	r->reply = "250 2.1.5";
	sm_buf_reset(&r->text);
	if (o->homefile != NULL) {
		if (pw->pw_dir == NULL || *pw->pw_dir == '\0') {
			ml_fail(r, "450 4.2.0", "%s: User missing home directory", pw->pw_name);
			return;
		}
		sm_buf_printf(&path, "%s/%s", pw->pw_dir, o->homefile);
		become_user(o, pw, &ids);
	} else {
		sm_buf_printf(&path, "%s/%s", o->spool, pw->pw_name);
	}
	deliver_path(o, pw, sm_buf_str(&path), s, r);
	become_root(&ids);
	sm_buf_free(&path);
}
