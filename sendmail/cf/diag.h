/*
 * cf/diag: how the configuration reader reports problems, as Sendmail does.
 *
 * Sendmail prints configuration errors to its output channel (stdout when
 * not running as a daemon) as "FILE: line N: message", keeps going, and
 * lets the error decide the final exit status: a "system error" makes it
 * EX_SOFTWARE (70), one carrying an errno EX_OSERR (71).  Warnings and user
 * errors only print.  A few errors are fatal and exit at once.
 *
 *   cf_diag_stream   where messages go (default stdout)
 *   cf_diag_where    set/clear the "FILE: line N: " prefix (file NULL = none)
 *   cf_syserr        print, then raise cf->exitstat to EX_SOFTWARE
 *   cf_oserr         print with ": strerror(err)", raise to EX_OSERR
 *   cf_usrerr        print only (warnings and user errors)
 *   cf_plain         print without the prefix (Sendmail's bare warnings)
 *   cf_fatal         print and exit with the given code
 *
 * Internal to the cf module (and its unit tests).
 */
#ifndef CF_DIAG_H
#define CF_DIAG_H

#include <stdio.h>

struct config;

void cf_diag_stream(FILE *fp);
FILE *cf_diag_get_stream(void);
void cf_diag_where(const char *file, int line);
void cf_syserr(struct config *cf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cf_oserr(struct config *cf, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cf_usrerr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cf_plain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void cf_fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
