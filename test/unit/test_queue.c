/*
 * Unit tests for sendmail/queue: id encoding and the generator's batches,
 * the qf reader's errors (each with its file:line) and tolerances, the
 * writer's bytes, the disk protocol (modes, locks, stale tf), directory
 * layouts and the mailq listing.  The comparisons with the reference
 * Sendmail live in test/queue/ (pytest).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/queue/queue.h"
#include "test/unit/unit_util.h"

/* ---- ids ---- */

static void test_qid_format(void **state)
{
	char id[QID_BUFSIZE];

	(void)state;
	/* 2026-11-21 22:12:06 UTC, the catalogue's example id. */
	qid_format(id, 1795299126, 50 * 60 + 48, 23476);
	assert_string_equal(id, "6ALMC6om023476");
	qid_format(id, 0, 0, 1);
	assert_string_equal(id, "A0100000000001"); /* 1970: year 70 % 60 = 10 */
	qid_format(id, 1795299126, 3599, 4194303);
	assert_string_equal(id, "6ALMC6xx4194303");
}

static void test_qid_generator(void **state)
{
	struct qid_gen g = QID_GEN_INIT;
	char id[QID_BUFSIZE];
	int i;

	(void)state;
	assert_int_equal(qid_next_at(&g, 1795299126, 42, 3599, id), 0);
	assert_string_equal(id, "6ALMC6xx000042");
	assert_int_equal(qid_next_at(&g, 1795299127, 42, 0, id), 0);
	assert_string_equal(id, "6ALMC600000042"); /* the batch keeps its second */
	for (i = 2; i < QID_SEQ_MAX; i++)
		assert_int_equal(qid_next_at(&g, 1795299127, 42, 0, id), 0);
	assert_string_equal(id, "6ALMC6xw000042");
	/* Used up: the same second (even the batch's) gives nothing ... */
	assert_int_equal(qid_next_at(&g, 1795299126, 42, 0, id), -1);
	/* ... a later one starts a new batch at the same offset. */
	assert_int_equal(qid_next_at(&g, 1795299128, 42, 0, id), 0);
	assert_string_equal(id, "6ALMC8xx000042");
	/* A new pid (a forked child) starts at once, in the same second. */
	assert_int_equal(qid_next_at(&g, 1795299128, 43, 0, id), 0);
	assert_string_equal(id, "6ALMC8xx000043");
}

static void test_qid_valid_decode(void **state)
{
	struct tm tm;
	unsigned seq;
	long pid;

	(void)state;
	assert_true(qid_valid("6ALMC6om023476"));
	assert_true(qid_valid("6ALMC6om23476"));
	assert_false(qid_valid("6ALMC6om2347"));
	assert_false(qid_valid("6ALMC6oy023476")); /* sequence uses 60 chars */
	assert_false(qid_valid("6ALMC6om02347a"));
	assert_false(qid_valid("6AL-C6om023476"));
	assert_false(qid_valid(""));
	assert_true(qid_decode("6ALMC6om023476", &tm, &seq, &pid));
	assert_int_equal(tm.tm_year, 6);
	assert_int_equal(tm.tm_mon, 10);
	assert_int_equal(tm.tm_mday, 21);
	assert_int_equal(tm.tm_hour, 22);
	assert_int_equal(tm.tm_min, 12);
	assert_int_equal(tm.tm_sec, 6);
	assert_int_equal(seq, 3048);
	assert_int_equal(pid, 23476);
}

/* ---- reader ---- */

static const char good[] =
	"V8\nT1795304524\nK0\nN0\nP30018\nFs\n$_root@localhost\n${daemon_flags}c u\n"
	"Ssender@example.com\nAsender@example.com\nrRFC822; rcpt@example.org\n"
	"RPFD:rcpt@example.org\nH?P?Return-Path: <\201g>\nH??Received: (from root@localhost)\n"
	"\tby vm.example.com (8.17.1.9/8.17.1.9) id 6ALNg4a5019211\n"
	"\tfor rcpt@example.org; Sat, 21 Nov 2026 23:42:04 GMT\n"
	"H?D?Date: Sat, 21 Nov 2026 23:42:04 GMT\nH??Subject: hi\n.\n";

/* Parse text; returns the qf or NULL with the error in err. */
static struct qf *parse(const char *text, struct sm_arena *a, struct sm_buf *err)
{
	struct qf *q = NULL;

