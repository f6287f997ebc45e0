/*
 * mstats: Sendmail's statistics file (the StatusFile option).
 *
 * The file holds one struct mstats_file in native byte order and layout,
 * exactly Sendmail 8.17's "struct statistics" (1448 bytes on x86-64 and
 * other LP64 systems), so files are shared with the reference mailstats
 * and sendmail.  Counters are indexed by mailer number in the order the
 * mailers are defined (0 prog, 1 *file*, 2 *include*, then the cf's M
 * lines).  Byte counters are in kilobytes (MSTATS_KBYTES).  The file is
 * only ever updated if it exists: creating an empty file turns counting on.
 *
 *   mstats_read      read and validate the file's contents from a descriptor
 *   mstats_format    Sendmail's mailstats table (human or program-readable)
 *   mstats_update    add one delivery's counts to the file, under a lock;
 *                    for the delivery code (never fails the delivery)
 *   mstats_cf_scan   the two things mailstats needs from sendmail.cf:
 *                    the StatusFile path and the mailer names
 *
 * Nothing here prints; callers turn errors into messages.
 */
#ifndef MSTATS_H
#define MSTATS_H

#include <stddef.h>
#include <time.h>

#include "libsm/sm_buf.h"

#define MSTATS_MAXMAILERS 25
#define MSTATS_MAGIC      0x1B1DE
#define MSTATS_VERSION    4
#define MSTATS_KBYTES(n)  (((n) + 1023) / 1024)

struct mstats_file {
	int stat_magic;
	int stat_version;
	time_t stat_itime;               /* when counting started */
	short stat_size;                 /* sizeof(struct mstats_file) */
	long stat_cf;                    /* inbound connections */
	long stat_ct;                    /* outbound connections */
	long stat_cr;                    /* rejected connections */
	long stat_nf[MSTATS_MAXMAILERS]; /* messages from each mailer */
	long stat_bf[MSTATS_MAXMAILERS]; /* kbytes from each mailer */
	long stat_nt[MSTATS_MAXMAILERS]; /* messages to each mailer */
	long stat_bt[MSTATS_MAXMAILERS]; /* kbytes to each mailer */
	long stat_nr[MSTATS_MAXMAILERS]; /* rejects per mailer */
	long stat_nd[MSTATS_MAXMAILERS]; /* discards per mailer */
	long stat_nq[MSTATS_MAXMAILERS]; /* quarantines per mailer */
};

enum mstats_status {
	MSTATS_OK,
	MSTATS_EMPTY,     /* empty file: fresh zero counters, itime = now */
	MSTATS_ERR_READ,  /* read(2) failed: errno is set */
	MSTATS_ERR_MAGIC, /* not a statistics file */
	MSTATS_ERR_VERSION,
	MSTATS_ERR_SIZE, /* short file or another struct size */
};

/* Read the file at fd's current offset into st; now stamps an empty file. */
enum mstats_status mstats_read(int fd, struct mstats_file *st, time_t now);
/* A zeroed, valid statistics block started at itime. */
void mstats_init(struct mstats_file *st, time_t itime);

enum {
	MSTATS_FMT_PROGRAM = 1, /* -p/-P: numbers only, no header or K */
	MSTATS_FMT_NONAMES = 2, /* -o: no mailer name column */
};

/* Append Sendmail's table for st to out; names[i] may be NULL or absent. */
void mstats_format(const struct mstats_file *st, const char *const *names, size_t nnames, int flags,
                   time_t now, struct sm_buf *out);

/* One delivery's counts for mstats_update() (zero fields are no-ops). */
struct mstats_delta {
	int mailer;      /* index, 0 .. MSTATS_MAXMAILERS-1 */
	long msgs_from;  /* messages received from this mailer */
	long bytes_from; /* their size in bytes (converted to KB) */
	long msgs_to;    /* messages delivered by this mailer */
	long bytes_to;   /* their size in bytes */
	long rejects, discards, quarantines;
	long conn_in, conn_out, conn_rejected;
};

/*
 * Add d to the statistics file at path if it exists and is valid: open,
 * exclusive lock, read, add, write back, unlock.  Returns 0 when the file
 * was updated, 1 when there is nothing to update (no file, empty path, or
 * an invalid file, which is left alone), -1 on an I/O error (errno set).
 */
int mstats_update(const char *path, const struct mstats_delta *d);

/* What mailstats reads from a cf file. */
struct mstats_cf {
	struct sm_buf status_file; /* value of the last StatusFile option */
	int have_status_file;
	char *names[MSTATS_MAXMAILERS]; /* mailer names by index (malloc'd) */
	size_t nnames;
	int too_many; /* an M line came after 25 mailers: a fatal error */
};

/* Scan the cf at path; 0 or -1 with errno if it cannot be read. */
int mstats_cf_scan(const char *path, struct mstats_cf *cf);
/* Feed one cf line (without its newline); for tests and mstats_cf_scan. */
void mstats_cf_line(struct mstats_cf *cf, const char *line);
void mstats_cf_init(struct mstats_cf *cf);
void mstats_cf_free(struct mstats_cf *cf);

#endif
