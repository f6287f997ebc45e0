/*
 * envelope/include: :include: lists and .forward files.
 *
 *   env_include  read a list file and send to every address in it (one
 *                address list per line; '#' lines and empty lines
 *                skipped).  The controlling user of what the file names
 *                (programs, files) becomes the file's owner, as Sendmail
 *                does, unless the file is root's.
 *   env_forward  try each ForwardPath entry ($z the home, $u the user,
 *                $h the host) until one exists and is safe, then include
 *                it with forwarding rules.
 *
 * Safety (Sendmail's safefile() for these files): a regular file only;
 * a .forward must belong to its user or root, must not be group or world
 * writable, and no directory on its path may be group or world writable
 * (unless DontBlameSendmail says so); an unsafe .forward is ignored, as
 * Sendmail ignores it (logged).  A group or world writable :include:
 * marks the programs and files it names unsafe.
 * Bounds: MAXLINE-sized lines are not assumed (sm_getline), lines per file
 * are counted against MAX_INCLUDE_LINES.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_file.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/envelope/env_int.h"

#define MAX_INCLUDE_LINES 100000

/* DontBlameSendmail has this word (case-insensitive). */
static bool dbs(const struct envelope *e, const char *word)
{
	const char *v = opt_raw(e->cf->opt, OPT_DONT_BLAME_SENDMAIL);

	return v != NULL && strcasestr(v, word) != NULL;
}

/* No directory above path is group/world writable (sticky dirs allowed with TrustStickyBit). */
static int safe_dirs(const struct envelope *e, const char *path)
{
	char *dir = strdup(path);
	int rc = 0;

	if (dir == NULL)
		return ENOMEM;
	for (char *slash = strrchr(dir, '/'); slash != NULL && rc == 0; slash = strrchr(dir, '/')) {
		struct stat st;

		*slash = '\0';
		if (stat(*dir == '\0' ? "/" : dir, &st) != 0)
			rc = errno;
		else if ((st.st_mode & (S_IWGRP | S_IWOTH)) &&
		         !((st.st_mode & S_ISVTX) && dbs(e, "TrustStickyBit")) &&
		         !dbs(e, "ForwardFileInUnsafeDirPath"))
			rc = EPERM;
		if (*dir == '\0')
			break;
	}
	free(dir);
	return rc;
}

/* Open a .forward or :include: with its checks; fd or -1 with *err. */
static int open_list(struct envelope *e, const char *fname, bool forwarding,
                     const struct env_rcpt *ctl, struct stat *st, int *err)
{
	int fd = open(fname, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (forwarding ? O_NOFOLLOW : 0));

	if (fd < 0) {
		*err = errno == ELOOP ? EPERM : errno;
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		*err = fstat(fd, st) != 0 ? errno : EPERM;
		close(fd);
		return -1;
	}
	if (forwarding) {
		bool owner_ok =
		    st->st_uid == 0 || (ctl->flags & ER_GOODUID && st->st_uid == ctl->uid);

		if (!owner_ok || ((st->st_mode & S_IWGRP) && !dbs(e, "GroupWritableForwardFile")) ||
		    ((st->st_mode & S_IWOTH) && !dbs(e, "WorldWritableForwardFile")) ||
		    safe_dirs(e, fname) != 0) {
			close(fd);
			*err = EPERM;
			return -1;
		}
	}
	return fd;
}

/* The controlling user of what a :include: names: the file's owner. */
static void include_owner(struct envelope *e, struct env_rcpt *ctl, const struct stat *st,
                          bool forwarding)
{
	struct passwd *pw;

	if (forwarding || st->st_uid == 0 || (ctl->flags & ER_GOODUID && ctl->uid != 1))
		return;
	ctl->uid = st->st_uid;
	ctl->gid = st->st_gid;
	ctl->flags |= ER_GOODUID;
	pw = getpwuid(st->st_uid);
	if (pw != NULL) {
		ctl->ruser = sm_arena_strdup(e->arena, pw->pw_name);
		ctl->home = sm_arena_strdup(e->arena, pw->pw_dir);
	}
}

int env_include(struct envelope *e, const char *fname, bool forwarding, struct env_rcpt *ctl,
                int aliaslevel)
{
	struct stat st;
	struct sm_buf line = SM_BUF_INIT;
	const char *old_file = env_cur_file;
	int old_line = env_cur_line, err = 0, fd, nadded = 0;
	FILE *fp;

	fd = open_list(e, fname, forwarding, ctl, &st, &err);
	if (fd < 0)
		return err;
	fp = fdopen(fd, "r");
	if (fp == NULL) {
		close(fd);
		return errno;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !forwarding)
		ctl->flags |= ER_UNSAFE;
	include_owner(e, ctl, &st, forwarding);
	env_cur_file = fname;
	env_cur_line = 0;
	for (int n = 0; n < MAX_INCLUDE_LINES; n++) {
		int trunc = 0, rc = sm_getline(fp, &line, 0, &trunc);
		const char *p;

		if (rc <= 0)
			break;
		env_cur_line++;
		p = sm_buf_str(&line);
		if (line.len > 0 && line.data[line.len - 1] == '\r')
			sm_buf_truncate(&line, line.len - 1);
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '#' || *p == '\0')
			continue;
		nadded += env_sendtolist(e, p, ctl, aliaslevel + 1, 0);
	}
	env_cur_file = old_file;
	env_cur_line = old_line;
	fclose(fp);
	sm_buf_free(&line);
	if (forwarding && nadded > 0 && !(ctl->flags & ER_SELFREF) && ctl->state == RS_OK)
		ctl->state = RS_EXPANDED;
	return 0;
}

void env_forward(struct envelope *e, struct env_rcpt *user, int aliaslevel)
{
	const char *fp = opt_raw(e->cf->opt, OPT_FORWARD_PATH);
	struct macros *m;
	char *path;

	if (user->home == NULL || fp == NULL || e->no_alias)
		return;
	m = macros_new(e->macros);
	macro_set(m, macro_id("z"), user->home);
	macro_set(m, macro_id("u"), user->user);
	macro_set(m, macro_id("h"), user->host);
	path = macro_expand(m, fp, e->arena);
	macros_free(m);
	for (char *p = path, *next; p != NULL && *p != '\0'; p = next) {
		int err;

		next = strchr(p, ':');
		if (next != NULL)
			*next++ = '\0';
		err = env_include(e, p, true, user, aliaslevel);
		if (err == 0)
			return;
		if (err == EPERM && opt_num(e->cf->opt, OPT_LOG_LEVEL) > 12)
			mlog(LOG_INFO, e->id, "forward: %s: cannot use: unsafe", p);
		if (err == EAGAIN || err == EIO) {
			user->state = RS_QUEUEUP;
			user->message = "Deferred: forward file unavailable";
			return;
		}
	}
}