	if (qf_parse(text, strlen(text), "qfTEST", a, &q, err) < 0)
		return NULL;
	return q;
}

static void expect_error(const char *text, const char *msg)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT;

	if (parse(text, a, &err) != NULL)
		fail_msg("accepted: %s", text);
	if (strcmp(sm_buf_str(&err), msg) != 0)
		fail_msg("got \"%s\", want \"%s\"", sm_buf_str(&err), msg);
	sm_buf_free(&err);
	sm_arena_free(a);
}

static void test_read_errors(void **state)
{
	(void)state;
	expect_error("V8\nT1\nXfoo\n.\n", "qfTEST:3: bad line \"Xfoo\"");
	expect_error("V8\nT1\n\n.\n", "qfTEST:3: bad line \"\"");
	expect_error("V9\nT1\n.\n", "qfTEST:1: queue file version 9 greater than max (8)");
	expect_error("T1\nV8\n.\n", "qfTEST:2: V line is not the first line");
	expect_error("V8\nT1\nK0\n", "qfTEST:4: incomplete queue file (no \".\" line)");
	expect_error("V8\nT1\nK0", "qfTEST:3: truncated line (no newline at end of file)");
	expect_error("", "qfTEST:1: incomplete queue file (no \".\" line)");
	expect_error("V8\nTabc\n.\n", "qfTEST:2: bad number in T line: \"abc\"");
	expect_error("V8\nP12x\n.\n", "qfTEST:2: bad number in P line: \"12x\"");
	expect_error("V8\nBBINARYMIME\n.\n", "qfTEST:2: bad body type \"BINARYMIME\"");
	expect_error("V8\nH?D?Date\n.\n", "qfTEST:2: header syntax error, line \"?D?Date\"");
	expect_error("V8\nH?D\n.\n", "qfTEST:2: header syntax error, line \"?D\"");
	expect_error("V8\n${abc\n.\n", "qfTEST:2: unbalanced { in macro line \"{abc\"");
	expect_error("V8\n$\n.\n", "qfTEST:2: macro line without a name");
	expect_error("V8\nRPFD\n.\n", "qfTEST:2: R line without ':': \"PFD\"");
	expect_error("V8\n.\njunk\n", "qfTEST:3: data after the \".\" line");
	expect_error("V8\nI1/2\n.\n", "qfTEST:2: bad I line: \"1/2\"");
	expect_error("V8\n!x\n.\n", "qfTEST:2: bad deliver-by line: \"x\"");
	expect_error("V8\nCuser:1:x:a@b\n.\n", "qfTEST:2: bad uid or gid in C line: \"user:1:x:a@b\"");
	expect_error("V8\n.x\n.\n", "qfTEST:2: bad line \".x\"");
	expect_error(" cont\n.\n", "qfTEST:1: bad line \" cont\"");
	/* Line numbers count continuation lines. */
	expect_error("V8\nH??A: x\n\ty\n z\nW\n.\n", "qfTEST:5: bad line \"W\"");
}

static void test_read_nul_and_bounds(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT;
	struct qf *q;
	static const char nul[] = "V8\nS\0x\n.\n";
	char *big;

	(void)state;
	assert_int_equal(qf_parse(nul, sizeof(nul) - 1, "n", a, &q, &err), -1);
	assert_string_equal(sm_buf_str(&err), "n:2: NUL byte in line");
	big = malloc(QF_MAX_LINE + 16);
	memset(big, 'x', QF_MAX_LINE + 16);
	memcpy(big, "V8\nM", 4);
	big[QF_MAX_LINE + 10] = '\n';
	assert_int_equal(qf_parse(big, QF_MAX_LINE + 11, "b", a, &q, &err), -1);
	assert_string_equal(sm_buf_str(&err), "b:2: line longer than 1048576 bytes");
	free(big);
	assert_int_equal(qf_read_file("/nonexistent/qfX", a, &q, &err), -1);
	assert_string_equal(sm_buf_str(&err), "/nonexistent/qfX: No such file or directory");
	sm_buf_free(&err);
	sm_arena_free(a);
}

