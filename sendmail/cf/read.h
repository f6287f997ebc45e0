/*
 * cf/read: what the pieces of the cf reader share (internal to sendmail/cf).
 *
 * read.c owns the loop (folding, comments, dispatch on the first letter);
 * read_rule.c the S and R lines; read_class.c C and F; read_misc.c D, H,
 * P, T, E, K, V, Q and X; mailer.c M; options.c O.
 */
#ifndef CF_READ_H
#define CF_READ_H

#include "sendmail/cf/config.h"

struct sm_buf;

struct cf_reader {
	struct config *cf;
	const char *file;
	int line;
	struct ruleset *cur;   /* ruleset of the last S line, NULL before any */
	bool saw_version;
};

/* Line handlers: text is the whole line, including its type letter. */
void read_ruleset_line(struct cf_reader *rd, char *text);
void read_rule_line(struct cf_reader *rd, char *text);
void read_class_line(struct cf_reader *rd, char *text);
void read_file_class_line(struct cf_reader *rd, char *text);
void read_macro_line(struct cf_reader *rd, char *text);
void read_header_line(struct cf_reader *rd, char *text);
void read_precedence_line(struct cf_reader *rd, char *text);
void read_trusted_line(struct cf_reader *rd, char *text);
void read_env_line(struct cf_reader *rd, char *text);
void read_map_line(struct cf_reader *rd, char *text);
void read_version_line(struct cf_reader *rd, char *text);
void read_fields_line(struct cf_reader *rd, char *text);
/* "unknown configuration line" */
void read_unknown_line(struct cf_reader *rd, const char *text);

/* Sendmail's own rendering of a cf line in messages ('$' shows as \001). */
const char *cf_line_image(struct cf_reader *rd, const char *text);

/*
 * Parse a macro/class name after D, C, F, $=, ...: "x" or "{name}".
 * Prints Sendmail's messages and returns -1 on error; *endp after the name.
 */
int cf_parse_name(struct config *cf, const char *p, const char **endp);

/* Ruleset internals (ruleset.c). */
void ruleset_bind_name(struct config *cf, const char *name, int number);
/*
 * An S line names a ruleset: bind name to number (number < 0: keep the
 * name's number).  A name only referred to so far moves to the new
 * number.  Returns the number, or -1 - old when an S line had already
 * given the name another number.
 */
int ruleset_define_name(struct config *cf, const char *name, int number);
/* Renumber references (mailers) from old to new (mailer.c). */
void ruleset_renumber_hook(struct config *cf, int old, int number);
/* After reading: point $>name tokens at their final numbers. */
void ruleset_resolve_calls(struct config *cf);
int ruleset_lookup_name(const struct config *cf, const char *name);
/* Remember a name from a bad "Sname=..." line without giving it a number. */
void ruleset_note_unnumbered(struct config *cf, const char *name);
struct ruleset *ruleset_get(struct config *cf, int number);
void ruleset_add_rule(struct config *cf, struct ruleset *rs, const struct rule *r);
void rule_token_format(const struct config *cf, const struct token *t, struct sm_buf *b);

#endif
