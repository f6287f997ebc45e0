/*
 * bdb_lookup: benchmark helper (not part of the product, never linked into
 * it): the reference side of test/bench/map_bench.py's lookup test.
 *
 *   bdb_lookup FILE.db < keys     look each line up in a Berkeley DB file
 *                                 (hash or btree, as the reference's
 *                                 makemap writes them) and print the
 *                                 number found and the time the lookups
 *                                 took in ns (keys read first, as
 *                                 tool_lookup -c does)
 *
 * Opened the way Sendmail 8.17 opens a map: DB->open read-only, type
 * DB_UNKNOWN, the library's default cache; keys without a NUL.  Compiled
 * by the benchmark only when <db.h> (libdb5.3-dev) is installed.
 */
#include <db.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv)
{
	DB *db;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long found = 0;
	char **keys = NULL;
	size_t nkeys = 0, i;
	struct timespec t0, t1;

	if (argc != 2 || db_create(&db, NULL, 0) != 0)
		return 64;
	if (db->open(db, NULL, argv[1], NULL, DB_UNKNOWN, DB_RDONLY, 0) != 0) {
		fprintf(stderr, "bdb_lookup: cannot open %s\n", argv[1]);
		return 66;
	}
	while ((n = getline(&line, &cap, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		char **more = realloc(keys, (nkeys + 1) * sizeof(*keys));

		if (more == NULL)
			return 71;
		keys = more;
		keys[nkeys++] = strdup(line);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < nkeys; i++) {
		DBT k, v;

		memset(&k, 0, sizeof(k));
		memset(&v, 0, sizeof(v));
		k.data = keys[i];
		k.size = (u_int32_t)strlen(keys[i]);
		if (db->get(db, NULL, &k, &v, 0) == 0)
			found++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld %lld\n", found,
	       (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec));
	free(line);
	db->close(db, 0);
	return 0;
}
