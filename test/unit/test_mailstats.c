/*
 * Unit tests for mailstats/mstats: the cf scan (StatusFile and mailer
 * names, with the reference's quirks), the file checks, the table format
 * and mstats_update().  The byte-for-byte comparison with the reference
 * mailstats is test/localdelivery/test_mailstats.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailstats/mstats.h"

/* Feed lines to a fresh cf; the caller frees it. */
static void scan(struct mstats_cf *cf, const char *const *lines)
{
	mstats_cf_init(cf);
	for (; *lines != NULL; lines++)
		mstats_cf_line(cf, *lines);
}

static void expect_status_file(const char *line, const char *want)
{
	const char *lines[] = {line, NULL};
	struct mstats_cf cf;

	scan(&cf, lines);
	if (want == NULL) {
		assert_false(cf.have_status_file);
	} else {
		assert_true(cf.have_status_file);
		assert_string_equal(sm_buf_str(&cf.status_file), want);
	}
	mstats_cf_free(&cf);
}

static void test_cf_status_file(void **state)
{
	(void)state;
	expect_status_file("O StatusFile=/var/stats", "/var/stats");
	expect_status_file("O statusfile = /var/stats  ", "/var/stats");
	expect_status_file("O StatusFile\t=   /var/stats # comment", "/var/stats");
	expect_status_file("O StatusFile=/var/stats#x", "/var/stats");
	expect_status_file("O StatusFile=/var/stats x", "/var/stats x");
	expect_status_file("O StatusFile=/var/stats\r", "/var/stats");
	expect_status_file("OS/var/stats  ", "/var/stats");
	expect_status_file("OS /var/stats", " /var/stats");
	expect_status_file("O StatusFile=", "");
	expect_status_file("O  StatusFile=/var/stats", NULL);
	expect_status_file("O\tStatusFile=/var/stats", NULL);
	expect_status_file("O StatusFileX=/var/stats", NULL);
	expect_status_file("O StatusFile", NULL);
	expect_status_file(" O StatusFile=/x", NULL);
	expect_status_file("#O StatusFile=/x", NULL);
}

static void test_cf_last_status_file_wins(void **state)
{
	const char *lines[] = {"O StatusFile=/a", "OS/b", "O StatusFile=/c", NULL};
	struct mstats_cf cf;

	(void)state;
	scan(&cf, lines);
	assert_string_equal(sm_buf_str(&cf.status_file), "/c");
	mstats_cf_free(&cf);
}

static void test_cf_mailers(void **state)
{
	const char *lines[] = {"Msmtp, P=[IPC]",
	                       "Mprog, P=/bin/sh",
	                       "M*file*, P=[FILE]",
	                       "Mlocal, P=x",
	                       "Mlocal, P=y",
	                       " Mcont, P=z",
	                       "Mfoo P=x",
	                       "M\tc,",
	                       "Mbar,P=x",
	                       "M  ,",
	                       "Me",
	                       NULL};
	const char *want[] = {"prog", "*file*", "*include*", "smtp", "local",
	                      "foo",  "",       "bar",       "e"};
	struct mstats_cf cf;

	(void)state;
	scan(&cf, lines);
	assert_int_equal(cf.nnames, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < cf.nnames; i++)
		assert_string_equal(cf.names[i], want[i]);
	mstats_cf_free(&cf);
}

static void test_cf_at_most_25_mailers(void **state)
{
	struct mstats_cf cf;

	(void)state;
	mstats_cf_init(&cf);
	for (int i = 0; i < 40; i++) {
		char line[32];

		snprintf(line, sizeof(line), "Mm%d, P=x", i);
		mstats_cf_line(&cf, line);
	}
	assert_int_equal(cf.nnames, MSTATS_MAXMAILERS);
	assert_string_equal(cf.names[24], "m21");
	assert_true(cf.too_many);
	mstats_cf_free(&cf);
}

/* Write st (n bytes of it) to a temporary file and read it back. */
static enum mstats_status roundtrip(const void *data, size_t n, struct mstats_file *out)
{
	char name[] = "/tmp/test_mailstats.XXXXXX";
	int fd = mkstemp(name);
	enum mstats_status s;

	assert_true(fd >= 0);
	unlink(name);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	lseek(fd, 0, SEEK_SET);
	s = mstats_read(fd, out, 12345);
	close(fd);
	return s;
}

