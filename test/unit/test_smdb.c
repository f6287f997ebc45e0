/*
 * Unit tests for libsmdb: type names and file names, build/commit/abort,
 * lookups and iteration, duplicates, append, the Berkeley DB refusal, the
 * symlink/hard link checks and the minimal cf scan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "libsmdb/smdb.h"
#include "libsmdb/smdb_cf.h"
#include "test/unit/unit_util.h"

/* A path inside the test directory (static buffer, one at a time per slot). */
static const char *in_dir(const char *name, int slot)
{
	static char buf[4][256];

	snprintf(buf[slot], sizeof(buf[slot]), "%s/%s", unit_dir, name);
	return buf[slot];
}

/* Build a map from NUL-free "k=v" strings; returns 0 on success. */
static int build(const char *path, int flags, const char *const *pairs)
{
	struct smdb_writer *w;
	int e;

	if (smdb_create(&w, path, flags, 0640, 0, &e) < 0)
		return e;
	for (; *pairs != NULL; pairs++) {
		const char *eq = strchr(*pairs, '=');

		assert_non_null(eq);
		assert_true(smdb_put(w, *pairs, (size_t)(eq - *pairs), eq + 1, strlen(eq + 1),
		                     SMDB_REPLACE) == 0);
	}
	return smdb_commit(w, &e) == 0 ? 0 : e;
}

static void want_value(const char *path, const char *key, const char *want)
{
	struct sm_buf v = SM_BUF_INIT;
	struct smdb *db;
	int e;

	assert_int_equal(smdb_open(&db, path, &e), 0);
	if (want == NULL) {
		assert_int_equal(smdb_get(db, key, strlen(key), &v), 0);
	} else {
		assert_int_equal(smdb_get(db, key, strlen(key), &v), 1);
		assert_int_equal(v.len, strlen(want));
		assert_memory_equal(v.data, want, v.len);
	}
	smdb_close(db);
	sm_buf_free(&v);
}

static void test_names(void **state)
{
	struct sm_buf b = SM_BUF_INIT;
	enum smdb_type t;

	(void)state;
	assert_int_equal(smdb_type_parse("hash", &t), 0);
	assert_int_equal(t, SMDB_HASH);
	assert_int_equal(smdb_type_parse("implicit", &t), 0);
	assert_int_equal(t, SMDB_HASH);
	assert_int_equal(smdb_type_parse("btree", &t), 0);
	assert_int_equal(t, SMDB_BTREE);
	assert_int_equal(smdb_type_parse("dbm", &t), 0);
	assert_int_equal(smdb_type_parse("cdb", &t), SMDB_E_TYPE);
	assert_int_equal(smdb_type_parse("HASH", &t), SMDB_E_TYPE);
	smdb_map_path("/etc/mail/access", SMDB_HASH, &b);
	assert_string_equal(sm_buf_str(&b), "/etc/mail/access.db");
	smdb_map_path("x.db", SMDB_DBM, &b);
	assert_string_equal(sm_buf_str(&b), "x.db");
	smdb_map_path("x.txt", SMDB_BTREE, &b);
	assert_string_equal(sm_buf_str(&b), "x.txt.db");
	sm_buf_free(&b);
}

static void test_build_lookup_iterate(void **state)
{
	static const char *const pairs[] = {"alpha=1", "beta=two words", "gamma=", NULL};
	struct sm_buf k = SM_BUF_INIT, v = SM_BUF_INIT;
	const char *path = in_dir("m1.db", 0);
	struct smdb *db;
	int e, r, n = 0;

	(void)state;
	assert_int_equal(build(path, 0, pairs), 0);
	want_value(path, "beta", "two words");
	want_value(path, "gamma", "");
	want_value(path, "delta", NULL);
	want_value(path, "Alpha", NULL); /* no folding in the layer */
	assert_int_equal(smdb_open(&db, path, &e), 0);
	assert_int_equal(smdb_exists(db, "alpha", 5), 1);
	assert_int_equal(smdb_exists(db, "alph", 4), 0);
	for (r = smdb_first(db, &k, &v); r > 0; r = smdb_next(db, &k, &v))
		n++;
	assert_int_equal(r, 0);
	assert_int_equal(n, 3);
	smdb_close(db);
	sm_buf_free(&k);
	sm_buf_free(&v);
}

