/*
 * test_smtp_session: the server core's hooks and driver (sendmail/smtp/),
 * the parts the golden dialogues cannot show: the macros each policy
 * call sees, the check points reached, greet_pause and check_relay
 * refusals, srv_features from the policy, sink failures, eoh/eom
 * decisions, timeouts, PrivacyOptions parsing, and smtp_session_run_fd()
 * over a socketpair (replies to a pipelined group in one write).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "sendmail/cf/config.h"
#include "sendmail/smtp/server.h"

struct rec {
	struct sm_buf log;      /* one line per policy call: "check_x arg | macros" */
	const char *features;   /* srv_features answer */
	const char *pause;      /* greet_pause answer */
	enum smtp_check refuse; /* this check answers 550 */
	bool refuse_on;
	bool fail_begin, fail_commit;
	int commits, aborts;
	struct sm_buf body;
};

static const char *mac(struct macros *m, const char *name)
{
	const char *v = macro_get(m, macro_id(name));

	return v != NULL ? v : "-";
}

static void rec_policy(void *ctx, enum smtp_check which, const char *arg, struct macros *m,
                       struct smtp_decision *out)
{
	struct rec *r = ctx;

	sm_buf_printf(&r->log, "%s [%s] addr=%s name=%s s=%s mail=%s rcpt=%s n=%s size=%s\n",
	              smtp_check_name(which), arg, mac(m, "{client_addr}"), mac(m, "{client_name}"),
	              mac(m, "s"), mac(m, "{mail_addr}"), mac(m, "{rcpt_addr}"), mac(m, "{nrcpts}"),
	              mac(m, "{msg_size}"));
	if (which == SMTP_CHECK_SRV_FEATURES)
		out->value = r->features;
	if (which == SMTP_CHECK_GREET_PAUSE)
		out->value = r->pause;
	if (r->refuse_on && which == r->refuse) {
		out->verdict = SMTP_REPLY;
		out->code = 550;
		out->dsn = "5.7.1";
		out->text = "Go away";
	}
}

static bool rec_begin(void *ctx, const struct smtp_txn *t, struct smtp_sink_error *e)
{
	struct rec *r = ctx;

	(void)t;
	if (r->fail_begin) {
		e->code = 452;
		e->dsn = "4.4.5";
		e->text = "Insufficient disk space; try again later";
		return false;
	}
	sm_buf_reset(&r->body);
	return true;
}

static bool rec_body(void *ctx, const char *p, size_t n)
{
	sm_buf_append(&((struct rec *)ctx)->body, p, n);
	return true;
}

static bool rec_commit(void *ctx, const struct smtp_txn *t, struct sm_buf *qid,
                       struct smtp_sink_error *e)
{
	struct rec *r = ctx;

	(void)t;
	if (r->fail_commit) {
		(void)e; /* generic 451 */
		return false;
	}
	sm_buf_printf(qid, "ID%d", ++r->commits);
	return true;
}

static void rec_abort(void *ctx)
{
	((struct rec *)ctx)->aborts++;
}

static struct smtp_session *session(struct rec *r, struct smtp_opts *o)
{
	struct smtp_hooks h;
	struct smtp_opts def;

	if (o == NULL) {
		smtp_opts_default(&def);
		def.hostname = "mx.example.com";
		def.greeting = "mx.example.com Sendmail 8.17.1.9/8.17.1.9; now";
		def.client_addr = "192.0.2.7";
		def.client_name = "client.example.org";
		o = &def;
	}
	memset(&h, 0, sizeof(h));
	h.ctx = r;
	h.policy = rec_policy;
	h.sink = (struct smtp_sink){
	    .begin = rec_begin, .body = rec_body, .commit = rec_commit, .abort = rec_abort};
	return smtp_session_new(o, &h, NULL);
}

/* Feed text and return everything queued (static buffer, CRLF kept). */
static const char *say(struct smtp_session *s, const char *text)
{
	static struct sm_buf out;
	size_t len;
	const char *p;

	smtp_session_feed(s, text, strlen(text));
	p = smtp_session_output(s, &len);
	sm_buf_reset(&out);
	sm_buf_append(&out, p, len);
	smtp_session_output_done(s);
	return sm_buf_str(&out);
}

static void rec_free(struct rec *r)
{
	sm_buf_free(&r->log);
	sm_buf_free(&r->body);
}

