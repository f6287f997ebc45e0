/*
 * Unit tests for rules/token: the address scanner (prescan semantics and
 * its error texts), the rule-text scanner, and the printer.  Expected
 * strings were taken from the reference Sendmail 8.17 -bt output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/token.h"

static struct config *cf;
static struct sm_arena *arena;

/* Scan addr, return "tokens|err1|err2..." in the arena. */
static const char *scan(const char *addr, int delim, int flags, bool *ok, const char **endp)
{
	struct tokvec tv;
	struct tok_error err;
	struct sm_buf b = SM_BUF_INIT;
	const char *res;

	tokvec_init(&tv, arena);
	*ok = tok_scan_address_ex(cf, arena, addr, delim, flags, &tv, endp, &err);
	tok_format(cf, tv.v, tv.n, &b);
	for (struct tok_error *e = &err; e != NULL && e->code != 0; e = e->next)
		sm_buf_printf(&b, "|%d %s", e->code, e->msg);
	res = sm_arena_strdup(arena, sm_buf_str(&b));
	sm_buf_free(&b);
	return res;
}

static const char *rule(const char *text, bool *ok)
{
	struct tokvec tv;
	struct tok_error err;
	struct sm_buf b = SM_BUF_INIT;
	const char *res;

	tokvec_init(&tv, arena);
	*ok = tok_scan_rule(cf, arena, text, &tv, &err);
	tok_format(cf, tv.v, tv.n, &b);
	res = sm_arena_strdup(arena, sm_buf_str(&b));
	sm_buf_free(&b);
	return res;
}

static int setup(void **state)
{
	(void)state;
	cf = config_new();
	cf->operator_chars = ".:%@!^/[]+";
	cf->version = 10;
	arena = sm_arena_new();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sm_arena_free(arena);
	config_free(cf);
	return 0;
}

static void test_address_basic(void **state)
{
	static const char *const cases[][2] = {
		{"user@example.net", "user @ example . net"},
		{"a\001b@c", "ab @ c"}, /* control bytes kept but not printed */
		{"caf\xe9 \xff\xfe", "cafM-i M-~"},
		{"a\\!b \\\\ \\\"x", "a ! b \\\\ \\\"x"},
		{"\"a\\\"b\" c", "\"a\\\"b\" c"},
		{"a\"b c\"d", "a \"b c\" d"},
		{"((a)", "( ( a )"},
		{"a\tb", "a b"},
		{"<a<b>>", "< a < b > >"},
		{"a\\", "a"},
		{"\\(x", "\\(x"},
		{"a@[IPv6:::1]", "a @ [ IPv6 : : : 1 ]"},
		{"$# x $@ y $| z $*a $+", "$# x $ @ y $| z $*a $ +"},
		{"", ""},
	};
	bool ok;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(scan(cases[i][0], '\0', TOKS_BT, &ok, NULL), cases[i][1]);
		assert_true(ok);
	}
}

