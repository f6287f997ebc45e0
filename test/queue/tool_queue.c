/*
 * tool_queue: drive sendmail/queue from the pytest suite (test/queue/).
 * Built by test/queue/conftest.py against build/libsendmail.a; not
 * installed.
 *
 *   tool_queue list [-v] [-Q|-L] [-m N] SPEC   mailq listing of SPEC
 *   tool_queue roundtrip FILE                  parse FILE, write it back
 *                                              to stdout (qf_format)
 *   tool_queue dump FILE                       parse FILE, print fields
 *   tool_queue submit DIR SENDER RCPT... <BODY queue a new message as
 *                                              8.17 would for -odq; prints
 *                                              the id
 *   tool_queue hold FILE SECONDS               lock a qf as a queue runner
 *                                              would, print "locked", wait
 *   tool_queue ids N                           print N fresh ids
 * Errors go to stderr with exit status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/queue/queue.h"

static int cmd_list(int argc, char **argv)
{
	struct qlist_opts o = {0};
	int i;

	for (i = 0; i < argc - 1; i++) {
		if (strcmp(argv[i], "-v") == 0)
			o.verbose = true;
		else if (strcmp(argv[i], "-Q") == 0)
			o.mode = QL_QUARANTINE;
		else if (strcmp(argv[i], "-L") == 0)
			o.mode = QL_LOST;
		else if (strcmp(argv[i], "-m") == 0 && i + 2 < argc)
			o.max_print = atoi(argv[++i]);
	}
	if (argc < 1)
		return 2;
	queue_list(stdout, argv[argc - 1], &o);
	return 0;
}

static struct qf *load(const char *path, struct sm_arena *a)
{
	struct sm_buf err = SM_BUF_INIT;
	struct qf *q;

	if (qf_read_file(path, a, &q, &err) < 0) {
		fprintf(stderr, "%s\n", sm_buf_str(&err));
		exit(1);
	}
	sm_buf_free(&err);
	return q;
}

static int cmd_roundtrip(const char *path)
{
	struct sm_arena *a = sm_arena_new();
	struct sm_buf out = SM_BUF_INIT;

	qf_format(load(path, a), &out);
	fwrite(out.data, 1, out.len, stdout);
	sm_buf_free(&out);
	sm_arena_free(a);
	return 0;
}

static void dump_str(const char *k, const char *v)
{
	if (v != NULL)
		printf("%s=%s\n", k, v);
}

static int cmd_dump(const char *path)
{
	struct sm_arena *a = sm_arena_new();
	struct qf *q = load(path, a);

	printf("version=%d\nctime=%lld\ndtime=%lld\nntries=%d\npriority=%ld\n", q->version,
	       q->ctime, q->dtime, q->ntries, q->priority);
	if (q->has_inode)
		printf("inode=%ld/%ld/%llu\n", q->dev_major, q->dev_minor, q->inode);
	dump_str("bodytype", q->bodytype);
	dump_str("message", q->message);
	dump_str("flags", q->flags);
	for (struct qf_macro *m = q->macros; m; m = m->next)
		printf("macro %s=%s\n", m->name, m->value);
	dump_str("sender", q->sender);
	dump_str("envid", q->envid);
	dump_str("auth", q->auth);
	if (q->has_deliver_by)
		printf("deliverby=%d %ld\n", q->deliver_by_flag, q->deliver_by);
	for (struct qf_rcpt *r = q->rcpts; r; r = r->next)
		printf("rcpt flags=%#x addr=%s orcpt=%s final=%s ctl=%s\n", r->flags, r->addr,
		       r->orcpt ? r->orcpt : "-", r->final_rcpt ? r->final_rcpt : "-",
		       r->ctl ? r->ctl->raw : "-");
	for (struct qf_header *h = q->headers; h; h = h->next)
		printf("header cond=%s name=%s\n", h->cond ? h->cond : "-", h->name);
	sm_arena_free(a);
	return 0;
}

/* Read stdin as the body. */
static void read_body(struct sm_buf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		sm_buf_append(b, chunk, n);
}

