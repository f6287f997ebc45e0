/*
 * Unit tests for libsm: arena, growable buffer, line reader, atomic write,
 * sysexits names.
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
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_exit.h"
#include "libsm/sm_file.h"

static void test_arena_many_and_large(void **state)
{
	struct sm_arena *a = sm_arena_new();
	char *big;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		char *s = sm_arena_printf(a, "item %d", i);

		assert_int_equal(strncmp(s, "item ", 5), 0);
		assert_true(((uintptr_t)s % 16) == 0);
	}
	big = sm_arena_alloc(a, 1 << 20);
	memset(big, 'x', 1 << 20);
	assert_true(sm_arena_used(a) >= (1u << 20));
	sm_arena_reset(a);
	assert_int_equal(sm_arena_used(a), 0);
	assert_string_equal(sm_arena_memdup(a, "ab\0cd", 5) + 3, "cd");
	sm_arena_free(a);
}

static void test_buf_growth(void **state)
{
	struct sm_buf b = SM_BUF_INIT;

	(void)state;
	assert_string_equal(sm_buf_str(&b), "");
	for (int i = 0; i < 100000; i++)
		sm_buf_putc(&b, 'a' + i % 26);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.data[b.len], '\0');
	sm_buf_truncate(&b, 3);
	sm_buf_printf(&b, "-%d-%s", 42, "x");
	assert_string_equal(sm_buf_str(&b), "abc-42-x");
	sm_buf_reset(&b);
	assert_int_equal(b.len, 0);
	sm_buf_free(&b);
}

static void test_getline_long_and_bounded(void **state)
{
	char path[] = "/tmp/smtestXXXXXX";
	int fd = mkstemp(path);
	FILE *fp;
	struct sm_buf b = SM_BUF_INIT;
	int trunc;

	(void)state;
	assert_true(fd >= 0);
	fp = fdopen(fd, "w+");
	for (int i = 0; i < 50000; i++)
		fputc('q', fp);
	fputs("\nshort\nlast", fp);
	rewind(fp);
	assert_int_equal(sm_getline(fp, &b, 0, &trunc), 1);
	assert_int_equal(b.len, 50000);
	assert_int_equal(trunc, 0);
	assert_int_equal(sm_getline(fp, &b, 3, &trunc), 1);
	assert_string_equal(sm_buf_str(&b), "sho");
	assert_int_equal(trunc, 1);
	assert_int_equal(sm_getline(fp, &b, 0, &trunc), 1);
	assert_string_equal(sm_buf_str(&b), "last");
	assert_int_equal(sm_getline(fp, &b, 0, &trunc), 0);
	fclose(fp);
	unlink(path);
	sm_buf_free(&b);
}

static void test_write_atomic(void **state)
{
	char dir[] = "/tmp/smtestdXXXXXX";
	char path[64];
	struct sm_buf b = SM_BUF_INIT;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(sm_write_atomic(path, "old", 3, 0640), 0);
	assert_int_equal(sm_write_atomic(path, "new!", 4, 0600), 0);
	assert_int_equal(sm_read_file(path, &b), 0);
	assert_string_equal(sm_buf_str(&b), "new!");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* A directory that does not exist: an error, nothing created. */
	assert_int_equal(sm_write_atomic("/nonexistent-dir/f", "x", 1, 0600), -1);
	unlink(path);
	rmdir(dir);
	sm_buf_free(&b);
}

static void test_exit_names(void **state)
{
	(void)state;
	assert_string_equal(sm_exit_name(EX_TEMPFAIL), "TEMPFAIL");
	assert_int_equal(sm_exit_code("nouser"), EX_NOUSER);
	assert_int_equal(sm_exit_code("bogus"), -1);
	assert_null(sm_exit_name(12345));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_many_and_large),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_getline_long_and_bounded),
		cmocka_unit_test(test_write_atomic),
		cmocka_unit_test(test_exit_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
