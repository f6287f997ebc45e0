/*
 * map/map_int: what the map classes share with the framework (internal).
 *
 * struct map is one declared map; struct map_class is one row of the class
 * table in map_registry.c (name, how to parse the K-line arguments, open,
 * lookup).  A class lookup returns the rewritten value (arena) or NULL and
 * always sets *stat to a sysexits code, like Sendmail's class functions.
 *
 * Only files in sendmail/map/ include this header.
 */
#ifndef MAP_MAP_INT_H
#define MAP_MAP_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "sendmail/map/map.h"

struct sm_arena;
struct sm_buf;

/* Map flags (Sendmail's MF_ bits, by meaning). */
enum {
	MF_OPTIONAL = 1 << 0,    /* -o */
	MF_NOFOLDCASE = 1 << 1,  /* -f */
	MF_MATCHONLY = 1 << 2,   /* -m */
	MF_APPEND = 1 << 3,      /* -A */
	MF_KEEPQUOTES = 1 << 4,  /* -q */
	MF_NODEFER = 1 << 5,     /* -t */
	MF_DEFER = 1 << 6,       /* -D */
	MF_INCLNULL = 1 << 7,    /* -N: key includes the trailing NUL */
	MF_TRY0NULL = 1 << 8,    /* try without the NUL (cleared by -N) */
	MF_TRY1NULL = 1 << 9,    /* try with the NUL (cleared by -O) */
	MF_ALIAS = 1 << 10,      /* an alias map */
	MF_REGEX_NOT = 1 << 11,  /* regex -n */
	MF_REGEX_CASE = 1 << 12, /* regex -f: case sensitive */
};

enum map_state {
	MS_INVALID = 0, /* bad declaration: never opens */
	MS_DECLARED,    /* valid, not opened yet */
	MS_OPEN,
	MS_BOGUS,       /* open failed, not optional: lookups temp-fail */
	MS_CLOSED,      /* open failed, optional: lookups find nothing */
};

#define MAP_MAXMEMBERS 12 /* sequence/switch members (MAXMAPSTACK) */

struct map;

/* Parse the K-line arguments after the class name; false = invalid map. */
typedef bool map_parse_fn(struct map *m, const char *args);
typedef bool map_open_fn(struct map *m, const struct map_ctx *ctx);
typedef char *map_lookup_fn(struct map *m, const struct map_ctx *ctx, const char *key,
			    const char *const *args, int nargs, int *stat);

struct map_class {
	const char *name;
	map_parse_fn *parse;
	map_open_fn *open;     /* NULL: nothing to open */
	map_lookup_fn *lookup;
	bool needs_file;       /* "No file name for X map Y" when absent */
};

struct map {
	const char *name;
	const struct map_class *cls;
	struct map_registry *reg;
	enum map_state state;
	unsigned flags;       /* MF_* */
	const char *file;     /* the file (or program, pattern, ...) argument */
	const char *rest;     /* arguments after the file */
	const char *app;      /* -a: appended to a found value */
	const char *tapp;     /* -T: appended to the key on temp failure */
	const char *keycol;   /* -k as written */
	const char *valcol;   /* -v as written */
	int keycolno;         /* -k as a number (text maps) */
	int valcolno;
	int coldelim;         /* -z, 0 = white space */
	int spacesub;         /* -S / dequote -s, 0 = none */
	int timeout;          /* -d (seconds) */
	int retry;            /* -r */
	int last_status;      /* sysexits code of the last lookup */
	struct map *members[MAP_MAXMEMBERS]; /* sequence / switch */
	int nmembers;
	void *priv;           /* class data */
	bool textmode;        /* an alias map reading its text file */
};

/* The registry's settings (from map_set_option). */
struct map_settings {
	const char *hosts_file;
	const char *switch_file;
	const char *resolver_options;
	const char *fallback_mx;
	const char *alias_files; /* AliasFile */
	bool dont_expand_cnames;
	int res_retrans; /* Timeout.resolver.retrans, 0 = resolver default */
	int res_retry;
};

