/*
 * Unit tests for rules/crackaddr: templates as the reference Sendmail 8.17
 * prints them ("Cracked address = ..." of -bt /parse), and bounded work
 * on hostile input (long, deeply nested).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/rules/crackaddr.h"

static void test_reference_cases(void **state)
{
	static const char *const cases[][2] = {
		{"Full Name <user@x>", "Full Name <$g>"},
		{"user@x (Full Name)", "$g (Full Name)"},
		{"<>", "<>"},
		{"a.b <user@x>", "\"a.b\" <$g>"},
		{"list: a@b, c@d;", "list: $g;"},
		{"u@h (c) (d)", "$g (c) (d)"},
		{"(c) u@h", "(c) $g"},
		{"<u@h> trailing (x)", "<$g> trailing (x)"},
		{"Name <u@h", "Name <$g>"},
		{"Name (unclosed", "$g (unclosed)"},
		{"a@b>", "$g"},
		{"o'brien <a@b>", "\"o'brien\" <$g>"},
		{"a \"q\\\"x\" <u@h>", "a \"q\\\"x\" <$g>"},
		{"<a@b> <c@d>", "\"<a@b>\" <$g>"},
		{"  spaced   <a@b>", "spaced   <$g>"},
		{"a.b.c: <x@y>;", "\"a.b.c\": <$g>;"},
		{"Joe (the man) Doe <u@h>", "Joe (the man) Doe <$g>"},
		{" : ;", ": ;$g"},
		{"x <> y", "x <> y"},
		{"", ""},
	};
	struct sm_arena *a = sm_arena_new();

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(crackaddr(NULL, cases[i][0], a), cases[i][1]);
	sm_arena_free(a);
}

/* 100000 open parentheses / angles: bounded output and time, closed at the end. */
static void test_hostile(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	(void)state;
	sm_buf_puts(&b, "x ");
	for (int i = 0; i < 100000; i++)
		sm_buf_putc(&b, '(');
	r = crackaddr(NULL, sm_buf_str(&b), a);
	assert_true(strlen(r) < 300);
	assert_int_equal(r[strlen(r) - 1], ')');
	assert_int_equal(strncmp(r, "$g (((", 6), 0);
	sm_buf_reset(&b);
	for (int i = 0; i < 50000; i++)
		sm_buf_puts(&b, "<\\\"");
	r = crackaddr(NULL, sm_buf_str(&b), a);
	assert_true(strlen(r) > 0);
	assert_int_equal(r[strlen(r) - 1], '>');
	sm_buf_free(&b);
	sm_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_cases),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
