/*
 * map/map_db: the database file classes and the stab class.
 *
 *   hash, btree  Berkeley DB files in the reference ("file.db"); here the
 *                file is opened by db_open_file(), the one place the
 *                libsmdb (GDBM) layer will plug into.  Until then an
 *                existing file cannot be read and is reported as the
 *                reference reports an unreadable one.
 *   implicit     tries file.db (hash); fails silently, as the reference
 *                does when no database exists, except for alias maps
 *                (AliasFile), which warn and read the text file instead.
 *   stab         the internal symbol table: opening reads "name: value"
 *                lines (continuations start with a blank) of the file.
 *
 * Messages, printed once when the map is first opened (and only for
 * non-optional maps):
 *   hash map "NAME": missing map file PATH.db: No such file or directory
 *   Cannot open hash database PATH.db: Invalid argument
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "sendmail/map/map_int.h"

#define STAB_MAX_LINES 1000000

/* The database path: the file name with ".db" unless it has it already. */
static const char *db_path(const struct map *m)
{
	size_t n = strlen(m->file);

	if (n > 3 && strcmp(m->file + n - 3, ".db") == 0)
		return m->file;
	return sm_arena_printf(map_arena(m), "%s.db", m->file);
}

/*
 * Open the database at path for reading; NULL with errno set on failure.
 * The single hook for the database layer (libsmdb).
 */
static void *db_open_file(const struct map *m, const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return NULL;
	errno = EINVAL; /* no database layer yet: nothing can be read */
	return NULL;
}

static bool db_open(struct map *m, const struct map_ctx *ctx)
{
	const char *path = db_path(m);

	m->priv = db_open_file(m, path);
	if (m->priv != NULL)
		return true;
	if (m->flags & MF_OPTIONAL)
		return false;
	if (errno == ENOENT) {
		map_msg(m->reg, "%s map \"%s\": missing map file %s: %s", m->cls->name, m->name, path,
			strerror(ENOENT));
		map_note_exit(m->reg, EX_OSERR);
	} else {
		map_msg(m->reg, "Cannot open %s database %s: %s", m->cls->name, path, strerror(errno));
		map_note_exit(m->reg, EX_SOFTWARE);
	}
	return false;
}

static char *db_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
		       const char *const *args, int nargs, int *stat)
{
	*stat = EX_NOHOST;
	return NULL;
}

const struct map_class map_class_hash = {"hash", map_parse_common, db_open, db_lookup, true};
const struct map_class map_class_btree = {"btree", map_parse_common, db_open, db_lookup, true};

static bool stab_open(struct map *m, const struct map_ctx *ctx);

/* An alias map whose database cannot be opened falls back to its text. */
static bool implicit_open(struct map *m, const struct map_ctx *ctx)
{
	m->priv = db_open_file(m, db_path(m));
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
	struct sm_buf val;  /* while reading */
	const char *text;   /* then: the value, in the registry's arena */
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
