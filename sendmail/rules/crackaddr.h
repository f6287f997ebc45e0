/*
 * rules/crackaddr: reduce a header address to its template.
 *
 * crackaddr() keeps the decoration of an address field (phrase, comments,
 * group name, angle brackets) and replaces the address proper by "$g",
 * as Sendmail's crackaddr does, so the rewritten address can be put back
 * in its place:
 *
 *     Full Name <user@x>        ->  Full Name <$g>
 *     user@x (Full Name)        ->  $g (Full Name)
 *     a.b <user@x>              ->  "a.b" <$g>     (phrase needing quotes)
 *     list: a@b;                ->  list: $g;
 *     <>                        ->  <>
 *
 * Unclosed quotes, comments and angle brackets are closed at the end.
 * Like Sendmail the template holds at most about 255 bytes plus the
 * closing characters (longer decoration is cut), but there is no fixed
 * buffer: any input length, any nesting depth, linear work.  A literal '$' of the input is copied as is, so a
 * caller substituting "$g" sees it only where crackaddr put it or where
 * the input itself spelled "$g".
 *
 * Callers: address parsing (rules/parseaddr.c), header rewriting.
 */
#ifndef RULES_CRACKADDR_H
#define RULES_CRACKADDR_H

struct config;
struct sm_arena;

/* The template of addr, allocated in a.  cf may be NULL (defaults). */
char *crackaddr(const struct config *cf, const char *addr, struct sm_arena *a);

#endif
