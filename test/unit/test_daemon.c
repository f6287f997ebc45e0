/*
 * test_daemon: the daemon module's pure parts (sendmail/daemon/):
 * DaemonPortOptions parsing (every key, case rules, unknown keys,
 * defaults, ${daemon_flags}) and the reading of policy ruleset results
 * (glue_rscheck: $#error with and without a reply code, $#discard,
 * $#quarantine, $#OK, an undefined ruleset).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "libsm/sm_arena.h"
#include "sendmail/cf/config.h"
#include "sendmail/daemon/dint.h"

static void test_dport_keys(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct dport p;
	const char *err;

	dport_parse(&p,
	            "Port=587, Addr=127.0.0.1, Name=MSA, M=Ea, Listen=64, Family=inet6, "
	            "SendSize=1000, RcvBufSize=2000, InputMailFilters=f1;f2, children=5, "
	            "DeliveryMode=q, delayLA=7, refuseLA=9, queueLA=8",
	            1, a, &err);
	assert_null(err);
	assert_string_equal(p.port, "587");
	assert_string_equal(p.addr, "127.0.0.1");
	assert_string_equal(p.name, "MSA");
	assert_int_equal(p.backlog, 64);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.sndbuf, 1000);
	assert_int_equal(p.rcvbuf, 2000);
	assert_string_equal(p.filters, "f1;f2");
	assert_int_equal(p.children, 5);
	assert_int_equal(p.delivery_mode, 'q');
	assert_int_equal(p.delay_la, 7);
	assert_int_equal(p.refuse_la, 9);
	assert_int_equal(p.queue_la, 8);
	assert_true(dport_has(&p, 'E'));
	assert_true(dport_has(&p, 'a'));
	assert_false(dport_has(&p, 'A'));
	assert_string_equal(dport_flags(&p, a), "EE a");
	sm_arena_free(a);
}

static void test_dport_defaults_and_errors(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct dport p;
	const char *err;

	dport_parse(&p, "", 3, a, &err);
	assert_null(err);
	assert_string_equal(p.name, "Daemon3");
	assert_string_equal(p.port, "smtp");
	assert_null(p.addr);
	assert_int_equal(p.family, AF_INET);
	assert_int_equal(p.backlog, 10);
	assert_string_equal(dport_flags(&p, a), "");
	dport_parse(&p, "name=lower, Xyz=1, Family=local, Addr=/tmp/sock", 0, a, &err);
	assert_non_null(err);
	assert_string_equal(err, "PortOptions parameter \"Xyz=1\" unknown");
	assert_string_equal(p.name, "lower");
	assert_int_equal(p.family, AF_UNIX);
	assert_string_equal(dport_family_name(p.family), "local");
	/* D and d are different keys, as R and r */
	dport_parse(&p, "D=b, d=3, R=100, r=4", 0, a, &err);
	assert_int_equal(p.delivery_mode, 'b');
	assert_int_equal(p.delay_la, 3);
	assert_int_equal(p.rcvbuf, 100);
	assert_int_equal(p.refuse_la, 4);
	sm_arena_free(a);
}

static const char CF[] = "V10\n"
                         "Scheck_mail\n"
                         "R<$* @ spam.com>\t$#error $@ 5.7.1 $: \"550 Access denied\"\n"
                         "R<$* @ nocode.com>\t$#error $@ 5.7.0 $: go away\n"
                         "R<$* @ temp.com>\t$#error $@ 4.2.0 $: \"450 later\"\n"
                         "R<$* @ disc.com>\t$#discard $: x\n"
                         "R<$* @ quar.com>\t$#quarantine $: \"held for review\"\n"
                         "R<$* @ ok.com>\t$#OK\n";

static struct config *load_cf(void)
{
	struct config *cf = config_new();
	FILE *fp = fmemopen((void *)CF, strlen(CF), "r");

	readcf_stream(cf, fp, "test.cf");
	fclose(fp);
	return cf;
}

static void check(struct glue *g, const char *addr, struct smtp_decision *d)
{
	memset(d, 0, sizeof(*d));
	glue_rscheck(g, "check_mail", addr, NULL, addr, d);
}

static void test_rscheck_results(void **state)
{
	struct config *cf = load_cf();
	struct glue g;
	struct smtp_opts o;
	struct smtp_decision d;

	glue_init(&g, cf, NULL);
	smtp_opts_default(&o);
	o.hostname = "test";
	g.s = smtp_session_new(&o, NULL, g.conn);
	check(&g, "<a@spam.com>", &d);
	assert_int_equal(d.verdict, SMTP_REPLY);
	assert_int_equal(d.code, 550);
	assert_string_equal(d.dsn, "5.7.1");
	assert_string_equal(d.text, "<a@spam.com>... Access denied");
	check(&g, "<a@nocode.com>", &d);
	assert_int_equal(d.code, 553);
	assert_string_equal(d.dsn, "5.3.0");
	assert_string_equal(d.text, "<a@nocode.com>... go away");
	check(&g, "<a@temp.com>", &d);
	assert_int_equal(d.code, 450);
	assert_string_equal(d.dsn, "4.2.0");
	check(&g, "<a@disc.com>", &d);
	assert_int_equal(d.verdict, SMTP_DISCARD);
	check(&g, "<a@quar.com>", &d);
	assert_int_equal(d.verdict, SMTP_QUARANTINE);
	assert_string_equal(d.value, "held for review");
	check(&g, "<a@ok.com>", &d);
	assert_int_equal(d.verdict, SMTP_ACCEPT);
	check(&g, "<a@other.com>", &d);
	assert_int_equal(d.verdict, SMTP_ACCEPT);
	memset(&d, 0, sizeof(d));
	glue_rscheck(&g, "check_rcpt", "<a@spam.com>", NULL, NULL, &d); /* not defined */
	assert_int_equal(d.verdict, SMTP_ACCEPT);
	smtp_session_free(g.s);
	glue_free(&g);
	config_free(cf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dport_keys),
	    cmocka_unit_test(test_dport_defaults_and_errors),
	    cmocka_unit_test(test_rscheck_results),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
