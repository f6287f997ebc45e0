/*
 * ml: the parts of mail.local and how they call each other.
 *
 *   mail.local.c   options, the command-line mode, exit status
 *   ml_lmtp.c      the LMTP server mode (-l) on stdin/stdout
 *   ml_parse.c     pure parsers: LMTP commands and addresses, user names
 *   ml_msg.c       copying a message into a private temporary file, with
 *                  the "From " line, ">From " escaping and LMTP dot rules
 *   ml_mbox.c      appending that file to one user's mailbox safely
 *   ml_lock.c      the dot-lock (user.lock) and the fcntl lock
 *
 * A delivery outcome is a struct ml_result: a sysexits code, an SMTP reply
 * code with its enhanced status ("450 4.2.0") and a message.  The command
 * line prints the message and folds the codes into the exit status; LMTP
 * sends "reply message" for the recipient.
 */
#ifndef ML_H
#define ML_H

#include <pwd.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>

#include "libsm/sm_buf.h"

#define ML_DEFAULT_SPOOL "/var/mail"

/* Settings shared by both modes. */
struct ml_opts {
	const char *spool;    /* mail spool directory */
	const char *homefile; /* -h: mailbox file in the home directory, or NULL */
	const char *from;     /* -f/-r sender, or NULL */
	int bounce_quota;     /* -b: over quota is a permanent error */
	int no8bit;           /* -7: no 8BITMIME in LMTP */
	int privileged;       /* running as root: deliver as the recipient */
	gid_t mail_gid;       /* group given to new mailboxes (when privileged) */
};

struct ml_result {
	int code;          /* EX_OK, EX_TEMPFAIL, EX_UNAVAILABLE, ... */
	const char *reply; /* "250 2.1.5", "450 4.2.0", ... */
	struct sm_buf text;
};

/* Set r to a failure; the code follows the reply's first digit. */
void ml_fail(struct ml_result *r, const char *reply, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ml_result_init(struct ml_result *r);
void ml_result_free(struct ml_result *r);

/* --- ml_parse.c --- */

enum ml_cmd {
	ML_CMD_BAD, /* 500 5.5.2 Syntax error */
	ML_CMD_LHLO,
	ML_CMD_MAIL,
	ML_CMD_RCPT,
	ML_CMD_DATA,
	ML_CMD_RSET,
	ML_CMD_NOOP,
	ML_CMD_QUIT,
	ML_CMD_VRFY,
};

/* Recognise an LMTP command line; *arg points after the command word. */
enum ml_cmd ml_parse_cmd(const char *line, const char **arg);
/*
 * Parse "FROM:<addr> [params]" (prefix "FROM:") or "TO:<addr> [params]"
 * into addr.  0 on success, -1 on a syntax error.
 */
int ml_parse_path(const char *arg, const char *prefix, struct sm_buf *addr);
/*
 * Reduce an LMTP recipient to a local user name: drop a source route
 * ("@a,@b:"), everything from the first '@', and a "+detail".
 */
void ml_local_user(const char *addr, struct sm_buf *user);
/* A user name that is safe as a file name in the spool directory. */
int ml_user_name_ok(const char *name);

/* --- ml_msg.c --- */

/* The message, ready to append: "From " line, escaped body, blank line. */
struct ml_spool {
	int fd;
	off_t len;
};

enum ml_msg_status {
	ML_MSG_OK,
	ML_MSG_EOF,   /* LMTP: input ended before the final "." */
	ML_MSG_ERROR, /* writing the temporary file failed: errno set */
};

/* Create the unlinked temporary file; -1 with errno on failure. */
int ml_spool_open(struct ml_spool *s);
void ml_spool_close(struct ml_spool *s);
/*
 * Copy a message from in: the "From sender date" line, every line that
 * starts with "From " prefixed by '>', a newline added to an unterminated
 * last line, and a blank line at the end.  With lmtp, CRLF becomes LF,
 * the message ends at a line holding only ".", and a leading "." is
 * removed from other lines.
 */
enum ml_msg_status ml_spool_copy(struct ml_spool *s, FILE *in, int lmtp, const char *sender,
                                 time_t now);
/* The "From " line for sender at now, without its newline. */
void ml_from_line(const char *sender, time_t now, struct sm_buf *out);

/* --- ml_lock.c --- */

struct ml_dotlock {
	struct sm_buf path; /* "mailbox.lock"; empty when not held */
};

/*
 * Take the dot-lock for the mailbox at path: create path.lock exclusively,
 * waiting while another process holds it and removing a lock older than
 * ML_LOCK_STALE seconds.  0 when held; 1 when the directory does not let
 * us create it (the lock is then skipped, fcntl still protects the box);
 * -1 on failure or time-out, errno set.
 */
int ml_dotlock_take(struct ml_dotlock *l, const char *path);
void ml_dotlock_drop(struct ml_dotlock *l);
/* Exclusive fcntl lock on the whole file, waiting with a bound. 0 or -1. */
int ml_fcntl_lock(int fd);

#define ML_LOCK_STALE 300
#define ML_LOCK_WAIT  360

/* --- ml_mbox.c --- */

/* Append the spooled message to pw's mailbox; fills r. */
void ml_deliver(const struct ml_opts *o, const struct passwd *pw, const struct ml_spool *s,
                struct ml_result *r);

/* --- ml_lmtp.c --- */

/* Run an LMTP session on in/out; returns the process exit status. */
int ml_lmtp(const struct ml_opts *o, FILE *in, FILE *out);

#endif
