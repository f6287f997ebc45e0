/*
 * makemap: build a keyed map file for sendmail from "key value" lines.
 *
 *   makemap [-C file] [-D c] [-N] [-c cachesize] [-d] [-e] [-f] [-i type]
 *           [-l] [-L] [-o] [-r] [-s] [-t delim] [-u] [-v] [-x] type mapname
 *
 * Reads stdin and writes mapname.db (see libsmdb/smdb.h for the file
 * format and the atomic replace); -u dumps a map instead.  Input rules,
 * messages and exit codes are those of Sendmail 8.17's makemap:
 *   - a line is "key<sep>value"; sep is any white space, or -t's char;
 *     runs of sep after the key are skipped; the value is the rest of the
 *     line verbatim (trailing blanks and a CR are kept);
 *   - empty lines and lines whose first char is the comment char (-D,
 *     default '#') are skipped; no continuation lines;
 *   - a line starting with white space (default sep) is a syntax error;
 *   - ASCII upper case in keys is folded unless -f; values never are;
 *   - a missing value is an error unless -e; a repeated key is an error
 *     unless -r (replace) or -d (duplicates: GDBM keeps one value per key,
 *     so with -d the first value is kept silently; see the man page);
 *   - lines of 1023 bytes or more are refused as "line too long (1024
 *     bytes max)", as the reference's fixed buffer does (our reader has
 *     no such buffer: the whole line is skipped and counted once);
 *   - -N stores keys and values with their terminating NUL.
 * Data errors make the exit status EX_DATAERR but the map is still
 * written; a write error (disk full) abandons the new version, leaves the
 * old map intact and exits EX_IOERR.
 * As root, the cf (-C, default /etc/mail/sendmail.cf) is read for
 * TrustedUser, who then owns the map; type "cf" takes the map's class
 * from the cf's K line naming the same path ("CF": same base name).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "libsmdb/smdb.h"
#include "libsmdb/smdb_cf.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"
/* The reference reads lines into 1024 bytes: 1022 chars, newline, NUL. */
#define REF_LINE_MAX 1023
/* Our own bound on one input line, far above the one we report. */
#define READ_LINE_MAX (1024 * 1024)

struct opts {
	const char *cf;
	const char *fallback;
	int inclnull, notrunc, replace, allowdup, allowempty, verbose, foldcase, unmake, nosafe;
	char sep;
	char comment;
	size_t cache;
	const char *type;
	const char *mapname;
};

static const char *progname = "makemap";

/* The reference's usage text, exit EX_USAGE. */
static _Noreturn void usage(void)
{
	int w = (int)strlen(progname);

	fprintf(stderr, "Usage: %s [-C cffile] [-N] [-c cachesize] [-D commentchar]\n", progname);
	fprintf(stderr, "       %*s [-d] [-e] [-f] [-i type] [-l] [-o] [-r] [-s] [-t delimiter]\n",
	        w, "");
	fprintf(stderr, "       %*s [-u] [-v] type mapname\n", w, "");
	exit(EX_USAGE);
}

