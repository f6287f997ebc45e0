/*
 * sm_log: severities routed to stderr and syslog.  See sm_log.h.
 * Never allocates (so sm_panic works when memory is exhausted).
 */
#include "sm_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <syslog.h>

static const char *log_prog = "sendmail";
static int log_flags = SM_LOG_STDERR;

void sm_log_init(const char *progname, int flags)
{
	log_prog = progname;
	log_flags = flags;
	if (flags & SM_LOG_SYSLOG)
		openlog(progname, LOG_PID, LOG_MAIL);
}

const char *sm_log_progname(void)
{
	return log_prog;
}

static void emit(int prio, const char *fmt, va_list ap)
{
	if (log_flags & SM_LOG_SYSLOG) {
		va_list ap2;

		va_copy(ap2, ap);
		vsyslog(prio, fmt, ap2);
		va_end(ap2);
	}
	if (log_flags & SM_LOG_STDERR) {
		if (!(log_flags & SM_LOG_BARE))
			fprintf(stderr, "%s: ", log_prog);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	}
}

void sm_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_INFO, fmt, ap);
	va_end(ap);
}

void sm_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void sm_fatal(int exitcode, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(LOG_ERR, fmt, ap);
	va_end(ap);
	exit(exitcode);
}

void sm_panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: panic at %s:%d: ", log_prog, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (log_flags & SM_LOG_SYSLOG) {
		va_start(ap, fmt);
		vsyslog(LOG_CRIT, fmt, ap);
		va_end(ap);
	}
	abort();
}
