/*
 * Unit tests for rules/rewrite: matching and backtracking, each RHS
 * operator, the limits and their messages, the -bt and -d21 traces.  The
 * expected traces are the reference Sendmail 8.17's output for the same
 * rules (see /tmp experiments noted in the commit history).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/rewrite.h"

static const char CF[] =
	"V10/Berkeley\n"
	"O OperatorChars=.:%@!^/[]+\n"
	"O BlankSub=.\n"
	"Kdq dequote\n"
	"Cx a b.c d e f\n"
	"C{Multi} x.y\n"
	"SLoop\nR$*\t$1\n"
	"SNet\nR$*\t$# x $: $1\nR$*\t$: never\n"
	"SU\nRa\t$: $# x\nR$*\t$: never\n"
	"SCalls15\nR$*\t$@ $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $1\n"
	"SCalls16\nR$*\t$@ $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $>Sub $1\n"
	"SSub\nR$*\t$@ $1\n"
	"SQuoted\nR$*\t$: $>\"Sub\" $1\n"
	"SUnknown\nR$*\t$: $>\"nosuch\" $1\n"
	"SEmpty\n"
	"SSkip\nR$*\t$: $>Empty $>Sub $1\n"
	"SMap\nR$*\t$: $( nosuch $1 $)\n"
	"SDef\nR$- $*\t$: $( dq $1 $: $2 $)\n"
	"SDm\nR$*\t$: < $&x > $&y\n"
	"SCls\nR$* $=x $*\t$: <$1> <$2> <$3>\n"
	"SMc\nR$={Multi} $*\t$: <$1> <$2>\n"
	"SNc\nR$~x $*\t$: <$1> <$2>\n"
	"SZero\nR$@\t$: empty\nR$* $@ $*\t$: z <$1> <$2>\n"
	"SBack\nR$* a $+ b $*\t$@ <$1> <$2> <$3>\n"
	"SCase\nRFOO $+\t$@ ok $1\n"
	"SRec\nR$*\t$@ $>Rec $1\n"
	"SDyn\nR$- $*\t$@ $>$1 $2\n"
	"SRet\nR$*\t$@ first\nR$*\t$@ second\n"
	"SUser\nR$+\t$: x $1\nRx $+\t$: y $1\n";

static struct config *cf;
static struct macros *mac;

static int setup(void **state)
{
	FILE *fp = fmemopen((void *)CF, strlen(CF), "r");

	(void)state;
	cf = config_new();
	readcf_stream(cf, fp, "t.cf");
	fclose(fp);
	mac = macros_new(cf->macros);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	macros_free(mac);
	config_free(cf);
	return 0;
}

/* Run ruleset rs on addr; return everything printed (trace and messages). */
static char *run(const char *rs, const char *addr, int debug, int *status, int *nsyserr)
{
	struct sm_arena *a = sm_arena_new();
	struct rw_ctx ctx;
	struct tokvec tv;
	struct tok_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int n = config_ruleset_number(cf, rs, false);

	assert_true(n >= 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.cf = cf;
	ctx.macros = mac;
	ctx.arena = a;
	ctx.trace = out;
	ctx.errout = out;
	ctx.debug21 = debug;
	tokvec_init(&tv, a);
	assert_true(tok_scan_address_ex(cf, a, addr, '\0', TOKS_BT, &tv, NULL, &err));
	*status = rewrite(&ctx, n, 0, &tv);
	if (nsyserr != NULL)
		*nsyserr = ctx.nsyserr;
	fclose(out);
	sm_arena_free(a);
	return buf;
}

/* The last "returns:" line's tokens (or "" if none). */
static void expect_result(const char *rs, const char *addr, const char *want)
{
	int st;
	char *out = run(rs, addr, 0, &st, NULL);
	char *r = strstr(out, "returns:");
	char *nl;

	assert_non_null(r);
	r += strlen("returns:");
	if (*r == ' ')
		r++;
	nl = strchr(r, '\n');
	*nl = '\0';
	assert_string_equal(r, want);
	free(out);
}

static void expect_output(const char *rs, const char *addr, int debug, const char *want, int wantst)
{
	int st;
	char *out = run(rs, addr, debug, &st, NULL);

	assert_string_equal(out, want);
	assert_int_equal(st, wantst);
	free(out);
}

static void test_matching(void **state)
{
	(void)state;
	expect_result("Cls", "q b.c r", "< q > < b . c > < r >");
	expect_result("Cls", "b.c b.c", "< > < b . c > < b . c >");
	expect_result("Mc", "x.y z", "< x . y > < z >");
	expect_result("Mc", "x.y", "< x . y > < >");
	expect_result("Nc", "a b", "a b");
	expect_result("Nc", "q b", "< q > < b >");
	expect_result("Zero", "a b", "z < > < a b >");
	expect_result("Back", "x a y a z b w", "< x > < y a z > < w >");
	expect_result("Back", "a b", "a b");
	expect_result("Case", "foo Bar", "ok Bar");
	expect_result("User", "q", "y q");
}

static void test_prefixes(void **state)
{
	(void)state;
	expect_result("Net", "a", "$# x $: a");
	expect_result("U", "a", "$# x");
	expect_result("Ret", "a", "first");
}

static void test_trace_format(void **state)
{
	(void)state;
	expect_output("Sub", "a", 0, "Sub                input: a\nSub              returns: a\n", EX_OK);
	char want[512];

	snprintf(want, sizeof(want),
		 "Skip               input: a\n"
		 "-----trying rule: $*\n"
		 "-----rule matches: $: $> Empty $> Sub $1\n"
		 "-----skip subr Empty (%d)\n"
		 "rewritten as: $> Sub a\n"
		 "Skip             returns: $> Sub a\n",
		 config_ruleset_number(cf, "Empty", false));
	expect_output("Skip", "a", 12, want, EX_OK);
	expect_output("Zero", "a", 12,
		      "Zero               input: a\n"
		      "-----trying rule: $@\n"
		      "----- rule fails\n"
		      "-----trying rule: $* $@ $*\n"
		      "-----rule matches: $: z < $1 > < $2 >\n"
		      "rewritten as: z < > < a >\n"
		      "Zero             returns: z < > < a >\n",
		      EX_OK);
	expect_output("Dm", "a", 12,
		      "Dm                 input: a\n"
		      "-----trying rule: $*\n"
		      "-----rule matches: $: < $&x > $&y\n"
		      "rewrite: RHS $&{x} => \"(NULL)\"\n"
		      "rewrite: RHS $&{y} => \"(NULL)\"\n"
		      "rewritten as: < >\n"
		      "Dm               returns: < >\n",
		      EX_OK);
}

static void test_dmacro_and_maps(void **state)
{
	(void)state;
	macro_set(mac, macro_id("x"), " a(b)c \"d");
	macro_set(mac, macro_id("y"), " X Y");
	expect_output("Dm", "a", 0,
		      "Dm                 input: a\n"
		      " a(b)c \"d... Unbalanced '\"'\n"
		      "Dm               returns: < a c \"d\" > X Y\n",
		      EX_OK);
	macro_set(mac, macro_id("x"), NULL);
	macro_set(mac, macro_id("y"), NULL);
	expect_result("Def", "\"x y\" a b c", "a . b . c");
	expect_output("Map", "a", 0,
		      "Map                input: a\nrewrite: map nosuch not found\nMap              returns: a\n",
		      EX_OK);
}

static void test_calls(void **state)
{
	int st, ns;
	char *out;

	(void)state;
	expect_result("Skip", "a", "$> Sub a");
	expect_result("Dyn", "Sub q", "q");
	out = run("Dyn", "Nosuch q", 0, &st, &ns);
	assert_non_null(strstr(out, "Unknown ruleset Nosuch\n"));
	assert_int_equal(st, EX_CONFIG);
	free(out);
	/* $>"name" is bound by name; an unknown one is an error that leaves
	 * the call, unquoted, in the workspace (as the reference shows). */
	expect_result("Quoted", "q", "q");
	out = run("Unknown", "a", 0, &st, &ns);
	assert_non_null(strstr(out, "Unknown ruleset nosuch\n"));
	assert_non_null(strstr(out, "returns: $> nosuch a\n"));
	assert_int_equal(st, EX_CONFIG);
	free(out);
	out = run("Calls15", "a", 0, &st, &ns);
	assert_int_equal(st, EX_OK);
	assert_int_equal(ns, 0);
	free(out);
	out = run("Calls16", "a", 0, &st, &ns);
	assert_non_null(strstr(out, "\nToo many subroutine calls (16 max)\n"));
	assert_int_equal(ns, 1);
	free(out);
}

static void test_limits(void **state)
{
	int st, ns;
	char *out;

	(void)state;
	expect_output("Loop", "a", 0,
		      "Loop               input: a\n"
		      "Infinite loop in ruleset Loop, rule 1\n"
		      "Loop             returns: a\n",
		      EX_OK);
	out = run("Rec", "a", 0, &st, &ns);
	assert_int_equal(st, EX_CONFIG);
	assert_non_null(strstr(out, "rewrite: excessive recursion (max 50), ruleset Rec\n"));
	{
		int in = 0, ret = 0;

		for (char *p = out; (p = strstr(p, "input:")) != NULL; p++)
			in++;
		for (char *p = out; (p = strstr(p, "returns:")) != NULL; p++)
			ret++;
		assert_int_equal(in, 52);
		assert_int_equal(ret, 51);
	}
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_trace_format),
		cmocka_unit_test(test_dmacro_and_maps),
		cmocka_unit_test(test_calls),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
