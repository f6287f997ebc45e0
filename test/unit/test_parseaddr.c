/*
 * Unit tests for rules/parseaddr: token joining (cataddr), DSN status to
 * exit code, the length and 8-bit checks, setstat, and address parsing
 * to a triple on a small hand-built configuration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "libsm/sm_exit.h"
#include "sendmail/cf/config.h"
#include "sendmail/rules/parseaddr.h"
#include "sendmail/rules/rewrite.h"
#include "sendmail/rules/token.h"

/* An output stream in memory; text() gives what was written. */
struct capture {
	char *buf;
	size_t len;
	FILE *fp;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->fp = open_memstream(&c->buf, &c->len);
	assert_non_null(c->fp);
}

static const char *cap_text(struct capture *c)
{
	fflush(c->fp);
	return c->buf;
}

static void cap_close(struct capture *c)
{
	fclose(c->fp);
	free(c->buf);
}

static struct token word(const char *s)
{
	struct token t = {s, TK_WORD, 0};

	return t;
}

static void test_cataddr_spaces_only_between_atoms(void **state)
{
	struct token t[] = {word("a"), word("b"), word("@"), word("c"), word("."), word("d"),
			    word("\"q\""), word("\"r\"")};
	struct sm_buf b = SM_BUF_INIT;

	(void)state;
	pa_cataddr(NULL, t, 6, '.', &b);
	assert_string_equal(sm_buf_str(&b), "a.b@c.d");
	sm_buf_reset(&b);
	pa_cataddr(NULL, t, 2, ' ', &b);
	assert_string_equal(sm_buf_str(&b), "a b");
	sm_buf_reset(&b);
	/* quoted strings are not atoms: no separator between them */
	pa_cataddr(NULL, t + 6, 2, '.', &b);
	assert_string_equal(sm_buf_str(&b), "\"q\"\"r\"");
	sm_buf_free(&b);
}

static void test_cataddr_metasymbols(void **state)
{
	struct token t[] = {{NULL, TK_NET, 0}, word("smtp"), {NULL, TK_HOST, 0}, word("h")};
	struct sm_buf b = SM_BUF_INIT;

	(void)state;
	pa_cataddr(NULL, t, 4, ' ', &b);
	assert_string_equal(sm_buf_str(&b), "$#smtp$@h");
	sm_buf_free(&b);
}

static void test_dsn_exitstat(void **state)
{
	(void)state;
	assert_int_equal(pa_dsn_exitstat("2.0.0"), EX_OK);
	assert_int_equal(pa_dsn_exitstat("4.7.1"), EX_TEMPFAIL);
	assert_int_equal(pa_dsn_exitstat("5.1.1"), EX_NOUSER);
	assert_int_equal(pa_dsn_exitstat("5.1.2"), EX_NOHOST);
	assert_int_equal(pa_dsn_exitstat("5.1.3"), EX_USAGE);
	assert_int_equal(pa_dsn_exitstat("5.3.5"), EX_CONFIG);
	assert_int_equal(pa_dsn_exitstat("5.4.4"), EX_NOHOST);
	assert_int_equal(pa_dsn_exitstat("5.5.0"), EX_PROTOCOL);
	assert_int_equal(pa_dsn_exitstat("5.0.0"), EX_UNAVAILABLE);
	assert_int_equal(pa_dsn_exitstat("6.0.0"), EX_CONFIG);
	assert_int_equal(pa_dsn_exitstat("5x"), EX_CONFIG);
}

static void test_setstat_keeps_the_first_failure(void **state)
{
	int st = EX_OK;
	struct pa_ctx pc = {.msgout = stdout, .exitstat = &st};

	(void)state;
	pa_setstat(&pc, EX_TEMPFAIL);
	assert_int_equal(st, EX_TEMPFAIL);
	pa_setstat(&pc, EX_NOUSER);
	assert_int_equal(st, EX_NOUSER);
	pa_setstat(&pc, EX_USAGE);
	assert_int_equal(st, EX_NOUSER);
}

static void test_invalidaddr_length(void **state)
{
	struct capture c;
	int st = EX_OK;
	struct pa_ctx pc;
	char addr[300];

	(void)state;
	cap_open(&c);
	pc = (struct pa_ctx){.msgout = c.fp, .exitstat = &st};
	memset(addr, 'x', 255);
	addr[255] = '\0';
	assert_false(pa_invalidaddr(&pc, addr, NULL));
	addr[255] = 'y';
	addr[256] = '\0';
	assert_true(pa_invalidaddr(&pc, addr, NULL));
	assert_int_equal(strncmp(cap_text(&c), "Address \"xxx", 12), 0);
	assert_non_null(strstr(cap_text(&c), "x\" too long (255 bytes max)\n"));
	assert_null(strstr(cap_text(&c), "xy"));
	/* the end pointer bounds the check */
	assert_false(pa_invalidaddr(&pc, addr, addr + 10));
	assert_int_equal(st, EX_OK);
	cap_close(&c);
}

