/*
 * mstats: reading, printing and updating the statistics file.
 * See mstats.h for the format; the cf scan is in mstats_cf.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "mailstats/mstats.h"

_Static_assert(sizeof(long) != 8 || sizeof(struct mstats_file) == 1448,
               "struct mstats_file must match Sendmail's struct statistics");

void mstats_init(struct mstats_file *st, time_t itime)
{
	memset(st, 0, sizeof(*st));
	st->stat_magic = MSTATS_MAGIC;
	st->stat_version = MSTATS_VERSION;
	st->stat_itime = itime;
	st->stat_size = (short)sizeof(*st);
}

/* read(2) until n bytes or end of file; the count read, or -1. */
static ssize_t read_full(int fd, void *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, (char *)p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

enum mstats_status mstats_read(int fd, struct mstats_file *st, time_t now)
{
	ssize_t n;

	memset(st, 0, sizeof(*st));
	n = read_full(fd, st, sizeof(*st));
	if (n < 0)
		return MSTATS_ERR_READ;
	if (n == 0) {
		mstats_init(st, now);
		return MSTATS_EMPTY;
	}
	if (st->stat_magic != MSTATS_MAGIC)
		return MSTATS_ERR_MAGIC;
	if (st->stat_version != MSTATS_VERSION)
		return MSTATS_ERR_VERSION;
	if (st->stat_size != (short)sizeof(*st) || (size_t)n != sizeof(*st))
		return MSTATS_ERR_SIZE;
	return MSTATS_OK;
}

/* A mailer row is shown when it moved, refused or held any message. */
static int row_used(const struct mstats_file *st, int i)
{
	return st->stat_nf[i] || st->stat_nt[i] || st->stat_nr[i] || st->stat_nd[i] ||
	       st->stat_nq[i];
}

/* The seven counters of a row (or the totals) after the first column. */
static void put_counts(struct sm_buf *out, const long v[7], int program)
{
	const char *k = program ? "" : "K";

	sm_buf_printf(out, " %8ld %10ld%s %8ld %10ld%s   %6ld  %6ld  %6ld", v[0], v[1], k, v[2],
	              v[3], k, v[4], v[5], v[6]);
}

static void put_rows(const struct mstats_file *st, const char *const *names, size_t nnames,
                     int flags, long tot[7], struct sm_buf *out)
{
	for (int i = 0; i < MSTATS_MAXMAILERS; i++) {
		long v[7];

		if (!row_used(st, i))
			continue;
		v[0] = st->stat_nf[i];
		v[1] = st->stat_bf[i];
		v[2] = st->stat_nt[i];
		v[3] = st->stat_bt[i];
		v[4] = st->stat_nr[i];
		v[5] = st->stat_nd[i];
		v[6] = st->stat_nq[i];
		for (int k = 0; k < 7; k++)
			tot[k] += v[k];
		sm_buf_printf(out, "%2d", i);
		put_counts(out, v, flags & MSTATS_FMT_PROGRAM);
		if (!(flags & MSTATS_FMT_NONAMES)) {
			const char *n = (size_t)i < nnames && names[i] != NULL ? names[i] : "";

			sm_buf_printf(out, "  %s", n);
		}
		sm_buf_putc(out, '\n');
	}
}

void mstats_format(const struct mstats_file *st, const char *const *names, size_t nnames, int flags,
                   time_t now, struct sm_buf *out)
{
	int program = flags & MSTATS_FMT_PROGRAM;
	long tot[7] = {0, 0, 0, 0, 0, 0, 0};
	time_t itime = st->stat_itime;
	char when[64];

	if (program) {
		sm_buf_printf(out, "%ld %ld\n", (long)itime, (long)now);
	} else {
		struct tm tm;

		if (localtime_r(&itime, &tm) == NULL ||
		    strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm) == 0)
			when[0] = '\0';
		sm_buf_printf(out, "Statistics from %s\n", when);
		sm_buf_printf(out,
		              " M   msgsfr  bytes_from   msgsto    bytes_to  msgsrej msgsdis "
		              "msgsqur%s\n",
		              (flags & MSTATS_FMT_NONAMES) ? "" : "  Mailer");
	}
	put_rows(st, names, nnames, flags, tot, out);
	if (!program)
		sm_buf_puts(out, "============================================================="
		                 "========\n");
	sm_buf_puts(out, " T");
	put_counts(out, tot, program);
	sm_buf_putc(out, '\n');
	if (program)
		sm_buf_printf(out, " C %8ld %8ld %6ld\n", st->stat_cf, st->stat_ct, st->stat_cr);
	else
		/* The second and third columns line up under msgsto and msgsrej. */
		sm_buf_printf(out, " C %8ld             %8ld               %6ld\n", st->stat_cf,
		              st->stat_ct, st->stat_cr);
}

/* Add d's counters into st. */
static void add_delta(struct mstats_file *st, const struct mstats_delta *d)
{
	int m = d->mailer;

	if (m >= 0 && m < MSTATS_MAXMAILERS) {
		st->stat_nf[m] += d->msgs_from;
		st->stat_bf[m] += MSTATS_KBYTES(d->bytes_from);
		st->stat_nt[m] += d->msgs_to;
		st->stat_bt[m] += MSTATS_KBYTES(d->bytes_to);
		st->stat_nr[m] += d->rejects;
		st->stat_nd[m] += d->discards;
		st->stat_nq[m] += d->quarantines;
	}
	st->stat_cf += d->conn_in;
	st->stat_ct += d->conn_out;
	st->stat_cr += d->conn_rejected;
}

/* Write st at offset 0 of fd. */
static int write_back(int fd, const struct mstats_file *st)
{
	size_t done = 0;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -1;
	while (done < sizeof(*st)) {
		ssize_t w = write(fd, (const char *)st + done, sizeof(*st) - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

int mstats_update(const char *path, const struct mstats_delta *d)
{
	struct mstats_file st;
	enum mstats_status s;
	int fd, rc = 1;

	if (path == NULL || *path == '\0')
		return 1;
	fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	if (flock(fd, LOCK_EX) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	s = mstats_read(fd, &st, time(NULL));
	if (s == MSTATS_OK || s == MSTATS_EMPTY) {
		add_delta(&st, d);
		rc = write_back(fd, &st);
	} else if (s == MSTATS_ERR_READ) {
		rc = -1;
	}
	if (close(fd) < 0 && rc == 0)
		rc = -1;
	return rc;
}
