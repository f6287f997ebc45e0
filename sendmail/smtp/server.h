/*
 * smtp/server: the protocol core of the ESMTP server (Sendmail's srvrsmtp).
 *
 * A struct smtp_session is one SMTP conversation with no I/O of its own:
 * the caller pushes the bytes it read with smtp_session_feed() and sends
 * what smtp_session_output() returns.  Everything the session cannot
 * decide itself goes through the hooks the integrator fills in:
 *
 *   policy  one call per Sendmail check point (check_relay, check_mail,
 *           check_rcpt, check_data, check_eoh, check_eom, check_vrfy,
 *           check_expn, check_etrn, srv_features, greet_pause), made with
 *           the macros Sendmail defines before that ruleset runs already
 *           set in the session's macro set (smtp_session_macros()):
 *           ${client_addr} ${client_name} ${client_port} ${client_resolve}
 *           ${daemon_name} ${if_addr} (from smtp_opts), $s (HELO name),
 *           $r (SMTP/ESMTP), ${mail_addr} ${rcpt_addr} ${nrcpts}
 *           ${nbadrcpts} ${msg_size} ${hdr_count} ${hdrlen} ${ntries}.
 *           The answer is accept, a reply (code, enhanced code, text),
 *           discard or quarantine.
 *   vrfy    the lines VRFY/EXPN answer when policy allows them
 *   etrn    start a queue run for ETRN
 *   sink    the message store: begin (at DATA, with the envelope), one
 *           add_rcpt per accepted recipient, body bytes, then commit,
 *           which returns the queue id; only after a successful commit
 *           does the client see "250 2.0.0 <id> Message accepted for
 *           delivery".  abort throws the transaction away.
 *
 * Reply texts and enhanced codes are Sendmail 8.17's (captured from the
 * reference in -bs mode, see test/smtp/golden/).  Line handling follows
 * Sendmail 8.18.1 (the SMTP smuggling fixes), see server_data.c.
 *
 * Pipelining: smtp_session_feed() consumes every complete command in the
 * bytes it is given and queues the replies; the caller flushes them once
 * feed returns, so replies to a pipelined group go out together.  The
 * session never consumes bytes beyond the command it is executing: the
 * bytes after DATA stay queued until the 354 has been produced.  With
 * srv_features 'F' unset (8.18.1's default), input that arrives before
 * the HELO/EHLO reply is answered "554 5.5.0 SMTP protocol error" and
 * the session then refuses everything but HELO EHLO NOOP RSET QUIT
 * ("550 5.0.0 Command rejected", counted as bad commands); input that
 * arrives before the DATA reply gets the same 554 and the connection is
 * dropped.  Input before the greeting is refused only when greet_pause
 * asked for a pause ("554 <host> not accepting messages"), which is what
 * the reference does: one early command is otherwise taken.
 *
 * Limits: command lines of more than 2046 bytes ("421 4.7.0 <host>
 * Command too long, possible attack <client>"), 25 bad commands ("421
 * 4.7.0 <host> Too many bad commands; closing connection"), HTTP words
 * as the first command ("421 4.7.0 <host> Rejecting open proxy
 * <client>"), MaxRecipientsPerMessage ("452 4.5.3 Too many
 * recipients"), MaxMessageSize (SIZE= and while reading), and
 * MaxNOOPCommands / HELO / VRFY / ETRN floods (replies delayed).
 *
 * Callers: the daemon and -bs (sendmail/daemon/, main.c) through
 * smtp_session_run_fd() (server_io.c) or their own event loop.  The
 * session never touches files, sockets, signals or the clock.
 */
#ifndef SMTP_SERVER_H
#define SMTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct macros;
struct sm_buf;

