/*
 * Unit tests of sendmail/envelope: header parsing and the cf's H lines,
 * message collection (dots, CR LF, From_ line, limits, 8-bit), recipient
 * processing (list order, duplicates, aliases, :include:, programs and
 * files, loops, the alias depth limit), and the qf an envelope makes (R
 * flags, C lines, final recipients).  A small cf is read from memory; its
 * aliases database is built in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/alias/alias.h"
#include "sendmail/cf/config.h"
#include "sendmail/envelope/envelope.h"
#include "sendmail/map/map.h"
#include "sendmail/queue/queue.h"

static char tmpdir[64];

/* A cf: local (aliases, users, |, /, :include:) and smtp, with H lines. */
static struct config *small_cf(void)
{
	struct sm_buf text = SM_BUF_INIT;
	struct config *cf = config_new();
	FILE *fp;

	sm_buf_printf(
	    &text,
	    "V10/Berkeley\n"
	    "Djvm.example.com\n"
	    "O OperatorChars=.:%%@!^/[]+\n"
	    "O AliasFile=%s/aliases\n"
	    "O MaxAliasRecursion=3\n"
	    "O PrivacyOptions=authwarnings\n"
	    "C{persistentMacros} _ r s {daemon_flags}\n"
	    "H?P?Return-Path: <$g>\n"
	    "HReceived: by $j id $i$?u for $u$.; $b\n"
	    "H?D?Resent-Date: $a\n"
	    "H?D?Date: $a\n"
	    "H?F?From: $?x$x <$g>$|$g$.\n"
	    "H?x?Full-Name: $x\n"
	    "H?${Ftest}?X-Cond: yes\n"
	    "Scanonify=3\n"
	    "R$* < $* > $*\t\t$2\n"
	    "S0\n"
	    "R$+ @ $+\t\t$#smtp $@ $2 $: $1 @ $2\n"
	    "R$+\t\t\t$#local $: $1\n"
	    "S4\n"
	    "Mlocal, P=/bin/true, F=lsDFMAw:|/@, S=0, R=0, T=DNS/RFC822/X-Unix, A=true $u\n"
	    "Mprog, P=/bin/sh, F=lsDFMq, S=0, R=0, A=sh -c $u\n"
	    "Msmtp, P=[IPC], F=mDFMuX, S=0, R=0, A=TCP $h\n",
	    tmpdir);
	fp = fmemopen(text.data, text.len, "r");
	readcf_stream(cf, fp, "test.cf");
	fclose(fp);
	sm_buf_free(&text);
	map_registry_finish(cf->maps, cf); /* readcf() does this after the last line */
	return cf;
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int setup(void **state)
{
	char aliases[512], spec[128];
	struct alias_opts o = {0};
	FILE *devnull = fopen("/dev/null", "w");

	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_envelope.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(aliases, sizeof(aliases),
	         "postmaster: root\n"
	         "list: root, daemon, :include:%s/list.inc\n"
	         "pipe: \"|/bin/cat\"\n"
	         "file: /tmp/some.file\n"
	         "owner-list: bin\n"
	         "loop1: loop2\nloop2: loop1\n"
	         "d0: d1\nd1: d2\nd2: d3\nd3: d4\nd4: root\n",
	         tmpdir);
	write_file("aliases", aliases);
	write_file("list.inc", "bin\n# comment\n\nsys\n");
	snprintf(spec, sizeof(spec), "%s/aliases", tmpdir);
	o.msgs = devnull;
	assert_int_equal(alias_rebuild(spec, &o, NULL), EX_OK);
	fclose(devnull);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* An envelope over a fresh cf; messages into *out (a memstream). */
struct fixture {
	struct config *cf;
	struct sm_arena *a;
	struct envelope *e;
	char *out;
	size_t outlen;
	FILE *fp;
};

static void fx_open(struct fixture *f)
{
	f->cf = small_cf();
	f->a = sm_arena_new();
	f->fp = open_memstream(&f->out, &f->outlen);
	f->e = env_new(f->cf, f->a, f->fp);
	macro_set(f->e->macros, macro_id("b"), "Sun, 1 Nov 2026 00:00:00 GMT");
	assert_true(env_setsender(f->e, "root", NULL, true));
}

static const char *fx_text(struct fixture *f)
{
	fflush(f->fp);
	return f->out;
}

static void fx_close(struct fixture *f)
{
	fclose(f->fp);
	free(f->out);
	env_free(f->e);
	sm_arena_free(f->a);
	config_free(f->cf);
}

static int collect_str(struct envelope *e, const char *msg, bool dots)
{
	FILE *in = fmemopen((void *)msg, strlen(msg), "r");
	struct env_collect_opts o = {dots, false, 0};
	int rc = env_collect(e, in, &o);

	fclose(in);
	return rc;
}

/* The recipients still to deliver, "user" each, comma-separated. */
static const char *sendable(struct fixture *f)
{
	struct sm_buf b = SM_BUF_INIT;
	const char *r;

	for (const struct env_rcpt *q = f->e->rcpts; q != NULL; q = q->next)
		if (q->state == RS_OK)
			sm_buf_printf(&b, "%s%s", b.len ? "," : "", q->user);
	r = sm_arena_strdup(f->a, sm_buf_str(&b));
	sm_buf_free(&b);
	return r;
}

/* ---- headers ---- */

static void test_header_lines_and_continuations(void **state)
{
	struct fixture f;
	struct env_header *h;

	fx_open(&f);
	assert_int_equal(collect_str(f.e, "Subject: a\n  b\nTo : x@y\r\n\r\nbody\r\n", false),
	                 EX_OK);
	h = env_header_find(f.e, "subject");
	assert_non_null(h);
	assert_string_equal(h->value, " a\n  b");
	assert_string_equal(env_header_value(f.e, h), "a  b");
	assert_string_equal(env_header_find(f.e, "to")->name, "To");
	assert_string_equal(sm_buf_str(&f.e->body), "body\n");
	assert_int_equal(f.e->msgsize, 30); /* CR LF counted as LF */
	fx_close(&f);
}

static void test_defaults_order_and_binding(void **state)
{
	struct fixture f;
	struct sm_buf b = SM_BUF_INIT;

	fx_open(&f);
	macro_set(f.e->macros, macro_id("i"), "QID");
	assert_int_equal(collect_str(f.e, "Date: Mon, 1 Jan 2024\nSubject: s\n\nx\n", false),
	                 EX_OK);
	(void)env_sendtolist(f.e, "root", NULL, 0, 0);
	env_headers_finish(f.e);
	for (struct env_header *h = f.e->headers; h != NULL; h = h->next)
		sm_buf_printf(&b, "%s:%s|", h->name, h->value);
	/* Return-Path bound late, Received first among the rest, the message's
	 * Date: in its own place, no Resent-Date, no X-Cond without ${Ftest} */
	assert_string_equal(sm_buf_str(&b),
	                    "Return-Path: <\201g>|Received: by vm.example.com id QID for root; "
	                    "Sun, 1 Nov 2026 00:00:00 GMT|From: root <root>|Full-Name: root|"
	                    "Date: Mon, 1 Jan 2024|Subject: s|");
	sm_buf_free(&b);
	fx_close(&f);
}

static void test_resent_and_macro_conditions(void **state)
{
	struct fixture f;

	fx_open(&f);
	macro_set(f.e->macros, macro_id("{Ftest}"), "1");
	assert_int_equal(collect_str(f.e, "Resent-To: a\nFrom: x\n\n", false), EX_OK);
	env_headers_finish(f.e);
	assert_non_null(env_header_find(f.e, "resent-date"));
	assert_non_null(env_header_find(f.e, "x-cond"));
	assert_string_equal(env_header_find(f.e, "from")->value, " x");
	fx_close(&f);
}

static void test_untrusted_sender_warning(void **state)
{
	struct fixture f;

	fx_open(&f);
	f.e->user = "joe";
	assert_true(env_setsender(f.e, "boss@example.org", NULL, false));
	assert_string_equal(env_header_find(f.e, "x-authentication-warning")->value,
	                    " vm.example.com: joe set sender to boss@example.org using -f");
	assert_null(f.e->auth);
	fx_close(&f);
}

static void test_arpadate(void **state)
{
	struct sm_buf b = SM_BUF_INIT;

	setenv("TZ", "UTC", 1);
	tzset();
	env_arpadate(86400 * 3, &b);
	assert_string_equal(sm_buf_str(&b), "Sun, 4 Jan 1970 00:00:00 GMT");
	sm_buf_reset(&b);
	setenv("TZ", "EST5", 1);
	tzset();
	env_arpadate(86400 * 3, &b);
	assert_string_equal(sm_buf_str(&b), "Sat, 3 Jan 1970 19:00:00 -0500 (EST)");
	sm_buf_free(&b);
	unsetenv("TZ");
	tzset();
}

/* ---- collect ---- */

static void test_dot_and_from_line(void **state)
{
	struct fixture f;

	fx_open(&f);
	assert_int_equal(
	    collect_str(f.e, "From root Sun Nov  1 00:00:00 2026\nS: x\n\na\n.\nb\n", false),
	    EX_OK);
	assert_null(env_header_find(f.e, "from"));
	assert_string_equal(sm_buf_str(&f.e->body), "a\n");
	fx_close(&f);
	fx_open(&f);
	assert_int_equal(collect_str(f.e, "S: x\n\na\n.\n.b\n", true), EX_OK);
	assert_string_equal(sm_buf_str(&f.e->body), "a\n.\n.b\n");
	fx_close(&f);
}

static void test_body_without_separator_and_8bit(void **state)
{
	struct fixture f;

	fx_open(&f);
	f.e->bodytype = "8BITMIME";
	assert_int_equal(collect_str(f.e, "S: x\nnot a header\nmore", false), EX_OK);
	assert_string_equal(sm_buf_str(&f.e->body), "not a header\nmore\n");
	assert_string_equal(f.e->bodytype, "7BIT");
	assert_false(f.e->eflags & EF_HAS8BIT);
	fx_close(&f);
	fx_open(&f);
	assert_int_equal(collect_str(f.e, "S: x\n\n\xe9\n", false), EX_OK);
	assert_true(f.e->eflags & EF_HAS8BIT);
	fx_close(&f);
}

static void test_headers_too_large(void **state)
{
	struct fixture f;
	struct sm_buf msg = SM_BUF_INIT;

	fx_open(&f);
	sm_buf_puts(&msg, "X-Big: ");
	for (int i = 0; i < 40000; i++)
		sm_buf_putc(&msg, 'a');
	sm_buf_puts(&msg, "\n\nbody\n");
	assert_int_equal(collect_str(f.e, sm_buf_str(&msg), false), EX_DATAERR);
	assert_string_equal(fx_text(&f), "Headers too large (32768 max)\n");
	assert_int_equal(sm_buf_str(&f.e->body)[0], '\0');
	sm_buf_free(&msg);
	fx_close(&f);
}

/* ---- recipients ---- */

static void test_list_order_and_duplicates(void **state)
{
	struct fixture f;

	fx_open(&f);
	assert_int_equal(env_sendtolist(f.e, "daemon, root, daemon", NULL, 0, 0), 3);
	assert_string_equal(sendable(&f), "daemon,root");
	assert_string_equal(f.e->rcpts->finalrcpt, "RFC822; daemon@vm.example.com");
	(void)env_sendtolist(f.e, "u@Remote.example, a@b.example", NULL, 0, 0);
	/* host order: local (no host) first, then b.example, remote.example */
	assert_string_equal(sendable(&f), "daemon,root,a@b.example,u@Remote.example");
	fx_close(&f);
}

static void test_alias_include_owner(void **state)
{
	struct fixture f;
	struct qf *q;
	struct sm_buf b = SM_BUF_INIT;

	fx_open(&f);
	(void)env_sendtolist(f.e, "list", NULL, 0, 0);
	assert_string_equal(sendable(&f), "bin,sys,daemon,root");
	q = env_to_qf(f.e);
	qf_format(q, &b);
	/* members of an alias carry A, those of the :include: do not; the
	 * controlling user of each is itself (a local user) under its parent */
	assert_non_null(strstr(sm_buf_str(&b), "Cbin:2:2::include:"));
	assert_non_null(strstr(sm_buf_str(&b), "rRFC822; list@vm.example.com\nRFD:bin\n"));
	assert_non_null(strstr(sm_buf_str(&b), "Cdaemon:1:1:list\nrRFC822; list@vm.example.com\n"
	                                       "RFDA:daemon\nC:list\n"));
	assert_string_equal(f.e->rcpts->owner, "bin"); /* owner-list */
	sm_buf_free(&b);
	fx_close(&f);
}

/* Queueing: recipients of an owner- list go in an envelope whose sender is the owner. */
static void test_queue_splits_by_owner(void **state)
{
	struct fixture f;
	struct qdir d;
	char qpath[128];
	struct qf *q;
	struct sm_buf err = SM_BUF_INIT, path = SM_BUF_INIT;
	struct sm_arena *a = sm_arena_new();
	int nq = 0;

	snprintf(qpath, sizeof(qpath), "%s/mq", tmpdir);
	assert_int_equal(mkdir(qpath, 0700), 0);
	fx_open(&f);
	qdir_init(&d, qpath, f.a);
	assert_int_equal(collect_str(f.e, "Subject: s\n\nbody\n", false), EX_OK);
	(void)env_sendtolist(f.e, "list, root", NULL, 0, 0);
	assert_int_equal(env_assign_id(f.e, &d), EX_OK);
	env_headers_finish(f.e);
	assert_int_equal(env_queue(f.e, &d), EX_OK);
	qdir_file(&d, QT_CONTROL, f.e->id, &path);
	assert_int_equal(qf_read_file(sm_buf_str(&path), a, &q, &err), 0);
	assert_string_equal(q->sender, "root");
	assert_string_equal(q->rcpts->addr, "root");
	assert_null(q->rcpts->next);
	assert_string_equal(q->flags, "s");
	{
		DIR *dir = opendir(qpath);
		struct dirent *de;

		while ((de = readdir(dir)) != NULL)
			nq += strncmp(de->d_name, "qf", 2) == 0;
		closedir(dir);
	}
	assert_int_equal(nq, 2); /* the main part and the owner's */
	sm_buf_free(&err);
	sm_buf_free(&path);
	sm_arena_free(a);
	fx_close(&f);
}

static void test_programs_files_only_through_aliases(void **state)
{
	struct fixture f;

	fx_open(&f);
	(void)env_sendtolist(f.e, "\"|/bin/true\", /tmp/x, :include:/etc/passwd", NULL, 0, 0);
	assert_string_equal(fx_text(&f),
	                    ":include:/etc/passwd... Cannot mail directly to :include:s\n"
	                    "/tmp/x... Cannot mail directly to files\n"
	                    "\"|/bin/true\"... Cannot mail directly to programs\n");
	assert_int_equal(f.e->exitstat, EX_USAGE);
	fx_close(&f);
	fx_open(&f);
	(void)env_sendtolist(f.e, "pipe, file", NULL, 0, 0);
	assert_string_equal(fx_text(&f), "");
	assert_string_equal(sendable(&f), "/tmp/some.file,\"|/bin/cat\"");
	for (const struct env_rcpt *r = f.e->rcpts; r != NULL; r = r->next)
		if (r->state == RS_OK)
			assert_string_equal(r->mailer_name, r->user[0] == '/' ? "*file*" : "prog");
	fx_close(&f);
}

static void test_unknown_user_and_loops(void **state)
{
	struct fixture f;

	fx_open(&f);
	(void)env_sendtolist(f.e, "nosuchuser4711", NULL, 0, 0);
	assert_string_equal(fx_text(&f), "nosuchuser4711... User unknown\n");
	assert_int_equal(f.e->exitstat, EX_NOUSER);
	assert_string_equal(f.e->message, "User unknown");
	fx_close(&f);
	fx_open(&f);
	(void)env_sendtolist(f.e, "loop1", NULL, 0, 0);
	assert_string_equal(fx_text(&f), "aliasing/forwarding loop broken\n");
	fx_close(&f);
	fx_open(&f);
	(void)env_sendtolist(f.e, "d0", NULL, 0, 0);
	assert_string_equal(fx_text(&f),
	                    "d4... aliasing/forwarding loop broken (4 aliases deep; 3 max)\n");
	assert_string_equal(sendable(&f), "");
	fx_close(&f);
}

static void test_postmaster_any_case_and_primary(void **state)
{
	struct fixture f;
	struct sm_buf b = SM_BUF_INIT;

	fx_open(&f);
	(void)env_sendtolist(f.e, "PostMaster", NULL, 0, 0);
	assert_string_equal(sendable(&f), "root");
	qf_format(env_to_qf(f.e), &b);
	/* one address became exactly one: it inherits "primary"; uid 0 -> ":alias" */
	assert_non_null(strstr(sm_buf_str(&b), "C:PostMaster\nrRFC822; postmaster@vm.example.com\n"
	                                       "RPFDA:root\n"));
	sm_buf_free(&b);
	fx_close(&f);
}

static void test_verify_output(void **state)
{
	struct fixture f;

	fx_open(&f);
	(void)env_sendtolist(f.e, "root, u@h.example", NULL, 0, 0);
	(void)env_print_verify(f.e);
	assert_string_equal(fx_text(&f), "root... deliverable: mailer local, user root\n"
	                                 "u@h.example... deliverable: mailer smtp, host h.example, "
	                                 "user u@h.example\n");
	fx_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_lines_and_continuations),
	    cmocka_unit_test(test_defaults_order_and_binding),
	    cmocka_unit_test(test_resent_and_macro_conditions),
	    cmocka_unit_test(test_untrusted_sender_warning),
	    cmocka_unit_test(test_arpadate),
	    cmocka_unit_test(test_dot_and_from_line),
	    cmocka_unit_test(test_body_without_separator_and_8bit),
	    cmocka_unit_test(test_headers_too_large),
	    cmocka_unit_test(test_list_order_and_duplicates),
	    cmocka_unit_test(test_alias_include_owner),
	    cmocka_unit_test(test_queue_splits_by_owner),
	    cmocka_unit_test(test_programs_files_only_through_aliases),
	    cmocka_unit_test(test_unknown_user_and_loops),
	    cmocka_unit_test(test_postmaster_any_case_and_primary),
	    cmocka_unit_test(test_verify_output),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
