/*
 * map/map_db: the database file classes (through libsmdb) and the stab
 * class.
 *
 *   hash, btree, dbm  one GDBM file each, "FILE.db" (FILE as is when it
 *                ends in ".db"): see libsmdb/smdb.h.  The Debian build of
 *                the reference has no dbm class; ours reads FILE.db, as
 *                our makemap writes it.
 *   implicit     tries FILE.db; fails silently, as the reference does when
 *                no database exists, except for alias maps (AliasFile),
 *                which warn and read the text file instead.
 *   stab         the internal symbol table: opening reads "name: value"
 *                lines (continuations start with a blank) of the file.
 *
 * Opening (db_open_file, the one place libsmdb plugs in) checks the file
 * as Sendmail's safefile() does for the user we run as: it must be a
 * regular file readable through the permission bits that apply (owner,
 * group or other, even for root).  Messages, printed once when the map
 * is first opened and only for non-optional maps, each raising the exit
 * status to EX_OSERR like the reference's syserr():
 *   hash map "NAME": missing map file PATH: No such file or directory
 *   hash map "NAME": unsafe map file PATH: Permission denied
 *   hash map "NAME": unsafe map file PATH: Regular files only
 *   hash map "NAME": PATH is a Berkeley DB hash file ...; rebuild it with: makemap ...
 *   Cannot open hash database PATH: Invalid argument      (not a map file)
 *
 * Lookup, as Sendmail's db_map_lookup: the key is cut to 256 bytes
 * (MAXNAME) and folded to lower case unless -f; without -N/-O it is tried
 * without, then with a trailing NUL, and the first form that finds a key
 * is the only one tried from then on; -m returns the key as given.
 * Before each lookup the path is stat()ed: when makemap has renamed a new
 * file over it (another inode, mtime or size) the new file is opened and
 * the old handle closed; if that fails the old handle stays in use, so a
 * reader never fails or sees a torn map while a rebuild runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "libsmdb/smdb.h"
#include "sendmail/map/map_int.h"

#define STAB_MAX_LINES 1000000
#define DB_MAX_KEY     256 /* Sendmail's MAXNAME: longer keys are cut */
#define DB_MAX_GROUPS  256

/* Error codes of db_open_file beyond errno values and SMDB_E_*. */
enum { DB_E_REGONLY = -2000 };

/* An open database file and the identity of the file it came from. */
struct db_priv {
	struct smdb *db;
	const char *path;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	off_t size;
};

/* The database path: the file name with ".db" unless it has it already. */
static const char *db_path(const struct map *m)
{
	size_t n = strlen(m->file);

	if (n > 3 && strcmp(m->file + n - 3, ".db") == 0)
		return m->file;
	return sm_arena_printf(map_arena(m), "%s.db", m->file);
}

