/*
 * envelope/mlog: the mail log.
 *
 * mlog() writes one line "QID: text" (or just "text" without a queue id)
 * at a syslog priority, facility mail, with the ident given to
 * mlog_init() (-L) or "sendmail" and the pid, as Sendmail's sm_syslog().
 * When the environment variable SENDMAIL_LOG_FILE is set the line is
 * appended to that file instead, as "IDENT[PID]: QID: text", one write
 * per line (O_APPEND), so tests can read what would have been logged.
 * Callers check LogLevel themselves.  Never fails: a log that cannot be
 * written is not a reason to lose mail.  When there is no syslog socket
 * at all the lines are dropped without asking the C library to try to
 * connect for each one (it would); the socket is looked for again every
 * few seconds.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "sendmail/envelope/envelope.h"

static const char *mlog_tag = "sendmail";
static bool mlog_opened;

void mlog_init(const char *tag)
{
	if (tag != NULL && *tag != '\0')
		mlog_tag = tag;
	mlog_opened = false;
}

/* Append one finished line to the test log file. */
static void mlog_to_file(const char *path, const struct sm_buf *line)
{
	struct sm_buf out = SM_BUF_INIT;
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return;
	sm_buf_printf(&out, "%s[%ld]: %s\n", mlog_tag, (long)getpid(), sm_buf_str(line));
	if (write(fd, out.data, out.len) < 0) {
		/* nothing to do: the log is best effort */
	}
	close(fd);
	sm_buf_free(&out);
}

/* Whether a syslog daemon can be there (its socket exists). */
static bool syslog_present(void)
{
	static time_t checked;
	static bool present;
	time_t now = time(NULL);
	struct stat st;

	if (checked == 0 || now - checked >= 5 || now < checked) {
		present = stat("/dev/log", &st) == 0;
		checked = now;
	}
	return present;
}

void mlog(int prio, const char *qid, const char *fmt, ...)
{
	struct sm_buf line = SM_BUF_INIT;
	const char *file = getenv("SENDMAIL_LOG_FILE");
	va_list ap;

	if (qid != NULL && *qid != '\0')
		sm_buf_printf(&line, "%s: ", qid);
	va_start(ap, fmt);
	sm_buf_vprintf(&line, fmt, ap);
	va_end(ap);
	if (file != NULL && *file != '\0') {
		mlog_to_file(file, &line);
	} else if (syslog_present()) {
		if (!mlog_opened) {
			openlog(mlog_tag, LOG_PID, LOG_MAIL);
			mlog_opened = true;
		}
		syslog(prio, "%s", sm_buf_str(&line));
	}
	sm_buf_free(&line);
}
