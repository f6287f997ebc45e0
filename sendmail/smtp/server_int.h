/*
 * smtp/server_int: the session structure and the helpers the server_*.c
 * files share.  Private to sendmail/smtp/; nothing outside includes it.
 *
 *   server.c        session life cycle, input framing, dispatch, replies
 *   server_cmd.c    HELO EHLO RSET NOOP QUIT VRFY EXPN VERB ETRN HELP
 *   server_mail.c   MAIL and RCPT with their ESMTP parameters
 *   server_data.c   DATA: the body reader (smuggling-safe)
 *   server_help.c   the helpfile
 *   server_io.c     the poll() driver over file descriptors
 */
#ifndef SMTP_SERVER_INT_H
#define SMTP_SERVER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "libsm/sm_buf.h"
#include "sendmail/smtp/server.h"

struct sm_arena;

#define SMTP_MAXCMDLINE      2046 /* longest command Sendmail takes (its 2048-byte buffer less CRLF) */
#define SMTP_MAXBADCOMMANDS  25 /* bad commands before 421 */
#define SMTP_MAXHELOCOMMANDS 3  /* HELO/EHLO before slowing down */
#define SMTP_MAXVRFYCOMMANDS 6
#define SMTP_MAXETRNCOMMANDS 8
#define SMTP_MAXDATACHUNK    65536  /* body bytes buffered before they go to the sink */
#define SMTP_MAXRCPTS_HARD   100000 /* bound on recipients when no limit is set */

/* srv_features letters the session acts on (lower case: on). */
enum {
	SMTP_F_NO_PIPELINING = 0x0001, /* P */
	SMTP_F_NO_VERB = 0x0002,       /* B */
	SMTP_F_NO_DSN = 0x0004,        /* D */
	SMTP_F_NO_ETRN = 0x0008,       /* E */
	SMTP_F_NO_EXPN = 0x0010,       /* X */
	SMTP_F_PIPE_OK = 0x0020,       /* F: allow bad pipelining */
	SMTP_F_DOT_LAX = 0x0040,       /* O: accepted, see server_data.c */
	SMTP_F_BARE_LF_OK = 0x0080,    /* G */
	SMTP_F_BARE_LF_SP = 0x0100,    /* g2 */
	SMTP_F_BARE_CR_OK = 0x0200,    /* U */
	SMTP_F_BARE_CR_SP = 0x0400,    /* u2 */
	SMTP_F_HTTP_DROP = 0x0800,     /* h */
	SMTP_F_TEMPFAIL = 0x1000,      /* $#temp */
};

enum smtp_state {
	SS_NEW,    /* before the greeting */
	SS_CMD,    /* reading commands */
	SS_DATA,   /* reading a message body */
	SS_CLOSED, /* nothing more */
};

/* The body reader's state (server_data.c). */
struct smtp_data {
	struct sm_buf line; /* the current line, not yet terminated by CRLF */
	bool in_headers;    /* before the first empty line */
	bool eoh_done;      /* check_eoh ran */
	bool too_big;       /* MaxMessageSize passed: read on, then refuse */
	bool hdr_too_big;   /* MaxHeadersLength passed */
	bool sink_failed;   /* the sink refused a write */
	bool nul_seen;      /* RejectNUL and a NUL arrived */
	long hdr_count;
	long hdr_len;
	long size;        /* bytes counted as Sendmail's df would hold them */
	bool first_chunk; /* nothing of the current line went to the sink yet */
	bool cr_pending;  /* the line buffer ends in a CR whose successor is unknown */
	bool eoh_refused; /* check_eoh said no: refuse at the final dot */
	struct smtp_sink_error eoh;
};