static void test_insert_replace_nul_empty(void **state)
{
	struct smdb_writer *w;
	struct sm_buf v = SM_BUF_INIT;
	const char *path = in_dir("m2.db", 0);
	struct smdb *db;
	int e;

	(void)state;
	assert_int_equal(smdb_create(&w, path, 0, 0600, 1 << 20, &e), 0);
	assert_int_equal(smdb_put(w, "k", 1, "first", 5, SMDB_INSERT), 0);
	assert_int_equal(smdb_put(w, "k", 1, "second", 6, SMDB_INSERT), 1);
	assert_int_equal(smdb_wget(w, "k", 1, &v), 1);
	assert_memory_equal(v.data, "first", 5);
	assert_int_equal(smdb_put(w, "k", 1, "third", 5, SMDB_REPLACE), 0);
	assert_int_equal(smdb_put(w, "n\0", 2, "v\0", 2, SMDB_INSERT), 0);
	assert_int_equal(smdb_put(w, "", 0, "empty key", 9, SMDB_INSERT), 0);
	assert_int_equal(smdb_put(w, "gone", 4, "x", 1, SMDB_INSERT), 0);
	assert_int_equal(smdb_delete(w, "gone", 4), 0);
	assert_int_equal(smdb_delete(w, "gone", 4), 1);
	assert_int_equal(smdb_commit(w, &e), 0);
	want_value(path, "k", "third");
	want_value(path, "", "empty key");
	want_value(path, "n", NULL); /* stored with its NUL only */
	assert_int_equal(smdb_open(&db, path, &e), 0);
	assert_int_equal(smdb_get(db, "n\0", 2, &v), 1);
	assert_int_equal(v.len, 2);
	smdb_close(db);
	sm_buf_free(&v);
}

static void test_abort_keeps_old_and_append(void **state)
{
	static const char *const old[] = {"a=1", "b=2", NULL};
	static const char *const add[] = {"c=3", "a=9", NULL};
	const char *path = in_dir("m3.db", 0);
	struct smdb_writer *w;
	struct stat st;
	int e;

	(void)state;
	assert_int_equal(build(path, 0, old), 0);
	assert_int_equal(smdb_create(&w, path, 0, 0640, 0, &e), 0);
	assert_int_equal(smdb_put(w, "z", 1, "26", 2, SMDB_INSERT), 0);
	smdb_abort(w);
	want_value(path, "a", "1");
	want_value(path, "z", NULL);
	assert_int_equal(build(path, SMDB_C_APPEND, add), 0);
	want_value(path, "a", "9");
	want_value(path, "b", "2");
	want_value(path, "c", "3");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* APPEND to a missing map fails unless CREATE */
	assert_int_equal(build(in_dir("none.db", 1), SMDB_C_APPEND, add), ENOENT);
	assert_int_equal(build(in_dir("none.db", 1), SMDB_C_APPEND | SMDB_C_CREATE, add), 0);
	want_value(in_dir("none.db", 1), "c", "3");
}

/* Write a 4 KB file with a Berkeley DB magic at offset 12. */
static void write_bdb(const char *path, uint32_t magic, int big_endian)
{
	unsigned char page[4096] = {0};
	FILE *fp = fopen(path, "w");
	int i;

	for (i = 0; i < 4; i++)
		page[12 + i] = (unsigned char)(magic >> (big_endian ? 24 - 8 * i : 8 * i));
	assert_non_null(fp);
	assert_int_equal(fwrite(page, 1, sizeof(page), fp), sizeof(page));
	fclose(fp);
}

