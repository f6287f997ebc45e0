/*
 * test_map_db: unit tests of the database map classes (sendmail/map/
 * map_db.c) over libsmdb: hash, btree, dbm and implicit maps built with
 * the smdb writer in a private directory, then declared from K-line text
 * and looked up as -bt and the rules engine do.
 *
 * Covers the NUL rules (-N, -O, adaptive and remembered), case folding
 * (-f), -m, -a, %0/%1 substitution, the 256-byte key cut, re-opening
 * after a rebuild, and the open messages (missing, unsafe, directory,
 * not a database, Berkeley DB file) with the exit status they leave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsmdb/smdb.h"
#include "sendmail/cf/config.h"
#include "sendmail/map/map.h"
#include "test/unit/unit_util.h"

static struct unit_map_fx F;

/*
 * Build map name.db from "key\tvalue\n" pairs in text; nul adds the
 * trailing NUL to the keys (makemap -N).
 */
static void build(const char *name, const char *text, int nul)
{
	struct smdb_writer *w;
	int err;
	const char *p = text;

	assert_int_equal(
	    smdb_create(&w, fx_path(sm_arena_printf(F.a, "%s.db", name)), 0, 0640, 0, &err), 0);
	while (*p != '\0') {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		assert_non_null(tab);
		assert_non_null(nl);
		char *key = sm_arena_memdup(F.a, p, (size_t)(tab - p)); /* NUL-terminated */
		assert_int_equal(smdb_put(w, key, (size_t)(tab - p) + (nul ? 1 : 0), tab + 1,
		                          (size_t)(nl - tab - 1), SMDB_REPLACE),
		                 0);
		p = nl + 1;
	}
	assert_int_equal(smdb_commit(w, &err), 0);
}

static int setup(void **state)
{
	unit_map_fx_open(&F);
	build("m", "foo\tbar\nbaz\tqux quux\npct\t[%0|%1|%%|%x]\n", 0);
	build("n", "foo\tbar-nul\nbaz\tqux-nul\n", 1);
	build("cased", "MiXed\tcased-value\nlower\tlower-value\n", 0);
	return 0;
}

static int teardown(void **state)
{
	unit_map_fx_close(&F);
	return 0;
}

/* Declare "K" + text (with %s = the test directory) at cf line 9. */
static int declare(const char *fmt)
{
	const char *text = sm_arena_printf(F.a, fmt, F.dir);

	return map_declare(F.r, &F.cf, text, "x.cf", 9);
}

static const char *lookup(const char *name, const char *key, const char *arg, enum map_status *st)
{
	char *res = NULL;
	const char *args[1] = {arg};
	struct map *m = map_find(F.r, name);

	assert_non_null(m);
	*st = map_lookup(m, &F.ctx, key, args, arg ? 1 : 0, &res);
	return res;
}

static void test_hash_found_and_folded(void **state)
{
	assert_int_equal(declare("h hash %s/m"), 0);
	assert_string_equal(fx_bt("h", "foo"), "map_lookup: h (foo) returns bar (0)\n");
	assert_string_equal(fx_bt("h", "FoO"), "map_lookup: h (FoO) returns bar (0)\n");
	assert_string_equal(fx_bt("h", "nokey"), "map_lookup: h (nokey) no match (0)\n");
	assert_string_equal(fx_bt("h", "PCT"), "map_lookup: h (PCT) returns [PCT||%|%x] (0)\n");
	assert_int_equal(map_exit_status(F.r), 0);
}

static void test_hash_args_and_quotes(void **state)
{
	enum map_status st;

	assert_int_equal(declare("h hash %s/m"), 0);
	assert_int_equal(declare("q hash -q %s/m"), 0);
	assert_string_equal(lookup("h", "pct", "A1", &st), "[pct|A1|%|%x]");
	assert_int_equal(st, MAP_FOUND);
	assert_string_equal(lookup("h", "\"foo\"", NULL, &st), "bar");
	assert_null(lookup("q", "\"foo\"", NULL, &st));
	assert_int_equal(st, MAP_NOTFOUND);
}

static void test_nul_rules(void **state)
{
	assert_int_equal(declare("m0 hash %s/m"), 0);
	assert_int_equal(declare("mN hash -N %s/m"), 0);
	assert_int_equal(declare("mO hash -O %s/m"), 0);
	assert_int_equal(declare("n0 hash %s/n"), 0);
	assert_int_equal(declare("nN hash -N %s/n"), 0);
	assert_int_equal(declare("nO hash -O %s/n"), 0);
	assert_string_equal(fx_bt("mN", "foo"), "map_lookup: mN (foo) no match (0)\n");
	assert_string_equal(fx_bt("mO", "foo"), "map_lookup: mO (foo) returns bar (0)\n");
	assert_string_equal(fx_bt("nN", "foo"), "map_lookup: nN (foo) returns bar-nul (0)\n");
	assert_string_equal(fx_bt("nO", "foo"), "map_lookup: nO (foo) no match (0)\n");
	assert_string_equal(fx_bt("n0", "baz"), "map_lookup: n0 (baz) returns qux-nul (0)\n");
	assert_string_equal(fx_bt("m0", "baz"), "map_lookup: m0 (baz) returns qux quux (0)\n");
}

