/*
 * tool_lookup: a test and benchmark helper (not installed).
 *
 *   tool_lookup MAP.db            read keys from stdin, one a line; print
 *                                 "key<TAB>value" or "key<TAB>-" per key;
 *                                 exit 0
 *   tool_lookup -c MAP.db         same, but print only the count found
 *   tool_lookup -l N MAP.db KEY   N times: open the map, look KEY up,
 *                                 close; print each distinct value when
 *                                 first seen, each failure on stderr (at
 *                                 once: the caller may kill the loop), and
 *                                 exit 1 if any open or lookup failed
 *                                 (the torn-read test of test/maps)
 * Keys are looked up exactly as given (no NUL added, no case folding).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "libsmdb/smdb.h"

static int bulk(const char *path, int count_only)
{
	struct sm_buf k = SM_BUF_INIT, v = SM_BUF_INIT;
	struct smdb *db;
	long found = 0;
	int e;

	if (smdb_open(&db, path, &e) < 0) {
		fprintf(stderr, "tool_lookup: %s: %s\n", path, smdb_strerror(e));
		return 2;
	}
	while (sm_getline(stdin, &k, 0, NULL) > 0) {
		int r = smdb_get(db, k.data, k.len, &v);

		found += r > 0;
		if (count_only)
			continue;
		printf("%s\t%s\n", sm_buf_str(&k), r > 0 ? sm_buf_str(&v) : "-");
	}
	if (count_only)
		printf("%ld\n", found);
	smdb_close(db);
	sm_buf_free(&k);
	sm_buf_free(&v);
	return 0;
}

static int loop(long n, const char *path, const char *key)
{
	struct sm_buf v = SM_BUF_INIT, seen = SM_BUF_INIT;
	int bad = 0;
	long i;

	for (i = 0; i < n; i++) {
		struct smdb *db;
		int e, r;

		if (smdb_open(&db, path, &e) < 0) {
			fprintf(stderr, "open failed: %s\n", smdb_strerror(e));
			fflush(stderr);
			bad = 1;
			continue;
		}
		r = smdb_get(db, key, strlen(key), &v);
		smdb_close(db);
		if (r <= 0) {
			fprintf(stderr, "lookup failed (%d)\n", r);
			fflush(stderr);
			bad = 1;
			continue;
		}
		if (strstr(sm_buf_str(&seen), sm_buf_str(&v)) == NULL) {
			sm_buf_puts(&seen, sm_buf_str(&v));
			sm_buf_putc(&seen, '\n');
			printf("%s\n", sm_buf_str(&v));
			fflush(stdout);
		}
	}
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return bulk(argv[1], 0);
	if (argc == 3 && strcmp(argv[1], "-c") == 0)
		return bulk(argv[2], 1);
	if (argc == 5 && strcmp(argv[1], "-l") == 0)
		return loop(atol(argv[2]), argv[3], argv[4]);
	fprintf(stderr, "usage: tool_lookup [-c] MAP.db < keys | -l N MAP.db KEY\n");
	return 64;
}
