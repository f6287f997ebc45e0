/*
 * mail.local: store mail in local mailboxes.
 *
 *   mail.local [-7] [-b] [-d] [-D mbdb] [-l] [-f from|-r from] [-h filename]
 *              [-p spooldir] user ...
 *
 * Reads a message from stdin and appends it to each user's mailbox in the
 * spool directory (/var/mail), or with -l speaks LMTP on stdin/stdout
 * (ml_lmtp.c).  The mailbox format, locking and safety checks are in
 * ml_msg.c, ml_lock.c and ml_mbox.c.  Flags, messages and exit codes
 * follow Sendmail 8.17's mail.local:
 *
 *   -7 no 8BITMIME in LMTP        -b over quota is a permanent error
 *   -d no effect                  -D mbdb: only "pw" (getpwnam) exists
 *   -f/-r sender (only one)       -h file in the home directory instead
 *   -l LMTP                       -p spool directory (HASHSPOOL builds' flag)
 *
 * Errors are printed as "mail.local: text" and logged to syslog (mail).
 * The exit status is EX_TEMPFAIL if any recipient failed temporarily,
 * else the code of the first failure (EX_UNAVAILABLE for a permanent one,
 * unknown users included), else EX_OK.
 *
 * For tests and private instances, when mail.local runs without set-id
 * privileges, -p or the environment variable MAIL_LOCAL_SPOOL names the
 * spool directory.  Run as root it delivers as the recipient; run as any
 * other user it can only write mailboxes that user may write.
 */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "mail.local/ml.h"

#define USAGE "usage: mail.local [-7] [-b] [-d] [-l] [-f from|-r from] [-h filename] user ..."

static int exit_status = EX_OK;

void ml_result_init(struct ml_result *r)
{
	r->code = EX_OK;
	r->reply = "250 2.1.5";
	sm_buf_init(&r->text);
}

void ml_result_free(struct ml_result *r)
{
	sm_buf_free(&r->text);
}

void ml_fail(struct ml_result *r, const char *reply, const char *fmt, ...)
{
	va_list ap;

	r->reply = reply;
	r->code = reply[0] == '4' ? EX_TEMPFAIL : EX_UNAVAILABLE;
	sm_buf_reset(&r->text);
	va_start(ap, fmt);
	sm_buf_vprintf(&r->text, fmt, ap);
	va_end(ap);
}

/* Print and log an error; fold code into the exit status. */
static void report(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void report(int code, const char *fmt, ...)
{
	struct sm_buf b = SM_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sm_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fprintf(stderr, "mail.local: %s\n", sm_buf_str(&b));
	syslog(LOG_ERR, "%s", sm_buf_str(&b));
	sm_buf_free(&b);
	if (code == EX_TEMPFAIL || exit_status == EX_OK)
		exit_status = exit_status == EX_TEMPFAIL ? EX_TEMPFAIL : code;
}

static _Noreturn void usage(void)
{
	report(EX_UNAVAILABLE, USAGE);
	exit(exit_status);
}

/* Whether settings from the environment or -p may be trusted. */
static int not_setid(void)
{
	return getuid() == geteuid() && getgid() == getegid();
}

struct args {
	struct ml_opts o;
	int lmtp;
};

static void parse_opt(int c, struct args *a)
{
	switch (c) {
	case '7':
		a->o.no8bit = 1;
		break;
	case 'b':
		a->o.bounce_quota = 1;
		break;
	case 'd':
	case 'V':
		break;
	case 'D':
		if (strcmp(optarg, "pw") != 0) {
			report(EX_UNAVAILABLE, "Can not open mailbox database %s: %s", optarg,
			       "Service unavailable");
			exit(exit_status);
		}
		break;
	case 'f':
	case 'r':
		if (a->o.from != NULL) {
			report(EX_UNAVAILABLE, "Multiple -f options");
			usage();
		}
		a->o.from = optarg;
		break;
	case 'h':
		a->o.homefile = optarg;
		break;
	case 'l':
		a->lmtp = 1;
		break;
	case 'p':
		if (not_setid() || getuid() == 0)
			a->o.spool = optarg;
		break;
	default:
		usage();
	}
}

static void parse_args(int argc, char **argv, struct args *a)
{
	const char *env = getenv("MAIL_LOCAL_SPOOL");
	struct group *gr;
	int c;

	memset(a, 0, sizeof(*a));
	a->o.spool = ML_DEFAULT_SPOOL;
	if (env != NULL && *env != '\0' && not_setid())
		a->o.spool = env;
	while ((c = getopt(argc, argv, "7bdD:f:h:lp:r:V")) != -1)
		parse_opt(c, a);
	a->o.privileged = geteuid() == 0;
	gr = getgrnam("mail");
	a->o.mail_gid = gr != NULL ? gr->gr_gid : (gid_t)-1;
}

/* The sender for the "From " line when -f is not given. */
static const char *default_sender(void)
{
	struct passwd *pw = getpwuid(getuid());

	return pw != NULL ? pw->pw_name : "???";
}

/* Deliver to one command-line user. */
static void deliver_one(const struct ml_opts *o, const char *name, const struct ml_spool *sp)
{
	struct ml_result r;
	struct passwd *pw;

	errno = 0;
	pw = ml_user_name_ok(name) ? getpwnam(name) : NULL;
	if (pw == NULL) {
		if (errno == 0 || errno == ENOENT || errno == ESRCH)
			report(EX_UNAVAILABLE, "%s: User unknown", name);
		else
			report(EX_TEMPFAIL, "%s: User database failure; retry later", name);
		return;
	}
	ml_result_init(&r);
	ml_deliver(o, pw, sp, &r);
	if (r.code != EX_OK)
		report(r.code, "%s", sm_buf_str(&r.text));
	ml_result_free(&r);
}

/* The command-line mode: one message from stdin to each user. */
static int deliver_stdin(const struct ml_opts *o, int nusers, char **users)
{
	struct ml_spool sp;
	const char *from = o->from != NULL ? o->from : default_sender();

	if (ml_spool_open(&sp) < 0) {
		report(EX_TEMPFAIL, "Temporary file: %s", strerror(errno));
		return exit_status;
	}
	if (ml_spool_copy(&sp, stdin, 0, from, time(NULL)) != ML_MSG_OK) {
		report(EX_TEMPFAIL, "Temporary file write error: %s", strerror(errno));
		ml_spool_close(&sp);
		return exit_status;
	}
	for (int i = 0; i < nusers; i++)
		deliver_one(o, users[i], &sp);
	ml_spool_close(&sp);
	return exit_status;
}

int main(int argc, char **argv)
{
	struct args a;

	openlog("mail.local", LOG_PID, LOG_MAIL);
	parse_args(argc, argv, &a);
	if (a.lmtp) {
		if (optind < argc) {
			fputs("421 Users should not be specified in command line if LMTP "
			      "required\r\n",
			      stdout);
			return EX_TEMPFAIL;
		}
		return ml_lmtp(&a.o, stdin, stdout);
	}
	if (optind >= argc)
		usage();
	return deliver_stdin(&a.o, argc - optind, argv + optind);
}