/* PrivacyOptions bits (smtp_privacy_parse). */
enum {
	SMTP_PRIV_NEEDMAILHELO = 0x0001,
	SMTP_PRIV_NEEDEXPNHELO = 0x0002,
	SMTP_PRIV_NEEDVRFYHELO = 0x0004,
	SMTP_PRIV_NOEXPN = 0x0008,
	SMTP_PRIV_NOVRFY = 0x0010,
	SMTP_PRIV_AUTHWARNINGS = 0x0020,
	SMTP_PRIV_NOVERB = 0x0040,
	SMTP_PRIV_NOETRN = 0x0080,
	SMTP_PRIV_NOBODYRETURN = 0x0100,
	SMTP_PRIV_NORECEIPTS = 0x0200,
	SMTP_PRIV_NOACTUALRECIPIENT = 0x0400,
	SMTP_PRIV_RESTRICTMAILQ = 0x1000,
	SMTP_PRIV_RESTRICTQRUN = 0x2000,
	SMTP_PRIV_RESTRICTEXPAND = 0x4000,
	SMTP_PRIV_GOAWAY = 0x047f,
};

/*
 * Parse a PrivacyOptions value ("goaway,noetrn", blanks or commas).
 * Unknown words are ignored and, if bad is not NULL, the first one is
 * reported there (static storage).
 */
unsigned smtp_privacy_parse(const char *value, const char **bad);

/* The check points, in the order Sendmail reaches them. */
enum smtp_check {
	SMTP_CHECK_RELAY,        /* connect: "name $| addr" */
	SMTP_CHECK_SRV_FEATURES, /* connect: answer letters in value */
	SMTP_CHECK_GREET_PAUSE,  /* connect: answer milliseconds in value */
	SMTP_CHECK_SENDER,       /* MAIL: the address as given, before its parameters (no
	                            ruleset: the integrator parses it and starts the
	                            transaction; a refusal is the parse error) */
	SMTP_CHECK_MAIL,         /* MAIL: the address as given, after its parameters */
	SMTP_CHECK_RCPT,         /* RCPT: the address as given */
	SMTP_CHECK_DATA,         /* DATA: ${nrcpts} */
	SMTP_CHECK_EOH,          /* end of headers: "count $| bytes" */
	SMTP_CHECK_EOM,          /* end of message: ${msg_size} */
	SMTP_CHECK_VRFY,         /* VRFY argument */
	SMTP_CHECK_EXPN,         /* EXPN argument */
	SMTP_CHECK_ETRN,         /* ETRN argument */
	SMTP_CHECK_COUNT
};

/* The ruleset name of a check point ("check_rcpt", "srv_features", ...). */
const char *smtp_check_name(enum smtp_check which);

enum smtp_verdict {
	SMTP_ACCEPT,     /* go on */
	SMTP_REPLY,      /* answer code/dsn/text (4xx or 5xx) and refuse */
	SMTP_DISCARD,    /* accept, then silently drop the whole message */
	SMTP_QUARANTINE, /* accept, queue held with reason in value */
};

/*
 * What a policy hook answers.  The session clears it before each call;
 * strings must stay valid until the hook is called again.
 */
struct smtp_decision {
	enum smtp_verdict verdict;
	int code;          /* SMTP_REPLY: 4xx/5xx */
	const char *dsn;   /* enhanced code "5.7.1"; NULL: derived from code */
	const char *text;  /* reply text without the codes */
	const char *value; /* srv_features letters, greet_pause ms, quarantine reason */
	const char *shown; /* accepted RCPT: the address the 250 names (NULL: as given) */
	bool will_queue;   /* accepted RCPT: "Recipient ok (will queue)" */
};

/* One accepted recipient with its DSN parameters. */
enum {
	SMTP_NOTIFY_NEVER = 1,
	SMTP_NOTIFY_SUCCESS = 2,
	SMTP_NOTIFY_FAILURE = 4,
	SMTP_NOTIFY_DELAY = 8
};

struct smtp_rcpt {
	const char *addr;  /* as given in RCPT TO: (with <> if written) */
	unsigned notify;   /* SMTP_NOTIFY_* bits, 0 if not given */
	const char *orcpt; /* ORCPT= value (xtext, undecoded) or NULL */
};

enum smtp_body { SMTP_BODY_NONE, SMTP_BODY_7BIT, SMTP_BODY_8BITMIME };
enum smtp_ret { SMTP_RET_NONE, SMTP_RET_FULL, SMTP_RET_HDRS };