static void test_nul_mode_remembered(void **state)
{
	struct smdb_writer *w;
	int err;

	/* "a" stored without its NUL, "b" with it. */
	assert_int_equal(smdb_create(&w, fx_path("mix.db"), 0, 0640, 0, &err), 0);
	assert_int_equal(smdb_put(w, "a", 1, "plain", 5, SMDB_INSERT), 0);
	assert_int_equal(smdb_put(w, "b", 2, "withnul", 7, SMDB_INSERT), 0);
	assert_int_equal(smdb_commit(w, &err), 0);
	assert_int_equal(declare("x hash %s/mix"), 0);
	assert_int_equal(declare("y hash %s/mix"), 0);
	assert_string_equal(fx_bt("x", "a"), "map_lookup: x (a) returns plain (0)\n");
	assert_string_equal(fx_bt("x", "b"), "map_lookup: x (b) no match (0)\n");
	assert_string_equal(fx_bt("y", "b"), "map_lookup: y (b) returns withnul (0)\n");
	assert_string_equal(fx_bt("y", "a"), "map_lookup: y (a) no match (0)\n");
}

static void test_fold_match_append(void **state)
{
	assert_int_equal(declare("f hash -f %s/cased"), 0);
	assert_int_equal(declare("l hash %s/cased"), 0);
	assert_int_equal(declare("m hash -m -a.OK %s/m"), 0);
	assert_int_equal(declare("a btree -a<A> %s/m"), 0);
	assert_int_equal(declare("d dbm %s/m"), 0);
	assert_string_equal(fx_bt("f", "MiXed"), "map_lookup: f (MiXed) returns cased-value (0)\n");
	assert_string_equal(fx_bt("f", "mixed"), "map_lookup: f (mixed) no match (0)\n");
	assert_string_equal(fx_bt("l", "MiXed"), "map_lookup: l (MiXed) no match (0)\n");
	assert_string_equal(fx_bt("l", "LOWER"), "map_lookup: l (LOWER) returns lower-value (0)\n");
	assert_string_equal(fx_bt("m", "FOO"), "map_lookup: m (FOO) returns FOO.OK (0)\n");
	assert_string_equal(fx_bt("a", "baz"), "map_lookup: a (baz) returns qux quux<A> (0)\n");
	assert_string_equal(fx_bt("d", "foo"), "map_lookup: d (foo) returns bar (0)\n");
}

static void test_long_key_cut(void **state)
{
	char key[301], text[400];

	memset(key, 'k', 300);
	key[300] = '\0';
	snprintf(text, sizeof(text), "%.256s\tlong\n", key);
	build("long", text, 0);
	assert_int_equal(declare("l hash %s/long"), 0);
	assert_string_equal(fx_bt("l", key),
	                    sm_arena_printf(F.a, "map_lookup: l (%s) returns long (0)\n", key));
	key[255] = '\0';
	assert_string_equal(fx_bt("l", key),
	                    sm_arena_printf(F.a, "map_lookup: l (%s) no match (0)\n", key));
}

static void test_reopen_after_rebuild(void **state)
{
	assert_int_equal(declare("h hash %s/m"), 0);
	assert_string_equal(fx_bt("h", "foo"), "map_lookup: h (foo) returns bar (0)\n");
	build("m", "foo\tnew-bar\n", 0);
	assert_string_equal(fx_bt("h", "foo"), "map_lookup: h (foo) returns new-bar (0)\n");
	assert_string_equal(fx_bt("h", "baz"), "map_lookup: h (baz) no match (0)\n");
	/* A removed file: keep answering from the open one. */
	assert_int_equal(unlink(fx_path("m.db")), 0);
	assert_string_equal(fx_bt("h", "foo"), "map_lookup: h (foo) returns new-bar (0)\n");
	/* A broken replacement: keep the old one too. */
	FILE *fp = fopen(fx_path("m.db"), "w");
	fputs("not a database\n", fp);
	fclose(fp);
	assert_string_equal(fx_bt("h", "foo"), "map_lookup: h (foo) returns new-bar (0)\n");
	assert_string_equal(fx_output(), "");
}

