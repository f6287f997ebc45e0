/*
 * Unit tests for smrsh_cmd: the restricted shell's rewriting and refusal
 * rules, against a fake program directory (no file system access).  The
 * expected strings were taken from Sendmail 8.17's smrsh (see
 * test/localdelivery/test_smrsh.py for the differential test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smrsh/smrsh_cmd.h"

#define DIR "/etc/mail/smrsh"

/* The fake directory holds the regular files "prog" and "vacation" and a
 * directory "adir". */
static int fake_check(const char *path, void *ctx)
{
	(void)ctx;
	if (strcmp(path, DIR "/prog") == 0 || strcmp(path, DIR "/vacation") == 0)
		return 0;
	if (strcmp(path, DIR "/adir") == 0 || strcmp(path, DIR "/") == 0)
		return 2;
	return 1;
}

static enum smrsh_result run(const char *cmd, struct smrsh_out *out)
{
	return smrsh_rewrite(cmd, DIR, fake_check, NULL, out);
}

static void expect_ok(const char *cmd, const char *want)
{
	struct smrsh_out out = {SM_BUF_INIT, SM_BUF_INIT, 0};

	assert_int_equal(run(cmd, &out), SMRSH_OK);
	assert_string_equal(sm_buf_str(&out.cmd), want);
	smrsh_out_free(&out);
}

static void expect_fail(const char *cmd, enum smrsh_result want, const char *word, char meta)
{
	struct smrsh_out out = {SM_BUF_INIT, SM_BUF_INIT, 0};

	assert_int_equal(run(cmd, &out), want);
	if (word != NULL)
		assert_string_equal(sm_buf_str(&out.word), word);
	if (meta != 0)
		assert_int_equal(out.meta, meta);
	smrsh_out_free(&out);
}

static void test_rewrite_programs(void **state)
{
	(void)state;
	expect_ok("prog a b", DIR "/prog a b");
	expect_ok("/usr/bin/prog a  \"b c\"", DIR "/prog a  \"b c\"");
	expect_ok("  prog a", DIR "/prog a");
	expect_ok("exec /x/y/vacation -t", "exec " DIR "/vacation -t");
	expect_ok("exec\t  prog", "exec " DIR "/prog");
	expect_ok("exec exec prog", "exec exec " DIR "/prog");
	expect_ok("  prog a||prog  b &&   /x/prog c",
	          DIR "/prog a||" DIR "/prog  b &&" DIR "/prog c");
	expect_ok("prog &&   ", DIR "/prog &&");
}

static void test_builtins(void **state)
{
	(void)state;
	expect_ok("exit", "exit");
	expect_ok("exit 75", "exit 75");
	expect_ok(" echo a || echo b", "echo a ||echo b");
	expect_ok("prog || exit 75", DIR "/prog ||exit 75");
	/* Builtins only count without a path. */
	expect_fail("/bin/echo hi", SMRSH_NO_FILE, "echo", 0);
}

static void test_refused_programs(void **state)
{
	(void)state;
	expect_fail("nosuch a", SMRSH_NO_FILE, "nosuch", 0);
	expect_fail("adir", SMRSH_NOT_FILE, "adir", 0);
	expect_fail("prog/ a", SMRSH_NOT_FILE, "", 0);
	expect_fail("\"prog\" a", SMRSH_NO_FILE, "\"prog\"", 0);
	expect_fail("exec", SMRSH_NO_FILE, "exec", 0);
	expect_fail("EXEC prog", SMRSH_NO_FILE, "EXEC", 0);
	expect_fail("prog||prog", SMRSH_NO_FILE, "prog||prog", 0);
	expect_fail("prog a || nosuch", SMRSH_NO_FILE, "nosuch", 0);
	expect_fail("prog a ||| prog b", SMRSH_NO_FILE, "|", 0);
	expect_fail("prog && exec && prog", SMRSH_NO_FILE, "&&", 0);
	expect_fail("exec ", SMRSH_NO_EXEC_ARG, NULL, 0);
	expect_fail("prog && exec   ", SMRSH_NO_EXEC_ARG, NULL, 0);
	expect_fail("", SMRSH_EMPTY, NULL, 0);
	expect_fail(" \t ", SMRSH_EMPTY, NULL, 0);
}

static void test_metachars(void **state)
{
	static const char bad[] = "`<>;$()^\r\n";

	(void)state;
	for (const char *c = bad; *c != '\0'; c++) {
		char cmd[32];

		snprintf(cmd, sizeof(cmd), "prog x%cy", *c);
		expect_fail(cmd, SMRSH_META, NULL, *c);
	}
	expect_fail("prog a | cat", SMRSH_META, NULL, '|');
	expect_fail("prog a & cat", SMRSH_META, NULL, '&');
	expect_fail("prog a | | b", SMRSH_META, NULL, '|');
	expect_fail("echo `x`", SMRSH_META, NULL, '`');
	/* The program is checked before the rest of its segment... */
	expect_fail("nosuch ; x", SMRSH_NO_FILE, "nosuch", 0);
	/* ...and segments one after the other. */
	expect_fail("prog a ; x && nosuch", SMRSH_META, NULL, ';');
	expect_fail("prog a && nosuch ; x", SMRSH_NO_FILE, "nosuch", 0);
	expect_ok("prog x!#%*+,-.:=?@[]_{}~\\y", DIR "/prog x!#%*+,-.:=?@[]_{}~\\y");
	expect_ok("prog \x01\x7f\xff\x80\xc3", DIR "/prog \x01\x7f\xff\x80\xc3");
	/* High-bit bytes are judged by their low seven bits. */
	expect_fail("prog x\xbby", SMRSH_META, NULL, '\xbb');
	expect_fail("prog x\xa9y", SMRSH_META, NULL, '\xa9');
	expect_fail("prog x\xfc\xfcy", SMRSH_META, NULL, '\xfc');
	expect_fail("prog x\xfc|y", SMRSH_META, NULL, '\xfc');
}

/* "prefix" followed by n 'a's. */
static char *long_cmd(const char *prefix, size_t n)
{
	struct sm_buf b = SM_BUF_INIT;

	sm_buf_puts(&b, prefix);
	for (size_t i = 0; i < n; i++)
		sm_buf_putc(&b, 'a');
	return sm_buf_detach(&b);
}

static void test_lengths(void **state)
{
	struct smrsh_out out = {SM_BUF_INIT, SM_BUF_INIT, 0};
	char *cmd;

	(void)state;
	/* The command may have 982 bytes (the reference's limit)... */
	cmd = long_cmd("prog ", SMRSH_INPUT_MAX - 5);
	assert_int_equal(run(cmd, &out), SMRSH_OK);
	assert_int_equal(out.cmd.len, SMRSH_INPUT_MAX + 16);
	free(cmd);
	cmd = long_cmd("echo ", SMRSH_INPUT_MAX - 4);
	assert_int_equal(run(cmd, &out), SMRSH_TOO_LONG);
	free(cmd);
	/* ...and its rewritten form 999. */
	cmd = long_cmd("prog && prog ", 954);
	assert_int_equal(run(cmd, &out), SMRSH_OK);
	assert_int_equal(out.cmd.len, SMRSH_OUTPUT_MAX);
	free(cmd);
	cmd = long_cmd("prog && prog ", 955);
	assert_int_equal(run(cmd, &out), SMRSH_TOO_LONG);
	free(cmd);
	smrsh_out_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rewrite_programs), cmocka_unit_test(test_builtins),
	    cmocka_unit_test(test_refused_programs), cmocka_unit_test(test_metachars),
	    cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
