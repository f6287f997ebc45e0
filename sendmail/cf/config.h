/*
 * cf/config: the loaded configuration, one struct built by the reader.
 *
 * readcf() (cf/read.c) parses a sendmail.cf into a struct config; after it
 * returns, the daemon treats the config as immutable.  The only run-time
 * changes allowed are those Sendmail itself makes in address test mode
 * (-bt: .D, .C) and through the macro map, and they go through the
 * functions below, never through the fields.
 *
 * Names: macros and classes share one name space of ids (as in Sendmail:
 * $w and $=w are both "w").  macro_id() interns a name ("w", "{client_addr}"
 * or "client_addr") and returns a stable id >= 0 for the life of the process.
 *
 * Owned by the cf module.  Readers: every other module.
 */
#ifndef CF_CONFIG_H
#define CF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sendmail/rules/token.h"

struct sm_arena;
struct map;
struct map_registry;
struct options;
struct mailer;
struct rs_name;

#define MAXRWSETS 200      /* ruleset numbers 0..199 */
#define MAXNUMRWSETS 100   /* numbered rulesets are 0..99; names count down from 199 */
#define MAXMAILERS 25
#define MAXLINE 2048

/* ---- macro and class names ---- */

/* Intern a macro/class name: "x", "{name}" or "name".  Returns the id. */
int macro_id(const char *name);
/* The printable name of an id: "x" for single characters, "{name}" else. */
const char *macro_name(int id);
/*
 * Parse the macro name at p as it follows a '$' ("x" or "{name}"); sets
 * *endp past it.  Returns the id, or -1 (with *endp = p) if there is none
 * or a '{' is not closed.
 */
int macro_parse_name(const char *p, const char **endp);

/* ---- macro values ---- */

/*
 * A set of macro values with an optional parent consulted for ids that
 * are not set here (an envelope over the global set, as in Sendmail).
 */
struct macros;
struct macros *macros_new(struct macros *parent);
void macros_free(struct macros *m);
/* NULL if unset (here and in every parent). */
const char *macro_get(const struct macros *m, int id);
/* Copies value; NULL unsets. */
void macro_set(struct macros *m, int id, const char *value);
/*
 * Expand $x, ${name}, $?x...$|...$. and $$ in text using m, as Sendmail's
 * expand() does; $& sequences are copied literally (they are expanded at
 * run time by the rewriting engine).  Result allocated in a.
 */
char *macro_expand(const struct macros *m, const char *text, struct sm_arena *a);
/*
 * Append a stored value as Sendmail's -bt `$x` prints it ("$$" shows as
 * "$", macro references as "$x").
 */
struct sm_buf;
void macro_value_print(const char *value, struct sm_buf *out);

/* ---- classes ---- */

struct classes;
struct classes *classes_new(void);
void classes_free(struct classes *c);
bool class_member(const struct classes *c, int id, const char *word);
void class_add(struct classes *c, int id, const char *word);
/* The length of the longest word in any class (a phrase longer than this is no member). */
size_t class_maxlen(const struct classes *c);
/* The same for one class, and whether it has a member of exactly len bytes. */
size_t class_id_maxlen(const struct classes *c, int id);
bool class_may_have_len(const struct classes *c, int id, size_t len);
/*
 * Visit the members of class id in the order Sendmail's -bt `$=X` lists
 * them.  Stops early if fn returns false.
 */
void class_foreach(const struct classes *c, int id, bool (*fn)(const char *word, void *arg), void *arg);

/* ---- rulesets ---- */

struct rule {
	struct token *lhs;
	size_t nlhs;
	struct token *rhs;
	size_t nrhs;
	const char *file; /* where it was read, for -d dumps and errors */
	int line;
};

struct ruleset {
	const char *name; /* NULL for a purely numbered ruleset */
	int number;
	struct rule *rules;
	size_t nrules;
	size_t cap;
};

/*
 * Ruleset number for a name or a decimal number string; -1 if unknown and
 * !create.  With create, an unknown name gets the next free number counting
 * down from MAXRWSETS - 1, as Sendmail assigns them.
 */
int config_ruleset_number(struct config *cf, const char *name, bool create);
/* The ruleset with that number, or NULL if it has no rules and no name. */
const struct ruleset *config_ruleset(const struct config *cf, int number);
/* The printable name of ruleset number (its name, else the number). */
const char *config_ruleset_name(const struct config *cf, int number);
/* Print a ruleset's rules as -bt `=S` does (nothing for NULL). */
void config_print_ruleset(const struct config *cf, const struct ruleset *rs, FILE *fp);

