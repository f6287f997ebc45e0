/*
 * Unit tests for mail.local's parsers (ml_parse.c): LMTP command words,
 * MAIL/RCPT paths, recipient reduction and user-name safety.  The rules
 * were observed on Sendmail 8.17's mail.local; whole-program behaviour
 * is tested by test/localdelivery/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "mail.local/ml.h"

static void expect_cmd(const char *line, enum ml_cmd want, const char *want_arg)
{
	const char *arg;

	assert_int_equal(ml_parse_cmd(line, &arg), want);
	if (want_arg != NULL)
		assert_string_equal(arg, want_arg);
}

static void test_commands(void **state)
{
	(void)state;
	expect_cmd("LHLO x", ML_CMD_LHLO, "x");
	expect_cmd("lhlo  a b", ML_CMD_LHLO, " a b");
	expect_cmd("LHLO ", ML_CMD_LHLO, "");
	expect_cmd("LHLO", ML_CMD_BAD, NULL);
	expect_cmd("mail From:<a>", ML_CMD_MAIL, "From:<a>");
	expect_cmd("MAIL", ML_CMD_BAD, NULL);
	expect_cmd("MAILFROM:<a>", ML_CMD_BAD, NULL);
	expect_cmd("RCPT x", ML_CMD_RCPT, "x");
	expect_cmd("RCPTTO:<a>", ML_CMD_BAD, NULL);
	expect_cmd("VRFY root", ML_CMD_VRFY, "root");
	expect_cmd("VRFY", ML_CMD_BAD, NULL);
	expect_cmd("data", ML_CMD_DATA, NULL);
	expect_cmd("DATA x", ML_CMD_BAD, NULL);
	expect_cmd("RSET", ML_CMD_RSET, NULL);
	expect_cmd("NOOP x", ML_CMD_BAD, NULL);
	expect_cmd("Quit", ML_CMD_QUIT, NULL);
	expect_cmd("HELO x", ML_CMD_BAD, NULL);
	expect_cmd("EHLO x", ML_CMD_BAD, NULL);
	expect_cmd("", ML_CMD_BAD, NULL);
	expect_cmd(" ", ML_CMD_BAD, NULL);
}

static void expect_path(const char *arg, const char *prefix, const char *want)
{
	struct sm_buf addr = SM_BUF_INIT;

	if (want == NULL) {
		assert_int_equal(ml_parse_path(arg, prefix, &addr), -1);
	} else {
		assert_int_equal(ml_parse_path(arg, prefix, &addr), 0);
		assert_string_equal(sm_buf_str(&addr), want);
	}
	sm_buf_free(&addr);
}

static void test_paths(void **state)
{
	(void)state;
	expect_path("FROM:<a@b>", "FROM:", "a@b");
	expect_path("from:<>", "FROM:", "");
	expect_path("FROM:<\"x y\"@b> SIZE=5 BODY=8BITMIME", "FROM:", "\"x y\"@b");
	expect_path("FROM:a@b", "FROM:", NULL);
	expect_path("FROM: <a@b>", "FROM:", NULL);
	expect_path("FROM:<a@b", "FROM:", NULL);
	expect_path("FROM:<a>x", "FROM:", NULL);
	expect_path("FROM:", "FROM:", NULL);
	expect_path("x", "FROM:", NULL);
	expect_path("TO:<root> NOTIFY=NEVER", "TO:", "root");
	expect_path("To:<@x,@y:root@z>", "TO:", "@x,@y:root@z");
	expect_path("TO:root", "TO:", NULL);
}

static void expect_user(const char *addr, const char *want)
{
	struct sm_buf user = SM_BUF_INIT;

	ml_local_user(addr, &user);
	assert_string_equal(sm_buf_str(&user), want);
	sm_buf_free(&user);
}

static void test_local_user(void **state)
{
	(void)state;
	expect_user("root", "root");
	expect_user("root@x", "root");
	expect_user("root@a@b", "root");
	expect_user("root+foo", "root");
	expect_user("root+foo@x", "root");
	expect_user("@x:root@y", "root");
	expect_user("@x,@y:root@z", "root");
	expect_user("\"root\"", "\"root\"");
	expect_user("", "");
}

static void test_user_name_ok(void **state)
{
	(void)state;
	assert_true(ml_user_name_ok("root"));
	assert_true(ml_user_name_ok("a.b-c_d"));
	assert_false(ml_user_name_ok(""));
	assert_false(ml_user_name_ok(".."));
	assert_false(ml_user_name_ok(".hidden"));
	assert_false(ml_user_name_ok("a/b"));
	assert_false(ml_user_name_ok("a\nb"));
	assert_false(ml_user_name_ok("a\x7f"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_commands),
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_local_user),
	    cmocka_unit_test(test_user_name_ok),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
