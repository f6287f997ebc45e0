/*
 * rules/debug: the -d debug-level table (Sendmail's tTd).
 *
 * Sendmail numbers its debug categories 0..99 and gives each a level
 * 0..255.  `-d` on the command line and in -bt sets them with the syntax
 *
 *     list   := item { "," item }
 *     item   := first [ "-" last ] [ "." level ]  |  name [ "." level ]
 *
 * where a missing level is 1, a missing last is first, and an empty list
 * means "0-99.1".  Numbers past 99 are clamped to 99.  Named items
 * (letters first, e.g. sm_trace_heap) are remembered by name.
 *
 * The table is process-wide: main.c fills it from the command line, the
 * -bt `-d` command changes it, and any module asks debug_on(cat, level).
 * Category 21 drives the rewriting trace (rw_ctx.debug21).
 */
#ifndef RULES_DEBUG_H
#define RULES_DEBUG_H

#include <stdbool.h>

#define DEBUG_NCAT 100

/* Apply a -d argument (without the "-d"). */
void debug_set(const char *spec);
/* The level of a category (0 when out of range). */
int debug_level(int cat);
/* True when category cat is at level >= level (Sendmail's tTd). */
bool debug_on(int cat, int level);
/* The level set for a named flag, 0 if never set. */
int debug_named_level(const char *name);
/* Forget every setting (for tests). */
void debug_reset(void);

#endif