static void test_read_fields(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT;
	struct qf *q = parse(good, a, &err);
	struct qf_header *h;

	(void)state;
	assert_non_null(q);
	assert_int_equal(q->version, 8);
	assert_int_equal(q->ctime, 1795304524);
	assert_int_equal(q->priority, 30018);
	assert_true(qf_has_flag(q, QF_F_SPLIT));
	assert_false(qf_has_flag(q, QF_F_WARNING));
	assert_string_equal(q->macros->name, "_");
	assert_string_equal(q->macros->next->name, "{daemon_flags}");
	assert_string_equal(q->macros->next->value, "c u");
	assert_string_equal(q->sender, "sender@example.com");
	assert_int_equal(q->rcpts->flags, QF_R_PRIMARY | QF_R_FAILURE | QF_R_DELAY);
	assert_string_equal(q->rcpts->final_rcpt, "RFC822; rcpt@example.org");
	assert_null(q->rcpts->orcpt);
	h = q->headers->next;
	assert_string_equal(h->name, "Received");
	assert_string_equal(h->cond, "");
	assert_non_null(strstr(h->value, "\n\tby vm.example.com"));
	assert_true(qf_header_has_flag(q->headers, 'P'));
	assert_false(qf_header_has_flag(h, 'P'));
	assert_null(qf_header_macro(h, a));
	sm_buf_free(&err);
	sm_arena_free(a);
}

/* Parse then format: the bytes must come back unchanged. */
static void expect_round_trip(const char *text)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT, out = SM_BUF_INIT;
	struct qf *q = parse(text, a, &err);

	if (q == NULL)
		fail_msg("%s", sm_buf_str(&err));
	qf_format(q, &out);
	assert_string_equal(sm_buf_str(&out), text);
	sm_buf_free(&out);
	sm_buf_free(&err);
	sm_arena_free(a);
}

static void test_round_trip(void **state)
{
	(void)state;
	expect_round_trip(good);
	/* Every optional line, C lines in their forms, unknown R flags. */
	expect_round_trip("V8\nT1\nK2\nN3\nP-4\nI254/0/10961294\nB8BITMIME\nMDeferred: x\n"
			  "F8bdnsw\n$rESMTP\n${daemon_flags}\nqheld\nS<a@b>\nZenv\nAa@b\n"
			  "!\002 86400\nCuser:10:20:owner@x\nQrfc822;o@x\nrRFC822; r@x\n"
			  "RPNSFDBAMXY:<r@x>\nRP:<s@x>\nC:y@z\nRP:t@x\nC\nRN:u@x\n"
			  "H?${MTAHost}?X-Host: h\nH?x?Full-Name: y\nH??X-Empty:\n"
			  "H??X-Long: a\n  b\n\tc\nH??Subject: caf\351\n.\n");
	/* Version 0: no flags on R lines; no V line written back. */
	expect_round_trip("T1\nK0\nN0\nP1\nRPFD:a@b\n.\n");
}

static void test_read_tolerance(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT;
	struct qf *q;

	(void)state;
	q = parse("T1\nK0\nN0\nP1\nRPFD:a@b\n.\n", a, &err);
	assert_non_null(q);
	assert_int_equal(q->version, 0);
	assert_string_equal(q->rcpts->addr, "PFD:a@b");
	q = parse("V8\nEerr@x\nDdfOLD\nL1\nB7bit\nCu:1:2:c@d\nRPX:a@b\nC\nR:e@f\n"
		  "H?${MTAHost}?X: y\n.\r\n",
		  a, &err);
	assert_non_null(q);
	assert_int_equal(q->nerrors_to, 1);
	assert_string_equal(q->errors_to[0], "err@x");
	assert_string_equal(q->rcpts->flags_extra, "X");
	assert_string_equal(q->rcpts->ctl->user, "u");
	assert_int_equal(q->rcpts->ctl->uid, 1);
	assert_int_equal(q->rcpts->ctl->gid, 2);
	assert_string_equal(q->rcpts->ctl->addr, "c@d");
	assert_null(q->rcpts->next->ctl);
	assert_string_equal(qf_header_macro(q->headers, a), "MTAHost");
	sm_buf_free(&err);
	sm_arena_free(a);
}

/* ---- writer ---- */