static void test_address_errors(void **state)
{
	bool ok;
	const char *end;
	char big[400];

	(void)state;
	assert_string_equal(scan("a>b>c", '\0', 0, &ok, NULL),
			    "abc|553 Unbalanced '>'|553 Unbalanced '>'");
	assert_true(ok);
	assert_string_equal(scan("<<a", '\0', 0, &ok, NULL),
			    "< < a > >|553 Unbalanced '<'|553 Unbalanced '<'");
	assert_string_equal(scan("\"a\\", '\0', 0, &ok, NULL),
			    "\"a\\\"\"|553 Unbalanced '\"'|553 Unbalanced '\"'");
	assert_string_equal(scan("<a,b>", ',', 0, &ok, &end), "< a >|553 Unbalanced '<'");
	assert_string_equal(end, ",b>");
	assert_string_equal(scan("a,b;c", ',', 0, &ok, &end), "a");
	assert_string_equal(end, ",b;c");
	assert_string_equal(scan("<@a,b:c>", ',', 0, &ok, &end), "< @ a , b : c >");
	/* comments, when asked for */
	assert_string_equal(scan("a (b) c", '\0', TOKS_COMMENTS, &ok, NULL), "a c");
	assert_string_equal(scan("a(b", '\0', TOKS_COMMENTS, &ok, NULL), "a|553 Unbalanced '('");
	assert_string_equal(scan("a)b", '\0', TOKS_COMMENTS, &ok, NULL), "ab|553 Unbalanced ')'");
	/* 255 bytes is the limit */
	for (int i = 0; i < 255; i++)
		big[i] = i % 2 ? ' ' : 'a';
	big[255] = '\0';
	scan(big, '\0', TOKS_BT, &ok, NULL);
	assert_true(ok);
	big[255] = 'b';
	big[256] = '\0';
	scan(big, '\0', 0, &ok, NULL); /* only -bt lines have that limit */
	assert_true(ok);
	assert_string_equal(scan(big, '\0', TOKS_BT, &ok, NULL) + 0 + 1,
			    sm_arena_printf(arena, "553 Address \"%.255s\" too long (255 bytes max)", big));
	assert_false(ok);
}

static void test_address_limits(void **state)
{
	struct sm_buf b = SM_BUF_INIT;
	bool ok;

	(void)state;
	for (int i = 0; i < 1001; i++)
		sm_buf_puts(&b, "a ");
	assert_string_equal(strchr(scan(sm_buf_str(&b), '\0', 0, &ok, NULL), '|'),
			    "|553 prescan: too many tokens");
	assert_false(ok);
	sm_buf_reset(&b);
	for (int i = 0; i < 256; i++)
		sm_buf_putc(&b, 'x');
	assert_string_equal(strchr(scan(sm_buf_str(&b), '\0', 0, &ok, NULL), '|'),
			    "|553 prescan: token too long");
	assert_false(ok);
	sm_buf_free(&b);
}

static void test_rule_text(void **state)
{
	bool ok;

	(void)state;
	assert_string_equal(rule("$* < @ $=w . > $*", &ok), "$* < @ $=w . > $*");
	assert_true(ok);
	assert_string_equal(rule("$#error $@ 5.1.1 $: \"553 no\"", &ok),
			    "$# error $@ 5 . 1 . 1 $: \"553 no\"");
	assert_string_equal(rule("$&{daemon_flags} $={Foo} $~w $(host $1 $: x $) $[a$]", &ok),
			    "$&{daemon_flags} $={Foo} $~w $( host $1 $: x $) $[ a $]");
	assert_string_equal(rule("$>3 $1 $>\"Quoted\" x a$$b", &ok), "$> 3 $1 $> \"Quoted\" x a$b");
	assert_string_equal(rule("$>$2 <$3>", &ok), "$> $2 < $3 >");
	assert_string_equal(rule("$* $| $* $- $+ $@", &ok), "$* $| $* $- $+ $@");
	assert_string_equal(rule("( x )y\\z \"q", &ok), "( x ) y\\z \"q");
	rule("$=", &ok);
	assert_false(ok);
	rule("$>", &ok);
	assert_false(ok);
}

static void test_equal_and_atom(void **state)
{
	struct token a = {"Foo", TK_WORD, 0}, b = {"fOO", TK_WORD, 0}, c = {NULL, TK_NET, 0};

	(void)state;
	assert_true(tok_equal(&a, &b));
	assert_false(tok_equal(&a, &c));
	assert_true(tok_is_atom_char(cf, 'a'));
	assert_false(tok_is_atom_char(cf, '%'));
	assert_false(tok_is_atom_char(cf, '"'));
	assert_false(tok_is_atom_char(cf, '<'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_basic),
		cmocka_unit_test(test_address_errors),
		cmocka_unit_test(test_address_limits),
		cmocka_unit_test(test_rule_text),
		cmocka_unit_test(test_equal_and_atom),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
