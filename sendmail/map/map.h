/*
 * map/map: keyed maps (K lines) and the registry of declared maps.
 *
 * A map is declared from a K line ("Kname class -flags args"): the class
 * parses its arguments, the common options (-a -A -D -f -k -v -m -N -O -o
 * -q -S -T -z -t ...) are parsed once by the framework.  Maps are opened
 * lazily (or all at once by map_open_all, as Sendmail does at start) and
 * looked up by the rewriting engine ($( $), $[ $]), -bt (/map), and later
 * by aliasing and policy code.
 *
 * Classes live in map/<class>.c and register a struct map_class in the
 * table of map/registry.c.  Owned by the map module.
 */
#ifndef MAP_MAP_H
#define MAP_MAP_H

#include <stdbool.h>
#include <stddef.h>

struct config;
struct macros;
struct sm_arena;
struct map;
struct map_registry;

enum map_status {
	MAP_FOUND = 0,
	MAP_NOTFOUND,
	MAP_TEMPFAIL, /* try again later (EX_TEMPFAIL); the caller honours -T / -t */
	MAP_UNAVAIL,  /* map could not be opened (missing file without -o, ...) */
};

/* What a lookup may use besides the key. */
struct map_ctx {
	const struct config *cf;
	struct macros *macros;   /* run-time macros (the macro map writes here) */
	struct sm_arena *arena;  /* results are allocated here */
};

struct map_registry *map_registry_new(struct sm_arena *a);

/*
 * Declare a map from the text after "K": "name class [flags] [args]".
 * Returns 0, or -1 after printing Sendmail's message for a bad declaration
 * (the caller supplies file and line for it).
 */
int map_declare(struct map_registry *r, struct config *cf, const char *kline, const char *file, int line);

/* The declared map called name, or NULL. */
struct map *map_find(const struct map_registry *r, const char *name);

/* Open every declared map, printing Sendmail's warnings for those that fail. */
void map_open_all(struct map_registry *r, const struct map_ctx *ctx);

/*
 * Look key up in m.  args[0..nargs-1] are the $@ arguments that replace
 * %1..%9 in the result (%0 is the key).  On MAP_FOUND *result is the
 * rewritten value (with -a appended etc.); on MAP_TEMPFAIL with -T it is
 * the key with the -T string appended and the status is MAP_FOUND as
 * Sendmail treats it.  *result is arena-allocated.
 */
enum map_status map_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			   const char *const *args, int nargs, char **result);

/* The map's name and class name, for traces and -bt output. */
const char *map_name(const struct map *m);
const char *map_class_name(const struct map *m);

#endif