static void test_write_from_scratch(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf out = SM_BUF_INIT;
	struct qf *q = qf_new(a);
	struct qf_ctl ctl = {"joe:1000:1000:joe", "joe", 1000, 1000, "joe"};
	struct qf_rcpt *r;

	(void)state;
	q->ctime = 100;
	q->priority = 30018;
	q->flags = "s";
	q->sender = "a@b";
	q->message = "two\nlines";
	qf_add_macro(q, a, "r", "ESMTP");
	r = qf_add_rcpt(q, a, QF_R_PRIMARY | QF_R_HASNOTIFY | QF_R_SUCCESS, "<c@d>");
	r->orcpt = "rfc822;c@d";
	r = qf_add_rcpt(q, a, QF_R_PRIMARY, "/tmp/f");
	r->ctl = &ctl;
	r = qf_add_rcpt(q, a, QF_R_PRIMARY, "|prog");
	r->ctl = &ctl;
	qf_add_rcpt(q, a, QF_R_PRIMARY, "e@f");
	qf_add_header(q, a, "D", "Date", " now");
	qf_add_header(q, a, NULL, "X-Bad", " a\nb\n\tc");
	qf_format(q, &out);
	assert_string_equal(sm_buf_str(&out),
			    "V8\nT100\nK0\nN0\nP30018\nMtwo lines\nFs\n$rESMTP\nSa@b\n"
			    "Qrfc822;c@d\nRPNS:<c@d>\nCjoe:1000:1000:joe\nRP:/tmp/f\nRP:|prog\n"
			    "C\nRP:e@f\nH?D?Date: now\nHX-Bad: a\n\tb\n\tc\n.\n");
	sm_buf_free(&out);
	sm_arena_free(a);
}

/* ---- disk ---- */

static char *path_in(const char *sub)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s/%s", unit_dir, sub);
	return buf;
}

