/*
 * ml_lmtp: mail.local -l, an LMTP server (RFC 2033) on stdin/stdout.
 *
 * Replies are Sendmail 8.17 mail.local's, word for word:
 *
 *   greeting   220 <host> LMTP ready
 *   LHLO       250-<host> / 250-8BITMIME (not with -7) /
 *              250-ENHANCEDSTATUSCODES / 250 PIPELINING;
 *              a second LHLO: 503 <host> Duplicate LHLO
 *   MAIL       250 2.5.0 Ok; 503 5.5.1 Nested MAIL command
 *   RCPT       250 2.1.5 Ok; 503 5.5.1 Need MAIL command;
 *              550 5.1.1 User unknown
 *   DATA       503 5.5.1 No recipients; 354 Go ahead, then after the
 *              final "." one reply per accepted recipient, in order:
 *              "250 2.1.5 <user> Ok" or the failure of that mailbox
 *   RSET NOOP  250 2.0.0 Ok      VRFY  252 2.3.3 Try RCPT to attempt delivery
 *   QUIT       221 2.0.0 Bye     bad syntax  500 5.5.2 Syntax error /
 *                                            501 5.5.4 Syntax error in parameters
 *
 * The session ends at QUIT or end of input (also inside DATA: nothing is
 * delivered then).  Command lines are bounded (ML_LINE_MAX), and so are
 * recipients per transaction and commands per session.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_file.h"
#include "libsm/sm_mem.h"
#include "mail.local/ml.h"

#define ML_LINE_MAX 4096
#define ML_MAX_RCPT 1000
#define ML_MAX_CMDS 100000

struct session {
	const struct ml_opts *o;
	FILE *in, *out;
	struct sm_buf host;
	int seen_lhlo;
	int have_mail;
	struct sm_buf sender;
	char **rcpt; /* user names, malloc'd */
	size_t nrcpt;
};

static void reply(struct session *s, const char *text)
{
	fprintf(s->out, "%s\r\n", text);
	fflush(s->out);
}

static void reset_transaction(struct session *s)
{
	for (size_t i = 0; i < s->nrcpt; i++)
		free(s->rcpt[i]);
	free(s->rcpt);
	s->rcpt = NULL;
	s->nrcpt = 0;
	s->have_mail = 0;
	sm_buf_reset(&s->sender);
}

static void do_lhlo(struct session *s)
{
	if (s->seen_lhlo) {
		fprintf(s->out, "503 %s Duplicate LHLO\r\n", sm_buf_str(&s->host));
		fflush(s->out);
		return;
	}
	s->seen_lhlo = 1;
	fprintf(s->out, "250-%s\r\n", sm_buf_str(&s->host));
	if (!s->o->no8bit)
		fputs("250-8BITMIME\r\n", s->out);
	fputs("250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n", s->out);
	fflush(s->out);
}

static void do_mail(struct session *s, const char *arg)
{
	if (s->have_mail) {
		reply(s, "503 5.5.1 Nested MAIL command");
		return;
	}
	if (ml_parse_path(arg, "FROM:", &s->sender) < 0) {
		reply(s, "501 5.5.4 Syntax error in parameters");
		return;
	}
	if (s->sender.len == 0)
		sm_buf_puts(&s->sender, "MAILER-DAEMON");
	s->have_mail = 1;
	reply(s, "250 2.5.0 Ok");
}

/* Look a user up; 1 found, 0 unknown, -1 database failure. */
static int lookup_user(const char *name)
{
	errno = 0;
	if (!ml_user_name_ok(name))
		return 0;
	if (getpwnam(name) != NULL)
		return 1;
	return (errno == 0 || errno == ENOENT || errno == ESRCH) ? 0 : -1;
}

static void do_rcpt(struct session *s, const char *arg)
{
	struct sm_buf addr = SM_BUF_INIT, user = SM_BUF_INIT;
	int found;

	if (!s->have_mail) {
		reply(s, "503 5.5.1 Need MAIL command");
		return;
	}
	if (ml_parse_path(arg, "TO:", &addr) < 0) {
		reply(s, "501 5.5.4 Syntax error in parameters");
	} else if (s->nrcpt >= ML_MAX_RCPT) {
		reply(s, "452 4.5.3 Too many recipients");
	} else {
		ml_local_user(sm_buf_str(&addr), &user);
		found = lookup_user(sm_buf_str(&user));
		if (found > 0) {
			s->rcpt = sm_reallocarray(s->rcpt, s->nrcpt + 1, sizeof(*s->rcpt));
			s->rcpt[s->nrcpt++] = sm_buf_detach(&user);
			reply(s, "250 2.1.5 Ok");
		} else if (found == 0) {
			reply(s, "550 5.1.1 User unknown");
		} else {
			reply(s, "451 4.3.0 User database failure; retry later");
		}
	}
	sm_buf_free(&addr);
	sm_buf_free(&user);
}

