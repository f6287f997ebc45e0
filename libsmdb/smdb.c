/*
 * smdb: type names, file names, error texts and the lock-free read side
 * (open, lookup, iterate, close).  See smdb.h; the write side is in
 * smdb_write.c.  Never prints and never exits.
 */
#include "smdb.h"

#include <errno.h>
#include <fcntl.h>
#include <gdbm.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "libsm/sm_mem.h"

struct smdb {
	GDBM_FILE dbf;
	datum cursor; /* last key returned by first/next (malloc'd by GDBM) */
};

const char *const smdb_type_names[] = {"hash", "btree", "dbm", "implicit", NULL};

int smdb_type_parse(const char *name, enum smdb_type *type)
{
	if (strcmp(name, "hash") == 0 || strcmp(name, "implicit") == 0)
		*type = SMDB_HASH;
	else if (strcmp(name, "btree") == 0)
		*type = SMDB_BTREE;
	else if (strcmp(name, "dbm") == 0)
		*type = SMDB_DBM;
	else
		return SMDB_E_TYPE;
	return 0;
}

void smdb_map_path(const char *mapname, enum smdb_type type, struct sm_buf *out)
{
	size_t n = strlen(mapname);

	(void)type; /* every type uses NAME.db: see smdb.h */
	sm_buf_reset(out);
	sm_buf_puts(out, mapname);
	if (n < 3 || strcmp(mapname + n - 3, ".db") != 0)
		sm_buf_puts(out, ".db");
}

const char *smdb_strerror(int code)
{
	switch (code) {
	case SMDB_E_BERKELEY:
		return "Berkeley DB file from the old Sendmail";
	case SMDB_E_NOTDB:
		return "Unknown database type";
	case SMDB_E_TYPE:
		return "Unknown database type";
	case SMDB_E_GDBM:
		return "database error";
	case SMDB_E_SYMLINK:
		return "Symbolic links not allowed";
	case SMDB_E_HARDLINK:
		return "Hard links not allowed";
	default:
		return strerror(code > 0 ? code : EIO);
	}
}

void smdb_error_text(int code, const char *path, struct sm_buf *out)
{
	size_t n = strlen(path);
	int is_btree = 0;

	sm_buf_reset(out);
	if (code != SMDB_E_BERKELEY) {
		sm_buf_puts(out, smdb_strerror(code));
		return;
	}
	(void)smdb_is_berkeley(path, &is_btree);
	if (n > 3 && strcmp(path + n - 3, ".db") == 0)
		n -= 3;
	sm_buf_printf(out,
	              "%s is a Berkeley DB %s file from the old Sendmail; rebuild it with: "
	              "makemap %s %.*s < %.*s",
	              path, is_btree ? "btree" : "hash", is_btree ? "btree" : "hash", (int)n, path,
	              (int)n, path);
}

/* Read a 32-bit word at off in either byte order; 1 if it equals magic. */
static int magic_at(const unsigned char *p, uint32_t magic)
{
	uint32_t le =
	    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	uint32_t be =
	    (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;

	return le == magic || be == magic;
}

int smdb_is_berkeley(const char *path, int *is_btree)
{
	unsigned char head[16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return 0;
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n != (ssize_t)sizeof(head))
		return 0;
	if (magic_at(head + 12, 0x061561)) {
		if (is_btree != NULL)
			*is_btree = 0;
		return 1;
	}
	if (magic_at(head + 12, 0x053162)) {
		if (is_btree != NULL)
			*is_btree = 1;
		return 1;
	}
	return 0;
}

/* Translate a failed gdbm_open into our code. */
static int open_error(const char *path)
{
	int e = errno;

	if (gdbm_errno == GDBM_FILE_OPEN_ERROR || gdbm_errno == GDBM_FILE_STAT_ERROR)
		return e != 0 ? e : EIO;
	if (smdb_is_berkeley(path, NULL))
		return SMDB_E_BERKELEY;
	return SMDB_E_NOTDB;
}

int smdb_open(struct smdb **db, const char *path, int *err)
{
	GDBM_FILE dbf;

	errno = 0;
	dbf = gdbm_open(path, 0, GDBM_READER | GDBM_NOLOCK | GDBM_CLOEXEC, 0, NULL);
	if (dbf == NULL) {
		*err = open_error(path);
		return -1;
	}
	*db = sm_calloc(1, sizeof(**db));
	(*db)->dbf = dbf;
	return 0;
}

/* Copy a GDBM datum into b and free it. */
static void take(datum d, struct sm_buf *b)
{
	sm_buf_reset(b);
	sm_buf_append(b, d.dptr, (size_t)d.dsize);
	free(d.dptr);
}

/* Build a datum for a caller's key (GDBM rejects a NULL pointer). */
static datum mkdatum(const void *p, size_t n)
{
	static char empty[1];
	datum d;

	d.dptr = p != NULL ? (char *)p : empty;
	d.dsize = (int)n;
	return d;
}

int smdb_get(struct smdb *db, const void *key, size_t klen, struct sm_buf *val)
{
	datum d;

	if (klen > INT32_MAX)
		return 0;
	d = gdbm_fetch(db->dbf, mkdatum(key, klen));
	if (d.dptr == NULL)
		return gdbm_errno == GDBM_ITEM_NOT_FOUND ? 0 : -1;
	take(d, val);
	return 1;
}

int smdb_exists(struct smdb *db, const void *key, size_t klen)
{
	if (klen > INT32_MAX)
		return 0;
	if (gdbm_exists(db->dbf, mkdatum(key, klen)))
		return 1;
	return gdbm_errno == GDBM_NO_ERROR || gdbm_errno == GDBM_ITEM_NOT_FOUND ? 0 : -1;
}

/* Fetch the value for the cursor key into val; shared by first/next. */
static int cursor_pair(struct smdb *db, datum k, struct sm_buf *key, struct sm_buf *val)
{
	datum v;

	free(db->cursor.dptr);
	db->cursor = k;
	if (k.dptr == NULL)
		return gdbm_errno == GDBM_ITEM_NOT_FOUND ? 0 : -1;
	v = gdbm_fetch(db->dbf, k);
	if (v.dptr == NULL)
		return -1;
	sm_buf_reset(key);
	sm_buf_append(key, k.dptr, (size_t)k.dsize);
	take(v, val);
	return 1;
}

int smdb_first(struct smdb *db, struct sm_buf *key, struct sm_buf *val)
{
	return cursor_pair(db, gdbm_firstkey(db->dbf), key, val);
}

int smdb_next(struct smdb *db, struct sm_buf *key, struct sm_buf *val)
{
	if (db->cursor.dptr == NULL)
		return 0;
	return cursor_pair(db, gdbm_nextkey(db->dbf, db->cursor), key, val);
}

void smdb_close(struct smdb *db)
{
	if (db == NULL)
		return;
	free(db->cursor.dptr);
	gdbm_close(db->dbf);
	free(db);
}
