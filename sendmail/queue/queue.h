/*
 * queue: Sendmail 8.17's mail queue on disk.  A library module: no main().
 *
 * What it owns (one file each):
 *   qid.c        queue ids and their generator
 *   qdir.c       queue directories: qf/ df/ xf/ subdirectories, "dir/q*"
 *                queue-group forms, file names <type><id>
 *   qlock.c      locking queue files the way 8.17 does on Linux: flock(2)
 *   qf_read.c    the qf reader (version 8 and older), strict and bounded
 *   qf_write.c   the qf writer (byte for byte as 8.17) and the commit:
 *                df written and fsynced, tf -> fsync -> rename to qf
 *   qlist.c      the mailq (-bp) listing
 * Callers: main.c (-bp), the future submission, delivery and queue-run
 * code, tests.  It knows nothing of rulesets, SMTP or mailers: addresses,
 * headers and macros are kept as the strings the qf holds.
 *
 * Facts (learned from the reference 8.17.1.9 binary, see test/queue/README):
 *   - id "YMDhmsNNPPPPPP": one character each of the 62-character alphabet
 *     0-9A-Za-z for gmtime()'s tm_year % 60, tm_mon (0-11), tm_mday,
 *     tm_hour, tm_min % 62 and tm_sec % 62; NN = a sequence number
 *     0..3599 in base 60 (two characters of the first 60), started at a
 *     random offset per process and incremented per id; then the pid in
 *     decimal, at least six digits ("%06d").  After 3600 ids within one
 *     second, or when the pid changes, the generator waits for the clock
 *     to move to a new second.
 *   - files are created O_CREAT|O_EXCL, mode QueueFileMode (0600), in the
 *     queue directory or its qf/ df/ xf/ subdirectory; the df is written
 *     and fsynced first, the qf is written as tf, fsynced, renamed over
 *     the qf, and the directory fsynced.
 *   - locks are flock(2): LOCK_EX|LOCK_NB by the process owning a queue
 *     entry (the lock taken on the tf follows it through the rename),
 *     LOCK_SH|LOCK_NB by mailq to tell whether an entry is being worked on.
 *
 * Memory: a parsed qf lives in the caller's arena; strings in it are
 * arena copies.  Errors are returned as text in an sm_buf, "FILE:LINE:
 * message", never printed here.
 */
#ifndef QUEUE_QUEUE_H
#define QUEUE_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "libsm/sm_buf.h"

struct sm_arena;

/* ---- queue ids (qid.c) ---- */

#define QID_ALPHABET "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define QID_SEQ_MAX 3600 /* sequence numbers per process and second */
#define QID_BUFSIZE 32   /* room for any id plus NUL */

/* Per-process generator state; zero-initialise (QID_GEN_INIT). */
struct qid_gen {
	time_t last;     /* second of the ids being handed out, 0 = none yet */
	long pid;        /* process the state belongs to */
	unsigned count;  /* ids handed out in 'last' */
	unsigned offset; /* random start of the sequence */
};
#define QID_GEN_INIT {0, 0, 0, 0}

/* Format the id for time t (UTC), sequence seq (0..3599) and pid. */
void qid_format(char out[QID_BUFSIZE], time_t t, unsigned seq, long pid);
/*
 * Hand out the next id as 8.17 does: unique for this process (the state
 * resets when getpid() changes, i.e. after fork) and time.  May sleep
 * until the next second after 3600 ids in one second.
 */
void qid_next(struct qid_gen *g, char out[QID_BUFSIZE]);
/* Deterministic variant for tests: now and pid given, no sleeping (-1 if
 * the second is used up). */
int qid_next_at(struct qid_gen *g, time_t now, long pid, unsigned offset, char out[QID_BUFSIZE]);
/* Whether id has the shape of an 8.17 id (8 alphabet chars + >= 5 digits). */
bool qid_valid(const char *id);
/* Split an id into its fields: tm gets the raw values (tm_year is
 * (year - 1900) % 60), seq 0..3599, pid.  false if not qid_valid(). */
bool qid_decode(const char *id, struct tm *tm, unsigned *seq, long *pid);

/* ---- queue directories and file names (qdir.c) ---- */

/* File types: the first letter of the file name. */
enum qtype {
	QT_CONTROL = 'q', /* qf: control file */
	QT_DATA = 'd',    /* df: body */
	QT_TEMP = 't',    /* tf: control file being written */
	QT_XSCRIPT = 'x', /* xf: transcript */
	QT_LOST = 'Q',    /* Qf: lost control file */
	QT_QUARANTINE = 'h', /* hf: quarantined control file */
};

/* One queue directory and the subdirectories 8.17 uses when present. */
struct qdir {
	const char *path; /* as configured, no trailing '/' kept */
	bool has_qf;      /* path/qf/ holds qf tf hf Qf */
	bool has_df;      /* path/df/ holds df */
	bool has_xf;      /* path/xf/ holds xf */
};

