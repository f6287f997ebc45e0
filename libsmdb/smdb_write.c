/*
 * smdb_write: building a new version of a map file.  See smdb.h.
 *
 * The new version is a GDBM file under a temporary name in the map's own
 * directory; smdb_commit() makes it durable and renames it over the map,
 * smdb_abort() removes it.  The live file is only ever opened read-only
 * (to copy it for SMDB_C_APPEND and to hold the writers' flock), so a
 * reader never sees a half-written map and never waits.  Never prints.
 */
#include "smdb.h"

#include <errno.h>
#include <fcntl.h>
#include <gdbm.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsm/sm_mem.h"

/* How often a writer retries when the map is replaced while it waits. */
#define LOCK_RETRIES 100

struct smdb_writer {
	GDBM_FILE dbf;
	struct sm_buf path; /* the map file being replaced */
	struct sm_buf tmp;  /* the new version */
	int lockfd;         /* flock on the live file, -1 if it did not exist */
	int have_old;       /* the live file existed: keep its mode/owner */
	struct stat old;
	uid_t uid;
	gid_t gid;
	int err; /* errno of the last system failure */
};

/* Safety checks of Sendmail's makemap: no symlinks, no hard links. */
static int check_target(struct smdb_writer *w, int flags)
{
	struct stat st;
	char *real;

	if (lstat(sm_buf_str(&w->path), &st) < 0)
		return errno == ENOENT ? 0 : errno;
	if (S_ISLNK(st.st_mode)) {
		if (!(flags & SMDB_C_NOSAFE))
			return SMDB_E_SYMLINK;
		/* -s: write the file the link points to, keep the link. */
		real = realpath(sm_buf_str(&w->path), NULL);
		if (real != NULL) {
			sm_buf_reset(&w->path);
			sm_buf_puts(&w->path, real);
			free(real);
		}
		return 0;
	}
	if (S_ISREG(st.st_mode) && st.st_nlink > 1 && !(flags & SMDB_C_NOSAFE))
		return SMDB_E_HARDLINK;
	return 0;
}

/* Take the writers' lock on the live file; 0, or an errno value. */
static int lock_live(struct smdb_writer *w)
{
	struct stat now;
	int i;

	for (i = 0; i < LOCK_RETRIES; i++) {
		int fd = open(sm_buf_str(&w->path), O_RDONLY | O_CLOEXEC | O_NOCTTY);

		if (fd < 0)
			return errno == ENOENT ? 0 : errno;
		if (flock(fd, LOCK_EX) < 0 || fstat(fd, &w->old) < 0) {
			int e = errno;

			close(fd);
			return e;
		}
		/* Replaced while we waited?  Then lock the new one. */
		if (stat(sm_buf_str(&w->path), &now) == 0 && now.st_ino == w->old.st_ino &&
		    now.st_dev == w->old.st_dev) {
			w->lockfd = fd;
			w->have_old = 1;
			return 0;
		}
		close(fd);
	}
	return EAGAIN;
}

/* Copy the live file's bytes to the temporary file. */
static int copy_old(struct smdb_writer *w, int tfd)
{
	char chunk[65536];
	off_t off = 0;

	for (;;) {
		ssize_t n = pread(w->lockfd, chunk, sizeof(chunk), off);
		ssize_t done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			return lseek(tfd, 0, SEEK_SET) < 0 ? errno : 0;
		while (done < n) {
			ssize_t m = write(tfd, chunk + done, (size_t)(n - done));

			if (m < 0 && errno == EINTR)
				continue;
			if (m < 0)
				return errno;
			done += m;
		}
		off += n;
	}
}

/* Make the temporary file; returns its descriptor or -1 (w->err set). */
static int make_temp(struct smdb_writer *w, mode_t mode)
{
	const char *p = sm_buf_str(&w->path);
	const char *slash = strrchr(p, '/');
	int fd;

	sm_buf_reset(&w->tmp);
	if (slash != NULL)
		sm_buf_append(&w->tmp, p, (size_t)(slash - p + 1));
	sm_buf_printf(&w->tmp, ".%s.XXXXXX", slash != NULL ? slash + 1 : p);
	fd = mkostemp(w->tmp.data, O_CLOEXEC);
	if (fd < 0) {
		w->err = errno;
		sm_buf_reset(&w->tmp);
		return -1;
	}
	if (w->have_old) {
		(void)fchmod(fd, w->old.st_mode & 07777);
		if (fchown(fd, w->old.st_uid, w->old.st_gid) < 0) {
			/* Not root: the new file is ours, as a new map would be. */
		}
	} else {
		(void)fchmod(fd, mode & 07777);
	}
	return fd;
}

/* Open the temporary file with GDBM (it takes the descriptor). */
static int open_temp(struct smdb_writer *w, int fd, int append, size_t cache_size)
{
	/*
	 * No mmap for writers: GDBM syncs its mapping each time the file
	 * grows, which made a 1,000,000-key build 4x slower.
	 */
	int flags = (append ? GDBM_WRITER : GDBM_NEWDB) | GDBM_NOLOCK | GDBM_NOMMAP | GDBM_CLOEXEC |
	            GDBM_CLOERROR;

	errno = 0;
	w->dbf = gdbm_fd_open(fd, sm_buf_str(&w->tmp), 0, flags, NULL);
	if (w->dbf == NULL) {
		if (gdbm_errno == GDBM_BAD_MAGIC_NUMBER || gdbm_errno == GDBM_EMPTY_DATABASE)
			return smdb_is_berkeley(sm_buf_str(&w->path), NULL) ? SMDB_E_BERKELEY
			                                                    : SMDB_E_NOTDB;
		return errno != 0 ? errno : SMDB_E_GDBM;
	}
	(void)cache_size; /* GDBM's adaptive cache beat every fixed size we tried */
	return 0;
}