static void test_macros_at_check_points(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	const char *log;

	(void)state;
	smtp_session_start(s);
	smtp_session_greet(s);
	say(s, "EHLO client.example.org\r\n");
	say(s, "MAIL FROM:<a@example.org> SIZE=42\r\n");
	say(s, "RCPT TO:<b@example.com>\r\n");
	say(s, "DATA\r\n");
	assert_string_equal(say(s, "Subject: x\r\n\r\nhi\r\n.\r\n"),
	                    "250 2.0.0 ID1 Message accepted for delivery\r\n");
	log = sm_buf_str(&r.log);
	assert_non_null(strstr(log, "check_relay [client.example.org $| 192.0.2.7] "
	                            "addr=192.0.2.7 name=client.example.org"));
	assert_non_null(strstr(log,
	                       "check_mail [<a@example.org>] addr=192.0.2.7 "
	                       "name=client.example.org s=client.example.org mail=a@example.org "
	                       "rcpt=- n=0 size=42"));
	assert_non_null(strstr(log,
	                       "check_rcpt [<b@example.com>] addr=192.0.2.7 "
	                       "name=client.example.org s=client.example.org mail=a@example.org "
	                       "rcpt=b@example.com n=0"));
	assert_non_null(strstr(log, "check_data [] "));
	assert_non_null(strstr(log, "n=1"));
	assert_non_null(strstr(log, "check_eoh [1 $| 11]"));
	assert_non_null(strstr(log, "check_eom [15]"));
	assert_string_equal(sm_buf_str(&r.body), "Subject: x\r\n\r\nhi\r\n");
	assert_string_equal(macro_get(smtp_session_macros(s), macro_id("i")), "ID1");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_client_label(void **state)
{
	struct rec r = {0};
	struct smtp_opts o;
	struct smtp_session *s;

	(void)state;
	smtp_opts_default(&o);
	o.hostname = "mx";
	o.client_addr = "192.0.2.9";
	o.client_name = "[192.0.2.9]";
	s = session(&r, &o);
	smtp_session_start(s);
	smtp_session_greet(s);
	smtp_session_output_done(s);
	assert_string_equal(say(s, "HELO x\r\n"),
	                    "250 mx Hello [192.0.2.9], pleased to meet you\r\n");
	smtp_session_free(s);
	o.client_name = "host.example";
	o.client_resolve = "FORGED";
	s = session(&r, &o);
	smtp_session_start(s);
	smtp_session_greet(s);
	smtp_session_output_done(s);
	assert_string_equal(
	    say(s, "HELO x\r\n"),
	    "250 mx Hello host.example [192.0.2.9] (may be forged), pleased to meet you\r\n");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_greet_pause(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	size_t len;

	(void)state;
	r.pause = "5000";
	assert_int_equal(smtp_session_start(s), 5000);
	smtp_session_feed(s, "EHLO early\r\n", 12); /* talked during the pause */
	smtp_session_greet(s);
	assert_string_equal(
	    smtp_session_output(s, &len),
	    "554 mx.example.com not accepting messages\r\n"
	    "250-mx.example.com Hello client.example.org [192.0.2.7], pleased to meet you\r\n"
	    "250 ENHANCEDSTATUSCODES\r\n");
	smtp_session_output_done(s);
	assert_string_equal(say(s, "MAIL FROM:<a@b>\r\n"), "550 5.0.0 Command rejected\r\n");
	assert_string_equal(say(s, "QUIT\r\n"), "221 2.0.0 mx.example.com closing connection\r\n");
	assert_true(smtp_session_closed(s));
	smtp_session_free(s);
	rec_free(&r);
}

static void test_relay_refused(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	size_t len;

	(void)state;
	r.refuse_on = true;
	r.refuse = SMTP_CHECK_RELAY;
	smtp_session_start(s);
	smtp_session_greet(s);
	assert_non_null(strstr(smtp_session_output(s, &len), "220 mx.example.com ESMTP"));
	smtp_session_output_done(s);
	assert_string_equal(say(s, "MAIL FROM:<a@b>\r\n"), "550 5.7.1 Go away\r\n");
	assert_string_equal(say(s, "NOOP\r\n"), "250 2.0.0 OK\r\n");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_features_from_policy(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	const char *out;

	(void)state;
	r.features = "P X B D E";
	smtp_session_start(s);
	smtp_session_greet(s);
	smtp_session_output_done(s);
	out = say(s, "EHLO c\r\n");
	assert_null(strstr(out, "PIPELINING"));
	assert_null(strstr(out, "EXPN"));
	assert_null(strstr(out, "250-VERB"));
	assert_null(strstr(out, "DSN"));
	assert_null(strstr(out, "ETRN"));
	assert_non_null(strstr(out, "250-8BITMIME\r\n250-SIZE\r\n250-DELIVERBY\r\n250 HELP\r\n"));
	assert_string_equal(say(s, "EXPN x\r\n"),
	                    "502 5.7.0 Sorry, we do not allow this operation\r\n");
	assert_string_equal(say(s, "VERB\r\n"), "502 5.7.0 Verbose unavailable\r\n");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_features_tempfail(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	size_t len;

	(void)state;
	r.features = "$#temp";
	smtp_session_start(s);
	smtp_session_greet(s);
	assert_string_equal(
	    smtp_session_output(s, &len),
	    "421 4.3.0 mx.example.com Temporary system failure. Please try again later.\r\n");
	assert_true(smtp_session_closed(s));
	smtp_session_free(s);
	rec_free(&r);
}

/* Start a session and get to the 354. */
static struct smtp_session *to_data(struct rec *r)
{
	struct smtp_session *s = session(r, NULL);

	smtp_session_start(s);
	smtp_session_greet(s);
	say(s, "EHLO c\r\n");
	say(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
	return s;
}

static void test_sink_failures(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = to_data(&r);

	(void)state;
	r.fail_begin = true;
	assert_string_equal(say(s, "DATA\r\n"),
	                    "452 4.4.5 Insufficient disk space; try again later\r\n");
	r.fail_begin = false;
	r.fail_commit = true;
	assert_string_equal(say(s, "DATA\r\n"), "354 End data with <CR><LF>.<CR><LF>\r\n");
	assert_string_equal(say(s, "x\r\n.\r\n"),
	                    "451 4.3.0 Temporary system failure. Please try again later.\r\n");
	/* The transaction is gone after a failed commit. */
	assert_string_equal(say(s, "DATA\r\n"), "503 5.0.0 Need MAIL command\r\n");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_eoh_eom_refusals(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = to_data(&r);

	(void)state;
	r.refuse_on = true;
	r.refuse = SMTP_CHECK_EOH;
	say(s, "DATA\r\n");
	assert_string_equal(say(s, "A: b\r\n\r\nbody\r\n"), "");
	assert_string_equal(say(s, ".\r\n"), "550 5.7.1 Go away\r\n");
	assert_int_equal(r.aborts, 1);
	say(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
	r.refuse = SMTP_CHECK_EOM;
	say(s, "DATA\r\n");
	assert_string_equal(say(s, "body\r\n.\r\n"), "550 5.7.1 Go away\r\n");
	assert_int_equal(r.aborts, 2);
	assert_int_equal(r.commits, 0);
	smtp_session_free(s);
	rec_free(&r);
}

static void test_headers_too_large(void **state)
{
	struct rec r = {0};
	struct smtp_opts o;
	struct smtp_session *s;

	(void)state;
	smtp_opts_default(&o);
	o.hostname = "mx";
	o.max_headers_length = 20;
	s = session(&r, &o);
	smtp_session_start(s);
	smtp_session_greet(s);
	say(s, "HELO c\r\n");
	say(s, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n");
	say(s, "DATA\r\n");
	assert_string_equal(say(s, "Subject: 0123456789012345\r\n\r\n.\r\n"),
	                    "552 5.6.0 Headers too large (20 max)\r\n");
	smtp_session_free(s);
	rec_free(&r);
}

static void test_timeout_and_eof(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = to_data(&r);
	size_t len;

	(void)state;
	say(s, "DATA\r\n");
	say(s, "partial");
	assert_true(smtp_session_in_data(s));
	smtp_session_timeout(s);
	assert_string_equal(smtp_session_output(s, &len),
	                    "421 4.4.1 collect: relay=client.example.org, from=<a@b>, "
	                    "info=read timeout\r\n");
	assert_true(smtp_session_closed(s));
	assert_true(smtp_session_timed_out(s));
	assert_int_equal(smtp_session_lost(s), 2);
	assert_int_equal(r.aborts, 1);
	smtp_session_free(s);
	/* waiting for a command: closed without a reply */
	s = to_data(&r);
	smtp_session_output_done(s);
	smtp_session_timeout(s);
	assert_string_equal(smtp_session_output(s, &len), "");
	assert_true(smtp_session_closed(s));
	assert_int_equal(smtp_session_lost(s), 1);
	smtp_session_free(s);
	s = to_data(&r);
	say(s, "DATA\r\n");
	say(s, "partial");
	smtp_session_eof(s);
	assert_int_equal(r.aborts, 2);
	assert_false(smtp_session_timed_out(s));
	assert_int_equal(r.commits, 0);
	smtp_session_free(s);
	rec_free(&r);
}

static void test_noop_delay(void **state)
{
	struct rec r = {0};
	struct smtp_session *s = session(&r, NULL);
	int i;

	(void)state;
	smtp_session_start(s);
	smtp_session_greet(s);
	for (i = 0; i < 20; i++)
		say(s, "NOOP\r\n");
	assert_int_equal(smtp_session_delay(s), 0);
	smtp_session_feed(s, "NOOP\r\n", 6);
	assert_int_equal(smtp_session_delay(s), 1000);
	smtp_session_output_done(s);
	smtp_session_feed(s, "NOOP\r\n", 6);
	assert_int_equal(smtp_session_delay(s), 2000);
	smtp_session_free(s);
	rec_free(&r);
}

static void test_privacy_parse(void **state)
{
	const char *bad;

	(void)state;
	assert_int_equal(smtp_privacy_parse("public", &bad), 0);
	assert_null(bad);
	assert_int_equal(smtp_privacy_parse("goaway", NULL), SMTP_PRIV_GOAWAY);
	assert_int_equal(smtp_privacy_parse("NoExpn, novrfy,noetrn", NULL),
	                 SMTP_PRIV_NOEXPN | SMTP_PRIV_NOVRFY | SMTP_PRIV_NOETRN);
	assert_int_equal(smtp_privacy_parse("authwarnings bogus", &bad), SMTP_PRIV_AUTHWARNINGS);
	assert_string_equal(bad, "bogus");
	assert_false(SMTP_PRIV_GOAWAY & (SMTP_PRIV_NOETRN | SMTP_PRIV_NOBODYRETURN |
	                                 SMTP_PRIV_NORECEIPTS | SMTP_PRIV_RESTRICTMAILQ));
}

/* Read from fd until the peer has sent a line starting with want, or 2 s pass. */
static void read_until(int fd, struct sm_buf *got, const char *want)
{
	char buf[4096];
	int i;

	for (i = 0; i < 200 && strstr(sm_buf_str(got), want) == NULL; i++) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 10) <= 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		sm_buf_append(got, buf, (size_t)n);
	}
}

static void test_run_fd(void **state)
{
	int sv[2];
	pid_t pid;
	struct sm_buf got = SM_BUF_INIT;
	int status;
	const char *batch = "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\n";

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rec r = {0};
		struct smtp_session *s;

		close(sv[0]);
		s = session(&r, NULL);
		_exit(smtp_session_run_fd(s, sv[1], sv[1], 5, 5) == 0 && r.commits == 1 ? 0 : 1);
	}
	close(sv[1]);
	read_until(sv[0], &got, "220 ");
	assert_int_equal(write(sv[0], "EHLO c\r\n", 8), 8);
	read_until(sv[0], &got, "250 HELP");
	sm_buf_reset(&got);
	assert_int_equal(write(sv[0], batch, strlen(batch)), (ssize_t)strlen(batch));
	read_until(sv[0], &got, "<e@f>... Recipient ok");
	assert_string_equal(sm_buf_str(&got), "250 2.1.0 <a@b>... Sender ok\r\n"
	                                      "250 2.1.5 <c@d>... Recipient ok\r\n"
	                                      "250 2.1.5 <e@f>... Recipient ok\r\n");
	assert_int_equal(write(sv[0], "DATA\r\n", 6), 6);
	read_until(sv[0], &got, "354 ");
	assert_int_equal(write(sv[0], "x\r\n.\r\nQUIT\r\n", 12), 12);
	read_until(sv[0], &got, "221 ");
	assert_non_null(strstr(sm_buf_str(&got),
	                       "250 2.0.0 ID1 Message accepted for delivery\r\n"
	                       "221 2.0.0 mx.example.com closing connection\r\n"));
	close(sv[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	sm_buf_free(&got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_macros_at_check_points),
	    cmocka_unit_test(test_client_label),
	    cmocka_unit_test(test_greet_pause),
	    cmocka_unit_test(test_relay_refused),
	    cmocka_unit_test(test_features_from_policy),
	    cmocka_unit_test(test_features_tempfail),
	    cmocka_unit_test(test_sink_failures),
	    cmocka_unit_test(test_eoh_eom_refusals),
	    cmocka_unit_test(test_headers_too_large),
	    cmocka_unit_test(test_timeout_and_eof),
	    cmocka_unit_test(test_noop_delay),
	    cmocka_unit_test(test_privacy_parse),
	    cmocka_unit_test(test_run_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
