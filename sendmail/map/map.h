/*
 * map/map: keyed maps (K lines) and the registry of declared maps.
 *
 * A map is declared from a K line ("Kname class -flags args"): the class
 * parses its arguments, the common options (-a -A -d -D -f -k -m -N -O -o
 * -q -S -t -T -v -z) are parsed once by the framework for the classes
 * that take them, as Sendmail does.
 *
 * Opening.  Sendmail 8.17 opens a map lazily, on its first lookup (in -bt,
 * -bv, -bd and queue runs alike), and prints the open failure then, once:
 * a non-optional map that fails becomes a "bogus" map whose lookups
 * temp-fail (status 75); an optional one (-o) stays closed and its lookups
 * find nothing.  map_lookup() and map_bt_lookup() do exactly that, so the
 * cf reader must NOT call map_open_all() (it exists for tools that want
 * every failure up front).
 *
 * Who calls what:
 *   cf reader     map_registry_new, map_set_option (every O line, long
 *                 name and value), map_declare (every K line), and
 *                 map_registry_finish once the whole file is read (it
 *                 adds the built-in "host" and "aliases" maps).
 *   rules engine  map_find + map_lookup for $( $); map_find(r, "host")
 *                 for $[ $] (always declared after map_registry_finish).
 *   -bt           map_bt_lookup (/map), map_bt_canon (/canon), map_bt_mx
 *                 (/mx): each prints its whole answer the reference's way.
 *   main          map_registry_set_output, map_exit_status.
 *
 * Messages (bad declarations, open failures, "Name server timeout") go to
 * the registry's output stream (stdout unless set), which is where
 * Sendmail's -bt prints them; declaration errors are prefixed
 * "file: line N: ".  Owned by the map module.
 */
#ifndef MAP_MAP_H
#define MAP_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct config;
struct macros;
struct sm_arena;
struct map;
struct map_registry;

/*
 * Lookup outcome.  The sysexits code Sendmail reports alongside (the
 * number in "/map" answers) is available from map_last_status().
 */
enum map_status {
	MAP_FOUND = 0,
	MAP_NOTFOUND,
	MAP_TEMPFAIL, /* try again later (EX_TEMPFAIL) */
	MAP_UNAVAIL,  /* map not open (optional and missing, bad declaration) */
};

/* What a lookup may use besides the key. */
struct map_ctx {
	const struct config *cf; /* for $m (the domain) and the V level */
	struct macros *macros;   /* run-time macros (the macro map writes here) */
	struct sm_arena *arena;  /* results are allocated here */
};

struct map_registry *map_registry_new(struct sm_arena *a);
/*
 * Release what the maps hold outside the registry's arena (compiled
 * patterns); the arena itself is the caller's.  NULL is ignored.
 */
void map_registry_free(struct map_registry *r);

/*
 * Record a sendmail.cf option the maps depend on: HostsFile,
 * ServiceSwitchFile, ResolverOptions, FallbackMXhost, DontExpandCnames,
 * Timeout.resolver.*.  Other names are ignored, so the cf reader may pass
 * every option through.
 */
void map_set_option(struct map_registry *r, const char *name, const char *value);

/*
 * Declare a map from the text after "K": "name class [flags] [args]".
 * Returns 0, or -1 after printing Sendmail's message for a bad declaration
 * ("file: line N: readcf: map x: class y not available", ...).  Some bad
 * declarations still leave a (closed) map behind, as in Sendmail.
 */
int map_declare(struct map_registry *r, struct config *cf, const char *kline, const char *file,
		int line);

/*
 * After the cf is read: declare the built-in maps the cf did not declare,
 * "host" ("host host", plus -a. -D at V level >= 2) and "aliases" (a
 * switch map over the "aliases" service, with Alias0.. from AliasFile).
 * Reads HostsFile, ServiceSwitchFile, ResolverOptions, FallbackMXhost,
 * DontExpandCnames and AliasFile from cf->opt when there is one.  cf may
 * be NULL (level 10).  Idempotent; if the reader never calls it, the
 * first map_find() at run time does (with the cf map_declare saw).
 */
void map_registry_finish(struct map_registry *r, const struct config *cf);

/* The declared map called name, or NULL. */
struct map *map_find(const struct map_registry *r, const char *name);

/* Open every declared map now, printing the failures (not done by Sendmail). */
void map_open_all(struct map_registry *r, const struct map_ctx *ctx);

/*
 * Look key up in m as the rewriting engine does.  args[0..nargs-1] are the
 * $@ arguments that replace %1..%9 in the result (%0 is the key).  The key
 * is dequoted first unless -q.  Returns:
 *   MAP_FOUND     *result is the rewritten value (-a appended, -m, ...)
 *   MAP_NOTFOUND  *result NULL (also for -t maps that temp-failed)
 *   MAP_TEMPFAIL  *result is the key with the -T string appended when the
 *                 map has -T, else NULL (use the $: default or the key);
 *                 either way the ruleset's status becomes EX_TEMPFAIL
 *   MAP_UNAVAIL   the map is not open: silently not found (*result NULL)
 * *result is allocated in ctx->arena.
 */
enum map_status map_lookup(struct map *m, const struct map_ctx *ctx, const char *key,
			   const char *const *args, int nargs, char **result);

/* The sysexits code of m's last lookup (0, 68 EX_NOHOST, 75, 78 ...). */
int map_last_status(const struct map *m);

/* The map's name and class name, for traces and -bt output. */
const char *map_name(const struct map *m);
const char *map_class_name(const struct map *m);

/* Where messages go (default stdout). */
void map_registry_set_output(struct map_registry *r, FILE *out);

/*
 * The exit status the reference would have after the messages printed so
 * far: 0, EX_SOFTWARE (70, a bad declaration) or EX_OSERR (71, a missing
 * map file).  main() uses the worst of this and its own.
 */
int map_exit_status(const struct map_registry *r);

/* Delivery is being deferred (DeliveryMode=defer): -D maps temp-fail. */
void map_set_deferred(struct map_registry *r, bool deferred);

/* ---- host names and MX records (map_host.c, map_dns.c) ---- */

/*
 * Canonify host as Sendmail's getcanonname() does through the service
 * switch "hosts" entry (files: HostsFile; dns: the resolver).  On success
 * returns true and *canon (arena) is the canonical name without a
 * trailing dot; on failure *canon is NULL and *status a sysexits code.
 */
bool map_getcanonname(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		      char **canon, int *status);

/*
 * MX hosts for host, best first (Sendmail's getmxrr for -bt /mx): returns
 * the number of hosts stored in *hosts (arena array), 0 when DNS is not
 * in the "hosts" switch entry, or -1 on a lookup failure (*rcode is
 * EX_TEMPFAIL or EX_NOHOST).
 */
int map_getmx(struct map_registry *r, const struct map_ctx *ctx, const char *host, char ***hosts,
	      int *rcode);

/* ---- address test mode (map_test.c) ---- */

/*
 * "/map name key": prints one answer exactly as the reference's -bt does
 * ("map_lookup: name (key) returns value (0)", "... no match (68)",
 * "Map named \"x\" not found", "Map named \"x\" not open"), opening the
 * map first if needed.  No -T, no dequoting, no arguments, as Sendmail.
 */
void map_bt_lookup(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *name,
		   const char *key);

/* "/canon host": "getcanonname(host) returns name". */
void map_bt_canon(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *host);

/* "/mx host": "getmxrr(host) returns N value(s):" then one TAB line per host. */
void map_bt_mx(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *host);

#endif
