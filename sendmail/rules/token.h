/*
 * rules/token: the token, the token vector, and the scanners that make them.
 *
 * Addresses and rule sides are sequences of tokens.  A token is either a
 * word (TK_WORD: an atom, a single operator character, a quoted string with
 * its quotes, an IP literal piece, ...) or a metasymbol of the rewriting
 * language ($*, $+, $#, $[, ...) carrying an argument where it needs one.
 * Metasymbols are a kind, never special bytes inside text, so any byte of
 * input (8-bit included) is just text.
 *
 * Scanners (implemented in rules/token.c, owned by the rules module):
 *   tok_scan_address  prescan of an address as Sendmail does it (operator
 *                     characters, quotes, comments, \ escapes, limits and
 *                     their documented errors)
 *   tok_scan_rule     the same scanner for the LHS or RHS text of an R line
 *                     (or a -bt input line) after read-time macro expansion,
 *                     turning `$` sequences into metasymbols
 * Who calls them: the cf reader (R lines), the rewriting engine (map results,
 * -bt input), address parsing.  They never print; errors come back in
 * struct tok_error and the caller reports them.
 */
#ifndef RULES_TOKEN_H
#define RULES_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

struct sm_arena;
struct config;

enum tok_kind {
	TK_WORD = 0,     /* text in s */
	TK_ZANY,         /* $*  zero or more tokens */
	TK_ANY,          /* $+  one or more */
	TK_ONE,          /* $-  exactly one */
	TK_CLASS,        /* $=X member of class (arg: macro/class id) */
	TK_NCLASS,       /* $~X one token not in class (arg: id) */
	TK_REPL,         /* $1..$9 (arg: n) */
	TK_NET,          /* $#  (also LHS literal $# at level >= 8) */
	TK_HOST,         /* $@  */
	TK_USER,         /* $:  */
	TK_CALL,         /* $>  ruleset call; arg: ruleset number, s: name as written;
			  * arg -1 (s NULL): the name is the next token, known at
			  * run time ("$>$2") */
	TK_IF,           /* $?x (arg: id) */
	TK_ELSE,         /* $|  (conditional else, and the check_* separator) */
	TK_FI,           /* $.  */
	TK_HOSTBEGIN,    /* $[  */
	TK_HOSTEND,      /* $]  */
	TK_LOOKUPBEGIN,  /* $(  */
	TK_LOOKUPEND,    /* $)  */
	TK_DMACRO,       /* $&x deferred macro (arg: id) */
};

struct token {
	const char *s;       /* text of a TK_WORD (NUL-terminated); name for TK_CALL */
	unsigned short kind; /* enum tok_kind */
	int arg;             /* id / number, see enum tok_kind */
};

/* A growable vector of tokens; storage comes from an arena. */
struct tokvec {
	struct token *v;
	size_t n;
	size_t cap;
	struct sm_arena *arena;
};

void tokvec_init(struct tokvec *tv, struct sm_arena *a);
void tokvec_push(struct tokvec *tv, struct token t);
void tokvec_push_word(struct tokvec *tv, const char *s);
void tokvec_append(struct tokvec *tv, const struct token *t, size_t n);

/* Why a scan failed; msg is Sendmail's text ("Unbalanced '<'", ...). */
struct tok_error {
	int code;        /* 0 = none; else the SMTP reply code Sendmail gives (553, 554) */
	const char *dsn; /* enhanced status "5.1.0", NULL when Sendmail gives none */
	const char *msg; /* the message text, arena-allocated */
	/*
	 * Repaired errors (unbalanced quotes and brackets) do not stop a scan:
	 * the scan returns true with code set, and Sendmail prints every one
	 * of them, in order: the first is here, the others follow in next.
	 */
	struct tok_error *next;
};

/* Options of tok_scan_address_ex. */
enum {
	TOKS_COMMENTS = 1, /* ( ) delimit comments, which are dropped (header/envelope) */
	TOKS_BT = 2,       /* -bt input line: refused above 255 bytes ("$#" there is text) */
	TOKS_NOLIMIT = 4,  /* with TOKS_BT: no 255-byte limit */
};

/*
 * Scan an address.  delim ends the scan early (',' for lists, '\0' for
 * none).  Returns false with *err set on error.  *endp (if not NULL)
 * receives the position where scanning stopped.
 */
bool tok_scan_address(const struct config *cf, struct sm_arena *a, const char *addr, int delim,
		      struct tokvec *out, const char **endp, struct tok_error *err);

/*
 * tok_scan_address with options (TOKS_*).  tok_scan_address is flags 0:
 * ( ) are plain operator tokens, as in -bt at V9 and later.
 * -bt input lines use TOKS_BT with delim ','.
 */
bool tok_scan_address_ex(const struct config *cf, struct sm_arena *a, const char *addr, int delim,
			 int flags, struct tokvec *out, const char **endp, struct tok_error *err);

/*
 * Scan rule text (an R-line side after read-time macro expansion, or a -bt
 * input line) into tokens with metasymbols.  Returns false with *err set on
 * error.  `$>name` gets its ruleset number from config_ruleset_number(cf,
 * name, true), which creates a named ruleset on first mention, as Sendmail
 * does; classes and macros are interned with macro_id().
 */
bool tok_scan_rule(struct config *cf, struct sm_arena *a, const char *text, struct tokvec *out,
		   struct tok_error *err);

/*
 * Print tokens the way Sendmail's -bt trace does ("user < @ host . >"):
 * tokens joined by one blank, nothing before the first or after the last;
 * 8-bit bytes as M-x, control bytes not shown.  Appends to out.
 */
struct sm_buf;
void tok_format(const struct config *cf, const struct token *t, size_t n, struct sm_buf *out);
/* Append one token as tok_format prints it. */
void tok_format1(const struct config *cf, const struct token *t, struct sm_buf *out);
/* Is c an atom character (not blank, quote or operator) for this config? */
bool tok_is_atom_char(const struct config *cf, int c);
/* Two tokens are equal (kind, argument, and text compared case-insensitively). */
bool tok_equal(const struct token *x, const struct token *y);

#endif