struct smtp_session {
	struct smtp_opts o;
	struct smtp_hooks h;
	struct macros *mac;
	enum smtp_state state;
	struct sm_buf in;  /* input not yet consumed */
	size_t in_off;     /* consumed prefix of in */
	struct sm_buf out; /* replies not yet taken */
	unsigned features; /* SMTP_F_* */
	bool helo_seen;
	bool esmtp;
	bool nullserver; /* after a protocol error: most commands refused */
	const char *nullserver_text;
	bool relay_refused;         /* check_relay said no */
	struct sm_arena *arena;     /* session lifetime: copies of decisions kept */
	struct sm_arena *cmd_arena; /* one command line */
	struct smtp_decision relay;
	bool early_input; /* bytes arrived before the greeting */
	long greet_pause;
	long delay_ms;
	int n_badcmds;
	int n_noop;
	int n_helo;
	int n_vrfy;
	int n_etrn;
	int n_badrcpts;
	int n_cmds; /* commands seen (the open proxy check looks at the first) */
	/* the transaction */
	struct sm_arena *txn_arena;
	bool mail_seen;
	struct smtp_txn txn;
	size_t rcpt_cap;
	bool sink_open;
	struct smtp_data data;
	struct sm_buf scratch;
	int peek_fd; /* input descriptor polled for pending input, -1 none */
	const char *client_label;
	int lost;             /* end of input before the session ended: 1, in DATA: 2 */
	bool timed_out;       /* the session ended by smtp_session_timeout */
	const char *last_cmd; /* static name of the last command taken */
};

/* server.c */
/* A line for the log hook (smtp_hooks.log), if there is one. */
void smtp_log(struct smtp_session *s, int prio, int level, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The last reply line queued after out offset from, without its codes, to the log hook. */
void smtp_log_reply(struct smtp_session *s, size_t from, int prio, int level);
void smtp_reply(struct smtp_session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A decision's reply (code, enhanced code, text). */
void smtp_reply_decision(struct smtp_session *s, const struct smtp_decision *d);
/* Ask the policy; returns the verdict (d filled). */
enum smtp_verdict smtp_policy(struct smtp_session *s, enum smtp_check which, const char *arg,
                              struct smtp_decision *d);
void smtp_set_macro(struct smtp_session *s, const char *name, const char *value);
void smtp_set_macro_num(struct smtp_session *s, const char *name, long value);
/* Count a bad command before replying; true (421 queued, session closed) past the limit. */
bool smtp_bad_command(struct smtp_session *s);
void smtp_close(struct smtp_session *s);
/* Forget the transaction (RSET, after DATA, HELO). */
void smtp_txn_reset(struct smtp_session *s);
/* A policy's discard or quarantine (with its reason) onto the transaction. */
void smtp_txn_note(struct smtp_session *s, const struct smtp_decision *d);
/* Unconsumed input follows the current command (pipelining check). */
bool smtp_input_pending(const struct smtp_session *s);
/* Poll fd as well when asking whether input is pending (server_io.c). */
void smtp_session_set_peek_fd(struct smtp_session *s, int fd);
/* Apply srv_features letters. */
unsigned smtp_features_parse(const char *letters);

/* The command handlers: arg is the text after the command word, blanks skipped. */
/* server_cmd.c */
void smtp_cmd_helo(struct smtp_session *s, const char *arg);
void smtp_cmd_ehlo(struct smtp_session *s, const char *arg);
void smtp_cmd_rset(struct smtp_session *s, const char *arg);
void smtp_cmd_noop(struct smtp_session *s, const char *arg);
void smtp_cmd_quit(struct smtp_session *s, const char *arg);
void smtp_cmd_vrfy(struct smtp_session *s, const char *arg);
void smtp_cmd_expn(struct smtp_session *s, const char *arg);
void smtp_cmd_verb(struct smtp_session *s, const char *arg);
void smtp_cmd_etrn(struct smtp_session *s, const char *arg);

/* server_help.c */
void smtp_cmd_help(struct smtp_session *s, const char *arg);

/* server_mail.c */
void smtp_cmd_mail(struct smtp_session *s, const char *arg);
void smtp_cmd_rcpt(struct smtp_session *s, const char *arg);

/* server_data.c */
void smtp_cmd_data(struct smtp_session *s, const char *arg);
/* Consume body bytes from p; returns how many were used (stops after the final dot). */
size_t smtp_data_input(struct smtp_session *s, const char *p, size_t n);
/* The connection ended inside DATA. */
void smtp_data_abort(struct smtp_session *s);
/* The message being read is lost (why: Sendmail's words): the sink's lost hook. */
void smtp_data_lost(struct smtp_session *s, const char *why);

#endif
