/*
 * alias_build: rebuilding alias databases (newaliases, sendmail -bi).
 * See alias.h.  Reads the file with alias_parse() and writes a new
 * FILE.db through libsmdb, which renames it into place only when it is
 * complete; the "@" entry is written last.  Keys and values are stored
 * with their trailing NUL, as Sendmail stores alias databases.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"
#include "libsmdb/smdb.h"
#include "sendmail/alias/alias_int.h"

/* What store() needs. */
struct build {
	const struct alias_opts *o;
	const char *fname;
	struct smdb_writer *w;
	struct alias_stats *st;
	int append; /* -A: merge duplicates */
	int failed; /* a write failed: abandon the new database */
	struct sm_buf old, merged;
};

/* Put key -> value; on a duplicate warn, then replace or append. */
static int store(void *arg, const char *key, size_t klen, const char *name, const char *value,
                 size_t vlen, unsigned line)
{
	struct build *b = arg;
	int r = smdb_put(b->w, key, klen + 1, value, vlen + 1, SMDB_INSERT);

	if (r > 0) {
		/* -A: Sendmail joins silently, the new value first. */
		sm_buf_reset(&b->merged);
		sm_buf_append(&b->merged, value, vlen);
		if (b->append && smdb_wget(b->w, key, klen + 1, &b->old) > 0) {
			sm_buf_putc(&b->merged, ',');
			sm_buf_append(&b->merged, b->old.data, strnlen(b->old.data, b->old.len));
		} else {
			alias_msg(b->o, b->fname, line, "%s... Warning: duplicate alias name %s",
			          name, key);
			b->st->warnings++;
		}
		r = smdb_put(b->w, key, klen + 1, b->merged.data, b->merged.len + 1, SMDB_REPLACE);
	}
	if (r < 0) {
		alias_msg(b->o, b->fname, line, "%s... cannot store: %s", name,
		          smdb_writer_error(b->w));
		b->failed = 1;
		return -1;
	}
	b->st->naliases++;
	b->st->bytes += (long)(klen + vlen);
	if ((long)vlen > b->st->longest)
		b->st->longest = (long)vlen;
	return 0;
}

/* Split "[class:][-flags ]path" into class (or "implicit"), flags and path. */
static const char *parse_spec(char *spec, const char **cls, int *append)
{
	char *colon = strchr(spec, ':');
	char *slash = strchr(spec, '/');
	char *p = spec;

	*cls = "implicit";
	*append = 0;
	if (colon != NULL && (slash == NULL || colon < slash)) {
		*colon = '\0';
		*cls = spec;
		p = colon + 1;
	}
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '-')
			break;
		for (; *p != '\0' && *p != ' ' && *p != '\t'; p++)
			if (*p == 'A')
				*append = 1;
	}
	return p;
}

/* Read the file into the writer; returns the status. */
static int fill(struct build *b, FILE *fp)
{
	int rc = alias_parse(fp, b->fname, b->o, store, b, b->st);

	if (rc == 0 && !b->failed && smdb_put(b->w, "@", 2, "@", 2, SMDB_REPLACE) < 0) {
		alias_msg(b->o, b->fname, 0, "cannot store @: %s", smdb_writer_error(b->w));
		b->failed = 1;
	}
	if (b->failed)
		return EX_IOERR;
	if (rc < 0) {
		alias_msg(b->o, b->fname, 0, "read error: %s", strerror(errno));
		return EX_IOERR;
	}
	return EX_OK;
}

/* Open the file and the new database, fill, commit; returns the status. */
static int rebuild_file(const char *path, int append, const struct alias_opts *o,
                        struct alias_stats *st)
{
	const char *prog = o->progname != NULL ? o->progname : "newaliases";
	struct build b = {o, path, NULL, st, append, 0, SM_BUF_INIT, SM_BUF_INIT};
	struct sm_buf db = SM_BUF_INIT, msg = SM_BUF_INIT;
	FILE *fp = fopen(path, "re");
	int e, status;

	if (fp == NULL) {
		fprintf(o->msgs != NULL ? o->msgs : stdout, "%s: cannot open %s: %s\n", prog, path,
		        strerror(errno));
		return EX_NOINPUT;
	}
	smdb_map_path(path, SMDB_HASH, &db);
	if (smdb_create(&b.w, sm_buf_str(&db), 0, 0640, 0, &e) < 0) {
		smdb_error_text(e, sm_buf_str(&db), &msg);
		alias_msg(o, path, 0, "cannot create database %s: %s", sm_buf_str(&db),
		          sm_buf_str(&msg));
		status = EX_CANTCREAT;
	} else if ((status = fill(&b, fp)) != EX_OK) {
		smdb_abort(b.w);
		alias_msg(o, path, 0, "database %s not rebuilt", sm_buf_str(&db));
	} else {
		if (o->announce)
			alias_msg(o, path, 0, "%ld aliases, longest %ld bytes, %ld bytes total",
			          st->naliases, st->longest, st->bytes);
		if (smdb_commit(b.w, &e) < 0) {
			alias_msg(o, path, 0, "cannot write %s: %s", sm_buf_str(&db),
			          smdb_strerror(e));
			status = EX_IOERR;
		}
	}
	fclose(fp);
	sm_buf_free(&db);
	sm_buf_free(&msg);
	sm_buf_free(&b.old);
	sm_buf_free(&b.merged);
	return status;
}

int alias_rebuild(const char *spec, const struct alias_opts *o, struct alias_stats *stp)
{
	struct alias_stats local = {0};
	struct alias_stats *st = stp != NULL ? stp : &local;
	char *copy = sm_strdup(spec);
	const char *cls, *path;
	enum smdb_type t;
	int append, status;

	memset(st, 0, sizeof(*st));
	path = parse_spec(copy, &cls, &append);
	if (smdb_type_parse(cls, &t) != 0 || *path == '\0') {
		free(copy);
		return EX_OK; /* nis, ldap, text...: nothing to build */
	}
	status = rebuild_file(path, append, o, st);
	if (status == EX_OK && st->errors > 0)
		status = EX_SOFTWARE;
	free(copy);
	return status;
}

int alias_rebuild_all(const char *const *specs, size_t n, const struct alias_opts *o)
{
	int worst = EX_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		int s = alias_rebuild(specs[i], o, NULL);

		if (s != EX_OK && (worst == EX_OK || worst == EX_NOINPUT))
			worst = s;
	}
	return worst;
}