/* -l, -L and -x: the types we build (with their file extension for -x). */
static _Noreturn void list_types(int cf, int ext)
{
	int i;

	if (cf)
		printf("cf\nCF\n");
	for (i = 0; smdb_type_names[i] != NULL; i++) {
		int implicit = strcmp(smdb_type_names[i], "implicit") == 0;

		if (ext)
			printf("%s:%s\n", smdb_type_names[i], implicit ? "" : "db");
		else
			printf("%s\n", smdb_type_names[i]);
	}
	exit(EX_OK);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	while ((c = getopt(argc, argv, "C:D:Nc:defi:Llorst:uvx")) != -1) {
		switch (c) {
		case 'C':
			o->cf = optarg;
			break;
		case 'D':
			o->comment = *optarg;
			break;
		case 'N':
			o->inclnull = 1;
			break;
		case 'c':
			o->cache = (size_t)atol(optarg);
			break;
		case 'd':
			o->allowdup = 1;
			break;
		case 'e':
			o->allowempty = 1;
			break;
		case 'f':
			o->foldcase = 0;
			break;
		case 'i':
			o->fallback = optarg;
			break;
		case 'L':
			list_types(1, 0);
		case 'l':
			list_types(0, 0);
		case 'x':
			list_types(0, 1);
		case 'o':
			o->notrunc = 1;
			break;
		case 'r':
			o->replace = 1;
			break;
		case 's':
			o->nosafe = 1;
			break;
		case 't':
			if (*optarg == '\0')
				fprintf(stderr, "Invalid separator\n");
			else
				o->sep = *optarg;
			break;
		case 'u':
			o->unmake = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	o->type = argv[optind];
	o->mapname = argv[optind + 1];
}

/* Read the cf as the reference does: TrustedUser, and the class for "cf". */
static void read_cf(struct opts *o, struct smdb_cf *cf, struct sm_buf *type)
{
	int from_cf = strcasecmp(o->type, "cf") == 0;
	int e;

	sm_buf_puts(type, o->type);
	if (geteuid() != 0 && !from_cf)
		return;
	e = smdb_cf_read(o->cf, from_cf ? o->mapname : NULL, strcmp(o->type, "cf") == 0, cf);
	if (e != 0) {
		fprintf(stderr, "makemap: %s: %s\n", o->cf, strerror(e));
		exit(EX_NOINPUT);
	}
	fputs(sm_buf_str(&cf->warning), stderr);
	if (!from_cf)
		return;
	sm_buf_reset(type);
	if (cf->map_class.len > 0) {
		sm_buf_append(type, cf->map_class.data, cf->map_class.len);
	} else if (o->fallback != NULL && *o->fallback != '\0') {
		sm_buf_puts(type, o->fallback);
		if (o->verbose)
			fprintf(stderr, "%s: mapfile %s: not found in %s, using fallback %s\n",
			        progname, o->mapname, o->cf, o->fallback);
	} else {
		fprintf(stderr, "%s: mapfile %s: not found in %s\n", progname, o->mapname, o->cf);
		exit(EX_DATAERR);
	}
}

/* Report a failure to open the map, exit EX_CANTCREAT. */
static _Noreturn void open_failed(const struct opts *o, const char *type, const char *path, int e)
{
	struct sm_buf msg = SM_BUF_INIT;

	if (e == SMDB_E_TYPE && (strcmp(type, "cdb") == 0 || strcmp(type, "CDB") == 0)) {
		fprintf(stderr, "%s: Need to recompile with -DCDB for %s support\n", progname,
		        type);
		exit(EX_CANTCREAT);
	}
	smdb_error_text(e, path, &msg);
	fprintf(stderr, "%s: error opening type %s map %s: %s\n", progname, type, o->mapname,
	        sm_buf_str(&msg));
	exit(EX_CANTCREAT);
}

/* Print bytes as "%.*s" would: up to the first NUL. */
static void put_field(const struct sm_buf *b)
{
	fwrite(b->data != NULL ? b->data : "", 1, strnlen(sm_buf_str(b), b->len), stdout);
}

/* -u: list every pair as key<sep>value. */
static int dump(const struct opts *o, const char *type, const char *path)
{
	struct sm_buf k = SM_BUF_INIT, v = SM_BUF_INIT;
	struct smdb *db;
	struct stat st;
	int e, r;

	if (!o->nosafe && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		open_failed(o, type, path, SMDB_E_SYMLINK);
	if (smdb_open(&db, path, &e) < 0)
		open_failed(o, type, path, e);
	for (r = smdb_first(db, &k, &v); r > 0; r = smdb_next(db, &k, &v)) {
		put_field(&k);
		putchar(o->sep != '\0' ? o->sep : '\t');
		put_field(&v);
		putchar('\n');
	}
	smdb_close(db);
	sm_buf_free(&k);
	sm_buf_free(&v);
	if (fflush(stdout) != 0)
		return EX_IOERR;
	return EX_OK;
}

static int is_sep(const struct opts *o, int c)
{
	if (o->sep == '\0')
		return isascii(c) && isspace(c);
	return c == o->sep;
}

/*
 * Store one input line.  Returns EX_OK, EX_DATAERR for a bad line (after
 * printing it), or EX_IOERR when the new map cannot be written.
 */
static int store_line(const struct opts *o, struct smdb_writer *w, char *line, unsigned lineno)
{
	char *p = line;
	size_t klen, vlen;
	int r;

	if (line[0] == '\0' || line[0] == o->comment)
		return EX_OK;
	if (o->sep == '\0' && isascii((unsigned char)line[0]) && isspace((unsigned char)line[0])) {
		fprintf(stderr, "%s: %s: line %u: syntax error (leading space)\n", progname,
		        o->mapname, lineno);
		return EX_DATAERR;
	}
	for (; *p != '\0' && !is_sep(o, (unsigned char)*p); p++)
		if (o->foldcase && isascii((unsigned char)*p) && isupper((unsigned char)*p))
			*p = (char)tolower((unsigned char)*p);
	klen = (size_t)(p - line);
	if (*p != '\0')
		*p++ = '\0';
	while (*p != '\0' && is_sep(o, (unsigned char)*p))
		p++;
	if (!o->allowempty && *p == '\0') {
		fprintf(stderr, "%s: %s: line %u: no RHS for LHS %s\n", progname, o->mapname,
		        lineno, line);
		return EX_DATAERR;
	}
	vlen = strlen(p);
	if (o->verbose)
		printf("key=`%s', val=`%s'\n", line, p);
	r = smdb_put(w, line, klen + (o->inclnull ? 1 : 0), p, vlen + (o->inclnull ? 1 : 0),
	             o->replace ? SMDB_REPLACE : SMDB_INSERT);
	if (r < 0) {
		fprintf(stderr, "%s: %s: line %u: key %s: put error: %s\n", progname, o->mapname,
		        lineno, line, smdb_writer_error(w));
		return EX_IOERR;
	}
	if (r > 0 && !o->allowdup) {
		fprintf(stderr, "%s: %s: line %u: key %s: duplicate key\n", progname, o->mapname,
		        lineno, line);
		return EX_DATAERR;
	}
	return EX_OK;
}

/* Read stdin into the writer; returns the exit status so far. */
static int load(const struct opts *o, struct smdb_writer *w)
{
	struct sm_buf line = SM_BUF_INIT;
	unsigned lineno = 0;
	int status = EX_OK;
	int trunc, r;

	while (sm_getline(stdin, &line, READ_LINE_MAX, &trunc) > 0) {
		lineno++;
		if (trunc || strlen(sm_buf_str(&line)) >= REF_LINE_MAX) {
			fprintf(stderr, "%s: %s: line %u: line too long (%ld bytes max)\n",
			        progname, o->mapname, lineno, (long)REF_LINE_MAX + 1);
			status = EX_DATAERR;
			continue;
		}
		r = store_line(o, w, line.data, lineno);
		if (r == EX_IOERR) {
			status = r;
			break;
		}
		if (r != EX_OK)
			status = r;
	}
	if (ferror(stdin) && status != EX_IOERR) {
		fprintf(stderr, "%s: %s: read error: %s\n", progname, o->mapname, strerror(errno));
		status = EX_IOERR;
	}
	sm_buf_free(&line);
	return status;
}

/* Build the map from stdin; returns the exit status. */
static int build(const struct opts *o, const char *type, const char *path, uid_t owner)
{
	struct smdb_writer *w;
	int flags = (o->notrunc ? SMDB_C_APPEND : 0) | (o->nosafe ? SMDB_C_NOSAFE : 0);
	int e, status;

	if (smdb_create(&w, path, flags, 0640, o->cache, &e) < 0)
		open_failed(o, type, path, e);
	if (owner != 0)
		smdb_set_owner(w, owner, (gid_t)-1);
	status = load(o, w);
	if (status == EX_IOERR) {
		smdb_abort(w);
		fprintf(stderr, "%s: %s: not replaced, the old map is unchanged\n", progname,
		        o->mapname);
		return status;
	}
	if (smdb_commit(w, &e) < 0) {
		fprintf(stderr, "%s: close(%s): %s\n", progname, o->mapname, smdb_strerror(e));
		return EX_IOERR;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct opts o = {.cf = DEFAULT_CF, .foldcase = 1, .comment = '#', .cache = 1024 * 1024};
	struct smdb_cf cf;
	struct sm_buf type = SM_BUF_INIT, path = SM_BUF_INIT;
	enum smdb_type t;
	int status;
	const char *slash = strrchr(argv[0], '/');

	progname = slash != NULL ? slash + 1 : argv[0];
	memset(&cf, 0, sizeof(cf));
	parse_args(argc, argv, &o);
	read_cf(&o, &cf, &type);
	if (smdb_type_parse(sm_buf_str(&type), &t) != 0)
		open_failed(&o, sm_buf_str(&type), o.mapname, SMDB_E_TYPE);
	smdb_map_path(o.mapname, t, &path);
	if (o.unmake)
		status = dump(&o, sm_buf_str(&type), sm_buf_str(&path));
	else
		status = build(&o, sm_buf_str(&type), sm_buf_str(&path),
		               geteuid() == 0 ? cf.trusted_uid : 0);
	smdb_cf_free(&cf);
	sm_buf_free(&type);
	sm_buf_free(&path);
	return status;
}