static void test_invalidaddr_metacharacter_bytes(void **state)
{
	struct capture c;
	int st = EX_OK;
	struct pa_ctx pc;

	(void)state;
	cap_open(&c);
	pc = (struct pa_ctx){.msgout = c.fp, .exitstat = &st};
	assert_false(pa_invalidaddr(&pc, "caf\xe9@h", NULL)); /* plain 8-bit is fine */
	assert_true(pa_invalidaddr(&pc, "u@\xe4\xbe\x8b.example", NULL));
	assert_string_equal(cap_text(&c),
			    "8-bit character in mailbox address \"u@d>?.example\"\n");
	assert_int_equal(st, EX_USAGE);
	cap_close(&c);
}

/* A configuration with S0 resolving everything to local or smtp. */
static struct config *small_cf(void)
{
	static const char text[] = "V10/Berkeley\n"
				   "O OperatorChars=.:%@!^/[]+\n"
				   "Scanonify=3\n"
				   "R$* < $* > $*\t\t$2\n"
				   "S0\n"
				   "R$* ! $*\t\t$#error $@ 5.1.3 $: \"553 bad address\"\n"
				   "R$+ @ $+\t\t$#smtp $@ $2 $: $1 @ $2\n"
				   "R$+\t\t\t$#local $: $1\n"
				   "S4\n"
				   "Mlocal, P=/bin/true, F=lsDFM, S=0, R=0, A=true $u\n"
				   "Msmtp, P=[IPC], F=mDFMuX, S=0, R=0, A=TCP $h\n";
	struct config *cf = config_new();
	FILE *fp = fmemopen((void *)text, sizeof(text) - 1, "r");

	readcf_stream(cf, fp, "test.cf");
	fclose(fp);
	return cf;
}

static void parse(struct config *cf, const char *addr, struct address *a, int *st,
		  struct capture *c)
{
	struct sm_arena *arena = sm_arena_new();
	struct rw_ctx rw = {.cf = cf, .macros = macros_new(cf->macros), .arena = arena,
			    .errout = c->fp};
	struct pa_ctx pc = {.rw = &rw, .msgout = c->fp, .exitstat = st};

	assert_true(pa_parseaddr(&pc, addr, 0, '\0', NULL, a));
	/* copy what the test looks at out of the arena */
	a->user = a->user ? strdup(a->user) : NULL;
	a->host = a->host ? strdup(a->host) : NULL;
	a->paddr = NULL;
	macros_free(rw.macros);
	sm_arena_free(arena);
}

static void test_parse_triples(void **state)
{
	struct config *cf = small_cf();
	struct capture c;
	struct address a;
	int st = EX_OK;

	(void)state;
	cap_open(&c);
	parse(cf, "Name <U@H>", &a, &st, &c);
	assert_string_equal(a.mailer_name, "smtp");
	assert_string_equal(a.host, "h");      /* host lowercased (no F=h) */
	assert_string_equal(a.user, "U@H");    /* F=u keeps the user's case */
	free((char *)a.user);
	free((char *)a.host);
	parse(cf, "Root", &a, &st, &c);
	assert_string_equal(a.mailer_name, "local");
	assert_null(a.host);
	assert_string_equal(a.user, "root");   /* no F=u: lowercased */
	free((char *)a.user);
	assert_int_equal(st, EX_OK);
	assert_string_equal(cap_text(&c), "");
	cap_close(&c);
	config_free(cf);
}

static void test_parse_error_mailer(void **state)
{
	struct config *cf = small_cf();
	struct capture c;
	struct address a;
	int st = EX_OK;

	(void)state;
	cap_open(&c);
	parse(cf, "a!b", &a, &st, &c);
	assert_string_equal(a.mailer_name, "*error*");
	assert_string_equal(a.host, "5.1.3");
	assert_string_equal(a.user, "\"553 bad address\"");
	assert_int_equal(a.state, PA_BADADDR);
	assert_string_equal(cap_text(&c), "a!b... bad address\n");
	assert_int_equal(st, EX_USAGE);
	free((char *)a.user);
	free((char *)a.host);
	cap_close(&c);
	config_free(cf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cataddr_spaces_only_between_atoms),
		cmocka_unit_test(test_cataddr_metasymbols),
		cmocka_unit_test(test_dsn_exitstat),
		cmocka_unit_test(test_setstat_keeps_the_first_failure),
		cmocka_unit_test(test_invalidaddr_length),
		cmocka_unit_test(test_invalidaddr_metacharacter_bytes),
		cmocka_unit_test(test_parse_triples),
		cmocka_unit_test(test_parse_error_mailer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