static void test_commit(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct qid_gen g = QID_GEN_INIT;
	struct sm_buf p = SM_BUF_INIT, err = SM_BUF_INIT;
	char id[QID_BUFSIZE];
	struct qdir d;
	struct stat st;
	struct qf *q = parse(good, a, &err), *back;
	int dfd, qfd, other;

	(void)state;
	mkdir(path_in("c"), 0700);
	qdir_init(&d, path_in("c"), a);
	umask(077);
	dfd = queue_df_create(&d, &g, 0640, NULL, id);
	assert_true(dfd >= 0);
	assert_true(qid_valid(id));
	assert_int_equal(write(dfd, "body\n", 5), 5);
	assert_int_equal(queue_df_sync(dfd), 0);
	assert_int_equal(fstat(dfd, &st), 0);
	qf_set_inode(q, &st);
	assert_true(q->has_inode);
	assert_int_equal(q->inode, st.st_ino);
	qfd = queue_qf_commit(&d, id, q, 0600);
	assert_true(qfd >= 0);
	qdir_file(&d, QT_DATA, id, &p);
	assert_int_equal(stat(sm_buf_str(&p), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640); /* mode despite the umask */
	qdir_file(&d, QT_TEMP, id, &p);
	assert_int_equal(access(sm_buf_str(&p), F_OK), -1);
	qdir_file(&d, QT_CONTROL, id, &p);
	assert_int_equal(stat(sm_buf_str(&p), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* The tf's lock now guards the qf, for others and for mailq. */
	assert_true(qlock_held(sm_buf_str(&p)));
	assert_int_equal(qlock_open_qf(sm_buf_str(&p)), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	assert_int_equal(qf_read_file(sm_buf_str(&p), a, &back, &err), 0);
	assert_string_equal(back->sender, "sender@example.com");
	close(qfd);
	assert_false(qlock_held(sm_buf_str(&p)));
	other = qlock_open_qf(sm_buf_str(&p));
	assert_true(other >= 0);
	/* While a runner holds it, a rewrite by someone else must not start:
	 * it takes the tf first, and a held tf is refused. */
	qdir_file(&d, QT_TEMP, id, &p);
	qfd = open(sm_buf_str(&p), O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_int_equal(flock(qfd, LOCK_EX), 0);
	assert_int_equal(queue_qf_commit(&d, id, q, 0600), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	close(qfd); /* now a stale tf: removed and replaced */
	qfd = queue_qf_commit(&d, id, q, 0600);
	assert_true(qfd >= 0);
	close(qfd);
	close(other);
	close(dfd);
	sm_buf_free(&p);
	sm_buf_free(&err);
	sm_arena_free(a);
}

static void test_qdir(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf p = SM_BUF_INIT;
	struct qdir d, *v;
	size_t n, i;
	int seen = 0;

	(void)state;
	mkdir(path_in("g"), 0700);
	mkdir(path_in("g/q1"), 0700);
	mkdir(path_in("g/q2"), 0700);
	mkdir(path_in("g/q2/qf"), 0700);
	mkdir(path_in("g/q2/df"), 0700);
	mkdir(path_in("g/x3"), 0700);
	close(open(path_in("g/qfile"), O_CREAT | O_WRONLY, 0600));
	qdir_init(&d, path_in("g/q2/"), a);
	assert_true(d.has_qf && d.has_df && !d.has_xf);
	qdir_file(&d, QT_CONTROL, "ID", &p);
	assert_string_equal(sm_buf_str(&p), path_in("g/q2/qf/qfID"));
	qdir_file(&d, QT_TEMP, "ID", &p);
	assert_string_equal(sm_buf_str(&p), path_in("g/q2/qf/tfID"));
	qdir_file(&d, QT_DATA, "ID", &p);
	assert_string_equal(sm_buf_str(&p), path_in("g/q2/df/dfID"));
	qdir_file(&d, QT_XSCRIPT, "ID", &p);
	assert_string_equal(sm_buf_str(&p), path_in("g/q2/xfID"));
	qdir_display(&d, &p);
	assert_string_equal(sm_buf_str(&p), path_in("g/q2/df"));
	n = qdir_expand(path_in("g/q*"), a, &v);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		seen |= strcmp(v[i].path, path_in("g/q1")) == 0 ? 1
			: strcmp(v[i].path, path_in("g/q2")) == 0 ? 2 : 4;
	assert_int_equal(seen, 3);
	assert_int_equal(qdir_expand(path_in("nonexistent/q*"), a, &v), 0);
	assert_int_equal(qdir_expand(path_in("g/q1"), a, &v), 1);
	sm_buf_free(&p);
	sm_arena_free(a);
}

/* ---- mailq ---- */

static char *list(const char *spec, bool verbose)
{
	struct qlist_opts o = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	o.verbose = verbose;
	queue_list(fp, spec, &o);
	fclose(fp);
	return text;
}

static void test_list(void **state)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf err = SM_BUF_INIT, want = SM_BUF_INIT;
	struct qf *q = parse(good, a, &err);
	struct qdir d;
	char *got;
	int fd;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	mkdir(path_in("l"), 0700);
	qdir_init(&d, path_in("l"), a);
	got = list(path_in("l"), false);
	sm_buf_printf(&want, "%s is empty\n\t\tTotal requests: 0\n", path_in("l"));
	assert_string_equal(got, sm_buf_str(&want));
	free(got);
	q->message = "Deferred: Connection refused by [127.0.0.1]";
	q->bodytype = "7BIT";
	fd = queue_qf_commit(&d, "6ALNg4a5019211", q, 0600);
	assert_true(fd >= 0);
	got = list(path_in("l"), false);
	sm_buf_reset(&want);
	sm_buf_printf(&want,
		      "\t\t%s (1 request)\n-----Q-ID----- --Size-- -----Q-Time----- "
		      "------------Sender/Recipient-----------\n"
		      "6ALNg4a5019211*      -1 Sat Nov 21 23:42 sender@example.com\n"
		      "          7BIT   (Deferred: Connection refused by [127.0.0.1])\n"
		      "\t\t\t\t\t rcpt@example.org\n\t\tTotal requests: 1\n",
		      path_in("l"));
	assert_string_equal(got, sm_buf_str(&want));
	free(got);
	close(fd);
	got = list(path_in("l"), true);
	assert_non_null(strstr(got, "-Priority- ---Q-Time---"));
	assert_non_null(strstr(got, "6ALNg4a5019211       -1      30018 Nov 21 23:42 sender"));
	assert_non_null(strstr(got, "\n\t\t\t\t\t\trcpt@example.org\n"));
	assert_int_equal(queue_count(path_in("l"), QL_NORMAL), 1);
	assert_int_equal(queue_count(path_in("l"), QL_LOST), 0);
	free(got);
	sm_buf_free(&want);
	sm_buf_free(&err);
	sm_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qid_format),
		cmocka_unit_test(test_qid_generator),
		cmocka_unit_test(test_qid_valid_decode),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_nul_and_bounds),
		cmocka_unit_test(test_read_fields),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_read_tolerance),
		cmocka_unit_test(test_write_from_scratch),
		cmocka_unit_test(test_commit),
		cmocka_unit_test(test_qdir),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, unit_dir_setup, unit_dir_teardown);
}
