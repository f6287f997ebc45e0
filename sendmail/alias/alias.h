/*
 * alias: reading aliases(5) files and building alias databases
 * (newaliases, sendmail -bi).  A library module: no main().
 *
 * File format (as Sendmail 8.17 reads it):
 *   - "name: value" entries; the value runs to the end of the line;
 *   - a line starting with a blank continues the previous one (the
 *     newline goes, the blank stays); a line ending in a backslash
 *     continues too (backslash and newline go);
 *   - lines starting with '#' (in column one) and empty lines are
 *     skipped; a comment line swallows its own continuation lines;
 *   - a line starting with a blank that is not a continuation (first line,
 *     or after a comment or empty line) is an error, and so are its
 *     followers;
 *   - the name ends at the first ':'; comments "(...)" in it are dropped,
 *     blanks between words become one space, quotes are kept; the stored
 *     key is folded to lower case (all of it) and gets a trailing NUL;
 *   - the value loses its leading blanks and nothing else (a trailing CR
 *     or blank stays) and is stored as written, with a trailing NUL:
 *     :include:, |program, /file, "quoted local parts", owner-x and
 *     x-request entries are ordinary entries here, given meaning at
 *     delivery time;
 *   - a value longer than Sendmail's buffer (a line plus its continuations
 *     of 8191 bytes or more) is refused: "alias line too long";
 *   - a later duplicate replaces the earlier one, with a warning; when
 *     the AliasFile entry has the -A flag they are joined silently as
 *     "later,earlier".
 *
 * Messages are those of Sendmail, each "FILE: line N: text", on the
 * options' stream (Sendmail prints them on stdout):
 *   Non-continuation line starts with space
 *   missing colon
 *   NAME... illegal alias name           (first 40 chars of the line)
 *   NAME... cannot alias non-local names (when the lhs hook says so)
 *   LINE... missing value for alias      (first 40 chars of the line)
 *   NAME... Warning: duplicate alias name KEY
 *   alias line too long
 * then the summary "FILE: N aliases, longest N bytes, N bytes total"
 * (longest = longest value, total = sum of name and value lengths).
 *
 * The database is built with libsmdb: a new GDBM file renamed over
 * FILE.db when complete, ending with the "@" -> "@" entry that tells
 * Sendmail (AliasWait) and praliases the rebuild finished.  A reader never
 * sees a partial database.
 *
 * Who calls what: main's -bi / newaliases mode calls alias_rebuild_all()
 * with the cf's AliasFile entries (or alias_rebuild() per entry); tests
 * and the stab class can use alias_parse() alone.  The rules engine plugs
 * in through alias_opts.lhs (parse the name as an address, as Sendmail's
 * parseaddr does) and alias_opts.check_rhs (CheckAliases).
 */
#ifndef ALIAS_ALIAS_H
#define ALIAS_ALIAS_H

#include <stddef.h>
#include <stdio.h>

#include "libsm/sm_buf.h"

/* Sendmail's alias line buffer (BUFSIZ): a line longer than this - 1 fails. */
#define ALIAS_LINE_MAX 8192

/* What the lhs hook says about a name. */
enum alias_lhs_result {
	ALIAS_LHS_OK = 0,   /* *user holds the name to store (before folding) */
	ALIAS_LHS_ILLEGAL,  /* "illegal alias name" */
	ALIAS_LHS_NONLOCAL, /* "cannot alias non-local names" */
};

struct alias_opts {
	FILE *msgs;           /* messages and summary; NULL = stdout */
	const char *progname; /* prefix of "cannot open" messages; NULL = "newaliases" */
	int announce;         /* print the summary line */
	/*
	 * Parse a name (the text before ':') into the local part to store.
	 * NULL = the built-in syntactic rule described above.
	 */
	enum alias_lhs_result (*lhs)(void *ctx, const char *text, struct sm_buf *user);
	/*
	 * CheckAliases: called for each address of a value; returns 0 if
	 * good, else fills why (printed as "ADDR... why").  NULL = no check.
	 */
	int (*check_rhs)(void *ctx, const char *addr, struct sm_buf *why);
	void *ctx;
};

struct alias_stats {
	long naliases; /* entries stored */
	long longest;  /* longest value */
	long bytes;    /* names plus values */
	int errors;    /* Sendmail "syserr" messages (make -bi exit EX_SOFTWARE) */
	int warnings;  /* duplicate names */
};

/* One entry as read: key folded, NUL not included in the lengths. */
typedef int (*alias_entry_fn)(void *arg, const char *key, size_t klen, const char *name,
                              const char *value, size_t vlen, unsigned line);

/*
 * Read an aliases file from fp (fname names it in messages) and call
 * each() for every good entry; each() returns 0 to go on, -1 to stop
 * (alias_parse then returns -1).  Counts errors in st (st->naliases and
 * friends are left to the caller).  Returns 0, or -1 on a read error or a
 * stop.
 */
int alias_parse(FILE *fp, const char *fname, const struct alias_opts *o, alias_entry_fn each,
                void *arg, struct alias_stats *st);

/*
 * Rebuild the database of one AliasFile entry, "[class:][-flags ]path":
 * class hash, btree, dbm or implicit (else the entry is skipped and 0
 * returned: nis, ldap... have nothing to build); flag -A appends
 * duplicates.  Returns a sysexits code: EX_OK; EX_SOFTWARE when the file
 * had errors (the database is still built, as Sendmail does);
 * EX_NOINPUT when the file cannot be opened ("cannot open" printed,
 * old database untouched; Sendmail's -bi still exits 0 then);
 * EX_CANTCREAT / EX_IOERR when the database cannot be written (old
 * database untouched).  st may be NULL.
 */
int alias_rebuild(const char *spec, const struct alias_opts *o, struct alias_stats *st);

/*
 * Rebuild every entry of an AliasFile value list (as the cf gives them),
 * in order; returns the worst status.
 */
int alias_rebuild_all(const char *const *specs, size_t n, const struct alias_opts *o);

/*
 * Names parsed by the configuration's rulesets (alias_rules.c): set o's
 * lhs hook so each name goes through rulesets 3 and 0 of cf as Sendmail's
 * newaliases does.  alias_rules_end frees the scratch memory and returns
 * the exit status the parser raised (0 if none).
 */
struct config;
struct sm_arena;
struct alias_rules {
	struct config *cf;
	struct sm_arena *arena;
	FILE *msgs;
	int exitstat;
};
void alias_rules_begin(struct alias_rules *ar, struct alias_opts *o, struct config *cf);
int alias_rules_end(struct alias_rules *ar);

/* The built-in name rule (exported for tests): see the file comment. */
enum alias_lhs_result alias_default_lhs(void *ctx, const char *text, struct sm_buf *user);

#endif
