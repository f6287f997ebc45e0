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

#include "sendmail/rules/token.h"

struct sm_arena;
struct map;
struct map_registry;
struct options;
struct mailer;

#define MAXRWSETS 200      /* ruleset numbers 0..199 */
#define MAXNUMRWSETS 100   /* numbered rulesets are 0..99; names count down from 199 */
#define MAXMAILERS 25
#define MAXLINE 2048

/* ---- macro and class names ---- */

/* Intern a macro/class name: "x", "{name}" or "name".  Returns the id. */
int macro_id(const char *name);
/* The printable name of an id: "x" for single characters, "{name}" else. */
const char *macro_name(int id);

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

/* ---- classes ---- */

struct classes;
bool class_member(const struct classes *c, int id, const char *word);
void class_add(struct classes *c, int id, const char *word);
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
};

/* Reader entry point (cf/read.c): errors are fatal (EX_CONFIG). */
struct config *readcf(const char *path, bool safe);

#endif
