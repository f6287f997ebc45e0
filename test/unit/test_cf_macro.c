/*
 * test_cf_macro: macro names, value sets and expansion (cf/macro.c), and
 * class membership and listing order (cf/class.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"

static void test_ids(void **state)
{
	(void)state;
	assert_int_equal(macro_id("w"), 'w');
	assert_int_equal(macro_id("{w}"), 'w');
	int a = macro_id("{client_addr}");
	assert_true(a >= 256);
	assert_int_equal(macro_id("client_addr"), a);
	assert_string_equal(macro_name(a), "{client_addr}");
	assert_string_equal(macro_name('x'), "x");
	assert_int_not_equal(macro_id("{client_name}"), a);
	const char *end;
	assert_int_equal(macro_parse_name("{foo}bar", &end), macro_id("{foo}"));
	assert_string_equal(end, "bar");
	assert_int_equal(macro_parse_name("{foo", &end), -1);
	assert_int_equal(macro_parse_name("", &end), -1);
}

static void test_values_and_parent(void **state)
{
	(void)state;
	struct macros *g = macros_new(NULL);
	struct macros *e = macros_new(g);
	macro_set(g, 'j', "host.example");
	assert_string_equal(macro_get(e, 'j'), "host.example");
	macro_set(e, 'j', "other");
	assert_string_equal(macro_get(e, 'j'), "other");
	assert_string_equal(macro_get(g, 'j'), "host.example");
	macro_set(e, 'j', NULL);
	assert_string_equal(macro_get(e, 'j'), "host.example");
	assert_null(macro_get(e, 'q'));
	macros_free(e);
	macros_free(g);
}

static const char *expand(struct macros *m, struct sm_arena *a, const char *s)
{
	return macro_expand(m, s, a);
}

static void test_expand(void **state)
{
	(void)state;
	struct sm_arena *a = sm_arena_new();
	struct macros *m = macros_new(NULL);
	macro_set(m, 'X', "hello");
	macro_set(m, 'Y', "$X world");
	macro_set(m, macro_id("{Long}"), "L");
	assert_string_equal(expand(m, a, "$Y!"), "hello world!");
	assert_string_equal(expand(m, a, "${Long}-${X}"), "L-hello");
	assert_string_equal(expand(m, a, "a$Qb"), "ab");
	assert_string_equal(expand(m, a, "$$X"), "$X");
	assert_string_equal(expand(m, a, "$&X $=w $~{Long} $* $1 $>foo $[ $]"),
			    "$&X $=w $~{Long} $* $1 $>foo $[ $]");
	assert_string_equal(expand(m, a, "$?X yes $| no $."), " yes ");
	assert_string_equal(expand(m, a, "$?Q yes $| no $."), " no ");
	assert_string_equal(expand(m, a, "$?Qyes$."), "");
	assert_string_equal(expand(m, a, "$?X[$?Qa$|b$.]$|c$."), "[b]");
	/* a $| outside any conditional is the rules' separator */
	assert_string_equal(expand(m, a, "$* $| $*"), "$* $| $*");
	/* self reference is bounded */
	macro_set(m, 'R', "x$R");
	assert_true(strlen(expand(m, a, "$R")) < 100);
	struct sm_buf b = SM_BUF_INIT;
	macro_value_print("$Y! $$ $&X", &b);
	assert_string_equal(sm_buf_str(&b), "$Y! $ $&X");
	sm_buf_free(&b);
	macros_free(m);
	sm_arena_free(a);
}

static bool collect(const char *w, void *arg)
{
	struct sm_buf *b = arg;
	sm_buf_printf(b, "%s ", w);
	return true;
}

static const char *list(struct classes *c, int id, struct sm_buf *b)
{
	sm_buf_reset(b);
	class_foreach(c, id, collect, b);
	return sm_buf_str(b);
}

static void test_class_order(void **state)
{
	(void)state;
	struct classes *c = classes_new();
	struct sm_buf b = SM_BUF_INIT;
	/* Order observed with the reference's -bt $=w (BT-FORMAT.md 4.4). */
	const char *adds[] = {"vm.example.com", "localhost", "foo", "bar", "a1",
			      "b2", "c3", "zz", "AA"};
	for (size_t i = 0; i < sizeof(adds) / sizeof(adds[0]); i++)
		class_add(c, 'w', adds[i]);
	assert_string_equal(list(c, 'w', &b), "zz AA c3 b2 a1 foo bar vm.example.com localhost ");
	/* and the generic cf's $=w */
	struct classes *c2 = classes_new();
	const char *adds2[] = {"vm.example.com", "localhost", "mail.example.com", "example.com",
			       "Alias.Example.ORG"};
	for (size_t i = 0; i < 5; i++)
		class_add(c2, 'w', adds2[i]);
	assert_string_equal(list(c2, 'w', &b),
			    "mail.example.com example.com vm.example.com localhost Alias.Example.ORG ");
	classes_free(c2);
	/* membership ignores case; the first spelling is kept */
	assert_true(class_member(c, 'w', "aa"));
	assert_true(class_member(c, 'w', "LOCALHOST"));
	assert_false(class_member(c, 'w', "nothere"));
	assert_false(class_member(c, 'm', "foo"));
	class_add(c, 'w', "aa");
	assert_string_equal(list(c, 'w', &b), "zz AA c3 b2 a1 foo bar vm.example.com localhost ");
	/* one word in two classes */
	class_add(c, macro_id("{Other}"), "Foo");
	assert_string_equal(list(c, macro_id("{Other}"), &b), "foo ");
	sm_buf_free(&b);
	classes_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_values_and_parent),
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_class_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