static void test_berkeley_refused(void **state)
{
	const char *path = in_dir("old.db", 0);
	struct sm_buf msg = SM_BUF_INIT;
	struct smdb_writer *w;
	struct smdb *db;
	int e, btree = -1;

	(void)state;
	write_bdb(path, 0x061561, 0);
	assert_int_equal(smdb_is_berkeley(path, &btree), 1);
	assert_int_equal(btree, 0);
	assert_int_equal(smdb_open(&db, path, &e), -1);
	assert_int_equal(e, SMDB_E_BERKELEY);
	smdb_error_text(e, path, &msg);
	assert_non_null(strstr(sm_buf_str(&msg), "makemap hash "));
	assert_non_null(strstr(sm_buf_str(&msg), "/old < "));
	assert_int_equal(smdb_create(&w, path, SMDB_C_APPEND, 0640, 0, &e), -1);
	assert_int_equal(e, SMDB_E_BERKELEY);
	write_bdb(path, 0x053162, 1);
	assert_int_equal(smdb_is_berkeley(path, &btree), 1);
	assert_int_equal(btree, 1);
	smdb_error_text(SMDB_E_BERKELEY, path, &msg);
	assert_non_null(strstr(sm_buf_str(&msg), "makemap btree "));
	/* plain garbage is "not a database", not Berkeley */
	write_bdb(path, 0x12345678, 0);
	assert_int_equal(smdb_is_berkeley(path, NULL), 0);
	assert_int_equal(smdb_open(&db, path, &e), -1);
	assert_int_equal(e, SMDB_E_NOTDB);
	assert_int_equal(smdb_open(&db, in_dir("missing.db", 1), &e), -1);
	assert_int_equal(e, ENOENT);
	sm_buf_free(&msg);
}

static void test_link_checks(void **state)
{
	static const char *const pairs[] = {"k=v", NULL};
	static const char *const pairs2[] = {"k=w", NULL};
	const char *target = in_dir("target.db", 0);
	const char *lnk = in_dir("link.db", 1);
	const char *hard = in_dir("hard.db", 2);
	struct stat st;

	(void)state;
	assert_int_equal(build(target, 0, pairs), 0);
	assert_int_equal(symlink("target.db", lnk), 0);
	assert_int_equal(build(lnk, 0, pairs2), SMDB_E_SYMLINK);
	assert_int_equal(build(lnk, SMDB_C_NOSAFE, pairs2), 0);
	assert_int_equal(lstat(lnk, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* the link survives */
	want_value(target, "k", "w");
	assert_int_equal(link(target, hard), 0);
	assert_int_equal(build(hard, 0, pairs), SMDB_E_HARDLINK);
}

static void test_cf_scan(void **state)
{
	const char *cf = in_dir("t.cf", 0);
	FILE *fp = fopen(cf, "w");
	struct smdb_cf c;

	(void)state;
	assert_non_null(fp);
	fputs("# comment\nO TrustedUser=4242\n"
	      "O AliasFile=/etc/mail/aliases, hash:-A /x/more,\"q,uoted\"\n"
	      "Kaccess hash -T<TMPF> -o /etc/mail/access\n"
	      "Kmailertable btree /etc/mail/mailertable.db\n",
	      fp);
	fclose(fp);
	assert_int_equal(smdb_cf_read(cf, "/tmp/access", 0, &c), 0);
	assert_int_equal(c.trusted_uid, 4242);
	assert_int_equal(c.n_alias_specs, 3);
	assert_string_equal(c.alias_specs[0], "/etc/mail/aliases");
	assert_string_equal(c.alias_specs[1], "hash:-A /x/more");
	assert_string_equal(c.alias_specs[2], "\"q,uoted\"");
	assert_string_equal(sm_buf_str(&c.map_class), "hash");
	smdb_cf_free(&c);
	assert_int_equal(smdb_cf_read(cf, "/etc/mail/mailertable.db", 1, &c), 0);
	assert_string_equal(sm_buf_str(&c.map_class), "btree");
	smdb_cf_free(&c);
	assert_int_equal(smdb_cf_read(cf, "/other/access", 1, &c), 0);
	assert_int_equal(c.map_class.len, 0);
	smdb_cf_free(&c);
	assert_int_equal(smdb_cf_read(in_dir("nope.cf", 1), NULL, 0, &c), ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_build_lookup_iterate),
	    cmocka_unit_test(test_insert_replace_nul_empty),
	    cmocka_unit_test(test_abort_keeps_old_and_append),
	    cmocka_unit_test(test_berkeley_refused),
	    cmocka_unit_test(test_link_checks),
	    cmocka_unit_test(test_cf_scan),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