/* Is gid one of ours (effective or supplementary)? */
static bool in_our_groups(gid_t gid)
{
	gid_t groups[DB_MAX_GROUPS];
	int n;

	if (gid == getegid())
		return true;
	n = getgroups(DB_MAX_GROUPS, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* Sendmail's safefile() read check: the permission bits that apply, even for root. */
static int db_check_file(const struct stat *st)
{
	mode_t want = S_IROTH;

	if (!S_ISREG(st->st_mode))
		return DB_E_REGONLY;
	if (st->st_uid == geteuid())
		want = S_IRUSR;
	else if (in_our_groups(st->st_gid))
		want = S_IRGRP;
	return (st->st_mode & want) ? 0 : EACCES;
}

static void db_close_priv(void *arg)
{
	struct db_priv *p = arg;

	smdb_close(p->db);
	p->db = NULL;
}

static bool same_file(const struct db_priv *p, const struct stat *st)
{
	return p->dev == st->st_dev && p->ino == st->st_ino && p->size == st->st_size &&
	       p->mtime.tv_sec == st->st_mtim.tv_sec && p->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Open the file and remember which file it was; 0 or an error code. */
static int db_attach(struct db_priv *p)
{
	struct stat st;
	struct smdb *db;
	int err = 0;

	if (stat(p->path, &st) != 0)
		return errno;
	if ((err = db_check_file(&st)) != 0)
		return err;
	if (smdb_open(&db, p->path, &err) != 0)
		return err;
	p->db = db;
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->size = st.st_size;
	p->mtime = st.st_mtim;
	return 0;
}

/*
 * Open the database at path for reading: the class data, or NULL with
 * *err set (an errno value, SMDB_E_* or DB_E_REGONLY).  The single place
 * the database layer (libsmdb) plugs in.
 */
static struct db_priv *db_open_file(const struct map *m, const char *path, int *err)
{
	struct db_priv *p = sm_arena_zalloc(map_arena(m), sizeof(*p));

	p->path = path;
	*err = db_attach(p);
	if (*err != 0)
		return NULL;
	map_on_free(m->reg, db_close_priv, p);
	return p;
}

/* makemap rebuilt the file (renamed a new one over it): use the new one. */
static void db_refresh(struct db_priv *p)
{
	struct stat st;
	struct db_priv fresh = *p;

	if (stat(p->path, &st) != 0 || same_file(p, &st))
		return;
	fresh.db = NULL;
	if (db_attach(&fresh) != 0)
		return; /* keep reading the old file */
	smdb_close(p->db);
	*p = fresh;
}

/* Print the reference's message for a failed open; raises the exit status. */
static void db_open_error(const struct map *m, const char *path, int err)
{
	struct sm_buf msg = SM_BUF_INIT;

	if (err == ENOENT)
		map_msg(m->reg, "%s map \"%s\": missing map file %s: %s", m->cls->name, m->name,
		        path, strerror(err));
	else if (err == DB_E_REGONLY || err == EACCES)
		map_msg(m->reg, "%s map \"%s\": unsafe map file %s: %s", m->cls->name, m->name,
		        path, err == EACCES ? strerror(err) : "Regular files only");
	else if (err == SMDB_E_BERKELEY) {
		smdb_error_text(err, path, &msg);
		map_msg(m->reg, "%s map \"%s\": %s", m->cls->name, m->name, sm_buf_str(&msg));
	} else
		map_msg(m->reg, "Cannot open %s database %s: %s", m->cls->name, path,
		        err > 0 ? strerror(err) : strerror(EINVAL));
	sm_buf_free(&msg);
	map_note_exit(m->reg, EX_OSERR);
}

static bool db_open(struct map *m, const struct map_ctx *ctx)
{
	const char *path = db_path(m);
	int err;

	m->priv = db_open_file(m, path, &err);
	if (m->priv != NULL)
		return true;
	if (!(m->flags & MF_OPTIONAL))
		db_open_error(m, path, err);
	return false;
}

/* Look k[0..len) up, with the NUL rules; 1 found, 0 not, -1 error. */
static int db_get_nul(struct map *m, struct smdb *db, const char *k, size_t len, struct sm_buf *val)
{
	int st = 0;

	if (m->flags & MF_TRY0NULL) {
		st = smdb_get(db, k, len, val);
		if (st == 1)
			m->flags &= ~MF_TRY1NULL;
	}
	if (st == 0 && (m->flags & MF_TRY1NULL)) {
		st = smdb_get(db, k, len + 1, val);
		if (st == 1)
			m->flags &= ~MF_TRY0NULL;
	}
	return st;
}

static char *db_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                       const char *const *args, int nargs, int *stat)
{
	struct db_priv *p = m->priv;
	struct sm_buf val = SM_BUF_INIT;
	size_t len = strnlen(key, DB_MAX_KEY);
	char *k = sm_arena_memdup(ctx->arena, key, len), *r = NULL;

	*stat = EX_OK;
	if (!(m->flags & MF_NOFOLDCASE))
		k = map_fold_key(m, ctx->arena, k);
	db_refresh(p);
	int st = db_get_nul(m, p->db, k, len, &val);
	if (st < 0) {
		map_msg(m->reg, "db_map_lookup: get (%s): %s", map_shorten(ctx->arena, key, 203),
		        smdb_strerror(SMDB_E_GDBM));
		*stat = EX_TEMPFAIL;
	} else if (st == 1 && (m->flags & MF_MATCHONLY))
		r = map_rewrite(m, ctx, key, strlen(key), NULL, NULL, 0);
	else if (st == 1)
		r = map_rewrite(m, ctx, sm_buf_str(&val), val.len, key, args, nargs);
	sm_buf_free(&val);
	return r;
}

const struct map_class map_class_hash = {"hash", map_parse_common, db_open, db_lookup, true};
const struct map_class map_class_btree = {"btree", map_parse_common, db_open, db_lookup, true};
const struct map_class map_class_dbm = {"dbm", map_parse_common, db_open, db_lookup, true};

static bool stab_open(struct map *m, const struct map_ctx *ctx);

/* An alias map whose database cannot be opened falls back to its text. */
static bool implicit_open(struct map *m, const struct map_ctx *ctx)
{
	int err;

	m->priv = db_open_file(m, db_path(m), &err);
	if (m->priv != NULL)
		return true;
	if (!(m->flags & MF_ALIAS))
		return false;
	map_msg(m->reg, "WARNING: cannot open alias database %s; reading text version", m->file);
	m->textmode = true;
	return stab_open(m, ctx);
}

static char *stab_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                         const char *const *args, int nargs, int *stat);

static char *implicit_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                             const char *const *args, int nargs, int *stat)
{
	if (m->textmode)
		return stab_lookup(m, ctx, key, args, nargs, stat);
	return db_lookup(m, ctx, key, args, nargs, stat);
}

