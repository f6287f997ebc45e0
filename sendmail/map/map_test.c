/*
 * map/map_test: the -bt commands that belong to maps, printed exactly as
 * Sendmail 8.17's address test mode prints them.
 *
 *   /map name key   "map_lookup: name (key) returns VALUE (STATUS)" or
 *                   "map_lookup: name (key) no match (STATUS)"; the
 *                   prefix is printed before the lookup, so messages the
 *                   lookup prints ("Name server timeout") land inside the
 *                   line as in the reference.  "Map named "x" not found"
 *                   for an undeclared map, "... not open" for one that
 *                   cannot be opened (optional and missing, invalid).
 *                   The key is passed raw: no dequoting, no -T, no $@
 *                   arguments (%0 is the key, %1.. are empty).
 *   /canon host     "getcanonname(host) returns NAME" (the host itself on
 *                   failure)
 *   /mx host        "getmxrr(host) returns N value(s):" then "\tHOST" lines
 *
 * Argument checks (usage lines) are the caller's (rules/bt.c).
 */
#include <stdio.h>
#include <string.h>

#include "libsm/sm_arena.h"
#include "sendmail/map/map_int.h"

void map_bt_lookup(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *name,
		   const char *key)
{
	struct map *m;
	int stat = 0;

	map_use_ctx(r, ctx);
	m = map_find(r, name);
	if (m == NULL) {
		fprintf(out, "Map named \"%s\" not found\n", name);
		return;
	}
	if (!map_ensure_open(m, ctx)) {
		fprintf(out, "Map named \"%s\" not open\n", name);
		return;
	}
	fprintf(out, "map_lookup: %s (%s) ", name, key);
	fflush(out);
	char *v = map_bt_raw_lookup(m, ctx, key, &stat);
	if (v == NULL)
		fprintf(out, "no match (%d)\n", stat);
	else
		fprintf(out, "returns %s (%d)\n", v, stat);
}

void map_bt_canon(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *host)
{
	char *canon = NULL;
	char *name = sm_arena_strdup(ctx->arena, host);
	size_t n = strlen(name);
	int status;

	/* As the host map does: one trailing dot is not part of the name. */
	if (n > 1 && name[n - 1] == '.')
		name[n - 1] = '\0';
	if (!map_getcanonname(r, ctx, name, &canon, &status))
		canon = (char *)host;
	fprintf(out, "getcanonname(%s) returns %s\n", host, canon);
}

void map_bt_mx(struct map_registry *r, const struct map_ctx *ctx, FILE *out, const char *host)
{
	char **hosts = NULL;
	int rcode;
	int n = map_getmx(r, ctx, host, &hosts, &rcode);

	fprintf(out, "getmxrr(%s) returns %d value(s):\n", host, n);
	for (int i = 0; i < n; i++)
		fprintf(out, "\t%s\n", hosts[i]);
}