/* Release everything a writer holds; remove the temporary file if asked. */
static void writer_free(struct smdb_writer *w, int unlink_tmp)
{
	if (w->dbf != NULL)
		(void)gdbm_close(w->dbf);
	if (unlink_tmp && w->tmp.len > 0)
		(void)unlink(sm_buf_str(&w->tmp));
	if (w->lockfd >= 0)
		close(w->lockfd);
	sm_buf_free(&w->path);
	sm_buf_free(&w->tmp);
	free(w);
}

/* The steps of smdb_create after the writer exists; 0 or an error code. */
static int create_steps(struct smdb_writer *w, int flags, mode_t mode, size_t cache_size)
{
	int e, fd;
	int append = (flags & SMDB_C_APPEND) != 0;

	if ((e = check_target(w, flags)) != 0 || (e = lock_live(w)) != 0)
		return e;
	if (append && w->have_old && smdb_is_berkeley(sm_buf_str(&w->path), NULL))
		return SMDB_E_BERKELEY;
	if (append && !w->have_old && !(flags & SMDB_C_CREATE))
		return ENOENT;
	if ((fd = make_temp(w, mode)) < 0)
		return w->err;
	if (append && w->have_old && (e = copy_old(w, fd)) != 0) {
		close(fd);
		return e;
	}
	return open_temp(w, fd, append && w->have_old, cache_size);
}

int smdb_create(struct smdb_writer **wp, const char *path, int flags, mode_t mode,
                size_t cache_size, int *err)
{
	struct smdb_writer *w = sm_calloc(1, sizeof(*w));
	int e;

	w->lockfd = -1;
	w->uid = (uid_t)-1;
	w->gid = (gid_t)-1;
	sm_buf_puts(&w->path, path);
	e = create_steps(w, flags, mode, cache_size);
	if (e != 0) {
		writer_free(w, 1);
		*err = e;
		return -1;
	}
	*wp = w;
	return 0;
}

/* Build a datum for a caller's bytes (GDBM rejects a NULL pointer). */
static datum wdatum(const void *p, size_t n)
{
	static char empty[1];
	datum d;

	d.dptr = p != NULL ? (char *)p : empty;
	d.dsize = (int)n;
	return d;
}

int smdb_put(struct smdb_writer *w, const void *key, size_t klen, const void *val, size_t vlen,
             int how)
{
	int r;

	if (klen > INT32_MAX || vlen > INT32_MAX) {
		w->err = EFBIG;
		return -1;
	}
	errno = 0;
	r = gdbm_store(w->dbf, wdatum(key, klen), wdatum(val, vlen),
	               how == SMDB_REPLACE ? GDBM_REPLACE : GDBM_INSERT);
	if (r < 0)
		w->err = errno;
	return r < 0 ? -1 : r;
}

int smdb_wget(struct smdb_writer *w, const void *key, size_t klen, struct sm_buf *val)
{
	datum d;

	if (klen > INT32_MAX)
		return 0;
	d = gdbm_fetch(w->dbf, wdatum(key, klen));
	if (d.dptr == NULL)
		return gdbm_errno == GDBM_ITEM_NOT_FOUND ? 0 : -1;
	sm_buf_reset(val);
	sm_buf_append(val, d.dptr, (size_t)d.dsize);
	free(d.dptr);
	return 1;
}

int smdb_delete(struct smdb_writer *w, const void *key, size_t klen)
{
	if (klen > INT32_MAX)
		return 1;
	if (gdbm_delete(w->dbf, wdatum(key, klen)) == 0)
		return 0;
	return gdbm_errno == GDBM_ITEM_NOT_FOUND ? 1 : -1;
}

void smdb_set_owner(struct smdb_writer *w, uid_t uid, gid_t gid)
{
	w->uid = uid;
	w->gid = gid;
}

const char *smdb_writer_error(struct smdb_writer *w)
{
	if (gdbm_last_errno(w->dbf) != GDBM_NO_ERROR)
		return gdbm_db_strerror(w->dbf);
	return strerror(w->err != 0 ? w->err : EIO);
}

/* fsync the directory holding path, so the rename is durable. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? sm_strdup(".")
	                          : sm_strndup(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Sync and close the GDBM handle; 0 or an errno value. */
static int finish_file(struct smdb_writer *w)
{
	int fd = gdbm_fdesc(w->dbf);
	int e = 0;

	errno = 0;
	if (gdbm_sync(w->dbf) != 0)
		e = errno != 0 ? errno : EIO;
	if (e == 0 && (w->uid != (uid_t)-1 || w->gid != (gid_t)-1) &&
	    fchown(fd, w->uid, w->gid) < 0)
		e = errno;
	if (e == 0 && fsync(fd) < 0)
		e = errno;
	errno = 0;
	if (gdbm_close(w->dbf) != 0 && e == 0)
		e = errno != 0 ? errno : EIO;
	w->dbf = NULL;
	return e;
}

int smdb_commit(struct smdb_writer *w, int *err)
{
	int e = finish_file(w);

	if (e == 0 && rename(sm_buf_str(&w->tmp), sm_buf_str(&w->path)) < 0)
		e = errno;
	if (e != 0) {
		writer_free(w, 1);
		*err = e;
		return -1;
	}
	sync_dir(sm_buf_str(&w->path));
	writer_free(w, 0);
	return 0;
}

void smdb_abort(struct smdb_writer *w)
{
	if (w != NULL)
		writer_free(w, 1);
}