/* ---- other cf lines ---- */

/* H lines. */
struct cf_header {
	const char *name;
	const char *value;         /* template as written (NULL for H*: / check-only) */
	unsigned char mflags[32];  /* ?flags? : add only for mailers with one of these */
	bool has_mflags;
	int macro_cond;            /* ?${macro}? : add only if set; -1 none */
	const char *ruleset;       /* $>name / $>+name check ruleset, NULL none */
	bool keep_comments;        /* $>+ */
	struct cf_header *next;
};

struct cf_precedence {         /* P lines */
	const char *name;
	int value;
	struct cf_precedence *next;
};

struct cf_env {                /* E lines: "VAR=value" (or "VAR" copied from our env) */
	const char *entry;
	struct cf_env *next;
};

struct cf_fields {             /* X and Q lines: name plus letter=value fields */
	const char *name;
	const char *fields[128];   /* indexed by the field's first letter */
	struct cf_fields *next;
};

/* ---- the configuration ---- */

struct config {
	struct sm_arena *arena;     /* everything the config owns lives here */
	const char *file;           /* the sendmail.cf path */
	int version;                /* V level (0..10) */
	const char *vendor;         /* V .../vendor, "Berkeley" by default */

	struct macros *macros;      /* global macros (D lines, built-ins) */
	struct classes *classes;    /* C and F lines, built-ins ($=w ...) */

	struct ruleset *rulesets[MAXRWSETS];

	struct mailer *mailers[MAXMAILERS]; /* index = Sendmail's mailer number */
	int nmailers;

	struct map_registry *maps;  /* K lines and the built-in maps */
	struct options *opt;        /* O lines (cf/options.h) */

	/* Options the address scanner and engine need on every call. */
	const char *operator_chars; /* OperatorChars ($o): default ".:@[]" */
	bool colon_ok_in_addr;      /* ColonOkInAddr */
	int blank_sub;              /* BlankSub character, default ' ' */

	struct cf_header *headers;      /* H lines, in order */
	struct cf_precedence *precedences;
	struct cf_env *env;
	struct cf_fields *milters;      /* X lines */
	struct cf_fields *queue_groups; /* Q lines */
	const char *ruleset_names[MAXRWSETS]; /* name bound to each number */
	struct rs_name *rs_names;       /* every name -> number binding */
	size_t nrs_names, caprs_names;
	bool rules_seen;                /* an S/R line was read (OperatorChars warning) */
	bool safe;                      /* readcf(..., safe) */
	/*
	 * Exit status the errors found while reading imply (Sendmail keeps
	 * going after most of them): 0, EX_SOFTWARE, EX_OSERR.  main.c exits
	 * with it when it would otherwise exit 0.
	 */
	int exitstat;
};

/* A fresh, empty configuration with the built-in mailers and option defaults. */
struct config *config_new(void);
/* Release a configuration and everything it owns (NULL is ignored). */
void config_free(struct config *cf);

/*
 * Reader entry point (cf/read.c).  Messages go to stdout (cf/diag.h) as
 * "FILE: line N: text"; most errors only set cf->exitstat, as in Sendmail;
 * an unreadable file exits with EX_OSFILE.
 */
struct config *readcf(const char *path, bool safe);
/*
 * Define a macro in every configuration readcf() builds from now on,
 * before the first cf line is read, as Sendmail's main() does for
 * ${opMode} ("t" for -bt) and for -M/-oM command-line macros.  Later
 * calls for the same name replace the value; NULL removes it.
 */
void readcf_define(const char *name, const char *value);
/* Read further cf lines from an open stream into cf (used by readcf and tests). */
void readcf_stream(struct config *cf, FILE *fp, const char *name);

/*
 * Start-up facts (cf/init.c).  config_init_host() defines what Sendmail
 * knows before reading the cf: $w $j $m from the host name, $k and $=k,
 * $=w (host names, "localhost", interface addresses), $v, $b, $_, $n and
 * the built-in classes.  config_finish_host() does what Sendmail does
 * after reading: $w becomes the short name (level >= 5), $=m, $=w from
 * interfaces unless DontProbeInterfaces, ...  readcf() calls both; they
 * are public for tests and for a caller building a config by hand.
 */
void config_init_host(struct config *cf);
void config_finish_host(struct config *cf);

#endif
