/*
 * sm_file: growable line input and atomic file replacement.  See sm_file.h.
 */
#include "sm_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sm_mem.h"

int sm_getline(FILE *fp, struct sm_buf *b, size_t max, int *truncated)
{
	int c;
	int any = 0;

	sm_buf_reset(b);
	if (truncated != NULL)
		*truncated = 0;
	while ((c = getc(fp)) != EOF) {
		any = 1;
		if (c == '\n')
			return 1;
		if (max != 0 && b->len >= max) {
			if (truncated != NULL)
				*truncated = 1;
			continue;
		}
		sm_buf_putc(b, c);
	}
	if (ferror(fp))
		return -1;
	return any ? 1 : 0;
}

int sm_read_file(const char *path, struct sm_buf *b)
{
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	sm_buf_reset(b);
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sm_buf_append(b, chunk, (size_t)n);
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void fsync_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? sm_strndup(path, (size_t)(slash - path) + (slash == path)) : sm_strdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int sm_write_atomic(const char *path, const void *data, size_t len, mode_t mode)
{
	size_t plen = strlen(path);
	char *tmp = sm_malloc(plen + 16);
	int fd, e;

	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".tmpXXXXXX", 11);
	fd = mkstemp(tmp);
	if (fd < 0)
		goto fail;
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		goto fail;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		goto fail;
	}
	free(tmp);
	fsync_parent(path);
	return 0;
fail:
	e = errno;
	free(tmp);
	errno = e;
	return -1;
}