static void test_read_checks(void **state)
{
	struct mstats_file st, back;

	(void)state;
	mstats_init(&st, 1700000000);
	st.stat_nf[3] = 7;
	assert_int_equal(roundtrip(&st, sizeof(st), &back), MSTATS_OK);
	assert_int_equal(back.stat_nf[3], 7);
	assert_int_equal(roundtrip(&st, 0, &back), MSTATS_EMPTY);
	assert_int_equal(back.stat_itime, 12345);
	assert_int_equal(roundtrip(&st, 100, &back), MSTATS_ERR_SIZE);
	/* Three bytes of magic: the version read is 0. */
	assert_int_equal(roundtrip(&st, 3, &back), MSTATS_ERR_VERSION);
	assert_int_equal(back.stat_version, 0);
	st.stat_size = 1000;
	assert_int_equal(roundtrip(&st, sizeof(st), &back), MSTATS_ERR_SIZE);
	st.stat_version = 3;
	assert_int_equal(roundtrip(&st, sizeof(st), &back), MSTATS_ERR_VERSION);
	st.stat_magic = 1;
	assert_int_equal(roundtrip(&st, sizeof(st), &back), MSTATS_ERR_MAGIC);
}

static void test_format_program(void **state)
{
	struct mstats_file st;
	struct sm_buf out = SM_BUF_INIT;
	const char *names[] = {"prog", "*file*", "*include*", "local"};

	(void)state;
	mstats_init(&st, 1700000000);
	st.stat_cf = 5;
	st.stat_ct = 6;
	st.stat_cr = 7;
	st.stat_nf[3] = 1;
	st.stat_bf[3] = 2;
	st.stat_nq[9] = 1;
	st.stat_bf[11] = 5; /* bytes alone do not show a row, nor count */
	mstats_format(&st, names, 4, MSTATS_FMT_PROGRAM, 1800000000, &out);
	assert_string_equal(
	    sm_buf_str(&out),
	    "1700000000 1800000000\n"
	    " 3        1          2        0          0        0       0       0  local\n"
	    " 9        0          0        0          0        0       0       1  \n"
	    " T        1          2        0          0        0       0       1\n"
	    " C        5        6      7\n");
	sm_buf_free(&out);
}

static void test_format_human(void **state)
{
	struct mstats_file st;
	struct sm_buf out = SM_BUF_INIT;
	const char *want_tail =
	    "=====================================================================\n"
	    " T 12345678902          1K        0          0K        0       0  "
	    "12345678\n"
	    " C        0                    0               123456789\n";

	(void)state;
	setenv("TZ", "UTC", 1);
	mstats_init(&st, 1700000000);
	st.stat_nf[3] = 12345678901;
	st.stat_bf[3] = 1;
	st.stat_nf[4] = 1;
	st.stat_nq[4] = 12345678;
	st.stat_cr = 123456789;
	mstats_format(&st, NULL, 0, MSTATS_FMT_NONAMES, 0, &out);
	assert_non_null(strstr(sm_buf_str(&out), "Statistics from Tue Nov 14 22:13:20 2023\n"
	                                         " M   msgsfr  bytes_from   msgsto    bytes_to  "
	                                         "msgsrej msgsdis msgsqur\n"
	                                         " 3 12345678901          1K        0          0K"
	                                         "        0       0       0\n"));
	assert_string_equal(sm_buf_str(&out) + out.len - strlen(want_tail), want_tail);
	sm_buf_free(&out);
}

static void test_update(void **state)
{
	char name[] = "/tmp/test_mailstats_u.XXXXXX";
	int fd = mkstemp(name);
	struct mstats_delta d = {.mailer = 3, .msgs_to = 1, .bytes_to = 1025, .conn_in = 2};
	struct mstats_file st;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	/* Empty file: counting starts now. */
	assert_int_equal(mstats_update(name, &d), 0);
	assert_int_equal(mstats_update(name, &d), 0);
	fd = open(name, O_RDONLY);
	assert_int_equal(mstats_read(fd, &st, 0), MSTATS_OK);
	close(fd);
	assert_int_equal(st.stat_nt[3], 2);
	assert_int_equal(st.stat_bt[3], 4); /* 1025 bytes are 2 KB, twice */
	assert_int_equal(st.stat_cf, 4);
	assert_true(st.stat_itime > 0);
	unlink(name);
	/* No file: nothing to do. */
	assert_int_equal(mstats_update(name, &d), 1);
	assert_int_equal(access(name, F_OK), -1);
	assert_int_equal(mstats_update("", &d), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cf_status_file), cmocka_unit_test(test_cf_last_status_file_wins),
	    cmocka_unit_test(test_cf_mailers),     cmocka_unit_test(test_cf_at_most_25_mailers),
	    cmocka_unit_test(test_read_checks),    cmocka_unit_test(test_format_program),
	    cmocka_unit_test(test_format_human),   cmocka_unit_test(test_update),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
