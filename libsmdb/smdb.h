/*
 * smdb: the map database layer shared by makemap, editmap, praliases,
 * the alias builder and the sendmail map classes.
 *
 * One small API over GDBM.  Every keyed map type Sendmail knows as a
 * file (hash, btree, dbm; implicit means hash) is one GDBM file here:
 *
 *   type     file on disk         notes
 *   hash     NAME.db              GDBM
 *   btree    NAME.db              GDBM (keys are not kept in order; a dump
 *                                 lists them in hash order, as hash does)
 *   dbm      NAME.db              GDBM.  Decision: we do NOT write the old
 *                                 ndbm .dir/.pag pair.  A map declared
 *                                 "K name dbm /path" is read from /path.db,
 *                                 so one file serves every type and
 *                                 rebuilding is one atomic rename.
 *   implicit NAME.db              same as hash
 *
 * A map name that already ends in ".db" is used as is (as Sendmail does).
 *
 * Readers and writers never block each other:
 *   - smdb_open() opens the file read-only without any lock (GDBM_NOLOCK).
 *     That is safe because no writer ever modifies a live file.
 *   - smdb_create() builds a new file next to the old one (a temporary
 *     name made with mkstemp in the same directory), and smdb_commit()
 *     fsyncs it, renames it over the map and fsyncs the directory.  A
 *     reader sees the old map or the new one, never a torn one.  With
 *     SMDB_C_APPEND the old file's bytes are copied to the temporary file
 *     first, so editmap and makemap -o also edit a private copy.
 *     A writer killed mid-build leaves its ".NAME.db.XXXXXX" file behind
 *     (harmless: nothing reads it; remove it by hand).
 *   - Writers serialise among themselves with flock() on the live file
 *     (re-checking after the lock that the name still refers to the same
 *     inode), so two concurrent editmaps do not lose an update.
 *
 * A Berkeley DB file left by the old Sendmail (hash magic 0x061561 or
 * btree magic 0x053162 at offset 12, in either byte order) is refused with
 * SMDB_E_BERKELEY; smdb_strerror_file() gives the message naming the file
 * and the makemap command that rebuilds it.
 *
 * Errors: functions return 0 (or a documented positive value) on success
 * and -1 on failure with a reason kept in the handle or in errno-like
 * codes; nothing here prints.  Keys and values are byte strings with a
 * length: a trailing NUL is data (Sendmail's -N), never implied.
 */
#ifndef SMDB_H
#define SMDB_H

#include <stddef.h>
#include <sys/types.h>

#include "libsm/sm_buf.h"

enum smdb_type { SMDB_HASH, SMDB_BTREE, SMDB_DBM };

/* Error codes beyond errno values (all negative, errno values positive). */
enum {
	SMDB_E_BERKELEY = -1000, /* an old Berkeley DB file: rebuild it */
	SMDB_E_NOTDB = -1001,    /* not a GDBM file, or a damaged one */
	SMDB_E_TYPE = -1002,     /* unknown map type name */
	SMDB_E_GDBM = -1003,     /* other GDBM failure (see the handle) */
	SMDB_E_SYMLINK = -1004,  /* map is a symbolic link (safety check) */
	SMDB_E_HARDLINK = -1005, /* map has other hard links (safety check) */
};

/*
 * Map a type name to a type: hash, btree, dbm and implicit (= hash).
 * Returns 0, or SMDB_E_TYPE for anything else.
 */
int smdb_type_parse(const char *name, enum smdb_type *type);
/* The names makemap -l lists, NULL-terminated. */
extern const char *const smdb_type_names[];

/* The file name for a map (NAME.db, or NAME if it ends in ".db"). */
void smdb_map_path(const char *mapname, enum smdb_type type, struct sm_buf *out);

/* A message for an error code: strerror for errno values. */
const char *smdb_strerror(int code);
/*
 * The full message for an error on a map file, for the programs to print:
 * for SMDB_E_BERKELEY it names the file and the makemap command to run.
 */
void smdb_error_text(int code, const char *path, struct sm_buf *out);

/* Does the file start like a Berkeley DB hash or btree file?  1 / 0. */
int smdb_is_berkeley(const char *path, int *is_btree);

/* ---- reading ---- */

struct smdb;

/*
 * Open path read-only and lock-free.  Returns 0 and sets *db, or -1 and
 * sets *err to an errno value or SMDB_E_* code.
 */
int smdb_open(struct smdb **db, const char *path, int *err);
/* Look a key up.  1 found (value in *val, replacing it), 0 not found, -1 error. */
int smdb_get(struct smdb *db, const void *key, size_t klen, struct sm_buf *val);
/* 1 if the key is present, 0 if not, -1 on error (no value copy). */
int smdb_exists(struct smdb *db, const void *key, size_t klen);
void smdb_close(struct smdb *db);

/*
 * Iterate: smdb_first() then smdb_next() until they return 0.  Each
 * returns 1 with the pair in key/val, 0 at the end, -1 on error.  The
 * order is GDBM's hash order.  The map must not change during the walk
 * (it cannot: live files are never written).
 */
int smdb_first(struct smdb *db, struct sm_buf *key, struct sm_buf *val);
int smdb_next(struct smdb *db, struct sm_buf *key, struct sm_buf *val);

/* ---- writing ---- */

struct smdb_writer;

enum {
	SMDB_C_APPEND = 1, /* start from the existing map (must exist) */
	SMDB_C_NOSAFE = 2, /* skip the symlink/hard link checks (-s) */
	SMDB_C_CREATE = 4, /* with APPEND: a missing map starts empty */
};

/*
 * Start building a new version of the map file at path.  mode is used
 * for a new file; with APPEND the old file's mode and owner are kept.
 * cache_size (makemap -c) is accepted and ignored: GDBM's adaptive
 * bucket cache was faster than any fixed size in our benchmark.  Returns
 * 0, or -1 with *err set.
 */
int smdb_create(struct smdb_writer **w, const char *path, int flags, mode_t mode, size_t cache_size,
                int *err);

enum { SMDB_INSERT = 0, SMDB_REPLACE = 1 };
/* Store a pair.  0 stored, 1 key exists (SMDB_INSERT, nothing changed), -1 error. */
int smdb_put(struct smdb_writer *w, const void *key, size_t klen, const void *val, size_t vlen,
             int how);
/* Look a key up in the file being built (as smdb_get). */
int smdb_wget(struct smdb_writer *w, const void *key, size_t klen, struct sm_buf *val);
/* Delete a key: 0 deleted, 1 not present, -1 error. */
int smdb_delete(struct smdb_writer *w, const void *key, size_t klen);
/* Give the finished file to this owner (uid, gid; -1 = unchanged) on commit. */
void smdb_set_owner(struct smdb_writer *w, uid_t uid, gid_t gid);
/*
 * Finish: sync, fsync, rename over the map, fsync the directory.  The
 * writer is freed either way.  Returns 0, or -1 with *err set (the old
 * map is then untouched and the temporary file removed).
 */
int smdb_commit(struct smdb_writer *w, int *err);
/* Throw the new version away; the old map is untouched. */
void smdb_abort(struct smdb_writer *w);
/* The last GDBM or system error text for a writer (for "put error: %s"). */
const char *smdb_writer_error(struct smdb_writer *w);

#endif
