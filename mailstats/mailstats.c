/*
 * mailstats: print sendmail's delivery statistics.
 *
 *   mailstats [-C cffile] [-c] [-f stfile] [-o] [-p] [-P]
 *
 * Reads the cf (-C, default /etc/mail/sendmail.cf; -c: submit.cf) for the
 * StatusFile option and the mailer names (mstats_cf_scan), then prints the
 * statistics file (-f overrides StatusFile) as Sendmail 8.17's mailstats
 * does, byte for byte: the human table, or with -p/-P the program-readable
 * form; -p also empties the file afterwards, -o leaves out mailer names.
 *
 * Exit codes and messages are the reference's: EX_USAGE for bad options,
 * EX_NOINPUT when the cf or the statistics file cannot be read, EX_OSFILE
 * when no statistics file is named, EX_OSERR for a file that is not a
 * valid statistics file, EX_SOFTWARE for more than 25 mailers.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sysexits.h>
#include <unistd.h>

#include "libsm/sm_buf.h"
#include "mailstats/mstats.h"

#define DEFAULT_CF "/etc/mail/sendmail.cf"
#define SUBMIT_CF  "/etc/mail/submit.cf"

struct opts {
	const char *cf;
	const char *stfile;
	int flags;
	int clear;
};

static _Noreturn void usage(void)
{
	fputs("usage: mailstats [-C cffile] [-c] [-P] [-f stfile] [-o] [-p]\n", stderr);
	exit(EX_USAGE);
}

/* "mailstats: name: error", or without the name when it is empty. */
static _Noreturn void fail_file(const char *name, int err, int code)
{
	if (*name != '\0')
		fprintf(stderr, "mailstats: %s: %s\n", name, strerror(err));
	else
		fprintf(stderr, "mailstats: %s\n", strerror(err));
	exit(code);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->cf = DEFAULT_CF;
	while ((c = getopt(argc, argv, "cC:f:opP")) != -1) {
		switch (c) {
		case 'c':
			o->cf = SUBMIT_CF;
			break;
		case 'C':
			o->cf = optarg;
			break;
		case 'f':
			o->stfile = optarg;
			break;
		case 'o':
			o->flags |= MSTATS_FMT_NONAMES;
			break;
		case 'p':
			o->clear = 1;
			o->flags |= MSTATS_FMT_PROGRAM;
			break;
		case 'P':
			o->flags |= MSTATS_FMT_PROGRAM;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
}

/* Open the statistics file; with -p for writing if we may, else reading. */
static int open_stats(const char *path, int clear, int *writable)
{
	int fd = -1;

	*writable = 0;
	if (clear) {
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			*writable = 1;
	}
	if (fd < 0)
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail_file(path, errno, EX_NOINPUT);
	(void)flock(fd, *writable ? LOCK_EX : LOCK_SH);
	return fd;
}

/* Read and validate, or exit with the reference's message. */
static void read_stats(int fd, const char *path, struct mstats_file *st, time_t now)
{
	switch (mstats_read(fd, st, now)) {
	case MSTATS_OK:
	case MSTATS_EMPTY:
		return;
	case MSTATS_ERR_READ:
		fail_file(path, errno, EX_NOINPUT);
	case MSTATS_ERR_MAGIC:
		fprintf(stderr, "mailstats: incorrect magic number in %s\n", path);
		exit(EX_OSERR);
	case MSTATS_ERR_VERSION:
		fprintf(stderr, "mailstats version (%d) incompatible with %s version (%d)\n",
		        MSTATS_VERSION, path, st->stat_version);
		exit(EX_OSERR);
	case MSTATS_ERR_SIZE:
		fputs("mailstats: file size changed.\n", stderr);
		exit(EX_OSERR);
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	struct mstats_cf cf;
	struct mstats_file st;
	struct sm_buf out = SM_BUF_INIT;
	const char *path;
	time_t now = time(NULL);
	int fd, writable;

	parse_args(argc, argv, &o);
	if (mstats_cf_scan(o.cf, &cf) < 0)
		fail_file(o.cf, errno, EX_NOINPUT);
	if (cf.too_many) {
		fprintf(stderr, "Too many mailers defined, %d max.\n", MSTATS_MAXMAILERS);
		exit(EX_SOFTWARE);
	}
	if (o.stfile != NULL) {
		path = o.stfile;
	} else if (cf.have_status_file) {
		path = sm_buf_str(&cf.status_file);
	} else {
		fputs("mailstats: no statistics file located\n", stderr);
		exit(EX_OSFILE);
	}
	fd = open_stats(path, o.clear, &writable);
	read_stats(fd, path, &st, now);
	mstats_format(&st, (const char *const *)cf.names, cf.nnames, o.flags, now, &out);
	fwrite(out.data, 1, out.len, stdout);
	if (fflush(stdout) != 0)
		exit(EX_IOERR);
	if (o.clear && writable && ftruncate(fd, 0) < 0)
		fail_file(path, errno, EX_IOERR);
	close(fd);
	sm_buf_free(&out);
	mstats_cf_free(&cf);
	return EX_OK;
}