/* The envelope of the current transaction. */
struct smtp_txn {
	const char *sender; /* as given in MAIL FROM: */
	long size;          /* SIZE= (0 if not given) */
	enum smtp_body body;
	enum smtp_ret ret;
	const char *envid; /* ENVID= (xtext, undecoded) or NULL */
	const char *by;    /* BY= as given or NULL */
	struct smtp_rcpt *rcpts;
	size_t nrcpts;
	bool discard;           /* a policy answered discard */
	const char *quarantine; /* reason, or NULL */
	long msg_size;          /* body bytes received (LF line ends counted once) */
};

/* An error the sink reports: code, enhanced code, text. */
struct smtp_sink_error {
	int code;
	const char *dsn;
	const char *text;
};

struct smtp_sink {
	/* DATA accepted: start a message for the envelope t. */
	bool (*begin)(void *ctx, const struct smtp_txn *t, struct smtp_sink_error *err);
	bool (*add_rcpt)(void *ctx, const struct smtp_rcpt *r, struct smtp_sink_error *err);
	/* Message bytes after dot-unstuffing, lines ending in CRLF. */
	bool (*body)(void *ctx, const char *p, size_t n);
	/* Make it durable; append the queue id to qid. */
	bool (*commit)(void *ctx, const struct smtp_txn *t, struct sm_buf *qid,
	               struct smtp_sink_error *err);
	void (*abort)(void *ctx);
	/*
	 * The message is lost while it is being read, before abort: why is
	 * Sendmail's word for it ("unexpected close", "Bare linefeed (LF)
	 * not allowed"), in_headers where it happened, size the bytes read
	 * so far (line ends counted once).  NULL: nothing to say.
	 */
	void (*lost)(void *ctx, const char *why, bool in_headers, long size);
	/*
	 * The whole message was read but is over MaxMessageSize (t->msg_size
	 * is its size, max the limit; the body hook stopped at the limit),
	 * before the 552 and the abort: the hook logs what Sendmail logs
	 * then.  NULL: the core logs "message size (N) exceeds maximum (M)"
	 * through the log hook.
	 */
	void (*too_big)(void *ctx, const struct smtp_txn *t, long max);
};

struct smtp_hooks {
	void *ctx; /* passed to every hook */
	/* NULL: accept everything, srv_features empty, no greet pause. */
	void (*policy)(void *ctx, enum smtp_check which, const char *arg, struct macros *m,
	               struct smtp_decision *out);
	/*
	 * VRFY (expn false) / EXPN: append whole reply lines ("250 2.1.5
	 * <a@b>\r\n", continuation lines with '-') to reply.  NULL answers
	 * "252 2.5.2 Cannot VRFY user; ...".
	 */
	void (*vrfy)(void *ctx, const char *arg, bool expn, struct sm_buf *reply);
	/* ETRN: start the queue run; false means the queue is unknown.  NULL: accept. */
	bool (*etrn)(void *ctx, const char *arg);
	struct smtp_sink sink;
	/*
	 * MAIL's parameters as parsed, right after the sender was accepted
	 * (SMTP_CHECK_SENDER) and also when a parameter is then refused:
	 * what Sendmail logs of the transaction (SIZE=, BODY=).  NULL none.
	 */
	void (*params)(void *ctx, const struct smtp_txn *t);
	/*
	 * Each command line as it is taken, before it runs: name is the
	 * command word in upper case ("VRFY", "MAIL", ...; "" when unknown),
	 * line the whole line.  For logging; NULL none.
	 */
	void (*command)(void *ctx, const char *name, const char *line);
	/*
	 * A mail log line the protocol core writes (a refusal it made itself,
	 * a HELO flood, an oversized message), in Sendmail's words without
	 * queue id: prio is a syslog priority, level the LogLevel it needs
	 * to exceed.  NULL none.
	 */
	void (*log)(void *ctx, int prio, int level, const char *text);
	/*
	 * Extra EHLO keywords after ETRN's place (AUTH ..., STARTTLS), each
	 * a line without CRLF appended to out; NULL none.
	 */
	void (*ehlo_extra)(void *ctx, struct sm_buf *out);
};

