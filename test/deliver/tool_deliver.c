/*
 * tool_deliver: drive sendmail/deliver from the pytest suite
 * (test/deliver/).  Built by test/deliver/conftest.py against
 * build/libsendmail.a; not installed.
 *
 *   tool_deliver run CF [-v] [-l LOG] [-o OPT]... [-q ARG]... [-i ID]...
 *                        one queue run (dlv_queue_run) with the cf at CF;
 *                        -q ARG is what follows "-q" on sendmail's line,
 *                        -i ID runs just that entry (the daemon's batches),
 *                        -o sets an option as sendmail -o does, -l copies
 *                        the log lines to LOG
 *   tool_deliver deliver CF ID [-l LOG]
 *                        deliver one entry as -odi would (dlv_deliver_id)
 *   tool_deliver submit QDIR SENDER RCPT... < MESSAGE
 *                        queue a message as "sendmail -odq" would: its
 *                        header lines become H lines (Date, From and
 *                        Message-Id added when missing), the rest the df;
 *                        prints the id
 *   tool_deliver aliases SPEC
 *                        build the alias database of an AliasFile entry
 * Errors go to stderr; exit status 1 (or the run's sysexits code).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_arena.h"
#include "libsm/sm_buf.h"
#include "sendmail/alias/alias.h"
#include "sendmail/cf/config.h"
#include "sendmail/cf/options.h"
#include "sendmail/deliver/deliver.h"
#include "sendmail/queue/queue.h"

static FILE *open_log(const char *path)
{
	FILE *fp = fopen(path, "a");

	if (fp == NULL) {
		perror(path);
		exit(1);
	}
	return fp;
}

static int cmd_run(int argc, char **argv)
{
	struct sm_arena *a = sm_arena_new();
	struct config *cf = readcf(argv[0], false);
	struct dlv_run r;
	int rc;

	dlv_run_init(&r);
	for (int i = 1; i < argc; i++) {
		const char *err = NULL;

		if (strcmp(argv[i], "-v") == 0)
			r.verbose = true;
		else if (strcmp(argv[i], "-l") == 0 && i + 1 < argc)
			r.logcopy = open_log(argv[++i]);
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			(void)option_set_line(cf, argv[++i], false);
		else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
			const char **v = sm_arena_array(a, r.nids + 1, sizeof(*v));

			if (r.nids > 0)
				memcpy(v, r.ids, r.nids * sizeof(*v));
			v[r.nids++] = argv[++i];
			r.ids = v;
		} else if (strcmp(argv[i], "-q") == 0 && i + 1 < argc) {
			if (dlv_parse_q(&r, argv[++i], a, &err) < 0) {
				fprintf(stderr, "%s\n", err);
				return 64;
			}
		}
	}
	rc = dlv_queue_run(cf, &r);
	if (r.logcopy != NULL)
		fclose(r.logcopy);
	config_free(cf);
	sm_arena_free(a);
	return rc;
}

static int cmd_deliver(int argc, char **argv)
{
	struct config *cf = readcf(argv[0], false);
	struct dlv_run r;
	int rc;

	dlv_run_init(&r);
	if (argc >= 4 && strcmp(argv[2], "-l") == 0)
		r.logcopy = open_log(argv[3]);
	rc = dlv_deliver_id(cf, NULL, argv[1], false, &r);
	if (r.logcopy != NULL)
		fclose(r.logcopy);
	config_free(cf);
	return rc;
}

static void read_all(FILE *fp, struct sm_buf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sm_buf_append(b, chunk, n);
}

/* Split the message into H lines (added to q) and the body; returns the body start. */
static size_t add_headers(struct qf *q, struct sm_arena *a, const struct sm_buf *msg,
			  unsigned *seen)
{
	size_t pos = 0;
	struct qf_header *last = NULL;

	while (pos < msg->len) {
		const char *line = msg->data + pos, *nl = memchr(line, '\n', msg->len - pos);
		size_t len = nl ? (size_t)(nl - line) : msg->len - pos;
		const char *colon;

		pos += len + (nl ? 1 : 0);
		if (len == 0)
			break;
		if ((line[0] == ' ' || line[0] == '\t') && last != NULL) {
			last->value = sm_arena_printf(a, "%s\n%.*s", last->value, (int)len, line);
			continue;
		}
		colon = memchr(line, ':', len);
		if (colon == NULL) { /* not a header: the body starts here */
			pos -= len + (nl ? 1 : 0);
			break;
		}
		last = qf_add_header(q, a, "", sm_arena_memdup(a, line, (size_t)(colon - line)),
				     sm_arena_memdup(a, colon + 1, len - (size_t)(colon - line) - 1));
		if (strncasecmp(line, "Date:", 5) == 0)
			*seen |= 1;
		else if (strncasecmp(line, "From:", 5) == 0)
			*seen |= 2;
		else if (strncasecmp(line, "Message-Id:", 11) == 0)
			*seen |= 4;
	}
	return pos;
}

