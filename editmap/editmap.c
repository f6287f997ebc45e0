/*
 * editmap: query, update or delete one record of a sendmail map file.
 *
 *   editmap [-C file] [-N] [-f] -q type mapname key
 *   editmap [-C file] [-N] [-f] -u type mapname key value
 *   editmap [-C file] [-N] [-f] -x type mapname key
 *
 * As Sendmail 8.17's editmap: the key's ASCII upper case is folded unless
 * -f; -N includes the terminating NUL in key and value; -q prints the
 * value (exit 0) or "couldn't find key" (EX_UNAVAILABLE); -u inserts or
 * replaces (a missing map is created); -x deletes (a missing key is
 * reported but is not an error); a write failure exits EX_IOERR.  The cf
 * (-C, default /etc/mail/sendmail.cf) is always read, for TrustedUser.
 *
 * Unlike Sendmail, an edit never writes the live file: -u and -x copy the
 * map, change the copy and rename it into place (libsmdb/smdb.h), so
 * readers never see a half-done edit.  Concurrent editmaps are serialised
 * by the writers' lock.  The cost is one copy of the file per edit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsmdb/smdb.h"
#include "libsmdb/smdb_cf.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"

enum op { OP_NONE, OP_QUERY, OP_UPDATE, OP_DELETE };

struct opts {
	const char *cf;
	int inclnull, foldcase, nops;
	enum op op;
	const char *type, *mapname, *value;
	char *key;
};

static const char *progname = "editmap";

static _Noreturn void usage(void)
{
	fprintf(
	    stderr,
	    "Usage: %s [-C cffile] [-N] [-f] [-q|-u|-x] maptype mapname key [ \"value ...\" ]\n",
	    progname);
	exit(EX_USAGE);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c, n;

	while ((c = getopt(argc, argv, "C:fquxN")) != -1) {
		switch (c) {
		case 'C':
			o->cf = optarg;
			break;
		case 'f':
			o->foldcase = 0;
			break;
		case 'N':
			o->inclnull = 1;
			break;
		case 'q':
			o->op = OP_QUERY;
			o->nops++;
			break;
		case 'u':
			o->op = OP_UPDATE;
			o->nops++;
			break;
		case 'x':
			o->op = OP_DELETE;
			o->nops++;
			break;
		default:
			usage();
		}
	}
	n = argc - optind;
	if (o->nops != 1 || (o->op != OP_UPDATE && n != 3) || (o->op == OP_UPDATE && n <= 3))
		usage();
	o->type = argv[optind];
	o->mapname = argv[optind + 1];
	o->key = argv[optind + 2];
	o->value = o->op == OP_UPDATE ? argv[optind + 3] : NULL;
}

static _Noreturn void open_failed(const struct opts *o, const char *path, int e)
{
	struct sm_buf msg = SM_BUF_INIT;

	smdb_error_text(e, path, &msg);
	fprintf(stderr, "%s: error opening type %s map %s: %s\n", progname, o->type, o->mapname,
	        sm_buf_str(&msg));
	exit(EX_CANTCREAT);
}

static size_t klen(const struct opts *o)
{
	return strlen(o->key) + (o->inclnull ? 1 : 0);
}

/* -q: print the value as "%.*s\n" would (up to a NUL). */
static int query(const struct opts *o, const char *path)
{
	struct sm_buf v = SM_BUF_INIT;
	struct smdb *db;
	struct stat st;
	int e, r;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		open_failed(o, path, SMDB_E_SYMLINK);
	if (smdb_open(&db, path, &e) < 0)
		open_failed(o, path, e);
	r = smdb_get(db, o->key, klen(o), &v);
	smdb_close(db);
	if (r <= 0) {
		fprintf(stderr, "%s: couldn't find key %s in map %s\n", progname, o->key,
		        o->mapname);
		sm_buf_free(&v);
		return EX_UNAVAILABLE;
	}
	fwrite(sm_buf_str(&v), 1, strnlen(sm_buf_str(&v), v.len), stdout);
	putchar('\n');
	sm_buf_free(&v);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}

/* The change itself on the private copy; returns the exit status. */
static int change(const struct opts *o, struct smdb_writer *w)
{
	int r;

	if (o->op == OP_UPDATE) {
		r = smdb_put(w, o->key, klen(o), o->value, strlen(o->value) + (o->inclnull ? 1 : 0),
		             SMDB_REPLACE);
		if (r < 0) {
			fprintf(stderr, "%s: %s: key %s: put error: %s\n", progname, o->mapname,
			        o->key, smdb_writer_error(w));
			return EX_IOERR;
		}
		return EX_OK;
	}
	r = smdb_delete(w, o->key, klen(o));
	if (r > 0)
		fprintf(stderr, "%s: key %s doesn't exist in map %s\n", progname, o->key,
		        o->mapname);
	if (r < 0) {
		fprintf(stderr, "%s: %s: key %s: delete error: %s\n", progname, o->mapname, o->key,
		        smdb_writer_error(w));
		return EX_IOERR;
	}
	return EX_OK;
}

/* -u and -x: copy, change, rename. */
static int edit(const struct opts *o, const char *path, uid_t owner)
{
	struct smdb_writer *w;
	int e, status;

	if (smdb_create(&w, path, SMDB_C_APPEND | SMDB_C_CREATE, 0640, 0, &e) < 0)
		open_failed(o, path, e);
	if (owner != 0)
		smdb_set_owner(w, owner, (gid_t)-1);
	status = change(o, w);
	if (status != EX_OK) {
		smdb_abort(w);
		return status;
	}
	if (smdb_commit(w, &e) < 0) {
		fprintf(stderr, "%s: close(%s): %s\n", progname, o->mapname, smdb_strerror(e));
		return EX_IOERR;
	}
	return EX_OK;
}

int main(int argc, char **argv)
{
	struct opts o = {.cf = DEFAULT_CF, .foldcase = 1};
	struct smdb_cf cf;
	struct sm_buf path = SM_BUF_INIT;
	enum smdb_type t;
	const char *slash = strrchr(argv[0], '/');
	char *p;
	int e, status;

	progname = slash != NULL ? slash + 1 : argv[0];
	parse_args(argc, argv, &o);
	for (p = o.key; o.foldcase && *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if ((e = smdb_cf_read(o.cf, NULL, 0, &cf)) != 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, o.cf, strerror(e));
		exit(EX_NOINPUT);
	}
	fputs(sm_buf_str(&cf.warning), stderr);
	if (smdb_type_parse(o.type, &t) != 0)
		open_failed(&o, o.mapname, SMDB_E_TYPE);
	smdb_map_path(o.mapname, t, &path);
	if (o.op == OP_QUERY)
		status = query(&o, sm_buf_str(&path));
	else
		status = edit(&o, sm_buf_str(&path), geteuid() == 0 ? cf.trusted_uid : 0);
	smdb_cf_free(&cf);
	sm_buf_free(&path);
	return status;
}
