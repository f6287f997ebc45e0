/*
 * qdir: queue directories and the names of the files in them.
 *
 * A queue directory may hold qf/, df/ and xf/ subdirectories; when one
 * exists, files of its kinds live there (qf/ also takes tf, hf and Qf, so
 * that the tf -> qf rename stays inside one directory).  A QueueDirectory
 * value "dir/pfx*" names a queue group set: every subdirectory of dir
 * whose name starts with pfx, in the order readdir() returns them, as
 * 8.17 lists them.  8.17's mailq shows a directory with a df/
 * subdirectory as "path/df"; qdir_display() reproduces that.
 *
 * Public: qdir_init, qdir_expand, qdir_subdir, qdir_file, qdir_display.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_mem.h"
#include "sendmail/queue/queue.h"

#define QDIR_MAX_GROUPS 10000 /* bound on a "dir/q*" expansion */

/* Whether path/sub is a directory (lstat: a symlink does not count). */
static bool qdir_has(const char *path, const char *sub)
{
	struct sm_buf b = SM_BUF_INIT;
	struct stat st;
	bool ok;

	sm_buf_printf(&b, "%s/%s", path, sub);
	ok = lstat(sm_buf_str(&b), &st) == 0 && S_ISDIR(st.st_mode);
	sm_buf_free(&b);
	return ok;
}

void qdir_init(struct qdir *d, const char *path, struct sm_arena *a)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	d->path = sm_arena_memdup(a, path, n);
	d->has_qf = qdir_has(d->path, "qf");
	d->has_df = qdir_has(d->path, "df");
	d->has_xf = qdir_has(d->path, "xf");
}

/* Whether dir/name is a directory. */
static bool qdir_is_dir(const char *dir, const char *name)
{
	struct sm_buf b = SM_BUF_INIT;
	struct stat st;
	bool ok;

	sm_buf_printf(&b, "%s/%s", dir, name);
	ok = stat(sm_buf_str(&b), &st) == 0 && S_ISDIR(st.st_mode);
	sm_buf_free(&b);
	return ok;
}

/* Expand "dir/pfx*" into the matching subdirectories. */
static size_t qdir_expand_group(const char *spec, const char *slash, struct sm_arena *a,
				struct qdir **out)
{
	char *dir = sm_arena_memdup(a, spec, slash > spec ? (size_t)(slash - spec) : 1);
	const char *pfx = slash + 1;
	size_t pfxlen = strlen(pfx) - 1; /* without the '*' */
	struct qdir *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return 0;
	while ((de = readdir(dp)) != NULL && n < QDIR_MAX_GROUPS) {
		if (strncmp(de->d_name, pfx, pfxlen) != 0 || de->d_name[0] == '.' ||
		    !qdir_is_dir(dir, de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = sm_reallocarray(v, cap, sizeof(*v));
		}
		qdir_init(&v[n++], sm_arena_printf(a, "%s/%s", strcmp(dir, "/") ? dir : "",
						   de->d_name), a);
	}
	closedir(dp);
	*out = sm_arena_array(a, n ? n : 1, sizeof(**out));
	if (n > 0)
		memcpy(*out, v, n * sizeof(*v));
	free(v);
	return n;
}

size_t qdir_expand(const char *spec, struct sm_arena *a, struct qdir **out)
{
	size_t len = strlen(spec);
	const char *slash = strrchr(spec, '/');

	if (len > 0 && spec[len - 1] == '*' && slash != NULL)
		return qdir_expand_group(spec, slash, a, out);
	*out = sm_arena_zalloc(a, sizeof(**out));
	qdir_init(*out, spec, a);
	return 1;
}

void qdir_subdir(const struct qdir *d, int t, struct sm_buf *out)
{
	const char *sub = NULL;

	switch (t) {
	case QT_DATA:
		sub = d->has_df ? "df" : NULL;
		break;
	case QT_XSCRIPT:
		sub = d->has_xf ? "xf" : NULL;
		break;
	default: /* qf tf hf Qf */
		sub = d->has_qf ? "qf" : NULL;
		break;
	}
	sm_buf_reset(out);
	sm_buf_puts(out, d->path);
	if (sub != NULL)
		sm_buf_printf(out, "/%s", sub);
}

void qdir_file(const struct qdir *d, int t, const char *id, struct sm_buf *out)
{
	qdir_subdir(d, t, out);
	sm_buf_printf(out, "/%cf%s", t, id);
}

void qdir_display(const struct qdir *d, struct sm_buf *out)
{
	sm_buf_reset(out);
	sm_buf_puts(out, d->path);
	if (d->has_df)
		sm_buf_puts(out, "/df");
}