/* Fill d for path (copied into a), probing the subdirectories. */
void qdir_init(struct qdir *d, const char *path, struct sm_arena *a);
/*
 * Expand a QueueDirectory value: "dir" gives one directory; "dir/pfx*"
 * gives every subdirectory of dir whose name starts with pfx, in readdir
 * order (as 8.17).  Returns the count (0 if none or unreadable) and an
 * arena array in *out.
 */
size_t qdir_expand(const char *spec, struct sm_arena *a, struct qdir **out);
/* The directory holding files of type t ("path", "path/qf", ...). */
void qdir_subdir(const struct qdir *d, int t, struct sm_buf *out);
/* The path of file type t for id: "<subdir>/<t>f<id>". */
void qdir_file(const struct qdir *d, int t, const char *id, struct sm_buf *out);
/* The name mailq prints for the directory ("path", or "path/df" when a
 * df/ subdirectory exists, as 8.17 does). */
void qdir_display(const struct qdir *d, struct sm_buf *out);

/* ---- locking (qlock.c) ---- */

enum {
	QLOCK_SH = 1,  /* shared */
	QLOCK_EX = 2,  /* exclusive */
	QLOCK_NB = 4,  /* do not wait */
	QLOCK_UN = 8,  /* release */
};
/* flock(2) with those flags; 0, or -1 with errno (EWOULDBLOCK if held). */
int qlock(int fd, int how);
/* Whether another process holds a lock on the file at path (8.17's mailq
 * test: open read-only, LOCK_SH|LOCK_NB).  false if it cannot be opened. */
bool qlock_held(const char *path);
/*
 * Open an existing qf for work on it: O_RDWR, LOCK_EX|LOCK_NB, and make
 * sure it was not renamed or removed while we waited.  fd or -1 (errno
 * EWOULDBLOCK: someone else has it; ENOENT: gone).
 */
int qlock_open_qf(const char *path);

/* ---- the qf model ---- */

#define QF_VERSION 8            /* written; the highest version read */
#define QF_MAX_SIZE (64u << 20) /* largest qf the reader accepts */
#define QF_MAX_LINE (1u << 20)  /* longest logical line (with continuations) */

/* Envelope flags (F line letters). */
#define QF_F_RESPONSE 'r'
#define QF_F_WARNING 'w'
#define QF_F_8BIT '8'
#define QF_F_DELETE_BCC 'b'
#define QF_F_RET_PARAM 'd'
#define QF_F_NO_BODY_RETN 'n'
#define QF_F_SPLIT 's'

/* Recipient flags (letters before ':' on R lines), written in this order. */
enum {
	QF_R_PRIMARY = 1 << 0,   /* P: from the command line or SMTP */
	QF_R_HASNOTIFY = 1 << 1, /* N: NOTIFY= given */
	QF_R_SUCCESS = 1 << 2,   /* S: NOTIFY=SUCCESS */
	QF_R_FAILURE = 1 << 3,   /* F: NOTIFY=FAILURE */
	QF_R_DELAY = 1 << 4,     /* D: NOTIFY=DELAY */
	QF_R_INTBCC = 1 << 5,    /* B: internal Bcc */
	QF_R_ALIAS = 1 << 6,     /* A: controlling address came from an alias */
	QF_R_DYNMAILER = 1 << 7, /* M: dynamic mailer */
};
#define QF_R_LETTERS "PNSFDBAM" /* letter i is flag bit i */

/* $ line: a persisted macro. */
struct qf_macro {
	const char *name;  /* "x" or "{name}" */
	const char *value;
	struct qf_macro *next;
};

/* C line: the controlling user of the recipients that follow. */
struct qf_ctl {
	const char *raw;  /* text after 'C' exactly as read/written */
	const char *user; /* NULL for the ":address" and bare forms */
	long uid, gid;
	const char *addr; /* NULL for the bare form */
};

struct qf_rcpt {
	unsigned flags;          /* QF_R_* */
	const char *flags_extra; /* unknown flag letters, kept ("" none) */
	const char *addr;        /* after ':' (the whole text before V1) */
	const char *orcpt;       /* Q line before it, NULL if none */
	const char *final_rcpt;  /* r line before it, NULL if none */
	const struct qf_ctl *ctl; /* controlling user in effect, NULL none */
	/* Text of a C line read just before this recipient (NULL: none); the
	 * writer repeats it.  Recipients built in memory leave it NULL and
	 * get a C line whenever ctl changes, as 8.17 writes them. */
	const char *ctl_line;
	struct qf_rcpt *next;
};

struct qf_header {
	/* Text between the two '?' after 'H' ("P", "", "${name}"); NULL when
	 * the line has no ?...? part. */
	const char *cond;
	const char *name;
	const char *value; /* everything after the first ':' (leading blank
			    * kept; continuation lines as "\n\t...") */
	struct qf_header *next;
};