/* Deliver the spooled message to each recipient and reply for each. */
static void deliver_all(struct session *s, const struct ml_spool *sp)
{
	struct ml_result r;

	ml_result_init(&r);
	for (size_t i = 0; i < s->nrcpt; i++) {
		const char *name = s->rcpt[i];
		struct passwd *pw = getpwnam(name);

		if (pw == NULL) {
			fprintf(s->out, "550 5.1.1 %s User unknown\r\n", name);
			continue;
		}
		ml_deliver(s->o, pw, sp, &r);
		if (r.code == 0)
			fprintf(s->out, "250 2.1.5 %s Ok\r\n", name);
		else
			fprintf(s->out, "%s %s\r\n", r.reply, sm_buf_str(&r.text));
	}
	fflush(s->out);
	ml_result_free(&r);
}

/* DATA; returns -1 when the input ended inside the message. */
static int do_data(struct session *s)
{
	struct ml_spool sp;
	enum ml_msg_status st;

	if (s->nrcpt == 0) {
		reply(s, "503 5.5.1 No recipients");
		return 0;
	}
	if (ml_spool_open(&sp) < 0) {
		fprintf(s->out, "451 4.3.0 Temporary file: %s\r\n", strerror(errno));
		fflush(s->out);
		reset_transaction(s);
		return 0;
	}
	reply(s, "354 Go ahead");
	st = ml_spool_copy(&sp, s->in, 1, sm_buf_str(&s->sender), time(NULL));
	if (st == ML_MSG_EOF) {
		ml_spool_close(&sp);
		return -1;
	}
	if (st == ML_MSG_ERROR) {
		for (size_t i = 0; i < s->nrcpt; i++)
			fprintf(s->out, "451 4.3.0 Temporary file write error: %s\r\n",
			        strerror(errno));
		fflush(s->out);
	} else {
		deliver_all(s, &sp);
	}
	ml_spool_close(&sp);
	reset_transaction(s);
	return 0;
}

/* Handle one command line; returns 1 at QUIT, -1 at end of input. */
static int command(struct session *s, const char *line)
{
	const char *arg;

	switch (ml_parse_cmd(line, &arg)) {
	case ML_CMD_LHLO:
		do_lhlo(s);
		break;
	case ML_CMD_MAIL:
		do_mail(s, arg);
		break;
	case ML_CMD_RCPT:
		do_rcpt(s, arg);
		break;
	case ML_CMD_DATA:
		return do_data(s);
	case ML_CMD_RSET:
		reset_transaction(s);
		reply(s, "250 2.0.0 Ok");
		break;
	case ML_CMD_NOOP:
		reply(s, "250 2.0.0 Ok");
		break;
	case ML_CMD_VRFY:
		reply(s, "252 2.3.3 Try RCPT to attempt delivery");
		break;
	case ML_CMD_QUIT:
		reply(s, "221 2.0.0 Bye");
		return 1;
	case ML_CMD_BAD:
		reply(s, "500 5.5.2 Syntax error");
		break;
	}
	return 0;
}

static void host_name(struct sm_buf *host)
{
	char name[256];

	if (gethostname(name, sizeof(name)) < 0)
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	sm_buf_puts(host, name[0] != '\0' ? name : "localhost");
}

int ml_lmtp(const struct ml_opts *o, FILE *in, FILE *out)
{
	struct session s = {o, in, out, SM_BUF_INIT, 0, 0, SM_BUF_INIT, NULL, 0};
	struct sm_buf line = SM_BUF_INIT;
	int rc = 0;

	host_name(&s.host);
	fprintf(out, "220 %s LMTP ready\r\n", sm_buf_str(&s.host));
	fflush(out);
	for (long n = 0; rc == 0; n++) {
		int trunc = 0, r = sm_getline(in, &line, ML_LINE_MAX, &trunc);

		if (r <= 0)
			break;
		if (n >= ML_MAX_CMDS) {
			reply(&s, "421 4.7.0 Too many commands");
			break;
		}
		if (line.len > 0 && line.data[line.len - 1] == '\r')
			sm_buf_truncate(&line, line.len - 1);
		if (trunc)
			reply(&s, "500 5.5.2 Syntax error");
		else
			rc = command(&s, sm_buf_str(&line));
	}
	reset_transaction(&s);
	sm_buf_free(&line);
	sm_buf_free(&s.host);
	sm_buf_free(&s.sender);
	return EX_OK;
}