static struct qf *build(struct sm_arena *a, const char *id, const char *sender, char **rcpts,
			int n, const struct sm_buf *msg, size_t *body)
{
	struct qf *q = qf_new(a);
	time_t now = time(NULL);
	char date[64];
	unsigned seen = 0;

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime(&now));
	q->ctime = now;
	q->flags = "";
	qf_add_macro(q, a, "_", "root@localhost");
	q->sender = sender;
	for (int i = 0; i < n; i++)
		qf_add_rcpt(q, a, QF_R_PRIMARY, rcpts[i]);
	qf_add_header(q, a, "P", "Return-Path", " <\201g>");
	qf_add_header(q, a, "", "Received",
		      sm_arena_printf(a, " (from root@localhost)\n\tby vm.example.com id %s; %s", id,
				      date));
	*body = add_headers(q, a, msg, &seen);
	if (!(seen & 1))
		qf_add_header(q, a, "D", "Date", sm_arena_printf(a, " %s", date));
	if (!(seen & 2))
		qf_add_header(q, a, "F", "From", " \201g");
	if (!(seen & 4))
		qf_add_header(q, a, "M", "Message-Id", sm_arena_printf(a, " <%s@vm.example.com>", id));
	q->priority = (long)(msg->len - *body) + 30000L * n;
	return q;
}

static int cmd_submit(const char *dir, const char *sender, char **rcpts, int n)
{
	struct sm_arena *a = sm_arena_new();
	struct qid_gen g = QID_GEN_INIT;
	struct sm_buf msg = SM_BUF_INIT;
	char id[QID_BUFSIZE];
	struct qdir d;
	struct qf *q;
	size_t body;
	int dfd, qfd;

	qdir_init(&d, dir, a);
	read_all(stdin, &msg);
	dfd = queue_df_create(&d, &g, 0600, NULL, id);
	if (dfd < 0) {
		perror("df");
		return 1;
	}
	q = build(a, id, sender, rcpts, n, &msg, &body);
	if (write(dfd, msg.data + body, msg.len - body) != (ssize_t)(msg.len - body) ||
	    queue_df_sync(dfd) < 0) {
		perror("df");
		return 1;
	}
	qfd = queue_qf_commit(&d, id, q, 0600);
	if (qfd < 0) {
		perror("qf");
		return 1;
	}
	close(qfd);
	close(dfd);
	printf("%s\n", id);
	sm_buf_free(&msg);
	sm_arena_free(a);
	return 0;
}

static int cmd_aliases(const char *spec)
{
	struct alias_opts o = {0};

	o.msgs = stderr;
	return alias_rebuild(spec, &o, NULL);
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (argc >= 4 && strcmp(argv[1], "deliver") == 0)
		return cmd_deliver(argc - 2, argv + 2);
	if (argc >= 5 && strcmp(argv[1], "submit") == 0)
		return cmd_submit(argv[2], argv[3], argv + 4, argc - 4);
	if (argc == 3 && strcmp(argv[1], "aliases") == 0)
		return cmd_aliases(argv[2]);
	fprintf(stderr, "usage: tool_deliver run|deliver|submit|aliases ...\n");
	return 2;
}