struct smtp_opts {
	const char *hostname;       /* $j */
	const char *greeting;       /* SmtpGreetingMessage, expanded: "$j Sendmail $v/$Z; $b" */
	const char *version;        /* $v, for the helpfile */
	const char *helpfile;       /* NULL or unreadable: HELP not implemented */
	const char *client_label;   /* how replies name the client ("root@localhost" for -bs); NULL:
	                               derived */
	const char *client_name;    /* ${client_name} */
	const char *client_addr;    /* ${client_addr} */
	const char *client_port;    /* ${client_port} */
	const char *client_resolve; /* ${client_resolve}: OK FAIL FORGED TEMP */
	const char *daemon_name;    /* ${daemon_name} */
	const char *if_addr;        /* ${if_addr} */
	unsigned privacy;           /* SMTP_PRIV_* */
	long max_message_size;      /* MaxMessageSize, 0 = none */
	int max_rcpts;              /* MaxRecipientsPerMessage, 0 = none */
	int max_noop;               /* MaxNOOPCommands (default 20) */
	long max_headers_length;    /* MaxHeadersLength, 0 = none */
	long deliver_by_min;        /* DeliverByMin: < 0 hides DELIVERBY */
	bool reject_nul;            /* RejectNUL: NUL in DATA refused */
	bool send_mime_errors;      /* SendMimeErrors: false hides DSN */
	const char *features;       /* srv_features letters used when policy gives none */
};

/* Defaults as Sendmail's: MaxNOOPCommands 20, MaxHeadersLength 32768, ... */
void smtp_opts_default(struct smtp_opts *o);

struct smtp_session;

/*
 * A new session; o and hooks are copied (their strings must outlive the
 * session).  parent is the global macro set (may be NULL).
 */
struct smtp_session *smtp_session_new(const struct smtp_opts *o, const struct smtp_hooks *hooks,
                                      struct macros *parent);
void smtp_session_free(struct smtp_session *s);

/*
 * Connection start: check_relay, srv_features, greet_pause.  Returns the
 * greet pause in milliseconds the caller should wait (watching for input,
 * which it feeds) before calling smtp_session_greet(); 0 for none.
 */
long smtp_session_start(struct smtp_session *s);
/* Queue the 220 greeting (or the refusal check_relay decided). */
void smtp_session_greet(struct smtp_session *s);

/* Push input bytes and run every complete command they hold. */
void smtp_session_feed(struct smtp_session *s, const void *p, size_t n);
/* The client closed its side: abort what is in flight. */
void smtp_session_eof(struct smtp_session *s);
/*
 * The current Timeout.* ran out.  Waiting for a command: close without a
 * reply (8.17 sends none); in DATA: "421 4.4.1 collect: relay=NAME,
 * from=<sender>, info=read timeout", the sink's lost hook ("read
 * timeout"), close.  smtp_session_lost() then says 1 or 2.
 */
void smtp_session_timeout(struct smtp_session *s);
/* Whether the session ended by smtp_session_timeout(). */
bool smtp_session_timed_out(const struct smtp_session *s);

/* Replies queued since the last smtp_session_output_done(). */
const char *smtp_session_output(const struct smtp_session *s, size_t *len);
void smtp_session_output_done(struct smtp_session *s);

/* The client went away before the session ended: 0 no, 1 yes, 2 while sending a message. */
int smtp_session_lost(const struct smtp_session *s);
/* Whether the client said HELO or EHLO. */
bool smtp_session_helo_seen(const struct smtp_session *s);
/* The last command word taken ("MAIL", ...), NULL before the first. */
const char *smtp_session_last_command(const struct smtp_session *s);

/* Nothing more will be read or written after the queued output. */
bool smtp_session_closed(const struct smtp_session *s);
/* True while a message body is being read (Timeout.datablock applies). */
bool smtp_session_in_data(const struct smtp_session *s);
/* Milliseconds the caller should wait before sending the queued output (excess NOOPs). */
long smtp_session_delay(const struct smtp_session *s);
/* Sendmail's macros for this session (child of parent). */
struct macros *smtp_session_macros(struct smtp_session *s);

/*
 * Drive a session over file descriptors with poll() deadlines (no
 * signals): start, greet pause, greeting, then read/feed/write until the
 * session closes, the peer goes away or a timeout (seconds, command and
 * data) expires.  Returns 0, or -1 on an I/O error.
 */
int smtp_session_run_fd(struct smtp_session *s, int in, int out, long cmd_timeout,
                        long data_timeout);

#endif
