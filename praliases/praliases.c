/*
 * praliases: print the alias databases.
 *
 *   praliases [-C file] [-f aliasfile] [key ...]
 *
 * With -f, reads aliasfile ("[type:]path", the database being path.db);
 * otherwise every AliasFile entry of the cf (-C, default
 * /etc/mail/sendmail.cf; found by a minimal scan, libsmdb/smdb_cf.h).
 * Without keys, prints every entry as "key:value", the "@:@" completion
 * marker included, in database order; with keys, prints each one's entry
 * (looked up as given, then with a trailing NUL, as aliases are stored)
 * or "key: No such key".  Output and messages follow Sendmail 8.17's
 * praliases, which exits 0 even when a database cannot be opened; only a
 * missing cf (EX_NOINPUT) or a bad option (EX_USAGE) fail.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_mem.h"
#include "libsmdb/smdb.h"
#include "libsmdb/smdb_cf.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"

/* Print "key:value", each up to its first NUL as "%.*s" would. */
static void print_pair(const char *k, size_t kl, const struct sm_buf *v)
{
	fwrite(k, 1, strnlen(k, kl), stdout);
	putchar(':');
	fwrite(sm_buf_str(v), 1, strnlen(sm_buf_str(v), v->len), stdout);
	putchar('\n');
}

static void list_all(struct smdb *db)
{
	struct sm_buf k = SM_BUF_INIT, v = SM_BUF_INIT;
	int r;

	for (r = smdb_first(db, &k, &v); r > 0; r = smdb_next(db, &k, &v))
		print_pair(sm_buf_str(&k), k.len, &v);
	sm_buf_free(&k);
	sm_buf_free(&v);
}

static void list_keys(struct smdb *db, int argc, char **argv)
{
	struct sm_buf v = SM_BUF_INIT;
	int i;

	for (i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (smdb_get(db, argv[i], n, &v) > 0 || smdb_get(db, argv[i], n + 1, &v) > 0)
			print_pair(argv[i], n + 1, &v);
		else
			printf("%s: No such key\n", argv[i]);
	}
	sm_buf_free(&v);
}

/* Split "type:name" and drop leading "-flag" words of the name. */
static const char *split_spec(char *spec, const char **type)
{
	char *colon = strchr(spec, ':');
	char *name = spec;

	*type = NULL;
	if (colon != NULL) {
		*colon = '\0';
		*type = spec;
		name = colon + 1;
	}
	for (;;) {
		while (isspace((unsigned char)*name))
			name++;
		if (*name != '-')
			break;
		while (*name != '\0' && !isspace((unsigned char)*name))
			name++;
	}
	return name;
}

/* One alias database spec. */
static void praliases(const char *spec_in, int argc, char **argv)
{
	char *spec = sm_strdup(spec_in);
	const char *type, *name = split_spec(spec, &type);
	struct sm_buf path = SM_BUF_INIT, msg = SM_BUF_INIT;
	struct smdb *db;
	enum smdb_type t = SMDB_HASH;
	int e;

	if (type != NULL && *type != '\0' && smdb_type_parse(type, &t) != 0) {
		fprintf(stderr, "praliases: Skipping non-file based alias type %s\n", type);
	} else if (*name == '\0' || (type != NULL && *type == '\0')) {
		fprintf(stderr, "praliases: illegal alias specification: %s\n", spec_in);
	} else {
		smdb_map_path(name, t, &path);
		if (smdb_open(&db, sm_buf_str(&path), &e) < 0) {
			/* Sendmail's default type probe reports a missing file so. */
			if (type == NULL && e == ENOENT)
				e = SMDB_E_NOTDB;
			if (e == SMDB_E_BERKELEY)
				sm_buf_printf(&msg,
				              "%s is a Berkeley DB file from the old Sendmail; "
				              "rebuild it with: newaliases",
				              sm_buf_str(&path));
			else
				smdb_error_text(e, sm_buf_str(&path), &msg);
			fprintf(stderr, "praliases: %s: open: %s\n", name, sm_buf_str(&msg));
		} else {
			if (argc == 0)
				list_all(db);
			else
				list_keys(db, argc, argv);
			smdb_close(db);
		}
	}
	sm_buf_free(&path);
	sm_buf_free(&msg);
	free(spec);
}

int main(int argc, char **argv)
{
	const char *cfile = DEFAULT_CF, *file = NULL;
	struct smdb_cf cf;
	size_t i;
	int c, e;

	while ((c = getopt(argc, argv, "C:f:")) != -1) {
		switch (c) {
		case 'C':
			cfile = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		default:
			fprintf(stderr, "usage: praliases [-C cffile] [-f aliasfile] [key ...]\n");
			exit(EX_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (file != NULL) {
		praliases(file, argc, argv);
		return EX_OK;
	}
	if ((e = smdb_cf_read(cfile, NULL, 0, &cf)) != 0) {
		fprintf(stderr, "praliases: %s: %s\n", cfile, strerror(e));
		return EX_NOINPUT;
	}
	for (i = 0; i < cf.n_alias_specs; i++)
		praliases(cf.alias_specs[i], argc, argv);
	smdb_cf_free(&cf);
	return fflush(stdout) == 0 ? EX_OK : EX_IOERR;
}