static void test_missing(void **state)
{
	enum map_status st;

	assert_int_equal(declare("h hash -T<T> %s/nosuch"), 0);
	assert_int_equal(declare("o hash -o %s/nosuch"), 0);
	assert_string_equal(fx_bt("o", "x"), "Map named \"o\" not open\n");
	assert_int_equal(map_exit_status(F.r), 0);
	assert_string_equal(
	    fx_bt("h", "x"),
	    sm_arena_printf(
	        F.a,
	        "hash map \"h\": missing map file %s/nosuch.db: No such file or directory\n"
	        "map_lookup: h (x) no match (75)\n",
	        F.dir));
	assert_int_equal(map_exit_status(F.r), EX_OSERR);
	assert_string_equal(lookup("h", "x", NULL, &st), "x<T>");
	assert_int_equal(st, MAP_TEMPFAIL);
	assert_null(lookup("o", "x", NULL, &st));
	assert_int_equal(st, MAP_UNAVAIL);
}

static void test_unsafe_and_directory(void **state)
{
	assert_int_equal(chmod(fx_path("m.db"), 0044), 0);
	assert_int_equal(mkdir(fx_path("dir.db"), 0755), 0);
	assert_int_equal(declare("h hash %s/m"), 0);
	assert_int_equal(declare("d hash %s/dir"), 0);
	assert_int_equal(declare("ho hash -o %s/m"), 0);
	assert_string_equal(
	    fx_bt("h", "x"),
	    sm_arena_printf(F.a,
	                    "hash map \"h\": unsafe map file %s/m.db: Permission denied\n"
	                    "map_lookup: h (x) no match (75)\n",
	                    F.dir));
	assert_string_equal(
	    fx_bt("d", "x"),
	    sm_arena_printf(F.a,
	                    "hash map \"d\": unsafe map file %s/dir.db: Regular files only\n"
	                    "map_lookup: d (x) no match (75)\n",
	                    F.dir));
	assert_string_equal(fx_bt("ho", "x"), "Map named \"ho\" not open\n");
	assert_int_equal(map_exit_status(F.r), EX_OSERR);
}

static void test_not_a_database(void **state)
{
	FILE *fp = fopen(fx_path("junk.db"), "w");

	fputs("this is text, not a map\n", fp);
	fclose(fp);
	fclose(fopen(fx_path("empty.db"), "w"));
	assert_int_equal(declare("j hash %s/junk"), 0);
	assert_int_equal(declare("e btree %s/empty"), 0);
	assert_string_equal(
	    fx_bt("j", "x"),
	    sm_arena_printf(F.a,
	                    "Cannot open hash database %s/junk.db: Invalid argument\n"
	                    "map_lookup: j (x) no match (75)\n",
	                    F.dir));
	assert_string_equal(
	    fx_bt("e", "x"),
	    sm_arena_printf(F.a,
	                    "Cannot open btree database %s/empty.db: Invalid argument\n"
	                    "map_lookup: e (x) no match (75)\n",
	                    F.dir));
	assert_int_equal(map_exit_status(F.r), EX_OSERR);
}

static void test_berkeley_file(void **state)
{
	/* The first page of a Berkeley DB hash file: magic 0x061561 at offset 12. */
	unsigned char page[512] = {0};
	FILE *fp = fopen(fx_path("old.db"), "w");

	page[12] = 0x61;
	page[13] = 0x15;
	page[14] = 0x06;
	fwrite(page, 1, sizeof(page), fp);
	fclose(fp);
	assert_int_equal(declare("old hash %s/old"), 0);
	assert_string_equal(
	    fx_bt("old", "x"),
	    sm_arena_printf(
	        F.a,
	        "hash map \"old\": %s/old.db is a Berkeley DB hash file from the old Sendmail; "
	        "rebuild it with: makemap hash %s/old < %s/old\n"
	        "map_lookup: old (x) no match (75)\n",
	        F.dir, F.dir, F.dir));
}

static void test_implicit(void **state)
{
	assert_int_equal(declare("i implicit %s/m"), 0);
	assert_int_equal(declare("im implicit %s/nosuch"), 0);
	assert_string_equal(fx_bt("i", "foo"), "map_lookup: i (foo) returns bar (0)\n");
	assert_string_equal(fx_bt("im", "foo"), "map_lookup: im (foo) no match (75)\n");
	assert_int_equal(map_exit_status(F.r), 0);
}

static void test_redeclare_keeps_settings(void **state)
{
	assert_int_equal(declare("r hash -a<R> -m %s/m"), 0);
	assert_int_equal(declare("R hash %s/m"), 0);
	assert_string_equal(fx_bt("r", "foo"), "map_lookup: r (foo) returns foo<R> (0)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_hash_found_and_folded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hash_args_and_quotes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_mode_remembered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fold_match_append, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_long_key_cut, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reopen_after_rebuild, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unsafe_and_directory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_berkeley_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_implicit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_redeclare_keeps_settings, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
