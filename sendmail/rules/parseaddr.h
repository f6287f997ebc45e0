/*
 * rules/parseaddr: from an address to a (mailer, host, user) triple, and
 * from an address to the form a mailer is given.
 *
 *   pa_parseaddr   Sendmail's parseaddr(): prescan, the length and 8-bit
 *                  checks, rulesets 3 then 0, then buildaddr(): the
 *                  resolved $# mailer $@ host $: user is checked, $#error
 *                  becomes a message and an error triple, the user part
 *                  goes through ruleset 2 and the mailer's R= envelope
 *                  ruleset (recipients) and ruleset 4, then is lowercased
 *                  unless the mailer has F=u (F=h for the host).
 *   pa_remotename  Sendmail's remotename(): the rewriting for /try and for
 *                  delivery (3, then 1 or 2, then the mailer's S= or R=
 *                  envelope or header ruleset, then 4), put back into the
 *                  address's comment template from crackaddr.
 *   pa_invalidaddr the length (255 bytes) and 8-bit (0x80-0x9f) checks.
 *   pa_cataddr     tokens back to text (Sendmail's cataddr()).
 *   pa_dsn_exitstat the sysexits code of a DSN status ("5.1.3" -> 64).
 *
 * Messages go to ctx->msgout as the -bt mode shows them ("addr... text",
 * no reply code); they raise *ctx->exitstat as Sendmail's setstat() and
 * syserr() do.  Callers: rules/bt.c now; envelope code later.
 */
#ifndef RULES_PARSEADDR_H
#define RULES_PARSEADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sendmail/rules/token.h"

struct config;
struct mailer;
struct rw_ctx;
struct sm_buf;

/* Address flags, as Sendmail's RF_*. */
enum {
	RF_SENDERADDR = 0x001, /* a sender (else a recipient) */
	RF_HEADERADDR = 0x002, /* in a header (else the envelope) */
	RF_CANONICAL = 0x004,  /* strip comments, already canonical */
	RF_ADDDOMAIN = 0x008,  /* append the sender's domain if unqualified */
};

enum pa_state {
	PA_OK = 0,
	PA_BADADDR, /* resolved to an error, or unresolvable */
	PA_QUEUEUP, /* temporary failure: queue it */
};

struct address {
	const char *paddr;            /* the address as given */
	const struct mailer *mailer;  /* NULL for the error mailer */
	const char *mailer_name;      /* "*error*" for the error mailer */
	const char *host;             /* NULL when the triple has none */
	const char *user;
	const char *status;           /* DSN status of an error ("5.1.3") */
	enum pa_state state;
};

struct pa_ctx {
	struct rw_ctx *rw; /* engine context: cf, macros, arena, trace */
	FILE *msgout;      /* where messages go */
	int *exitstat;     /* Sendmail's ExitStat */
};

/*
 * Parse one address ending at delim ('\0' for the whole string) into *a.
 * Returns false when it could not be parsed at all (messages printed);
 * true otherwise, with a->state telling a good triple from an error one.
 * *delimptr (if not NULL) receives where the scan stopped.
 */
bool pa_parseaddr(struct pa_ctx *ctx, const char *addr, int flags, int delim,
		  const char **delimptr, struct address *a);

/*
 * The address name as mailer m is to be given it (flags RF_*).  *rcode
 * becomes EX_TEMPFAIL if a ruleset temp-failed.  Result in ctx->rw->arena.
 */
const char *pa_remotename(struct pa_ctx *ctx, const char *name, const struct mailer *m,
			  int flags, int *rcode);

/*
 * Sendmail's invalidaddr(): true (after the message) if addr, up to end
 * (NULL: its NUL), is longer than 255 bytes or holds a byte 0x80-0x9f.
 */
bool pa_invalidaddr(struct pa_ctx *ctx, const char *addr, const char *end);

/*
 * Join tokens into text: spacesub (or the BlankSub option if '\0') goes
 * between two adjacent atoms, nothing elsewhere.
 */
void pa_cataddr(const struct config *cf, const struct token *t, size_t n, int spacesub,
		struct sm_buf *out);

/* Sendmail's stripquotes(): drop '"' and the '\' of escapes, in place. */
void pa_stripquotes(char *s);

/*
 * The workspace of a check_* ruleset, as Sendmail's rscheck() builds it:
 * arg1 (comments kept if comments1), then "$| arg2" unless arg2 is NULL.
 * False when an argument does not scan.  out is initialised on arena a.
 */
struct sm_arena;
bool pa_check_input(const struct config *cf, struct sm_arena *a, const char *arg1, bool comments1,
		    const char *arg2, struct tokvec *out);

/* n tokens as one address string (pa_cataddr), allocated in a. */
char *pa_cataddr_str(const struct config *cf, struct sm_arena *a, const struct token *t, size_t n,
		     int spacesub);

/* Print a scan's errors (the chain in e), "addr... message" each. */
void pa_scan_errors(struct pa_ctx *ctx, const char *addr, const struct tok_error *e);

/* sysexits code for a DSN status text, as Sendmail's dsntoexitstat(). */
int pa_dsn_exitstat(const char *dsn);

/* Raise *ctx->exitstat as Sendmail's setstat(). */
void pa_setstat(struct pa_ctx *ctx, int status);

#endif