const struct map_class map_class_implicit = {"implicit", map_parse_common, implicit_open,
                                             implicit_lookup, true};

/* ---- stab ---- */

struct stab_entry {
	const char *key;
	struct sm_buf val; /* while reading */
	const char *text;  /* then: the value, in the registry's arena */
	size_t len;
	struct stab_entry *next;
};

/* The line newaliases prints: "FILE: N aliases, longest L bytes, T bytes total". */
static void stab_summary(const struct map *m, const struct stab_entry *e)
{
	size_t n = 0, longest = 0, total = 0;

	for (; e != NULL; e = e->next, n++) {
		if (e->len > longest)
			longest = e->len;
		total += strlen(e->key) + e->len;
	}
	map_msg(m->reg, "%s: %zu aliases, longest %zu bytes, %zu bytes total", m->file, n, longest,
	        total);
}

/* Read one "name: value" file into a list. */
static bool stab_open(struct map *m, const struct map_ctx *ctx)
{
	struct sm_arena *a = map_arena(m);
	struct sm_buf line = SM_BUF_INIT;
	struct stab_entry *head = NULL, *cur = NULL;
	int trunc;
	FILE *fp = fopen(m->file, "r");

	if (fp == NULL)
		return false;
	for (long n = 0; n < STAB_MAX_LINES && sm_getline(fp, &line, 0, &trunc) == 1; n++) {
		const char *s = sm_buf_str(&line);
		if (*s == '#' || *s == '\0')
			continue;
		if ((*s == ' ' || *s == '\t') && cur != NULL) {
			sm_buf_puts(&cur->val, s);
			continue;
		}
		const char *colon = strchr(s, ':');
		if (colon == NULL) {
			cur = NULL;
			continue;
		}
		cur = sm_arena_zalloc(a, sizeof(*cur));
		char *k = sm_arena_memdup(a, s, (size_t)(colon - s));
		cur->key = map_fold_key(m, a, k);
		sm_buf_puts(&cur->val, map_skip_blanks(colon + 1));
		cur->next = head;
		head = cur;
	}
	fclose(fp);
	sm_buf_free(&line);
	for (cur = head; cur != NULL; cur = cur->next) {
		cur->len = cur->val.len;
		cur->text = sm_arena_memdup(a, sm_buf_str(&cur->val), cur->len);
		sm_buf_free(&cur->val);
	}
	m->priv = head;
	if (m->flags & MF_ALIAS)
		stab_summary(m, head);
	return true;
}

static char *stab_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
                         const char *const *args, int nargs, int *stat)
{
	*stat = EX_OK;
	for (struct stab_entry *e = m->priv; e != NULL; e = e->next)
		if (strcasecmp(e->key, key) == 0)
			return map_rewrite(m, ctx, e->text, e->len, key, args, nargs);
	return NULL;
}

const struct map_class map_class_stab = {"stab", map_parse_common, stab_open, stab_lookup, true};