/* A qf shaped like 8.17's for "sendmail -odq -f SENDER RCPT...". */
static struct qf *build(struct sm_arena *a, const char *id, const char *sender, char **rcpts,
			int nrcpts, size_t bodylen)
{
	struct qf *q = qf_new(a);
	time_t now = time(NULL);
	char date[64];

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime(&now));
	q->ctime = now;
	q->priority = (long)bodylen + 30000L * nrcpts;
	q->flags = "s";
	qf_add_macro(q, a, "_", "root@localhost");
	qf_add_macro(q, a, "{daemon_flags}", "c u");
	q->sender = sender;
	q->auth = sender;
	for (int i = 0; i < nrcpts; i++) {
		struct qf_rcpt *r = qf_add_rcpt(q, a, QF_R_PRIMARY | QF_R_FAILURE | QF_R_DELAY,
						rcpts[i]);

		r->final_rcpt = sm_arena_printf(a, "RFC822; %s", rcpts[i]);
	}
	qf_add_header(q, a, "P", "Return-Path", " <\201g>");
	qf_add_header(q, a, "", "Received",
		      sm_arena_printf(a, " (from root@localhost)\n\tby vm.example.com "
					 "(ours) id %s; %s", id, date));
	qf_add_header(q, a, "D", "Date", sm_arena_printf(a, " %s", date));
	qf_add_header(q, a, "F", "From", sm_arena_printf(a, " %s", sender));
	qf_add_header(q, a, "", "Subject", " queued by tool_queue");
	return q;
}

static int cmd_submit(const char *dir, const char *sender, char **rcpts, int nrcpts)
{
	struct sm_arena *a = sm_arena_new();
	struct qid_gen g = QID_GEN_INIT;
	struct sm_buf body = SM_BUF_INIT;
	char id[QID_BUFSIZE];
	struct qdir d;
	struct stat st;
	int dfd, qfd;

	qdir_init(&d, dir, a);
	read_body(&body);
	dfd = queue_df_create(&d, &g, 0600, NULL, id);
	if (dfd < 0 || write(dfd, body.data, body.len) != (ssize_t)body.len ||
	    queue_df_sync(dfd) < 0 || fstat(dfd, &st) < 0) {
		perror("df");
		return 1;
	}
	qfd = queue_qf_commit(&d, id, build(a, id, sender, rcpts, nrcpts, body.len), 0600);
	if (qfd < 0) {
		perror("qf");
		return 1;
	}
	close(qfd);
	close(dfd);
	printf("%s\n", id);
	sm_buf_free(&body);
	sm_arena_free(a);
	return 0;
}

static int cmd_hold(const char *path, int seconds)
{
	int fd = qlock_open_qf(path);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	printf("locked\n");
	fflush(stdout);
	sleep((unsigned)seconds);
	close(fd);
	return 0;
}

static int cmd_ids(int n)
{
	struct qid_gen g = QID_GEN_INIT;
	char id[QID_BUFSIZE];

	for (int i = 0; i < n; i++) {
		qid_next(&g, id);
		printf("%s\n", id);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "list") == 0)
		return cmd_list(argc - 2, argv + 2);
	if (argc == 3 && strcmp(argv[1], "roundtrip") == 0)
		return cmd_roundtrip(argv[2]);
	if (argc == 3 && strcmp(argv[1], "dump") == 0)
		return cmd_dump(argv[2]);
	if (argc >= 5 && strcmp(argv[1], "submit") == 0)
		return cmd_submit(argv[2], argv[3], argv + 4, argc - 4);
	if (argc == 4 && strcmp(argv[1], "hold") == 0)
		return cmd_hold(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "ids") == 0)
		return cmd_ids(atoi(argv[2]));
	fprintf(stderr, "usage: tool_queue list|roundtrip|dump|submit|hold|ids ...\n");
	return 2;
}
