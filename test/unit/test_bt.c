/*
 * Unit tests for rules/bt (address test mode commands on a configuration
 * built in memory) and rules/debug (the -d flag syntax).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/bt.h"
#include "sendmail/rules/debug.h"

/* ---- debug ---- */

static void test_debug_ranges_and_levels(void **state)
{
	(void)state;
	debug_reset();
	debug_set("21.12");
	assert_int_equal(debug_level(21), 12);
	assert_int_equal(debug_level(20), 0);
	debug_set("1-3.4,7");
	assert_int_equal(debug_level(1), 4);
	assert_int_equal(debug_level(3), 4);
	assert_int_equal(debug_level(4), 0);
	assert_int_equal(debug_level(7), 1);
	assert_true(debug_on(2, 4));
	assert_false(debug_on(2, 5));
	debug_set("21.0");
	assert_int_equal(debug_level(21), 0);
	debug_reset();
}

static void test_debug_defaults_and_clamping(void **state)
{
	(void)state;
	debug_reset();
	debug_set("");
	for (int i = 0; i < DEBUG_NCAT; i++)
		assert_int_equal(debug_level(i), 1);
	debug_reset();
	debug_set("150.3"); /* past the table: the last category */
	assert_int_equal(debug_level(99), 3);
	assert_int_equal(debug_level(150), 0);
	assert_int_equal(debug_level(-1), 0);
	debug_set("5.256"); /* levels are one byte, as Sendmail's */
	assert_int_equal(debug_level(5), 0);
	debug_reset();
}

static void test_debug_named_flags(void **state)
{
	(void)state;
	debug_reset();
	debug_set("sm_trace_heap.3,ANSI,8.2");
	assert_int_equal(debug_named_level("sm_trace_heap"), 3);
	assert_int_equal(debug_named_level("ANSI"), 1);
	assert_int_equal(debug_named_level("other"), 0);
	assert_int_equal(debug_level(8), 2);
	debug_reset();
	assert_int_equal(debug_named_level("ANSI"), 0);
}

/* ---- bt commands ---- */

struct run {
	char *buf;
	size_t len;
	FILE *fp;
	struct bt_session *s;
};

static void start(struct run *r)
{
	struct config *cf = config_new();

	r->buf = NULL;
	r->fp = open_memstream(&r->buf, &r->len);
	r->s = bt_new(cf, r->fp, BT_PROMPT, 0);
}

/* Run one line; return what it printed (valid until the next call). */
static const char *line(struct run *r, const char *text)
{
	size_t start;

	fflush(r->fp);
	start = r->len;
	bt_command(r->s, text);
	fflush(r->fp);
	return r->buf + start;
}

static void finish(struct run *r)
{
	struct config *cf = r->s->cf;

	bt_free(r->s);
	config_free(cf);
	fclose(r->fp);
	free(r->buf);
}

static void test_define_and_print_macros(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, "$x"), "Undefined\n");
	assert_string_equal(line(&r, ".Dx  two  "), "");
	assert_string_equal(line(&r, "$x"), "  two\n");
	assert_string_equal(line(&r, ".D{Long_Name}v"), "");
	assert_string_equal(line(&r, "${Long_Name}"), "v\n");
	assert_string_equal(line(&r, "$&x"), "$&\n");
	assert_int_equal(r.s->exitstat, 0);
	finish(&r);
}

static void test_bad_macro_names_set_software_status(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, "$"), "Name required for macro/class\n");
	assert_int_equal(r.s->exitstat, EX_SOFTWARE);
	assert_string_equal(line(&r, "${ab"),
			    "Unbalanced { on ab\nUnable to assign macro/class ID (mid = 0xffffffff)\n");
	finish(&r);
}

static void test_classes(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, ".Cq one"), "");
	assert_string_equal(line(&r, "$=q"), "one\n");
	assert_string_equal(line(&r, "$={nosuch}"), "");
	finish(&r);
}

static void test_usage_messages(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, "."), "Usage: .[DC]macro value(s)\n");
	assert_string_equal(line(&r, "  .Z"), "Unknown \".\" command .Z\n");
	assert_string_equal(line(&r, "="), "Usage: =Sruleset or =M\n");
	assert_string_equal(line(&r, "=Sfoo bar"), "Undefined ruleset foo\n");
	assert_string_equal(line(&r, "-"), "Usage: -d{debug arguments}\n");
	assert_string_equal(line(&r, "/"), "Usage: /[canon|map|mx|parse|try|tryflags]\n");
	assert_string_equal(line(&r, "/nosuch x"), "Unknown \"/\" command /nosuch\n");
	assert_string_equal(line(&r, "/try nosuch a"), "Unknown mailer nosuch\n");
	assert_string_equal(line(&r, "/expand a$b"), "a$b");
	assert_string_equal(line(&r, "/header To: x"), "ul = 0x00040002\n");
	assert_string_equal(line(&r, "/header Message: x"), "ul = 0x00000001\n");
	assert_string_equal(line(&r, "3"), "No address!\n");
	assert_string_equal(line(&r, "# comment"), "");
	assert_int_equal(r.s->exitstat, 0);
	assert_string_equal(line(&r, "/header x y: z"),
			    "header syntax error, line \"x y: z\"\nul = 00000000\n");
	assert_int_equal(r.s->exitstat, EX_SOFTWARE);
	finish(&r);
}

static void test_tryflags_and_quit(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, "/tryflags Sh"), "");
	assert_int_equal(r.s->tryflags, BT_TRY_HEADER | BT_TRY_SENDER);
	assert_string_equal(line(&r, "/tryflags e"), "");
	assert_int_equal(r.s->tryflags, BT_TRY_SENDER);
	assert_false(r.s->quit);
	line(&r, "/QUIT");
	assert_true(r.s->quit);
	finish(&r);
}

static void test_bad_ruleset_names(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	assert_string_equal(line(&r, "+3 a"), "invalid ruleset name: \"+3\"\nUndefined ruleset +3\n");
	assert_int_equal(r.s->exitstat, EX_SOFTWARE);
	r.s->exitstat = 0;
	assert_string_equal(line(&r, "123456789012345678901 a"),
			    "bad ruleset -1 (100 max): Numerical result out of range\n"
			    "Undefined ruleset 123456789012345678901\n");
	assert_int_equal(r.s->exitstat, EX_OSERR);
	finish(&r);
}

static void test_run_loop_prompts_and_stops_at_quit(void **state)
{
	struct run r;
	FILE *in = fmemopen((void *)"$n\n/quit\n$n\n", 12, "r");

	(void)state;
	start(&r);
	macro_set(r.s->macros, macro_id("n"), "MD");
	assert_int_equal(bt_run(r.s, in), 0);
	fflush(r.fp);
	assert_string_equal(r.buf, "ADDRESS TEST MODE (ruleset 3 NOT automatically invoked)\n"
				   "Enter <ruleset> <address>\n> MD\n> ");
	fclose(in);
	finish(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_debug_ranges_and_levels),
		cmocka_unit_test(test_debug_defaults_and_clamping),
		cmocka_unit_test(test_debug_named_flags),
		cmocka_unit_test(test_define_and_print_macros),
		cmocka_unit_test(test_bad_macro_names_set_software_status),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_usage_messages),
		cmocka_unit_test(test_tryflags_and_quit),
		cmocka_unit_test(test_bad_ruleset_names),
		cmocka_unit_test(test_run_loop_prompts_and_stops_at_quit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