/* ---- map_registry.c ---- */
/* Call fn(arg) from map_registry_free (resources outside the arena). */
void map_on_free(struct map_registry *r, void (*fn)(void *), void *arg);
struct sm_arena *map_arena(const struct map *m);
const struct map_settings *map_settings(const struct map_registry *r);
/* Print a run-time message (a line) to the registry's output. */
void map_msg(const struct map_registry *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a declaration error: "file: line N: text", status 70. */
void map_decl_err(const struct map *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raise the registry's exit status (70 or 71). */
void map_note_exit(struct map_registry *r, int code);
/* Open m if it is not yet; false if it cannot be used ("not open"). */
bool map_ensure_open(struct map *m, const struct map_ctx *ctx);
/* Declare a map from a K-line text without file/line (built-ins). */
struct map *map_declare_internal(struct map_registry *r, const char *kline);
/* The raw class lookup for -bt /map (no dequoting, no -T, no -D). */
char *map_bt_raw_lookup(struct map *m, const struct map_ctx *ctx, const char *key, int *stat);
/* The class lookup of an open map (bogus maps temp-fail); sets *stat. */
char *map_class_call(struct map *m, const struct map_ctx *ctx, const char *key,
		     const char *const *args, int nargs, int *stat);
/* A copy of s that lives as long as the registry. */
const char *map_intern(struct map_registry *r, const char *s);
/* Remember ctx->cf as the registry's configuration if none is known yet. */
void map_use_ctx(struct map_registry *r, const struct map_ctx *ctx);
/* map_find without declaring the built-ins (for use while reading the cf). */
struct map *map_find_declared(const struct map_registry *r, const char *name);
/* The class table row for name, or NULL. */
const struct map_class *map_class_find(const char *name);

/* ---- map_args.c ---- */
/* The common option parser (Sendmail's map_parseargs). */
bool map_parse_common(struct map *m, const char *args);
/* Skip blanks; next word (up to a blank) copied into the arena. */
const char *map_word(struct sm_arena *a, const char **pp);
/* The next "-x..." option word of a K line (blanks skipped), or NULL at the first non-option. */
const char *map_next_flag(struct sm_arena *a, const char **pp);
const char *map_skip_blanks(const char *p);
/* A -z/-S style character argument ("\\t", "\\n", or the first byte). */
int map_char_arg(const char *s);

/* ---- map_result.c ---- */
/*
 * Sendmail's map_rewrite: s[0..len) with %0 (key) and %1..%9 (args)
 * replaced, then -a appended; key NULL copies s as is (for -m).
 */
char *map_rewrite(struct map *m, const struct map_ctx *ctx, const char *s, size_t len,
		  const char *key, const char *const *args, int nargs);
/* Lower-case a copy of key unless -f. */
char *map_fold_key(const struct map *m, struct sm_arena *a, const char *key);
/* Sendmail's stripquotes: remove unescaped double quotes and backslashes before them. */
void map_stripquotes(char *s);
/* Sendmail's shortenstring(s, 33) for messages. */
const char *map_shorten(struct sm_arena *a, const char *s, size_t m);

/* ---- map_switch.c ---- */
/* The service switch entries for service ("files", "dns", ...); returns count. */
int map_switch_find(struct map_registry *r, const char *service, const char **types, int max);

/* ---- class tables (one per file) ---- */
extern const struct map_class map_class_text, map_class_hash, map_class_btree, map_class_dbm,
	map_class_implicit, map_class_stab, map_class_dequote, map_class_macro, map_class_arith,
	map_class_null, map_class_syslog, map_class_user, map_class_arpa, map_class_sequence,
	map_class_switch, map_class_host, map_class_regex, map_class_program, map_class_dns,
	map_class_bestmx, map_class_nis, map_class_nisplus, map_class_ldap, map_class_socket,
	map_class_userdb;

/* ---- map_host.c / map_dns.c ---- */
struct host_cache;
/* The host-name cache shared by every host map of the registry. */
struct host_cache **map_host_cache(struct map_registry *r);
struct sm_arena *map_arena_of(struct map_registry *r);
/*
 * Canonify host through DNS (search list, CNAMEs, A/AAAA/MX); false with
 * *status EX_NOHOST or EX_TEMPFAIL.
 */
bool map_dns_canon(struct map_registry *r, const struct map_ctx *ctx, const char *host,
		   char **canon, int *status);
struct __res_state;
#define MAP_DNS_ANSWER_MAX 65536
/* A fresh resolver state with ResolverOptions and Timeout.resolver.*; false if unusable. */
bool map_res_open(struct map_registry *r, struct __res_state *res);
/*
 * One query into ans (MAP_DNS_ANSWER_MAX bytes): the answer length, or -1
 * with *status EX_NOHOST (NXDOMAIN, no data) or EX_TEMPFAIL.
 */
int map_res_query(struct __res_state *res, const char *name, int type, unsigned char *ans,
		  int *status);

#endif
