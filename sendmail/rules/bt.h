/*
 * rules/bt: address test mode (sendmail -bt).
 *
 * A session reads command lines and prints what Sendmail 8.17's address
 * test mode prints, byte for byte: the banner, the "> " prompt, rule
 * traces, macro and class dumps, the "/" commands (/try, /parse, /map,
 * /canon, /mx, ...).  The contract is test/compat/BT-FORMAT.md; when it
 * and the reference binary disagree, the reference wins.
 *
 * Use:
 *     struct bt_session *s = bt_new(cf, stdout, BT_PROMPT, 0);
 *     int status = bt_run(s, stdin);   (banner, loop to EOF or /quit)
 *     bt_free(s);
 * or bt_command(s, line) for one line (tests).
 *
 * Everything the session prints goes to `out`, errors included, as the
 * reference does.  The session's exit status starts as the caller's (the
 * command line may already have set it); the first failure after that
 * decides it (EX_SOFTWARE or EX_OSERR after a "system error" class
 * message, EX_USAGE after a rejected address ...), as Sendmail's ExitStat.
 *
 * bt.c holds the loop and the one-character commands; bt_slash.c the "/"
 * commands.  Callers: sendmail/main.c, tests.  Never exits the process.
 */
#ifndef RULES_BT_H
#define RULES_BT_H

#include <stdbool.h>
#include <stdio.h>

struct config;
struct macros;
struct sm_arena;

/* Sendmail's Verbose in test mode: prompt before each line, or echo it. */
enum bt_verbose {
	BT_QUIET = 0,  /* neither banner nor prompt (not reachable from the command line) */
	BT_ECHO = 1,   /* -v: banner, then "> line" echoed after reading it */
	BT_PROMPT = 2, /* default: banner, "> " before reading each line */
};

/* /tryflags state, as Sendmail's RF_HEADERADDR / RF_SENDERADDR. */
enum {
	BT_TRY_HEADER = 1,
	BT_TRY_SENDER = 2,
};

struct bt_session {
	struct config *cf;
	struct macros *macros;  /* the envelope's macros over cf->macros (.D) */
	FILE *out;
	int verbose;            /* enum bt_verbose */
	int tryflags;           /* BT_TRY_* */
	int exitstat;           /* Sendmail's ExitStat */
	bool quit;              /* /quit seen */
	struct sm_arena *arena; /* one -bt line; reset after each */
};

struct bt_session *bt_new(struct config *cf, FILE *out, int verbose, int exitstat);
void bt_free(struct bt_session *s);

/* Banner, then lines from in until EOF or /quit.  Returns the exit status. */
int bt_run(struct bt_session *s, FILE *in);

/* Execute one input line (without its newline). */
void bt_command(struct bt_session *s, const char *line);

/* Print s as Sendmail's xputs does (8-bit as M-x, \n \r \t escaped). */
void bt_xputs(FILE *out, const char *s);

/*
 * Record an exit status as Sendmail's ExitStat: the first failure stays
 * (only EX_OK and EX_TEMPFAIL are replaced).
 */
void bt_setstat(struct bt_session *s, int status);

/* Print a "system error" message (and ": strerror(errno)" if errno is
 * set) and set the exit status as Sendmail's syserr does. */
void bt_syserr(struct bt_session *s, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* For bt.c only: the "/" commands (bt_slash.c).  line starts with '/'. */
void bt_slash(struct bt_session *s, char *line);

#endif
