/*
 * tool_lookup: a test and benchmark helper (not installed).
 *
 *   tool_lookup MAP.db            read keys from stdin, one a line; print
 *                                 "key<TAB>value" or "key<TAB>-" per key;
 *                                 exit 0
 *   tool_lookup -c MAP.db         same, but print only the count found and
 *                                 the time the lookups took, in ns
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
#include <time.h>

#include "libsm/sm_buf.h"
#include "libsm/sm_file.h"
#include "libsmdb/smdb.h"

/* Look up every line of stdin (read whole, so reading costs little). */
static int bulk(const char *path, int count_only)
{
	struct sm_buf in = SM_BUF_INIT, v = SM_BUF_INIT;
	struct smdb *db;
	long found = 0;
	size_t pos = 0;
	struct timespec t0, t1;
	int e;

	if (smdb_open(&db, path, &e) < 0) {
		fprintf(stderr, "tool_lookup: %s: %s\n", path, smdb_strerror(e));
		return 2;
	}
	if (sm_read_file("/dev/stdin", &in) < 0) {
		perror("tool_lookup: stdin");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (pos < in.len) {
		char *k = in.data + pos;
		char *nl = memchr(k, '\n', in.len - pos);
		size_t klen = nl != NULL ? (size_t)(nl - k) : in.len - pos;
		int r = smdb_get(db, k, klen, &v);

		pos += klen + 1;
		found += r > 0;
		if (!count_only)
			printf("%.*s\t%s\n", (int)klen, k, r > 0 ? sm_buf_str(&v) : "-");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (count_only)
		printf("%ld %lld\n", found,
		       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
		           (t1.tv_nsec - t0.tv_nsec));
	smdb_close(db);
	sm_buf_free(&in);
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
