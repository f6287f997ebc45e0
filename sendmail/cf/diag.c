/*
 * cf/diag: configuration messages and the exit status they imply.  See
 * cf/diag.h for the rules; this file only formats and counts.
 */
#include "sendmail/cf/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "sendmail/cf/config.h"

static FILE *diag_fp;
static const char *diag_file;
static int diag_line;

void cf_diag_stream(FILE *fp)
{
	diag_fp = fp;
}

FILE *cf_diag_get_stream(void)
{
	return diag_fp ? diag_fp : stdout;
}

void cf_diag_where(const char *file, int line)
{
	diag_file = file;
	diag_line = line;
}

/* Print the prefix, the message and an optional errno text. */
static void emit(int err, const char *fmt, va_list ap)
{
	FILE *fp = cf_diag_get_stream();

	if (diag_file != NULL)
		fprintf(fp, "%s: line %d: ", diag_file, diag_line);
	vfprintf(fp, fmt, ap);
	if (err != 0)
		fprintf(fp, ": %s", strerror(err));
	fputc('\n', fp);
	fflush(fp);
}

static void raise_status(struct config *cf, int code)
{
	if (cf != NULL && (cf->exitstat == 0 || cf->exitstat == EX_SOFTWARE))
		cf->exitstat = code;
}

void cf_syserr(struct config *cf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(0, fmt, ap);
	va_end(ap);
	if (cf != NULL && cf->exitstat == 0)
		cf->exitstat = EX_SOFTWARE;
}

void cf_oserr(struct config *cf, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(err, fmt, ap);
	va_end(ap);
	raise_status(cf, EX_OSERR);
}

void cf_usrerr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(0, fmt, ap);
	va_end(ap);
}

void cf_plain(const char *fmt, ...)
{
	FILE *fp = cf_diag_get_stream();
	va_list ap;

	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}

void cf_fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(0, fmt, ap);
	va_end(ap);
	exit(code);
}
