/*
 * sm_log: the four severities, to syslog and/or stderr.
 *
 *   sm_info   something worth recording
 *   sm_warn   a problem that was recovered from
 *   sm_fatal  a configuration or environment error: message, then exit
 *             with the given sysexits code (sm_exit.h)
 *   sm_panic  a broken invariant: message with the source location, abort
 *
 * sm_log_init() names the program and picks the sinks; before it is called
 * messages go to stderr prefixed by "sendmail".  Messages for stderr are
 * printed as "PROG: text" unless the program asked for bare messages
 * (SM_LOG_BARE), which Sendmail-compatible output sometimes requires.
 */
#ifndef SM_LOG_H
#define SM_LOG_H

#include <stdarg.h>

enum {
	SM_LOG_STDERR = 1, /* write to stderr */
	SM_LOG_SYSLOG = 2, /* write to syslog(3), facility mail */
	SM_LOG_BARE = 4,   /* no "prog: " prefix on stderr */
};

void sm_log_init(const char *progname, int flags);
const char *sm_log_progname(void);

void sm_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void sm_fatal(int exitcode, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define sm_panic(...) sm_panic_at(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void sm_panic_at(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