struct qf {
	int version;          /* V; 0 if absent */
	bool has_version;
	long long ctime;      /* T: creation time */
	long long dtime;      /* K: last delivery attempt, 0 none */
	int ntries;           /* N */
	long priority;        /* P */
	bool has_inode;       /* I line present */
	long dev_major, dev_minor;
	unsigned long long inode;
	const char *datadir;  /* d line, NULL none */
	const char *bodytype; /* B, NULL none */
	const char *quarantine; /* q, NULL none */
	const char *message;  /* M, NULL none */
	const char *flags;    /* F letters, NULL = no F line */
	struct qf_macro *macros;
	const char *sender;   /* S, NULL none */
	const char *envid;    /* Z, NULL none */
	const char *auth;     /* A, NULL none */
	bool has_deliver_by;  /* ! line */
	int deliver_by_flag;  /* the byte after '!' */
	long deliver_by;
	struct qf_rcpt *rcpts;
	struct qf_header *headers;
	/* Obsolete lines 8.17 reads but never writes (E error recipients;
	 * D and L are ignored, as 8.17 does).  Not written back. */
	const char **errors_to;
	size_t nerrors_to;
	/* list tails, for the add functions */
	struct qf_macro **macro_tail;
	struct qf_rcpt **rcpt_tail;
	struct qf_header **header_tail;
};

/* ---- building a qf (qf_write.c) ---- */

/* An empty version-8 qf in a. */
struct qf *qf_new(struct sm_arena *a);
/* Append a macro, recipient or header (strings copied into a).  value of a
 * header is the text after "Name:" (give the leading blank yourself). */
void qf_add_macro(struct qf *q, struct sm_arena *a, const char *name, const char *value);
struct qf_rcpt *qf_add_rcpt(struct qf *q, struct sm_arena *a, unsigned flags, const char *addr);
struct qf_header *qf_add_header(struct qf *q, struct sm_arena *a, const char *cond,
				const char *name, const char *value);
/* Record the df's device and inode (the I line 8.17 writes once a queue
 * run has looked at the df; a fresh submission has none). */
struct stat;
void qf_set_inode(struct qf *q, const struct stat *st);
/* Whether the F line has letter f. */
bool qf_has_flag(const struct qf *q, int f);
/* Whether a header's ?flags? has letter f; its ?${macro}? name or NULL. */
bool qf_header_has_flag(const struct qf_header *h, int f);
const char *qf_header_macro(const struct qf_header *h, struct sm_arena *a);

/* ---- reading (qf_read.c) ---- */

/*
 * Parse a qf held in memory.  name is used in messages only.  Returns 0
 * and *out (in a), or -1 with "NAME:LINE: text" in err.
 */
int qf_parse(const char *data, size_t len, const char *name, struct sm_arena *a,
	     struct qf **out, struct sm_buf *err);
/* Read and parse the qf at path (at most QF_MAX_SIZE bytes). */
int qf_read_file(const char *path, struct sm_arena *a, struct qf **out, struct sm_buf *err);
/* Same for an open descriptor (read from its current offset to EOF). */
int qf_read_fd(int fd, const char *name, struct sm_arena *a, struct qf **out,
	       struct sm_buf *err);

/* ---- writing (qf_write.c) ---- */

/* Append q's bytes, in 8.17's order and format, to out. */
void qf_format(const struct qf *q, struct sm_buf *out);
/*
 * Create the df for a new entry: tries the id want first (NULL: none),
 * else picks one with g; creates
 * <df dir>/df<id> O_RDWR|O_CREAT|O_EXCL with mode, locks it LOCK_EX and
 * returns the fd (id in id_out); -1 with errno on failure.  Write the body,
 * then qdir_df_sync() it before committing the qf.
 */
int queue_df_create(const struct qdir *d, struct qid_gen *g, mode_t mode, const char *want,
		    char id_out[QID_BUFSIZE]);
/* fsync a df (0 or -1). */
int queue_df_sync(int fd);
/*
 * Write q as the qf of id: tf created O_WRONLY|O_CREAT|O_EXCL with mode,
 * locked LOCK_EX|LOCK_NB, written, fsynced, renamed over qf, directory
 * fsynced.  A stale unlocked tf is removed first.  Returns the tf's fd,
 * which now holds the lock on the new qf (keep it while working on the
 * entry, then close it), or -1 with errno; on failure no qf is changed.
 */
int queue_qf_commit(const struct qdir *d, const char *id, const struct qf *q, mode_t mode);

/* ---- mailq (qlist.c) ---- */

enum qlist_mode {
	QL_NORMAL,     /* qf files */
	QL_QUARANTINE, /* hf files (-qQ) */
	QL_LOST,       /* Qf files (-qL) */
};

struct qlist_opts {
	bool verbose;       /* -v: priority column, C lines, per-rcpt status */
	enum qlist_mode mode;
	int max_print;      /* MaxQueueRunSize: 0 = all */
};

/*
 * Print the listing of every directory in spec (a QueueDirectory value,
 * "dir" or "dir/q*") to out in 8.17's format, ending with the "Total
 * requests: N" line.  Returns the number of requests.
 */
int queue_list(FILE *out, const char *spec, const struct qlist_opts *o);
/* One directory's part (no total line); returns its request count. */
int queue_list_dir(FILE *out, const struct qdir *d, const struct qlist_opts *o);
/* Count the entries of every directory in spec (for -bP). */
int queue_count(const char *spec, enum qlist_mode mode);

#endif
