/*
 * test_deliver: unit tests of sendmail/deliver's queue selection: the -q
 * argument parser (dlv_parse_q) and the -qI/-qR/-qS filters with their
 * "!" negations (dlv_match).  Whole deliveries are tested by
 * test/deliver/ (pytest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/deliver/deliver.h"
#include "sendmail/queue/queue.h"

static struct qf *sample(struct sm_arena *a)
{
	struct qf *q = qf_new(a);

	q->sender = "<Alice@Example.org>";
	qf_add_rcpt(q, a, QF_R_PRIMARY, "<bob@one.example>");
	qf_add_rcpt(q, a, QF_R_PRIMARY, "carol@two.example");
	return q;
}

static void parse(struct dlv_run *r, struct sm_arena *a, const char *arg)
{
	const char *err = NULL;

	assert_int_equal(dlv_parse_q(r, arg, a, &err), 0);
}

static void test_parse_forms(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct dlv_run r;
	const char *err = NULL;

	(void)state;
	dlv_run_init(&r);
	parse(&r, a, "");
	assert_null(r.sel);
	parse(&r, a, "f");
	assert_true(r.foreground);
	parse(&r, a, "30m");
	assert_int_equal(r.interval, 1800);
	parse(&r, a, "1h");
	assert_int_equal(r.interval, 3600);
	parse(&r, a, "Q");
	assert_int_equal(r.mode, QL_QUARANTINE);
	parse(&r, a, "L");
	assert_int_equal(r.mode, QL_LOST);
	parse(&r, a, "!Rbob");
	assert_non_null(r.sel);
	assert_int_equal(r.sel->kind, 'R');
	assert_true(r.sel->negate);
	assert_string_equal(r.sel->sub, "bob");
	assert_int_equal(dlv_parse_q(&r, "!x", a, &err), -1);
	assert_non_null(err);
	assert_int_equal(dlv_parse_q(&r, "5q", a, &err), -1);
	sm_arena_free(a);
}

static bool match(const char *const *args, size_t n)
{
	struct sm_arena *a = sm_arena_new();
	struct dlv_run r;
	bool m;

	dlv_run_init(&r);
	for (size_t i = 0; i < n; i++)
		parse(&r, a, args[i]);
	m = dlv_match(&r, "6AM0AjbK023162", sample(a));
	sm_arena_free(a);
	return m;
}

#define MATCH(...) match((const char *const[]){__VA_ARGS__}, \
			 sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_match_filters(void **state)
{
	(void)state;
	assert_true(MATCH(""));
	assert_true(MATCH("IAjbK"));
	assert_false(MATCH("Iajbk"));       /* ids: case matters */
	assert_true(MATCH("Rtwo.EXAMPLE")); /* addresses: case does not */
	assert_true(MATCH("SALICE"));
	assert_false(MATCH("Sbob"));
	assert_true(MATCH("!Ralice")); /* no recipient has alice */
	assert_false(MATCH("!Rcarol"));
	assert_true(MATCH("Rnobody", "Rcarol"));   /* same kind: either */
	assert_false(MATCH("Rcarol", "Sbob"));     /* kinds: all */
	assert_true(MATCH("Rcarol", "Salice", "I0Ajb"));
	assert_false(MATCH("!I6AM"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_match_filters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
